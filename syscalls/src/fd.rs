//! `fd_*`: descriptor operations (§4.3, §4.4, §4.7, §4.8, §4.10).
//!
//! Reads and writes go straight between the host and guest memory where they can: writes
//! hand the guest's buffers to one `writev`, reads carve the guest's buffers into disjoint
//! slices for one `readv` (W2). Only overlapping read buffers and embedder streams are
//! staged through one host buffer. Nothing is buffered on the way out (W1).

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, BorrowedFd};

use rustix::event::{PollFd, PollFlags};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, SeekFrom};
use wisp_fdtable::{
    DirSnapshot, Dirent, Entry, Fdflags, Filetype, Fstflags, Host, Rights, RightsSet,
};

use crate::abi::{DIRENT_SIZE, Fdstat, Filestat, Whence};
use crate::ctx::{Stream, WasiCtx};
use crate::errno::Errno;
use crate::guest::{GuestMemory, Iovec};

#[cfg(test)]
mod tests;

/// Linux's `IOV_MAX`: a single `readv`/`writev` takes at most this many buffers; the
/// rest of a longer iovec array is left for the guest's next call (a short transfer, W2).
const IOV_MAX: usize = 1024;

/// Most bytes staged through a host buffer in one call (embedder streams, overlapping
/// read buffers). Short transfers are legal (W2), and this bounds what a guest can make
/// the host allocate with iovecs that all name the same large region.
const STAGING_MAX: u64 = 1 << 20;

/// `fd_advise(fd, offset, len, advice)`: declares how the guest will access a range of
/// a file; passed on to the host's `posix_fadvise` (W7).
///
/// Rights: FD_ADVISE on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_ADVISE.
/// - `INVAL`: `advice` is 6 or more (M4, W7).
/// - `ISDIR`: `fd` is a directory (W7).
/// - `SPIPE`: `fd` is an embedder stream; the host gives the same for pipes.
/// - any other host error of `posix_fadvise`, mapped by name.
///
/// # References
/// - [preview1 `fd_advise`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_advise)
/// - [`posix_fadvise(2)`](https://man7.org/linux/man-pages/man2/posix_fadvise.2.html)
pub fn fd_advise(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    offset: u64,
    len: u64,
    advice: u32,
) -> Result<(), Errno> {
    use rustix::fs::Advice;
    let entry = cx.table.get(fd, Rights::FD_ADVISE)?;
    let advice = match advice {
        0 => Advice::Normal,
        1 => Advice::Sequential,
        2 => Advice::Random,
        3 => Advice::WillNeed,
        4 => Advice::DontNeed,
        5 => Advice::NoReuse,
        _ => return Err(Errno::Inval),
    };
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    let host = entry.fd().ok_or(Errno::Spipe)?;
    // `len == 0` means "to the end of the file", which is what `None` says to rustix.
    rustix::fs::fadvise(host, offset, core::num::NonZeroU64::new(len), advice)?;
    Ok(())
}

/// `fd_allocate(fd, offset, len)`: makes sure the file has storage for `[offset, offset +
/// len)`, growing it if that ends past EOF; never shrinks it (W6).
///
/// Rights: FD_ALLOCATE on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_ALLOCATE.
/// - `ISDIR`: `fd` is a directory.
/// - `SPIPE`: `fd` is an embedder stream; the host gives the same for pipes.
/// - `NOTSUP`: the host filesystem cannot preallocate (W6 allows it).
/// - `INVAL` (`len` is 0), `FBIG` (`offset + len` too large), or another host error of
///   `fallocate`, mapped by name.
///
/// # References
/// - [preview1 `fd_allocate`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_allocate)
/// - [`fallocate(2)`](https://man7.org/linux/man-pages/man2/fallocate.2.html)
pub fn fd_allocate(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    offset: u64,
    len: u64,
) -> Result<(), Errno> {
    let entry = cx.table.get(fd, Rights::FD_ALLOCATE)?;
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    let host = entry.fd().ok_or(Errno::Spipe)?;
    // Mode 0 only ever allocates and extends; it never deallocates or shrinks (W6).
    rustix::fs::fallocate(host, rustix::fs::FallocateFlags::empty(), offset, len)?;
    Ok(())
}

/// `fd_close(fd)`: removes `fd` from the table and closes what backs it. Closing 0, 1 or
/// 2 never closes the host's stdio (F3); embedder streams are flushed, then dropped.
///
/// Rights: none.
///
/// # Errors
/// - `BADF`: `fd` is not open, including a second close (F3).
///
/// # References
/// - [preview1 `fd_close`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_close)
/// - [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html)
pub fn fd_close(cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
    let entry = cx.table.close(fd)?;
    retire(entry);
    Ok(())
}

/// `fd_datasync(fd)`: writes the file's data (not all metadata) to the device. For an
/// embedder stream it flushes the stream.
///
/// Rights: FD_DATASYNC on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_DATASYNC.
/// - any host error of `fdatasync` (`INVAL` for pipes and ttys), mapped by name.
///
/// # References
/// - [preview1 `fd_datasync`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_datasync)
/// - [`fdatasync(2)`](https://man7.org/linux/man-pages/man2/fdatasync.2.html)
pub fn fd_datasync(cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
    let entry = cx.table.get_mut(fd, Rights::FD_DATASYNC)?;
    match entry.host_mut() {
        Host::Stream(stream) => stream.flush(),
        host => rustix::fs::fdatasync(host.fd().ok_or(Errno::Badf)?)?,
    }
    Ok(())
}

