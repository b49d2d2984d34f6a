//! The value stack's unchecked types, kept in one small module: the slot
//! buffer, the value-stack pointer and its cached top, frame locals, and the
//! two pointers a frame record keeps (the instruction pointer and the code it
//! points into). The executor's other unchecked type, the memory view, is in
//! `exec::raw`.
//!
//! The invariants these types rely on are established elsewhere, once:
//! - **Stack**: frame entry (`exec::call::enter`) checks that the frame's
//!   `FuncCode::frame_slots()` (params + locals + a spill slot + the maximum
//!   operand height the translator computed from the validator) fit below the
//!   end of the buffer. Validation guarantees every op pops only what the frame
//!   pushed, so `Sp` stays within `[frame base, frame base + frame_slots]`, and
//!   the slot below it (where the cached top is spilled) is in the frame, or is
//!   slot 0 for the entry frame, which starts at slot 1.
//! - **Locals**: validation guarantees local indices are below params + locals.
//! - **Fetch**: the translator makes every jump target an index inside the
//!   function and ends every body with `Return` (or `Return1`), so `ip` never
//!   leaves `ops`.
//!
//! Debug builds check each of these with `debug_assert!`: stack and local
//! accesses against the bounds of the value stack the current run works on
//! (`set_debug_bounds`), fetches against the body being run (`set_debug_code`).
#![allow(unsafe_code)]

use crate::bytecode::{Cell, FuncCode, Op};
use crate::error::{Trap, TrapKind};

/// The value stack's memory: a fixed-size anonymous mapping, so its address
/// never changes (pointers into it stay valid) and untouched pages cost nothing.
pub(crate) struct SlotBuf {
    map: memmap2::MmapMut,
    slots: usize,
}

impl SlotBuf {
    /// A buffer of `slots` 64-bit slots.
    pub fn new(slots: usize) -> Result<SlotBuf, Trap> {
        let bytes = slots
            .max(1)
            .checked_mul(8)
            .ok_or_else(|| Trap::new(TrapKind::StackOverflow))?;
        let map = memmap2::MmapOptions::new()
            .len(bytes)
            .no_reserve_swap()
            .map_anon()
            .map_err(|_| Trap::new(TrapKind::StackOverflow))?;
        Ok(SlotBuf {
            map,
            slots: slots.max(1),
        })
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.slots
    }

    /// Pointer to slot 0.
    pub fn base(&mut self) -> *mut u64 {
        // The mapping is page-aligned, so the cast keeps u64 alignment.
        self.map.as_mut_ptr().cast::<u64>()
    }

    /// The slots as a slice (for moving arguments and results in and out).
    pub fn as_mut_slice(&mut self) -> &mut [u64] {
        let len = self.slots;
        let ptr = self.base();
        // SAFETY: the mapping is `len * 8` bytes, page-aligned, initialised (zero
        // pages) and exclusively borrowed through `&mut self`.
        unsafe { core::slice::from_raw_parts_mut(ptr, len) }
    }
}

#[cfg(debug_assertions)]
thread_local! {
    /// The slot range of the value stack the current `run` works on (debug builds only).
    static BOUNDS: core::cell::Cell<(usize, usize)> = const { core::cell::Cell::new((0, usize::MAX)) };
}

/// Records the value stack `run` is about to work on, for the debug checks.
#[inline(always)]
pub(crate) fn set_debug_bounds(buf: *mut u64, slots: usize) {
    #[cfg(debug_assertions)]
    BOUNDS.with(|b| b.set((buf as usize, buf as usize + slots * 8)));
    #[cfg(not(debug_assertions))]
    let _ = (buf, slots);
}

/// Debug check that slot `p` lies in the current value stack.
#[inline(always)]
fn debug_check(p: *mut u64) {
    #[cfg(debug_assertions)]
    BOUNDS.with(|b| {
        let (lo, hi) = b.get();
        debug_assert!(
            (p as usize) >= lo && (p as usize) + 8 <= hi,
            "slot {p:?} outside the value stack"
        );
    });
    #[cfg(not(debug_assertions))]
    let _ = p;
}

/// The value-stack pointer with the top of the stack cached in a register.
///
/// `ptr` is one past the logical top. The top value itself lives in `tos`,
/// and the memory slot it would occupy (`ptr - 1`) is stale until `spill`
/// writes it; every other operand is in memory. While the operand stack is
/// empty, `ptr - 1` is the frame's spill slot (see `FuncCode::frame_slots`),
/// or slot 0 of the value stack for the entry frame, which starts at slot 1:
/// so `ptr - 1` is always a slot of the buffer that may be written.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Sp {
    ptr: *mut u64,
    tos: u64,
}

