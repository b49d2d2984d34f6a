//! `path_open`: the rights it needs and hands on (R2-R5) and the fd numbers it gives out,
//! then §4.6 O1-O8 (creation, `DIRECTORY` and trailing slashes, final symlinks,
//! directories, fdflags, flag bits, bad pointers).

use super::*;

#[test]
fn path_open_without_path_open_is_notcapable() {
    each(|fx| {
        let rights = FdRights::new(
            FdRights::DIRECTORY.base.difference(Rights::PATH_OPEN),
            FdRights::DIRECTORY.inheriting,
        );
        fx.preopen(PREOPEN, "", rights);
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Err(Errno::Notcapable));
        assert_eq!(
            fx.open(NOFOLLOW, "missing\0", 0, READ),
            Err(Errno::Notcapable)
        );
    });
}

#[test]
fn creat_without_path_create_file_is_notcapable() {
    each(|fx| {
        let rights = FdRights::new(
            FdRights::DIRECTORY
                .base
                .difference(Rights::PATH_CREATE_FILE),
            FdRights::DIRECTORY.inheriting,
        );
        fx.preopen(PREOPEN, "", rights);
        assert_eq!(
            fx.open(NOFOLLOW, "new", CREAT, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            fx.open(NOFOLLOW, "file", CREAT, READ),
            Err(Errno::Notcapable)
        );
        assert!(!fx.exists("new"));
        // Without CREAT the same fd opens existing files.
        assert!(fx.open(NOFOLLOW, "file", 0, READ).is_ok());
    });
}

#[test]
fn trunc_without_path_filestat_set_size_is_notcapable() {
    each(|fx| {
        let rights = FdRights::new(
            FdRights::DIRECTORY
                .base
                .difference(Rights::PATH_FILESTAT_SET_SIZE),
            FdRights::DIRECTORY.inheriting,
        );
        fx.preopen(PREOPEN, "", rights);
        assert_eq!(
            fx.open(NOFOLLOW, "file", TRUNC, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert_eq!(fs::read_to_string(fx.at("file")).expect("read"), "data");
    });
}

#[test]
fn rights_beyond_the_dirs_inheriting_set_are_notcapable() {
    each(|fx| {
        let inheriting = FdRights::DIRECTORY
            .inheriting
            .difference(Rights::FD_WRITE | Rights::FD_DATASYNC | Rights::FD_SYNC);
        fx.preopen(
            PREOPEN,
            "",
            FdRights::new(FdRights::DIRECTORY.base, inheriting),
        );
        let nc = Err(Errno::Notcapable);
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ_WRITE), nc);
        // Requested inheriting rights count too.
        let r = fx.open_at(
            PREOPEN,
            0,
            "sub",
            DIRECTORY,
            Rights::empty(),
            Rights::FD_WRITE,
            0,
        );
        assert_eq!(r, nc);
        // Sync fdflags need FD_DATASYNC / FD_SYNC in the inheriting set.
        let r = fx.open_at(PREOPEN, 0, "file", 0, READ, Rights::empty(), DSYNC);
        assert_eq!(r, nc);
        let r = fx.open_at(PREOPEN, 0, "file", 0, READ, Rights::empty(), SYNC);
        assert_eq!(r, nc);
        // What the directory does pass on is fine, and unknown bits 30-63 are ignored (M5).
        let wide = Rights::from_bits_retain(READ.bits() | 0xffff_ffc0_0000_0000);
        let fd = fx.open_at(PREOPEN, 0, "file", 0, wide, Rights::empty(), 0);
        let fd = fd.expect("wide mask opens");
        assert_eq!(fx.entry(fd).rights().base, READ);
    });
}

#[test]
fn opened_fd_rights_are_narrowed_per_r4() {
    each(|fx| {
        let all = FdRights::DIRECTORY.inheriting;
        // Everything the directory passes on: a regular file gets the file maximum.
        let fd = fx
            .open_at(PREOPEN, 0, "file", 0, all, all, 0)
            .expect("broad open");
        assert_eq!(fx.entry(fd).rights(), FdRights::REGULAR_FILE);
        assert_eq!(fx.entry(fd).filetype(), Filetype::RegularFile);
        // Read-only request: no write rights, whatever else was asked.
        let base = all.difference(
            Rights::FD_WRITE
                | Rights::FD_DATASYNC
                | Rights::FD_ALLOCATE
                | Rights::FD_FILESTAT_SET_SIZE,
        );
        let fd = fx
            .open_at(PREOPEN, 0, "file", 0, base, all, 0)
            .expect("read open");
        let rights = fx.entry(fd).rights();
        assert!(rights.base.contains(Rights::FD_READ | Rights::FD_SEEK));
        assert!(!rights.base.contains(Rights::FD_WRITE));
        assert_eq!(rights.inheriting, Rights::empty());
        // Write-only: no FD_READ.
        let fd = fx.open(NOFOLLOW, "file", 0, Rights::FD_WRITE | Rights::FD_SEEK);
        let rights = fx.entry(fd.expect("write open")).rights();
        assert_eq!(rights.base, Rights::FD_WRITE | Rights::FD_SEEK);
        // A directory opened with FD_SEEK succeeds and silently lacks FD_SEEK.
        let want = Rights::FD_READDIR | Rights::FD_SEEK | Rights::PATH_OPEN;
        let fd = fx
            .open_at(PREOPEN, 0, "sub", DIRECTORY, want, all, 0)
            .expect("open dir");
        let rights = fx.entry(fd).rights();
        assert_eq!(rights.base, Rights::FD_READDIR | Rights::PATH_OPEN);
        assert_eq!(rights.inheriting, all);
        assert_eq!(fx.entry(fd).filetype(), Filetype::Directory);
        // Zero rights: a stat-only handle.
        let fd = fx
            .open(NOFOLLOW, "file", 0, Rights::empty())
            .expect("no rights");
        assert_eq!(fx.entry(fd).rights(), FdRights::NONE);
    });
}

#[test]
fn opened_fd_takes_the_lowest_free_number() {
    each(|fx| {
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(4));
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(5));
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(6));
        drop(fx.cx.table_mut().close(5).expect("close 5"));
        drop(fx.cx.table_mut().close(1).expect("close 1"));
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(1));
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(5));
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(7));
    });
}

