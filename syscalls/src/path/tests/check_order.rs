//! The order of checks in every `path_*` function: BADF, NOTDIR, NOTCAPABLE, then the path
//! (§4.5 step 1, F2, R1, R6); each function succeeds with only its own right, and the
//! two-fd calls check both fds.

use super::*;

type PathCall = fn(&mut Fx, u32, (u32, u32)) -> Result<(), Errno>;

/// Each path function, called on dir fd `fd` (both fds for link and rename) with the path
/// `(ptr, len)` (both paths for link, rename and symlink), and the right it needs.
fn every_function() -> Vec<(&'static str, Rights, PathCall)> {
    vec![
        (
            "path_create_directory",
            Rights::PATH_CREATE_DIRECTORY,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_create_directory(cx, mem, fd, p, l)),
        ),
        (
            "path_filestat_get",
            Rights::PATH_FILESTAT_GET,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_filestat_get(cx, mem, fd, 0, p, l, BUF)),
        ),
        (
            "path_filestat_set_times",
            Rights::PATH_FILESTAT_SET_TIMES,
            |fx, fd, (p, l)| {
                fx.call(|cx, mem| path_filestat_set_times(cx, mem, fd, 0, p, l, 0, 0, MTIM_NOW))
            },
        ),
        (
            "path_link (source)",
            Rights::PATH_LINK_SOURCE,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_link(cx, mem, fd, 0, p, l, PREOPEN, p, l)),
        ),
        (
            "path_link (target)",
            Rights::PATH_LINK_TARGET,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_link(cx, mem, PREOPEN, 0, p, l, fd, p, l)),
        ),
        ("path_open", Rights::PATH_OPEN, |fx, fd, (p, l)| {
            fx.call(|cx, mem| path_open(cx, mem, fd, 0, p, l, CREAT, 0, 0, 0, OUT))
        }),
        ("path_readlink", Rights::PATH_READLINK, |fx, fd, (p, l)| {
            fx.call(|cx, mem| path_readlink(cx, mem, fd, p, l, BUF, 16, OUT))
        }),
        (
            "path_remove_directory",
            Rights::PATH_REMOVE_DIRECTORY,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_remove_directory(cx, mem, fd, p, l)),
        ),
        (
            "path_rename (source)",
            Rights::PATH_RENAME_SOURCE,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_rename(cx, mem, fd, p, l, PREOPEN, p, l)),
        ),
        (
            "path_rename (target)",
            Rights::PATH_RENAME_TARGET,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_rename(cx, mem, PREOPEN, p, l, fd, p, l)),
        ),
        ("path_symlink", Rights::PATH_SYMLINK, |fx, fd, (p, l)| {
            fx.call(|cx, mem| path_symlink(cx, mem, p, l, fd, p, l))
        }),
        (
            "path_unlink_file",
            Rights::PATH_UNLINK_FILE,
            |fx, fd, (p, l)| fx.call(|cx, mem| path_unlink_file(cx, mem, fd, p, l)),
        ),
    ]
}

#[test]
fn checks_run_in_order_badf_notdir_notcapable_then_path() {
    each(|fx| {
        let file_fd = fx.open(NOFOLLOW, "file", 0, READ).expect("open file");
        let oob = (MEM_SIZE - 1, 8);
        let nul = fx.s("new\0");
        let good = fx.s("new");
        for (name, right, f) in every_function() {
            // BADF beats everything, including a path outside memory.
            assert_eq!(f(fx, 99, oob), Err(Errno::Badf), "{name}");
            assert_eq!(f(fx, u32::MAX, oob), Err(Errno::Badf), "{name}");
            // A stream (stdio) and a regular file are not directories.
            assert_eq!(f(fx, 0, oob), Err(Errno::Notdir), "{name}");
            assert_eq!(f(fx, file_fd, oob), Err(Errno::Notdir), "{name}");
            // Missing right beats a bad path.
            let lacking = FdRights::new(
                FdRights::DIRECTORY.base.difference(right),
                FdRights::DIRECTORY.inheriting,
            );
            fx.preopen(10, "", lacking);
            assert_eq!(f(fx, 10, oob), Err(Errno::Notcapable), "{name}");
            assert_eq!(f(fx, 10, nul), Err(Errno::Notcapable), "{name}");
            assert_eq!(f(fx, 10, good), Err(Errno::Notcapable), "{name}");
            // Then the path: out of bounds, NUL.
            assert_eq!(f(fx, PREOPEN, oob), Err(Errno::Overflow), "{name}");
            assert_eq!(f(fx, PREOPEN, nul), Err(Errno::Inval), "{name}");
            assert!(!fx.exists("new"), "{name} created something");
        }
    });
}

