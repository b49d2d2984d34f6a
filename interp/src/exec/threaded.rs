//! The threaded dispatch backend: one function per op, each ending in a call
//! to the next op's handler in tail position, with the registers (`ip`, `sp`
//! and the cached stack top, the locals, an f64 and an f32 top in float
//! registers: `Regs::ft`, `Regs::fs`) passed as arguments (the memory's
//! base and length stay in `Cx`, which leaves LLVM a free register). LLVM turns
//! these sibling calls into jumps when optimising on x86-64 and AArch64, so a
//! run is a chain of jumps with its hot state in machine registers and one
//! indirect branch per op site rather than one shared by every op.
//!
//! A sibling call is only guaranteed when the handler's locals do not escape
//! (see `ops`), which is why `build.rs` enables this backend only for
//! optimised builds on those targets; `tests/differential.rs` runs every kind of op in
//! long loops on a small thread stack, so a handler that stopped being a jump
//! would overflow it there.
#![allow(unsafe_code)]

use super::divide;
use super::numeric::{self, FloatSlot, f32_ops, f64_ops, i32_bits, i64_bits, le};
use super::raw::{Ip, Locals, MemView, Sp, assume};
use super::{Break, Cx, Regs, Stop, TrapCode, halt, step};
use crate::bytecode::Op;
use core::mem::MaybeUninit;

/// Every handler's signature: the context, then the registers. The fourth
/// argument carries nothing: it keeps the fourth argument register (`rcx` on
/// x86-64, the one variable shifts need) free for every handler to use.
/// The last two, an f64 and an f32, are `Regs::ft` and `Regs::fs`, in the
/// first two float argument registers.
type Handler = for<'x, 'a> fn(
    &'x mut Cx<'a>,
    Ip,
    *mut u64,
    MaybeUninit<usize>,
    Locals,
    u64,
    f64,
    f32,
) -> Break;

/// Runs ops from `r` until one stops the run.
pub(super) fn run(cx: &mut Cx<'_>, r: Regs) -> Break {
    next(cx, r)
}

/// The address of `op`'s handler, which translation stores before the op
/// (`bytecode::Cell`).
pub(crate) fn handler_address(op: &Op) -> usize {
    // SAFETY: `Op` is `#[repr(u32)]`: its first four bytes are its tag.
    let tag = unsafe { core::ptr::from_ref(op).cast::<u32>().read() };
    // The handlers read their fields back with their own number as the tag.
    assert_eq!(
        tag as usize,
        index(op),
        "Op's tags follow its variants' order"
    );
    HANDLERS[index(op)] as usize
}

/// Whether the cell at `ip`, where `translate::cells` put `op`, holds
/// `handler` and reads back as `op` (for tests).
#[cfg(all(test, wisp_threaded))]
pub(crate) fn cell_holds(ip: Ip, op: &Op, handler: usize) -> bool {
    // SAFETY: the cell is `op`'s (the caller's promise), and `index` is its tag.
    ip.handler() == handler && unsafe { ip.get_as(index(op) as u32) } == *op
}

/// Whether the cell at `ip` is a `BrTableJump`'s entry `op` (a `Jump`)
/// holding `handler`, that of the op it jumps to (for tests).
#[cfg(all(test, wisp_threaded))]
pub(crate) fn entry_holds(ip: Ip, op: &Op, handler: usize) -> bool {
    // SAFETY: the cell is a `Jump`'s (the caller's promise).
    ip.handler() == handler && unsafe { ip.get_as(Idx::Jump as u32) } == *op
}

/// The `br_table` entry at `ip` if it is a `Br`, else `Unreachable` (which
/// no entry is): a cell names its handler, not its op.
#[cfg(wisp_threaded)]
#[inline(always)]
pub(super) fn br_entry(ip: Ip) -> Op {
    if ip.handler() == h::Br as Handler as usize {
        // SAFETY: the cell holds the `Br` handler, so `translate::cells`
        // put a `Br` there (`tests` checks that no other op shares it).
        unsafe { ip.get_as(Idx::Br as u32) }
    } else {
        Op::Unreachable
    }
}

/// Continues past the `BrTableJump` entry at `r.ip`: with the handler its
/// cell holds, which `translate::cells` made the handler of the op it jumps
/// to, so the indirect jump waits for one load after the entry's address
/// (not for the entry's target, then the target's cell).
#[cfg(wisp_threaded)]
#[inline(always)]
fn next_entry(cx: &mut Cx<'_>, mut r: Regs) -> Break {
    // SAFETY: a `BrTableJump` (or `BrTableJumpAt`) leaves `r.ip` at one of
    // its entries (`Regs::table_jump`), all `Jump`s, whose cells
    // `translate::cells` gave the handler of their targets, `Handler`s
    // from `HANDLERS` like any cell's.
    let handler = unsafe { core::mem::transmute::<usize, Handler>(r.ip.handler()) };
    // SAFETY: the entry is a `Jump` (as above).
    let entry = unsafe { r.ip.get_as(Idx::Jump as u32) };
    let Op::Jump { target } = entry else {
        return cx.misdispatch();
    };
    r.ip = r.ip.after(&entry).jump_by(target);
    call(handler, cx, r)
}

