//! `sched_yield` (C4).

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `sched_yield()`: lets other host threads run.
///
/// # Errors
/// None.
pub fn sched_yield(_cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>) -> Result<(), Errno> {
    std::thread::yield_now();
    Ok(())
}