impl Sp {
    /// The pointer `offset` slots above `base`, with no cached value (call
    /// `reload` when the slots below hold one).
    #[inline(always)]
    pub fn at(base: *mut u64, offset: usize) -> Sp {
        // `wrapping_add` keeps this safe; the result is only dereferenced under the stack invariant.
        Sp {
            ptr: base.wrapping_add(offset),
            tos: 0,
        }
    }

    /// A stack pointer from its parts (`ptr` and `tos` of a current one).
    #[inline(always)]
    pub fn from_parts(ptr: *mut u64, tos: u64) -> Sp {
        Sp { ptr, tos }
    }

    /// The pointer part.
    #[inline(always)]
    pub fn ptr(self) -> *mut u64 {
        self.ptr
    }

    /// The cached top value.
    #[inline(always)]
    pub fn tos(self) -> u64 {
        self.tos
    }

    /// Slots between `base` and this pointer.
    #[inline(always)]
    pub fn offset_from(self, base: *mut u64) -> usize {
        (self.ptr as usize - base as usize) / 8
    }

    /// The slot the cached top belongs to.
    #[inline(always)]
    fn top_slot(self) -> *mut u64 {
        let p = self.ptr.wrapping_sub(1);
        debug_check(p);
        p
    }

    /// Pushes a slot: the old top goes to memory.
    #[inline(always)]
    pub fn push(&mut self, v: u64) {
        // SAFETY: `ptr - 1` is a slot of the buffer (see the type's doc), and frame
        // entry reserved the frame's maximum operand height (stack invariant).
        unsafe { self.top_slot().write(self.tos) };
        #[cfg(feature = "op-stats")]
        super::forwarding::stored(self.top_slot());
        self.ptr = self.ptr.wrapping_add(1);
        self.tos = v;
    }

    /// Pops a slot: the one below becomes the cached top.
    #[inline(always)]
    pub fn pop(&mut self) -> u64 {
        let v = self.tos;
        self.ptr = self.ptr.wrapping_sub(1);
        self.reload();
        v
    }

    /// Drops `n` slots.
    #[inline(always)]
    pub fn drop_n(&mut self, n: usize) {
        self.ptr = self.ptr.wrapping_sub(n);
        self.reload();
    }

    /// The top slot.
    #[inline(always)]
    pub fn top(self) -> u64 {
        self.tos
    }

    /// Replaces the top slot.
    #[inline(always)]
    pub fn set_top(&mut self, v: u64) {
        self.tos = v;
    }

    /// Writes the cached top to its slot, so that memory holds the whole stack.
    #[inline(always)]
    pub fn spill(self) {
        // SAFETY: `ptr - 1` is a slot of the buffer (see the type's doc).
        unsafe { self.top_slot().write(self.tos) };
        #[cfg(feature = "op-stats")]
        super::forwarding::stored(self.top_slot());
    }

    /// Takes the top from memory into the cache.
    #[inline(always)]
    pub fn reload(&mut self) {
        #[cfg(feature = "op-stats")]
        super::forwarding::read(self.top_slot(), true);
        // SAFETY: `ptr - 1` is a slot of the buffer (see the type's doc).
        self.tos = unsafe { self.top_slot().read() };
    }

    /// Moves the top `keep` slots down over the `drop` slots below them.
    #[inline(always)]
    pub fn drop_keep(&mut self, drop: usize, keep: usize) {
        if drop == 0 {
            return;
        }
        match keep {
            0 => self.drop_n(drop),
            // The kept value is the cached top: nothing moves.
            1 => self.ptr = self.ptr.wrapping_sub(drop),
            _ => *self = drop_keep_many(*self, drop, keep),
        }
    }

    /// As `drop_keep`, for a stack whose top is in memory (after `spill`); the
    /// cache is then reloaded.
    #[inline(always)]
    pub fn drop_keep_spilled(&mut self, drop: usize, keep: usize) {
        let src = self.ptr.wrapping_sub(keep);
        let dst = src.wrapping_sub(drop);
        move_slots(dst, src, keep);
        self.ptr = self.ptr.wrapping_sub(drop);
        self.reload();
    }
}

/// `Sp::drop_keep` keeping several values, out of line: a branch handler's
/// hot path then needs no registers for the copy loop.
#[cold]
#[inline(never)]
fn drop_keep_many(mut sp: Sp, drop: usize, keep: usize) -> Sp {
    // The top stays cached; the `keep - 1` slots below it move in memory.
    let src = sp.ptr.wrapping_sub(keep);
    let dst = src.wrapping_sub(drop);
    move_slots(dst, src, keep - 1);
    sp.ptr = sp.ptr.wrapping_sub(drop);
    sp
}