/// `fd_fdstat_get(fd, stat)`: writes the 24-byte `fdstat` of `fd`: its filetype, its
/// WASI fd flags (never host `fcntl` bits) and its current rights (F8, F11).
///
/// Rights: none.
///
/// # Errors
/// - `OVERFLOW`: the 24 bytes at `stat` are not all inside memory (M1); nothing is
///   written.
/// - `BADF`: `fd` is not open.
///
/// # References
/// - [preview1 `fd_fdstat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_fdstat_get)
pub fn fd_fdstat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    stat: u32,
) -> Result<(), Errno> {
    mem.check(stat, 24)?;
    fdstat(cx, fd)?.write(mem, stat, Rights::all())
}

/// `fd_fdstat_set_flags(fd, fdflags)`: changes APPEND and NONBLOCK (F9). The sync flags
/// may be passed back as they are but never changed.
///
/// The change is recorded in the entry and applied to the host handle with `fcntl`
/// when wisp owns the handle. A borrowed host fd (the process's own stdio) is left
/// alone, because its flags belong to a file description shared with the parent
/// process (a terminal left in `O_NONBLOCK` breaks the shell); NONBLOCK is then honoured
/// by polling before each read or write instead (see [`fd_read`]).
///
/// Rights: FD_FDSTAT_SET_FLAGS on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `INVAL`: `fdflags` has bits above 0x1F (M5).
/// - `NOTCAPABLE`: `fd` lacks FD_FDSTAT_SET_FLAGS.
/// - `NOTSUP`: the call would set or clear DSYNC, RSYNC or SYNC (F9).
/// - any host error of `fcntl`, mapped by name (the entry is left unchanged then).
///
/// # References
/// - [preview1 `fd_fdstat_set_flags`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_fdstat_set_flags)
/// - [`fcntl(2)`](https://man7.org/linux/man-pages/man2/fcntl.2.html) (`F_GETFL`, `F_SETFL`)
pub fn fd_fdstat_set_flags(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    fdflags: u32,
) -> Result<(), Errno> {
    let old = cx.table.get(fd, Rights::empty())?.fdflags();
    let fdflags = Fdflags::from_guest(fdflags)?;
    cx.table.set_fdflags(fd, fdflags)?;
    let entry = cx.table.get(fd, Rights::empty())?;
    if let Host::Owned(host) = entry.host()
        && let Err(e) = apply_host_fdflags(host.as_fd(), fdflags)
    {
        // Put the old flags back so the entry keeps describing the host handle. The sync
        // bits are unchanged (set_fdflags checked), so this cannot fail.
        let _ = cx.table.set_fdflags(fd, old);
        return Err(e);
    }
    Ok(())
}

/// `fd_fdstat_set_rights(fd, fs_rights_base, fs_rights_inheriting)`: narrows the rights
/// of `fd`; rights never grow back (F10). Bits 30–63 are ignored (M5).
///
/// Rights: none (the new sets must lie within the current ones).
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: either set holds a right `fd` does not have (F10).
///
/// # References
/// - [preview1 `fd_fdstat_set_rights`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_fdstat_set_rights)
pub fn fd_fdstat_set_rights(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    fs_rights_base: u64,
    fs_rights_inheriting: u64,
) -> Result<(), Errno> {
    cx.table.set_rights(
        fd,
        Rights::from_guest(fs_rights_base),
        Rights::from_guest(fs_rights_inheriting),
    )?;
    Ok(())
}

/// `fd_filestat_get(fd, buf)`: writes the 64-byte preview1 `filestat` of `fd` (S1, S2).
/// Embedder streams have nothing to `fstat` and report their filetype with every other
/// field zero.
///
/// Rights: FD_FILESTAT_GET on `fd`.
///
/// # Errors
/// - `OVERFLOW`: the 64 bytes at `buf` are not all inside memory (M1); nothing is written.
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_FILESTAT_GET.
/// - any host error of `fstat`, mapped by name.
///
/// # References
/// - [preview1 `fd_filestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_filestat_get)
/// - [`fstat(2)`](https://man7.org/linux/man-pages/man2/fstat.2.html)
pub fn fd_filestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem.check(buf, u64::from(Filestat::SIZE))?;
    filestat(cx, fd)?.write_preview1(mem, buf)
}

/// `fd_filestat_set_size(fd, size)`: truncates or extends the file to `size` bytes;
/// growth reads back as zeros (W6). The offset does not move.
///
/// Rights: FD_FILESTAT_SET_SIZE on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_FILESTAT_SET_SIZE.
/// - `ISDIR`: `fd` is a directory.
/// - `INVAL`: `fd` is an embedder stream, or the host refuses (pipes, `size` above
///   2^63 - 1).
/// - `FBIG` or another host error of `ftruncate`, mapped by name.
///
/// # References
/// - [preview1 `fd_filestat_set_size`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_filestat_set_size)
/// - [`ftruncate(2)`](https://man7.org/linux/man-pages/man2/ftruncate.2.html)
pub fn fd_filestat_set_size(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    size: u64,
) -> Result<(), Errno> {
    let entry = cx.table.get(fd, Rights::FD_FILESTAT_SET_SIZE)?;
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    let host = entry.fd().ok_or(Errno::Inval)?;
    if i64::try_from(size).is_err() {
        // The kernel takes a signed length.
        return Err(Errno::Inval);
    }
    rustix::fs::ftruncate(host, size)?;
    Ok(())
}