/// Continues with the op at `r.ip`: a call in tail position.
#[inline(always)]
fn next(cx: &mut Cx<'_>, r: Regs) -> Break {
    // SAFETY: an op's first cell holds `handler_address` of the op
    // (`translate::cells`, the only maker of cells in a threaded build), the
    // address of a `Handler` from `HANDLERS`, so it converts back to one.
    #[cfg(wisp_threaded)]
    let handler = unsafe { core::mem::transmute::<usize, Handler>(r.ip.handler()) };
    // (The module is compiled, unused, in loop builds.)
    #[cfg(not(wisp_threaded))]
    let handler = HANDLERS[index(&r.ip.get())];
    call(handler, cx, r)
}

/// Runs `handler` on the registers `r`, one machine register each: a call in
/// tail position, which LLVM makes a jump.
#[inline(always)]
fn call(handler: Handler, cx: &mut Cx<'_>, r: Regs) -> Break {
    handler(
        cx,
        r.ip,
        r.sp.ptr(),
        MaybeUninit::uninit(),
        r.lp,
        r.sp.tos(),
        r.ft,
        r.fs,
    )
}

/// Defines handler `$name` (a `Handler`): the registers from its arguments
/// are `$r`, and `$body` runs them on and continues the run.
macro_rules! handler {
    ($name:ident($cx:ident, $r:ident) $body:block) => {
        pub(super) fn $name(
            $cx: &mut Cx<'_>,
            ip: Ip,
            sp: *mut u64,
            _free: MaybeUninit<usize>,
            lp: Locals,
            tos: u64,
            ft: f64,
            fs: f32,
        ) -> Break {
            let mut $r = regs($cx, ip, sp, lp, tos, ft, fs);
            $body
        }
    };
}

macro_rules! expand {
    ($( $name:ident $fields:tt => $body:expr, )*) => {
        /// Handler numbers, in the order of `Op`'s variants.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Copy, Clone)]
        enum Idx {
            $( $name, )*
        }

        /// The handler number of `op`: its variant's position, so this compiles
        /// to a load of the tag.
        #[inline(always)]
        pub(super) fn index(op: &Op) -> usize {
            match op {
                $( Op::$name { .. } => Idx::$name as usize, )*
            }
        }

        /// The number of ops.
        pub(super) const OPS: usize = [$( Idx::$name, )*].len();

        /// The handlers by number.
        static HANDLERS: [Handler; OPS] = [$( h::$name, )*];

        /// Each op's body on the registers: reads the op at `r.ip`, which must
        /// be of the function's variant, and leaves `r.ip` at the op to run
        /// next; gives the address of the op after it (where `r.ip` is
        /// unless the op branched, called or returned). A handler runs one
        /// body; a pair handler (`pair_handlers`) two.
        #[allow(non_snake_case)]
        mod b {
            use super::*;
            $(
                #[inline(always)]
                pub(super) fn $name(cx: &mut Cx<'_>, r: &mut Regs) -> Result<Ip, Stop> {
                    // SAFETY: `next` reaches this op's handler (or a pair
                    // handler whose first or second op it is) only through
                    // the address `translate::cells` stored with an op of
                    // this variant, and `Idx` numbers the variants in order,
                    // as `Op`'s tags do.
                    #[cfg(wisp_threaded)]
                    let op = unsafe { r.ip.get_as(Idx::$name as u32) };
                    #[cfg(not(wisp_threaded))]
                    let op = r.ip.get();
                    // SAFETY: as above: the op is of this variant.
                    unsafe { assume(matches!(op, Op::$name { .. })) };
                    let Op::$name $fields = op else {
                        return Err(Stop::Misdispatch);
                    };
                    let after = r.ip.after(&op);
                    r.ip = after;
                    step($body, r, cx).map(|()| after)
                }
            )*
        }

        /// The handlers, named after their ops. Their arguments are the
        /// registers of the run, one machine register each: eight, so
        /// `clippy::too_many_arguments` does not apply.
        #[allow(non_snake_case, clippy::too_many_arguments)]
        mod h {
            use super::*;
            $(
                handler!($name(cx, r) {
                    match b::$name(cx, &mut r) {
                        Ok(_) => then(cx, r, Idx::$name),
                        // Also a call in tail position, so that the cold path
                        // keeps no registers alive in the handler.
                        Err(stop) => halt(cx, r.ip, r.sp.ptr(), stop, r.lp, r.sp.tos()),
                    }
                });
            )*
        }
    };
}
with_ops!(expand);

/// The registers from a handler's arguments.
#[inline(always)]
fn regs(cx: &Cx<'_>, ip: Ip, sp: *mut u64, lp: Locals, tos: u64, ft: f64, fs: f32) -> Regs {
    Regs {
        ip,
        sp: Sp::from_parts(sp, tos),
        lp,
        mem: MemView::from_parts(cx.mem_ptr, cx.mem_len),
        ft,
        fs,
        jumped: false,
    }
}

