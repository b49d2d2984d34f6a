//! `sock_*` (§4.13): preview1 cannot create sockets and wisp exposes none, so
//! after the `BADF` check every call is `NOTSOCK`.

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;
use wisp_fdtable::Rights;

fn not_a_socket(cx: &WasiCtx, fd: u32) -> Result<(), Errno> {
    cx.table.get(fd, Rights::empty())?;
    Err(Errno::Notsock)
}

/// `sock_accept(fd, flags, fd_out)`.
///
/// # Errors
/// `BADF` for a closed fd, otherwise `NOTSOCK`.
///
/// # References
/// - [preview1 `sock_accept`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sock_accept)
pub fn sock_accept(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    _flags: u32,
    _fd_out: u32,
) -> Result<(), Errno> {
    not_a_socket(cx, fd)
}

/// `sock_recv(fd, ri_data, ri_data_len, ri_flags, ro_datalen, ro_flags)`.
///
/// # Errors
/// `BADF` for a closed fd, otherwise `NOTSOCK`.
///
/// # References
/// - [preview1 `sock_recv`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sock_recv)
#[allow(clippy::too_many_arguments)]
pub fn sock_recv(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    _ri_data: u32,
    _ri_data_len: u32,
    _ri_flags: u32,
    _ro_datalen: u32,
    _ro_flags: u32,
) -> Result<(), Errno> {
    not_a_socket(cx, fd)
}

/// `sock_send(fd, si_data, si_data_len, si_flags, so_datalen)`.
///
/// # Errors
/// `BADF` for a closed fd, otherwise `NOTSOCK`.
///
/// # References
/// - [preview1 `sock_send`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sock_send)
pub fn sock_send(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    _si_data: u32,
    _si_data_len: u32,
    _si_flags: u32,
    _so_datalen: u32,
) -> Result<(), Errno> {
    not_a_socket(cx, fd)
}

/// `sock_shutdown(fd, how)`.
///
/// # Errors
/// `BADF` for a closed fd, otherwise `NOTSOCK`.
///
/// # References
/// - [preview1 `sock_shutdown`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sock_shutdown)
pub fn sock_shutdown(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    _how: u32,
) -> Result<(), Errno> {
    not_a_socket(cx, fd)
}
