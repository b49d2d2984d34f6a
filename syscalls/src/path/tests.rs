//! Unit tests of the `path_*` functions against a temp-dir preopen holding the §4.5 symlink zoo,
//! each run with the manual resolver and with the default one (openat2 where available).

use super::*;
use crate::Stream;
use rustix::fs::OFlags;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use wisp_fdtable::{Entry, FdRights, FdTable, Filetype, Host, Rights};

mod read_only;

const MEM_SIZE: u32 = 65536;
/// Where u32 out-parameters (`opened_fd`, `bufused`) go.
const OUT: u32 = 16;
/// Where `filestat` and readlink buffers go.
const BUF: u32 = 256;
/// Start of the area path strings are written to.
const STRINGS: u32 = 4096;
/// A pointer whose 4-byte out-parameter does not fit in memory.
const BAD_PTR: u32 = MEM_SIZE - 2;

const PREOPEN: u32 = 3;
const FOLLOW: u32 = 1;
const NOFOLLOW: u32 = 0;

const CREAT: u32 = 0x1;
const DIRECTORY: u32 = 0x2;
const EXCL: u32 = 0x4;
const TRUNC: u32 = 0x8;

const APPEND: u32 = 0x1;
const DSYNC: u32 = 0x2;
const NONBLOCK: u32 = 0x4;
const SYNC: u32 = 0x10;

const ATIM: u32 = 0x1;
const ATIM_NOW: u32 = 0x2;
const MTIM: u32 = 0x4;
const MTIM_NOW: u32 = 0x8;

const FT_DIRECTORY: u8 = 3;
const FT_REGULAR_FILE: u8 = 4;
const FT_SYMBOLIC_LINK: u8 = 7;

/// Read access plus the rights wasi-libc asks for on a read-only open.
const READ: Rights = Rights::FD_READ
    .union(Rights::FD_SEEK)
    .union(Rights::FD_TELL);
const READ_WRITE: Rights = READ.union(Rights::FD_WRITE);

/// What `path_filestat_get` wrote.
#[derive(Debug)]
struct Stat {
    ino: u64,
    filetype: u8,
    nlink: u64,
    size: u64,
    atim: u64,
    mtim: u64,
}

/// A preopen at fd 3 (`/sandbox`, host `top/root`) holding the zoo of §4.5, an `outside/`
/// sibling that must never change, null stdio at 0–2, and 64 KiB of guest memory.
struct Fx {
    _tmp: TempDir,
    top: PathBuf,
    root: PathBuf,
    cx: WasiCtx,
    mem: Vec<u8>,
    next: u32,
    before: Vec<String>,
}

impl Fx {
    fn new(manual: bool) -> Fx {
        let tmp = tempfile::tempdir().expect("temp dir");
        let top = tmp.path().to_path_buf();
        let root = top.join("root");
        let outside = top.join("outside");
        fs::create_dir(&outside).expect("mkdir outside");
        fs::write(outside.join("secret"), "secret").expect("write secret");
        fs::create_dir(outside.join("x")).expect("mkdir outside/x");
        fs::create_dir(&root).expect("mkdir root");
        fs::write(root.join("file"), "data").expect("write file");
        fs::create_dir(root.join("sub")).expect("mkdir sub");
        fs::write(root.join("sub/inner"), "inner").expect("write inner");
        for (target, name) in [
            ("/etc", "abs"),
            ("../outside", "out"),
            ("sub", "in"),
            ("self", "self"),
            ("missing", "dang"),
        ] {
            std::os::unix::fs::symlink(target, root.join(name)).expect("symlink");
        }
        let mut cx = WasiCtx::new();
        if manual {
            cx.use_manual_resolver();
        }
        for fd in 0..3 {
            let stdio = Entry::new(
                Host::Stream(Stream::Null),
                Filetype::CharacterDevice,
                FdRights::TTY,
            );
            cx.table_mut().insert_at(fd, stdio).expect("stdio");
        }
        let before = snapshot_outside(&top);
        let mut fx = Fx {
            _tmp: tmp,
            top,
            root,
            cx,
            mem: vec![0; MEM_SIZE as usize],
            next: STRINGS,
            before,
        };
        fx.preopen(PREOPEN, "", FdRights::DIRECTORY);
        fx
    }

