//! Unit tests for the `fd_*` functions against a temp-dir preopen and in-memory stdio.

use super::io::disjoint_buffers;
use super::*;
use crate::abi::Filestat;
use crate::ctx::{SharedBuffer, Stream, WasiCtx};
use crate::errno::Errno;
use crate::guest::{GuestMemory, Iovec};
use rustix::fs::{Mode, OFlags};
use std::io::Cursor;
use std::os::fd::{AsFd, OwnedFd};
use wisp_fdtable::{Entry, FdRights, Fdflags, Filetype, Host, Rights};

const MEM_SIZE: usize = 1 << 16;
/// Where tests put iovec arrays.
const IOVS: u32 = 0;
/// Where tests put out-params.
const OUT: u32 = 512;
/// Where tests put data buffers.
const DATA: u32 = 1024;
/// Where readdir buffers go.
const DIRBUF: u32 = 16384;
const PREOPEN: u32 = 3;

struct World {
    cx: WasiCtx,
    dir: tempfile::TempDir,
    stdout: SharedBuffer,
    mem: Vec<u8>,
}

fn stdio(stream: Stream) -> Entry<Stream> {
    Entry::new(
        Host::Stream(stream),
        Filetype::CharacterDevice,
        FdRights::TTY,
    )
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut cx = WasiCtx::new();
    let stdout = SharedBuffer::new();
    let dirfd = rustix::fs::open(
        dir.path(),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .expect("the temp dir opens");
    let table = cx.table_mut();
    let input = Stream::Bytes(Cursor::new(b"typed input".to_vec()));
    table.insert_at(0, stdio(input)).expect("fd 0");
    table
        .insert_at(1, stdio(Stream::Capture(stdout.clone())))
        .expect("fd 1");
    table.insert_at(2, stdio(Stream::Null)).expect("fd 2");
    let preopen = Entry::new(Host::Owned(dirfd), Filetype::Directory, FdRights::DIRECTORY)
        .with_preopen("/sandbox");
    table.insert_at(PREOPEN, preopen).expect("fd 3");
    World {
        cx,
        dir,
        stdout,
        mem: vec![0; MEM_SIZE],
    }
}

impl World {
    /// Opens (creating) `name` in the temp dir as a regular-file entry.
    fn open(&mut self, name: &str, flags: OFlags) -> u32 {
        let fd = rustix::fs::open(
            self.dir.path().join(name),
            flags | OFlags::CREATE | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o644),
        )
        .expect("the file opens");
        self.insert(Entry::new(
            Host::Owned(fd),
            Filetype::RegularFile,
            FdRights::REGULAR_FILE,
        ))
    }

    fn insert(&mut self, entry: Entry<Stream>) -> u32 {
        self.cx
            .table_mut()
            .insert(entry)
            .expect("room in the table")
    }

    fn call<R>(&mut self, f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> R) -> R {
        let mut mem = GuestMemory::new(&mut self.mem);
        f(&mut self.cx, &mut mem)
    }

    fn u32_at(&self, at: u32) -> u32 {
        let at = at as usize;
        u32::from_le_bytes(self.mem[at..at + 4].try_into().unwrap())
    }

    fn u64_at(&self, at: u32) -> u64 {
        let at = at as usize;
        u64::from_le_bytes(self.mem[at..at + 8].try_into().unwrap())
    }

    fn put_u32(&mut self, at: u32, v: u32) {
        let at = at as usize;
        self.mem[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn put(&mut self, at: u32, data: &[u8]) {
        let at = at as usize;
        self.mem[at..at + data.len()].copy_from_slice(data);
    }

    fn bytes(&self, at: u32, len: usize) -> &[u8] {
        &self.mem[at as usize..at as usize + len]
    }

    /// Lays out `iovs` as (address, length) pairs at [`IOVS`].
    fn iovecs(&mut self, iovs: &[(u32, u32)]) -> u32 {
        for (i, &(buf, len)) in iovs.iter().enumerate() {
            self.put_u32(IOVS + 8 * i as u32, buf);
            self.put_u32(IOVS + 8 * i as u32 + 4, len);
        }
        iovs.len() as u32
    }

    /// Writes `parts` as one iovec each, from [`DATA`] on.
    fn write(&mut self, fd: u32, parts: &[&[u8]]) -> Result<u32, Errno> {
        let mut at = DATA;
        let mut iovs = Vec::new();
        for part in parts {
            self.put(at, part);
            iovs.push((at, part.len() as u32));
            at += part.len() as u32;
        }
        let n = self.iovecs(&iovs);
        self.call(|cx, m| fd_write(cx, m, fd, IOVS, n, OUT))?;
        Ok(self.u32_at(OUT))
    }

    /// Reads into one buffer of `len` bytes at [`DATA`].
    fn read(&mut self, fd: u32, len: u32) -> Result<Vec<u8>, Errno> {
        let n = self.iovecs(&[(DATA, len)]);
        self.call(|cx, m| fd_read(cx, m, fd, IOVS, n, OUT))?;
        let got = self.u32_at(OUT) as usize;
        Ok(self.bytes(DATA, got).to_vec())
    }

    fn seek(&mut self, fd: u32, delta: i64, whence: u32) -> Result<u64, Errno> {
        self.call(|cx, m| fd_seek(cx, m, fd, delta as u64, whence, OUT))?;
        Ok(self.u64_at(OUT))
    }

    fn tell(&mut self, fd: u32) -> Result<u64, Errno> {
        self.call(|cx, m| fd_tell(cx, m, fd, OUT))?;
        Ok(self.u64_at(OUT))
    }

    fn pread(&mut self, fd: u32, len: u32, offset: u64) -> Result<Vec<u8>, Errno> {
        let n = self.iovecs(&[(DATA, len)]);
        self.call(|cx, m| fd_pread(cx, m, fd, IOVS, n, offset, OUT))?;
        let got = self.u32_at(OUT) as usize;
        Ok(self.bytes(DATA, got).to_vec())
    }

    fn pwrite(&mut self, fd: u32, data: &[u8], offset: u64) -> Result<u32, Errno> {
        self.put(DATA, data);
        let n = self.iovecs(&[(DATA, data.len() as u32)]);
        self.call(|cx, m| fd_pwrite(cx, m, fd, IOVS, n, offset, OUT))?;
        Ok(self.u32_at(OUT))
    }

    fn filestat(&mut self, fd: u32) -> Result<Filestat, Errno> {
        self.call(|cx, _| filestat(cx, fd))
    }

    fn set_flags(&mut self, fd: u32, flags: u32) -> Result<(), Errno> {
        self.call(|cx, m| fd_fdstat_set_flags(cx, m, fd, flags))
    }

    /// Reads the directory at `cookie` into a `len`-byte buffer; gives the bytes used.
    fn readdir(&mut self, fd: u32, len: u32, cookie: u64) -> Result<Vec<u8>, Errno> {
        self.call(|cx, m| fd_readdir(cx, m, fd, DIRBUF, len, cookie, OUT))?;
        let used = self.u32_at(OUT) as usize;
        assert!(used <= len as usize, "bufused stays within the buffer");
        Ok(self.bytes(DIRBUF, used).to_vec())
    }

    fn file_contents(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.path().join(name)).expect("the file reads")
    }
}

/// One decoded dirent: (d_next, d_ino, d_type, name).
type Decoded = (u64, u64, u8, String);

/// Decodes complete dirents; a cut-off tail is ignored.
fn decode(mut buf: &[u8]) -> Vec<Decoded> {
    let mut out = Vec::new();
    while buf.len() >= 24 {
        let next = u64::from_le_bytes(buf[0..8].try_into().unwrap());
        let ino = u64::from_le_bytes(buf[8..16].try_into().unwrap());
        let namlen = u32::from_le_bytes(buf[16..20].try_into().unwrap()) as usize;
        assert_eq!(&buf[21..24], &[0, 0, 0], "header padding is zero");
        if buf.len() < 24 + namlen {
            break;
        }
        let name = String::from_utf8(buf[24..24 + namlen].to_vec()).unwrap();
        out.push((next, ino, buf[20], name));
        buf = &buf[24 + namlen..];
    }
    out
}

#[allow(clippy::unnecessary_cast)]
fn inode(path: &std::path::Path) -> u64 {
    rustix::fs::lstat(path).expect("lstat").st_ino as u64
}

#[test]
fn write_then_read_round_trips_through_several_iovecs() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    assert_eq!(w.write(fd, &[b"hello ", b"", b"world"]), Ok(11));
    assert_eq!(w.file_contents("f"), b"hello world");
    assert_eq!(w.seek(fd, 0, 0), Ok(0));
    // Reads fill the buffers in order; a zero-length one in the middle is skipped.
    let n = w.iovecs(&[
        (DATA, 3),
        (DATA + 100, 0),
        (DATA + 200, 4),
        (DATA + 300, 100),
    ]);
    w.call(|cx, m| fd_read(cx, m, fd, IOVS, n, OUT)).unwrap();
    assert_eq!(w.u32_at(OUT), 11);
    assert_eq!(w.bytes(DATA, 3), b"hel");
    assert_eq!(w.bytes(DATA + 200, 4), b"lo w");
    assert_eq!(w.bytes(DATA + 300, 4), b"orld");
    // At EOF: success with 0.
    assert_eq!(w.read(fd, 10), Ok(vec![]));
}

