//! §4.5 path resolution: the symlink zoo through `path_open` and `path_filestat_get`, and
//! paths that leave the preopen, refused by every `path_*` function.

use super::*;

#[test]
fn zoo_plain_and_harmless_dotdot_paths_resolve() {
    each(|fx| {
        for path in ["file", "./file", "sub/../file", "sub//../file"] {
            for flags in [NOFOLLOW, FOLLOW] {
                let fd = fx.open(flags, path, 0, READ).expect(path);
                assert_eq!(fx.read_fd(fd), "data", "{path}");
                let st = fx.stat(flags, path).expect(path);
                assert_eq!((st.filetype, st.size), (FT_REGULAR_FILE, 4), "{path}");
            }
        }
    });
}

#[test]
fn zoo_dotdot_leaving_the_preopen_is_notcapable() {
    each(|fx| {
        for path in [
            "..",
            "../root/file",
            "sub/../../root/file",
            "../outside/secret",
        ] {
            for flags in [NOFOLLOW, FOLLOW] {
                assert_eq!(
                    fx.open(flags, path, 0, READ),
                    Err(Errno::Notcapable),
                    "{path}"
                );
                assert_eq!(
                    fx.stat(flags, path).err(),
                    Some(Errno::Notcapable),
                    "{path}"
                );
            }
        }
    });
}

#[test]
fn zoo_absolute_paths_are_notcapable() {
    each(|fx| {
        for path in ["/file", "/", "/etc/passwd"] {
            assert_eq!(
                fx.open(FOLLOW, path, 0, READ),
                Err(Errno::Notcapable),
                "{path}"
            );
            assert_eq!(
                fx.stat(NOFOLLOW, path).err(),
                Some(Errno::Notcapable),
                "{path}"
            );
        }
    });
}

#[test]
fn zoo_absolute_symlink_target_is_notcapable_when_followed() {
    each(|fx| {
        for flags in [NOFOLLOW, FOLLOW] {
            assert_eq!(
                fx.open(flags, "abs/passwd", 0, READ),
                Err(Errno::Notcapable)
            );
            assert_eq!(fx.stat(flags, "abs/passwd").err(), Some(Errno::Notcapable));
        }
        assert_eq!(fx.open(FOLLOW, "abs", 0, READ), Err(Errno::Notcapable));
        assert_eq!(fx.stat(FOLLOW, "abs").err(), Some(Errno::Notcapable));
        assert_eq!(fx.stat(NOFOLLOW, "abs/").err(), Some(Errno::Notcapable));
    });
}

#[test]
fn zoo_absolute_symlink_stats_as_a_link_without_follow() {
    each(|fx| {
        let st = fx.stat(NOFOLLOW, "abs").expect("lstat abs");
        assert_eq!((st.filetype, st.size), (FT_SYMBOLIC_LINK, 4));
    });
}

#[test]
fn zoo_relative_symlink_escaping_is_notcapable() {
    each(|fx| {
        for path in ["out/x", "out/secret", "out/"] {
            for flags in [NOFOLLOW, FOLLOW] {
                assert_eq!(
                    fx.open(flags, path, 0, READ),
                    Err(Errno::Notcapable),
                    "{path}"
                );
                assert_eq!(
                    fx.stat(flags, path).err(),
                    Some(Errno::Notcapable),
                    "{path}"
                );
            }
        }
        assert_eq!(fx.open(FOLLOW, "out", 0, READ), Err(Errno::Notcapable));
        let rw = READ_WRITE;
        assert_eq!(
            fx.open(FOLLOW, "out/secret", TRUNC, rw),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            fx.open(FOLLOW, "out/new", CREAT, rw),
            Err(Errno::Notcapable)
        );
    });
}

#[test]
fn zoo_symlink_to_a_subdirectory_is_followed() {
    each(|fx| {
        for (flags, path) in [(NOFOLLOW, "in/"), (FOLLOW, "in"), (FOLLOW, "in/")] {
            let st = fx.stat(flags, path).expect(path);
            assert_eq!(st.filetype, FT_DIRECTORY, "{path}");
            let fd = fx
                .open(flags, path, DIRECTORY, Rights::FD_READDIR)
                .expect(path);
            assert_eq!(fx.entry(fd).filetype(), Filetype::Directory);
        }
        let fd = fx.open(NOFOLLOW, "in/inner", 0, READ).expect("in/inner");
        assert_eq!(fx.read_fd(fd), "inner");
    });
}

