//! The file behind a descriptor (§4.10): its `filestat`, size and times, access advice,
//! storage allocation, and syncing it to the device (`fd_filestat_*`, `fd_advise`,
//! `fd_allocate`, `fd_datasync`, `fd_sync`).

use wisp_fdtable::{Fstflags, Host, Rights};

use crate::abi::Filestat;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

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