#[test]
fn overlapping_read_buffers_are_filled_in_order() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"abcdefgh"]).unwrap();
    w.seek(fd, 0, 0).unwrap();
    let n = w.iovecs(&[(DATA, 4), (DATA + 2, 4)]);
    w.call(|cx, m| fd_read(cx, m, fd, IOVS, n, OUT)).unwrap();
    assert_eq!(w.u32_at(OUT), 8);
    // "abcd" lands first, then "efgh" from DATA + 2 over part of it.
    assert_eq!(w.bytes(DATA, 6), b"abefgh");
}

#[test]
fn disjoint_buffers_keep_guest_order() {
    let mut mem = vec![0u8; 32];
    let iovs = [
        Iovec { buf: 20, len: 4 },
        Iovec { buf: 2, len: 3 },
        Iovec { buf: 9, len: 0 },
    ];
    let bufs = disjoint_buffers(&mut mem, &iovs).expect("disjoint");
    assert_eq!(bufs.iter().map(|b| b.len()).collect::<Vec<_>>(), [4, 3]);
    let touching = [Iovec { buf: 0, len: 4 }, Iovec { buf: 4, len: 4 }];
    assert!(disjoint_buffers(&mut mem, &touching).is_some());
    let overlapping = [Iovec { buf: 0, len: 5 }, Iovec { buf: 4, len: 4 }];
    assert!(disjoint_buffers(&mut mem, &overlapping).is_none());
}