/// Copies `n` slots from `src` down to `dst` (`dst <= src`) within a frame.
#[inline(always)]
fn move_slots(dst: *mut u64, src: *mut u64, n: usize) {
    // A forward slot-by-slot copy: `dst` is below `src`, so overlap is harmless, and
    // the usual count of 0 or 1 avoids a call to `memmove`.
    for i in 0..n {
        debug_check(dst.wrapping_add(i));
        debug_check(src.wrapping_add(i));
        // SAFETY: branch and return adjustments are computed from the validator's stack
        // heights, so both ranges lie within the current frame.
        unsafe { dst.wrapping_add(i).write(src.wrapping_add(i).read()) };
    }
}

/// A frame's locals (parameters first).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Locals(*mut u64);

// SAFETY: a `Locals` points into a value stack (`SlotBuf`, an anonymous
// mapping that never moves) and is only dereferenced by a run that holds that
// stack exclusively; frame records keep it while their stack moves between
// threads (a suspended call, a store), which is as sound as moving the
// mapping itself.
unsafe impl Send for Locals {}

impl Locals {
    /// Locals starting at `base`.
    #[inline(always)]
    pub fn new(base: *mut u64) -> Locals {
        Locals(base)
    }

    /// The frame base pointer.
    #[inline(always)]
    pub fn ptr(self) -> *mut u64 {
        self.0
    }

    /// The frame base as a slot index from `buf`.
    #[inline(always)]
    pub fn index_from(self, buf: *mut u64) -> usize {
        (self.0 as usize - buf as usize) / 8
    }

    /// Local `i`.
    #[inline(always)]
    pub fn get(self, i: u32) -> u64 {
        debug_check(self.0.wrapping_add(i as usize));
        #[cfg(feature = "op-stats")]
        super::forwarding::read(self.0.wrapping_add(i as usize), false);
        // SAFETY: validation bounds local indices by the frame's locals, which frame entry reserved.
        unsafe { self.0.wrapping_add(i as usize).read() }
    }

    /// Sets local `i`.
    #[inline(always)]
    pub fn set(self, i: u32, v: u64) {
        debug_check(self.0.wrapping_add(i as usize));
        #[cfg(feature = "op-stats")]
        super::forwarding::stored(self.0.wrapping_add(i as usize));
        // SAFETY: as `get`.
        unsafe { self.0.wrapping_add(i as usize).write(v) }
    }

    /// Zeroes `n` slots starting at local `from` (declared locals at frame entry).
    #[inline(always)]
    pub fn zero(self, from: usize, n: usize) {
        let start = self.0.wrapping_add(from);
        // Plain stores in a loop. Volatile, so that LLVM does not turn the loop
        // into a call to `memset`: a call handler that makes a call saves
        // registers on every call.
        // A pointer loop, not unrolled: it needs two registers where an
        // unrolled loop's remainder handling made the call handler save more.
        let end = start.wrapping_add(n);
        let mut p = start;
        while p != end {
            debug_check(p);
            // SAFETY: frame entry checked that the frame's slots fit in the buffer.
            unsafe { p.write_volatile(0) };
            p = p.wrapping_add(1);
        }
    }
}

#[cfg(debug_assertions)]
thread_local! {
    /// The address range of the body being executed (debug builds only).
    static CODE: core::cell::Cell<(usize, usize)> = const { core::cell::Cell::new((0, usize::MAX)) };
}

/// A pointer to a function's code, kept in frame records so that a return
/// needs no lookup.
#[derive(Copy, Clone, Debug)]
pub(crate) struct CodePtr(*const FuncCode);

// SAFETY: a `CodePtr` stands for a `&FuncCode` of a module the store holds
// (see `get`); `FuncCode` is immutable and `Sync`, so the reference may move
// to another thread.
unsafe impl Send for CodePtr {}

impl CodePtr {
    /// Points at `code`.
    #[inline(always)]
    pub fn new(code: &FuncCode) -> CodePtr {
        CodePtr(code)
    }

    /// The code pointed at.
    ///
    /// A `CodePtr` is only made from code owned by a module that an instance of
    /// the running store holds (`Cx::code`), and frame records are only read
    /// by runs on that store: a call's frames are cleared when it ends, and a
    /// suspended call's frames are resumed only with the store that started
    /// it (`Store::resume_raw` checks). The store never drops an instance, and
    /// a module's translated code is never replaced.
    #[inline(always)]
    pub fn get<'a>(self) -> &'a FuncCode {
        // SAFETY: see above: the code outlives every frame record that points at it.
        unsafe { &*self.0 }
    }
}

