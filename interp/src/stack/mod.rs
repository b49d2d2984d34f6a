//! The value stack a call runs on: one fixed-address buffer of untyped 64-bit
//! slots and the frame records of the guest calls in progress. It sits below
//! both the store, which keeps a spare one between calls, and the executor,
//! which runs on it; `raw` holds its unchecked pointer types.

#[cfg(feature = "op-stats")]
pub(crate) mod forwarding;
pub(crate) mod raw;

use crate::error::Trap;
use raw::{CodePtr, Ip, Locals, SlotBuf};

/// The caller's state saved by a guest-to-guest call: its registers as
/// pointers, so a return restores them without lookups.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Frame {
    pub ip: Ip,
    pub lp: Locals,
    /// The caller's code, whose `FuncCode::index` names it.
    pub code_ptr: CodePtr,
    /// The caller's instance (store index).
    pub inst: u32,
}

/// A value stack (untyped 64-bit slots, fixed address) and its frame records.
pub(crate) struct Stack {
    pub slots: SlotBuf,
    pub frames: Vec<Frame>,
}

impl Stack {
    pub fn new(slots: usize) -> Result<Stack, Trap> {
        Ok(Stack {
            slots: SlotBuf::new(slots)?,
            frames: Vec::new(),
        })
    }
}