#[test]
fn pread_and_pwrite_leave_the_offset_alone() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"0123456789"]).unwrap();
    w.seek(fd, 2, 0).unwrap();
    assert_eq!(w.pread(fd, 3, 5), Ok(b"567".to_vec()));
    assert_eq!(w.pwrite(fd, b"XY", 8), Ok(2));
    assert_eq!(w.pwrite(fd, b"!", 12), Ok(1), "past EOF leaves a hole");
    assert_eq!(w.tell(fd), Ok(2));
    assert_eq!(w.file_contents("f"), b"01234567XY\0\0!");
    assert_eq!(w.pread(fd, 10, 100), Ok(vec![]), "past EOF reads nothing");
    // offset + length overflowing a u64 is INVAL (W4).
    assert_eq!(w.pread(fd, 4, u64::MAX - 1), Err(Errno::Inval));
    assert_eq!(w.pwrite(fd, b"abcd", u64::MAX - 2), Err(Errno::Inval));
    assert_eq!(w.tell(fd), Ok(2));
}

#[test]
fn seek_follows_whence_and_refuses_bad_offsets() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"0123456789"]).unwrap();
    assert_eq!(w.seek(fd, 3, 0), Ok(3));
    assert_eq!(w.seek(fd, 2, 1), Ok(5));
    assert_eq!(w.seek(fd, -1, 1), Ok(4));
    assert_eq!(w.seek(fd, -2, 2), Ok(8));
    assert_eq!(w.seek(fd, 100, 2), Ok(110), "beyond EOF is allowed");
    assert_eq!(w.tell(fd), Ok(110));
    w.seek(fd, 4, 0).unwrap();
    assert_eq!(w.seek(fd, -1, 0), Err(Errno::Inval));
    assert_eq!(w.seek(fd, -5, 1), Err(Errno::Inval));
    assert_eq!(w.seek(fd, -11, 2), Err(Errno::Inval));
    assert_eq!(w.seek(fd, i64::MAX, 1), Err(Errno::Inval), "overflow");
    assert_eq!(w.seek(fd, 0, 3), Err(Errno::Inval), "unknown whence (M4)");
    assert_eq!(w.tell(fd), Ok(4), "failed seeks do not move");
    assert_eq!(w.seek(99, 0, 0), Err(Errno::Badf));
}

#[test]
fn streams_pipes_and_directories_cannot_seek() {
    let mut w = world();
    let (rd, _wr) = rustix::pipe::pipe().unwrap();
    let pipe = w.insert(Entry::new(
        Host::Owned(rd),
        Filetype::SocketStream,
        FdRights::SOCKET,
    ));
    for fd in [0, 1, pipe] {
        assert_eq!(w.seek(fd, 0, 0), Err(Errno::Spipe), "fd {fd}");
        assert_eq!(w.tell(fd), Err(Errno::Spipe), "fd {fd}");
        assert_eq!(w.pread(fd, 1, 0), Err(Errno::Spipe), "fd {fd}");
        assert_eq!(w.pwrite(fd, b"x", 0), Err(Errno::Spipe), "fd {fd}");
    }
    assert_eq!(w.seek(PREOPEN, 0, 0), Err(Errno::Isdir));
    assert_eq!(w.tell(PREOPEN), Err(Errno::Isdir));
    assert_eq!(w.pread(PREOPEN, 1, 0), Err(Errno::Isdir));
}

#[test]
fn tell_needs_only_fd_tell() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"abc"]).unwrap();
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, Rights::FD_TELL.bits(), 0))
        .unwrap();
    assert_eq!(w.tell(fd), Ok(3));
    assert_eq!(w.seek(fd, 0, 1), Ok(3), "CUR + 0 is a tell");
    assert_eq!(w.seek(fd, 0, 0), Err(Errno::Notcapable));
    assert_eq!(w.seek(fd, 1, 1), Err(Errno::Notcapable));
    let seek_only = Rights::FD_SEEK.bits();
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, seek_only, 0))
        .unwrap_err();
    let fd = w.open("g", OFlags::RDWR);
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, seek_only, 0))
        .unwrap();
    assert_eq!(w.seek(fd, 0, 1), Ok(0), "FD_SEEK covers CUR + 0");
    assert_eq!(w.tell(fd), Err(Errno::Notcapable), "fd_tell needs FD_TELL");
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, 0, 0))
        .unwrap();
    assert_eq!(w.tell(fd), Err(Errno::Notcapable));
}

#[test]
fn stdio_streams_read_input_and_capture_output() {
    let mut w = world();
    assert_eq!(w.write(1, &[b"out", b"put\n"]), Ok(7));
    assert_eq!(w.write(1, &[b"!"]), Ok(1));
    assert_eq!(w.stdout.contents(), b"output\n!");
    assert_eq!(w.write(2, &[b"discarded"]), Ok(9));
    assert_eq!(w.read(0, 5), Ok(b"typed".to_vec()));
    let n = w.iovecs(&[(DATA, 2), (DATA + 10, 100)]);
    w.call(|cx, m| fd_read(cx, m, 0, IOVS, n, OUT)).unwrap();
    assert_eq!(w.u32_at(OUT), 6);
    assert_eq!(w.bytes(DATA, 2), b" i");
    assert_eq!(w.bytes(DATA + 10, 4), b"nput");
    assert_eq!(w.read(0, 5), Ok(vec![]), "end of input");
    assert_eq!(
        w.read(1, 5),
        Ok(vec![]),
        "output streams read as end of input"
    );
}