/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`: sets the access and/or
/// modification time, in nanoseconds since the epoch or to the host's current time;
/// times not named in `fst_flags` are left unchanged (S3).
///
/// Rights: FD_FILESTAT_SET_TIMES on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_FILESTAT_SET_TIMES.
/// - `INVAL`: `fst_flags` has unknown bits, or names both ATIM and ATIM_NOW, or both
///   MTIM and MTIM_NOW (S3).
/// - any host error of `futimens`, mapped by name (`PERM`, `ACCES`, `ROFS`).
///
/// An embedder stream has no times: the flags are checked and nothing else happens.
///
/// # References
/// - [preview1 `fd_filestat_set_times`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_filestat_set_times)
/// - [`futimens(3)`](https://man7.org/linux/man-pages/man3/futimens.3.html)
pub fn fd_filestat_set_times(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(), Errno> {
    let entry = cx.table.get(fd, Rights::FD_FILESTAT_SET_TIMES)?;
    let times = timestamps(atim, mtim, fst_flags)?;
    if let Some(host) = entry.fd() {
        rustix::fs::futimens(host, &times)?;
    }
    Ok(())
}

/// `fd_pread(fd, iovs, iovs_len, offset, nread)`: reads from position `offset` into the
/// guest's buffers without moving the fd's offset (W4); writes the count to `nread`. 0
/// means end of file.
///
/// Rights: FD_READ and FD_SEEK on `fd`.
///
/// # Errors
/// - `OVERFLOW`: the iovec array, one of its buffers, or the 4 bytes at `nread` are not
///   inside memory (M1, M8); nothing is read or written.
/// - `BADF`: `fd` is not open.
/// - `ISDIR`: `fd` is a directory (W4).
/// - `SPIPE`: `fd` is a stream, pipe, socket or terminal (W4).
/// - `NOTCAPABLE`: `fd` lacks FD_READ or FD_SEEK.
/// - `INVAL`: `offset` plus the buffers' total length overflows a u64 (W4), or the host
///   refuses the offset.
/// - any other host error of `preadv`, mapped by name.
///
/// # References
/// - [preview1 `fd_pread`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_pread)
/// - [`preadv(2)`](https://man7.org/linux/man-pages/man2/preadv.2.html)
pub fn fd_pread(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nread: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    mem.check(nread, 4)?;
    let entry = cx.table.get(fd, Rights::empty())?;
    let host = positional(entry)?;
    demand(fd, entry, Rights::FD_READ | Rights::FD_SEEK)?;
    offset.checked_add(total_len(&iovs)).ok_or(Errno::Inval)?;
    let n = host_read(host, mem, &iovs, Some(offset))?;
    mem.write_u32(nread, count(n))
}

/// `fd_prestat_get(fd, buf)`: writes the 8-byte `prestat` of a preopened directory: tag
/// 0 (`dir`) and the length of its name (F5).
///
/// Rights: none.
///
/// # Errors
/// - `OVERFLOW`: the 8 bytes at `buf` are not all inside memory; nothing is written.
/// - `BADF`: `fd` is not open, or is open but not a preopen. wasi-libc scans fds from 3
///   up to the first `BADF`, so no other errno may end the scan (F5).
/// - `NAMETOOLONG`: the name is longer than a u32 can say.
///
/// # References
/// - [preview1 `fd_prestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_prestat_get)
pub fn fd_prestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem.check(buf, 8)?;
    let name = cx.table.preopen_name(fd)?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
    let mut prestat = [0u8; 8];
    // Tag 0 (`preopentype::dir`) at 0, padding at 1..4, `pr_name_len` at 4.
    prestat[4..].copy_from_slice(&len.to_le_bytes());
    mem.write(buf, &prestat)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: writes the preopen's name, exactly as
/// configured (F7), without a NUL (F6).
///
/// Rights: none.
///
/// # Errors
/// - `OVERFLOW`: `[path, path + path_len)` is not inside memory; nothing is written.
/// - `BADF`: `fd` is not open, or is not a preopen (F6).
/// - `NAMETOOLONG`: `path_len` is shorter than the name (F6; Node's `NOBUFS` fails the
///   suite).
///
/// # References
/// - [preview1 `fd_prestat_dir_name`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_prestat_dir_name)
pub fn fd_prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    mem.check(path, u64::from(path_len))?;
    let name = cx.table.preopen_name(fd)?;
    if name.len() > path_len as usize {
        return Err(Errno::Nametoolong);
    }
    mem.write(path, name.as_bytes())
}

