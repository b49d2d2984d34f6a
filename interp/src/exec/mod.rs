//! The executor: runs wisp bytecode with an explicit frame stack (no host
//! recursion per guest call), and the driver that performs host calls between
//! runs. Op bodies are written once (`ops`) and dispatched by one of two
//! backends: `threaded` (tail-called handlers, optimised builds) or `looped`
//! (one `match` in a loop, everywhere else); `build.rs` chooses.
//!
//! This file holds what every op body sees: the registers (`Regs`), the
//! run's context (`Cx`), `step` and `halt`. The rest is split by concept:
//! `driver` enters and drives a call from the store (host calls, suspension,
//! backtraces), `flow` says how an op continues or stops the run, `call`,
//! `memory`, `table` and `fuel` hold the helpers of those op families, and
//! `resumable` the resumable-call API.

mod call;
pub(crate) mod divide;
mod driver;
mod flow;
mod fuel;
#[cfg(test)]
mod fuel_tests;
mod memory;
pub(crate) mod numeric;
mod table;
#[cfg(test)]
pub(crate) mod tests;
#[macro_use]
mod fused;
#[macro_use]
mod ops;
// (A threaded cell does not hold its op's tag, so the loop cannot run it.)
#[cfg(not(wisp_threaded))]
mod looped;
mod raw;
mod resumable;
#[cfg(feature = "op-stats")]
mod stats;
#[cfg_attr(not(wisp_threaded), allow(dead_code))]
mod threaded;
#[cfg(not(wisp_threaded))]
use looped as dispatch;
#[cfg(wisp_threaded)]
use threaded as dispatch;
#[cfg(all(test, wisp_threaded))]
pub(crate) use threaded::{cell_holds, entry_holds};
#[cfg(wisp_threaded)]
pub(crate) use threaded::{handler_address, pair_address};

use crate::bytecode::FuncCode;
use crate::error::TrapKind;
use crate::stack::Frame;
use crate::store::memory::MemoryEntity;
use driver::Resume;
use flow::{Break, Outcome, Stop, TrapCode};
use raw::{Ip, Locals, MemView, Sp};
pub(crate) use resumable::Left;
pub use resumable::{ResumableCall, ResumableInvocation, SuspendReason};
#[cfg(feature = "op-stats")]
pub use stats::dump_op_stats;
use std::sync::OnceLock;
use std::sync::atomic::AtomicU8;

/// The hot registers of the running function. Both dispatch backends keep them
/// in machine registers: the loop as locals, the threaded backend as handler
/// arguments.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Regs {
    /// The next op to execute.
    pub ip: Ip,
    /// The next free value-stack slot.
    pub sp: Sp,
    /// The frame's locals.
    pub lp: Locals,
    /// The current instance's memory 0.
    pub mem: MemView,
    /// The stack top as an f64, valid only right after an f64 op that sets
    /// it (`set_top_float!`): the ops that read it (`F64AddX`, ...) are placed
    /// only after such an op (`translate::passes::float_top`). Kept in a
    /// float register, so a float chain's value need not cross from `sp`'s
    /// cached top, a general register, on every op.
    pub ft: f64,
    /// The stack top as an f32, as `ft` for f32 ops (`set_top_float!`,
    /// `F32AddX`, ...), in a float register of its own.
    pub fs: f32,
    /// Whether an op body has jumped (`Regs::jump`) since the handler began.
    /// A pair handler runs its second op only if the first did not jump and
    /// left `ip` at the op after it. Without the flag it could tell only by
    /// `ip`, so the way a branch was taken tested its offset against zero
    /// (two more instructions); with it, LLVM knows the taken way skips the
    /// second op. A jump by zero then reaches that op through its own cell.
    /// Set in threaded builds only: nothing else reads it.
    pub jumped: bool,
}

/// Runs one op body. Bodies are closures so that both backends expand the same
/// text; this call gives the closure its parameter types.
#[inline(always)]
pub(crate) fn step<'a, O: Outcome>(
    body: impl FnOnce(&mut Regs, &mut Cx<'a>) -> O,
    r: &mut Regs,
    cx: &mut Cx<'a>,
) -> Result<(), Stop> {
    body(r, cx).stop()
}

/// Ends a run at `stop`: records a trap's kind and where the run stopped.
/// Takes the registers as plain values, so that both backends reach it with a
/// jump; their order is a threaded handler's, with `stop` in the argument
/// slot handlers leave free, so a handler jumps here without moving a register.
#[cold]
#[inline(never)]
pub(crate) fn halt(
    cx: &mut Cx<'_>,
    ip: Ip,
    sp: *mut u64,
    stop: Stop,
    lp: Locals,
    tos: u64,
) -> Break {
    let r = Regs {
        ip,
        sp: Sp::from_parts(sp, tos),
        lp,
        mem: MemView::empty(),
        ft: 0.0,
        fs: 0.0,
        jumped: false,
    };
    cx.save(&r);
    let code = match stop {
        Stop::Done => return Break::Done,
        Stop::Host => return Break::Host,
        Stop::Trapped => return Break::Trap,
        Stop::Reenter => return Break::Reenter,
        Stop::Prepare => return Break::Prepare,
        Stop::MissingGlobal => {
            return cx.fail(TrapKind::Host(
                "internal error: an op named a global its instance does not have".into(),
            ));
        }
        Stop::Misdispatch => return cx.misdispatch(),
        Stop::Unreachable => TrapCode::Unreachable,
        Stop::MemoryOutOfBounds => TrapCode::MemoryOutOfBounds,
        Stop::IntegerOverflow => TrapCode::IntegerOverflow,
        Stop::IntegerDivideByZero => TrapCode::IntegerDivideByZero,
        Stop::InvalidConversionToInteger => TrapCode::InvalidConversionToInteger,
        Stop::StackOverflow => TrapCode::StackOverflow,
        Stop::UndefinedElement => TrapCode::UndefinedElement,
        Stop::UninitializedElement => TrapCode::UninitializedElement,
        Stop::IndirectCallTypeMismatch => TrapCode::IndirectCallTypeMismatch,
    };
    cx.fail(code.into())
}