#[test]
fn append_fd_writes_at_the_end() {
    let mut w = world();
    std::fs::write(w.dir.path().join("log"), b"start\n").unwrap();
    let host = rustix::fs::open(
        w.dir.path().join("log"),
        OFlags::RDWR | OFlags::APPEND | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .unwrap();
    let fd = w.insert(
        Entry::new(
            Host::Owned(host),
            Filetype::RegularFile,
            FdRights::REGULAR_FILE,
        )
        .with_fdflags(Fdflags::APPEND),
    );
    w.seek(fd, 0, 0).unwrap();
    w.write(fd, &[b"one\n"]).unwrap();
    w.seek(fd, 2, 0).unwrap();
    w.write(fd, &[b"two\n"]).unwrap();
    assert_eq!(w.file_contents("log"), b"start\none\ntwo\n");
    assert_eq!(w.tell(fd), Ok(14));
    w.call(|cx, m| fd_fdstat_get(cx, m, fd, OUT)).unwrap();
    assert_eq!(w.bytes(OUT + 2, 2), &[1, 0], "fs_flags = APPEND");
}

#[test]
fn set_flags_toggles_append_on_the_host_handle() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"0123456789"]).unwrap();
    w.seek(fd, 0, 0).unwrap();
    assert_eq!(w.set_flags(fd, 1), Ok(()));
    let host_flags = |w: &World| {
        let entry = w.cx.table().get(fd, Rights::empty()).unwrap();
        rustix::fs::fcntl_getfl(entry.fd().unwrap()).unwrap()
    };
    assert!(host_flags(&w).contains(OFlags::APPEND));
    w.write(fd, &[b"AB"]).unwrap();
    assert_eq!(w.file_contents("f"), b"0123456789AB");
    w.call(|cx, m| fd_fdstat_get(cx, m, fd, OUT)).unwrap();
    assert_eq!(w.bytes(OUT + 2, 2), &[1, 0]);

    assert_eq!(w.set_flags(fd, 0), Ok(()));
    assert!(!host_flags(&w).contains(OFlags::APPEND));
    w.seek(fd, 0, 0).unwrap();
    w.write(fd, &[b"xy"]).unwrap();
    assert_eq!(w.file_contents("f"), b"xy23456789AB");

    assert_eq!(w.set_flags(fd, 4), Ok(()));
    assert!(host_flags(&w).contains(OFlags::NONBLOCK));
    assert_eq!(fdstat(&mut w.cx, fd).unwrap().flags, 4);
}

#[test]
fn set_flags_refuses_sync_changes_unknown_bits_and_missing_rights() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    assert_eq!(w.set_flags(fd, 0x2), Err(Errno::Notsup), "DSYNC (F9)");
    assert_eq!(w.set_flags(fd, 0x10), Err(Errno::Notsup), "SYNC");
    assert_eq!(w.set_flags(fd, 0x20), Err(Errno::Inval), "unknown bit (M5)");
    assert_eq!(w.set_flags(99, 0), Err(Errno::Badf));
    assert_eq!(fdstat(&mut w.cx, fd).unwrap().flags, 0, "nothing recorded");
    let keep = Rights::FD_READ.bits();
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, keep, 0))
        .unwrap();
    assert_eq!(w.set_flags(fd, 1), Err(Errno::Notcapable));
}

#[test]
fn borrowed_host_fd_flags_are_recorded_not_applied() {
    let mut w = world();
    let (rd, wr) = rustix::pipe::pipe().unwrap();
    // A borrowed host fd lives for the whole process, like the real stdin.
    let rd: &'static OwnedFd = Box::leak(Box::new(rd));
    let fd = w.insert(Entry::new(
        Host::Borrowed(rd.as_fd()),
        Filetype::SocketStream,
        FdRights::SOCKET,
    ));
    assert_eq!(w.set_flags(fd, 4), Ok(()));
    assert!(
        !rustix::fs::fcntl_getfl(rd)
            .unwrap()
            .contains(OFlags::NONBLOCK)
    );
    // The guest asked for NONBLOCK, so an empty pipe answers AGAIN instead of blocking.
    assert_eq!(w.read(fd, 4), Err(Errno::Again));
    rustix::io::write(&wr, b"hi").unwrap();
    assert_eq!(w.read(fd, 4), Ok(b"hi".to_vec()));
}

#[test]
fn nonblocking_host_pipe_blocks_unless_the_guest_asked_nonblock() {
    let mut w = world();
    let (rd, wr) = rustix::pipe::pipe().unwrap();
    rustix::fs::fcntl_setfl(&rd, OFlags::NONBLOCK).unwrap();
    let fd = w.insert(Entry::new(
        Host::Owned(rd),
        Filetype::SocketStream,
        FdRights::SOCKET,
    ));
    let writer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        rustix::io::write(&wr, b"late").unwrap();
        wr
    });
    // W8: the host fd is non-blocking but the guest did not ask, so this waits.
    assert_eq!(w.read(fd, 16), Ok(b"late".to_vec()));
    let _wr = writer.join().unwrap();
    assert_eq!(w.set_flags(fd, 4), Ok(()));
    assert_eq!(w.read(fd, 16), Err(Errno::Again));
}

#[test]
fn fdstat_has_the_preview1_layout() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.mem[OUT as usize..OUT as usize + 24].fill(0xAA);
    w.call(|cx, m| fd_fdstat_get(cx, m, fd, OUT)).unwrap();
    assert_eq!(w.mem[OUT as usize], 4, "REGULAR_FILE");
    assert_eq!(w.bytes(OUT + 1, 1), &[0], "padding");
    assert_eq!(w.bytes(OUT + 2, 2), &[0, 0], "no flags");
    assert_eq!(w.bytes(OUT + 4, 4), &[0; 4], "padding");
    assert_eq!(w.u64_at(OUT + 8), 0x08E0_01FF);
    assert_eq!(w.u64_at(OUT + 16), 0);

    w.call(|cx, m| fd_fdstat_get(cx, m, PREOPEN, OUT)).unwrap();
    assert_eq!(w.mem[OUT as usize], 3, "DIRECTORY");
    assert_eq!(w.u64_at(OUT + 8), 0x0FBF_FE98);
    assert_eq!(w.u64_at(OUT + 16), 0x0FFF_FFFF);

    w.call(|cx, m| fd_fdstat_get(cx, m, 1, OUT)).unwrap();
    assert_eq!(w.mem[OUT as usize], 2, "CHARACTER_DEVICE");
    let base = w.u64_at(OUT + 8);
    assert_eq!(base & (Rights::FD_SEEK | Rights::FD_TELL).bits(), 0, "F11");

    assert_eq!(
        w.call(|cx, m| fd_fdstat_get(cx, m, 42, OUT)),
        Err(Errno::Badf)
    );
}