    /// Puts the directory `root/rel` at guest fd `fd` with `rights`.
    fn preopen(&mut self, fd: u32, rel: &str, rights: FdRights) {
        let dir = rustix::fs::open(
            self.root.join(rel).as_path(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .expect("open preopen");
        let entry =
            Entry::new(Host::Owned(dir), Filetype::Directory, rights).with_preopen("/sandbox");
        self.cx
            .table_mut()
            .insert_at(fd, entry)
            .expect("insert preopen");
    }

    fn at(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn exists(&self, rel: &str) -> bool {
        fs::symlink_metadata(self.at(rel)).is_ok()
    }

    fn assert_outside_untouched(&self) {
        assert_eq!(
            snapshot_outside(&self.top),
            self.before,
            "something outside the preopen changed"
        );
    }

    /// Writes `bytes` to guest memory and returns (ptr, len).
    fn bytes(&mut self, bytes: &[u8]) -> (u32, u32) {
        let ptr = self.next;
        let len = bytes.len() as u32;
        let end = (ptr + len) as usize;
        self.mem[ptr as usize..end].copy_from_slice(bytes);
        self.next = ptr + len;
        (ptr, len)
    }

    fn s(&mut self, text: &str) -> (u32, u32) {
        self.bytes(text.as_bytes())
    }

    fn call<T>(&mut self, f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> T) -> T {
        let mut mem = GuestMemory::new(&mut self.mem);
        f(&mut self.cx, &mut mem)
    }

    fn read_u32(&self, ptr: u32) -> u32 {
        let p = ptr as usize;
        u32::from_le_bytes(self.mem[p..p + 4].try_into().expect("4 bytes"))
    }

    fn read_u64(&self, ptr: u32) -> u64 {
        let p = ptr as usize;
        u64::from_le_bytes(self.mem[p..p + 8].try_into().expect("8 bytes"))
    }

    /// `path_open` beneath `fd`; returns the new fd read back from guest memory.
    #[allow(clippy::too_many_arguments)]
    fn open_at(
        &mut self,
        fd: u32,
        dirflags: u32,
        path: &str,
        oflags: u32,
        base: Rights,
        inheriting: Rights,
        fdflags: u32,
    ) -> Result<u32, Errno> {
        let (p, l) = self.s(path);
        self.mem[OUT as usize..OUT as usize + 4].fill(0xee);
        let r = self.call(|cx, mem| {
            path_open(
                cx,
                mem,
                fd,
                dirflags,
                p,
                l,
                oflags,
                base.bits(),
                inheriting.bits(),
                fdflags,
                OUT,
            )
        });
        match r {
            Ok(()) => Ok(self.read_u32(OUT)),
            Err(e) => {
                assert_eq!(
                    self.read_u32(OUT),
                    0xeeee_eeee,
                    "opened_fd written on error"
                );
                Err(e)
            }
        }
    }

    fn open(&mut self, dirflags: u32, path: &str, oflags: u32, base: Rights) -> Result<u32, Errno> {
        self.open_at(PREOPEN, dirflags, path, oflags, base, Rights::empty(), 0)
    }

    fn host_fd(&self, fd: u32) -> BorrowedFd<'_> {
        self.cx
            .table()
            .get(fd, Rights::empty())
            .expect("fd open")
            .fd()
            .expect("host fd")
    }

    fn entry(&self, fd: u32) -> &Entry<Stream> {
        self.cx.table().get(fd, Rights::empty()).expect("fd open")
    }

    fn read_fd(&self, fd: u32) -> String {
        let mut buf = [0u8; 64];
        let n = rustix::io::pread(self.host_fd(fd), &mut buf[..], 0).expect("pread");
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }

    fn stat_at(&mut self, fd: u32, flags: u32, path: &str) -> Result<Stat, Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_filestat_get(cx, mem, fd, flags, p, l, BUF))?;
        Ok(Stat {
            ino: self.read_u64(BUF + 8),
            filetype: self.mem[BUF as usize + 16],
            nlink: self.read_u64(BUF + 24),
            size: self.read_u64(BUF + 32),
            atim: self.read_u64(BUF + 40),
            mtim: self.read_u64(BUF + 48),
        })
    }

