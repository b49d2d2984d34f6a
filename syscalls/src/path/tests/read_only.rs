//! Read-only preopens (`DirPerms::READ`, `FilePerms::READ`): every call that would change the
//! tree is `NOTCAPABLE` and leaves the host tree as it was, reads still work, no host file is
//! ever opened for writing, and no descriptor reached through the preopen regains a right.

use super::*;
use crate::fd::{
    fd_allocate, fd_datasync, fd_fdstat_get, fd_fdstat_set_rights, fd_filestat_set_size,
    fd_filestat_set_times, fd_pwrite, fd_read, fd_readdir, fd_renumber, fd_sync, fd_write,
};
use wisp_fdtable::{DirPerms, FilePerms};

/// The rights of a read-only preopen.
fn read_only() -> FdRights {
    FdRights::preopen(DirPerms::READ, FilePerms::READ)
}

/// The errno of every refused call: NOTCAPABLE (76), as for any missing right (R1).
fn nc<T>() -> Result<T, Errno> {
    Err(Errno::Notcapable)
}

/// Where `fd_fdstat_get` writes (24 bytes).
const FDSTAT: u32 = 512;
/// Where iovec arrays go.
const IOVS: u32 = 1024;
/// Where data read or written goes.
const DATA: u32 = 2048;
/// A second preopen, read-write, over `root/sub`.
const RW: u32 = 10;

impl Fx {
    /// The zoo with an empty `empty/` added, the preopen at fd 3 made read-only (over the same
    /// host directory) and a read-write preopen of `root/sub` at fd 10.
    fn read_only(manual: bool) -> Fx {
        let mut fx = Fx::new(manual);
        fs::create_dir(fx.at("empty")).expect("mkdir empty");
        fx.preopen(PREOPEN, "", read_only());
        fx.preopen(RW, "sub", FdRights::DIRECTORY);
        fx
    }

    /// `fd_fdstat_get` through the preview1 or the snapshot-0 function:
    /// (filetype, base, inheriting).
    fn fdstat(&mut self, fd: u32, unstable: bool) -> Result<(u8, Rights, Rights), Errno> {
        if unstable {
            self.call(|cx, mem| crate::unstable::fd_fdstat_get(cx, mem, fd, FDSTAT))?;
        } else {
            self.call(|cx, mem| fd_fdstat_get(cx, mem, fd, FDSTAT))?;
        }
        Ok((
            self.mem[FDSTAT as usize],
            Rights::from_bits_retain(self.read_u64(FDSTAT + 8)),
            Rights::from_bits_retain(self.read_u64(FDSTAT + 16)),
        ))
    }

    /// Opens `path` beneath `fd` the way wasi-libc does: it asks for `wanted` masked with the
    /// directory's inheriting set, and passes that whole set on (R5).
    fn libc_open(
        &mut self,
        fd: u32,
        path: &str,
        oflags: u32,
        wanted: Rights,
    ) -> Result<u32, Errno> {
        let inheriting = self.entry(fd).rights().inheriting;
        self.open_at(fd, FOLLOW, path, oflags, wanted & inheriting, inheriting, 0)
    }

    /// The host access mode of `fd`'s handle.
    fn host_access(&self, fd: u32) -> Access {
        Access::from_oflags(rustix::fs::fcntl_getfl(self.host_fd(fd)).expect("F_GETFL"))
    }

    /// Lays out one iovec over `data` at [`DATA`]; returns the iovec array's address.
    fn iovec(&mut self, data: &[u8]) -> u32 {
        let at = DATA as usize;
        self.mem[at..at + data.len()].copy_from_slice(data);
        self.mem[IOVS as usize..IOVS as usize + 4].copy_from_slice(&DATA.to_le_bytes());
        let len = data.len() as u32;
        self.mem[IOVS as usize + 4..IOVS as usize + 8].copy_from_slice(&len.to_le_bytes());
        IOVS
    }

    fn write_fd(&mut self, fd: u32, data: &[u8]) -> Result<u32, Errno> {
        let iovs = self.iovec(data);
        self.call(|cx, mem| fd_write(cx, mem, fd, iovs, 1, OUT))?;
        Ok(self.read_u32(OUT))
    }