#[test]
fn set_rights_only_narrows() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    let narrow = (Rights::FD_WRITE | Rights::FD_SEEK).bits();
    // Bits above 29 are ignored, not refused (M5).
    let wide_garbage = narrow | (1 << 40);
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, wide_garbage, 0))
        .unwrap();
    assert_eq!(fdstat(&mut w.cx, fd).unwrap().rights_base.bits(), narrow);
    assert_eq!(w.read(fd, 4), Err(Errno::Notcapable));
    assert_eq!(w.write(fd, &[b"ok"]), Ok(2));
    let grow = narrow | Rights::FD_READ.bits();
    assert_eq!(
        w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, grow, 0)),
        Err(Errno::Notcapable)
    );
    assert_eq!(
        w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, narrow, 1)),
        Err(Errno::Notcapable),
        "inheriting cannot grow either"
    );
    assert_eq!(fdstat(&mut w.cx, fd).unwrap().rights_base.bits(), narrow);
}

#[test]
fn renumber_moves_the_entry_and_closes_the_target() {
    let mut w = world();
    let a = w.open("a", OFlags::RDWR);
    let b = w.open("b", OFlags::RDWR);
    w.write(a, &[b"from a"]).unwrap();
    w.call(|cx, m| fd_renumber(cx, m, a, b)).unwrap();
    assert_eq!(w.seek(a, 0, 1), Err(Errno::Badf), "`from` is freed");
    assert_eq!(w.tell(b), Ok(6), "the offset moved with the entry");
    w.write(b, &[b"!"]).unwrap();
    assert_eq!(w.file_contents("a"), b"from a!");
    assert_eq!(w.file_contents("b"), b"");
    assert_eq!(w.call(|cx, m| fd_renumber(cx, m, b, b)), Ok(()));
    assert_eq!(w.call(|cx, m| fd_renumber(cx, m, b, 77)), Err(Errno::Badf));
    assert_eq!(w.call(|cx, m| fd_renumber(cx, m, 77, b)), Err(Errno::Badf));
    // Onto a preopen: it is replaced and its prestat is gone.
    w.call(|cx, m| fd_renumber(cx, m, b, PREOPEN)).unwrap();
    assert_eq!(
        w.call(|cx, m| fd_prestat_get(cx, m, PREOPEN, OUT)),
        Err(Errno::Badf)
    );
}

#[test]
fn closing_stdio_never_closes_the_host_fd() {
    let mut w = world();
    let fd = w.insert(Entry::new(
        Host::stdout(),
        Filetype::CharacterDevice,
        FdRights::TTY,
    ));
    assert_eq!(w.call(|cx, m| fd_close(cx, m, fd)), Ok(()));
    assert!(rustix::io::fcntl_getfd(std::io::stdout()).is_ok());
    assert_eq!(w.call(|cx, m| fd_close(cx, m, fd)), Err(Errno::Badf));
    assert_eq!(w.call(|cx, m| fd_close(cx, m, 1)), Ok(()));
    assert_eq!(w.write(1, &[b"x"]), Err(Errno::Badf));
    // The lowest free number is handed out again (F1).
    assert_eq!(w.open("f", OFlags::RDWR), 1);
    assert_eq!(w.call(|cx, m| fd_close(cx, m, PREOPEN)), Ok(()));
    assert_eq!(
        w.call(|cx, m| fd_prestat_get(cx, m, PREOPEN, OUT)),
        Err(Errno::Badf)
    );
}

#[test]
fn prestat_reports_the_preopen_name() {
    let mut w = world();
    w.mem[OUT as usize..OUT as usize + 8].fill(0xAA);
    w.call(|cx, m| fd_prestat_get(cx, m, PREOPEN, OUT)).unwrap();
    assert_eq!(w.bytes(OUT, 4), &[0, 0, 0, 0], "tag DIR and padding");
    assert_eq!(w.u32_at(OUT + 4), 8);
    w.mem[DATA as usize + 8] = 0xEE;
    w.call(|cx, m| fd_prestat_dir_name(cx, m, PREOPEN, DATA, 8))
        .unwrap();
    assert_eq!(w.bytes(DATA, 9), b"/sandbox\xEE", "no NUL written");
    assert_eq!(
        w.call(|cx, m| fd_prestat_dir_name(cx, m, PREOPEN, DATA + 100, 7)),
        Err(Errno::Nametoolong)
    );
    assert_eq!(w.bytes(DATA + 100, 7), &[0; 7], "nothing written");
    let file = w.open("f", OFlags::RDWR);
    for fd in [0, file, 99] {
        assert_eq!(
            w.call(|cx, m| fd_prestat_get(cx, m, fd, OUT)),
            Err(Errno::Badf)
        );
        assert_eq!(
            w.call(|cx, m| fd_prestat_dir_name(cx, m, fd, DATA, 64)),
            Err(Errno::Badf)
        );
    }
    let end = MEM_SIZE as u32 - 4;
    assert_eq!(
        w.call(|cx, m| fd_prestat_dir_name(cx, m, PREOPEN, end, 8)),
        Err(Errno::Overflow)
    );
}