#[test]
fn full_table_is_nfile_and_nothing_is_created() {
    each(|fx| {
        // Stdio, the preopen at 3 and one file at 4 fill a 5-number table.
        fx.cx.table = FdTable::with_max_fds(5);
        for fd in 0..3 {
            let stdio = Entry::new(
                Host::Stream(Stream::Null),
                Filetype::CharacterDevice,
                FdRights::TTY,
            );
            fx.cx.table_mut().insert_at(fd, stdio).expect("stdio");
        }
        fx.preopen(PREOPEN, "", FdRights::DIRECTORY);
        assert_eq!(fx.open(NOFOLLOW, "file", 0, READ), Ok(4));
        assert_eq!(
            fx.open(NOFOLLOW, "new", CREAT, READ_WRITE),
            Err(Errno::Nfile)
        );
        assert!(!fx.exists("new"));
    });
}

// ---------------------------------------------------------------------------------------------
// §4.6 O1-O8.

#[test]
fn o1_creat_makes_a_file_with_mode_0666_less_umask() {
    each(|fx| {
        let fd = fx.open(NOFOLLOW, "new", CREAT, READ_WRITE).expect("create");
        assert_eq!(fx.entry(fd).filetype(), Filetype::RegularFile);
        let mode = fs::metadata(fx.at("new"))
            .expect("stat new")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, umasked(&fx.root, 0o666, false));
        // CREAT on an existing file opens it without truncating.
        let fd = fx
            .open(NOFOLLOW, "file", CREAT, READ)
            .expect("open existing");
        assert_eq!(fx.read_fd(fd), "data");
    });
}

