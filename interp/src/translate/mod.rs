//! The validating translator: wasm operators to wisp bytecode, one function at a time.
//!
//! Every operator is validated by wasmparser's `FuncValidator` first; the
//! translator reads the validator's operand and control stacks to compute
//! branch stack adjustments and the function's maximum operand height, and
//! keeps its own control stack (with jump fix-ups) beside it. Code in
//! unreachable regions is validated but not emitted.

#[cfg(test)]
mod tests;

use crate::bytecode::{FuncCode, Op};
use crate::error::Error;
use crate::types::FuncType;
use wasmparser as wp;

/// What the translator needs to know about the module being translated.
pub(crate) struct ModuleEnv<'a> {
    pub types: &'a [FuncType],
    pub funcs: &'a [u32],
    pub num_imported_funcs: u32,
    /// Emit metered code: fuel checks at segment starts (see `Translator::label`).
    pub metered: bool,
}

/// Buffers reused from one function to the next.
#[derive(Default)]
pub(crate) struct Scratch {
    ops: Vec<Op>,
    ctrl: Vec<Ctrl>,
    targets: Vec<u32>,
    /// Old index to new index, while a last pass rewrites the body.
    remap: Vec<u32>,
    /// Per op, while a last pass rewrites: `TARGET`, `ENTRY` bits.
    marks: Vec<u8>,
    fused: Vec<Op>,
}

/// A place whose jump target is patched when its label's position is known.
#[derive(Copy, Clone, Debug)]
enum Fixup {
    Op(usize),
}

#[derive(Debug)]
enum CtrlKind {
    /// The function body: branches to it go to the final `Return`.
    Func,
    Block,
    Loop {
        start: u32,
    },
    /// `else_fixup` is the `BrIfEqz` to patch to the else branch or the end.
    If {
        else_fixup: Option<usize>,
    },
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    fixups: Vec<Fixup>,
    /// Whether code at the start of this construct was reachable.
    reachable: bool,
    /// In metered code, the `Fuel` op of the segment around this construct,
    /// which pays for the code after it too.
    fuel_at: usize,
}

type Validator = wp::FuncValidator<wp::ValidatorResources>;

struct Translator<'e, 's> {
    env: &'e ModuleEnv<'e>,
    s: &'s mut Scratch,
    reachable: bool,
    max_height: u32,
    /// Ops before this index may be jump targets' predecessors: never fused across.
    fence: usize,
    /// In metered code, the index of the `Fuel` op that pays for the current
    /// segment: each reachable wasm operator adds its cost to it. A segment
    /// starts at the function's entry, at each loop header and at each arm of
    /// an `if`; the code after a block, loop or `if` belongs to the segment
    /// around it (it runs at most once each time that segment is entered).
    fuel_at: usize,
}

/// Translates (and validates) one function body.
pub(crate) fn translate(
    env: &ModuleEnv<'_>,
    v: &mut Validator,
    body: &wp::FunctionBody<'_>,
    scratch: &mut Scratch,
) -> Result<FuncCode, Error> {
    let func_index = v.index();
    let ty = env
        .funcs
        .get(func_index as usize)
        .and_then(|t| env.types.get(*t as usize))
        .ok_or_else(|| Error::invalid("function without a type", 0))?;
    let params = ty.params().len() as u32;
    let results = ty.results().len() as u32;

    let mut locals: u32 = 0;
    let mut lr = body.get_locals_reader()?;
    for _ in 0..lr.get_count() {
        let offset = lr.original_position();
        let (count, ty) = lr.read()?;
        v.define_locals(offset, count, ty)?;
        // The validator caps the total number of locals, so this cannot overflow.
        locals = locals.saturating_add(count);
    }

    scratch.ops.clear();
    scratch.ctrl.clear();
    scratch.ctrl.push(Ctrl {
        kind: CtrlKind::Func,
        fixups: Vec::new(),
        reachable: true,
        fuel_at: 0,
    });
    let mut t = Translator {
        env,
        s: scratch,
        reachable: true,
        max_height: 0,
        fence: 0,
        fuel_at: 0,
    };
    if env.metered {
        // the entry's segment
        t.segment();
    }

    let mut reader = body.get_operators_reader()?;
    while !reader.eof() {
        let offset = reader.original_position();
        let op = reader.read()?;
        t.op(v, offset, &op)?;
    }
    reader.finish()?;
    if !t.s.ctrl.is_empty() {
        return Err(Error::invalid(
            "control frames remain at end of function",
            body.range().end as usize,
        ));
    }

    if results == 1 {
        for op in &mut t.s.ops {
            if *op == Op::Return {
                *op = Op::Return1;
            }
        }
    }
    if env.metered {
        // An empty segment before a return pays nothing and precedes no loop:
        // the return itself can take its place.
        for i in 1..t.s.ops.len() {
            let next = t.s.ops[i];
            if matches!(next, Op::Return | Op::Return1)
                && t.s.ops[i - 1] == (Op::Fuel { amount: 0 })
            {
                t.s.ops[i - 1] = next;
            }
        }
    }
    plain_jumps(&mut t.s.ops);
    // twice: a copied run's own final jump is threaded in the second pass;
    // together they add at most twice the body's length (of 64 ops at least)
    let mut budget = 2 * t.s.ops.len().max(64);
    thread_jumps(t.s, &mut budget);
    thread_jumps(t.s, &mut budget);
    fuse_pairs(t.s);
    relative_targets(&mut t.s.ops);
    Ok(FuncCode {
        ops: t.s.ops.as_slice().into(),
        params,
        locals,
        results,
        max_height: t.max_height,
    })
}