#[test]
fn each_function_succeeds_with_only_its_own_right() {
    each(|fx| {
        let only = |base: Rights| FdRights::new(base, Rights::empty());
        fx.preopen(PREOPEN, "", only(Rights::PATH_CREATE_DIRECTORY));
        assert_eq!(fx.mkdir("d"), Ok(()));
        fx.preopen(PREOPEN, "", only(Rights::PATH_REMOVE_DIRECTORY));
        assert_eq!(fx.rmdir("d"), Ok(()));
        fx.preopen(PREOPEN, "", only(Rights::PATH_FILESTAT_GET));
        assert!(fx.stat(NOFOLLOW, "file").is_ok());
        fx.preopen(PREOPEN, "", only(Rights::PATH_FILESTAT_SET_TIMES));
        assert_eq!(fx.set_times(NOFOLLOW, "file", 0, 0, MTIM_NOW), Ok(()));
        fx.preopen(PREOPEN, "", only(Rights::PATH_SYMLINK));
        assert_eq!(fx.symlink("file", "lnk"), Ok(()));
        fx.preopen(PREOPEN, "", only(Rights::PATH_READLINK));
        assert_eq!(fx.readlink("lnk", 8), Ok((b"file".to_vec(), 4)));
        fx.preopen(
            PREOPEN,
            "",
            FdRights::new(Rights::PATH_OPEN, Rights::FD_READ),
        );
        let fd = fx
            .open(FOLLOW, "lnk", 0, Rights::FD_READ)
            .expect("open with PATH_OPEN only");
        assert_eq!(fx.read_fd(fd), "data");
        fx.preopen(
            PREOPEN,
            "",
            only(Rights::PATH_LINK_SOURCE | Rights::PATH_LINK_TARGET),
        );
        assert_eq!(fx.link(NOFOLLOW, "file", "hard"), Ok(()));
        fx.preopen(
            PREOPEN,
            "",
            only(Rights::PATH_RENAME_SOURCE | Rights::PATH_RENAME_TARGET),
        );
        assert_eq!(fx.rename("hard", "hard2"), Ok(()));
        fx.preopen(PREOPEN, "", only(Rights::PATH_UNLINK_FILE));
        assert_eq!(fx.unlink("hard2"), Ok(()));
        assert!(!fx.exists("hard") && !fx.exists("hard2") && !fx.exists("d"));
    });
}

#[test]
fn two_fd_calls_check_both_fds() {
    each(|fx| {
        // new_fd closed, not a directory, lacking its right: each refused, nothing changes.
        let file_fd = fx.open(NOFOLLOW, "file", 0, READ).expect("open file");
        let targets = Rights::PATH_LINK_TARGET | Rights::PATH_RENAME_TARGET;
        let lacking = FdRights::new(
            FdRights::DIRECTORY.base.difference(targets),
            FdRights::DIRECTORY.inheriting,
        );
        fx.preopen(10, "", lacking);
        for (new_fd, errno) in [
            (99, Errno::Badf),
            (file_fd, Errno::Notdir),
            (10, Errno::Notcapable),
        ] {
            assert_eq!(fx.link_at(PREOPEN, 0, "file", new_fd, "l"), Err(errno));
            assert_eq!(fx.rename_at(PREOPEN, "file", new_fd, "r"), Err(errno));
        }
        // The old fd is checked first.
        assert_eq!(fx.link_at(99, 0, "file", file_fd, "l"), Err(Errno::Badf));
        assert_eq!(fx.rename_at(file_fd, "file", 99, "r"), Err(Errno::Notdir));
        assert!(fx.exists("file") && !fx.exists("l") && !fx.exists("r"));
        // Two different directory fds: each path is resolved against its own fd.
        fx.preopen(11, "sub", FdRights::DIRECTORY);
        assert_eq!(fx.rename_at(PREOPEN, "file", 11, "moved"), Ok(()));
        assert!(fx.exists("sub/moved") && !fx.exists("file"));
        assert_eq!(fx.link_at(11, 0, "moved", PREOPEN, "back"), Ok(()));
        assert_eq!(fs::read_to_string(fx.at("back")).expect("read"), "data");
        assert_eq!(
            fx.rename_at(11, "../moved", PREOPEN, "x"),
            Err(Errno::Notcapable)
        );
    });
}