#[test]
fn readdir_lists_dot_and_dotdot_first_with_real_inodes() {
    let mut w = world();
    std::fs::write(w.dir.path().join("file"), b"x").unwrap();
    std::fs::create_dir(w.dir.path().join("sub")).unwrap();
    let buf = w.readdir(PREOPEN, 4096, 0).unwrap();
    assert!(buf.len() < 4096, "the end was reached");
    let entries = decode(&buf);
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0], (1, inode(w.dir.path()), 3, ".".to_owned()));
    let parent = inode(w.dir.path().parent().unwrap());
    assert_eq!(entries[1], (2, parent, 3, "..".to_owned()));
    let mut rest: Vec<_> = entries[2..].to_vec();
    rest.sort_by(|a, b| a.3.cmp(&b.3));
    assert_eq!(rest[0].1, inode(&w.dir.path().join("file")));
    assert_eq!((rest[0].2, rest[0].3.as_str()), (4, "file"));
    assert_eq!(rest[1].1, inode(&w.dir.path().join("sub")));
    assert_eq!((rest[1].2, rest[1].3.as_str()), (3, "sub"));
    let nexts: Vec<u64> = entries.iter().map(|e| e.0).collect();
    assert_eq!(nexts, [1, 2, 3, 4], "cookie = index of the next entry");
    assert!(entries.iter().all(|e| e.1 != 0), "D4");
    assert_eq!(buf.len(), 4 * 24 + 1 + 2 + 4 + 3, "packed with no padding");
}

#[test]
fn readdir_resumes_at_cookies_and_past_the_end_reads_nothing() {
    let mut w = world();
    for name in ["a", "b", "c"] {
        std::fs::write(w.dir.path().join(name), b"").unwrap();
    }
    let all = decode(&w.readdir(PREOPEN, 4096, 0).unwrap());
    assert_eq!(all.len(), 5);
    for cookie in 1..=5u64 {
        let tail = decode(&w.readdir(PREOPEN, 4096, cookie).unwrap());
        assert_eq!(tail, all[cookie as usize..], "cookie {cookie}");
    }
    assert_eq!(w.readdir(PREOPEN, 4096, 6), Ok(vec![]));
    assert_eq!(w.readdir(PREOPEN, 4096, u64::MAX), Ok(vec![]));
}

#[test]
fn readdir_fills_a_small_buffer_exactly() {
    let mut w = world();
    std::fs::write(w.dir.path().join("some_long_name"), b"").unwrap();
    let full = w.readdir(PREOPEN, 4096, 0).unwrap();
    // Every length up to the full listing comes back full, cut mid-entry if need be (D2).
    for len in [1u32, 10, 24, 25, 30, 49, 50, full.len() as u32 - 1] {
        let part = w.readdir(PREOPEN, len, 0).unwrap();
        assert_eq!(part.len(), len as usize, "buffer of {len} is filled");
        assert_eq!(part[..], full[..len as usize]);
    }
    assert_eq!(w.readdir(PREOPEN, 0, 0), Ok(vec![]));
    // What wasi-libc does after a full buffer: re-read from the last complete d_next.
    let first = decode(&w.readdir(PREOPEN, 30, 0).unwrap());
    assert_eq!(first.len(), 1);
    let rest = decode(&w.readdir(PREOPEN, 4096, first[0].0).unwrap());
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[1].3, "some_long_name");
}

#[test]
fn readdir_reports_symlinks_as_symlinks() {
    let mut w = world();
    std::os::unix::fs::symlink("sub", w.dir.path().join("to_sub")).unwrap();
    std::os::unix::fs::symlink("missing", w.dir.path().join("dangling")).unwrap();
    std::fs::create_dir(w.dir.path().join("sub")).unwrap();
    let entries = decode(&w.readdir(PREOPEN, 4096, 0).unwrap());
    let kind = |name: &str| entries.iter().find(|e| e.3 == name).map(|e| (e.1, e.2));
    let link = w.dir.path().join("to_sub");
    assert_eq!(kind("to_sub"), Some((inode(&link), 7)));
    assert_eq!(kind("dangling").map(|k| k.1), Some(7));
    assert_eq!(kind("sub").map(|k| k.1), Some(3));
}

#[test]
fn readdir_snapshot_is_stable_until_cookie_zero() {
    let mut w = world();
    std::fs::write(w.dir.path().join("old"), b"").unwrap();
    let first = decode(&w.readdir(PREOPEN, 4096, 0).unwrap());
    std::fs::write(w.dir.path().join("new"), b"").unwrap();
    std::fs::remove_file(w.dir.path().join("old")).unwrap();
    let later = decode(&w.readdir(PREOPEN, 4096, 2).unwrap());
    assert_eq!(
        later,
        first[2..],
        "cookies index the cookie-0 snapshot (D3)"
    );
    let fresh = decode(&w.readdir(PREOPEN, 4096, 0).unwrap());
    let names: Vec<&str> = fresh.iter().map(|e| e.3.as_str()).collect();
    assert_eq!(names, [".", "..", "new"]);
}

#[test]
fn readdir_needs_a_directory_and_the_right() {
    let mut w = world();
    let file = w.open("f", OFlags::RDWR);
    assert_eq!(w.readdir(file, 64, 0), Err(Errno::Notdir));
    assert_eq!(w.readdir(1, 64, 0), Err(Errno::Notdir));
    assert_eq!(w.readdir(99, 64, 0), Err(Errno::Badf));
    let keep = Rights::PATH_OPEN.bits();
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, PREOPEN, keep, 0))
        .unwrap();
    assert_eq!(w.readdir(PREOPEN, 64, 0), Err(Errno::Notcapable));
}