    fn stat(&mut self, flags: u32, path: &str) -> Result<Stat, Errno> {
        self.stat_at(PREOPEN, flags, path)
    }

    fn mkdir(&mut self, path: &str) -> Result<(), Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_create_directory(cx, mem, PREOPEN, p, l))
    }

    fn rmdir(&mut self, path: &str) -> Result<(), Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_remove_directory(cx, mem, PREOPEN, p, l))
    }

    fn unlink(&mut self, path: &str) -> Result<(), Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_unlink_file(cx, mem, PREOPEN, p, l))
    }

    fn rename_at(&mut self, fd: u32, old: &str, new_fd: u32, new: &str) -> Result<(), Errno> {
        let (op, ol) = self.s(old);
        let (np, nl) = self.s(new);
        self.call(|cx, mem| path_rename(cx, mem, fd, op, ol, new_fd, np, nl))
    }

    fn rename(&mut self, old: &str, new: &str) -> Result<(), Errno> {
        self.rename_at(PREOPEN, old, PREOPEN, new)
    }

    fn link_at(
        &mut self,
        old_fd: u32,
        flags: u32,
        old: &str,
        new_fd: u32,
        new: &str,
    ) -> Result<(), Errno> {
        let (op, ol) = self.s(old);
        let (np, nl) = self.s(new);
        self.call(|cx, mem| path_link(cx, mem, old_fd, flags, op, ol, new_fd, np, nl))
    }

    fn link(&mut self, flags: u32, old: &str, new: &str) -> Result<(), Errno> {
        self.link_at(PREOPEN, flags, old, PREOPEN, new)
    }

    fn symlink(&mut self, target: &str, link: &str) -> Result<(), Errno> {
        let (tp, tl) = self.s(target);
        let (lp, ll) = self.s(link);
        self.call(|cx, mem| path_symlink(cx, mem, tp, tl, PREOPEN, lp, ll))
    }

    /// `path_readlink` into `BUF` with `buf_len`; returns the bytes and `bufused`.
    fn readlink(&mut self, path: &str, buf_len: u32) -> Result<(Vec<u8>, u32), Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_readlink(cx, mem, PREOPEN, p, l, BUF, buf_len, OUT))?;
        let used = self.read_u32(OUT);
        let start = BUF as usize;
        Ok((self.mem[start..start + used as usize].to_vec(), used))
    }

    fn set_times(
        &mut self,
        flags: u32,
        path: &str,
        atim: u64,
        mtim: u64,
        fst: u32,
    ) -> Result<(), Errno> {
        let (p, l) = self.s(path);
        self.call(|cx, mem| path_filestat_set_times(cx, mem, PREOPEN, flags, p, l, atim, mtim, fst))
    }
}

/// One line per object outside `top/root` (type, mode, size, link count, times, contents or
/// link target), so any change outside the preopen shows up.
fn snapshot_outside(top: &Path) -> Vec<String> {
    fn describe(path: &Path, rel: &str, lines: &mut Vec<String>) {
        let meta = fs::symlink_metadata(path).expect("lstat outside");
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
            line.push_str(&format!(" {:?}", fs::read(path).expect("read")));
        }
        lines.push(line);
        if meta.is_dir() {
            let mut names: Vec<_> = fs::read_dir(path)
                .expect("list")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for name in names {
                describe(&path.join(&name), &format!("{rel}/{name}"), lines);
            }
        }
    }
    let mut names: Vec<_> = fs::read_dir(top)
        .expect("list top")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut lines = vec![format!("top: {names:?}")];
    for name in names.iter().filter(|n| n.as_str() != "root") {
        describe(&top.join(name), name, &mut lines);
    }
    lines
}

/// Runs `case` on a fresh fixture with the manual resolver, then with the default one, and
/// checks that nothing outside the preopen changed.
fn each(case: impl Fn(&mut Fx)) {
    for manual in [true, false] {
        eprintln!("resolver: {}", if manual { "manual" } else { "default" });
        let mut fx = Fx::new(manual);
        case(&mut fx);
        fx.assert_outside_untouched();
    }
}

