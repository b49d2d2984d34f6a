//! The emit-time peephole: each op, as it is emitted, is fused with the ops
//! just before it when a superinstruction does both (never across a jump
//! target: `Translator::fence`). The fused families' patterns are tables in
//! `fuse` (generated); the one-off fusions are written here.

use super::{Translator, fuse};
use crate::bytecode::Op;

/// A local index that fits a fused form's 16-bit field.
pub(super) fn narrow(i: u32) -> Option<u16> {
    u16::try_from(i).ok()
}

/// A local index that fits a fused form's 8-bit field.
pub(super) fn narrow8(i: u32) -> Option<u8> {
    u8::try_from(i).ok()
}

/// A loop step that fits a fused form's 16-bit field.
pub(super) fn narrow_step(k: i32) -> Option<i16> {
    i16::try_from(k).ok()
}

/// An `i32.shl` count as the shift uses it (the low five bits).
pub(super) fn shift(c: i32) -> u8 {
    (c & 31) as u8
}

/// The op doing `a` then `b`, for `passes::fuse_pairs` and jump threading.
pub(super) fn fuse_pair(a: Op, b: Op) -> Option<Op> {
    Some(match (a, b) {
        (Op::LocalGet(a), Op::LocalGet(b)) => Op::LocalGet2 { a, b },
        (Op::LocalSet(set), Op::LocalGet(get)) => Op::LocalSetGet { set, get },
        (Op::LocalCopy { from, to }, Op::Jump { target }) => Op::LocalCopyBr { from, to, target },
        (Op::I32Const(c), Op::I32Store(offset)) => Op::I32StoreC { c, offset },
        (Op::I32Const(c), Op::I32Store8(offset)) => Op::I32Store8C { c, offset },
        (Op::I32Const(c), Op::I32Store16(offset)) => Op::I32Store16C { c, offset },
        // A constant stored at a local's address.
        (Op::I32Const(c), Op::I32StoreL { addr, offset }) => Op::I32StoreCL { addr, c, offset },
        (Op::I32Const(c), Op::I32Store8L { addr, offset }) => Op::I32Store8CL { addr, c, offset },
        (Op::I32Const(c), Op::I32Store16L { addr, offset }) => Op::I32Store16CL { addr, c, offset },
        (Op::I64Const(c), Op::I64StoreL { addr, offset }) => Op::I64StoreCL {
            addr,
            c: i32::try_from(c).ok()?,
            offset,
        },
        // A constant stored at the sum of two locals (`fuse_pairs` joins the
        // address to the pair above).
        (Op::I32AddLL { a, b }, Op::I32StoreC { c, offset }) => Op::I32StoreCLL {
            a: narrow(a)?,
            b: narrow(b)?,
            c,
            offset,
        },
        (Op::I32AddLL { a, b }, Op::I32Store8C { c, offset }) => Op::I32Store8CLL {
            a: narrow(a)?,
            b: narrow(b)?,
            c,
            offset,
        },
        (Op::I32AddLL { a, b }, Op::I32Store16C { c, offset }) => Op::I32Store16CLL {
            a: narrow(a)?,
            b: narrow(b)?,
            c,
            offset,
        },
        // Pairs hot across the corpus (docs/design.md, "Fusions from the corpus").
        (Op::I32AddLCToL { a, c, d }, Op::I32AddLCToL { a: b, c: k, d: e }) => Op::I32AddLCToL2 {
            a: narrow(a)?,
            d: narrow(d)?,
            c: narrow_step(c)?,
            b: narrow(b)?,
            e: narrow(e)?,
            k: narrow_step(k)?,
        },
        (Op::I32AddLCTee { a, c, d }, Op::BrNez { target }) => Op::BrNezAddLC {
            a: narrow(a)?,
            d: narrow(d)?,
            c,
            target,
        },
        (Op::I32AddLCToL { a, c, d }, Op::BrNezL { target, local }) if local == d => {
            Op::BrNezAddLC {
                a: narrow(a)?,
                d: narrow(d)?,
                c,
                target,
            }
        }
        (Op::LocalCopy { from: a, to: b }, Op::LocalCopy { from: c, to: d }) => Op::LocalCopy2 {
            a: narrow(a)?,
            b: narrow(b)?,
            c: narrow(c)?,
            d: narrow(d)?,
        },
        (Op::I32AddLC { a, c }, Op::LocalGet(get)) => Op::I32AddLCGet { a, c, get },
        (Op::LocalGet(local), Op::Return1) => Op::Return1L(local),
        // A call's last argument.
        (Op::LocalGet(local), Op::Call(c)) => Op::CallL { c, local },
        (Op::I32Const(v), Op::Call(c)) => Op::CallC { c, v },
        // An array element's address, `base + (index << k)`.
        (Op::I32ShlLC { a, c }, Op::I32Add) => Op::I32AddShlLC { a, c: shift(c) },
        (Op::I32ShlSC(c), Op::I32Add) => Op::I32AddShlSC(shift(c)),
        (Op::I32ShlLC { a, c }, Op::I32AddSL(b)) => Op::I32ShlLCAddL {
            a: narrow(a)?,
            b: narrow(b)?,
            c: shift(c),
        },
        (Op::I32ShlSC(c), Op::I32AddSL(b)) => Op::I32ShlSCAddL { c: shift(c), b },
        (Op::I32ShlLC { a, c }, Op::I32AddSLToL { b, d }) => Op::I32ShlLCAddLToL {
            a: narrow(a)?,
            b: narrow(b)?,
            d: narrow(d)?,
            c: shift(c),
        },
        // A `select` into a local (no family forms these pairs).
        (Op::Select, Op::LocalSet(d)) => Op::SelectToL(d),
        (Op::Select, Op::LocalTee(d)) => Op::SelectTee(d),
        (a, Op::LocalTee(d)) => return fuse::pair(a, b).or_else(|| fuse::tee_last(a, d)),
        (a, b) => return fuse::pair(a, b).or_else(|| fuse::step_branch(a, b)),
    })
}

