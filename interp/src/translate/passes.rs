//! The passes over a finished body: `br` without adjustment to plain jumps,
//! `Return0`/`Return1`, jump threading, the fusion of adjacent pairs, and jump
//! targets made relative (what the executor adds to its instruction pointer).

use super::fuse::{reading_float_top, sets_float_top};
use super::{Scratch, peephole};
use crate::bytecode::Op;

/// Runs the passes over the body in `s.ops`, in order (`results`: the
/// function's result count).
pub(super) fn finish(s: &mut Scratch, results: u32, metered: bool) {
    let ret = match results {
        0 => Op::Return0,
        1 => Op::Return1,
        _ => Op::Return,
    };
    for op in &mut s.ops {
        if *op == Op::Return {
            *op = ret;
        }
    }
    if metered {
        // An empty segment before a return pays nothing and precedes no loop:
        // the return itself can take its place.
        for i in 1..s.ops.len() {
            let next = s.ops[i];
            if matches!(next, Op::Return | Op::Return0 | Op::Return1)
                && s.ops[i - 1] == (Op::Fuel { amount: 0 })
            {
                s.ops[i - 1] = next;
            }
        }
    }
    plain_jumps(&mut s.ops);
    // twice: a copied run's own final jump is threaded in the second pass;
    // together they add at most twice the body's length (of 64 ops at least)
    let mut budget = 2 * s.ops.len().max(64);
    thread_jumps(s, &mut budget);
    thread_jumps(s, &mut budget);
    fuse_pairs(s);
    float_top(s);
    relative_targets(&mut s.ops);
}

/// The f64 (f32) ops whose stack-top operand the op before left in
/// `Regs::ft` (`Regs::fs`) take it from there (`F64AddX`, `F32MulSCX`, ...):
/// the op before is one that sets that register, and the op is no jump
/// target or `br_table` entry, so the op before is the only way in (a run
/// that stops and resumes re-enters only at a call, a jump target or a
/// metered op, none of which reads `ft` or `fs`). Runs last: no op moves
/// after it.
fn float_top(s: &mut Scratch) {
    mark_targets(&s.ops, &mut s.marks);
    for i in 1..s.ops.len() {
        if s.marks[i] != 0 || s.marks[i - 1] & ENTRY != 0 {
            continue;
        }
        let Some(set) = sets_float_top(s.ops[i - 1]) else {
            continue;
        };
        if let Some((reads, x)) = reading_float_top(s.ops[i])
            && reads == set
        {
            s.ops[i] = x;
        }
    }
}

/// A last peephole over the finished body: fuses adjacent pairs that the
/// fusions while emitting leave alone (they would hide operands from them)
/// or that jump threading brought together, never when the second op is a
/// jump target or the first a `br_table` entry; a fused pair fuses again
/// with the single op before it where `fuse_pair` has a form for both (an
/// address computed just before a store whose constant the pair joined), on
/// the same conditions. Then renumbers the targets.
fn fuse_pairs(s: &mut Scratch) {
    let n = s.ops.len();
    mark_targets(&s.ops, &mut s.marks);
    s.remap.clear();
    s.fused.clear();
    // Whether the last op out is op `i - 1` unfused and no `br_table` entry.
    let mut single_before = false;
    let mut i = 0;
    while i < n {
        let pair = (i + 1 < n && s.marks[i] & ENTRY == 0 && s.marks[i + 1] == 0)
            .then(|| peephole::fuse_pair(s.ops[i], s.ops[i + 1]))
            .flatten();
        match pair {
            Some(op) => {
                let before = s.fused.last().copied();
                let joined = before
                    .filter(|_| single_before && s.marks[i] == 0)
                    .and_then(|b| peephole::fuse_pair(b, op));
                match joined {
                    Some(three) => {
                        // ops `i` and `i + 1` are no jump targets: the last
                        // op out stands for all three
                        let at = s.fused.len() as u32 - 1;
                        s.remap.extend([at, at]);
                        *s.fused.last_mut().expect("an op before") = three;
                    }
                    None => {
                        let at = s.fused.len() as u32;
                        s.remap.extend([at, at]);
                        s.fused.push(op);
                    }
                }
                single_before = false;
                i += 2;
            }
            None => {
                s.remap.push(s.fused.len() as u32);
                s.fused.push(s.ops[i]);
                single_before = s.marks[i] & ENTRY == 0;
                i += 1;
            }
        }
    }
    if s.fused.len() != n {
        take_rewrite(s);
    }
}