#[test]
fn o1_creat_excl_on_any_existing_name_is_exist() {
    each(|fx| {
        for name in ["file", "sub", "dang", "self", "abs", "in", "out"] {
            for flags in [NOFOLLOW, FOLLOW] {
                let r = fx.open(flags, name, CREAT | EXCL, READ_WRITE);
                assert_eq!(r, Err(Errno::Exist), "{name}");
            }
        }
        assert!(!fx.exists("missing"), "EXCL followed the dangling link");
        assert!(fx.open(NOFOLLOW, "fresh", CREAT | EXCL, READ_WRITE).is_ok());
        assert_eq!(
            fx.open(NOFOLLOW, "fresh", CREAT | EXCL, READ_WRITE),
            Err(Errno::Exist)
        );
    });
}

#[test]
fn o2_directory_flag_or_trailing_slash_on_a_file_is_notdir() {
    each(|fx| {
        for flags in [NOFOLLOW, FOLLOW] {
            assert_eq!(fx.open(flags, "file", DIRECTORY, READ), Err(Errno::Notdir));
            assert_eq!(fx.open(flags, "file/", 0, READ), Err(Errno::Notdir));
        }
        let fd = fx
            .open(NOFOLLOW, "sub", DIRECTORY, Rights::FD_READDIR)
            .expect("dir");
        assert_eq!(fx.entry(fd).filetype(), Filetype::Directory);
        let fd = fx.open(NOFOLLOW, "sub/", 0, Rights::empty()).expect("dir/");
        assert_eq!(fx.entry(fd).filetype(), Filetype::Directory);
        let fd = fx
            .open(NOFOLLOW, ".", DIRECTORY, Rights::FD_READDIR)
            .expect(".");
        assert_eq!(fx.entry(fd).filetype(), Filetype::Directory);
    });
}

#[test]
fn o3_final_symlink_without_follow_is_loop() {
    each(|fx| {
        std::os::unix::fs::symlink("file", fx.at("lf")).expect("symlink lf");
        for name in ["lf", "in", "dang", "abs", "self", "out"] {
            assert_eq!(fx.open(NOFOLLOW, name, 0, READ), Err(Errno::Loop), "{name}");
            let r = fx.open(NOFOLLOW, name, DIRECTORY, Rights::FD_READDIR);
            assert_eq!(r, Err(Errno::Loop), "{name} with DIRECTORY");
        }
        let fd = fx.open(FOLLOW, "lf", 0, READ).expect("follow lf");
        assert_eq!(fx.read_fd(fd), "data");
    });
}

#[test]
fn o4_creat_through_a_dangling_symlink_creates_the_target_inside() {
    each(|fx| {
        // Without SYMLINK_FOLLOW nothing is created through the link.
        assert_eq!(
            fx.open(NOFOLLOW, "dang", CREAT, READ_WRITE),
            Err(Errno::Loop)
        );
        assert!(!fx.exists("missing"));
        let fd = fx
            .open(FOLLOW, "dang", CREAT, READ_WRITE)
            .expect("create through link");
        assert!(
            fs::symlink_metadata(fx.at("missing"))
                .expect("target")
                .is_file()
        );
        assert!(
            fs::symlink_metadata(fx.at("dang"))
                .expect("link")
                .is_symlink()
        );
        rustix::io::write(fx.host_fd(fd), b"new").expect("write");
        assert_eq!(fs::read_to_string(fx.at("missing")).expect("read"), "new");
    });
}

#[test]
fn o4_creat_through_a_dangling_symlink_pointing_outside_is_notcapable() {
    each(|fx| {
        std::os::unix::fs::symlink("../outside/new", fx.at("esc")).expect("symlink esc");
        std::os::unix::fs::symlink("/tmp/wisp-path-test-never", fx.at("escabs")).expect("link");
        for name in ["esc", "escabs"] {
            let r = fx.open(FOLLOW, name, CREAT, READ_WRITE);
            assert_eq!(r, Err(Errno::Notcapable), "{name}");
            assert_eq!(fx.open(NOFOLLOW, name, CREAT, READ_WRITE), Err(Errno::Loop));
        }
        assert!(!Path::new("/tmp/wisp-path-test-never").exists());
    });
}