    fn read_via_wasi(&mut self, fd: u32) -> Result<Vec<u8>, Errno> {
        let iovs = self.iovec(&[0; 64]);
        self.call(|cx, mem| fd_read(cx, mem, fd, iovs, 1, OUT))?;
        let n = self.read_u32(OUT) as usize;
        Ok(self.mem[DATA as usize..DATA as usize + n].to_vec())
    }

    /// Every name `fd_readdir` lists for `fd` (one 4 KiB read from cookie 0).
    fn readdir_names(&mut self, fd: u32) -> Result<Vec<String>, Errno> {
        const LEN: u32 = 4096;
        self.call(|cx, mem| fd_readdir(cx, mem, fd, DATA, LEN, 0, OUT))?;
        let used = self.read_u32(OUT);
        assert!(used < LEN, "the zoo fits one read");
        let mut names = Vec::new();
        let mut at = DATA;
        while at < DATA + used {
            let namlen = self.read_u32(at + 16);
            let start = (at + 24) as usize;
            let name = &self.mem[start..start + namlen as usize];
            names.push(String::from_utf8(name.to_vec()).expect("UTF-8 name"));
            at += 24 + namlen;
        }
        names.sort();
        Ok(names)
    }
}

/// One line per object beneath `root` (type, mode, size, link count, mtime, ctime, and the
/// contents or link target): any change a refused call made would show up.
fn snapshot_tree(root: &Path) -> Vec<String> {
    fn walk(dir: &Path, rel: &str, lines: &mut Vec<String>) {
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let rel = format!("{rel}/{name}");
            let meta = fs::symlink_metadata(&path).expect("lstat");
            let mut line = format!(
                "{rel}: mode={:o} size={} nlink={} mtime={}.{} ctime={}.{}",
                meta.mode(),
                meta.size(),
                meta.nlink(),
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ctime(),
                meta.ctime_nsec()
            );
            if meta.is_file() {
                line.push_str(&format!(" {:?}", fs::read(&path).expect("read")));
            } else if meta.is_symlink() {
                line.push_str(&format!(
                    " -> {:?}",
                    fs::read_link(&path).expect("readlink")
                ));
            }
            lines.push(line);
            if meta.is_dir() {
                walk(&path, &rel, lines);
            }
        }
    }
    let meta = fs::metadata(root).expect("stat root");
    let mut lines = vec![format!(
        "root: mode={:o} mtime={}.{} ctime={}.{}",
        meta.mode(),
        meta.mtime(),
        meta.mtime_nsec(),
        meta.ctime(),
        meta.ctime_nsec()
    )];
    walk(root, "", &mut lines);
    lines
}

/// Runs `case` on a fresh read-only fixture with each resolver; afterwards neither the
/// preopen's host tree nor anything outside it has changed.
fn each_read_only(case: impl Fn(&mut Fx)) {
    for manual in [true, false] {
        eprintln!("resolver: {}", if manual { "manual" } else { "default" });
        let mut fx = Fx::read_only(manual);
        let before = snapshot_tree(&fx.root);
        case(&mut fx);
        assert_eq!(
            snapshot_tree(&fx.root),
            before,
            "the read-only tree changed"
        );
        fx.assert_outside_untouched();
    }
}

// ---------------------------------------------------------------------------------------------
// What the guest sees.