/// `marks` bits: the op is a jump target; the op is a `br_table` entry.
const TARGET: u8 = 1;
const ENTRY: u8 = 2;

/// Marks every op of `ops` that a branch targets (`TARGET`) and every
/// `br_table` entry (`ENTRY | TARGET`: the table jumps to it too); one more
/// slot stands for the end of the body.
fn mark_targets(ops: &[Op], marks: &mut Vec<u8>) {
    marks.clear();
    marks.resize(ops.len() + 1, 0);
    for (i, op) in ops.iter().enumerate() {
        let mut op = *op;
        if let Some(&mut t) = op.target_mut() {
            marks[t as usize] |= TARGET;
        }
        if let Op::BrTable { len } | Op::BrTableJump { len } = op {
            for m in &mut marks[i + 1..=i + 1 + len as usize] {
                *m |= ENTRY | TARGET;
            }
        }
    }
}

/// Makes the rewritten body `fused` the body: `remap` holds the new index of
/// every old op, to which each jump target is renumbered.
fn take_rewrite(s: &mut Scratch) {
    s.remap.push(s.fused.len() as u32);
    for op in &mut s.fused {
        if let Some(t) = op.target_mut() {
            *t = s.remap[*t as usize];
        }
    }
    core::mem::swap(&mut s.ops, &mut s.fused);
}

/// Branches without a stack adjustment become ops that only jump: their
/// handlers then need no registers for moving values. A `br_table` whose
/// entries all became `Jump`s is a `BrTableJump`.
fn plain_jumps(ops: &mut [Op]) {
    for op in ops.iter_mut() {
        if let Op::Br {
            target, drop: 0, ..
        } = *op
        {
            *op = Op::Jump { target }
        }
    }
    for i in 0..ops.len() {
        if let Op::BrTable { len } = ops[i]
            && ops[i + 1..=i + 1 + len as usize]
                .iter()
                .all(|e| matches!(e, Op::Jump { .. }))
        {
            ops[i] = Op::BrTableJump { len };
        }
    }
}

/// Rewrites every jump target from an absolute op index to an offset from the
/// op after the branch (as two's complement), which is what the executor adds
/// to its instruction pointer.
fn relative_targets(ops: &mut [Op]) {
    map_targets(ops, u32::wrapping_sub);
}

/// Replaces every jump target `t` of a branch at index `i` with `f(t, i + 1)`.
pub(super) fn map_targets(ops: &mut [Op], f: fn(u32, u32) -> u32) {
    for (i, op) in ops.iter_mut().enumerate() {
        if let Some(t) = op.target_mut() {
            *t = f(*t, i as u32 + 1);
        }
    }
}

/// Most ops a jump takes a copy of, besides the branch that ends them.
const TAIL_OPS: usize = 6;
/// Most entries of a `br_table` a jump takes a copy of.
const TAIL_TABLE: u32 = 32;

