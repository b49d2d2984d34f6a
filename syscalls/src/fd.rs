//! `fd_*`: descriptor operations (§4.3, §4.4, §4.7, §4.8, §4.10).

use crate::abi::{Fdstat, Filestat, Whence};
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `fd_advise(fd, offset, len, advice)`: FD_ADVISE; validates advice (INVAL >= 6) then posix_fadvise or no-op (W7).
///
/// # Errors
/// (being implemented)
pub fn fd_advise(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _offset: u64,
    _len: u64,
    _advice: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_allocate(fd, offset, len)`: FD_ALLOCATE; never shrinks (W6).
///
/// # Errors
/// (being implemented)
pub fn fd_allocate(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _offset: u64,
    _len: u64,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_close(fd)`: closing stdio never closes the host fd (F3).
///
/// # Errors
/// (being implemented)
pub fn fd_close(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, _fd: u32) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_datasync(fd)`: FD_DATASYNC.
///
/// # Errors
/// (being implemented)
pub fn fd_datasync(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, _fd: u32) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_fdstat_get(fd, stat)`: writes fdstat(cx, fd) with all 30 rights bits (F8).
///
/// # Errors
/// (being implemented)
pub fn fd_fdstat_get(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _stat: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_fdstat_set_flags(fd, fdflags)`: FD_FDSTAT_SET_FLAGS; APPEND/NONBLOCK only (F9).
///
/// # Errors
/// (being implemented)
pub fn fd_fdstat_set_flags(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _fdflags: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_fdstat_set_rights(fd, fs_rights_base, fs_rights_inheriting)`: narrow only (F10).
///
/// # Errors
/// (being implemented)
pub fn fd_fdstat_set_rights(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _fs_rights_base: u64,
    _fs_rights_inheriting: u64,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_filestat_get(fd, buf)`: FD_FILESTAT_GET; writes filestat(cx, fd) in the preview1 layout.
///
/// # Errors
/// (being implemented)
pub fn fd_filestat_get(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _buf: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_filestat_set_size(fd, size)`: FD_FILESTAT_SET_SIZE.
///
/// # Errors
/// (being implemented)
pub fn fd_filestat_set_size(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _size: u64,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_filestat_set_times(fd, atim, mtim, fst_flags)`: FD_FILESTAT_SET_TIMES (S3).
///
/// # Errors
/// (being implemented)
pub fn fd_filestat_set_times(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _atim: u64,
    _mtim: u64,
    _fst_flags: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_pread(fd, iovs, iovs_len, offset, nread)`: FD_READ + FD_SEEK (W4).
///
/// # Errors
/// (being implemented)
pub fn fd_pread(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _iovs: u32,
    _iovs_len: u32,
    _offset: u64,
    _nread: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_prestat_get(fd, buf)`: F5.
///
/// # Errors
/// (being implemented)
pub fn fd_prestat_get(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _buf: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_prestat_dir_name(fd, path, path_len)`: F6.
///
/// # Errors
/// (being implemented)
pub fn fd_prestat_dir_name(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _path: u32,
    _path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_pwrite(fd, iovs, iovs_len, offset, nwritten)`: FD_WRITE + FD_SEEK (W4).
///
/// # Errors
/// (being implemented)
pub fn fd_pwrite(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _iovs: u32,
    _iovs_len: u32,
    _offset: u64,
    _nwritten: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_read(fd, iovs, iovs_len, nread)`: FD_READ (W2, W3, W8).
///
/// # Errors
/// (being implemented)
pub fn fd_read(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _iovs: u32,
    _iovs_len: u32,
    _nread: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_readdir(fd, buf, buf_len, cookie, bufused)`: FD_READDIR (§4.8).
///
/// # Errors
/// (being implemented)
pub fn fd_readdir(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _buf: u32,
    _buf_len: u32,
    _cookie: u64,
    _bufused: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_renumber(fd, to)`: F4.
///
/// # Errors
/// (being implemented)
pub fn fd_renumber(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _to: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_seek(fd, offset, whence, newoffset)`: preview1 whence; calls seek() (W5).
///
/// # Errors
/// (being implemented)
pub fn fd_seek(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _offset: u64,
    _whence: u32,
    _newoffset: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_sync(fd)`: FD_SYNC.
///
/// # Errors
/// (being implemented)
pub fn fd_sync(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, _fd: u32) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_tell(fd, offset)`: FD_TELL.
///
/// # Errors
/// (being implemented)
pub fn fd_tell(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _offset: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `fd_write(fd, iovs, iovs_len, nwritten)`: FD_WRITE (W1, W2, W3); APPEND.
///
/// # Errors
/// (being implemented)
pub fn fd_write(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _iovs: u32,
    _iovs_len: u32,
    _nwritten: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}

/// The `fdstat` of `fd` (shared by both ABIs).
///
/// # Errors
/// `BADF` for a closed fd.
pub(crate) fn fdstat(_cx: &mut WasiCtx, _fd: u32) -> Result<Fdstat, Errno> {
    Err(Errno::Nosys)
}

/// The `filestat` of `fd` (shared by both ABIs); needs FD_FILESTAT_GET.
///
/// # Errors
/// `BADF`, `NOTCAPABLE`, or a host error.
pub(crate) fn filestat(_cx: &mut WasiCtx, _fd: u32) -> Result<Filestat, Errno> {
    Err(Errno::Nosys)
}

/// Moves the offset of `fd` (shared by both ABIs); gives the new offset.
///
/// # Errors
/// `BADF`, `NOTCAPABLE`, `SPIPE`, `INVAL`, `ISDIR` (W5).
pub(crate) fn seek(
    _cx: &mut WasiCtx,
    _fd: u32,
    _delta: i64,
    _whence: Whence,
) -> Result<u64, Errno> {
    Err(Errno::Nosys)
}