#[test]
fn filestat_reports_size_type_and_inode() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"twelve bytes"]).unwrap();
    w.mem[OUT as usize..OUT as usize + 64].fill(0xAA);
    w.call(|cx, m| fd_filestat_get(cx, m, fd, OUT)).unwrap();
    let st = rustix::fs::stat(w.dir.path().join("f")).unwrap();
    #[allow(clippy::unnecessary_cast)]
    {
        assert_eq!(w.u64_at(OUT), st.st_dev as u64);
        assert_eq!(w.u64_at(OUT + 8), st.st_ino as u64);
    }
    assert_eq!(w.mem[OUT as usize + 16], 4);
    assert_eq!(w.bytes(OUT + 17, 7), &[0; 7]);
    assert_eq!(w.u64_at(OUT + 24), 1, "nlink");
    assert_eq!(w.u64_at(OUT + 32), 12, "size");
    assert!(
        w.u64_at(OUT + 48) > 1_000_000_000 * 1_600_000_000,
        "mtim in ns"
    );

    let dir = w.filestat(PREOPEN).unwrap();
    assert_eq!(dir.filetype, 3);
    assert_eq!(dir.ino, inode(w.dir.path()));

    // A stream has nothing to fstat: its filetype and zeros.
    let stream = w.filestat(1).unwrap();
    assert_eq!(
        stream,
        Filestat {
            filetype: 2,
            ..Filestat::default()
        }
    );
    w.call(|cx, m| fd_fdstat_set_rights(cx, m, fd, 0, 0))
        .unwrap();
    assert_eq!(w.filestat(fd), Err(Errno::Notcapable));
}

#[test]
fn set_size_grows_with_zeros_and_shrinks() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"abc"]).unwrap();
    w.call(|cx, m| fd_filestat_set_size(cx, m, fd, 6)).unwrap();
    assert_eq!(w.file_contents("f"), b"abc\0\0\0");
    assert_eq!(w.tell(fd), Ok(3), "the offset does not move");
    w.call(|cx, m| fd_filestat_set_size(cx, m, fd, 1)).unwrap();
    assert_eq!(w.file_contents("f"), b"a");
    assert_eq!(w.filestat(fd).unwrap().size, 1);
    assert_eq!(
        w.call(|cx, m| fd_filestat_set_size(cx, m, fd, u64::MAX)),
        Err(Errno::Inval)
    );
    assert_eq!(
        w.call(|cx, m| fd_filestat_set_size(cx, m, PREOPEN, 0)),
        Err(Errno::Notcapable),
        "directories lack FD_FILESTAT_SET_SIZE"
    );
}

#[test]
fn set_times_keeps_nanoseconds_and_refuses_conflicting_flags() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    let atim = 1_234_567_890_123_456_789;
    let mtim = 1_000_000_000_000_000_001;
    let (atim_f, atim_now, mtim_f, mtim_now) = (1, 2, 4, 8);
    w.call(|cx, m| fd_filestat_set_times(cx, m, fd, atim, mtim, atim_f | mtim_f))
        .unwrap();
    let st = w.filestat(fd).unwrap();
    assert_eq!((st.atim, st.mtim), (atim, mtim));
    // Only MTIM: the access time is left alone (UTIME_OMIT).
    w.call(|cx, m| fd_filestat_set_times(cx, m, fd, 5, 7_000_000_000, mtim_f))
        .unwrap();
    let st = w.filestat(fd).unwrap();
    assert_eq!((st.atim, st.mtim), (atim, 7_000_000_000));
    // MTIM_NOW: the host's current time.
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    w.call(|cx, m| fd_filestat_set_times(cx, m, fd, 0, 0, mtim_now))
        .unwrap();
    let st = w.filestat(fd).unwrap();
    assert_eq!(st.atim, atim);
    assert!(st.mtim + 1_000_000_000 >= before, "mtim is about now");
    for bad in [atim_f | atim_now, mtim_f | mtim_now, 0x10, 0x1_0000] {
        assert_eq!(
            w.call(|cx, m| fd_filestat_set_times(cx, m, fd, 1, 1, bad)),
            Err(Errno::Inval),
            "fst_flags {bad:#x}"
        );
    }
    assert_eq!(w.filestat(fd).unwrap().atim, atim, "nothing changed");
    assert_eq!(
        w.call(|cx, m| fd_filestat_set_times(cx, m, 1, 0, 0, 0)),
        Err(Errno::Notcapable)
    );
}

