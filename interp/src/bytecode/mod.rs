//! wisp's bytecode: the one `Op` enum and per-function code.
//!
//! Structured control flow is gone by the time code reaches this form: blocks,
//! loops and ifs are lowered to jumps whose targets are offsets from the op
//! after the branch (two's complement in a `u32`), and every branch carries the
//! stack adjustment it performs (`drop` slots removed below the `keep` slots it
//! carries); `Jump`, `BrTableJump` and `BrTableJumpAt` are the branches that
//! adjust nothing. The executor never decodes LEB128 and never searches for a
//! label.
//!
//! Suffixes on op names say what was specialised: `Nez`/`Eqz` on branches name
//! the condition that takes the branch. Fused superinstructions take operands
//! straight from locals and constants instead of the stack: `SC` = (stack top,
//! constant), `SL` = (stack top, local `b`), `LS` = (local `b`, stack top),
//! `LL` = (local `a`, local `b`), `LC` = (local `a`, constant `c`), `SS` = the
//! two top slots. `ToL` stores the result in local `d` instead of pushing it (a
//! fused `local.set`); `Tee` both stores it in local `d` and pushes it;
//! `TeeSC` first stores the stack top in local `d` (a `local.tee`), then
//! applies the op with the constant to it. `I32Xor<shift>LCL` is
//! `local a <shift> c ^ local b` (xorshift and hash mixing), `..ToL` into `d`.
//! `BrI32<cmp>` jumps, without stack adjustment, when the comparison holds (an
//! `if` uses the inverse comparison), and `BrI64<cmp>` likewise for i64 (whose
//! `SC` forms, like i64 arithmetic's, hold any i64 constant; `BrI64Eqz` and
//! `BrI64Nez` test a whole i64); `BrNezL`/`BrEqzL` test a local,
//! `BrNezTee`/`BrEqzTee` a value also stored by `local.tee`, `BrI32And..` the
//! bits of `x & c`. Loads take their address from a local (`L`), local plus
//! constant (`LC`, wrapping as `i32.add` does), two locals (`LL`), the stack top
//! plus a constant (`SC`) or plus a local (`SL`), or are a constant (`A`,
//! `<load>ATee`, `<load>AToL`: a global variable's address), then add the
//! memarg offset;
//! `<load>LTee` and `<load>Tee` (address from a local, from the stack top) also
//! store the loaded value in local `d`, `<load>TeeS` first stores the address
//! (the stack top) in `d`, `<load>TeeL` stores the stack top in `d` and loads
//! from local `local`'s address (a `LocalTeeGet` and the load).
//! Stores take address and value from locals (`LL`: `addr`, `value`), or the
//! address from a local and the value from the stack (`L`), or the value from a
//! constant (`C`). `LocalCopy`, `LocalSetC`, `LocalTeeGet`, `LocalGet2`,
//! `LocalSetGet` and `LocalCopyBr` are the local-traffic pairs their names say.
//! `Return1` is `Return` in a function with one result.

#[cfg(test)]
mod tests;

mod op;
pub use op::Op;

/// An op as the executor fetches it.
///
/// The loop backend's cell is the op alone (16 bytes). Under the threaded
/// backend (`cfg(wisp_threaded)`) an op takes one or two 16-byte cells
/// (`Op::span`): the address of its handler, then the op's fields, so a
/// dispatch is a load from the code and an indirect jump, with no table lookup
/// by tag (`exec/threaded.rs`). `Op` is `#[repr(u32)]`: a `u32` tag, then the
/// variant's fields within 12 bytes; the cells hold the op's bytes 4 to 16
/// from byte 8 of its first cell on (so the tag's place is the handler
/// address's upper half), and a handler, which knows its op's tag, puts it
/// back to read the fields (`stack::raw::Ip::get_as`). An op whose fields end
/// within 8 bytes of them takes one cell, a wider one two: four to a cache
/// line where the ops are narrow, against two when every op took 32 bytes.
/// `translate::cells` makes them (a branch's target counts cells there).
#[derive(Copy, Clone)]
#[cfg_attr(wisp_threaded, repr(C, align(16)))]
#[cfg_attr(not(wisp_threaded), repr(C))]
pub struct Cell {
    /// The handler of the op starting here (`exec::handler_address`), or the
    /// op's fields when this is an op's second cell or the pad cell that ends
    /// a body.
    #[cfg(wisp_threaded)]
    pub(crate) handler: usize,
    /// The op's first fields.
    #[cfg(wisp_threaded)]
    pub(crate) rest: core::mem::MaybeUninit<[u8; 8]>,
    /// The op.
    #[cfg(not(wisp_threaded))]
    pub op: Op,
}

