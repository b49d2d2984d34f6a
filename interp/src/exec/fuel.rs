//! Fuel at run time: what the `Fuel` and `FuelBulk` ops of metered code pay,
//! and why a run stops at one (out of fuel, interrupted, past a deadline). The
//! store's side (its fuel, interrupt handles, deadlines) is `store::fuel`.

use super::flow::{Break, Flow};
use super::{Cx, Regs};
use crate::error::TrapKind;
use crate::store::fuel::{DEADLINE, INTERRUPT, NO_REQUEST};
use std::sync::atomic::Ordering;

impl<'a> Cx<'a> {
    /// Pays `amount` fuel for the segment a `Fuel` op starts; stops the run
    /// at that op when the store cannot pay or an interruption is pending.
    #[inline(always)]
    pub(super) fn fuel(&mut self, r: &mut Regs, amount: u32) -> Flow {
        let amount = amount as u64;
        if self.fuel < amount || self.interrupt.load(Ordering::Relaxed) != NO_REQUEST {
            // back to the `Fuel` op: resuming runs it again
            r.ip = r.ip.offset(u32::MAX);
            return Err(self.fuel_stop());
        }
        self.fuel -= amount;
        Ok(())
    }

    /// Why a `Fuel` op stops the run: the pending interruption (now consumed),
    /// else the lack of fuel.
    #[cold]
    #[inline(never)]
    fn fuel_stop(&mut self) -> Break {
        let kind = match self.interrupt.swap(NO_REQUEST, Ordering::Relaxed) {
            INTERRUPT => TrapKind::Interrupted,
            DEADLINE => TrapKind::DeadlineExceeded,
            _ => TrapKind::OutOfFuel,
        };
        self.fail(kind)
    }

    /// Pays for the size of the bulk op that follows a `FuelBulk` op: its
    /// count `n` (the stack top) costs `n >> shift`; stops the run at the
    /// `FuelBulk` op, operands in place, when the store cannot pay.
    #[inline(always)]
    pub(super) fn fuel_bulk(&mut self, r: &mut Regs, shift: u32) -> Flow {
        let cost = (r.sp.top() as u32 as u64) >> shift;
        if self.fuel < cost {
            r.ip = r.ip.offset(u32::MAX);
            return Err(self.fail(TrapKind::OutOfFuel));
        }
        self.fuel -= cost;
        Ok(())
    }
}
