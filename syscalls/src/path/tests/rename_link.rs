//! §4.9 L3-L4: `path_link` and `path_rename`.

use super::*;

#[test]
fn l3_link_rules() {
    each(|fx| {
        assert_eq!(fx.link(NOFOLLOW, "sub", "subhard"), Err(Errno::Perm));
        assert_eq!(fx.link(FOLLOW, "in", "subhard"), Err(Errno::Perm));
        assert_eq!(fx.link(NOFOLLOW, "file", "sub"), Err(Errno::Exist));
        assert_eq!(fx.link(NOFOLLOW, "file", "dang"), Err(Errno::Exist));
        assert_eq!(fx.link(NOFOLLOW, "file", "new/"), Err(Errno::Noent));
        assert_eq!(fx.link(NOFOLLOW, "file/", "new"), Err(Errno::Notdir));
        assert_eq!(fx.link(NOFOLLOW, "nothing", "new"), Err(Errno::Noent));
        assert!(!fx.exists("new") && !fx.exists("subhard"));
        assert_eq!(fx.link(NOFOLLOW, "file", "sub/hard"), Ok(()));
        let a = fx.stat(NOFOLLOW, "file").expect("file");
        let b = fx.stat(NOFOLLOW, "in/hard").expect("hard");
        assert_eq!((a.ino, a.nlink), (b.ino, 2));
    });
}

#[test]
fn l3_link_follows_the_source_only_with_symlink_follow() {
    each(|fx| {
        std::os::unix::fs::symlink("file", fx.at("lf")).expect("symlink lf");
        assert_eq!(fx.link(NOFOLLOW, "lf", "copy_of_link"), Ok(()));
        let st = fx.stat(NOFOLLOW, "copy_of_link").expect("stat");
        assert_eq!(st.filetype, FT_SYMBOLIC_LINK);
        assert_eq!(fx.link(FOLLOW, "lf", "copy_of_file"), Ok(()));
        let st = fx.stat(NOFOLLOW, "copy_of_file").expect("stat");
        assert_eq!(st.filetype, FT_REGULAR_FILE);
        assert_eq!(st.ino, fx.stat(NOFOLLOW, "file").expect("file").ino);
        // Links to outside are refused when followed, and linked as links otherwise.
        assert_eq!(fx.link(FOLLOW, "abs", "x"), Err(Errno::Notcapable));
        assert_eq!(fx.link(FOLLOW, "dang", "x"), Err(Errno::Noent));
        assert_eq!(fx.link(NOFOLLOW, "abs", "abs2"), Ok(()));
        assert_eq!(fx.readlink("abs2", 8).map(|r| r.0), Ok(b"/etc".to_vec()));
    });
}

#[test]
fn l3_link_across_host_filesystems_is_xdev() {
    let other = Path::new("/dev/shm");
    let Ok(shm) = fs::metadata(other) else {
        eprintln!("skipped: no /dev/shm");
        return;
    };
    each(|fx| {
        if fs::metadata(&fx.root).expect("root").dev() == shm.dev() {
            eprintln!("skipped: /dev/shm is on the same filesystem as the temp dir");
            return;
        }
        let shm_dir = tempfile::tempdir_in(other).expect("shm temp dir");
        let dir = rustix::fs::open(
            shm_dir.path(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("open shm dir");
        let entry = Entry::new(Host::Owned(dir), Filetype::Directory, FdRights::DIRECTORY);
        fx.cx.table_mut().insert_at(12, entry).expect("insert");
        assert_eq!(fx.link_at(PREOPEN, 0, "file", 12, "f"), Err(Errno::Xdev));
        assert_eq!(fx.rename_at(PREOPEN, "file", 12, "f"), Err(Errno::Xdev));
        assert!(fx.exists("file"));
    });
}

#[test]
fn l4_rename_rules() {
    each(|fx| {
        fs::create_dir(fx.at("empty")).expect("mkdir empty");
        fs::create_dir(fx.at("full")).expect("mkdir full");
        fs::write(fx.at("full/f"), "f").expect("write");
        assert_eq!(fx.rename("sub", "full"), Err(Errno::Notempty));
        assert_eq!(fx.rename("sub", "file"), Err(Errno::Notdir));
        assert_eq!(fx.rename("file", "empty"), Err(Errno::Isdir));
        assert_eq!(fx.rename("file/", "new"), Err(Errno::Notdir));
        assert_eq!(fx.rename("file", "new/"), Err(Errno::Notdir));
        assert_eq!(fx.rename("nothing", "new"), Err(Errno::Noent));
        assert_eq!(fx.rename("sub", "sub/deeper"), Err(Errno::Inval));
        // Trailing slashes are fine on directories; an empty directory is replaced.
        assert_eq!(fx.rename("sub/", "empty/"), Ok(()));
        assert!(fx.exists("empty/inner") && !fx.exists("sub"));
        // A file replaces a file.
        assert_eq!(fx.rename("empty/inner", "file"), Ok(()));
        assert_eq!(fs::read_to_string(fx.at("file")).expect("read"), "inner");
        // Neither name is followed: the link moves, not its target.
        assert_eq!(fx.rename("in", "in2"), Ok(()));
        assert_eq!(
            fs::read_link(fx.at("in2")).expect("link").to_str(),
            Some("sub")
        );
        assert_eq!(fx.rename("file", "dang"), Ok(()));
        assert!(fx.at("dang").is_file() && !fx.exists("missing"));
    });
}