/// A last peephole over the finished body: fuses adjacent pairs that the
/// fusions while emitting leave alone (they would hide operands from them)
/// or that jump threading brought together, never when the second op is a
/// jump target or the first a `br_table` entry; then renumbers the targets.
fn fuse_pairs(s: &mut Scratch) {
    let n = s.ops.len();
    mark_targets(&s.ops, &mut s.marks);
    s.remap.clear();
    s.fused.clear();
    let mut i = 0;
    while i < n {
        s.remap.push(s.fused.len() as u32);
        let pair = (i + 1 < n && s.marks[i] & ENTRY == 0 && s.marks[i + 1] == 0)
            .then(|| fuse_pair(s.ops[i], s.ops[i + 1]))
            .flatten();
        match pair {
            Some(op) => {
                s.remap.push(s.fused.len() as u32);
                s.fused.push(op);
                i += 2;
            }
            None => {
                s.fused.push(s.ops[i]);
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
fn map_targets(ops: &mut [Op], f: fn(u32, u32) -> u32) {
    for (i, op) in ops.iter_mut().enumerate() {
        if let Some(t) = op.target_mut() {
            *t = f(*t, i as u32 + 1);
        }
    }
}

/// Most ops a jump takes a copy of, besides the branch that ends them.
const TAIL_OPS: usize = 3;
/// Most entries of a `br_table` a jump takes a copy of.
const TAIL_TABLE: u32 = 32;

/// Jump threading, with targets still absolute. A `Jump` to a short
/// straight run ending in an unconditional branch, a return or a small
/// `br_table` becomes a copy of the run: one dispatch fewer, and the copy's
/// branch is predicted on its own history (an interpreter loop's dispatch is
/// replicated into each case). Failing that, a `Jump` to a conditional branch
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
            if let Some(end) = tail_end(&s.ops, t).filter(|&end| !(t..=end).contains(&j))
                && end - t < *budget
            {
                *budget -= end - t;
                s.fused.extend_from_slice(&s.ops[t..=end]);
                changed = true;
                continue;
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
                                && fuse_pair(x, opposite).is_some() =>
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

/// The index of the last op of the run a jump to `t` may copy: at most
/// `TAIL_OPS` ops, then an unconditional branch, a return or a `br_table`
/// with its entries.
fn tail_end(ops: &[Op], t: usize) -> Option<usize> {
    for k in t..=t + TAIL_OPS {
        match *ops.get(k)? {
            Op::Jump { .. }
            | Op::Br { .. }
            | Op::LocalCopyBr { .. }
            | Op::Return
            | Op::Return1
            | Op::Unreachable => return Some(k),
            Op::BrTable { len } | Op::BrTableJump { len } => {
                return (len < TAIL_TABLE).then_some(k + 1 + len as usize);
            }
            _ => {}
        }
    }
    None
}

/// A branch's stack adjustment, computed before the branch is validated.
#[derive(Copy, Clone)]
struct Adjust {
    drop: u32,
    keep: u32,
    /// Index into the translator's control stack.
    ctrl: usize,
}

impl<'e, 's> Translator<'e, 's> {
    fn block_arity(&self, bt: wp::BlockType) -> (u32, u32) {
        match bt {
            wp::BlockType::Empty => (0, 0),
            wp::BlockType::Type(_) => (0, 1),
            wp::BlockType::FuncType(i) => match self.env.types.get(i as usize) {
                Some(t) => (t.params().len() as u32, t.results().len() as u32),
                None => (0, 0),
            },
        }
    }

    /// The stack adjustment of a branch to `depth`, with `popped` operands
    /// (the condition or index) removed first.
    fn adjust(&self, v: &Validator, depth: u32, popped: u32) -> Option<Adjust> {
        let frame = v.get_control_frame(depth as usize)?;
        let (params, results) = self.block_arity(frame.block_type);
        let keep = if frame.kind == wp::FrameKind::Loop {
            params
        } else {
            results
        };
        let height = v.operand_stack_height().checked_sub(popped)?;
        let drop = height.checked_sub(frame.height as u32)?.checked_sub(keep)?;
        let ctrl = self.s.ctrl.len().checked_sub(1 + depth as usize)?;
        Some(Adjust { drop, keep, ctrl })
    }

    /// The index of a `local.get` that pushed the value just below the stack top,
    /// and its local, when every op after it (at most 16) has a known stack
    /// effect and none of them writes that local or is a jump target; moving
    /// the read to the op about to be emitted then changes nothing.
    fn local_below_top(&self) -> Option<(usize, u32)> {
        let ops = &self.s.ops;
        let stop = self.fence.max(ops.len().saturating_sub(16));
        // Slots above the wanted one, going back over the ops that produced them.
        let mut above = 1;
        let mut k = ops.len();
        while k > stop {
            k -= 1;
            let (pops, pushes, _) = stack_effect(ops[k])?;
            if above < pushes {
                let Op::LocalGet(x) = ops[k] else {
                    return None;
                };
                let untouched = ops[k + 1..]
                    .iter()
                    .all(|op| stack_effect(*op).is_some_and(|(_, _, w)| w != Some(x)));
                return untouched.then_some((k, x));
            }
            above = above - pushes + pops;
        }
        None
    }

    /// Emits `op`, fused with the ops before it where a superinstruction does both.
    fn emit(&mut self, op: Op) {
        if !self.reachable {
            return;
        }
        let n = self.s.ops.len();
        let prev = (n > self.fence).then(|| self.s.ops[n - 1]);
        let prev2 = (n > self.fence + 1).then(|| self.s.ops[n - 2]);
        let fused = fuse_store(op, prev2, prev).or_else(|| fuse_binop(op, prev2, prev));
        if fused.is_none()
            && let Some((k, x)) = self.local_below_top()
            && let Some(op) = with_local_operand(op, x).or_else(|| store_with_local_address(op, x))
        {
            // `local.get x; <ops leaving x alone>; op`: op reads x itself.
            self.s.ops.remove(k);
            self.s.ops.push(op);
            return;
        }
        let fused = fused.or_else(|| {
            let prev = prev?;
            let single = match (prev, op) {
                (Op::LocalGet(from), Op::LocalSet(to)) => Op::LocalCopy { from, to },
                (Op::I32Const(c), Op::LocalSet(local)) => Op::LocalSetC { local, c },
                (Op::LocalTee(tee), Op::LocalGet(get)) => Op::LocalTeeGet { tee, get },
                (p, Op::LocalSet(d)) => fuse_to_local(p, d, false)?,
                (p, Op::LocalTee(d)) => fuse_to_local(p, d, true)?,
                (p, op) => fuse_load(op, p)?,
            };
            Some((1, single))
        });
        match fused {
            Some((consumed, op)) => {
                self.s.ops.truncate(n - consumed);
                // `local.get x; local.set x` changes nothing
                if !matches!(op, Op::LocalCopy { from, to } if from == to) {
                    self.s.ops.push(op);
                }
            }
            None => self.s.ops.push(op),
        }
    }

    /// Marks the current position as a jump target: nothing fuses across it.
    /// Gives the target's index.
    fn label(&mut self) -> u32 {
        let pc = self.pc();
        self.fence = pc as usize;
        pc
    }

    /// Metered code: starts a segment at the current position (a `Fuel` op,
    /// after which nothing fuses with what came before).
    fn segment(&mut self) {
        self.fuel_at = self.s.ops.len();
        self.s.ops.push(Op::Fuel { amount: 0 });
        self.fence = self.s.ops.len();
    }

    /// Metered code: adds `cost` to the current segment's `Fuel` op.
    fn charge(&mut self, cost: u32) {
        if let Op::Fuel { amount } = &mut self.s.ops[self.fuel_at] {
            *amount = amount.saturating_add(cost);
        } else {
            debug_assert!(false, "no Fuel op at {}", self.fuel_at);
        }
    }

    /// Metered code: before a bulk op, a `FuelBulk` charging its count `n`
    /// (the stack top) as `n >> shift` fuel.
    fn charge_bulk(&mut self, shift: u32) {
        if self.env.metered && self.reachable {
            self.s.ops.push(Op::FuelBulk { shift });
            self.fence = self.s.ops.len();
        }
    }

    /// Emits a conditional branch without stack adjustment, fused with the
    /// comparison before it when there is one; gives the op's index.
    fn cond_branch(&mut self, target: u32, negate: bool) -> usize {
        let n = self.s.ops.len();
        // `x; i32.eqz; br_if` branches when `x` fails: fuse `x` negated.
        let through_eqz = (n > self.fence + 1 && self.s.ops[n - 1] == Op::I32Eqz)
            .then(|| fuse_branch(self.s.ops[n - 2], target, !negate))
            .flatten()
            .map(|op| (2, op));
        let fused = through_eqz.or_else(|| {
            (n > self.fence)
                .then(|| fuse_branch(self.s.ops[n - 1], target, negate))
                .flatten()
                .map(|op| (1, op))
        });
        // A compare-and-branch on the value an `i32.add` just teed into a local.
        let fused = match fused {
            Some((1, op)) if n > self.fence + 1 => match fuse_step_branch(self.s.ops[n - 2], op) {
                Some(op) => Some((2, op)),
                None => Some((1, op)),
            },
            other => other,
        };
        match fused {
            Some((consumed, op)) => {
                self.s.ops.truncate(n - consumed);
                self.s.ops.push(op);
                n - consumed
            }
            None => {
                self.s.ops.push(if negate {
                    Op::BrIfEqz { target }
                } else {
                    Op::BrNez { target }
                });
                n
            }
        }
    }

    fn pc(&self) -> u32 {
        self.s.ops.len() as u32
    }

    /// Emits `op` (a branch whose target is filled in later or now) towards `a`.
    fn branch(&mut self, a: Adjust, make: impl FnOnce(u32, u32, u32) -> Op) {
        let at = self.s.ops.len();
        match self.s.ctrl[a.ctrl].kind {
            CtrlKind::Loop { start } => self.s.ops.push(make(start, a.drop, a.keep)),
            _ => {
                self.s.ops.push(make(0, a.drop, a.keep));
                self.s.ctrl[a.ctrl].fixups.push(Fixup::Op(at));
            }
        }
    }

    fn patch(&mut self, fixup: Fixup, target: u32) {
        match fixup {
            Fixup::Op(at) => match self.s.ops[at].target_mut() {
                Some(t) => *t = target,
                None => debug_assert!(false, "fix-up points at {:?}", self.s.ops[at]),
            },
        }
    }

    fn op(&mut self, v: &mut Validator, offset: u64, op: &wp::Operator<'_>) -> Result<(), Error> {
        use wp::Operator as W;
        // Branches read the validator's stacks before the operator changes them.
        let pre = match *op {
            W::Br { relative_depth } if self.reachable => self.adjust(v, relative_depth, 0),
            W::BrIf { relative_depth } if self.reachable => self.adjust(v, relative_depth, 1),
            _ => None,
        };
        if let W::BrTable { targets } = op
            && self.reachable
        {
            self.s.targets.clear();
            for t in targets.targets() {
                self.s.targets.push(t?);
            }
            self.s.targets.push(targets.default());
        }
        let table_pre: Option<Vec<Adjust>> = match op {
            W::BrTable { .. } if self.reachable => {
                let mut adj = Vec::with_capacity(self.s.targets.len());
                for &d in &self.s.targets {
                    match self.adjust(v, d, 1) {
                        Some(a) => adj.push(a),
                        None => break,
                    }
                }
                Some(adj)
            }
            _ => None,
        };

        v.op(offset, op)?;
        self.max_height = self.max_height.max(v.operand_stack_height());
        if self.env.metered && self.reachable {
            self.charge(fuel_cost(op));
        }

        let bad = || Error::invalid("branch depth out of range", offset as usize);
        match *op {
            W::Unreachable => {
                self.emit(Op::Unreachable);
                self.reachable = false;
            }
            W::Nop => {}
            W::Block { .. } => self.s.ctrl.push(Ctrl {
                kind: CtrlKind::Block,
                fixups: Vec::new(),
                reachable: self.reachable,
                fuel_at: self.fuel_at,
            }),
            W::Loop { .. } => {
                let start = self.label();
                let fuel_at = self.fuel_at;
                if self.env.metered && self.reachable {
                    // each iteration pays on entering the body
                    self.segment();
                }
                self.s.ctrl.push(Ctrl {
                    kind: CtrlKind::Loop { start },
                    fixups: Vec::new(),
                    reachable: self.reachable,
                    fuel_at,
                })
            }
            W::If { .. } => {
                let fuel_at = self.fuel_at;
                let else_fixup = if self.reachable {
                    let at = self.cond_branch(0, true);
                    if self.env.metered {
                        // the `then` arm runs only when taken: a segment of its own
                        self.segment();
                    }
                    Some(at)
                } else {
                    None
                };
                self.s.ctrl.push(Ctrl {
                    kind: CtrlKind::If { else_fixup },
                    fixups: Vec::new(),
                    reachable: self.reachable,
                    fuel_at,
                })
            }
            W::Else => {
                let last = self.s.ctrl.len() - 1;
                if self.reachable {
                    let at = self.s.ops.len();
                    self.s.ops.push(Op::Br {
                        target: 0,
                        drop: 0,
                        keep: 0,
                    });
                    self.s.ctrl[last].fixups.push(Fixup::Op(at));
                }
                self.reachable = self.s.ctrl[last].reachable;
                let pc = self.label();
                if self.env.metered && self.reachable {
                    self.segment();
                }
                if let CtrlKind::If { else_fixup } = &mut self.s.ctrl[last].kind
                    && let Some(at) = else_fixup.take()
                {
                    self.patch(Fixup::Op(at), pc);
                }
            }
            W::End => {
                let ctrl = self.s.ctrl.pop().ok_or_else(bad)?;
                if let CtrlKind::Func = ctrl.kind {
                    // Every body ends in `Return`; function-level branches land on it.
                    let pc = self.pc();
                    self.s.ops.push(Op::Return);
                    for f in ctrl.fixups {
                        self.patch(f, pc);
                    }
                    self.reachable = false;
                    return Ok(());
                }
                self.reachable = ctrl.reachable;
                self.fuel_at = ctrl.fuel_at;
                let pc = self.label();
                if let CtrlKind::If {
                    else_fixup: Some(at),
                } = ctrl.kind
                {
                    self.patch(Fixup::Op(at), pc);
                }
                for f in ctrl.fixups {
                    self.patch(f, pc);
                }
            }
            W::Br { .. } => {
                if self.reachable {
                    let a = pre.ok_or_else(bad)?;
                    if a.ctrl == 0 {
                        self.s.ops.push(Op::Return);
                    } else {
                        self.branch(a, |target, drop, keep| Op::Br { target, drop, keep });
                    }
                    self.reachable = false;
                }
            }
            W::BrIf { .. } => {
                if self.reachable {
                    let a = pre.ok_or_else(bad)?;
                    if a.drop == 0 {
                        // No stack adjustment: a plain (possibly fused) conditional jump.
                        let target = match self.s.ctrl[a.ctrl].kind {
                            CtrlKind::Loop { start } => Some(start),
                            _ => None,
                        };
                        let at = self.cond_branch(target.unwrap_or(0), false);
                        if target.is_none() {
                            self.s.ctrl[a.ctrl].fixups.push(Fixup::Op(at));
                        }
                    } else {
                        self.branch(a, |target, drop, keep| Op::BrIfNez { target, drop, keep });
                    }
                }
            }
            W::BrTable { .. } => {
                if self.reachable {
                    let adj = table_pre.ok_or_else(bad)?;
                    if adj.len() != self.s.targets.len() {
                        return Err(bad());
                    }
                    // The entries follow the op, reached only through the table
                    // (`fuse_pairs` leaves them alone).
                    self.s.ops.push(Op::BrTable {
                        len: adj.len() as u32 - 1,
                    });
                    for a in adj {
                        let at = self.s.ops.len();
                        let target = match self.s.ctrl[a.ctrl].kind {
                            CtrlKind::Loop { start } => start,
                            _ => {
                                self.s.ctrl[a.ctrl].fixups.push(Fixup::Op(at));
                                0
                            }
                        };
                        self.s.ops.push(Op::Br {
                            target,
                            drop: a.drop,
                            keep: a.keep,
                        });
                    }
                    self.fence = self.s.ops.len();
                    self.reachable = false;
                }
            }
            W::Return => {
                self.emit(Op::Return);
                self.reachable = false;
            }
            W::Call { function_index } => {
                let op = if function_index < self.env.num_imported_funcs {
                    Op::CallImport(function_index)
                } else {
                    Op::Call(function_index - self.env.num_imported_funcs)
                };
                self.emit(op)
            }
            W::CallIndirect {
                type_index,
                table_index,
            } => self.emit(Op::CallIndirect {
                ty: type_index,
                table: table_index,
            }),
            W::Drop => self.emit(Op::Drop),
            W::Select | W::TypedSelect { .. } => self.emit(Op::Select),
            W::LocalGet { local_index } => self.emit(Op::LocalGet(local_index)),
            W::LocalSet { local_index } => self.emit(Op::LocalSet(local_index)),
            W::LocalTee { local_index } => self.emit(Op::LocalTee(local_index)),
            W::GlobalGet { global_index } => self.emit(Op::GlobalGet(global_index)),
            W::GlobalSet { global_index } => self.emit(Op::GlobalSet(global_index)),
            W::TableGet { table } => self.emit(Op::TableGet(table)),
            W::TableSet { table } => self.emit(Op::TableSet(table)),
            W::TableSize { table } => self.emit(Op::TableSize(table)),
            W::TableGrow { table } => self.emit(Op::TableGrow(table)),
            W::TableFill { table } => {
                self.charge_bulk(TABLE_SHIFT);
                self.emit(Op::TableFill(table))
            }
            W::TableCopy {
                dst_table,
                src_table,
            } => {
                self.charge_bulk(TABLE_SHIFT);
                self.emit(Op::TableCopy {
                    dst: dst_table,
                    src: src_table,
                })
            }
            W::TableInit { elem_index, table } => {
                self.charge_bulk(TABLE_SHIFT);
                self.emit(Op::TableInit {
                    table,
                    elem: elem_index,
                })
            }
            W::ElemDrop { elem_index } => self.emit(Op::ElemDrop(elem_index)),
            W::MemorySize { .. } => self.emit(Op::MemorySize),
            W::MemoryGrow { .. } => self.emit(Op::MemoryGrow),
            W::MemoryInit { data_index, .. } => {
                self.charge_bulk(MEMORY_SHIFT);
                self.emit(Op::MemoryInit(data_index))
            }
            W::DataDrop { data_index } => self.emit(Op::DataDrop(data_index)),
            W::MemoryCopy { .. } => {
                self.charge_bulk(MEMORY_SHIFT);
                self.emit(Op::MemoryCopy)
            }
            W::MemoryFill { .. } => {
                self.charge_bulk(MEMORY_SHIFT);
                self.emit(Op::MemoryFill)
            }
            W::I32Const { value } => self.emit(Op::I32Const(value)),
            W::I64Const { value } => self.emit(Op::I64Const(value)),
            W::F32Const { value } => self.emit(Op::F32Const(value.bits())),
            W::F64Const { value } => self.emit(Op::F64Const(value.bits())),
            W::RefNull { .. } => self.emit(Op::RefNull),
            W::RefIsNull => self.emit(Op::RefIsNull),
            W::RefFunc { function_index } => self.emit(Op::RefFunc(function_index)),
            // Slots are untyped bit patterns: reinterpreting changes nothing. And
            // every reader of an i32 (or f32) slot takes its low 32 bits only, so
            // an i32 may keep whatever its upper half held: wrapping is free too.
            W::I32ReinterpretF32
            | W::I64ReinterpretF64
            | W::F32ReinterpretI32
            | W::F64ReinterpretI64
            | W::I32WrapI64 => {}
            _ => {
                let op = memory_op(op).or_else(|| numeric_op(op)).ok_or_else(|| {
                    Error::unsupported(format!("operator {op:?} at offset {offset:#x}"))
                })?;
                self.emit(op)
            }
        }
        Ok(())
    }
}

/// Fuel per byte of `memory.fill`, `memory.copy` and `memory.init`: `n >> 6`
/// (1 per 64 bytes), besides the 1 the instruction costs.
const MEMORY_SHIFT: u32 = 6;
/// Fuel per element of `table.fill`, `table.copy` and `table.init`: `n >> 3`.
const TABLE_SHIFT: u32 = 3;

/// What a wasm operator costs in metered code (`Config::consume_fuel`
/// documents the model): 1, but 0 for the structural ones. Bulk ops pay for
/// their size at run time (`Op::FuelBulk`).
fn fuel_cost(op: &wp::Operator<'_>) -> u32 {
    use wp::Operator as W;
    match op {
        W::Block { .. } | W::Loop { .. } | W::End | W::Else | W::Nop => 0,
        _ => 1,
    }
}

/// Loads and stores: the op with the memarg's static offset.
fn memory_op(op: &wp::Operator<'_>) -> Option<Op> {
    use wp::Operator as W;
    let (make, memarg): (fn(u32) -> Op, &wp::MemArg) = match op {
        W::I32Load { memarg } => (Op::I32Load, memarg),
        W::I64Load { memarg } => (Op::I64Load, memarg),
        W::F32Load { memarg } => (Op::F32Load, memarg),
        W::F64Load { memarg } => (Op::F64Load, memarg),
        W::I32Load8S { memarg } => (Op::I32Load8S, memarg),
        W::I32Load8U { memarg } => (Op::I32Load8U, memarg),
        W::I32Load16S { memarg } => (Op::I32Load16S, memarg),
        W::I32Load16U { memarg } => (Op::I32Load16U, memarg),
        W::I64Load8S { memarg } => (Op::I64Load8S, memarg),
        W::I64Load8U { memarg } => (Op::I64Load8U, memarg),
        W::I64Load16S { memarg } => (Op::I64Load16S, memarg),
        W::I64Load16U { memarg } => (Op::I64Load16U, memarg),
        W::I64Load32S { memarg } => (Op::I64Load32S, memarg),
        W::I64Load32U { memarg } => (Op::I64Load32U, memarg),
        W::I32Store { memarg } => (Op::I32Store, memarg),
        W::I64Store { memarg } => (Op::I64Store, memarg),
        W::F32Store { memarg } => (Op::F32Store, memarg),
        W::F64Store { memarg } => (Op::F64Store, memarg),
        W::I32Store8 { memarg } => (Op::I32Store8, memarg),
        W::I32Store16 { memarg } => (Op::I32Store16, memarg),
        W::I64Store8 { memarg } => (Op::I64Store8, memarg),
        W::I64Store16 { memarg } => (Op::I64Store16, memarg),
        W::I64Store32 { memarg } => (Op::I64Store32, memarg),
        _ => return None,
    };
    // Validation guarantees 32-bit offsets for 32-bit memories.
    let offset = u32::try_from(memarg.offset).ok()?;
    Some(make(offset))
}

/// Operators without immediates that map one to one.
fn numeric_op(op: &wp::Operator<'_>) -> Option<Op> {
    macro_rules! same {
        ($($name:ident)*) => {
            match op {
                $(wp::Operator::$name => Some(Op::$name),)*
                _ => None,
            }
        };
    }
    same! {
        I32Eqz I32Eq I32Ne I32LtS I32LtU I32GtS I32GtU I32LeS I32LeU I32GeS I32GeU
        I64Eqz I64Eq I64Ne I64LtS I64LtU I64GtS I64GtU I64LeS I64LeU I64GeS I64GeU
        F32Eq F32Ne F32Lt F32Gt F32Le F32Ge F64Eq F64Ne F64Lt F64Gt F64Le F64Ge
        I32Clz I32Ctz I32Popcnt I32Add I32Sub I32Mul I32DivS I32DivU I32RemS I32RemU
        I32And I32Or I32Xor I32Shl I32ShrS I32ShrU I32Rotl I32Rotr
        I64Clz I64Ctz I64Popcnt I64Add I64Sub I64Mul I64DivS I64DivU I64RemS I64RemU
        I64And I64Or I64Xor I64Shl I64ShrS I64ShrU I64Rotl I64Rotr
        F32Abs F32Neg F32Ceil F32Floor F32Trunc F32Nearest F32Sqrt
        F32Add F32Sub F32Mul F32Div F32Min F32Max F32Copysign
        F64Abs F64Neg F64Ceil F64Floor F64Trunc F64Nearest F64Sqrt
        F64Add F64Sub F64Mul F64Div F64Min F64Max F64Copysign
        I32TruncF32S I32TruncF32U I32TruncF64S I32TruncF64U
        I64ExtendI32S I64ExtendI32U I64TruncF32S I64TruncF32U I64TruncF64S I64TruncF64U
        F32ConvertI32S F32ConvertI32U F32ConvertI64S F32ConvertI64U F32DemoteF64
        F64ConvertI32S F64ConvertI32U F64ConvertI64S F64ConvertI64U F64PromoteF32
        I32Extend8S I32Extend16S I64Extend8S I64Extend16S I64Extend32S
        I32TruncSatF32S I32TruncSatF32U I32TruncSatF64S I32TruncSatF64U
        I64TruncSatF32S I64TruncSatF32U I64TruncSatF64S I64TruncSatF64U
    }
}

/// Fuses a binary i32 op with the `local.get`/`i32.const` ops before it.
fn fuse_binop(op: Op, prev2: Option<Op>, prev: Option<Op>) -> Option<(usize, Op)> {
    match (op, prev2, prev) {
        (Op::I32Add, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32AddLL { a, b }))
        }
        (Op::I32Add, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32AddLC { a, c }))
        }
        (Op::I32Add, _, Some(Op::I32Const(c))) => Some((1, Op::I32AddSC(c))),
        (Op::I32Add, _, Some(Op::LocalGet(b))) => Some((1, Op::I32AddSL(b))),
        (Op::I32Sub, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32SubLL { a, b }))
        }
        (Op::I32Sub, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32SubLC { a, c }))
        }
        (Op::I32Sub, _, Some(Op::I32Const(c))) => Some((1, Op::I32SubSC(c))),
        (Op::I32Sub, _, Some(Op::LocalGet(b))) => Some((1, Op::I32SubSL(b))),
        (Op::I32Mul, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32MulLL { a, b }))
        }
        (Op::I32Mul, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32MulLC { a, c }))
        }
        (Op::I32Mul, _, Some(Op::I32Const(c))) => Some((1, Op::I32MulSC(c))),
        (Op::I32Mul, _, Some(Op::LocalGet(b))) => Some((1, Op::I32MulSL(b))),
        (Op::I32And, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32AndLL { a, b }))
        }
        (Op::I32And, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32AndLC { a, c }))
        }
        (Op::I32And, _, Some(Op::I32Const(c))) => Some((1, Op::I32AndSC(c))),
        (Op::I32And, _, Some(Op::LocalGet(b))) => Some((1, Op::I32AndSL(b))),
        (Op::I32Or, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32OrLL { a, b }))
        }
        (Op::I32Or, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32OrLC { a, c }))
        }
        (Op::I32Or, _, Some(Op::I32Const(c))) => Some((1, Op::I32OrSC(c))),
        (Op::I32Or, _, Some(Op::LocalGet(b))) => Some((1, Op::I32OrSL(b))),
        (Op::I32Xor, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32XorLL { a, b }))
        }
        (Op::I32Xor, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32XorLC { a, c }))
        }
        (Op::I32Xor, _, Some(Op::I32Const(c))) => Some((1, Op::I32XorSC(c))),
        (Op::I32Xor, _, Some(Op::LocalGet(b))) => Some((1, Op::I32XorSL(b))),
        (Op::I32Shl, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32ShlLL { a, b }))
        }
        (Op::I32Shl, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32ShlLC { a, c }))
        }
        (Op::I32Shl, _, Some(Op::I32Const(c))) => Some((1, Op::I32ShlSC(c))),
        (Op::I32Shl, _, Some(Op::LocalGet(b))) => Some((1, Op::I32ShlSL(b))),
        (Op::I32ShrS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32ShrSLL { a, b }))
        }
        (Op::I32ShrS, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32ShrSLC { a, c }))
        }
        (Op::I32ShrS, _, Some(Op::I32Const(c))) => Some((1, Op::I32ShrSSC(c))),
        (Op::I32ShrS, _, Some(Op::LocalGet(b))) => Some((1, Op::I32ShrSSL(b))),
        (Op::I32ShrU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32ShrULL { a, b }))
        }
        (Op::I32ShrU, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32ShrULC { a, c }))
        }
        (Op::I32ShrU, _, Some(Op::I32Const(c))) => Some((1, Op::I32ShrUSC(c))),
        (Op::I32ShrU, _, Some(Op::LocalGet(b))) => Some((1, Op::I32ShrUSL(b))),
        (Op::I32Rotl, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32RotlLL { a, b }))
        }
        (Op::I32Rotl, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32RotlLC { a, c }))
        }
        (Op::I32Rotl, _, Some(Op::I32Const(c))) => Some((1, Op::I32RotlSC(c))),
        (Op::I32Rotl, _, Some(Op::LocalGet(b))) => Some((1, Op::I32RotlSL(b))),
        (Op::I32Rotr, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32RotrLL { a, b }))
        }
        (Op::I32Rotr, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32RotrLC { a, c }))
        }
        (Op::I32Rotr, _, Some(Op::I32Const(c))) => Some((1, Op::I32RotrSC(c))),
        (Op::I32Rotr, _, Some(Op::LocalGet(b))) => Some((1, Op::I32RotrSL(b))),
        (Op::I32Eq, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32EqLL { a, b }))
        }
        (Op::I32Eq, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32EqLC { a, c }))
        }
        (Op::I32Eq, _, Some(Op::I32Const(c))) => Some((1, Op::I32EqSC(c))),
        (Op::I32Eq, _, Some(Op::LocalGet(b))) => Some((1, Op::I32EqSL(b))),
        (Op::I32Ne, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32NeLL { a, b }))
        }
        (Op::I32Ne, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32NeLC { a, c }))
        }
        (Op::I32Ne, _, Some(Op::I32Const(c))) => Some((1, Op::I32NeSC(c))),
        (Op::I32Ne, _, Some(Op::LocalGet(b))) => Some((1, Op::I32NeSL(b))),
        (Op::I32LtS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32LtSLL { a, b }))
        }
        (Op::I32LtS, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32LtSLC { a, c }))
        }
        (Op::I32LtS, _, Some(Op::I32Const(c))) => Some((1, Op::I32LtSSC(c))),
        (Op::I32LtS, _, Some(Op::LocalGet(b))) => Some((1, Op::I32LtSSL(b))),
        (Op::I32LtU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32LtULL { a, b }))
        }
        (Op::I32LtU, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32LtULC { a, c }))
        }
        (Op::I32LtU, _, Some(Op::I32Const(c))) => Some((1, Op::I32LtUSC(c))),
        (Op::I32LtU, _, Some(Op::LocalGet(b))) => Some((1, Op::I32LtUSL(b))),
        (Op::I32GtS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32GtSLL { a, b }))
        }
        (Op::I32GtS, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32GtSLC { a, c }))
        }
        (Op::I32GtS, _, Some(Op::I32Const(c))) => Some((1, Op::I32GtSSC(c))),
        (Op::I32GtS, _, Some(Op::LocalGet(b))) => Some((1, Op::I32GtSSL(b))),
        (Op::I32GtU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32GtULL { a, b }))
        }
        (Op::I32GtU, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32GtULC { a, c }))
        }
        (Op::I32GtU, _, Some(Op::I32Const(c))) => Some((1, Op::I32GtUSC(c))),
        (Op::I32GtU, _, Some(Op::LocalGet(b))) => Some((1, Op::I32GtUSL(b))),
        (Op::I32LeS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32LeSLL { a, b }))
        }
        (Op::I32LeS, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32LeSLC { a, c }))
        }
        (Op::I32LeS, _, Some(Op::I32Const(c))) => Some((1, Op::I32LeSSC(c))),
        (Op::I32LeS, _, Some(Op::LocalGet(b))) => Some((1, Op::I32LeSSL(b))),
        (Op::I32LeU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32LeULL { a, b }))
        }
        (Op::I32LeU, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32LeULC { a, c }))
        }
        (Op::I32LeU, _, Some(Op::I32Const(c))) => Some((1, Op::I32LeUSC(c))),
        (Op::I32LeU, _, Some(Op::LocalGet(b))) => Some((1, Op::I32LeUSL(b))),
        (Op::I32GeS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32GeSLL { a, b }))
        }
        (Op::I32GeS, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32GeSLC { a, c }))
        }
        (Op::I32GeS, _, Some(Op::I32Const(c))) => Some((1, Op::I32GeSSC(c))),
        (Op::I32GeS, _, Some(Op::LocalGet(b))) => Some((1, Op::I32GeSSL(b))),
        (Op::I32GeU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I32GeULL { a, b }))
        }
        (Op::I32GeU, Some(Op::LocalGet(a)), Some(Op::I32Const(c))) => {
            Some((2, Op::I32GeULC { a, c }))
        }
        (Op::I32GeU, _, Some(Op::I32Const(c))) => Some((1, Op::I32GeUSC(c))),
        (Op::I32GeU, _, Some(Op::LocalGet(b))) => Some((1, Op::I32GeUSL(b))),
        (Op::I64Add, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64AddLL { a, b }))
        }
        (Op::I64Add, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64AddLC { a, c: c as i32 }))
        }
        (Op::I64Add, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64AddSC(c as i32)))
        }
        (Op::I64Add, _, Some(Op::LocalGet(b))) => Some((1, Op::I64AddSL(b))),
        (Op::I64Sub, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64SubLL { a, b }))
        }
        (Op::I64Sub, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64SubLC { a, c: c as i32 }))
        }
        (Op::I64Sub, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64SubSC(c as i32)))
        }
        (Op::I64Sub, _, Some(Op::LocalGet(b))) => Some((1, Op::I64SubSL(b))),
        (Op::I64Mul, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64MulLL { a, b }))
        }
        (Op::I64Mul, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64MulLC { a, c: c as i32 }))
        }
        (Op::I64Mul, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64MulSC(c as i32)))
        }
        (Op::I64Mul, _, Some(Op::LocalGet(b))) => Some((1, Op::I64MulSL(b))),
        (Op::I64And, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64AndLL { a, b }))
        }
        (Op::I64And, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64AndLC { a, c: c as i32 }))
        }
        (Op::I64And, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64AndSC(c as i32)))
        }
        (Op::I64And, _, Some(Op::LocalGet(b))) => Some((1, Op::I64AndSL(b))),
        (Op::I64Or, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64OrLL { a, b }))
        }
        (Op::I64Or, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64OrLC { a, c: c as i32 }))
        }
        (Op::I64Or, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64OrSC(c as i32)))
        }
        (Op::I64Or, _, Some(Op::LocalGet(b))) => Some((1, Op::I64OrSL(b))),
        (Op::I64Xor, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64XorLL { a, b }))
        }
        (Op::I64Xor, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64XorLC { a, c: c as i32 }))
        }
        (Op::I64Xor, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64XorSC(c as i32)))
        }
        (Op::I64Xor, _, Some(Op::LocalGet(b))) => Some((1, Op::I64XorSL(b))),
        (Op::I64Shl, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64ShlLL { a, b }))
        }
        (Op::I64Shl, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64ShlLC { a, c: c as i32 }))
        }
        (Op::I64Shl, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64ShlSC(c as i32)))
        }
        (Op::I64Shl, _, Some(Op::LocalGet(b))) => Some((1, Op::I64ShlSL(b))),
        (Op::I64ShrU, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64ShrULL { a, b }))
        }
        (Op::I64ShrU, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64ShrULC { a, c: c as i32 }))
        }
        (Op::I64ShrU, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64ShrUSC(c as i32)))
        }
        (Op::I64ShrU, _, Some(Op::LocalGet(b))) => Some((1, Op::I64ShrUSL(b))),
        (Op::I64ShrS, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64ShrSLL { a, b }))
        }
        (Op::I64ShrS, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64ShrSLC { a, c: c as i32 }))
        }
        (Op::I64ShrS, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64ShrSSC(c as i32)))
        }
        (Op::I64ShrS, _, Some(Op::LocalGet(b))) => Some((1, Op::I64ShrSSL(b))),
        (Op::I64Rotl, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::I64RotlLL { a, b }))
        }
        (Op::I64Rotl, Some(Op::LocalGet(a)), Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((2, Op::I64RotlLC { a, c: c as i32 }))
        }
        (Op::I64Rotl, _, Some(Op::I64Const(c))) if c as i32 as i64 == c => {
            Some((1, Op::I64RotlSC(c as i32)))
        }
        (Op::I64Rotl, _, Some(Op::LocalGet(b))) => Some((1, Op::I64RotlSL(b))),
        (Op::F32Add, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F32AddLL { a, b }))
        }
        (Op::F32Add, _, Some(Op::LocalGet(b))) => Some((1, Op::F32AddSL(b))),
        (Op::F32Sub, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F32SubLL { a, b }))
        }
        (Op::F32Sub, _, Some(Op::LocalGet(b))) => Some((1, Op::F32SubSL(b))),
        (Op::F32Mul, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F32MulLL { a, b }))
        }
        (Op::F32Mul, _, Some(Op::LocalGet(b))) => Some((1, Op::F32MulSL(b))),
        (Op::F32Div, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F32DivLL { a, b }))
        }
        (Op::F32Div, _, Some(Op::LocalGet(b))) => Some((1, Op::F32DivSL(b))),
        (Op::F64Add, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F64AddLL { a, b }))
        }
        (Op::F64Add, _, Some(Op::LocalGet(b))) => Some((1, Op::F64AddSL(b))),
        (Op::F64Sub, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F64SubLL { a, b }))
        }
        (Op::F64Sub, _, Some(Op::LocalGet(b))) => Some((1, Op::F64SubSL(b))),
        (Op::F64Mul, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F64MulLL { a, b }))
        }
        (Op::F64Mul, _, Some(Op::LocalGet(b))) => Some((1, Op::F64MulSL(b))),
        (Op::F64Div, Some(Op::LocalGet(a)), Some(Op::LocalGet(b))) => {
            Some((2, Op::F64DivLL { a, b }))
        }
        (Op::F64Div, _, Some(Op::LocalGet(b))) => Some((1, Op::F64DivSL(b))),
        _ => None,
    }
}

