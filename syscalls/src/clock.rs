//! `clock_res_get` and `clock_time_get` (§4.12 C1, C2).

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;
use rustix::time::{ClockId, clock_getres, clock_gettime};

/// The host clock for a WASI clock id (M4: unknown ids are `INVAL`).
pub(crate) fn host_clock(id: u32) -> Result<ClockId, Errno> {
    Ok(match id {
        0 => ClockId::Realtime,
        1 => ClockId::Monotonic,
        2 => ClockId::ProcessCPUTime,
        3 => ClockId::ThreadCPUTime,
        _ => return Err(Errno::Inval),
    })
}

fn ns(t: rustix::time::Timespec) -> u64 {
    (t.tv_sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(t.tv_nsec.max(0) as u64)
}

/// The current time of clock `id`, in ns.
pub(crate) fn now(id: u32) -> Result<u64, Errno> {
    Ok(ns(clock_gettime(host_clock(id)?)))
}

/// `clock_res_get(id, resolution)`: the clock's real resolution, never 0.
///
/// # Errors
/// `INVAL` for an unknown clock; `OVERFLOW` for a bad pointer.
///
/// # References
/// - [preview1 `clock_res_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#clock_res_get)
/// - [`clock_getres(2)`](https://man7.org/linux/man-pages/man2/clock_getres.2.html)
pub fn clock_res_get(
    _cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    id: u32,
    resolution: u32,
) -> Result<(), Errno> {
    let res = ns(clock_getres(host_clock(id)?)).max(1);
    mem.write_u64(resolution, res)
}

/// `clock_time_get(id, precision, time)`: ns since the epoch (REALTIME) or an
/// arbitrary start (the others); `precision` is ignored.
///
/// # Errors
/// `INVAL` for an unknown clock; `OVERFLOW` for a bad pointer.
///
/// # References
/// - [preview1 `clock_time_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#clock_time_get)
/// - [`clock_gettime(2)`](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
pub fn clock_time_get(
    _cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    id: u32,
    _precision: u64,
    time: u32,
) -> Result<(), Errno> {
    let t = now(id)?;
    mem.write_u64(time, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_never_decreases_and_unknown_ids_are_inval() {
        let a = now(1).unwrap();
        let b = now(1).unwrap();
        assert!(b >= a);
        assert_eq!(now(4), Err(Errno::Inval));
        assert!(now(0).unwrap() > 1_600_000_000_000_000_000);
    }
}