impl core::fmt::Debug for Cell {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        #[cfg(wisp_threaded)]
        return write!(f, "Cell({:#x})", self.handler);
        #[cfg(not(wisp_threaded))]
        self.op.fmt(f)
    }
}

/// A translated function body.
#[derive(Debug, Default)]
pub struct FuncCode {
    /// The instructions; the last one is always a return (`Return`, `Return0` or `Return1`).
    pub cells: Box<[Cell]>,
    /// The ops of `cells`, for tests of threaded builds: a threaded cell
    /// holds a handler in place of the op's tag, and LLVM merges the handlers
    /// of ops with the same body (`I32Load`'s and `F32Load`'s), so the cells
    /// alone do not name their ops.
    #[cfg(all(test, wisp_threaded))]
    pub ops: Box<[Op]>,
    /// Immediates too wide for an op (an `Op` is 16 bytes with its tag): a
    /// v128 constant, a shuffle's 16 lane indices. An op names one by its
    /// index here; the executor reads it through its `Cx`, which holds the
    /// running function's code. Empty until an operator needs one: SIMD's
    /// `v128.const` and `i8x16.shuffle` are the first (docs/design.md,
    /// "Wide immediates and wide values").
    pub wide: Box<[u128]>,
    /// Parameter count.
    pub params: u32,
    /// Declared locals (beyond the parameters).
    pub locals: u32,
    /// How many declared locals, from the first, a call must zero: every
    /// later one is written before any read can see it
    /// (`translate::assigned`).
    pub zeroed: u32,
    /// Result count.
    pub results: u32,
    /// The slots a call needs past its arguments: the declared locals, the
    /// spill slot and the highest operand-stack height the body reaches
    /// (`max_height`), summed once here rather than on every call.
    pub room: u32,
    /// The function's code index in its module (its function index less the
    /// imported functions). A run names its function by this, not by a copy
    /// in `exec::Cx` and the frame records: a call read the caller's index
    /// and instance as one 8-byte load, which a return's or call's 4-byte
    /// store of the index just before could not forward (a stall of about
    /// 15 cycles on every call that closely follows another call or a return).
    pub index: u32,
}

impl FuncCode {
    /// The ops, in order.
    #[cfg(test)]
    pub fn ops(&self) -> Vec<Op> {
        #[cfg(wisp_threaded)]
        return self.ops.to_vec();
        #[cfg(not(wisp_threaded))]
        self.cells.iter().map(|c| c.op).collect()
    }

    /// Wide immediate `i` (`Scratch::wide_immediate` gave the index).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "SIMD's v128.const and i8x16.shuffle will read it")
    )]
    pub fn wide(&self, i: u32) -> u128 {
        self.wide[i as usize]
    }

    /// Slots a frame of this function needs: parameters and locals, one slot
    /// the executor's cached stack top may be written to while the operand
    /// stack is empty, and the operands.
    pub fn frame_slots(&self) -> usize {
        self.params as usize + self.room as usize
    }

    /// The highest operand-stack height the body reaches (above its locals).
    #[cfg(test)]
    pub fn max_height(&self) -> u32 {
        self.room.saturating_sub(self.locals + 1)
    }
}
