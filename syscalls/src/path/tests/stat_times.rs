//! §4.10 S1-S4: `path_filestat_get` and `path_filestat_set_times`.

use super::*;

#[test]
fn s1_filestat_reports_real_inodes_links_and_types() {
    each(|fx| {
        let file = fx.stat(NOFOLLOW, "file").expect("file");
        let sub = fx.stat(NOFOLLOW, "sub").expect("sub");
        let host = fs::metadata(fx.at("file")).expect("host stat");
        assert_eq!((file.ino, file.nlink, file.size), (host.ino(), 1, 4));
        assert_ne!(file.ino, sub.ino);
        assert_eq!(sub.filetype, FT_DIRECTORY);
        assert_eq!(
            file.mtim,
            host.mtime() as u64 * 1_000_000_000 + host.mtime_nsec() as u64
        );
        // The same code serves the snapshot-0 layout.
        let (p, l) = fx.s("file");
        let st = fx
            .call(|cx, mem| path_filestat(cx, mem, PREOPEN, 0, p, l))
            .expect("stat");
        assert_eq!(st.ino, file.ino);
    });
}

#[test]
fn s1_filestat_bad_buffer_is_overflow_and_writes_nothing() {
    each(|fx| {
        let (p, l) = fx.s("file");
        fx.mem[(MEM_SIZE - 40) as usize..].fill(0xaa);
        let r = fx.call(|cx, mem| path_filestat_get(cx, mem, PREOPEN, 0, p, l, MEM_SIZE - 40));
        assert_eq!(r, Err(Errno::Overflow));
        assert!(
            fx.mem[(MEM_SIZE - 40) as usize..]
                .iter()
                .all(|&b| b == 0xaa)
        );
    });
}

#[test]
fn s3_set_times_sets_omits_and_refuses_contradictions() {
    each(|fx| {
        assert_eq!(
            fx.set_times(0, "file", 1, 1, ATIM | ATIM_NOW),
            Err(Errno::Inval)
        );
        assert_eq!(
            fx.set_times(0, "file", 1, 1, MTIM | MTIM_NOW),
            Err(Errno::Inval)
        );
        let t1 = 1_000_000_000 * 1_000_000 + 123_456_789;
        let t2 = 2_000_000_000 * 1_000_000_000 + 5;
        assert_eq!(fx.set_times(0, "file", t1, t2, ATIM | MTIM), Ok(()));
        let st = fx.stat(0, "file").expect("stat");
        assert_eq!((st.atim, st.mtim), (t1, t2));
        // Only MTIM: the access time is left alone.
        assert_eq!(fx.set_times(0, "file", 7, t1, MTIM), Ok(()));
        let st = fx.stat(0, "file").expect("stat");
        assert_eq!((st.atim, st.mtim), (t1, t1));
        // Neither: nothing changes (but the name must exist).
        assert_eq!(fx.set_times(0, "file", 7, 7, 0), Ok(()));
        assert_eq!(fx.set_times(0, "nothing", 7, 7, 0), Err(Errno::Noent));
        // *_NOW uses the host clock.
        let before = crate::clock::now(0).expect("clock");
        assert_eq!(fx.set_times(0, "file", 0, 0, ATIM_NOW | MTIM_NOW), Ok(()));
        let st = fx.stat(0, "file").expect("stat");
        assert!(st.atim + 1_000_000_000 >= before && st.mtim + 1_000_000_000 >= before);
        assert_eq!(fx.set_times(0, "sub/", t1, t1, ATIM | MTIM), Ok(()));
        assert_eq!(
            fx.set_times(0, "file/", t1, t1, ATIM | MTIM),
            Err(Errno::Notdir)
        );
    });
}

#[test]
fn s4_set_times_without_follow_changes_the_link_only() {
    each(|fx| {
        std::os::unix::fs::symlink("file", fx.at("lf")).expect("symlink lf");
        let t = 1_500_000_000 * 1_000_000_000;
        let file_before = fx.stat(0, "file").expect("file").mtim;
        assert_eq!(fx.set_times(NOFOLLOW, "lf", t, t, ATIM | MTIM), Ok(()));
        assert_eq!(fx.stat(NOFOLLOW, "lf").expect("link").mtim, t);
        assert_eq!(fx.stat(NOFOLLOW, "file").expect("file").mtim, file_before);
        assert_eq!(
            fx.set_times(FOLLOW, "lf", t + 1, t + 1, ATIM | MTIM),
            Ok(())
        );
        assert_eq!(fx.stat(NOFOLLOW, "file").expect("file").mtim, t + 1);
        assert_eq!(fx.stat(NOFOLLOW, "lf").expect("link").mtim, t);
        // A link whose target is outside: its own times may change, the target's never.
        assert_eq!(fx.set_times(NOFOLLOW, "abs", t, t, ATIM | MTIM), Ok(()));
        assert_eq!(
            fx.set_times(FOLLOW, "abs", t, t, ATIM | MTIM),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            fx.set_times(FOLLOW, "out", t, t, ATIM | MTIM),
            Err(Errno::Notcapable)
        );
        assert!(
            fs::symlink_metadata(fx.at("out"))
                .expect("lstat out")
                .is_symlink()
        );
    });
}
