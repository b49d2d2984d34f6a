//! `wasi_unstable` (snapshot 0): converts the layouts that differ from
//! preview1 — whence numbering, the 56-byte filestat, the 56-byte
//! subscription, 29-bit rights — and calls the preview1 code (wasi-reference §3).

use crate::abi::Whence;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;
use crate::{fd, path, poll};
use wisp_fdtable::Rights;

/// `fd_fdstat_get` with rights masked to snapshot 0's 29 bits.
///
/// # Errors
/// As preview1's `fd_fdstat_get`.
pub fn fd_fdstat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    stat: u32,
) -> Result<(), Errno> {
    let st = fd::fdstat(cx, fd)?;
    st.write(mem, stat, Rights::SNAPSHOT0_ALL)
}

/// `fd_filestat_get` writing the 56-byte snapshot-0 filestat.
///
/// # Errors
/// As preview1's `fd_filestat_get`.
pub fn fd_filestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem.check(buf, 56)?;
    fd::filestat(cx, fd)?.write_unstable(mem, buf)
}

/// `path_filestat_get` writing the 56-byte snapshot-0 filestat.
///
/// # Errors
/// As preview1's `path_filestat_get`.
pub fn path_filestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem.check(buf, 56)?;
    path::path_filestat(cx, mem, fd, flags, path, path_len)?.write_unstable(mem, buf)
}

/// `fd_seek` with snapshot-0 whence numbering (0 CUR, 1 END, 2 SET).
///
/// # Errors
/// As preview1's `fd_seek`.
pub fn fd_seek(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    offset: u64,
    whence: u32,
    newoffset: u32,
) -> Result<(), Errno> {
    let whence = Whence::from_unstable(whence)?;
    mem.check(newoffset, 8)?;
    let pos = fd::seek(cx, fd, offset as i64, whence)?;
    mem.write_u64(newoffset, pos)
}

/// `poll_oneoff` reading 56-byte snapshot-0 subscriptions.
///
/// # Errors
/// As preview1's `poll_oneoff`.
pub fn poll_oneoff(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    in_: u32,
    out: u32,
    nsubscriptions: u32,
    nevents: u32,
) -> Result<(), Errno> {
    poll::poll(
        cx,
        mem,
        in_,
        out,
        nsubscriptions,
        nevents,
        poll::Layout::Unstable,
    )
}