/// A conditional branch taken when `prev`'s result is not zero (`negate`:
/// when it is), if `prev` is an op such a branch can absorb.
fn fuse_branch(prev: Op, target: u32, negate: bool) -> Option<Op> {
    Some(match (prev, negate) {
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
        (prev, negate) => return fuse::compare_branch(prev, target, negate),
    })
}

/// A division or remainder by the constant `prev` pushed, as one op that
/// multiplies (`exec::divide`); none for divisors whose op traps or that the
/// ops do not take (0, 1, -1, `MIN`, and a 64-bit remainder's divisor above
/// `divide::PACKED_MAX`).
fn by_const(op: Op, prev: Op) -> Option<Op> {
    use crate::exec::divide::{NEGATIVE, pack, u32_magic, u64_magic};
    Some(match (prev, op) {
        (Op::I32Const(d), Op::I32DivU) => Op::I32DivUSC(u32_magic(d as u32)?),
        (Op::I32Const(d), Op::I32RemU) => Op::I32RemUSC {
            d: d as u32,
            m: u32_magic(d as u32)?,
        },
        (Op::I32Const(d), Op::I32DivS) if d != i32::MIN => Op::I32DivSSC {
            d,
            m: u32_magic(d.unsigned_abs())?,
        },
        (Op::I32Const(d), Op::I32RemS) if d != i32::MIN => Op::I32RemSSC {
            d: d.unsigned_abs(),
            m: u32_magic(d.unsigned_abs())?,
        },
        (Op::I64Const(d), Op::I64DivU) => {
            let (m, s) = u64_magic(d as u64)?;
            Op::I64DivUSC { s, m }
        }
        (Op::I64Const(d), Op::I64RemU) => {
            let (m, s) = u64_magic(d as u64)?;
            Op::I64RemUSC {
                p: pack(d as u64, s)?,
                m,
            }
        }
        (Op::I64Const(d), Op::I64DivS) if d != i64::MIN => {
            let (m, s) = u64_magic(d.unsigned_abs())?;
            let s = if d < 0 { s | NEGATIVE } else { s };
            Op::I64DivSSC { s, m }
        }
        (Op::I64Const(d), Op::I64RemS) if d != i64::MIN => {
            let (m, s) = u64_magic(d.unsigned_abs())?;
            Op::I64RemSSC {
                p: pack(d.unsigned_abs(), s)?,
                m,
            }
        }
        _ => return None,
    })
}