/// Pushes a frame record if `frames` has room for it, without ever growing
/// it: a call handler's push makes no call (growing is `exec::Cx::prepare`'s,
/// outside the run). `false` when it is full.
#[inline(always)]
pub(crate) fn push_frame(frames: &mut Vec<super::Frame>, f: super::Frame) -> bool {
    let len = frames.len();
    let Some(slot) = frames.spare_capacity_mut().first_mut() else {
        return false;
    };
    slot.write(f);
    // SAFETY: the element at `len` (below the capacity) was just initialised.
    unsafe { frames.set_len(len + 1) };
    true
}

/// Records the body being executed, for the debug checks of `Ip::get`.
#[inline(always)]
pub(crate) fn set_debug_code(ops: &[Cell]) {
    #[cfg(debug_assertions)]
    CODE.with(|c| {
        let lo = ops.as_ptr() as usize;
        c.set((lo, lo + core::mem::size_of_val(ops)))
    });
    #[cfg(not(debug_assertions))]
    let _ = ops;
}

/// Threaded code: op `i` of `ops` at cell `at[i]` (its handler's address
/// `handler(op)`, then the op's bytes 4 to 16, 8 or 12 of them as `Op::span`
/// says), with `at[ops.len()]` cells in all and a pad cell after them, so that
/// a handler may read 16 bytes of op from any op's start (`Ip::get_as`).
#[cfg(wisp_threaded)]
pub(crate) fn lay_out(ops: &[Op], at: &[u32], handler: impl Fn(&Op) -> usize) -> Box<[Cell]> {
    let total = at[ops.len()] as usize;
    let pad = Cell {
        handler: handler(&Op::Unreachable),
        rest: core::mem::MaybeUninit::new([0; 8]),
    };
    let mut cells = vec![pad; total + 1].into_boxed_slice();
    let base = cells.as_mut_ptr().cast::<u8>();
    for (op, &at) in ops.iter().zip(at) {
        let end = if op.span() == 1 { 8 } else { 12 };
        assert!(
            (at as usize) + op.span() <= total,
            "cell positions follow the ops' spans"
        );
        let first = at as usize * 16;
        // SAFETY: the op's `span()` cells from `at` lie inside `cells`
        // (checked above), so its handler and its bytes 4 to 4 + `end` fit
        // there (`end` is 8 for one cell, 12 for two; `Op` is 16 bytes).
        // The bytes are copied untyped, padding included.
        unsafe {
            base.add(first).cast::<usize>().write(handler(op));
            let bytes = core::ptr::from_ref(op).cast::<u8>().add(4);
            core::ptr::copy_nonoverlapping(bytes, base.add(first + 8), end);
        }
    }
    cells
}

/// The instruction pointer: the address of an op's cell in a function body.
/// Two are equal when they are the same cell.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ip(*const Cell);

// SAFETY: an `Ip` stands for a `&Cell` in an immutable function body a module
// of the store owns (the fetch invariant); `Cell` is `Copy` and `Sync`, so the
// reference may move to another thread.
unsafe impl Send for Ip {}

impl Ip {
    /// The first op of `ops`; records the body for the debug checks.
    #[inline(always)]
    pub fn start(ops: &[Cell]) -> Ip {
        Ip::at(ops, 0)
    }

    /// Op `index` of `ops` (`index <= ops.len()`); records the body for the debug checks.
    #[inline(always)]
    pub fn at(ops: &[Cell], index: usize) -> Ip {
        set_debug_code(ops);
        // `wrapping_add` keeps this safe; the result is only read under the fetch invariant.
        Ip(ops.as_ptr().wrapping_add(index))
    }

    /// Ops between the start of `ops` and this pointer.
    #[inline(always)]
    pub fn index_in(self, ops: &[Cell]) -> usize {
        (self.0 as usize - ops.as_ptr() as usize) / core::mem::size_of::<Cell>()
    }

    /// Checks the fetch invariant in debug builds.
    #[inline(always)]
    fn check(self) {
        #[cfg(debug_assertions)]
        CODE.with(|c| {
            let (lo, hi) = c.get();
            let p = self.0 as usize;
            debug_assert!(
                p >= lo && p < hi,
                "ip {p:#x} outside the body {lo:#x}..{hi:#x}"
            );
        });
    }