/// Fuses `local.set d` (`tee`: `local.tee d`) into the fused i32 arithmetic before it.
fn fuse_to_local(prev: Op, d: u32, tee: bool) -> Option<Op> {
    Some(match (prev, tee) {
        (Op::I32AddLL { a, b }, false) => Op::I32AddLLToL { a, b, d },
        (Op::I32AddLC { a, c }, false) => Op::I32AddLCToL { a, c, d },
        (Op::I32AddSC(c), false) => Op::I32AddSCToL { c, d },
        (Op::I32AddLL { a, b }, true) => Op::I32AddLLTee { a, b, d },
        (Op::I32AddLC { a, c }, true) => Op::I32AddLCTee { a, c, d },
        (Op::I32Add, false) => Op::I32AddSSToL(d),
        (Op::I32AddSL(b), false) => Op::I32AddSLToL { b, d },
        (Op::I32SubLL { a, b }, false) => Op::I32SubLLToL { a, b, d },
        (Op::I32SubLC { a, c }, false) => Op::I32SubLCToL { a, c, d },
        (Op::I32SubSC(c), false) => Op::I32SubSCToL { c, d },
        (Op::I32SubLL { a, b }, true) => Op::I32SubLLTee { a, b, d },
        (Op::I32SubLC { a, c }, true) => Op::I32SubLCTee { a, c, d },
        (Op::I32Sub, false) => Op::I32SubSSToL(d),
        (Op::I32SubSL(b), false) => Op::I32SubSLToL { b, d },
        (Op::I32SubLS(b), false) => Op::I32SubLSToL { b, d },
        (Op::I32MulLL { a, b }, false) => Op::I32MulLLToL { a, b, d },
        (Op::I32MulLC { a, c }, false) => Op::I32MulLCToL { a, c, d },
        (Op::I32MulSC(c), false) => Op::I32MulSCToL { c, d },
        (Op::I32MulLL { a, b }, true) => Op::I32MulLLTee { a, b, d },
        (Op::I32MulLC { a, c }, true) => Op::I32MulLCTee { a, c, d },
        (Op::I32Mul, false) => Op::I32MulSSToL(d),
        (Op::I32MulSL(b), false) => Op::I32MulSLToL { b, d },
        (Op::I32AndLL { a, b }, false) => Op::I32AndLLToL { a, b, d },
        (Op::I32AndLC { a, c }, false) => Op::I32AndLCToL { a, c, d },
        (Op::I32AndSC(c), false) => Op::I32AndSCToL { c, d },
        (Op::I32AndLL { a, b }, true) => Op::I32AndLLTee { a, b, d },
        (Op::I32AndLC { a, c }, true) => Op::I32AndLCTee { a, c, d },
        (Op::I32And, false) => Op::I32AndSSToL(d),
        (Op::I32AndSL(b), false) => Op::I32AndSLToL { b, d },
        (Op::I32OrLL { a, b }, false) => Op::I32OrLLToL { a, b, d },
        (Op::I32OrLC { a, c }, false) => Op::I32OrLCToL { a, c, d },
        (Op::I32OrSC(c), false) => Op::I32OrSCToL { c, d },
        (Op::I32OrLL { a, b }, true) => Op::I32OrLLTee { a, b, d },
        (Op::I32OrLC { a, c }, true) => Op::I32OrLCTee { a, c, d },
        (Op::I32Or, false) => Op::I32OrSSToL(d),
        (Op::I32OrSL(b), false) => Op::I32OrSLToL { b, d },
        (Op::I32XorLL { a, b }, false) => Op::I32XorLLToL { a, b, d },
        (Op::I32XorLC { a, c }, false) => Op::I32XorLCToL { a, c, d },
        (Op::I32XorSC(c), false) => Op::I32XorSCToL { c, d },
        (Op::I32XorLL { a, b }, true) => Op::I32XorLLTee { a, b, d },
        (Op::I32XorLC { a, c }, true) => Op::I32XorLCTee { a, c, d },
        (Op::I32Xor, false) => Op::I32XorSSToL(d),
        (Op::I32XorSL(b), false) => Op::I32XorSLToL { b, d },
        (Op::I32ShlLL { a, b }, false) => Op::I32ShlLLToL { a, b, d },
        (Op::I32ShlLC { a, c }, false) => Op::I32ShlLCToL { a, c, d },
        (Op::I32ShlSC(c), false) => Op::I32ShlSCToL { c, d },
        (Op::I32ShlLL { a, b }, true) => Op::I32ShlLLTee { a, b, d },
        (Op::I32ShlLC { a, c }, true) => Op::I32ShlLCTee { a, c, d },
        (Op::I32Shl, false) => Op::I32ShlSSToL(d),
        (Op::I32ShlSL(b), false) => Op::I32ShlSLToL { b, d },
        (Op::I32ShlLS(b), false) => Op::I32ShlLSToL { b, d },
        (Op::I32ShrSLL { a, b }, false) => Op::I32ShrSLLToL { a, b, d },
        (Op::I32ShrSLC { a, c }, false) => Op::I32ShrSLCToL { a, c, d },
        (Op::I32ShrSSC(c), false) => Op::I32ShrSSCToL { c, d },
        (Op::I32ShrSLL { a, b }, true) => Op::I32ShrSLLTee { a, b, d },
        (Op::I32ShrSLC { a, c }, true) => Op::I32ShrSLCTee { a, c, d },
        (Op::I32ShrS, false) => Op::I32ShrSSSToL(d),
        (Op::I32ShrSSL(b), false) => Op::I32ShrSSLToL { b, d },
        (Op::I32ShrSLS(b), false) => Op::I32ShrSLSToL { b, d },
        (Op::I32ShrULL { a, b }, false) => Op::I32ShrULLToL { a, b, d },
        (Op::I32ShrULC { a, c }, false) => Op::I32ShrULCToL { a, c, d },
        (Op::I32ShrUSC(c), false) => Op::I32ShrUSCToL { c, d },
        (Op::I32ShrULL { a, b }, true) => Op::I32ShrULLTee { a, b, d },
        (Op::I32ShrULC { a, c }, true) => Op::I32ShrULCTee { a, c, d },
        (Op::I32ShrU, false) => Op::I32ShrUSSToL(d),
        (Op::I32ShrUSL(b), false) => Op::I32ShrUSLToL { b, d },
        (Op::I32ShrULS(b), false) => Op::I32ShrULSToL { b, d },
        (Op::I32RotlLL { a, b }, false) => Op::I32RotlLLToL { a, b, d },
        (Op::I32RotlLC { a, c }, false) => Op::I32RotlLCToL { a, c, d },
        (Op::I32RotlSC(c), false) => Op::I32RotlSCToL { c, d },
        (Op::I32RotlLL { a, b }, true) => Op::I32RotlLLTee { a, b, d },
        (Op::I32RotlLC { a, c }, true) => Op::I32RotlLCTee { a, c, d },
        (Op::I32Rotl, false) => Op::I32RotlSSToL(d),
        (Op::I32RotlSL(b), false) => Op::I32RotlSLToL { b, d },
        (Op::I32RotlLS(b), false) => Op::I32RotlLSToL { b, d },
        (Op::I32RotrLL { a, b }, false) => Op::I32RotrLLToL { a, b, d },
        (Op::I32RotrLC { a, c }, false) => Op::I32RotrLCToL { a, c, d },
        (Op::I32RotrSC(c), false) => Op::I32RotrSCToL { c, d },
        (Op::I32RotrLL { a, b }, true) => Op::I32RotrLLTee { a, b, d },
        (Op::I32RotrLC { a, c }, true) => Op::I32RotrLCTee { a, c, d },
        (Op::I32Rotr, false) => Op::I32RotrSSToL(d),
        (Op::I32RotrSL(b), false) => Op::I32RotrSLToL { b, d },
        (Op::I32RotrLS(b), false) => Op::I32RotrLSToL { b, d },
        (Op::I64Add, false) => Op::I64AddSSToL(d),
        (Op::I64AddSL(b), false) => Op::I64AddSLToL { b, d },
        (Op::I64Sub, false) => Op::I64SubSSToL(d),
        (Op::I64SubSL(b), false) => Op::I64SubSLToL { b, d },
        (Op::I64Mul, false) => Op::I64MulSSToL(d),
        (Op::I64MulSL(b), false) => Op::I64MulSLToL { b, d },
        (Op::I64And, false) => Op::I64AndSSToL(d),
        (Op::I64AndSL(b), false) => Op::I64AndSLToL { b, d },
        (Op::I64Or, false) => Op::I64OrSSToL(d),
        (Op::I64OrSL(b), false) => Op::I64OrSLToL { b, d },
        (Op::I64Xor, false) => Op::I64XorSSToL(d),
        (Op::I64XorSL(b), false) => Op::I64XorSLToL { b, d },
        (Op::I64Shl, false) => Op::I64ShlSSToL(d),
        (Op::I64ShlSL(b), false) => Op::I64ShlSLToL { b, d },
        (Op::I64ShrU, false) => Op::I64ShrUSSToL(d),
        (Op::I64ShrUSL(b), false) => Op::I64ShrUSLToL { b, d },
        (Op::I64ShrS, false) => Op::I64ShrSSSToL(d),
        (Op::I64ShrSSL(b), false) => Op::I64ShrSSLToL { b, d },
        (Op::I64Rotl, false) => Op::I64RotlSSToL(d),
        (Op::I64RotlSL(b), false) => Op::I64RotlSLToL { b, d },
        (Op::F32Add, false) => Op::F32AddSSToL(d),
        (Op::F32AddSL(b), false) => Op::F32AddSLToL { b, d },
        (Op::F32Add, true) => Op::F32AddSSTee(d),
        (Op::F32AddSL(b), true) => Op::F32AddSLTee { b, d },
        (Op::F32Sub, false) => Op::F32SubSSToL(d),
        (Op::F32SubSL(b), false) => Op::F32SubSLToL { b, d },
        (Op::F32Sub, true) => Op::F32SubSSTee(d),
        (Op::F32SubSL(b), true) => Op::F32SubSLTee { b, d },
        (Op::F32Mul, false) => Op::F32MulSSToL(d),
        (Op::F32MulSL(b), false) => Op::F32MulSLToL { b, d },
        (Op::F32Mul, true) => Op::F32MulSSTee(d),
        (Op::F32MulSL(b), true) => Op::F32MulSLTee { b, d },
        (Op::F32Div, false) => Op::F32DivSSToL(d),
        (Op::F32DivSL(b), false) => Op::F32DivSLToL { b, d },
        (Op::F32Div, true) => Op::F32DivSSTee(d),
        (Op::F32DivSL(b), true) => Op::F32DivSLTee { b, d },
        (Op::F64Add, false) => Op::F64AddSSToL(d),
        (Op::F64AddSL(b), false) => Op::F64AddSLToL { b, d },
        (Op::F64Add, true) => Op::F64AddSSTee(d),
        (Op::F64AddSL(b), true) => Op::F64AddSLTee { b, d },
        (Op::F64Sub, false) => Op::F64SubSSToL(d),
        (Op::F64SubSL(b), false) => Op::F64SubSLToL { b, d },
        (Op::F64Sub, true) => Op::F64SubSSTee(d),
        (Op::F64SubSL(b), true) => Op::F64SubSLTee { b, d },
        (Op::F64Mul, false) => Op::F64MulSSToL(d),
        (Op::F64MulSL(b), false) => Op::F64MulSLToL { b, d },
        (Op::F64Mul, true) => Op::F64MulSSTee(d),
        (Op::F64MulSL(b), true) => Op::F64MulSLTee { b, d },
        (Op::F64Div, false) => Op::F64DivSSToL(d),
        (Op::F64DivSL(b), false) => Op::F64DivSLToL { b, d },
        (Op::F64Div, true) => Op::F64DivSSTee(d),
        (Op::F64DivSL(b), true) => Op::F64DivSLTee { b, d },
        _ => return None,
    })
}

