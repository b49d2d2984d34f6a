//! Metered code (`Config::consume_fuel`): the translator splits a body into
//! segments, each opened by a `Fuel` op that pays for the segment's operators
//! at once, and puts a `FuelBulk` before each bulk memory or table op. The
//! executor's side is `exec/fuel.rs`.

use super::Translator;
use crate::bytecode::Op;
use wasmparser as wp;

/// Fuel per byte of `memory.fill`, `memory.copy` and `memory.init`: `n >> 6`
/// (1 per 64 bytes), besides the 1 the instruction costs.
pub(super) const MEMORY_SHIFT: u32 = 6;
/// Fuel per element of `table.fill`, `table.copy` and `table.init`: `n >> 3`.
pub(super) const TABLE_SHIFT: u32 = 3;

/// What a wasm operator costs in metered code (`Config::consume_fuel`
/// documents the model): 1, but 0 for the structural ones. Bulk ops pay for
/// their size at run time (`Op::FuelBulk`).
pub(super) fn cost(op: &wp::Operator<'_>) -> u32 {
    use wp::Operator as W;
    match op {
        W::Block { .. } | W::Loop { .. } | W::End | W::Else | W::Nop => 0,
        _ => 1,
    }
}

impl Translator<'_, '_> {
    /// Metered code: starts a segment at the current position (a `Fuel` op,
    /// after which nothing fuses with what came before).
    pub(super) fn segment(&mut self) {
        self.fuel_at = self.s.ops.len();
        self.s.ops.push(Op::Fuel { amount: 0 });
        self.fence = self.s.ops.len();
    }

    /// Metered code: adds `cost` to the current segment's `Fuel` op.
    pub(super) fn charge(&mut self, cost: u32) {
        if let Op::Fuel { amount } = &mut self.s.ops[self.fuel_at] {
            *amount = amount.saturating_add(cost);
        } else {
            debug_assert!(false, "no Fuel op at {}", self.fuel_at);
        }
    }

    /// Metered code: before a bulk op, a `FuelBulk` charging its count `n`
    /// (the stack top) as `n >> shift` fuel.
    pub(super) fn charge_bulk(&mut self, shift: u32) {
        if self.env.metered && self.reachable {
            self.s.ops.push(Op::FuelBulk { shift });
            self.fence = self.s.ops.len();
        }
    }
}