    /// The op this points at.
    #[cfg(not(wisp_threaded))]
    #[inline(always)]
    pub fn get(self) -> Op {
        self.check();
        // SAFETY: jump targets are inside the body and it ends in `Return`, so `ip`
        // always points at a cell of the current body (fetch invariant).
        unsafe { (*self.0).op }
    }

    /// The op starting at this cell, whose tag (`Op`'s discriminant) is `tag`.
    ///
    /// # Safety
    /// `tag` must be the tag of the op `lay_out` put here.
    #[cfg(wisp_threaded)]
    #[inline(always)]
    pub unsafe fn get_as(self, tag: u32) -> Op {
        self.check();
        let mut op = core::mem::MaybeUninit::<Op>::uninit();
        // SAFETY: `ip` is an op's first cell in the current body (fetch
        // invariant), and a cell follows the op, if only the pad cell
        // (`lay_out`), so its 16 bytes from byte 4 on are in bounds. They are
        // the op's bytes but for the first four (the handler's upper half),
        // which become the tag of the op's variant (the caller's promise):
        // `Op` is `#[repr(u32)]`, so its tag is its first `u32` and the
        // fields keep their places; bytes past the fields are padding, which
        // may hold anything.
        unsafe {
            let from = self.0.cast::<u8>().add(4);
            core::ptr::copy_nonoverlapping(from, op.as_mut_ptr().cast::<u8>(), 16);
            op.as_mut_ptr().cast::<u32>().write(tag);
            op.assume_init()
        }
    }

    /// The handler address stored with the op this points at.
    #[cfg(wisp_threaded)]
    #[inline(always)]
    pub fn handler(self) -> usize {
        self.check();
        // SAFETY: `ip` is an op's first cell in the current body (fetch invariant).
        unsafe { (*self.0).handler }
    }

    /// The op after `op`, which starts here.
    #[inline(always)]
    pub fn after(self, op: &Op) -> Ip {
        #[cfg(wisp_threaded)]
        return Ip(self.0.wrapping_add(op.span()));
        #[cfg(not(wisp_threaded))]
        {
            let _ = op;
            self.next()
        }
    }

    /// The next op (of the loop backend's, which each take one cell).
    #[cfg(not(wisp_threaded))]
    #[inline(always)]
    pub fn next(self) -> Ip {
        Ip(self.0.wrapping_add(1))
    }

    /// `n` cells on (a table's entry `n`): `n` widens without a sign, which
    /// on x86-64 takes no instruction, so a table jump's chain from its index
    /// to its entry's handler is one step shorter than with `offset`.
    #[inline(always)]
    pub fn forward(self, n: u32) -> Ip {
        Ip(self.0.wrapping_add(n as usize))
    }

    /// `delta` cells away, as two's complement (`u32::MAX` steps back over a
    /// one-cell op).
    #[inline(always)]
    pub fn offset(self, delta: u32) -> Ip {
        Ip(self.0.wrapping_offset(delta as i32 as isize))
    }

    /// Where a branch's relative target leads: under the threaded backend a
    /// target counts bytes (`translate::cells` scales it), so a taken branch
    /// adds it to `ip` as it is; the loop backend's counts ops.
    #[inline(always)]
    pub fn jump_by(self, target: u32) -> Ip {
        #[cfg(wisp_threaded)]
        return Ip(self
            .0
            .cast::<u8>()
            .wrapping_offset(target as i32 as isize)
            .cast());
        #[cfg(not(wisp_threaded))]
        self.offset(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_pointer_push_pop_and_drop_keep() {
        let mut buf = SlotBuf::new(16).unwrap();
        let base = buf.base();
        set_debug_bounds(base, buf.len());
        // Slot 0 stands for the spill slot of an empty stack.
        let mut sp = Sp::at(base, 1);
        for v in 1..=5 {
            sp.push(v);
        }
        assert_eq!(sp.top(), 5);
        sp.drop_keep(2, 2);
        assert_eq!(sp.offset_from(base), 4);
        assert_eq!((sp.pop(), sp.pop(), sp.pop()), (5, 4, 1));
        sp.push(7);
        sp.push(8);
        sp.spill();
        assert_eq!(buf.as_mut_slice()[1..3], [7, 8]);
        sp.drop_keep_spilled(1, 1);
        assert_eq!((sp.offset_from(base), sp.top()), (2, 8));
    }

    #[test]
    fn the_slot_buffer_is_lazily_zeroed() {
        let mut buf = SlotBuf::new(1 << 20).unwrap();
        assert_eq!(buf.len(), 1 << 20);
        assert!(buf.as_mut_slice().iter().step_by(4096).all(|&s| s == 0));
    }
}