/// Fuses a store with the `local.get`s of its address and value before it.
fn fuse_store(op: Op, prev2: Option<Op>, prev: Option<Op>) -> Option<(usize, Op)> {
    let (Some(Op::LocalGet(addr)), Some(Op::LocalGet(value))) = (prev2, prev) else {
        return None;
    };
    Some((
        2,
        match op {
            Op::I32Store(offset) => Op::I32StoreLL {
                addr,
                value,
                offset,
            },
            Op::I64Store(offset) => Op::I64StoreLL {
                addr,
                value,
                offset,
            },
            Op::F32Store(offset) => Op::F32StoreLL {
                addr,
                value,
                offset,
            },
            Op::F64Store(offset) => Op::F64StoreLL {
                addr,
                value,
                offset,
            },
            Op::I32Store8(offset) => Op::I32Store8LL {
                addr,
                value,
                offset,
            },
            Op::I32Store16(offset) => Op::I32Store16LL {
                addr,
                value,
                offset,
            },
            Op::I64Store8(offset) => Op::I64Store8LL {
                addr,
                value,
                offset,
            },
            Op::I64Store16(offset) => Op::I64Store16LL {
                addr,
                value,
                offset,
            },
            Op::I64Store32(offset) => Op::I64Store32LL {
                addr,
                value,
                offset,
            },
            _ => return None,
        },
    ))
}

