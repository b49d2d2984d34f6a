//! §4.9 L1-L2: `path_readlink` and `path_symlink`.

use super::*;

#[test]
fn l1_readlink_of_a_non_link_is_inval() {
    each(|fx| {
        for path in ["file", "sub", "."] {
            assert_eq!(fx.readlink(path, 64).err(), Some(Errno::Inval), "{path}");
        }
        assert_eq!(fx.readlink("missing", 64).err(), Some(Errno::Noent));
        // A trailing slash follows the link: a directory is not a link.
        assert_eq!(fx.readlink("in/", 64).err(), Some(Errno::Inval));
    });
}

#[test]
fn l1_readlink_returns_the_target_and_truncates_to_a_short_buffer() {
    each(|fx| {
        assert_eq!(fx.readlink("abs", 64), Ok((b"/etc".to_vec(), 4)));
        assert_eq!(fx.readlink("out", 64), Ok((b"../outside".to_vec(), 10)));
        assert_eq!(fx.readlink("in/../dang", 64), Ok((b"missing".to_vec(), 7)));
        fx.mem[BUF as usize..BUF as usize + 8].fill(0xaa);
        assert_eq!(fx.readlink("abs", 2), Ok((b"/e".to_vec(), 2)));
        assert_eq!(fx.mem[BUF as usize + 2], 0xaa, "wrote past buf_len");
        assert_eq!(fx.readlink("abs", 0), Ok((Vec::new(), 0)));
    });
}

#[test]
fn l1_readlink_bad_pointers_are_overflow_and_write_nothing() {
    each(|fx| {
        let (p, l) = fx.s("abs");
        fx.mem[BUF as usize..BUF as usize + 8].fill(0xaa);
        let r = fx.call(|cx, mem| path_readlink(cx, mem, PREOPEN, p, l, BUF, 16, BAD_PTR));
        assert_eq!(r, Err(Errno::Overflow));
        let r = fx.call(|cx, mem| path_readlink(cx, mem, PREOPEN, p, l, MEM_SIZE - 4, 16, OUT));
        assert_eq!(r, Err(Errno::Overflow));
        assert_eq!(fx.mem[BUF as usize], 0xaa);
    });
}

#[test]
fn l2_symlink_with_an_absolute_target_is_perm() {
    each(|fx| {
        assert_eq!(fx.symlink("/etc", "newabs"), Err(Errno::Perm));
        assert_eq!(fx.symlink("/", "newabs"), Err(Errno::Perm));
        assert!(!fx.exists("newabs"));
    });
}

#[test]
fn l2_symlink_target_is_stored_verbatim() {
    each(|fx| {
        for (target, link) in [
            ("../outside/secret", "up"),
            ("a//b/./c/", "odd"),
            ("sub/../file", "via"),
        ] {
            assert_eq!(fx.symlink(target, link), Ok(()), "{link}");
            let stored = fs::read_link(fx.at(link)).expect("host readlink");
            assert_eq!(stored.to_str(), Some(target));
            assert_eq!(
                fx.readlink(link, 64).map(|r| r.0),
                Ok(target.as_bytes().to_vec())
            );
        }
        // Creation is allowed; following the escaping link is not.
        assert_eq!(fx.open(FOLLOW, "up", 0, READ), Err(Errno::Notcapable));
        let fd = fx.open(FOLLOW, "via", 0, READ).expect("via");
        assert_eq!(fx.read_fd(fd), "data");
        // The link is made in a subdirectory when the link path says so.
        assert_eq!(fx.symlink("inner", "sub/l"), Ok(()));
        assert_eq!(fx.stat(FOLLOW, "sub/l").map(|s| s.size), Ok(5));
        assert_eq!(fx.symlink("x", "in/l2"), Ok(()));
        assert!(fx.exists("sub/l2"));
    });
}

#[test]
fn l2_symlink_onto_existing_names_and_trailing_slashes() {
    each(|fx| {
        assert_eq!(fx.symlink("x", "new/"), Err(Errno::Noent));
        assert!(!fx.exists("new"));
        assert_eq!(fx.symlink("x", "sub/"), Err(Errno::Exist));
        assert_eq!(fx.symlink("x", "file/"), Err(Errno::Notdir));
        for name in ["file", "sub", "dang", "self", "in"] {
            assert_eq!(fx.symlink("x", name), Err(Errno::Exist), "{name}");
        }
        assert_eq!(fx.symlink("x", "."), Err(Errno::Exist));
        assert_eq!(fx.symlink("", "empty"), Err(Errno::Noent));
        // A trailing slash follows the existing name to decide (Linux semantics).
        assert_eq!(fx.symlink("x", "dang/"), Err(Errno::Exist));
        assert_eq!(fx.symlink("x", "in/"), Err(Errno::Exist));
        assert!(!fx.exists("missing"));
    });
}