/// Continues after op `last` has run: through a table's entry after a
/// `BrTableJump`, else with the op at `r.ip`.
#[inline(always)]
fn then(cx: &mut Cx<'_>, r: Regs, last: Idx) -> Break {
    #[cfg(wisp_threaded)]
    if matches!(last, Idx::BrTableJump | Idx::BrTableJumpAt) {
        return next_entry(cx, r);
    }
    let _ = last;
    next(cx, r)
}

/// Pair handlers: for an op `a` that may continue with the op after it and
/// a frequent successor `b`, one handler that runs both bodies, which
/// `translate::cells` stores in `a`'s cell when `b` follows it, saving `b`'s
/// dispatch. `b`'s cell keeps its own handler, so a branch to `b` still finds
/// it, and when `a` branches the pair handler continues where `a` went.
/// `a` never grows memory (`b` runs on the memory view of the handler's
/// entry). The pairs are chosen from the tuned programs' op-pair counts
/// (`scripts/choose-pairs.py` writes `scripts/pairs.txt`, from which
/// `scripts/gen-ops.py` writes the list, `pairs.rs`, in key order).
macro_rules! pair_handlers {
    ($( $pair:ident = $a:ident, $b:ident; )*) => {
        #[allow(non_snake_case, clippy::too_many_arguments)]
        mod p {
            use super::*;
            $(
                handler!($pair(cx, r) {
                    match b::$a(cx, &mut r) {
                        // `a` went on to the op after it, which is `b`
                        // (`translate::cells`); `jumped` tells the taken
                        // way of a branch apart without testing its offset
                        Ok(after) if !r.jumped && r.ip == after => match b::$b(cx, &mut r) {
                            Ok(_) => then(cx, r, Idx::$b),
                            Err(stop) => halt(cx, r.ip, r.sp.ptr(), stop, r.lp, r.sp.tos()),
                        },
                        Ok(_) => then(cx, r, Idx::$a),
                        Err(stop) => halt(cx, r.ip, r.sp.ptr(), stop, r.lp, r.sp.tos()),
                    }
                });
            )*
        }

        /// Each pair's key, `a`'s number << 16 | `b`'s number, in order
        /// (`pairs.rs` lists them so; `tests` checks it), for `pair_address`.
        const KEYS: &[u32] = &[ $( ((Idx::$a as u32) << 16) | Idx::$b as u32, )* ];

        /// The pair handlers, in the order of `KEYS`.
        static PAIRS: &[Handler] = &[ $( p::$pair, )* ];
    };
}
include!("pairs.rs");

/// For each op number `a`, the index in `KEYS` of the first pair starting
/// with op `a` or a later one: op `a`'s pairs are `FIRST[a]..FIRST[a + 1]`.
static FIRST: [u16; OPS + 1] = first_pairs(KEYS);

/// `FIRST` from the pairs' keys, in order.
const fn first_pairs(keys: &[u32]) -> [u16; OPS + 1] {
    assert!(keys.len() < u16::MAX as usize);
    let mut first = [0; OPS + 1];
    let (mut a, mut i) = (0, 0);
    while a <= OPS {
        while i < keys.len() && ((keys[i] >> 16) as usize) < a {
            i += 1;
        }
        first[a] = i as u16;
        a += 1;
    }
    first
}

/// The address of the pair handler of `a` then `b`, if the pair has one
/// (for an `a` whose op after it is `b`).
pub(crate) fn pair_address(a: &Op, b: &Op) -> Option<usize> {
    let a = index(a);
    let first = FIRST[a] as usize;
    let key = ((a as u32) << 16) | index(b) as u32;
    KEYS[first..FIRST[a + 1] as usize]
        .binary_search(&key)
        .ok()
        .map(|i| PAIRS[first + i] as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pair_address` searches `PAIRS` within `FIRST`'s brackets, and no
    /// pair handler is an op's own.
    #[test]
    fn pairs_are_in_key_order() {
        assert!(KEYS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(KEYS.len(), PAIRS.len());
        // `FIRST` brackets each op's pairs.
        for a in 0..OPS {
            let (lo, hi) = (FIRST[a] as usize, FIRST[a + 1] as usize);
            assert!(KEYS[lo..hi].iter().all(|&key| key >> 16 == a as u32));
            assert!(KEYS[..lo].iter().all(|&key| key >> 16 < a as u32));
        }
        assert_eq!(FIRST[OPS] as usize, KEYS.len());
        for (&key, &h) in KEYS.iter().zip(PAIRS) {
            assert!(!HANDLERS.iter().any(|&own| own as usize == h as usize));
            assert!((key >> 16) < OPS as u32 && (key & 0xffff) < OPS as u32);
        }
    }

    /// `br_entry` tells a `br_table`'s entries apart by their handlers, so
    /// no other op may share `Br`'s.
    #[test]
    fn br_has_a_handler_of_its_own() {
        let own = h::Br as Handler as usize;
        let sharing = HANDLERS.iter().filter(|&&h| h as usize == own).count();
        assert_eq!(sharing, 1);
    }
}