/// Fuses a load with the address computation before it.
fn fuse_load(op: Op, prev: Op) -> Option<Op> {
    Some(match (prev, op) {
        (Op::LocalGet(local), Op::I32Load(offset)) => Op::I32LoadL { local, offset },
        (Op::I32AddLC { a, c }, Op::I32Load(offset)) => Op::I32LoadLC { a, c, offset },
        (Op::I32AddSC(c), Op::I32Load(offset)) => Op::I32LoadSC { c, offset },
        (Op::I32AddSL(b), Op::I32Load(offset)) => Op::I32LoadSL { b, offset },
        (Op::I32AddLL { a, b }, Op::I32Load(offset)) => Op::I32LoadLL { a, b, offset },
        (Op::LocalGet(local), Op::I64Load(offset)) => Op::I64LoadL { local, offset },
        (Op::I32AddLC { a, c }, Op::I64Load(offset)) => Op::I64LoadLC { a, c, offset },
        (Op::I32AddSC(c), Op::I64Load(offset)) => Op::I64LoadSC { c, offset },
        (Op::I32AddSL(b), Op::I64Load(offset)) => Op::I64LoadSL { b, offset },
        (Op::I32AddLL { a, b }, Op::I64Load(offset)) => Op::I64LoadLL { a, b, offset },
        (Op::LocalGet(local), Op::F32Load(offset)) => Op::F32LoadL { local, offset },
        (Op::I32AddLC { a, c }, Op::F32Load(offset)) => Op::F32LoadLC { a, c, offset },
        (Op::I32AddSC(c), Op::F32Load(offset)) => Op::F32LoadSC { c, offset },
        (Op::I32AddSL(b), Op::F32Load(offset)) => Op::F32LoadSL { b, offset },
        (Op::I32AddLL { a, b }, Op::F32Load(offset)) => Op::F32LoadLL { a, b, offset },
        (Op::LocalGet(local), Op::F64Load(offset)) => Op::F64LoadL { local, offset },
        (Op::I32AddLC { a, c }, Op::F64Load(offset)) => Op::F64LoadLC { a, c, offset },
        (Op::I32AddSC(c), Op::F64Load(offset)) => Op::F64LoadSC { c, offset },
        (Op::I32AddSL(b), Op::F64Load(offset)) => Op::F64LoadSL { b, offset },
        (Op::I32AddLL { a, b }, Op::F64Load(offset)) => Op::F64LoadLL { a, b, offset },
        (Op::LocalGet(local), Op::I32Load8S(offset)) => Op::I32Load8SL { local, offset },
        (Op::I32AddLC { a, c }, Op::I32Load8S(offset)) => Op::I32Load8SLC { a, c, offset },
        (Op::I32AddSC(c), Op::I32Load8S(offset)) => Op::I32Load8SSC { c, offset },
        (Op::I32AddSL(b), Op::I32Load8S(offset)) => Op::I32Load8SSL { b, offset },
        (Op::I32AddLL { a, b }, Op::I32Load8S(offset)) => Op::I32Load8SLL { a, b, offset },
        (Op::LocalGet(local), Op::I32Load8U(offset)) => Op::I32Load8UL { local, offset },
        (Op::I32AddLC { a, c }, Op::I32Load8U(offset)) => Op::I32Load8ULC { a, c, offset },
        (Op::I32AddSC(c), Op::I32Load8U(offset)) => Op::I32Load8USC { c, offset },
        (Op::I32AddSL(b), Op::I32Load8U(offset)) => Op::I32Load8USL { b, offset },
        (Op::I32AddLL { a, b }, Op::I32Load8U(offset)) => Op::I32Load8ULL { a, b, offset },
        (Op::LocalGet(local), Op::I32Load16S(offset)) => Op::I32Load16SL { local, offset },
        (Op::I32AddLC { a, c }, Op::I32Load16S(offset)) => Op::I32Load16SLC { a, c, offset },
        (Op::I32AddSC(c), Op::I32Load16S(offset)) => Op::I32Load16SSC { c, offset },
        (Op::I32AddSL(b), Op::I32Load16S(offset)) => Op::I32Load16SSL { b, offset },
        (Op::I32AddLL { a, b }, Op::I32Load16S(offset)) => Op::I32Load16SLL { a, b, offset },
        (Op::LocalGet(local), Op::I32Load16U(offset)) => Op::I32Load16UL { local, offset },
        (Op::I32AddLC { a, c }, Op::I32Load16U(offset)) => Op::I32Load16ULC { a, c, offset },
        (Op::I32AddSC(c), Op::I32Load16U(offset)) => Op::I32Load16USC { c, offset },
        (Op::I32AddSL(b), Op::I32Load16U(offset)) => Op::I32Load16USL { b, offset },
        (Op::I32AddLL { a, b }, Op::I32Load16U(offset)) => Op::I32Load16ULL { a, b, offset },
        (Op::LocalGet(local), Op::I64Load8U(offset)) => Op::I64Load8UL { local, offset },
        (Op::I32AddLC { a, c }, Op::I64Load8U(offset)) => Op::I64Load8ULC { a, c, offset },
        (Op::I32AddSC(c), Op::I64Load8U(offset)) => Op::I64Load8USC { c, offset },
        (Op::I32AddSL(b), Op::I64Load8U(offset)) => Op::I64Load8USL { b, offset },
        (Op::I32AddLL { a, b }, Op::I64Load8U(offset)) => Op::I64Load8ULL { a, b, offset },
        (Op::LocalGet(local), Op::I64Load32U(offset)) => Op::I64Load32UL { local, offset },
        (Op::I32AddLC { a, c }, Op::I64Load32U(offset)) => Op::I64Load32ULC { a, c, offset },
        (Op::I32AddSC(c), Op::I64Load32U(offset)) => Op::I64Load32USC { c, offset },
        (Op::I32AddSL(b), Op::I64Load32U(offset)) => Op::I64Load32USL { b, offset },
        (Op::I32AddLL { a, b }, Op::I64Load32U(offset)) => Op::I64Load32ULL { a, b, offset },
        (Op::LocalGet(local), Op::I64Load32S(offset)) => Op::I64Load32SL { local, offset },
        (Op::I32AddLC { a, c }, Op::I64Load32S(offset)) => Op::I64Load32SLC { a, c, offset },
        (Op::I32AddSC(c), Op::I64Load32S(offset)) => Op::I64Load32SSC { c, offset },
        (Op::I32AddSL(b), Op::I64Load32S(offset)) => Op::I64Load32SSL { b, offset },
        (Op::I32AddLL { a, b }, Op::I64Load32S(offset)) => Op::I64Load32SLL { a, b, offset },
        _ => return None,
    })
}

/// A conditional branch taken when the previous op's comparison holds
/// (`negate`: when it fails), if the previous op is a comparison.
fn fuse_branch(prev: Op, target: u32, negate: bool) -> Option<Op> {
    Some(match (prev, negate) {
        (Op::I32Eq, false) => Op::BrI32Eq { target },
        (Op::I32EqSC(c), false) => Op::BrI32EqSC { target, c },
        (Op::I32EqSL(b), false) => Op::BrI32EqSL { target, b },
        (Op::I32EqLL { a, b }, false) => Op::BrI32EqLL { target, a, b },
        (Op::I32EqLC { a, c }, false) => Op::BrI32EqLC { target, a, c },
        (Op::I32Eq, true) => Op::BrI32Ne { target },
        (Op::I32EqSC(c), true) => Op::BrI32NeSC { target, c },
        (Op::I32EqSL(b), true) => Op::BrI32NeSL { target, b },
        (Op::I32EqLL { a, b }, true) => Op::BrI32NeLL { target, a, b },
        (Op::I32EqLC { a, c }, true) => Op::BrI32NeLC { target, a, c },
        (Op::I32Ne, false) => Op::BrI32Ne { target },
        (Op::I32NeSC(c), false) => Op::BrI32NeSC { target, c },
        (Op::I32NeSL(b), false) => Op::BrI32NeSL { target, b },
        (Op::I32NeLL { a, b }, false) => Op::BrI32NeLL { target, a, b },
        (Op::I32NeLC { a, c }, false) => Op::BrI32NeLC { target, a, c },
        (Op::I32Ne, true) => Op::BrI32Eq { target },
        (Op::I32NeSC(c), true) => Op::BrI32EqSC { target, c },
        (Op::I32NeSL(b), true) => Op::BrI32EqSL { target, b },
        (Op::I32NeLL { a, b }, true) => Op::BrI32EqLL { target, a, b },
        (Op::I32NeLC { a, c }, true) => Op::BrI32EqLC { target, a, c },
        (Op::I32LtS, false) => Op::BrI32LtS { target },
        (Op::I32LtSSC(c), false) => Op::BrI32LtSSC { target, c },
        (Op::I32LtSSL(b), false) => Op::BrI32LtSSL { target, b },
        (Op::I32LtSLL { a, b }, false) => Op::BrI32LtSLL { target, a, b },
        (Op::I32LtSLC { a, c }, false) => Op::BrI32LtSLC { target, a, c },
        (Op::I32LtS, true) => Op::BrI32GeS { target },
        (Op::I32LtSSC(c), true) => Op::BrI32GeSSC { target, c },
        (Op::I32LtSSL(b), true) => Op::BrI32GeSSL { target, b },
        (Op::I32LtSLL { a, b }, true) => Op::BrI32GeSLL { target, a, b },
        (Op::I32LtSLC { a, c }, true) => Op::BrI32GeSLC { target, a, c },
        (Op::I32LtU, false) => Op::BrI32LtU { target },
        (Op::I32LtUSC(c), false) => Op::BrI32LtUSC { target, c },
        (Op::I32LtUSL(b), false) => Op::BrI32LtUSL { target, b },
        (Op::I32LtULL { a, b }, false) => Op::BrI32LtULL { target, a, b },
        (Op::I32LtULC { a, c }, false) => Op::BrI32LtULC { target, a, c },
        (Op::I32LtU, true) => Op::BrI32GeU { target },
        (Op::I32LtUSC(c), true) => Op::BrI32GeUSC { target, c },
        (Op::I32LtUSL(b), true) => Op::BrI32GeUSL { target, b },
        (Op::I32LtULL { a, b }, true) => Op::BrI32GeULL { target, a, b },
        (Op::I32LtULC { a, c }, true) => Op::BrI32GeULC { target, a, c },
        (Op::I32GtS, false) => Op::BrI32GtS { target },
        (Op::I32GtSSC(c), false) => Op::BrI32GtSSC { target, c },
        (Op::I32GtSSL(b), false) => Op::BrI32GtSSL { target, b },
        (Op::I32GtSLL { a, b }, false) => Op::BrI32GtSLL { target, a, b },
        (Op::I32GtSLC { a, c }, false) => Op::BrI32GtSLC { target, a, c },
        (Op::I32GtS, true) => Op::BrI32LeS { target },
        (Op::I32GtSSC(c), true) => Op::BrI32LeSSC { target, c },
        (Op::I32GtSSL(b), true) => Op::BrI32LeSSL { target, b },
        (Op::I32GtSLL { a, b }, true) => Op::BrI32LeSLL { target, a, b },
        (Op::I32GtSLC { a, c }, true) => Op::BrI32LeSLC { target, a, c },
        (Op::I32GtU, false) => Op::BrI32GtU { target },
        (Op::I32GtUSC(c), false) => Op::BrI32GtUSC { target, c },
        (Op::I32GtUSL(b), false) => Op::BrI32GtUSL { target, b },
        (Op::I32GtULL { a, b }, false) => Op::BrI32GtULL { target, a, b },
        (Op::I32GtULC { a, c }, false) => Op::BrI32GtULC { target, a, c },
        (Op::I32GtU, true) => Op::BrI32LeU { target },
        (Op::I32GtUSC(c), true) => Op::BrI32LeUSC { target, c },
        (Op::I32GtUSL(b), true) => Op::BrI32LeUSL { target, b },
        (Op::I32GtULL { a, b }, true) => Op::BrI32LeULL { target, a, b },
        (Op::I32GtULC { a, c }, true) => Op::BrI32LeULC { target, a, c },
        (Op::I32LeS, false) => Op::BrI32LeS { target },
        (Op::I32LeSSC(c), false) => Op::BrI32LeSSC { target, c },
        (Op::I32LeSSL(b), false) => Op::BrI32LeSSL { target, b },
        (Op::I32LeSLL { a, b }, false) => Op::BrI32LeSLL { target, a, b },
        (Op::I32LeSLC { a, c }, false) => Op::BrI32LeSLC { target, a, c },
        (Op::I32LeS, true) => Op::BrI32GtS { target },
        (Op::I32LeSSC(c), true) => Op::BrI32GtSSC { target, c },
        (Op::I32LeSSL(b), true) => Op::BrI32GtSSL { target, b },
        (Op::I32LeSLL { a, b }, true) => Op::BrI32GtSLL { target, a, b },
        (Op::I32LeSLC { a, c }, true) => Op::BrI32GtSLC { target, a, c },
        (Op::I32LeU, false) => Op::BrI32LeU { target },
        (Op::I32LeUSC(c), false) => Op::BrI32LeUSC { target, c },
        (Op::I32LeUSL(b), false) => Op::BrI32LeUSL { target, b },
        (Op::I32LeULL { a, b }, false) => Op::BrI32LeULL { target, a, b },
        (Op::I32LeULC { a, c }, false) => Op::BrI32LeULC { target, a, c },
        (Op::I32LeU, true) => Op::BrI32GtU { target },
        (Op::I32LeUSC(c), true) => Op::BrI32GtUSC { target, c },
        (Op::I32LeUSL(b), true) => Op::BrI32GtUSL { target, b },
        (Op::I32LeULL { a, b }, true) => Op::BrI32GtULL { target, a, b },
        (Op::I32LeULC { a, c }, true) => Op::BrI32GtULC { target, a, c },
        (Op::I32GeS, false) => Op::BrI32GeS { target },
        (Op::I32GeSSC(c), false) => Op::BrI32GeSSC { target, c },
        (Op::I32GeSSL(b), false) => Op::BrI32GeSSL { target, b },
        (Op::I32GeSLL { a, b }, false) => Op::BrI32GeSLL { target, a, b },
        (Op::I32GeSLC { a, c }, false) => Op::BrI32GeSLC { target, a, c },
        (Op::I32GeS, true) => Op::BrI32LtS { target },
        (Op::I32GeSSC(c), true) => Op::BrI32LtSSC { target, c },
        (Op::I32GeSSL(b), true) => Op::BrI32LtSSL { target, b },
        (Op::I32GeSLL { a, b }, true) => Op::BrI32LtSLL { target, a, b },
        (Op::I32GeSLC { a, c }, true) => Op::BrI32LtSLC { target, a, c },
        (Op::I32GeU, false) => Op::BrI32GeU { target },
        (Op::I32GeUSC(c), false) => Op::BrI32GeUSC { target, c },
        (Op::I32GeUSL(b), false) => Op::BrI32GeUSL { target, b },
        (Op::I32GeULL { a, b }, false) => Op::BrI32GeULL { target, a, b },
        (Op::I32GeULC { a, c }, false) => Op::BrI32GeULC { target, a, c },
        (Op::I32GeU, true) => Op::BrI32LtU { target },
        (Op::I32GeUSC(c), true) => Op::BrI32LtUSC { target, c },
        (Op::I32GeUSL(b), true) => Op::BrI32LtUSL { target, b },
        (Op::I32GeULL { a, b }, true) => Op::BrI32LtULL { target, a, b },
        (Op::I32GeULC { a, c }, true) => Op::BrI32LtULC { target, a, c },
        (Op::I32Eqz, false) => Op::BrIfEqz { target },
        (Op::I32Eqz, true) => Op::BrNez { target },
        (Op::LocalGet(local), false) => Op::BrNezL { target, local },
        (Op::LocalGet(local), true) => Op::BrEqzL { target, local },
        (Op::LocalTee(local), false) => Op::BrNezTee { target, local },
        (Op::LocalTee(local), true) => Op::BrEqzTee { target, local },
        (Op::I32AndLC { a, c }, false) => Op::BrI32AndLCNez { target, a, c },
        (Op::I32AndLC { a, c }, true) => Op::BrI32AndLCEqz { target, a, c },
        (Op::I32AndSC(c), false) => Op::BrI32AndSCNez { target, c },
        (Op::I32AndSC(c), true) => Op::BrI32AndSCEqz { target, c },
        _ => return None,
    })
}

