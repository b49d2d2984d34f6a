//! `path_*`: operations on paths beneath a directory fd, through the sandbox (§4.5, §4.6, §4.9, §4.10).

use crate::abi::Filestat;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `path_create_directory(fd, path, path_len)`: PATH_CREATE_DIRECTORY (L7).
///
/// # Errors
/// (being implemented)
pub fn path_create_directory(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _path: u32,
    _path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_filestat_get(fd, flags, path, path_len, buf)`: PATH_FILESTAT_GET; writes path_filestat() in the preview1 layout.
///
/// # Errors
/// (being implemented)
pub fn path_filestat_get(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _flags: u32,
    _path: u32,
    _path_len: u32,
    _buf: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`: PATH_FILESTAT_SET_TIMES (S3, S4).
///
/// # Errors
/// (being implemented)
#[allow(clippy::too_many_arguments)]
pub fn path_filestat_set_times(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _flags: u32,
    _path: u32,
    _path_len: u32,
    _atim: u64,
    _mtim: u64,
    _fst_flags: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`: PATH_LINK_SOURCE / PATH_LINK_TARGET (L3).
///
/// # Errors
/// (being implemented)
#[allow(clippy::too_many_arguments)]
pub fn path_link(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _old_fd: u32,
    _old_flags: u32,
    _old_path: u32,
    _old_path_len: u32,
    _new_fd: u32,
    _new_path: u32,
    _new_path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base, fs_rights_inheriting, fdflags, opened_fd)`: PATH_OPEN (§4.4 R2-R5, §4.6).
///
/// # Errors
/// (being implemented)
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _dirflags: u32,
    _path: u32,
    _path_len: u32,
    _oflags: u32,
    _fs_rights_base: u64,
    _fs_rights_inheriting: u64,
    _fdflags: u32,
    _opened_fd: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_readlink(fd, path, path_len, buf, buf_len, bufused)`: PATH_READLINK (L1).
///
/// # Errors
/// (being implemented)
#[allow(clippy::too_many_arguments)]
pub fn path_readlink(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _path: u32,
    _path_len: u32,
    _buf: u32,
    _buf_len: u32,
    _bufused: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_remove_directory(fd, path, path_len)`: PATH_REMOVE_DIRECTORY (L6).
///
/// # Errors
/// (being implemented)
pub fn path_remove_directory(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _path: u32,
    _path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`: PATH_RENAME_SOURCE / PATH_RENAME_TARGET (L4).
///
/// # Errors
/// (being implemented)
#[allow(clippy::too_many_arguments)]
pub fn path_rename(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _old_path: u32,
    _old_path_len: u32,
    _new_fd: u32,
    _new_path: u32,
    _new_path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: PATH_SYMLINK (L2).
///
/// # Errors
/// (being implemented)
pub fn path_symlink(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _old_path: u32,
    _old_path_len: u32,
    _fd: u32,
    _new_path: u32,
    _new_path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
/// `path_unlink_file(fd, path, path_len)`: PATH_UNLINK_FILE (L5).
///
/// # Errors
/// (being implemented)
pub fn path_unlink_file(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _path: u32,
    _path_len: u32,
) -> Result<(), Errno> {
    Err(Errno::Nosys)
}

/// The `filestat` of a path (shared by both ABIs); needs PATH_FILESTAT_GET.
///
/// # Errors
/// As `path_filestat_get`.
pub(crate) fn path_filestat(
    _cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    _fd: u32,
    _flags: u32,
    _path: u32,
    _path_len: u32,
) -> Result<Filestat, Errno> {
    Err(Errno::Nosys)
}