impl Translator<'_, '_> {
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
            let (pops, pushes, _) = ops[k].stack_effect()?;
            if above < pushes {
                let Op::LocalGet(x) = ops[k] else {
                    return None;
                };
                let untouched = ops[k + 1..]
                    .iter()
                    .all(|op| op.stack_effect().is_some_and(|(_, _, w)| w != Some(x)));
                return untouched.then_some((k, x));
            }
            above = above - pushes + pops;
        }
        None
    }

    /// A function's prologue taking its frame from the shadow stack, ending
    /// with `op`: `global.get g; i32.const c; i32.sub; local.tee d;
    /// global.set g` (emitted so far as `GlobalGetOwn`, `I32SubSC`,
    /// `LocalTee`), as one op and the number of ops before `op` it replaces.
    fn prologue(&self, op: Op) -> Option<(usize, Op)> {
        let Op::GlobalSetOwn(g) = op else {
            return None;
        };
        let ops = &self.s.ops;
        let n = ops.len();
        if n < self.fence + 3 {
            return None;
        }
        match ops[n - 3..] {
            [Op::GlobalGetOwn(h), Op::I32SubSC(c), Op::LocalTee(local)] if h == g => {
                Some((3, Op::GlobalSubTee { g, c, local }))
            }
            _ => None,
        }
    }

    /// Emits `op`, fused with the ops before it where a superinstruction does both.
    pub(super) fn emit(&mut self, op: Op) {
        if !self.reachable {
            return;
        }
        if let Some((consumed, op)) = self.prologue(op) {
            let n = self.s.ops.len();
            self.s.ops.truncate(n - consumed);
            self.s.ops.push(op);
            return;
        }
        let n = self.s.ops.len();
        let prev = (n > self.fence).then(|| self.s.ops[n - 1]);
        let prev2 = (n > self.fence + 1).then(|| self.s.ops[n - 2]);
        let fused = match (prev2, prev) {
            (Some(Op::LocalGet(addr)), Some(Op::LocalGet(value))) => {
                fuse::store_from_locals(op, addr, value).map(|op| (2, op))
            }
            _ => None,
        }
        .or_else(|| prev.and_then(|p| by_const(op, p)).map(|op| (1, op)))
        .or_else(|| fuse::binop(op, prev2, prev));
        if fused.is_none()
            && let Some((k, x)) = self.local_below_top()
            && let Some(op) =
                fuse::with_local_operand(op, x).or_else(|| fuse::store_with_local_address(op, x))
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
                (Op::I32Const(c), Op::LocalSet(local)) => Op::LocalSetC { local, c: c.into() },
                (Op::I64Const(c), Op::LocalSet(local)) => Op::LocalSetC { local, c },
                (Op::LocalTee(tee), Op::LocalGet(get)) => Op::LocalTeeGet { tee, get },
                // The epilogue giving the frame back.
                (Op::I32AddLC { a, c }, Op::GlobalSetOwn(g)) => Op::GlobalSetAddLC { g, a, c },
                (p, Op::LocalSet(d)) => fuse::to_local(p, d, false)?,
                (p, Op::LocalTee(d)) => fuse::to_local(p, d, true)?,
                (p, op) => fuse::load(op, p)?,
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

    /// Emits a conditional branch without stack adjustment, fused with the
    /// comparison before it when there is one; gives the op's index.
    pub(super) fn cond_branch(&mut self, target: u32, negate: bool) -> usize {
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
            Some((1, op)) if n > self.fence + 1 => match fuse::step_branch(self.s.ops[n - 2], op) {
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
}