/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten)`: writes the guest's buffers at
/// position `offset` without moving the fd's offset (W4); writes the count to
/// `nwritten`. On an APPEND fd Linux writes at the end instead (W4 accepts both).
///
/// Rights: FD_WRITE and FD_SEEK on `fd`.
///
/// # Errors
/// - `OVERFLOW`: the iovec array, one of its buffers, or the 4 bytes at `nwritten` are
///   not inside memory (M1, M8); nothing is written.
/// - `BADF`: `fd` is not open.
/// - `ISDIR`: `fd` is a directory (W4).
/// - `SPIPE`: `fd` is a stream, pipe, socket or terminal (W4).
/// - `NOTCAPABLE`: `fd` lacks FD_WRITE or FD_SEEK.
/// - `INVAL`: `offset` plus the buffers' total length overflows a u64 (W4), or the host
///   refuses the offset.
/// - any other host error of `pwritev` (`NOSPC`, `FBIG`), mapped by name.
///
/// # References
/// - [preview1 `fd_pwrite`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_pwrite)
/// - [`pwritev(2)`](https://man7.org/linux/man-pages/man2/pwritev.2.html)
pub fn fd_pwrite(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    offset: u64,
    nwritten: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    mem.check(nwritten, 4)?;
    let entry = cx.table.get(fd, Rights::empty())?;
    let host = positional(entry)?;
    demand(fd, entry, Rights::FD_WRITE | Rights::FD_SEEK)?;
    offset.checked_add(total_len(&iovs)).ok_or(Errno::Inval)?;
    let n = host_write(host, mem, &iovs, Some(offset))?;
    mem.write_u32(nwritten, count(n))
}

/// `fd_read(fd, iovs, iovs_len, nread)`: reads at the fd's offset into the guest's
/// buffers, in order, with one host `readv` (W2); writes the count to `nread`. A short
/// count is legal and 0 means end of input.
///
/// Blocking follows the guest's NONBLOCK flag, not the host's (W8): without NONBLOCK a
/// host fd that the host made non-blocking (a shared stdin) is polled until readable and
/// read again; with NONBLOCK a pipe, socket or terminal that has nothing to read gives
/// `AGAIN`. Before reading anything that is not a regular file, embedder streams on
/// stdio are flushed, so a prompt without a newline is out before the guest waits (W1).
///
/// Rights: FD_READ on `fd`.
///
/// # Errors
/// - `OVERFLOW`: the iovec array, one of its buffers, or the 4 bytes at `nread` are not
///   inside memory (M1, M8); nothing is read or written.
/// - `BADF`: `fd` is not open (or the host handle is write-only).
/// - `ISDIR`: `fd` is a directory (W3).
/// - `NOTCAPABLE`: `fd` lacks FD_READ.
/// - `AGAIN`: NONBLOCK is set and nothing is ready (W8).
/// - any other host or stream error of `readv`, mapped by name.
///
/// # References
/// - [preview1 `fd_read`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_read)
/// - [`readv(2)`](https://man7.org/linux/man-pages/man2/readv.2.html),
///   [`poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
pub fn fd_read(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nread: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    mem.check(nread, 4)?;
    let entry = cx.table.get(fd, Rights::empty())?;
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    demand(fd, entry, Rights::FD_READ)?;
    if entry.filetype() != Filetype::RegularFile {
        cx.flush_stdio();
    }
    let entry = cx.table.get_mut(fd, Rights::FD_READ)?;
    let nonblock = entry.fdflags().contains(Fdflags::NONBLOCK);
    let pollable = entry.filetype() != Filetype::RegularFile;
    let n = match entry.host_mut() {
        Host::Stream(stream) => stream_read(stream, mem, &iovs)?,
        host => {
            let host = host.fd().ok_or(Errno::Badf)?;
            blocking(host, PollFlags::IN, nonblock && pollable, || {
                host_read(host, mem, &iovs, None)
            })?
        }
    };
    mem.write_u32(nread, count(n))
}