#[test]
fn o5_directory_with_write_rights_or_trunc_is_isdir() {
    each(|fx| {
        let isdir = Err(Errno::Isdir);
        for base in [
            Rights::FD_WRITE,
            READ_WRITE,
            Rights::FD_DATASYNC,
            Rights::FD_ALLOCATE,
            Rights::FD_FILESTAT_SET_SIZE,
        ] {
            assert_eq!(fx.open(NOFOLLOW, "sub", 0, base), isdir, "{base}");
            assert_eq!(fx.open(NOFOLLOW, "sub", DIRECTORY, base), isdir, "{base}");
        }
        assert_eq!(fx.open(NOFOLLOW, "sub", TRUNC, Rights::FD_READ), isdir);
        assert_eq!(
            fx.open(NOFOLLOW, "sub", DIRECTORY | TRUNC, Rights::empty()),
            isdir
        );
        assert_eq!(fx.open(NOFOLLOW, "sub", CREAT, Rights::FD_READ), isdir);
        assert_eq!(fx.open(NOFOLLOW, ".", TRUNC, Rights::empty()), isdir);
        assert!(fx.open(NOFOLLOW, "sub", DIRECTORY, Rights::empty()).is_ok());
        assert!(
            fx.open(NOFOLLOW, "sub", 0, Rights::FD_READ | Rights::FD_READDIR)
                .is_ok()
        );
        assert_eq!(
            fs::read_to_string(fx.at("sub/inner")).expect("inner"),
            "inner"
        );
    });
}

#[test]
fn o5_trunc_empties_a_file() {
    each(|fx| {
        let fd = fx.open(NOFOLLOW, "file", TRUNC, READ_WRITE).expect("trunc");
        assert_eq!(fx.read_fd(fd), "");
        assert_eq!(fs::metadata(fx.at("file")).expect("stat").len(), 0);
    });
}

#[test]
fn o7_fdflags_reach_the_host_and_are_recorded() {
    each(|fx| {
        let fd = fx.open_at(PREOPEN, 0, "file", 0, READ_WRITE, Rights::empty(), APPEND);
        let fd = fd.expect("append open");
        assert_eq!(fx.entry(fd).fdflags(), Fdflags::APPEND);
        rustix::io::write(fx.host_fd(fd), b"+more").expect("write");
        assert_eq!(
            fs::read_to_string(fx.at("file")).expect("read"),
            "data+more"
        );
        for (fdflags, wasi, host) in [
            (NONBLOCK, Fdflags::NONBLOCK, OFlags::NONBLOCK),
            (DSYNC, Fdflags::DSYNC, OFlags::DSYNC),
            (SYNC, Fdflags::SYNC, OFlags::SYNC),
            (
                APPEND | NONBLOCK,
                Fdflags::APPEND | Fdflags::NONBLOCK,
                OFlags::APPEND | OFlags::NONBLOCK,
            ),
        ] {
            let fd = fx.open_at(PREOPEN, 0, "file", 0, READ_WRITE, Rights::empty(), fdflags);
            let fd = fd.expect("open with fdflags");
            assert_eq!(fx.entry(fd).fdflags(), wasi);
            let got = rustix::fs::fcntl_getfl(fx.host_fd(fd)).expect("getfl");
            assert!(got.contains(host), "{fdflags:#x}: host flags {got:?}");
        }
        // Opened fds are close-on-exec.
        let fd = fx.open(NOFOLLOW, "file", 0, READ).expect("open");
        let cloexec = rustix::io::fcntl_getfd(fx.host_fd(fd)).expect("getfd");
        assert!(cloexec.contains(rustix::io::FdFlags::CLOEXEC));
    });
}

