//! `random_get`: cryptographically secure randomness from the OS (C3).

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `random_get(buf, buf_len)`: fills the buffer from `getrandom`, in chunks.
///
/// # Errors
/// `OVERFLOW` for a buffer outside memory; a host error if the OS has no randomness.
///
/// # References
/// - [preview1 `random_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#random_get)
/// - [`getrandom(2)`](https://man7.org/linux/man-pages/man2/getrandom.2.html)
pub fn random_get(
    _cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    buf: u32,
    buf_len: u32,
) -> Result<(), Errno> {
    let mut out = mem.slice_mut(buf, buf_len)?;
    while !out.is_empty() {
        match rustix::rand::getrandom(&mut *out, rustix::rand::GetRandomFlags::empty()) {
            Ok(n) => out = &mut out[n..],
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