#[test]
fn fdstat_reports_the_reduced_rights_in_both_abis() {
    each_read_only(|fx| {
        for unstable in [false, true] {
            let (filetype, base, inheriting) = fx.fdstat(PREOPEN, unstable).expect("fdstat");
            assert_eq!(filetype, FT_DIRECTORY);
            assert_eq!(base.bits(), 0x0824_E098, "{base}");
            assert_eq!(inheriting.bits(), 0x0824_E0AE, "{inheriting}");
            // The read-write preopen next to it still reports the full sets.
            let (_, base, inheriting) = fx.fdstat(RW, unstable).expect("fdstat");
            assert_eq!(FdRights::new(base, inheriting), FdRights::DIRECTORY);
        }
        // What is opened beneath reports its own, narrower rights, in both ABIs too.
        let file = fx
            .libc_open(PREOPEN, "file", 0, Rights::all())
            .expect("open file");
        let sub = fx
            .libc_open(PREOPEN, "sub", DIRECTORY, Rights::all())
            .expect("open sub");
        for unstable in [false, true] {
            let (filetype, base, inheriting) = fx.fdstat(file, unstable).expect("fdstat");
            assert_eq!(filetype, FT_REGULAR_FILE);
            assert_eq!(base, read_only().inheriting & FdRights::REGULAR_FILE.base);
            assert!(!base.intersects(FilePerms::WRITE_RIGHTS), "{base}");
            assert_eq!(inheriting, Rights::empty());
            let (filetype, base, inheriting) = fx.fdstat(sub, unstable).expect("fdstat");
            assert_eq!(filetype, FT_DIRECTORY);
            assert_eq!(base, read_only().inheriting & FdRights::DIRECTORY.base);
            assert!(!base.intersects(DirPerms::MUTATE_RIGHTS), "{base}");
            assert_eq!(inheriting, read_only().inheriting);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Refused: every call that changes the tree, with NOTCAPABLE (76), before the path is looked at.

#[test]
fn every_mutating_path_call_is_notcapable() {
    each_read_only(|fx| {
        assert_eq!(Errno::Notcapable.raw(), 76);
        // New names and existing ones alike: the right is checked before the path.
        for path in ["new", "sub", "file", "empty", "dang", "in"] {
            assert_eq!(fx.mkdir(path), nc(), "mkdir {path}");
            assert_eq!(fx.rmdir(path), nc(), "rmdir {path}");
            assert_eq!(fx.unlink(path), nc(), "unlink {path}");
            assert_eq!(fx.symlink("file", path), nc(), "symlink {path}");
            assert_eq!(fx.rename(path, "moved"), nc(), "rename {path}");
            assert_eq!(fx.rename("file", path), nc(), "rename onto {path}");
            assert_eq!(fx.link(NOFOLLOW, "file", path), nc(), "link {path}");
            assert_eq!(fx.link(FOLLOW, path, "linked"), nc(), "link from {path}");
            for flags in [NOFOLLOW, FOLLOW] {
                let r = fx.set_times(flags, path, 1, 1, ATIM | MTIM);
                assert_eq!(r, nc(), "set_times {path}");
                assert_eq!(fx.set_times(flags, path, 0, 0, MTIM_NOW), nc(), "{path}");
                // Even a call that would change nothing needs the right.
                assert_eq!(fx.set_times(flags, path, 0, 0, 0), nc(), "{path}");
            }
        }
        // The preopen's own times.
        let r = fx.call(|cx, mem| fd_filestat_set_times(cx, mem, PREOPEN, 1, 1, ATIM | MTIM));
        assert_eq!(r, nc());
        assert!(!fx.exists("new") && !fx.exists("moved") && !fx.exists("linked"));
    });
}

#[test]
fn path_open_that_would_create_truncate_or_write_is_notcapable() {
    each_read_only(|fx| {
        for path in ["new", "file", "dang", "sub/new", "sub/inner"] {
            for oflags in [
                CREAT,
                CREAT | EXCL,
                TRUNC,
                CREAT | TRUNC,
                CREAT | EXCL | TRUNC,
            ] {
                for base in [Rights::empty(), READ, READ_WRITE] {
                    let r = fx.open(FOLLOW, path, oflags, base);
                    assert_eq!(r, nc(), "{path} oflags {oflags:#x} {base}");
                }
                // wasi-libc masks what it asks for, but CREAT and TRUNC need base rights
                // on the directory, which no mask can supply.
                let r = fx.libc_open(PREOPEN, path, oflags, Rights::all());
                assert_eq!(r, nc(), "libc {path} oflags {oflags:#x}");
            }
        }
        // Each right the inheriting set lacks is refused on its own, for files and dirs.
        for right in read_only().inheriting.complement().iter() {
            for (path, oflags) in [("file", 0), ("sub", DIRECTORY)] {
                let r = fx.open(NOFOLLOW, path, oflags, right);
                assert_eq!(r, nc(), "{path} {right}");
                let r = fx.open_at(PREOPEN, 0, path, oflags, READ, right, 0);
                assert_eq!(r, nc(), "{path} inheriting {right}");
            }
        }
        // So are the sync fdflags, which need FD_DATASYNC or FD_SYNC.
        for fdflags in [DSYNC, SYNC, 0x8 /* RSYNC */] {
            let r = fx.open_at(PREOPEN, 0, "file", 0, READ, Rights::empty(), fdflags);
            assert_eq!(r, nc(), "fdflags {fdflags:#x}");
        }
        assert!(!fx.exists("new") && !fx.exists("missing") && !fx.exists("sub/new"));
    });
}

#[test]
fn no_open_beneath_a_read_only_preopen_yields_a_writable_host_fd() {
    each_read_only(|fx| {
        // Every right the preopen passes on opens, and the host handle is read-only: with
        // APPEND, with each right alone, and with the whole set.
        let inheriting = read_only().inheriting;
        let mut requests: Vec<Rights> = inheriting.iter().collect();
        requests.push(inheriting);
        for base in requests {
            for (path, oflags) in [("file", 0), ("sub", DIRECTORY), ("in", 0)] {
                let fd = fx.open_at(PREOPEN, FOLLOW, path, oflags, base, inheriting, APPEND);
                let fd = fd.unwrap_or_else(|e| panic!("{path} {base}: {e:?}"));
                assert_eq!(fx.host_access(fd), Access::Read, "{path} {base}");
                let rights = fx.entry(fd).rights();
                assert!(
                    read_only().inheriting.contains(rights.base),
                    "{path} {base}"
                );
                assert!(read_only().inheriting.contains(rights.inheriting));
                drop(fx.cx.table_mut().close(fd));
            }
        }
    });
}

#[test]
fn files_opened_beneath_cannot_be_written_resized_or_synced() {
    each_read_only(|fx| {
        // wasi-libc's open(path, O_RDWR): succeeds with the read half only.
        let fd = fx
            .libc_open(PREOPEN, "file", 0, Rights::all())
            .expect("libc open");
        assert_eq!(fx.host_access(fd), Access::Read);
        assert_eq!(fx.write_fd(fd, b"scribble"), nc());
        let iovs = fx.iovec(b"scribble");
        assert_eq!(
            fx.call(|cx, mem| fd_pwrite(cx, mem, fd, iovs, 1, 0, OUT)),
            nc()
        );
        assert_eq!(fx.call(|cx, mem| fd_allocate(cx, mem, fd, 0, 4096)), nc());
        assert_eq!(
            fx.call(|cx, mem| fd_filestat_set_size(cx, mem, fd, 0)),
            nc()
        );
        assert_eq!(
            fx.call(|cx, mem| fd_filestat_set_size(cx, mem, fd, 99)),
            nc()
        );
        let r = fx.call(|cx, mem| fd_filestat_set_times(cx, mem, fd, 1, 1, ATIM | MTIM));
        assert_eq!(r, nc());
        assert_eq!(fx.call(|cx, mem| fd_datasync(cx, mem, fd)), nc());
        assert_eq!(fx.call(|cx, mem| fd_sync(cx, mem, fd)), nc());
        // ... and cannot ask for the rights back.
        let all = FdRights::REGULAR_FILE.base.bits();
        assert_eq!(
            fx.call(|cx, mem| fd_fdstat_set_rights(cx, mem, fd, all, 0)),
            nc()
        );
        let current = fx.entry(fd).rights().base;
        let wider = (current | Rights::FD_WRITE).bits();
        assert_eq!(
            fx.call(|cx, mem| fd_fdstat_set_rights(cx, mem, fd, wider, 0)),
            nc()
        );
        assert_eq!(fx.entry(fd).rights().base, current);
        // Reading still works.
        assert_eq!(fx.read_via_wasi(fd), Ok(b"data".to_vec()));
    });
}

#[test]
fn fdstat_set_rights_cannot_widen_the_preopen() {
    each_read_only(|fx| {
        let ro = read_only();
        let set = |fx: &mut Fx, base: Rights, inheriting: Rights| {
            fx.call(|cx, mem| {
                fd_fdstat_set_rights(cx, mem, PREOPEN, base.bits(), inheriting.bits())
            })
        };
        let all = FdRights::DIRECTORY;
        assert_eq!(set(fx, all.base, all.inheriting), nc());
        assert_eq!(set(fx, all.base, ro.inheriting), nc());
        assert_eq!(set(fx, ro.base, all.inheriting), nc());
        for right in DirPerms::MUTATE_RIGHTS.iter() {
            assert_eq!(set(fx, ro.base | right, ro.inheriting), nc(), "{right}");
            assert_eq!(set(fx, ro.base, ro.inheriting | right), nc(), "{right}");
        }
        for right in FilePerms::WRITE_RIGHTS.iter() {
            assert_eq!(set(fx, ro.base, ro.inheriting | right), nc(), "{right}");
        }
        assert_eq!(fx.entry(PREOPEN).rights(), ro);
        // Narrowing works, and what was dropped does not come back either.
        assert_eq!(set(fx, ro.base - Rights::FD_READDIR, ro.inheriting), Ok(()));
        assert_eq!(set(fx, ro.base, ro.inheriting), nc());
        assert_eq!(fx.readdir_names(PREOPEN).err(), Some(Errno::Notcapable));
        assert_eq!(fx.mkdir("new"), nc());
    });
}

#[test]
fn two_fd_calls_refuse_the_read_only_side_in_either_role() {
    each_read_only(|fx| {
        // Out of the read-only tree into the writable one: a second name there could be
        // opened for writing, a rename would remove the name here.
        assert_eq!(fx.link_at(PREOPEN, NOFOLLOW, "file", RW, "l"), nc());
        assert_eq!(fx.link_at(PREOPEN, FOLLOW, "file", RW, "l"), nc());
        assert_eq!(fx.rename_at(PREOPEN, "file", RW, "r"), nc());
        assert_eq!(fx.rename_at(PREOPEN, "empty", RW, "r"), nc());
        // Into the read-only tree from the writable one.
        assert_eq!(fx.link_at(RW, NOFOLLOW, "inner", PREOPEN, "l"), nc());
        assert_eq!(fx.rename_at(RW, "inner", PREOPEN, "r"), nc());
        assert!(!fx.exists("l") && !fx.exists("r") && !fx.exists("sub/l") && !fx.exists("sub/r"));
    });
}

// ---------------------------------------------------------------------------------------------
// Rights never come back: subdirectories, `..`, symlinks, renumbering.

#[test]
fn subdirectories_dotdot_and_symlinks_inherit_the_narrowing() {
    each_read_only(|fx| {
        // Asking a subdirectory for the full directory sets is refused outright.
        let all = FdRights::DIRECTORY;
        let r = fx.open_at(PREOPEN, 0, "sub", DIRECTORY, all.base, all.inheriting, 0);
        assert_eq!(r, nc());
        // Every way of reaching a directory beneath gives at most the preopen's inheriting
        // set: the subdirectory, a link to it, `sub/..`, `.`, `in/..`.
        for path in ["sub", "in", "sub/..", ".", "in/..", "sub/."] {
            let fd = fx
                .libc_open(PREOPEN, path, DIRECTORY, Rights::all())
                .unwrap_or_else(|e| panic!("{path}: {e:?}"));
            let rights = fx.entry(fd).rights();
            assert!(!rights.base.intersects(DirPerms::MUTATE_RIGHTS), "{path}");
            assert_eq!(rights.inheriting, read_only().inheriting, "{path}");
            // And through it: nothing can be created, and files open read-only.
            let (p, l) = fx.s("made");
            assert_eq!(
                fx.call(|cx, mem| path_create_directory(cx, mem, fd, p, l)),
                nc(),
                "{path}"
            );
            let r = fx.open_at(fd, 0, "inner", CREAT, READ, Rights::empty(), 0);
            assert_eq!(r, nc(), "{path}");
            let r = fx.open_at(fd, FOLLOW, "file", 0, READ_WRITE, Rights::empty(), 0);
            assert!(matches!(r, Err(Errno::Notcapable)), "{path}: {r:?}");
            // A second level down is no different.
            let nested = fx
                .libc_open(fd, ".", DIRECTORY, Rights::all())
                .expect("nested");
            assert_eq!(fx.entry(nested).rights(), fx.entry(fd).rights(), "{path}");
            drop(fx.cx.table_mut().close(nested));
            drop(fx.cx.table_mut().close(fd));
        }
        assert!(!fx.exists("made") && !fx.exists("sub/made"));
    });
}

#[test]
fn renumbering_moves_rights_with_the_handle() {
    each_read_only(|fx| {
        let ro = read_only();
        // The read-only preopen renumbered onto the writable one: fd 10 now names the
        // read-only handle and holds its rights; the writable handle is closed.
        assert_eq!(fx.call(|cx, mem| fd_renumber(cx, mem, PREOPEN, RW)), Ok(()));
        assert_eq!(fx.entry(RW).rights(), ro);
        let (_, base, inheriting) = fx.fdstat(RW, false).expect("fdstat");
        assert_eq!(FdRights::new(base, inheriting), ro);
        let (p, l) = fx.s("new");
        assert_eq!(
            fx.call(|cx, mem| path_create_directory(cx, mem, RW, p, l)),
            nc()
        );
        assert_eq!(
            fx.open_at(RW, 0, "file", CREAT, READ, Rights::empty(), 0),
            nc()
        );
        assert_eq!(
            fx.open_at(RW, 0, "file", 0, READ_WRITE, Rights::empty(), 0),
            nc()
        );
        // Reads through the new number still reach the read-only tree.
        let fd = fx
            .open_at(RW, 0, "file", 0, READ, Rights::empty(), 0)
            .expect("read");
        assert_eq!(fx.read_fd(fd), "data");
        // A read-only file renumbered onto another number stays read-only.
        assert_eq!(fx.call(|cx, mem| fd_renumber(cx, mem, fd, 0)), Ok(()));
        assert_eq!(fx.write_fd(0, b"x"), nc());
        assert!(!fx.exists("new") && !fx.exists("sub/new"));
    });
    // The writable preopen renumbered onto the read-only one's number: the write rights
    // travel with their handle, so they still reach only `sub/`.
    for manual in [true, false] {
        let mut fx = Fx::read_only(manual);
        assert_eq!(fx.call(|cx, mem| fd_renumber(cx, mem, RW, PREOPEN)), Ok(()));
        assert_eq!(fx.entry(PREOPEN).rights(), FdRights::DIRECTORY);
        assert_eq!(fx.mkdir("made"), Ok(()));
        assert!(fx.exists("sub/made") && !fx.exists("made"));
        fx.assert_outside_untouched();
    }
}

// ---------------------------------------------------------------------------------------------
// Still allowed: reading, and the sandbox still holds.

#[test]
fn reads_still_work() {
    each_read_only(|fx| {
        let fd = fx
            .open(NOFOLLOW, "file", 0, READ)
            .expect("open for reading");
        assert_eq!(fx.read_via_wasi(fd), Ok(b"data".to_vec()));
        let fd = fx
            .open(NOFOLLOW, "sub/inner", 0, READ)
            .expect("open beneath");
        assert_eq!(fx.read_via_wasi(fd), Ok(b"inner".to_vec()));
        // Through a followed link, and through a subdirectory fd.
        let fd = fx
            .open(FOLLOW, "in/inner", 0, READ)
            .expect("through a link");
        assert_eq!(fx.read_fd(fd), "inner");
        let sub = fx
            .libc_open(PREOPEN, "sub", DIRECTORY, Rights::all())
            .expect("open sub");
        let fd = fx
            .libc_open(sub, "inner", 0, Rights::FD_READ)
            .expect("open through sub");
        assert_eq!(fx.read_via_wasi(fd), Ok(b"inner".to_vec()));
        assert_eq!(
            fx.readdir_names(PREOPEN),
            Ok([
                ".", "..", "abs", "dang", "empty", "file", "in", "out", "self", "sub"
            ]
            .map(String::from)
            .to_vec())
        );
        assert_eq!(
            fx.readdir_names(sub),
            Ok([".", "..", "inner"].map(String::from).to_vec())
        );
        let st = fx.stat(NOFOLLOW, "file").expect("stat");
        assert_eq!((st.filetype, st.size), (FT_REGULAR_FILE, 4));
        let st = fx.stat(NOFOLLOW, "in").expect("lstat");
        assert_eq!(st.filetype, FT_SYMBOLIC_LINK);
        let st = fx.stat(FOLLOW, "in").expect("stat through the link");
        assert_eq!(st.filetype, FT_DIRECTORY);
        assert_eq!(fx.readlink("in", 16), Ok((b"sub".to_vec(), 3)));
        assert_eq!(fx.readlink("out", 3), Ok((b"../".to_vec(), 3)));
    });
}

#[test]
fn escapes_are_still_notcapable() {
    each_read_only(|fx| {
        for path in [
            "..",
            "../outside/secret",
            "sub/../../outside/secret",
            "/file",
            "/",
            "abs/passwd",
            "out/secret",
            "out/x",
        ] {
            assert_eq!(
                fx.open(FOLLOW, path, 0, READ).err(),
                Some(Errno::Notcapable),
                "{path}"
            );
            assert_eq!(
                fx.stat(FOLLOW, path).err(),
                Some(Errno::Notcapable),
                "{path}"
            );
            if path != ".." && path != "/" {
                let r = fx.readlink(path, 16).err();
                assert_eq!(r, Some(Errno::Notcapable), "{path}");
            }
            assert_eq!(fx.mkdir(path), nc(), "{path}");
        }
        for path in ["abs", "out"] {
            assert_eq!(
                fx.open(FOLLOW, path, DIRECTORY, READ).err(),
                Some(Errno::Notcapable)
            );
        }
        // A subdirectory fd cannot climb to the preopen's parent either.
        let sub = fx
            .libc_open(PREOPEN, "sub", DIRECTORY, Rights::all())
            .expect("open sub");
        let r = fx.open_at(sub, 0, "../../outside/secret", 0, READ, Rights::empty(), 0);
        assert_eq!(r.err(), Some(Errno::Notcapable));
    });
}

// ---------------------------------------------------------------------------------------------
// The two permission sets are independent.

#[test]
fn mutable_directory_with_read_only_files() {
    for manual in [true, false] {
        let mut fx = Fx::new(manual);
        fx.preopen(
            PREOPEN,
            "",
            FdRights::preopen(DirPerms::all(), FilePerms::READ),
        );
        // The tree can change...
        assert_eq!(fx.mkdir("made"), Ok(()));
        let fd = fx
            .libc_open(PREOPEN, "created", CREAT, Rights::all())
            .expect("create");
        assert!(fx.exists("created"));
        assert_eq!(fx.host_access(fd), Access::Read);
        // ... but no file is opened for writing, created or not.
        assert_eq!(fx.write_fd(fd, b"x"), Err(Errno::Notcapable));
        assert_eq!(
            fx.open(NOFOLLOW, "new", CREAT, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            fx.open(NOFOLLOW, "file", 0, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert!(!fx.exists("new"));
        assert_eq!(fs::read_to_string(fx.at("file")).expect("read"), "data");
        fx.assert_outside_untouched();
    }
}

#[test]
fn fixed_directory_with_writable_files() {
    for manual in [true, false] {
        let mut fx = Fx::new(manual);
        fx.preopen(
            PREOPEN,
            "",
            FdRights::preopen(DirPerms::READ, FilePerms::all()),
        );
        // Existing files can be written...
        let fd = fx
            .open(NOFOLLOW, "file", 0, READ_WRITE)
            .expect("open for writing");
        assert_eq!(fx.host_access(fd), Access::ReadWrite);
        assert_eq!(fx.write_fd(fd, b"DA"), Ok(2));
        assert_eq!(fs::read_to_string(fx.at("file")).expect("read"), "DAta");
        // ... but the tree cannot change: no new names, no truncating open, no removal.
        assert_eq!(
            fx.open(NOFOLLOW, "new", CREAT, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert_eq!(
            fx.open(NOFOLLOW, "file", TRUNC, READ_WRITE),
            Err(Errno::Notcapable)
        );
        assert_eq!(fx.mkdir("made"), Err(Errno::Notcapable));
        assert_eq!(fx.unlink("file"), Err(Errno::Notcapable));
        assert!(!fx.exists("new") && !fx.exists("made") && fx.exists("file"));
        fx.assert_outside_untouched();
    }
}