/// `mode` less the process umask, learnt from a probe that std creates with 0666 (files) or
/// 0777 (directories).
fn umasked(dir: &Path, mode: u32, is_dir: bool) -> u32 {
    let probe = dir.join(".umask-probe");
    let std_mode = if is_dir {
        fs::create_dir(&probe).expect("probe dir");
        0o777
    } else {
        fs::write(&probe, "").expect("probe file");
        0o666
    };
    let bits = fs::metadata(&probe).expect("probe").permissions().mode() & 0o777;
    if is_dir {
        fs::remove_dir(&probe).expect("remove probe");
    } else {
        fs::remove_file(&probe).expect("remove probe");
    }
    let umask = std_mode & !bits;
    mode & !umask
}

// ---------------------------------------------------------------------------------------------
// §4.5: the symlink zoo, through path_open and path_filestat_get.

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

// ---------------------------------------------------------------------------------------------
// Order of checks: BADF, NOTDIR, NOTCAPABLE, then the path (§4.5 step 1, F2, R1, R6).

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

// ---------------------------------------------------------------------------------------------
// path_open rights (R2-R5).

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

// ---------------------------------------------------------------------------------------------
// §4.9 L1-L7.

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

#[test]
fn l5_unlink_rules() {
    each(|fx| {
        assert_eq!(fx.unlink("sub"), Err(Errno::Isdir));
        assert_eq!(fx.unlink("sub/"), Err(Errno::Isdir));
        assert_eq!(fx.unlink("file/"), Err(Errno::Notdir));
        assert_eq!(fx.unlink("nothing"), Err(Errno::Noent));
        assert_eq!(fx.unlink("."), Err(Errno::Isdir));
        // A link is removed, its target stays.
        assert_eq!(fx.unlink("in"), Ok(()));
        assert!(!fx.exists("in") && fx.exists("sub/inner"));
        assert_eq!(fx.unlink("abs"), Ok(()));
        assert_eq!(fx.unlink("dang"), Ok(()));
        assert_eq!(fx.unlink("file"), Ok(()));
        assert!(!fx.exists("file"));
    });
}

#[test]
fn l6_remove_directory_rules() {
    each(|fx| {
        fs::create_dir(fx.at("empty")).expect("mkdir");
        assert_eq!(fx.rmdir("sub"), Err(Errno::Notempty));
        assert_eq!(fx.rmdir("file"), Err(Errno::Notdir));
        assert_eq!(fx.rmdir("in"), Err(Errno::Notdir));
        assert_eq!(fx.rmdir("nothing"), Err(Errno::Noent));
        assert_eq!(fx.rmdir("."), Err(Errno::Inval));
        assert_eq!(fx.rmdir("sub/.."), Err(Errno::Inval));
        assert_eq!(fx.rmdir(".."), Err(Errno::Notcapable));
        assert_eq!(fx.rmdir("empty/"), Ok(()));
        assert!(!fx.exists("empty") && fx.exists("sub"));
    });
}

#[test]
fn l7_create_directory_rules() {
    each(|fx| {
        for name in ["file", "sub", "dang", "in", ".", "sub/.."] {
            assert_eq!(fx.mkdir(name), Err(Errno::Exist), "{name}");
        }
        assert!(!fx.exists("missing"));
        assert_eq!(fx.mkdir("new"), Ok(()));
        let mode = fs::metadata(fx.at("new"))
            .expect("stat")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, umasked(&fx.root, 0o777, true));
        assert_eq!(fx.mkdir("new2/"), Ok(()));
        assert_eq!(fx.mkdir("in/nested"), Ok(()));
        assert!(fx.at("sub/nested").is_dir());
        assert_eq!(fx.mkdir("nothing/nested"), Err(Errno::Noent));
        assert_eq!(fx.mkdir("file/nested"), Err(Errno::Notdir));
    });
}

// ---------------------------------------------------------------------------------------------
// §4.10 S1-S4.

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