/// `fd_readdir(fd, buf, buf_len, cookie, bufused)`: fills `buf` with directory entries
/// from position `cookie` on (§4.8).
///
/// The listing is `.` (cookie 1), `..` (cookie 2), then the directory's entries in host
/// order, skipping names that are not UTF-8 (D1, D6); each entry's `d_next` is the index
/// of the one after it. Inodes and types come from `lstat`, so symlinks report
/// SYMBOLIC_LINK and `.` its own inode (D4, D5). A read at cookie 0 takes a fresh
/// snapshot and keeps it on the fd; later cookies index that snapshot, so they stay
/// valid while the directory changes (D3). Entries are packed back to back as a 24-byte
/// header and the name; the last one is cut to fill `buf` exactly, and `bufused <
/// buf_len` only at the end of the directory (D2). A cookie past the end gives
/// `bufused = 0`.
///
/// Rights: FD_READDIR on `fd`.
///
/// # Errors
/// - `OVERFLOW`: `[buf, buf + buf_len)` or the 4 bytes at `bufused` are not inside
///   memory; nothing is written.
/// - `BADF`: `fd` is not open.
/// - `NOTDIR`: `fd` is not a directory (D7, R6).
/// - `NOTCAPABLE`: `fd` lacks FD_READDIR.
/// - any host error of `openat`, `getdents64` or `fstatat`, mapped by name.
///
/// # References
/// - [preview1 `fd_readdir`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_readdir)
/// - [`openat(2)`](https://man7.org/linux/man-pages/man2/openat.2.html),
///   [`getdents64(2)`](https://man7.org/linux/man-pages/man2/getdents64.2.html),
///   [`fstatat(2)`](https://man7.org/linux/man-pages/man2/fstatat.2.html)
pub fn fd_readdir(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<(), Errno> {
    mem.check(buf, u64::from(buf_len))?;
    mem.check(bufused, 4)?;
    let entry = cx.table.get_dir(fd, Rights::FD_READDIR)?;
    if cookie == 0 || entry.readdir().is_none() {
        let snapshot = dir_snapshot(entry.fd().ok_or(Errno::Notdir)?)?;
        cx.table
            .get_mut(fd, Rights::FD_READDIR)?
            .set_readdir(snapshot);
    }
    let entry = cx.table.get_dir(fd, Rights::FD_READDIR)?;
    let Some(snapshot) = entry.readdir() else {
        unreachable!("a readdir snapshot was stored just above")
    };
    let out = pack_dirents(snapshot, cookie, buf_len as usize);
    mem.write(buf, &out)?;
    mem.write_u32(bufused, count(out.len()))
}

/// `fd_renumber(fd, to)`: moves `fd`'s entry (rights, flags, offset, preopen name) to
/// number `to`, closing what was there first with `fd_close`'s rules, and frees `fd`
/// (F4). `fd == to` changes nothing. Renumbering onto a preopen replaces it.
///
/// Rights: none.
///
/// # Errors
/// - `BADF`: `fd` or `to` is not open (F4).
///
/// # References
/// - [preview1 `fd_renumber`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_renumber)
/// - [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html) (of the entry
///   replaced at `to`)
pub fn fd_renumber(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    to: u32,
) -> Result<(), Errno> {
    if let Some(replaced) = cx.table.renumber(fd, to)? {
        retire(replaced);
    }
    Ok(())
}

/// `fd_seek(fd, offset, whence, newoffset)`: moves the fd's offset by the signed
/// `offset` from the start, the current offset or the end (preview1 `whence`: 0 SET, 1
/// CUR, 2 END) and writes the new offset to `newoffset` (W5). Past EOF is allowed.
///
/// Rights: FD_SEEK on `fd`; FD_TELL suffices for `CUR` with offset 0.
///
/// # Errors
/// - `INVAL`: `whence` is 3 or more (M4).
/// - `OVERFLOW`: the 8 bytes at `newoffset` are not all inside memory; nothing moves
///   and nothing is written.
/// - `BADF`: `fd` is not open.
/// - `ISDIR`: `fd` is a directory (W5).
/// - `SPIPE`: `fd` is a stream, pipe, socket or terminal (W5).
/// - `NOTCAPABLE`: `fd` lacks the rights above.
/// - `INVAL`: the new offset would be negative or overflow (W5).
/// - any other host error of `lseek`, mapped by name.
///
/// # References
/// - [preview1 `fd_seek`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_seek)
/// - [`lseek(2)`](https://man7.org/linux/man-pages/man2/lseek.2.html)
pub fn fd_seek(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> Result<(), Errno> {
    let whence = Whence::from_preview1(whence)?;
    mem.check(newoffset, 8)?;
    // `filedelta` is an s64 lowered to i64; link.rs hands it over as its bits.
    let pos = seek(cx, fd, offset as i64, whence)?;
    mem.write_u64(newoffset, pos)
}

/// `fd_sync(fd)`: writes the file's data and metadata to the device. For an embedder
/// stream it flushes the stream.
///
/// Rights: FD_SYNC on `fd`.
///
/// # Errors
/// - `BADF`: `fd` is not open.
/// - `NOTCAPABLE`: `fd` lacks FD_SYNC.
/// - any host error of `fsync` (`INVAL` for pipes and ttys), mapped by name.
///
/// # References
/// - [preview1 `fd_sync`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_sync)
/// - [`fsync(2)`](https://man7.org/linux/man-pages/man2/fsync.2.html)
pub fn fd_sync(cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
    let entry = cx.table.get_mut(fd, Rights::FD_SYNC)?;
    match entry.host_mut() {
        Host::Stream(stream) => stream.flush(),
        host => rustix::fs::fsync(host.fd().ok_or(Errno::Badf)?)?,
    }
    Ok(())
}

/// `fd_tell(fd, offset)`: writes the fd's current offset to `offset` (W5).
///
/// Rights: FD_TELL on `fd` (table 2.1; FD_SEEK alone does not do).
///
/// # Errors
/// - `OVERFLOW`: the 8 bytes at `offset` are not all inside memory; nothing is written.
/// - `BADF`: `fd` is not open.
/// - `ISDIR`: `fd` is a directory (W5).
/// - `SPIPE`: `fd` is a stream, pipe, socket or terminal (W5).
/// - `NOTCAPABLE`: `fd` lacks FD_TELL.
/// - any other host error of `lseek`, mapped by name.
///
/// # References
/// - [preview1 `fd_tell`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_tell)
/// - [`lseek(2)`](https://man7.org/linux/man-pages/man2/lseek.2.html)
pub fn fd_tell(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    offset: u32,
) -> Result<(), Errno> {
    mem.check(offset, 8)?;
    let entry = cx.table.get(fd, Rights::empty())?;
    positional(entry)?;
    demand(fd, entry, Rights::FD_TELL)?;
    let pos = seek(cx, fd, 0, Whence::Cur)?;
    mem.write_u64(offset, pos)
}

/// `fd_write(fd, iovs, iovs_len, nwritten)`: writes the guest's buffers, in order, with
/// one host `writev` straight from guest memory (W2), and writes the count to
/// `nwritten`. Nothing is buffered: when the call returns the bytes are with the host or
/// the embedder's stream (W1). On an APPEND fd the host handle is in `O_APPEND` mode, so
/// the kernel puts every write at the end (O7). Blocking follows the guest's NONBLOCK
/// flag as in [`fd_read`] (W8).
///
/// Rights: FD_WRITE on `fd`.
///
/// # Errors
/// - `OVERFLOW`: the iovec array, one of its buffers, or the 4 bytes at `nwritten` are
///   not inside memory (M1, M8); nothing is written.
/// - `BADF`: `fd` is not open (or the host handle is read-only).
/// - `ISDIR`: `fd` is a directory (W3).
/// - `NOTCAPABLE`: `fd` lacks FD_WRITE.
/// - `AGAIN`: NONBLOCK is set and the pipe, socket or terminal is full (W8).
/// - any other host or stream error of `writev` (`PIPE`, `NOSPC`, `FBIG`), mapped by
///   name.
///
/// # References
/// - [preview1 `fd_write`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_write)
/// - [`writev(2)`](https://man7.org/linux/man-pages/man2/writev.2.html),
///   [`poll(2)`](https://man7.org/linux/man-pages/man2/poll.2.html)
pub fn fd_write(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    iovs: u32,
    iovs_len: u32,
    nwritten: u32,
) -> Result<(), Errno> {
    let iovs = mem.iovecs(iovs, iovs_len)?;
    mem.check(nwritten, 4)?;
    let entry = cx.table.get_mut(fd, Rights::empty())?;
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    demand(fd, entry, Rights::FD_WRITE)?;
    let nonblock = entry.fdflags().contains(Fdflags::NONBLOCK);
    let pollable = entry.filetype() != Filetype::RegularFile;
    let n = match entry.host_mut() {
        Host::Stream(stream) => stream_write(stream, mem, &iovs)?,
        host => {
            let host = host.fd().ok_or(Errno::Badf)?;
            blocking(host, PollFlags::OUT, nonblock && pollable, || {
                host_write(host, mem, &iovs, None)
            })?
        }
    };
    mem.write_u32(nwritten, count(n))
}

/// The `fdstat` of `fd` (shared by both ABIs): filetype, WASI fd flags and current rights
/// (F8). Callers mask the rights to their ABI's width.
///
/// # Errors
/// `BADF` for a closed fd.
pub(crate) fn fdstat(cx: &mut WasiCtx, fd: u32) -> Result<Fdstat, Errno> {
    let entry = cx.table.get(fd, Rights::empty())?;
    let rights = entry.rights();
    Ok(Fdstat {
        filetype: entry.filetype().raw(),
        flags: entry.fdflags().bits(),
        rights_base: rights.base,
        rights_inheriting: rights.inheriting,
    })
}

/// The `filestat` of `fd` (shared by both ABIs); needs FD_FILESTAT_GET. Host fds are
/// `fstat`ed (S1); embedder streams report their filetype and zeros.
///
/// # Errors
/// `BADF`, `NOTCAPABLE`, or a host error.
pub(crate) fn filestat(cx: &mut WasiCtx, fd: u32) -> Result<Filestat, Errno> {
    let entry = cx.table.get(fd, Rights::FD_FILESTAT_GET)?;
    match entry.fd() {
        Some(host) => Ok(Filestat::from_host(&rustix::fs::fstat(host)?)),
        None => Ok(Filestat {
            filetype: entry.filetype().raw(),
            ..Filestat::default()
        }),
    }
}

/// Moves the offset of `fd` (shared by both ABIs); gives the new offset. `CUR` with delta
/// 0 is a tell and needs only FD_TELL (or FD_SEEK); everything else needs FD_SEEK.
///
/// # Errors
/// `BADF`, `NOTCAPABLE`, `SPIPE`, `INVAL`, `ISDIR` (W5).
pub(crate) fn seek(cx: &mut WasiCtx, fd: u32, delta: i64, whence: Whence) -> Result<u64, Errno> {
    let entry = cx.table.get(fd, Rights::empty())?;
    let host = positional(entry)?;
    let pos = match whence {
        Whence::Cur if delta == 0 => {
            if !entry
                .rights()
                .base
                .intersects(Rights::FD_TELL | Rights::FD_SEEK)
            {
                demand(fd, entry, Rights::FD_TELL)?;
            }
            SeekFrom::Current(0)
        }
        Whence::Set => {
            demand(fd, entry, Rights::FD_SEEK)?;
            SeekFrom::Start(u64::try_from(delta).map_err(|_| Errno::Inval)?)
        }
        Whence::Cur => {
            demand(fd, entry, Rights::FD_SEEK)?;
            SeekFrom::Current(delta)
        }
        Whence::End => {
            demand(fd, entry, Rights::FD_SEEK)?;
            SeekFrom::End(delta)
        }
    };
    match rustix::fs::seek(host, pos) {
        Ok(pos) => Ok(pos),
        // The kernel reports a sum past i64::MAX as EOVERFLOW; W5 wants INVAL.
        Err(rustix::io::Errno::OVERFLOW) => Err(Errno::Inval),
        Err(e) => Err(e.into()),
    }
}

/// `NOTCAPABLE` unless `entry`'s base rights include `required` (R1). For the calls that
/// decide ISDIR/SPIPE from the descriptor's type before looking at rights.
fn demand(fd: u32, entry: &Entry<Stream>, required: Rights) -> Result<(), Errno> {
    let missing = required.difference(entry.rights().base);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(wisp_fdtable::Error::not_capable(fd, RightsSet::Base, missing).into())
    }
}

/// The host fd of an entry that positional calls (seek, tell, pread, pwrite) may use:
/// `ISDIR` for directories and `SPIPE` for streams, pipes, sockets and terminals (W4,
/// W5). Those answers come before the rights check, because stdio and directories never
/// hold FD_SEEK and the guest should learn *why* it cannot seek. A terminal is a
/// character device without FD_SEEK and FD_TELL (F11); other character devices
/// (`/dev/null`) are left to the kernel.
fn positional(entry: &Entry<Stream>) -> Result<BorrowedFd<'_>, Errno> {
    if entry.is_dir() {
        return Err(Errno::Isdir);
    }
    let host = entry.fd().ok_or(Errno::Spipe)?;
    match entry.filetype() {
        Filetype::SocketStream | Filetype::SocketDgram => Err(Errno::Spipe),
        Filetype::CharacterDevice
            if !entry
                .rights()
                .base
                .intersects(Rights::FD_SEEK | Rights::FD_TELL) =>
        {
            Err(Errno::Spipe)
        }
        _ => Ok(host),
    }
}