/// Jump threading, with targets still absolute. A `Jump` to a short
/// straight run ending in an unconditional branch, a return or a small
/// `br_table` becomes a copy of the run: one dispatch fewer, and the copy's
/// branch is predicted on its own history (an interpreter loop's dispatch is
/// replicated into each case). A larger `br_table` is not copied: the run
/// before it is, then a `BrTableJumpAt` to its entries (so a bytecode
/// interpreter's cases, which end in a jump back to the dispatch, dispatch
/// without that jump). Failing that, a `Jump` to a conditional branch
/// becomes the opposite branch to the op after it, then a `Jump` to its
/// target, so a loop tested at its top costs one branch per iteration (in
/// metered code the loop's `Fuel` op comes along, ahead of the loop's step
/// when that fuses with the test). `br_table` entries stay single jumps; the
/// copies take what they add from `budget`.
fn thread_jumps(s: &mut Scratch, budget: &mut usize) {
    let n = s.ops.len();
    mark_targets(&s.ops, &mut s.marks);
    s.remap.clear();
    s.fused.clear();
    // (a copy may be one op, replacing the jump without changing the length)
    let mut changed = false;
    for j in 0..n {
        s.remap.push(s.fused.len() as u32);
        if let Op::Jump { target } = s.ops[j]
            && s.marks[j] & ENTRY == 0
        {
            let t = target as usize;
            match tail(&s.ops, t) {
                Some(Tail::Run(end)) if !(t..=end).contains(&j) && end - t < *budget => {
                    *budget -= end - t;
                    s.fused.extend_from_slice(&s.ops[t..=end]);
                    changed = true;
                    continue;
                }
                Some(Tail::Dispatch(k, len)) if !(t..=k).contains(&j) && k - t < *budget => {
                    *budget -= k - t;
                    s.fused.extend_from_slice(&s.ops[t..k]);
                    s.fused.push(Op::BrTableJumpAt {
                        target: k as u32 + 1,
                        len,
                    });
                    changed = true;
                    continue;
                }
                _ => {}
            }
            // (in metered code a loop's header is its `Fuel` op, then the test)
            let fuel = matches!(s.ops[t], Op::Fuel { .. }).then_some(s.ops[t]);
            let c = t + fuel.is_some() as usize;
            let mut cond = s.ops[c];
            if let Some(mut opposite) = cond.inverted()
                && *budget > fuel.is_some() as usize
                && t != j
                && c != j
                && let (Some(to), Some(next)) = (cond.target_mut(), opposite.target_mut())
            {
                *budget -= 1 + fuel.is_some() as usize;
                let taken = *to;
                *next = c as u32 + 1;
                if let Some(fuel) = fuel {
                    // The copy pays for the next iteration. Paid before the op
                    // before the jump instead (a loop's step, which is paid for
                    // already), it lets `fuse_pairs` join that op with the test.
                    match s.fused.last() {
                        Some(&x)
                            if j > 0
                                && x == s.ops[j - 1]
                                && s.marks[j - 1] == 0
                                && s.marks[j] == 0
                                && peephole::fuse_pair(x, opposite).is_some() =>
                        {
                            s.fused.pop();
                            s.fused.push(fuel);
                            s.fused.push(x);
                        }
                        _ => s.fused.push(fuel),
                    }
                }
                s.fused.push(opposite);
                s.fused.push(Op::Jump { target: taken });
                changed = true;
                continue;
            }
        }
        s.fused.push(s.ops[j]);
    }
    if changed {
        take_rewrite(s);
    }
}

/// Most ops before a dispatch that a jump takes a copy of: before a larger
/// `br_table` (a bytecode interpreter's head: load the opcode, mask it, look
/// up its case, bias the index), or before a `BrTableJumpAt` an earlier pass
/// copied (a case that jumps to shared code fetching the next opcode).
const HEADER_OPS: usize = 8;

/// What a jump may take a copy of.
enum Tail {
    /// The ops up to and including the one at this index: at most
    /// `TAIL_OPS` ops, then an unconditional branch, a return or a
    /// `br_table` of fewer than `TAIL_TABLE` entries with its entries; or
    /// at most `HEADER_OPS`, then a `BrTableJumpAt`.
    Run(usize),
    /// The ops before the `BrTableJump` at this index (at most
    /// `HEADER_OPS`), which has `len + 1` entries: the copy ends in a
    /// `BrTableJumpAt` to them.
    Dispatch(usize, u32),
}

/// What a jump to `t` may take a copy of.
fn tail(ops: &[Op], t: usize) -> Option<Tail> {
    for k in t..=t + HEADER_OPS {
        let short = k <= t + TAIL_OPS;
        match *ops.get(k)? {
            Op::Jump { .. }
            | Op::Br { .. }
            | Op::LocalCopyBr { .. }
            | Op::Return
            | Op::Return0
            | Op::Return1
            | Op::Return1L(_)
            | Op::Unreachable => return short.then_some(Tail::Run(k)),
            Op::BrTable { len } | Op::BrTableJump { len } if short && len < TAIL_TABLE => {
                return Some(Tail::Run(k + 1 + len as usize));
            }
            Op::BrTableJump { len } => return Some(Tail::Dispatch(k, len)),
            // (an earlier copy of a dispatch: its target is absolute)
            Op::BrTableJumpAt { .. } => return Some(Tail::Run(k)),
            Op::BrTable { .. } => return None,
            _ => {}
        }
    }
    None
}
