//! `proc_raise` (C5); `proc_exit` lives in `link.rs` because it unwinds
//! instead of returning an errno.

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `proc_raise(sig)`: signals are never delivered; `NOSYS` as in Node.
///
/// # Errors
/// Always `NOSYS`.
///
/// # References
/// - [preview1 `proc_raise`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#proc_raise)
pub fn proc_raise(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, _sig: u32) -> Result<(), Errno> {
    Err(Errno::Nosys)
}