/// Flushes an entry leaving the table (closed or replaced), then drops it, which closes an
/// owned host fd and never a borrowed one (F3).
fn retire(mut entry: Entry<Stream>) {
    if let Host::Stream(stream) = entry.host_mut() {
        stream.flush();
    }
    drop(entry);
}

/// Sets or clears `O_APPEND` and `O_NONBLOCK` on `host` to match `fdflags`.
fn apply_host_fdflags(host: BorrowedFd<'_>, fdflags: Fdflags) -> Result<(), Errno> {
    let current = rustix::fs::fcntl_getfl(host)?;
    let mut wanted = current;
    wanted.set(OFlags::APPEND, fdflags.contains(Fdflags::APPEND));
    wanted.set(OFlags::NONBLOCK, fdflags.contains(Fdflags::NONBLOCK));
    if wanted != current {
        rustix::fs::fcntl_setfl(host, wanted)?;
    }
    Ok(())
}

/// The `Timestamps` for `futimens` from a guest's times and `fstflags` (S3): `UTIME_OMIT`
/// for a time not named, `UTIME_NOW` for `*_NOW`.
///
/// # Errors
/// `INVAL` for unknown bits or a time given both ways.
pub(crate) fn timestamps(
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<rustix::fs::Timestamps, Errno> {
    let flags = Fstflags::from_guest(fst_flags)?;
    let one = |ns: u64, set: Fstflags, now: Fstflags| -> Result<rustix::fs::Timespec, Errno> {
        let special = |nsec| rustix::fs::Timespec {
            tv_sec: 0,
            tv_nsec: nsec,
        };
        match (flags.contains(set), flags.contains(now)) {
            (true, true) => Err(Errno::Inval),
            (false, true) => Ok(special(rustix::fs::UTIME_NOW)),
            (false, false) => Ok(special(rustix::fs::UTIME_OMIT)),
            (true, false) => Ok(rustix::fs::Timespec {
                // u64::MAX / 10^9 fits an i64 and the remainder is below 10^9.
                tv_sec: (ns / 1_000_000_000) as i64,
                tv_nsec: (ns % 1_000_000_000) as _,
            }),
        }
    };
    Ok(rustix::fs::Timestamps {
        last_access: one(atim, Fstflags::ATIM, Fstflags::ATIM_NOW)?,
        last_modification: one(mtim, Fstflags::MTIM, Fstflags::MTIM_NOW)?,
    })
}

/// Sum of the iovecs' lengths, in u64 (M8).
fn total_len(iovs: &[Iovec]) -> u64 {
    iovs.iter().map(|iov| u64::from(iov.len)).sum()
}

/// A host transfer count as the guest's u32. Host transfers are capped below 2^31 bytes
/// by Linux (`MAX_RW_COUNT`) and staged ones at [`STAGING_MAX`], so this never saturates.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// How many bytes to stage for `iovs`: their total, at most [`STAGING_MAX`].
fn staging_len(iovs: &[Iovec]) -> usize {
    // At most STAGING_MAX, which fits a usize.
    total_len(iovs).min(STAGING_MAX) as usize
}

/// Runs a host transfer with the guest's blocking semantics (W8). With `nonblock`, the fd
/// is polled without waiting first and `AGAIN` returned if it is not ready, even when
/// the host fd itself blocks. Without it, an `AGAIN` from a host fd that someone else
/// made non-blocking is waited out with `poll` and the transfer retried.
fn blocking(
    host: BorrowedFd<'_>,
    events: PollFlags,
    nonblock: bool,
    mut transfer: impl FnMut() -> Result<usize, Errno>,
) -> Result<usize, Errno> {
    if nonblock && !poll_one(host, events, Some(&rustix::time::Timespec::default()))? {
        return Err(Errno::Again);
    }
    loop {
        match transfer() {
            Err(Errno::Again) if !nonblock => {
                poll_one(host, events, None)?;
            }
            result => return result,
        }
    }
}

/// Polls one fd for `events`; true when anything (including an error or hangup) is
/// reported before `timeout`.
fn poll_one(
    host: BorrowedFd<'_>,
    events: PollFlags,
    timeout: Option<&rustix::time::Timespec>,
) -> Result<bool, Errno> {
    let mut fds = [PollFd::from_borrowed_fd(host, events)];
    loop {
        match rustix::event::poll(&mut fds, timeout) {
            Ok(n) => return Ok(n > 0),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Reads from a host fd into the guest's buffers, at the fd's offset (`at == None`) or
/// at a position. Disjoint buffers are read into directly with one `readv`/`preadv`;
/// overlapping ones (legal, if odd) go through one staging buffer.
fn host_read(
    host: BorrowedFd<'_>,
    mem: &mut GuestMemory<'_>,
    iovs: &[Iovec],
    at: Option<u64>,
) -> Result<usize, Errno> {
    let iovs = iovs.get(..IOV_MAX).unwrap_or(iovs);
    // A memory of exactly 4 GiB has no u32 length; it takes the staging path.
    if let Ok(whole) = u32::try_from(mem.len()) {
        let bytes = mem.slice_mut(0, whole)?;
        if let Some(mut bufs) = disjoint_buffers(bytes, iovs) {
            return retry_intr(|| match at {
                None => rustix::io::readv(host, &mut bufs),
                Some(offset) => rustix::io::preadv(host, &mut bufs, offset),
            });
        }
    }
    let mut staging = vec![0u8; staging_len(iovs)];
    let n = retry_intr(|| match at {
        None => rustix::io::read(host, &mut staging[..]),
        Some(offset) => rustix::io::pread(host, &mut staging[..], offset),
    })?;
    mem.scatter(iovs, staging.get(..n).unwrap_or_default())
}

/// Writes the guest's buffers to a host fd with one `writev`/`pwritev`, straight from
/// guest memory.
fn host_write(
    host: BorrowedFd<'_>,
    mem: &GuestMemory<'_>,
    iovs: &[Iovec],
    at: Option<u64>,
) -> Result<usize, Errno> {
    let bufs = iovs
        .iter()
        .filter(|iov| iov.len != 0)
        .take(IOV_MAX)
        .map(|iov| mem.slice(iov.buf, iov.len).map(IoSlice::new))
        .collect::<Result<Vec<_>, _>>()?;
    retry_intr(|| match at {
        None => rustix::io::writev(host, &bufs),
        Some(offset) => rustix::io::pwritev(host, &bufs, offset),
    })
}

/// Runs a host call again while it is interrupted by a signal.
fn retry_intr(mut call: impl FnMut() -> rustix::io::Result<usize>) -> Result<usize, Errno> {
    loop {
        match call() {
            Err(rustix::io::Errno::INTR) => continue,
            result => return result.map_err(Errno::from),
        }
    }
}

/// Splits `bytes` (all of guest memory) into one mutable slice per non-empty iovec, in
/// the guest's order, for a direct `readv`. `None` if two buffers overlap, which Rust's
/// borrow rules (rightly) do not allow.
fn disjoint_buffers<'m>(mut rest: &'m mut [u8], iovs: &[Iovec]) -> Option<Vec<IoSliceMut<'m>>> {
    let mut by_address: Vec<(usize, &Iovec)> = iovs
        .iter()
        .enumerate()
        .filter(|(_, iov)| iov.len != 0)
        .collect();
    by_address.sort_unstable_by_key(|(_, iov)| iov.buf);
    let mut pieces: Vec<Option<&'m mut [u8]>> = iovs.iter().map(|_| None).collect();
    // Guest address of `rest[0]`.
    let mut base = 0usize;
    for (index, iov) in by_address {
        let start = (iov.buf as usize).checked_sub(base)?;
        let (_, tail) = core::mem::take(&mut rest).split_at_mut_checked(start)?;
        let (piece, after) = tail.split_at_mut_checked(iov.len as usize)?;
        *pieces.get_mut(index)? = Some(piece);
        rest = after;
        base = (iov.buf as usize).checked_add(iov.len as usize)?;
    }
    Some(pieces.into_iter().flatten().map(IoSliceMut::new).collect())
}

/// Reads an embedder stream into the guest's buffers through one staging buffer, with one
/// `Stream::read` (a second one could block after data arrived).
fn stream_read(
    stream: &mut Stream,
    mem: &mut GuestMemory<'_>,
    iovs: &[Iovec],
) -> Result<usize, Errno> {
    let mut staging = vec![0u8; staging_len(iovs)];
    let n = stream.read(&mut staging)?;
    mem.scatter(iovs, staging.get(..n).unwrap_or_default())
}

/// Writes the guest's buffers to an embedder stream with one `Stream::write`: the single
/// buffer directly, several gathered (up to [`STAGING_MAX`] bytes).
fn stream_write(
    stream: &mut Stream,
    mem: &GuestMemory<'_>,
    iovs: &[Iovec],
) -> Result<usize, Errno> {
    let mut nonempty = iovs.iter().filter(|iov| iov.len != 0);
    match (nonempty.next(), nonempty.next()) {
        (None, _) => Ok(0),
        (Some(only), None) => stream.write(mem.slice(only.buf, only.len)?),
        _ => {
            let limit = staging_len(iovs);
            let mut staged = Vec::with_capacity(limit);
            for iov in iovs {
                let room = limit - staged.len();
                if room == 0 {
                    break;
                }
                let len = iov.len.min(u32::try_from(room).unwrap_or(u32::MAX));
                staged.extend_from_slice(mem.slice(iov.buf, len)?);
            }
            stream.write(&staged)
        }
    }
}

/// Lists a directory for `fd_readdir` (D1, D4–D6): `.` and `..` first, then every entry
/// with a UTF-8 name, each with its `lstat` inode and type.
///
/// The listing reads from a fresh `openat(dir, ".")` handle, so the entry's own handle
/// (and its offset) is untouched.
#[allow(clippy::unnecessary_cast)] // `st_ino` is not u64 on every target.
fn dir_snapshot(dir: BorrowedFd<'_>) -> Result<DirSnapshot, Errno> {
    let handle = rustix::fs::openat(
        dir,
        ".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let own = rustix::fs::fstat(&handle)?.st_ino as u64;
    // The parent of a preopen lies outside the sandbox, but its inode is only a number;
    // if it cannot be read, `.`'s keeps `d_ino` non-zero (D4).
    let parent = rustix::fs::statat(&handle, "..", AtFlags::SYMLINK_NOFOLLOW)
        .map(|st| st.st_ino as u64)
        .ok()
        .filter(|&ino| ino != 0)
        .unwrap_or(own);
    let dirent = |ino, filetype, name: &str| Dirent {
        ino,
        filetype,
        name: name.to_owned(),
    };
    let mut entries = vec![
        dirent(own, Filetype::Directory, "."),
        dirent(parent, Filetype::Directory, ".."),
    ];
    let mut listing = rustix::fs::Dir::new(handle)?;
    while let Some(item) = listing.read() {
        let item = item?;
        let raw = item.file_name();
        let Ok(name) = core::str::from_utf8(raw.to_bytes()) else {
            continue; // D6: guest names are UTF-8.
        };
        if name == "." || name == ".." {
            continue;
        }
        let (ino, filetype) =
            match rustix::fs::statat(listing.fd()?, raw, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => (
                    st.st_ino as u64,
                    Filetype::from_host(FileType::from_raw_mode(st.st_mode)),
                ),
                // Removed since it was listed: it is no longer in the directory.
                Err(rustix::io::Errno::NOENT) => continue,
                // Otherwise fall back to what the listing itself says.
                Err(_) => (item.ino(), Filetype::from_host(item.file_type())),
            };
        entries.push(dirent(ino, filetype, name));
    }
    Ok(DirSnapshot::new(entries))
}

/// Packs the snapshot's entries from `cookie` on as `dirent` headers and names, back to
/// back, cut at `buf_len` bytes (D2).
fn pack_dirents(snapshot: &DirSnapshot, cookie: u64, buf_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf_len.min(1 << 16));
    for (d_next, dirent) in snapshot.from_cookie(cookie) {
        if out.len() >= buf_len {
            break;
        }
        let Ok(d_namlen) = u32::try_from(dirent.name.len()) else {
            continue;
        };
        let mut header = [0u8; DIRENT_SIZE as usize];
        header[0..8].copy_from_slice(&d_next.to_le_bytes());
        header[8..16].copy_from_slice(&dirent.ino.to_le_bytes());
        header[16..20].copy_from_slice(&d_namlen.to_le_bytes());
        header[20] = dirent.filetype.raw();
        out.extend_from_slice(&header);
        out.extend_from_slice(dirent.name.as_bytes());
    }
    out.truncate(buf_len);
    out
}