#[test]
fn zoo_self_loop_is_loop() {
    each(|fx| {
        assert_eq!(fx.open(FOLLOW, "self", 0, READ), Err(Errno::Loop));
        assert_eq!(fx.stat(FOLLOW, "self").err(), Some(Errno::Loop));
        assert_eq!(fx.stat(NOFOLLOW, "self/x").err(), Some(Errno::Loop));
    });
}

#[test]
fn zoo_dangling_symlink_followed_is_noent() {
    each(|fx| {
        assert_eq!(fx.open(FOLLOW, "dang", 0, READ), Err(Errno::Noent));
        assert_eq!(fx.stat(FOLLOW, "dang").err(), Some(Errno::Noent));
        let st = fx.stat(NOFOLLOW, "dang").expect("lstat dang");
        assert_eq!((st.filetype, st.size), (FT_SYMBOLIC_LINK, 7));
        assert!(!fx.exists("missing"));
    });
}

#[test]
fn zoo_trailing_slash_or_dot_on_a_file_is_notdir() {
    each(|fx| {
        for path in ["file/", "file/.", "file/..", "file/x"] {
            assert_eq!(
                fx.open(NOFOLLOW, path, 0, READ),
                Err(Errno::Notdir),
                "{path}"
            );
            assert_eq!(fx.stat(NOFOLLOW, path).err(), Some(Errno::Notdir), "{path}");
        }
    });
}

#[test]
fn zoo_empty_path_is_noent() {
    each(|fx| {
        assert_eq!(fx.open(NOFOLLOW, "", 0, READ), Err(Errno::Noent));
        assert_eq!(fx.stat(FOLLOW, "").err(), Some(Errno::Noent));
        assert_eq!(fx.mkdir(""), Err(Errno::Noent));
        assert_eq!(fx.unlink(""), Err(Errno::Noent));
    });
}

#[test]
fn zoo_nul_is_inval_and_bad_utf8_is_ilseq() {
    each(|fx| {
        assert_eq!(fx.open(NOFOLLOW, "file\0x", 0, READ), Err(Errno::Inval));
        assert_eq!(fx.stat(NOFOLLOW, "file\0x").err(), Some(Errno::Inval));
        let (p, l) = fx.bytes(b"fil\xff");
        let r = fx.call(|cx, mem| path_open(cx, mem, PREOPEN, 0, p, l, CREAT, 0, 0, 0, OUT));
        assert_eq!(r, Err(Errno::Ilseq));
        let r = fx.call(|cx, mem| path_create_directory(cx, mem, PREOPEN, p, l));
        assert_eq!(r, Err(Errno::Ilseq));
        assert_eq!(fx.mkdir("d\0"), Err(Errno::Inval));
    });
}

/// Every function refuses paths that leave the preopen, and nothing outside changes (`each`
/// checks the outside after the case).
#[test]
fn escaping_paths_are_notcapable_in_every_function() {
    each(|fx| {
        for path in [
            "../outside/new",
            "out/new",
            "out/secret",
            "sub/../../outside/x",
            "/new",
            "abs/new",
        ] {
            let nc = Err(Errno::Notcapable);
            assert_eq!(fx.mkdir(path), nc, "mkdir {path}");
            assert_eq!(fx.rmdir(path), nc, "rmdir {path}");
            assert_eq!(fx.unlink(path), nc, "unlink {path}");
            assert_eq!(fx.rename("file", path), nc, "rename to {path}");
            assert_eq!(fx.rename(path, "moved"), nc, "rename from {path}");
            assert_eq!(fx.link(NOFOLLOW, "file", path), nc, "link to {path}");
            assert_eq!(fx.link(FOLLOW, path, "linked"), nc, "link from {path}");
            assert_eq!(fx.symlink("file", path), nc, "symlink at {path}");
            assert_eq!(
                fx.readlink(path, 64).err(),
                Some(Errno::Notcapable),
                "{path}"
            );
            let r = fx.set_times(NOFOLLOW, path, 1, 1, ATIM | MTIM);
            assert_eq!(r, nc, "set_times {path}");
            let r = fx.open(FOLLOW, path, CREAT | TRUNC, READ_WRITE);
            assert_eq!(r, Err(Errno::Notcapable), "open {path}");
        }
        assert!(fx.exists("file") && !fx.exists("moved") && !fx.exists("linked"));
    });
}