/// The binary op `op` taking local `x` as an operand in place of the value
/// below the stack top (see `emit`).
fn with_local_operand(op: Op, x: u32) -> Option<Op> {
    Some(match op {
        Op::I32Add => Op::I32AddSL(x),
        Op::I32Sub => Op::I32SubLS(x),
        Op::I32Mul => Op::I32MulSL(x),
        Op::I32And => Op::I32AndSL(x),
        Op::I32Or => Op::I32OrSL(x),
        Op::I32Xor => Op::I32XorSL(x),
        Op::I32Shl => Op::I32ShlLS(x),
        Op::I32ShrS => Op::I32ShrSLS(x),
        Op::I32ShrU => Op::I32ShrULS(x),
        Op::I32Rotl => Op::I32RotlLS(x),
        Op::I32Rotr => Op::I32RotrLS(x),
        Op::I32Eq => Op::I32EqSL(x),
        Op::I32Ne => Op::I32NeSL(x),
        Op::I32LtS => Op::I32GtSSL(x),
        Op::I32LtU => Op::I32GtUSL(x),
        Op::I32GtS => Op::I32LtSSL(x),
        Op::I32GtU => Op::I32LtUSL(x),
        Op::I32LeS => Op::I32GeSSL(x),
        Op::I32LeU => Op::I32GeUSL(x),
        Op::I32GeS => Op::I32LeSSL(x),
        Op::I32GeU => Op::I32LeUSL(x),
        Op::I64Add => Op::I64AddSL(x),
        Op::I64Sub => Op::I64SubLS(x),
        Op::I64Mul => Op::I64MulSL(x),
        Op::I64And => Op::I64AndSL(x),
        Op::I64Or => Op::I64OrSL(x),
        Op::I64Xor => Op::I64XorSL(x),
        Op::I64Shl => Op::I64ShlLS(x),
        Op::I64ShrU => Op::I64ShrULS(x),
        Op::I64ShrS => Op::I64ShrSLS(x),
        Op::I64Rotl => Op::I64RotlLS(x),
        Op::F32Add => Op::F32AddSL(x),
        Op::F32Sub => Op::F32SubLS(x),
        Op::F32Mul => Op::F32MulSL(x),
        Op::F32Div => Op::F32DivLS(x),
        Op::F64Add => Op::F64AddSL(x),
        Op::F64Sub => Op::F64SubLS(x),
        Op::F64Mul => Op::F64MulSL(x),
        Op::F64Div => Op::F64DivLS(x),
        _ => return None,
    })
}

/// The op doing `a` then `b`, for `fuse_pairs`.
fn fuse_pair(a: Op, b: Op) -> Option<Op> {
    Some(match (a, b) {
        (Op::LocalGet(a), Op::LocalGet(b)) => Op::LocalGet2 { a, b },
        (Op::LocalSet(set), Op::LocalGet(get)) => Op::LocalSetGet { set, get },
        (Op::LocalCopy { from, to }, Op::Jump { target }) => Op::LocalCopyBr { from, to, target },
        (Op::I32Const(c), Op::I32Store(offset)) => Op::I32StoreC { c, offset },
        (Op::I32Const(c), Op::I32Store8(offset)) => Op::I32Store8C { c, offset },
        (Op::I32Const(c), Op::I32Store16(offset)) => Op::I32Store16C { c, offset },
        (Op::LocalTee(d), Op::I32AddSC(c)) => Op::I32AddTeeSC { d, c },
        (Op::LocalTee(d), Op::I32SubSC(c)) => Op::I32SubTeeSC { d, c },
        (Op::LocalTee(d), Op::I32MulSC(c)) => Op::I32MulTeeSC { d, c },
        (Op::LocalTee(d), Op::I32AndSC(c)) => Op::I32AndTeeSC { d, c },
        (Op::LocalTee(d), Op::I32OrSC(c)) => Op::I32OrTeeSC { d, c },
        (Op::LocalTee(d), Op::I32XorSC(c)) => Op::I32XorTeeSC { d, c },
        (Op::LocalTee(d), Op::I32ShlSC(c)) => Op::I32ShlTeeSC { d, c },
        (Op::LocalTee(d), Op::I32ShrSSC(c)) => Op::I32ShrSTeeSC { d, c },
        (Op::LocalTee(d), Op::I32ShrUSC(c)) => Op::I32ShrUTeeSC { d, c },
        (Op::LocalTee(d), Op::I32RotlSC(c)) => Op::I32RotlTeeSC { d, c },
        (Op::LocalTee(d), Op::I32RotrSC(c)) => Op::I32RotrTeeSC { d, c },
        (Op::I32ShlLC { a, c }, Op::I32XorSL(b)) => Op::I32XorShlLCL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
        },
        (Op::I32ShlLC { a, c }, Op::I32XorSLToL { b, d }) => Op::I32XorShlLCLToL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
            d: u16::try_from(d).ok()?,
        },
        (Op::I32ShrULC { a, c }, Op::I32XorSL(b)) => Op::I32XorShrULCL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
        },
        (Op::I32ShrULC { a, c }, Op::I32XorSLToL { b, d }) => Op::I32XorShrULCLToL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
            d: u16::try_from(d).ok()?,
        },
        (Op::I32RotlLC { a, c }, Op::I32XorSL(b)) => Op::I32XorRotlLCL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
        },
        (Op::I32RotlLC { a, c }, Op::I32XorSLToL { b, d }) => Op::I32XorRotlLCLToL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
            d: u16::try_from(d).ok()?,
        },
        (Op::I32RotrLC { a, c }, Op::I32XorSL(b)) => Op::I32XorRotrLCL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
        },
        (Op::I32RotrLC { a, c }, Op::I32XorSLToL { b, d }) => Op::I32XorRotrLCLToL {
            a: u16::try_from(a).ok()?,
            c: (c & 31) as u16,
            b: u16::try_from(b).ok()?,
            d: u16::try_from(d).ok()?,
        },
        (a, b) => return fuse_step_branch(a, b),
    })
}