#[test]
fn bad_pointers_are_overflow_and_leave_memory_untouched() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"contents"]).unwrap();
    w.seek(fd, 0, 0).unwrap();
    w.mem.fill(0x5A);
    let end = MEM_SIZE as u32;
    let snapshot = w.mem.clone();
    let calls: Vec<(&str, Result<(), Errno>)> = vec![
        ("fdstat", w.call(|cx, m| fd_fdstat_get(cx, m, fd, end - 23))),
        (
            "filestat",
            w.call(|cx, m| fd_filestat_get(cx, m, fd, end - 63)),
        ),
        (
            "prestat",
            w.call(|cx, m| fd_prestat_get(cx, m, PREOPEN, end - 7)),
        ),
        ("tell", w.call(|cx, m| fd_tell(cx, m, fd, end - 7))),
        ("seek", w.call(|cx, m| fd_seek(cx, m, fd, 3, 0, end - 7))),
        (
            "readdir buf",
            w.call(|cx, m| fd_readdir(cx, m, PREOPEN, end - 10, 11, 0, OUT)),
        ),
        (
            "readdir bufused",
            w.call(|cx, m| fd_readdir(cx, m, PREOPEN, DIRBUF, 100, 0, end - 3)),
        ),
        (
            "iovec array",
            w.call(|cx, m| fd_read(cx, m, fd, end - 4, 1, OUT)),
        ),
        (
            "pread nread",
            w.call(|cx, m| fd_pread(cx, m, fd, IOVS, 0, 0, end)),
        ),
    ];
    for (name, result) in calls {
        assert_eq!(result, Err(Errno::Overflow), "{name}");
    }
    assert!(w.mem == snapshot, "no call wrote anything");
    // A read whose buffer is fine but whose nread is not reads nothing at all.
    w.iovecs(&[(DATA, 4)]);
    let snapshot = w.mem.clone();
    assert_eq!(
        w.call(|cx, m| fd_read(cx, m, fd, IOVS, 1, end - 2)),
        Err(Errno::Overflow)
    );
    assert!(w.mem == snapshot);
    assert_eq!(w.tell(fd), Ok(0), "neither the read nor the seek moved");
    // A buffer running off the end, and an iovec count that overflows u32 arithmetic.
    w.iovecs(&[(end - 2, 4)]);
    assert_eq!(
        w.call(|cx, m| fd_write(cx, m, fd, IOVS, 1, OUT)),
        Err(Errno::Overflow)
    );
    assert_eq!(
        w.call(|cx, m| fd_write(cx, m, fd, IOVS, u32::MAX, OUT)),
        Err(Errno::Overflow)
    );
    assert_eq!(w.file_contents("f"), b"contents");
}

#[test]
fn directories_refuse_read_and_write() {
    let mut w = world();
    assert_eq!(w.read(PREOPEN, 4), Err(Errno::Isdir));
    assert_eq!(w.write(PREOPEN, &[b"x"]), Err(Errno::Isdir));
    assert_eq!(w.pwrite(PREOPEN, b"x", 0), Err(Errno::Isdir));
    assert_eq!(
        w.call(|cx, m| fd_advise(cx, m, PREOPEN, 0, 0, 0)),
        Err(Errno::Isdir)
    );
}

#[test]
fn advise_checks_advice_and_allocate_never_shrinks() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    for advice in 0..6 {
        assert_eq!(w.call(|cx, m| fd_advise(cx, m, fd, 0, 0, advice)), Ok(()));
    }
    assert_eq!(
        w.call(|cx, m| fd_advise(cx, m, fd, 0, 10, 6)),
        Err(Errno::Inval)
    );
    assert_eq!(
        w.call(|cx, m| fd_advise(cx, m, 99, 0, 10, 6)),
        Err(Errno::Badf)
    );
    assert_eq!(
        w.call(|cx, m| fd_advise(cx, m, 1, 0, 10, 0)),
        Err(Errno::Notcapable)
    );
    w.write(fd, &[b"0123456789"]).unwrap();
    match w.call(|cx, m| fd_allocate(cx, m, fd, 0, 4)) {
        Ok(()) => {
            assert_eq!(w.filestat(fd).unwrap().size, 10, "never shrinks");
            w.call(|cx, m| fd_allocate(cx, m, fd, 8, 8)).unwrap();
            assert_eq!(w.filestat(fd).unwrap().size, 16, "grows");
        }
        // W6: a host without preallocation may say so.
        Err(e) => assert_eq!(e, Errno::Notsup),
    }
}

#[test]
fn sync_and_datasync_need_their_rights() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"data"]).unwrap();
    assert_eq!(w.call(|cx, m| fd_sync(cx, m, fd)), Ok(()));
    assert_eq!(w.call(|cx, m| fd_datasync(cx, m, fd)), Ok(()));
    assert_eq!(w.call(|cx, m| fd_sync(cx, m, PREOPEN)), Ok(()));
    assert_eq!(
        w.call(|cx, m| fd_datasync(cx, m, PREOPEN)),
        Err(Errno::Notcapable)
    );
    assert_eq!(w.call(|cx, m| fd_sync(cx, m, 1)), Err(Errno::Notcapable));
    assert_eq!(w.call(|cx, m| fd_sync(cx, m, 99)), Err(Errno::Badf));
}

#[test]
fn unstable_abi_shares_seek_and_filestat() {
    let mut w = world();
    let fd = w.open("f", OFlags::RDWR);
    w.write(fd, &[b"0123456789"]).unwrap();
    // snapshot 0: whence 2 is SET.
    w.call(|cx, m| crate::unstable::fd_seek(cx, m, fd, 4, 2, OUT))
        .unwrap();
    assert_eq!(w.u64_at(OUT), 4);
    w.call(|cx, m| crate::unstable::fd_filestat_get(cx, m, fd, OUT))
        .unwrap();
    assert_eq!(w.u64_at(OUT + 24), 10, "size at 24 in the 56-byte layout");
}

#[test]
fn readdir_skips_names_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let mut w = world();
    std::fs::write(
        w.dir.path().join(std::ffi::OsStr::from_bytes(b"bad\xff")),
        b"",
    )
    .unwrap();
    std::fs::write(w.dir.path().join("good"), b"").unwrap();
    let entries = decode(&w.readdir(PREOPEN, 4096, 0).unwrap());
    let names: Vec<&str> = entries.iter().map(|e| e.3.as_str()).collect();
    assert_eq!(
        names,
        [".", "..", "good"],
        "D6: guest paths are UTF-8, so such names are skipped"
    );
}
