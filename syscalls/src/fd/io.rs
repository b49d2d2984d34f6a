//! Reading, writing and the offset (§4.7): `fd_read`, `fd_write`, `fd_pread`, `fd_pwrite`,
//! `fd_seek`, `fd_tell`, and the transfers behind them.
//!
//! Host fds are read with one `readv`/`preadv` into disjoint slices of guest memory and
//! written with one `writev`/`pwritev` from it; overlapping read buffers and embedder
//! streams go through one staging buffer. A call moves at most [`IOV_MAX`] buffers and
//! stages at most [`STAGING_MAX`] bytes (short transfers, W2). Blocking follows the guest's
//! NONBLOCK flag, not the host's (W8).

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;

use rustix::event::{PollFd, PollFlags};
use rustix::fs::SeekFrom;
use wisp_fdtable::{Entry, Fdflags, Filetype, Host, Rights, RightsSet};

use crate::abi::Whence;
use crate::ctx::{Stream, WasiCtx};
use crate::errno::Errno;
use crate::guest::{GuestMemory, Iovec};

/// Linux's `IOV_MAX`: a single `readv`/`writev` takes at most this many buffers; the
/// rest of a longer iovec array is left for the guest's next call (a short transfer, W2).
const IOV_MAX: usize = 1024;

/// Most bytes staged through a host buffer in one call (embedder streams, overlapping
/// read buffers). Short transfers are legal (W2), and this bounds what a guest can make
/// the host allocate with iovecs that all name the same large region.
const STAGING_MAX: u64 = 1 << 20;

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

/// Sum of the iovecs' lengths, in u64 (M8).
fn total_len(iovs: &[Iovec]) -> u64 {
    iovs.iter().map(|iov| u64::from(iov.len)).sum()
}

/// A host transfer count as the guest's u32. Host transfers are capped below 2^31 bytes
/// by Linux (`MAX_RW_COUNT`) and staged ones at [`STAGING_MAX`], so this never saturates.
pub(super) fn count(n: usize) -> u32 {
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
pub(super) fn disjoint_buffers<'m>(
    mut rest: &'m mut [u8],
    iovs: &[Iovec],
) -> Option<Vec<IoSliceMut<'m>>> {
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