/// The slots `op` pops and pushes and the local it writes, for ops that
/// neither branch nor call (`local_below_top` moves a `local.get` across them).
fn stack_effect(op: Op) -> Option<(u32, u32, Option<u32>)> {
    Some(match op {
        Op::I32Eqz => (1, 1, None),
        Op::I32Eq => (2, 1, None),
        Op::I32Ne => (2, 1, None),
        Op::I32LtS => (2, 1, None),
        Op::I32LtU => (2, 1, None),
        Op::I32GtS => (2, 1, None),
        Op::I32GtU => (2, 1, None),
        Op::I32LeS => (2, 1, None),
        Op::I32LeU => (2, 1, None),
        Op::I32GeS => (2, 1, None),
        Op::I32GeU => (2, 1, None),
        Op::I64Eqz => (1, 1, None),
        Op::I64Eq => (2, 1, None),
        Op::I64Ne => (2, 1, None),
        Op::I64LtS => (2, 1, None),
        Op::I64LtU => (2, 1, None),
        Op::I64GtS => (2, 1, None),
        Op::I64GtU => (2, 1, None),
        Op::I64LeS => (2, 1, None),
        Op::I64LeU => (2, 1, None),
        Op::I64GeS => (2, 1, None),
        Op::I64GeU => (2, 1, None),
        Op::F32Eq => (2, 1, None),
        Op::F32Ne => (2, 1, None),
        Op::F32Lt => (2, 1, None),
        Op::F32Gt => (2, 1, None),
        Op::F32Le => (2, 1, None),
        Op::F32Ge => (2, 1, None),
        Op::F64Eq => (2, 1, None),
        Op::F64Ne => (2, 1, None),
        Op::F64Lt => (2, 1, None),
        Op::F64Gt => (2, 1, None),
        Op::F64Le => (2, 1, None),
        Op::F64Ge => (2, 1, None),
        Op::I32Clz => (1, 1, None),
        Op::I32Ctz => (1, 1, None),
        Op::I32Popcnt => (1, 1, None),
        Op::I32Add => (2, 1, None),
        Op::I32Sub => (2, 1, None),
        Op::I32Mul => (2, 1, None),
        Op::I32DivS => (2, 1, None),
        Op::I32DivU => (2, 1, None),
        Op::I32RemS => (2, 1, None),
        Op::I32RemU => (2, 1, None),
        Op::I32And => (2, 1, None),
        Op::I32Or => (2, 1, None),
        Op::I32Xor => (2, 1, None),
        Op::I32Shl => (2, 1, None),
        Op::I32ShrS => (2, 1, None),
        Op::I32ShrU => (2, 1, None),
        Op::I32Rotl => (2, 1, None),
        Op::I32Rotr => (2, 1, None),
        Op::I64Clz => (1, 1, None),
        Op::I64Ctz => (1, 1, None),
        Op::I64Popcnt => (1, 1, None),
        Op::I64Add => (2, 1, None),
        Op::I64Sub => (2, 1, None),
        Op::I64Mul => (2, 1, None),
        Op::I64DivS => (2, 1, None),
        Op::I64DivU => (2, 1, None),
        Op::I64RemS => (2, 1, None),
        Op::I64RemU => (2, 1, None),
        Op::I64And => (2, 1, None),
        Op::I64Or => (2, 1, None),
        Op::I64Xor => (2, 1, None),
        Op::I64Shl => (2, 1, None),
        Op::I64ShrS => (2, 1, None),
        Op::I64ShrU => (2, 1, None),
        Op::I64Rotl => (2, 1, None),
        Op::I64Rotr => (2, 1, None),
        Op::F32Abs => (1, 1, None),
        Op::F32Neg => (1, 1, None),
        Op::F32Ceil => (1, 1, None),
        Op::F32Floor => (1, 1, None),
        Op::F32Trunc => (1, 1, None),
        Op::F32Nearest => (1, 1, None),
        Op::F32Sqrt => (1, 1, None),
        Op::F32Add => (2, 1, None),
        Op::F32Sub => (2, 1, None),
        Op::F32Mul => (2, 1, None),
        Op::F32Div => (2, 1, None),
        Op::F32Min => (2, 1, None),
        Op::F32Max => (2, 1, None),
        Op::F32Copysign => (2, 1, None),
        Op::F64Abs => (1, 1, None),
        Op::F64Neg => (1, 1, None),
        Op::F64Ceil => (1, 1, None),
        Op::F64Floor => (1, 1, None),
        Op::F64Trunc => (1, 1, None),
        Op::F64Nearest => (1, 1, None),
        Op::F64Sqrt => (1, 1, None),
        Op::F64Add => (2, 1, None),
        Op::F64Sub => (2, 1, None),
        Op::F64Mul => (2, 1, None),
        Op::F64Div => (2, 1, None),
        Op::F64Min => (2, 1, None),
        Op::F64Max => (2, 1, None),
        Op::F64Copysign => (2, 1, None),
        Op::I32TruncF32S => (1, 1, None),
        Op::I32TruncF32U => (1, 1, None),
        Op::I32TruncF64S => (1, 1, None),
        Op::I32TruncF64U => (1, 1, None),
        Op::I64ExtendI32S => (1, 1, None),
        Op::I64ExtendI32U => (1, 1, None),
        Op::I64TruncF32S => (1, 1, None),
        Op::I64TruncF32U => (1, 1, None),
        Op::I64TruncF64S => (1, 1, None),
        Op::I64TruncF64U => (1, 1, None),
        Op::F32ConvertI32S => (1, 1, None),
        Op::F32ConvertI32U => (1, 1, None),
        Op::F32ConvertI64S => (1, 1, None),
        Op::F32ConvertI64U => (1, 1, None),
        Op::F32DemoteF64 => (1, 1, None),
        Op::F64ConvertI32S => (1, 1, None),
        Op::F64ConvertI32U => (1, 1, None),
        Op::F64ConvertI64S => (1, 1, None),
        Op::F64ConvertI64U => (1, 1, None),
        Op::F64PromoteF32 => (1, 1, None),
        Op::I32Extend8S => (1, 1, None),
        Op::I32Extend16S => (1, 1, None),
        Op::I64Extend8S => (1, 1, None),
        Op::I64Extend16S => (1, 1, None),
        Op::I64Extend32S => (1, 1, None),
        Op::I32TruncSatF32S => (1, 1, None),
        Op::I32TruncSatF32U => (1, 1, None),
        Op::I32TruncSatF64S => (1, 1, None),
        Op::I32TruncSatF64U => (1, 1, None),
        Op::I64TruncSatF32S => (1, 1, None),
        Op::I64TruncSatF32U => (1, 1, None),
        Op::I64TruncSatF64S => (1, 1, None),
        Op::I64TruncSatF64U => (1, 1, None),
        Op::LocalGet(_) => (0, 1, None),
        Op::I32Const(_) => (0, 1, None),
        Op::I64Const(_) => (0, 1, None),
        Op::F32Const(_) => (0, 1, None),
        Op::F64Const(_) => (0, 1, None),
        Op::GlobalGet(_) => (0, 1, None),
        Op::RefNull => (0, 1, None),
        Op::RefFunc(_) => (0, 1, None),
        Op::MemorySize => (0, 1, None),
        Op::Drop => (1, 0, None),
        Op::GlobalSet(_) => (1, 0, None),
        Op::Select => (3, 1, None),
        Op::RefIsNull => (1, 1, None),
        Op::LocalSet(i) => (1, 0, Some(i)),
        Op::LocalTee(i) => (1, 1, Some(i)),
        Op::I32Load(_) => (1, 1, None),
        Op::I32LoadL { .. } => (0, 1, None),
        Op::I32LoadLC { .. } => (0, 1, None),
        Op::I32LoadLL { .. } => (0, 1, None),
        Op::I32LoadSC { .. } => (1, 1, None),
        Op::I32LoadSL { .. } => (1, 1, None),
        Op::I64Load(_) => (1, 1, None),
        Op::I64LoadL { .. } => (0, 1, None),
        Op::I64LoadLC { .. } => (0, 1, None),
        Op::I64LoadLL { .. } => (0, 1, None),
        Op::I64LoadSC { .. } => (1, 1, None),
        Op::I64LoadSL { .. } => (1, 1, None),
        Op::F32Load(_) => (1, 1, None),
        Op::F32LoadL { .. } => (0, 1, None),
        Op::F32LoadLC { .. } => (0, 1, None),
        Op::F32LoadLL { .. } => (0, 1, None),
        Op::F32LoadSC { .. } => (1, 1, None),
        Op::F32LoadSL { .. } => (1, 1, None),
        Op::F64Load(_) => (1, 1, None),
        Op::F64LoadL { .. } => (0, 1, None),
        Op::F64LoadLC { .. } => (0, 1, None),
        Op::F64LoadLL { .. } => (0, 1, None),
        Op::F64LoadSC { .. } => (1, 1, None),
        Op::F64LoadSL { .. } => (1, 1, None),
        Op::I32Load8S(_) => (1, 1, None),
        Op::I32Load8SL { .. } => (0, 1, None),
        Op::I32Load8SLC { .. } => (0, 1, None),
        Op::I32Load8SLL { .. } => (0, 1, None),
        Op::I32Load8SSC { .. } => (1, 1, None),
        Op::I32Load8SSL { .. } => (1, 1, None),
        Op::I32Load8U(_) => (1, 1, None),
        Op::I32Load8UL { .. } => (0, 1, None),
        Op::I32Load8ULC { .. } => (0, 1, None),
        Op::I32Load8ULL { .. } => (0, 1, None),
        Op::I32Load8USC { .. } => (1, 1, None),
        Op::I32Load8USL { .. } => (1, 1, None),
        Op::I32Load16S(_) => (1, 1, None),
        Op::I32Load16SL { .. } => (0, 1, None),
        Op::I32Load16SLC { .. } => (0, 1, None),
        Op::I32Load16SLL { .. } => (0, 1, None),
        Op::I32Load16SSC { .. } => (1, 1, None),
        Op::I32Load16SSL { .. } => (1, 1, None),
        Op::I32Load16U(_) => (1, 1, None),
        Op::I32Load16UL { .. } => (0, 1, None),
        Op::I32Load16ULC { .. } => (0, 1, None),
        Op::I32Load16ULL { .. } => (0, 1, None),
        Op::I32Load16USC { .. } => (1, 1, None),
        Op::I32Load16USL { .. } => (1, 1, None),
        Op::I64Load8U(_) => (1, 1, None),
        Op::I64Load8UL { .. } => (0, 1, None),
        Op::I64Load8ULC { .. } => (0, 1, None),
        Op::I64Load8ULL { .. } => (0, 1, None),
        Op::I64Load8USC { .. } => (1, 1, None),
        Op::I64Load8USL { .. } => (1, 1, None),
        Op::I64Load32U(_) => (1, 1, None),
        Op::I64Load32UL { .. } => (0, 1, None),
        Op::I64Load32ULC { .. } => (0, 1, None),
        Op::I64Load32ULL { .. } => (0, 1, None),
        Op::I64Load32USC { .. } => (1, 1, None),
        Op::I64Load32USL { .. } => (1, 1, None),
        Op::I64Load32S(_) => (1, 1, None),
        Op::I64Load32SL { .. } => (0, 1, None),
        Op::I64Load32SLC { .. } => (0, 1, None),
        Op::I64Load32SLL { .. } => (0, 1, None),
        Op::I64Load32SSC { .. } => (1, 1, None),
        Op::I64Load32SSL { .. } => (1, 1, None),
        Op::I32Store(_) => (2, 0, None),
        Op::I32StoreLL { .. } => (0, 0, None),
        Op::I32StoreL { .. } => (1, 0, None),
        Op::I64Store(_) => (2, 0, None),
        Op::I64StoreLL { .. } => (0, 0, None),
        Op::I64StoreL { .. } => (1, 0, None),
        Op::F32Store(_) => (2, 0, None),
        Op::F32StoreLL { .. } => (0, 0, None),
        Op::F32StoreL { .. } => (1, 0, None),
        Op::F64Store(_) => (2, 0, None),
        Op::F64StoreLL { .. } => (0, 0, None),
        Op::F64StoreL { .. } => (1, 0, None),
        Op::I32Store8(_) => (2, 0, None),
        Op::I32Store8LL { .. } => (0, 0, None),
        Op::I32Store8L { .. } => (1, 0, None),
        Op::I32Store16(_) => (2, 0, None),
        Op::I32Store16LL { .. } => (0, 0, None),
        Op::I32Store16L { .. } => (1, 0, None),
        Op::I64Store8(_) => (2, 0, None),
        Op::I64Store8LL { .. } => (0, 0, None),
        Op::I64Store8L { .. } => (1, 0, None),
        Op::I64Store16(_) => (2, 0, None),
        Op::I64Store16LL { .. } => (0, 0, None),
        Op::I64Store16L { .. } => (1, 0, None),
        Op::I64Store32(_) => (2, 0, None),
        Op::I64Store32LL { .. } => (0, 0, None),
        Op::I64Store32L { .. } => (1, 0, None),
        Op::I32StoreC { .. } => (1, 0, None),
        Op::I32Store8C { .. } => (1, 0, None),
        Op::I32Store16C { .. } => (1, 0, None),
        Op::I32AddSC(_) => (1, 1, None),
        Op::I32AddSL(_) => (1, 1, None),
        Op::I32AddLL { .. } => (0, 1, None),
        Op::I32AddLC { .. } => (0, 1, None),
        Op::I32SubSC(_) => (1, 1, None),
        Op::I32SubSL(_) => (1, 1, None),
        Op::I32SubLL { .. } => (0, 1, None),
        Op::I32SubLC { .. } => (0, 1, None),
        Op::I32MulSC(_) => (1, 1, None),
        Op::I32MulSL(_) => (1, 1, None),
        Op::I32MulLL { .. } => (0, 1, None),
        Op::I32MulLC { .. } => (0, 1, None),
        Op::I32AndSC(_) => (1, 1, None),
        Op::I32AndSL(_) => (1, 1, None),
        Op::I32AndLL { .. } => (0, 1, None),
        Op::I32AndLC { .. } => (0, 1, None),
        Op::I32OrSC(_) => (1, 1, None),
        Op::I32OrSL(_) => (1, 1, None),
        Op::I32OrLL { .. } => (0, 1, None),
        Op::I32OrLC { .. } => (0, 1, None),
        Op::I32XorSC(_) => (1, 1, None),
        Op::I32XorSL(_) => (1, 1, None),
        Op::I32XorLL { .. } => (0, 1, None),
        Op::I32XorLC { .. } => (0, 1, None),
        Op::I32ShlSC(_) => (1, 1, None),
        Op::I32ShlSL(_) => (1, 1, None),
        Op::I32ShlLL { .. } => (0, 1, None),
        Op::I32ShlLC { .. } => (0, 1, None),
        Op::I32ShrSSC(_) => (1, 1, None),
        Op::I32ShrSSL(_) => (1, 1, None),
        Op::I32ShrSLL { .. } => (0, 1, None),
        Op::I32ShrSLC { .. } => (0, 1, None),
        Op::I32ShrUSC(_) => (1, 1, None),
        Op::I32ShrUSL(_) => (1, 1, None),
        Op::I32ShrULL { .. } => (0, 1, None),
        Op::I32ShrULC { .. } => (0, 1, None),
        Op::I32RotlSC(_) => (1, 1, None),
        Op::I32RotlSL(_) => (1, 1, None),
        Op::I32RotlLL { .. } => (0, 1, None),
        Op::I32RotlLC { .. } => (0, 1, None),
        Op::I32RotrSC(_) => (1, 1, None),
        Op::I32RotrSL(_) => (1, 1, None),
        Op::I32RotrLL { .. } => (0, 1, None),
        Op::I32RotrLC { .. } => (0, 1, None),
        Op::I32EqSC(_) => (1, 1, None),
        Op::I32EqSL(_) => (1, 1, None),
        Op::I32EqLL { .. } => (0, 1, None),
        Op::I32EqLC { .. } => (0, 1, None),
        Op::I32NeSC(_) => (1, 1, None),
        Op::I32NeSL(_) => (1, 1, None),
        Op::I32NeLL { .. } => (0, 1, None),
        Op::I32NeLC { .. } => (0, 1, None),
        Op::I32LtSSC(_) => (1, 1, None),
        Op::I32LtSSL(_) => (1, 1, None),
        Op::I32LtSLL { .. } => (0, 1, None),
        Op::I32LtSLC { .. } => (0, 1, None),
        Op::I32LtUSC(_) => (1, 1, None),
        Op::I32LtUSL(_) => (1, 1, None),
        Op::I32LtULL { .. } => (0, 1, None),
        Op::I32LtULC { .. } => (0, 1, None),
        Op::I32GtSSC(_) => (1, 1, None),
        Op::I32GtSSL(_) => (1, 1, None),
        Op::I32GtSLL { .. } => (0, 1, None),
        Op::I32GtSLC { .. } => (0, 1, None),
        Op::I32GtUSC(_) => (1, 1, None),
        Op::I32GtUSL(_) => (1, 1, None),
        Op::I32GtULL { .. } => (0, 1, None),
        Op::I32GtULC { .. } => (0, 1, None),
        Op::I32LeSSC(_) => (1, 1, None),
        Op::I32LeSSL(_) => (1, 1, None),
        Op::I32LeSLL { .. } => (0, 1, None),
        Op::I32LeSLC { .. } => (0, 1, None),
        Op::I32LeUSC(_) => (1, 1, None),
        Op::I32LeUSL(_) => (1, 1, None),
        Op::I32LeULL { .. } => (0, 1, None),
        Op::I32LeULC { .. } => (0, 1, None),
        Op::I32GeSSC(_) => (1, 1, None),
        Op::I32GeSSL(_) => (1, 1, None),
        Op::I32GeSLL { .. } => (0, 1, None),
        Op::I32GeSLC { .. } => (0, 1, None),
        Op::I32GeUSC(_) => (1, 1, None),
        Op::I32GeUSL(_) => (1, 1, None),
        Op::I32GeULL { .. } => (0, 1, None),
        Op::I32GeULC { .. } => (0, 1, None),
        Op::I32AddLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32AddLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32AddSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32AddLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32AddLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32AddSSToL(d) => (2, 0, Some(d)),
        Op::I32AddSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32AddTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32SubLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32SubLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32SubSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32SubLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32SubLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32SubSSToL(d) => (2, 0, Some(d)),
        Op::I32SubSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32SubTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32MulLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32MulLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32MulSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32MulLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32MulLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32MulSSToL(d) => (2, 0, Some(d)),
        Op::I32MulSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32MulTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32AndLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32AndLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32AndSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32AndLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32AndLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32AndSSToL(d) => (2, 0, Some(d)),
        Op::I32AndSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32AndTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32OrLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32OrLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32OrSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32OrLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32OrLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32OrSSToL(d) => (2, 0, Some(d)),
        Op::I32OrSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32OrTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32XorLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32XorLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32XorSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32XorLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32XorLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32XorSSToL(d) => (2, 0, Some(d)),
        Op::I32XorSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32XorTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32ShlLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShlLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShlSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShlLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShlLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShlSSToL(d) => (2, 0, Some(d)),
        Op::I32ShlSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShlTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32ShrSLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShrSLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShrSSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrSLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShrSLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShrSSSToL(d) => (2, 0, Some(d)),
        Op::I32ShrSSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrSTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32ShrULLToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShrULCToL { d, .. } => (0, 0, Some(d)),
        Op::I32ShrUSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrULLTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShrULCTee { d, .. } => (0, 1, Some(d)),
        Op::I32ShrUSSToL(d) => (2, 0, Some(d)),
        Op::I32ShrUSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrUTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32RotlLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32RotlLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32RotlSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotlLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32RotlLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32RotlSSToL(d) => (2, 0, Some(d)),
        Op::I32RotlSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotlTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32RotrLLToL { d, .. } => (0, 0, Some(d)),
        Op::I32RotrLCToL { d, .. } => (0, 0, Some(d)),
        Op::I32RotrSCToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotrLLTee { d, .. } => (0, 1, Some(d)),
        Op::I32RotrLCTee { d, .. } => (0, 1, Some(d)),
        Op::I32RotrSSToL(d) => (2, 0, Some(d)),
        Op::I32RotrSLToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotrTeeSC { d, .. } => (1, 1, Some(d)),
        Op::I32XorShlLCL { .. } => (0, 1, None),
        Op::I32XorShlLCLToL { d, .. } => (0, 0, Some(d as u32)),
        Op::I32XorShrULCL { .. } => (0, 1, None),
        Op::I32XorShrULCLToL { d, .. } => (0, 0, Some(d as u32)),
        Op::I32XorRotlLCL { .. } => (0, 1, None),
        Op::I32XorRotlLCLToL { d, .. } => (0, 0, Some(d as u32)),
        Op::I32XorRotrLCL { .. } => (0, 1, None),
        Op::I32XorRotrLCLToL { d, .. } => (0, 0, Some(d as u32)),
        Op::I32SubLS(_) => (1, 1, None),
        Op::I32SubLSToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShlLS(_) => (1, 1, None),
        Op::I32ShlLSToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrSLS(_) => (1, 1, None),
        Op::I32ShrSLSToL { d, .. } => (1, 0, Some(d)),
        Op::I32ShrULS(_) => (1, 1, None),
        Op::I32ShrULSToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotlLS(_) => (1, 1, None),
        Op::I32RotlLSToL { d, .. } => (1, 0, Some(d)),
        Op::I32RotrLS(_) => (1, 1, None),
        Op::I32RotrLSToL { d, .. } => (1, 0, Some(d)),
        Op::I64SubLS(_) => (1, 1, None),
        Op::I64ShlLS(_) => (1, 1, None),
        Op::I64ShrULS(_) => (1, 1, None),
        Op::I64ShrSLS(_) => (1, 1, None),
        Op::I64RotlLS(_) => (1, 1, None),
        Op::I64AddSC(_) => (1, 1, None),
        Op::I64AddSL(_) => (1, 1, None),
        Op::I64AddLL { .. } => (0, 1, None),
        Op::I64AddLC { .. } => (0, 1, None),
        Op::I64AddSSToL(d) => (2, 0, Some(d)),
        Op::I64SubSC(_) => (1, 1, None),
        Op::I64SubSL(_) => (1, 1, None),
        Op::I64SubLL { .. } => (0, 1, None),
        Op::I64SubLC { .. } => (0, 1, None),
        Op::I64SubSSToL(d) => (2, 0, Some(d)),
        Op::I64MulSC(_) => (1, 1, None),
        Op::I64MulSL(_) => (1, 1, None),
        Op::I64MulLL { .. } => (0, 1, None),
        Op::I64MulLC { .. } => (0, 1, None),
        Op::I64MulSSToL(d) => (2, 0, Some(d)),
        Op::I64AndSC(_) => (1, 1, None),
        Op::I64AndSL(_) => (1, 1, None),
        Op::I64AndLL { .. } => (0, 1, None),
        Op::I64AndLC { .. } => (0, 1, None),
        Op::I64AndSSToL(d) => (2, 0, Some(d)),
        Op::I64OrSC(_) => (1, 1, None),
        Op::I64OrSL(_) => (1, 1, None),
        Op::I64OrLL { .. } => (0, 1, None),
        Op::I64OrLC { .. } => (0, 1, None),
        Op::I64OrSSToL(d) => (2, 0, Some(d)),
        Op::I64XorSC(_) => (1, 1, None),
        Op::I64XorSL(_) => (1, 1, None),
        Op::I64XorLL { .. } => (0, 1, None),
        Op::I64XorLC { .. } => (0, 1, None),
        Op::I64XorSSToL(d) => (2, 0, Some(d)),
        Op::I64ShlSC(_) => (1, 1, None),
        Op::I64ShlSL(_) => (1, 1, None),
        Op::I64ShlLL { .. } => (0, 1, None),
        Op::I64ShlLC { .. } => (0, 1, None),
        Op::I64ShlSSToL(d) => (2, 0, Some(d)),
        Op::I64ShrUSC(_) => (1, 1, None),
        Op::I64ShrUSL(_) => (1, 1, None),
        Op::I64ShrULL { .. } => (0, 1, None),
        Op::I64ShrULC { .. } => (0, 1, None),
        Op::I64ShrUSSToL(d) => (2, 0, Some(d)),
        Op::I64ShrSSC(_) => (1, 1, None),
        Op::I64ShrSSL(_) => (1, 1, None),
        Op::I64ShrSLL { .. } => (0, 1, None),
        Op::I64ShrSLC { .. } => (0, 1, None),
        Op::I64ShrSSSToL(d) => (2, 0, Some(d)),
        Op::I64RotlSC(_) => (1, 1, None),
        Op::I64RotlSL(_) => (1, 1, None),
        Op::I64RotlLL { .. } => (0, 1, None),
        Op::I64RotlLC { .. } => (0, 1, None),
        Op::I64RotlSSToL(d) => (2, 0, Some(d)),
        Op::F32AddSL(_) => (1, 1, None),
        Op::F32AddLL { .. } => (0, 1, None),
        Op::F32SubSL(_) => (1, 1, None),
        Op::F32SubLL { .. } => (0, 1, None),
        Op::F32MulSL(_) => (1, 1, None),
        Op::F32MulLL { .. } => (0, 1, None),
        Op::F32DivSL(_) => (1, 1, None),
        Op::F32DivLL { .. } => (0, 1, None),
        Op::F32SubLS(_) => (1, 1, None),
        Op::F32DivLS(_) => (1, 1, None),
        Op::F64AddSL(_) => (1, 1, None),
        Op::F64AddLL { .. } => (0, 1, None),
        Op::F64SubSL(_) => (1, 1, None),
        Op::F64SubLL { .. } => (0, 1, None),
        Op::F64MulSL(_) => (1, 1, None),
        Op::F64MulLL { .. } => (0, 1, None),
        Op::F64DivSL(_) => (1, 1, None),
        Op::F64DivLL { .. } => (0, 1, None),
        Op::F64SubLS(_) => (1, 1, None),
        Op::F64DivLS(_) => (1, 1, None),
        Op::I64AddSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64SubSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64MulSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64AndSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64OrSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64XorSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64ShlSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64ShrUSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64ShrSSLToL { d, .. } => (1, 0, Some(d)),
        Op::I64RotlSLToL { d, .. } => (1, 0, Some(d)),
        Op::F32AddSSToL(d) => (2, 0, Some(d)),
        Op::F32AddSLToL { d, .. } => (1, 0, Some(d)),
        Op::F32AddSSTee(d) => (2, 1, Some(d)),
        Op::F32AddSLTee { d, .. } => (1, 1, Some(d)),
        Op::F32SubSSToL(d) => (2, 0, Some(d)),
        Op::F32SubSLToL { d, .. } => (1, 0, Some(d)),
        Op::F32SubSSTee(d) => (2, 1, Some(d)),
        Op::F32SubSLTee { d, .. } => (1, 1, Some(d)),
        Op::F32MulSSToL(d) => (2, 0, Some(d)),
        Op::F32MulSLToL { d, .. } => (1, 0, Some(d)),
        Op::F32MulSSTee(d) => (2, 1, Some(d)),
        Op::F32MulSLTee { d, .. } => (1, 1, Some(d)),
        Op::F32DivSSToL(d) => (2, 0, Some(d)),
        Op::F32DivSLToL { d, .. } => (1, 0, Some(d)),
        Op::F32DivSSTee(d) => (2, 1, Some(d)),
        Op::F32DivSLTee { d, .. } => (1, 1, Some(d)),
        Op::F64AddSSToL(d) => (2, 0, Some(d)),
        Op::F64AddSLToL { d, .. } => (1, 0, Some(d)),
        Op::F64AddSSTee(d) => (2, 1, Some(d)),
        Op::F64AddSLTee { d, .. } => (1, 1, Some(d)),
        Op::F64SubSSToL(d) => (2, 0, Some(d)),
        Op::F64SubSLToL { d, .. } => (1, 0, Some(d)),
        Op::F64SubSSTee(d) => (2, 1, Some(d)),
        Op::F64SubSLTee { d, .. } => (1, 1, Some(d)),
        Op::F64MulSSToL(d) => (2, 0, Some(d)),
        Op::F64MulSLToL { d, .. } => (1, 0, Some(d)),
        Op::F64MulSSTee(d) => (2, 1, Some(d)),
        Op::F64MulSLTee { d, .. } => (1, 1, Some(d)),
        Op::F64DivSSToL(d) => (2, 0, Some(d)),
        Op::F64DivSLToL { d, .. } => (1, 0, Some(d)),
        Op::F64DivSSTee(d) => (2, 1, Some(d)),
        Op::F64DivSLTee { d, .. } => (1, 1, Some(d)),
        Op::LocalCopy { to, .. } => (0, 0, Some(to)),
        Op::LocalSetC { local, .. } => (0, 0, Some(local)),
        Op::LocalTeeGet { tee, .. } => (1, 2, Some(tee)),
        Op::LocalGet2 { .. } => (0, 2, None),
        Op::LocalSetGet { set, .. } => (1, 1, Some(set)),
        _ => return None,
    })
}