/// The state of a run that ops need less often than the registers: the store's
/// objects, the frame records and the running function.
pub(crate) struct Cx<'a> {
    config: crate::store::Config,
    funcs: &'a [crate::store::FuncEntity],
    tables: &'a mut [crate::store::TableEntity],
    memories: &'a mut [MemoryEntity],
    globals: &'a mut [crate::store::GlobalEntity],
    instances: &'a [crate::store::InstanceEntity],
    elems: &'a mut [Vec<u64>],
    datas: &'a mut [crate::store::DataEntity],
    /// The store's resource limiter, asked by `memory.grow` and `table.grow`.
    limiter: &'a mut Option<Box<dyn crate::store::limits::ResourceLimiter>>,
    frames: Vec<Frame>,
    /// Slot 0 of the value stack, and its end (`limit` slots past it).
    buf: *mut u64,
    stack_end: *mut u64,
    /// The running instance (store index) and its entity.
    inst_id: u32,
    inst: &'a crate::store::InstanceEntity,
    /// Store index of the running instance's first defined global
    /// (`InstanceEntity::global_base`), for `GlobalGetOwn` and its kin.
    gbase: usize,
    /// Store index of the running instance's memory 0.
    mem_id: Option<u32>,
    /// The length of the current memory view (`Regs::mem`): the threaded
    /// backend passes only the base between handlers.
    pub(crate) mem_len: usize,
    /// Byte 0 of that memory (the threaded handlers take it from here).
    pub(crate) mem_ptr: *mut u8,
    /// The running function's code (`FuncCode::index` names it).
    code: &'a FuncCode,
    /// The running instance's module's bytecode of the kind this store runs
    /// (plain or metered: `ModuleInner::codes`), by code index.
    codes: &'a [OnceLock<FuncCode>],
    /// The fuel left (`u64::MAX` when the store does not consume fuel); the
    /// store's count while the run lasts.
    fuel: u64,
    /// The store's pending interruption (`store::fuel`).
    interrupt: &'a AtomicU8,
    /// The kind of the trap that stopped the run.
    trap: Option<TrapKind>,
    /// The host function the guest called.
    host: u32,
    /// The function a call op found untranslated (instance, code index), for
    /// `prepare`.
    untranslated: Option<(u32, u32)>,
    /// Where the run stopped.
    at: Resume,
}

impl<'a> Cx<'a> {
    /// Records a trap; gives the `Break` that reports it.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, kind: TrapKind) -> Break {
        self.trap = Some(kind);
        Break::Trap
    }

    /// The registers at `self.at` (memory then holds the whole stack), with
    /// memory view `mem`.
    fn regs_at(&self, mem: MemView) -> Regs {
        let mut sp = Sp::at(self.buf, self.at.sp);
        sp.reload();
        Regs {
            ip: Ip::at(&self.code.cells, self.at.ip),
            // A run never starts at an op that reads `ft` (none follows a
            // jump target or a stop), but the top's bits are at hand.
            ft: f64::from_bits(sp.tos()),
            fs: f32::from_bits(sp.tos() as u32),
            sp,
            lp: Locals::new(self.buf.wrapping_add(self.at.base)),
            mem,
            jumped: false,
        }
    }

    /// An op reached a handler for another op: impossible by construction.
    #[cold]
    #[inline(never)]
    fn misdispatch(&mut self) -> Break {
        self.fail(TrapKind::Host(
            "internal error: op dispatched to the wrong handler".into(),
        ))
    }

    /// Records where the run stopped.
    /// Memory then holds the whole stack (the cached top is spilled).
    #[inline(always)]
    fn save(&mut self, r: &Regs) {
        r.sp.spill();
        self.at = Resume {
            inst: self.inst_id,
            code: self.code.index,
            ip: r.ip.index_in(&self.code.cells),
            base: r.lp.index_from(self.buf),
            sp: r.sp.offset_from(self.buf),
        };
    }

    /// Makes instance `id` the running one. Out of line: calls and returns
    /// within one instance must not pay for it in saved registers.
    #[cold]
    #[inline(never)]
    fn switch_instance(&mut self, id: u32) {
        self.inst_id = id;
        self.inst = &self.instances[id as usize];
        self.codes = self.inst.module.codes(self.config.metered());
        self.mem_id = self.inst.memories.first().copied();
        self.gbase = self.inst.global_base as usize;
    }

    /// The store index of the running instance's global `i`.
    #[inline(always)]
    fn global(&self, i: u32) -> usize {
        self.inst.globals[i as usize] as usize
    }

    /// The value of the running instance's defined global `i` (its index among
    /// the globals its module defines). The translator names only globals the
    /// module defines, which instantiation placed together from `gbase` on;
    /// an index past the store's globals stops the run with an internal error,
    /// never a panic (which would make the handlers save a register for the call).
    #[inline(always)]
    fn own_global(&mut self, i: u32) -> Result<&mut u64, Stop> {
        match self.globals.get_mut(self.gbase + i as usize) {
            Some(g) => Ok(&mut g.value),
            None => Err(Stop::MissingGlobal),
        }
    }
}

/// `start + len <= bound`, in 64-bit arithmetic.
#[inline(always)]
fn in_bounds(start: u64, len: u64, bound: usize) -> bool {
    start + len <= bound as u64
}
