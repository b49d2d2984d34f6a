//! Unit tests of the `path_*` functions against a temp-dir preopen holding the §4.5 symlink zoo,
//! each run with the manual resolver and with the default one (openat2 where available).
//!
//! This file holds the fixture ([`Fx`], [`each`]) and the constants the tests share; the
//! tests themselves are in `tests/`, one file per family of operations.

use super::*;
use crate::Stream;
use rustix::fs::OFlags;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use wisp_fdtable::{Entry, FdRights, FdTable, Filetype, Host, Rights};

mod check_order;
mod create_remove;
mod open;
mod read_only;
mod rename_link;
mod resolve;
mod stat_times;
mod symlink;

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
