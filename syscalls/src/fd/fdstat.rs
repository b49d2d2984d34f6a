//! The descriptor's own state (§4.3): `fd_fdstat_get` reads its filetype, WASI fd flags and
//! rights; `fd_fdstat_set_flags` and `fd_fdstat_set_rights` change the flags and narrow the
//! rights (F8–F11).

use std::os::fd::{AsFd, BorrowedFd};

use rustix::fs::OFlags;
use wisp_fdtable::{Fdflags, Host, Rights};

use crate::abi::Fdstat;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

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
/// by polling before each read or write instead (see [`fd_read`](super::fd_read)).
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
