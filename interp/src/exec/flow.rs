//! How an op body continues or stops the run: the register moves of branches
//! (`Regs`' jumps), and the one-byte reasons a run stops (`Break`, `TrapCode`,
//! `Stop`) with `Outcome`, which turns what a body returns into one.

use super::Regs;
use crate::error::TrapKind;

impl Regs {
    /// Jumps by a branch's relative target (counted from the op after the branch).
    #[inline(always)]
    pub fn jump(&mut self, target: u32) {
        self.ip = self.ip.jump_by(target);
        // (only pair handlers read it; the loop backend need not store it)
        #[cfg(wisp_threaded)]
        {
            self.jumped = true;
        }
    }

    /// Jumps if `cond`. The hint keeps a branch: left alone, LLVM turns this into
    /// a conditional move of `ip`, which makes the next dispatch wait for the
    /// condition instead of predicting it.
    #[inline(always)]
    pub fn jump_if(&mut self, cond: bool, target: u32) {
        if cond {
            self.jump(target);
        } else {
            core::hint::cold_path();
        }
    }

    /// Takes entry `i` of the `BrTableJump` whose entries start at `ip`, all
    /// `Jump`s. Threaded code stops at the entry: its cell holds the handler
    /// of the op it jumps to, which the handler calls (`threaded::next_entry`)
    /// without waiting for the target's own cell.
    #[inline(always)]
    pub fn table_jump(&mut self, i: u32) {
        self.ip = self.ip.forward(i);
        #[cfg(not(wisp_threaded))]
        if let crate::bytecode::Op::Jump { target } = self.ip.get() {
            self.ip = self.ip.next().jump_by(target);
        }
    }

    /// As `table_jump`, for a `BrTable`, whose entries are mostly `Br`s (in
    /// threaded code all are, each two cells: `translate::cells`).
    #[inline(always)]
    pub fn table_branch(&mut self, i: u32) {
        #[cfg(wisp_threaded)]
        let i = {
            const {
                assert!(
                    crate::bytecode::Op::Br {
                        target: 0,
                        drop: 0,
                        keep: 0
                    }
                    .span()
                        == 2
                )
            };
            i * 2
        };
        self.ip = self.ip.forward(i);
        #[cfg(wisp_threaded)]
        let entry = super::threaded::br_entry(self.ip);
        #[cfg(not(wisp_threaded))]
        let entry = self.ip.get();
        if let crate::bytecode::Op::Br { target, drop, keep } = entry {
            self.ip = self.ip.after(&entry);
            self.branch(target, drop, keep);
        }
    }

    /// Jumps, moving the top `keep` slots down over `drop` slots.
    #[inline(always)]
    pub fn branch(&mut self, target: u32, drop: u32, keep: u32) {
        self.sp.drop_keep(drop as usize, keep as usize);
        self.jump(target);
    }
}

/// Why an op stops the run; the details wait in `Cx` (`host`, `trap`). A
/// one-byte scalar, so that a threaded handler returns its successor's result
/// unchanged and LLVM can make that call a jump.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Break {
    /// The entry function returned.
    Done,
    /// The guest called the host function `Cx::host`.
    Host,
    /// The op trapped with `Cx::trap`.
    Trap,
    /// A call or return crossed into instance `Cx::inst_id`, whose memory and
    /// entity `run` takes before continuing. Out of the handlers' way, so that
    /// calls and returns within an instance save no registers.
    Reenter,
    /// The call op at `ip` needs work done outside the run before it can go
    /// on (`Cx::prepare`: translating its callee, more room for frame
    /// records); the run then continues at that op. Also out of the
    /// handlers' way, so that a call handler makes no call of its own.
    Prepare,
}

/// What the complex op bodies (calls, tables, bulk memory) return; a trap's
/// kind is already in `Cx::trap`.
pub(crate) type Flow = Result<(), Break>;

/// The traps simple ops raise: a byte, so that raising one costs the hot path
/// nothing (see `halt`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum TrapCode {
    Unreachable,
    MemoryOutOfBounds,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
    StackOverflow,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
}

impl From<TrapCode> for TrapKind {
    fn from(code: TrapCode) -> TrapKind {
        match code {
            TrapCode::Unreachable => TrapKind::Unreachable,
            TrapCode::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            TrapCode::IntegerOverflow => TrapKind::IntegerOverflow,
            TrapCode::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
            TrapCode::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
            TrapCode::StackOverflow => TrapKind::StackOverflow,
            TrapCode::UndefinedElement => TrapKind::UndefinedElement,
            TrapCode::UninitializedElement => TrapKind::UninitializedElement,
            TrapCode::IndirectCallTypeMismatch => TrapKind::IndirectCallTypeMismatch,
        }
    }
}

/// Why an op body stops the run: a `Break` or a `TrapCode`, in one byte so
/// that `halt` takes only register arguments.
#[derive(Copy, Clone, Debug)]
#[repr(u8)]
pub(crate) enum Stop {
    Done,
    Host,
    Trapped,
    Reenter,
    Prepare,
    /// A `GlobalGetOwn`-like op named a global past the store's: impossible
    /// by construction (`Cx::own_global`), reported as an internal error.
    MissingGlobal,
    /// A handler found an op of another variant than its own: impossible by
    /// construction (`translate::cells`), reported as an internal error.
    Misdispatch,
    Unreachable,
    MemoryOutOfBounds,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
    StackOverflow,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
}

impl From<Break> for Stop {
    #[inline(always)]
    fn from(b: Break) -> Stop {
        match b {
            Break::Done => Stop::Done,
            Break::Host => Stop::Host,
            Break::Trap => Stop::Trapped,
            Break::Reenter => Stop::Reenter,
            Break::Prepare => Stop::Prepare,
        }
    }
}

impl From<TrapCode> for Stop {
    #[inline(always)]
    fn from(code: TrapCode) -> Stop {
        match code {
            TrapCode::Unreachable => Stop::Unreachable,
            TrapCode::MemoryOutOfBounds => Stop::MemoryOutOfBounds,
            TrapCode::IntegerOverflow => Stop::IntegerOverflow,
            TrapCode::IntegerDivideByZero => Stop::IntegerDivideByZero,
            TrapCode::InvalidConversionToInteger => Stop::InvalidConversionToInteger,
            TrapCode::StackOverflow => Stop::StackOverflow,
            TrapCode::UndefinedElement => Stop::UndefinedElement,
            TrapCode::UninitializedElement => Stop::UninitializedElement,
            TrapCode::IndirectCallTypeMismatch => Stop::IndirectCallTypeMismatch,
        }
    }
}

/// The results an op body may produce: nothing, a trap code, or a `Flow`.
pub(crate) trait Outcome {
    fn stop(self) -> Result<(), Stop>;
}

impl Outcome for () {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl Outcome for Result<(), TrapCode> {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        self.map_err(Stop::from)
    }
}

impl Outcome for Flow {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        self.map_err(Stop::from)
    }
}

impl Outcome for Result<(), Stop> {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        self
    }
}