/// `store` with its address from local `addr` and its value from the stack.
fn store_with_local_address(op: Op, addr: u32) -> Option<Op> {
    Some(match op {
        Op::I32Store(offset) => Op::I32StoreL { addr, offset },
        Op::I64Store(offset) => Op::I64StoreL { addr, offset },
        Op::F32Store(offset) => Op::F32StoreL { addr, offset },
        Op::F64Store(offset) => Op::F64StoreL { addr, offset },
        Op::I32Store8(offset) => Op::I32Store8L { addr, offset },
        Op::I32Store16(offset) => Op::I32Store16L { addr, offset },
        Op::I64Store8(offset) => Op::I64Store8L { addr, offset },
        Op::I64Store16(offset) => Op::I64Store16L { addr, offset },
        Op::I64Store32(offset) => Op::I64Store32L { addr, offset },
        _ => return None,
    })
}

/// A loop's step and test in one op: `tee` (an `i32.add` into a local, also
/// pushed, or only stored) and the compare-and-branch `br` that pops it (or
/// reads the local), when the indices and the step fit the fused form's
/// narrower fields.
fn fuse_step_branch(tee: Op, br: Op) -> Option<Op> {
    let small = |i: u32| u16::try_from(i).ok();
    Some(match (tee, br) {
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32EqSC { target, c }) => Op::BrI32EqIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32EqSL { target, b }) => Op::BrI32EqIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32EqSL { target, b: n }) => Op::BrI32EqAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32EqLC { target, a: x, c }) if x == d => {
            Op::BrI32EqIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32EqLL { target, a: x, b }) if x == d => {
            Op::BrI32EqIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32EqLL { target, a: x, b: n }) if x == d => {
            Op::BrI32EqAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32NeSC { target, c }) => Op::BrI32NeIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32NeSL { target, b }) => Op::BrI32NeIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32NeSL { target, b: n }) => Op::BrI32NeAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32NeLC { target, a: x, c }) if x == d => {
            Op::BrI32NeIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32NeLL { target, a: x, b }) if x == d => {
            Op::BrI32NeIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32NeLL { target, a: x, b: n }) if x == d => {
            Op::BrI32NeAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LtSSC { target, c }) => Op::BrI32LtSIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LtSSL { target, b }) => Op::BrI32LtSIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32LtSSL { target, b: n }) => Op::BrI32LtSAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LtSLC { target, a: x, c }) if x == d => {
            Op::BrI32LtSIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LtSLL { target, a: x, b }) if x == d => {
            Op::BrI32LtSIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32LtSLL { target, a: x, b: n }) if x == d => {
            Op::BrI32LtSAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LtUSC { target, c }) => Op::BrI32LtUIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LtUSL { target, b }) => Op::BrI32LtUIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32LtUSL { target, b: n }) => Op::BrI32LtUAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LtULC { target, a: x, c }) if x == d => {
            Op::BrI32LtUIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LtULL { target, a: x, b }) if x == d => {
            Op::BrI32LtUIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32LtULL { target, a: x, b: n }) if x == d => {
            Op::BrI32LtUAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GtSSC { target, c }) => Op::BrI32GtSIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GtSSL { target, b }) => Op::BrI32GtSIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32GtSSL { target, b: n }) => Op::BrI32GtSAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GtSLC { target, a: x, c }) if x == d => {
            Op::BrI32GtSIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GtSLL { target, a: x, b }) if x == d => {
            Op::BrI32GtSIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32GtSLL { target, a: x, b: n }) if x == d => {
            Op::BrI32GtSAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GtUSC { target, c }) => Op::BrI32GtUIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GtUSL { target, b }) => Op::BrI32GtUIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32GtUSL { target, b: n }) => Op::BrI32GtUAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GtULC { target, a: x, c }) if x == d => {
            Op::BrI32GtUIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GtULL { target, a: x, b }) if x == d => {
            Op::BrI32GtUIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32GtULL { target, a: x, b: n }) if x == d => {
            Op::BrI32GtUAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LeSSC { target, c }) => Op::BrI32LeSIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LeSSL { target, b }) => Op::BrI32LeSIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32LeSSL { target, b: n }) => Op::BrI32LeSAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LeSLC { target, a: x, c }) if x == d => {
            Op::BrI32LeSIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LeSLL { target, a: x, b }) if x == d => {
            Op::BrI32LeSIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32LeSLL { target, a: x, b: n }) if x == d => {
            Op::BrI32LeSAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LeUSC { target, c }) => Op::BrI32LeUIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32LeUSL { target, b }) => Op::BrI32LeUIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32LeUSL { target, b: n }) => Op::BrI32LeUAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LeULC { target, a: x, c }) if x == d => {
            Op::BrI32LeUIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32LeULL { target, a: x, b }) if x == d => {
            Op::BrI32LeUIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32LeULL { target, a: x, b: n }) if x == d => {
            Op::BrI32LeUAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GeSSC { target, c }) => Op::BrI32GeSIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GeSSL { target, b }) => Op::BrI32GeSIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32GeSSL { target, b: n }) => Op::BrI32GeSAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GeSLC { target, a: x, c }) if x == d => {
            Op::BrI32GeSIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GeSLL { target, a: x, b }) if x == d => {
            Op::BrI32GeSIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32GeSLL { target, a: x, b: n }) if x == d => {
            Op::BrI32GeSAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GeUSC { target, c }) => Op::BrI32GeUIncSC {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            c,
            target,
        },
        (Op::I32AddLCTee { a, c: k, d }, Op::BrI32GeUSL { target, b }) => Op::BrI32GeUIncSL {
            a: small(a)?,
            d: small(d)?,
            k: i16::try_from(k).ok()?,
            b,
            target,
        },
        (Op::I32AddLLTee { a, b, d }, Op::BrI32GeUSL { target, b: n }) => Op::BrI32GeUAddLLSL {
            a: small(a)?,
            b: small(b)?,
            d: small(d)?,
            n: small(n)?,
            target,
        },
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GeULC { target, a: x, c }) if x == d => {
            Op::BrI32GeUIncSC {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                c,
                target,
            }
        }
        (Op::I32AddLCToL { a, c: k, d }, Op::BrI32GeULL { target, a: x, b }) if x == d => {
            Op::BrI32GeUIncSL {
                a: small(a)?,
                d: small(d)?,
                k: i16::try_from(k).ok()?,
                b,
                target,
            }
        }
        (Op::I32AddLLToL { a, b, d }, Op::BrI32GeULL { target, a: x, b: n }) if x == d => {
            Op::BrI32GeUAddLLSL {
                a: small(a)?,
                b: small(b)?,
                d: small(d)?,
                n: small(n)?,
                target,
            }
        }
        _ => return None,
    })
}
