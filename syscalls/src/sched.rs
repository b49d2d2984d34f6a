//! `sched_yield` (C4).

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `sched_yield()`: lets other host threads run.
///
/// # Errors
/// None.
///
/// # References
/// - [preview1 `sched_yield`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#sched_yield)
/// - [`sched_yield(2)`](https://man7.org/linux/man-pages/man2/sched_yield.2.html)
pub fn sched_yield(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>) -> Result<(), Errno> {
    std::thread::yield_now();
    Ok(())
}