#[test]
fn o8_opened_directory_keeps_its_handle_across_a_host_rename() {
    each(|fx| {
        let (base, all) = (FdRights::DIRECTORY.base, FdRights::DIRECTORY.inheriting);
        let dir = fx
            .open_at(PREOPEN, 0, "sub", DIRECTORY, base, all, 0)
            .expect("open sub");
        fs::rename(fx.at("sub"), fx.at("moved")).expect("host rename");
        fs::create_dir(fx.at("sub")).expect("decoy");
        let st = fx
            .stat_at(dir, NOFOLLOW, "inner")
            .expect("stat through the handle");
        assert_eq!(st.size, 5);
        let r = fx.open_at(dir, 0, "made", CREAT, READ_WRITE, Rights::empty(), 0);
        assert!(r.is_ok());
        assert!(fx.exists("moved/made") && !fx.exists("sub/made"));
        // The opened directory is a sandbox root of its own.
        assert_eq!(
            fx.stat_at(dir, NOFOLLOW, "../file").err(),
            Some(Errno::Notcapable)
        );
    });
}

#[test]
fn creat_with_directory_is_inval() {
    each(|fx| {
        let r = fx.open(NOFOLLOW, "newdir", CREAT | DIRECTORY, Rights::empty());
        assert_eq!(r, Err(Errno::Inval));
        assert_eq!(
            fx.open(NOFOLLOW, "sub", CREAT | DIRECTORY, Rights::empty()),
            Err(Errno::Inval)
        );
        assert!(!fx.exists("newdir"));
    });
}

#[test]
fn unknown_flag_bits_are_inval() {
    each(|fx| {
        let inval = Err(Errno::Inval);
        let open_inval = Err(Errno::Inval);
        assert_eq!(
            fx.open(NOFOLLOW, "new", CREAT | 0x10, READ_WRITE),
            open_inval
        );
        assert_eq!(fx.open(2, "new", CREAT, READ_WRITE), open_inval);
        let r = fx.open_at(PREOPEN, 0, "new", CREAT, READ_WRITE, Rights::empty(), 0x20);
        assert_eq!(r, open_inval);
        assert_eq!(fx.stat(2, "file").err(), Some(Errno::Inval));
        assert_eq!(fx.link(2, "file", "new"), inval);
        assert_eq!(fx.set_times(0, "file", 0, 0, 0x10), inval);
        assert_eq!(fx.set_times(0x100, "file", 0, 0, MTIM_NOW), inval);
        assert!(!fx.exists("new"));
    });
}

#[test]
fn bad_pointers_are_overflow_and_nothing_is_created() {
    each(|fx| {
        let before = fx.cx.table().len();
        let (p, l) = fx.s("new");
        let r = fx.call(|cx, mem| path_open(cx, mem, PREOPEN, 0, p, l, CREAT, 0, 0, 0, BAD_PTR));
        assert_eq!(r, Err(Errno::Overflow));
        let r =
            fx.call(|cx, mem| path_open(cx, mem, PREOPEN, 0, MEM_SIZE - 1, 3, CREAT, 0, 0, 0, OUT));
        assert_eq!(r, Err(Errno::Overflow));
        let r = fx.call(|cx, mem| path_open(cx, mem, PREOPEN, 0, u32::MAX, 2, CREAT, 0, 0, 0, OUT));
        assert_eq!(r, Err(Errno::Overflow));
        assert!(!fx.exists("new"));
        assert_eq!(fx.cx.table().len(), before, "an fd was left behind");
        let r = fx.call(|cx, mem| path_create_directory(cx, mem, PREOPEN, MEM_SIZE, 1));
        assert_eq!(r, Err(Errno::Overflow));
        let (tp, tl) = fx.s("file");
        let r = fx.call(|cx, mem| path_symlink(cx, mem, tp, tl, PREOPEN, MEM_SIZE - 1, 2));
        assert_eq!(r, Err(Errno::Overflow));
        let r = fx.call(|cx, mem| path_symlink(cx, mem, MEM_SIZE - 1, 2, PREOPEN, p, l));
        assert_eq!(r, Err(Errno::Overflow));
        assert!(!fx.exists("new"));
        // A zero-length path at the very end of memory is in bounds (and empty: NOENT).
        let r = fx.call(|cx, mem| path_create_directory(cx, mem, PREOPEN, MEM_SIZE, 0));
        assert_eq!(r, Err(Errno::Noent));
    });
}
