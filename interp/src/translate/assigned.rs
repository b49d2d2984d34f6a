//! Which declared locals a body may read before writing them.
//!
//! Wasm zeroes a function's declared locals on entry; a call op that zeroes
//! only the ones a read can see unwritten does less work on every call
//! (compiled C, C++ and Rust write most of their locals before reading them).
//! This is the "definitely assigned" analysis over structured control flow,
//! run beside translation: the state is the set of locals written on every
//! path from the entry to the current operator; a block's end takes the
//! intersection over the paths that reach it (falling through and each branch
//! to it), an `if` without `else` adds its entry state as the false path, and
//! a loop's start needs no fixpoint, since a state only grows along a path.
//! Code after an unconditional branch is unreachable (its state is "every
//! local"), so its reads count for nothing.

use wasmparser as wp;

#[derive(Copy, Clone, PartialEq)]
enum Kind {
    Block,
    Loop,
    If { else_seen: bool },
}

#[derive(Copy, Clone)]
struct Frame {
    kind: Kind,
    /// Whether any branch (or an `if`'s finished arm) reached the end yet;
    /// the intersection of their states is in the frame's `merged` words.
    merged: bool,
    /// For an `if`: whether its entry (in the `entry` words) was reachable.
    entry: bool,
}

/// The analysis of one body, fed every operator in order (`step`).
#[derive(Default)]
pub(super) struct Assigned {
    /// Words per state (one bit per declared local).
    w: usize,
    params: u32,
    /// States, `w` words each: the current one first, then each open frame's
    /// `merged` and `entry`.
    words: Vec<u64>,
    reachable: bool,
    frames: Vec<Frame>,
    /// One past the highest declared local (counted from the first declared
    /// one) that a read may see unwritten.
    needed: u32,
    locals: u32,
}

impl Assigned {
    /// Starts a body with `params` parameters and `locals` declared locals.
    pub(super) fn start(&mut self, params: u32, locals: u32) {
        self.params = params;
        self.locals = locals;
        self.w = (locals as usize).div_ceil(64);
        self.words.clear();
        self.words.resize(self.w, 0);
        self.reachable = true;
        self.frames.clear();
        self.needed = 0;
    }

    /// How many of the declared locals, from the first, frame entry must
    /// zero: every later one is written before any read of it.
    pub(super) fn zeroed(&self) -> u32 {
        self.needed
    }

    /// Follows one (valid) operator.
    pub(super) fn step(&mut self, op: &wp::Operator<'_>) {
        use wp::Operator as W;
        match *op {
            W::LocalGet { local_index } => self.read(local_index),
            W::LocalSet { local_index } | W::LocalTee { local_index } => self.write(local_index),
            W::Block { .. } => self.push(Kind::Block),
            W::Loop { .. } => self.push(Kind::Loop),
            W::If { .. } => self.push(Kind::If { else_seen: false }),
            W::Else => self.else_(),
            W::End => self.end(),
            W::Br { relative_depth } => {
                self.branch(relative_depth);
                self.reachable = false;
            }
            W::BrIf { relative_depth } => self.branch(relative_depth),
            W::BrTable { ref targets } => {
                for t in targets.targets().flatten() {
                    self.branch(t);
                }
                self.branch(targets.default());
                self.reachable = false;
            }
            W::Return | W::Unreachable => self.reachable = false,
            // Operators of proposals wisp does not enable yet (the validator
            // refuses them first) whose branches this analysis does not
            // follow: should one get here, every local is zeroed.
            W::TryTable { .. }
            | W::Try { .. }
            | W::Catch { .. }
            | W::CatchAll
            | W::Delegate { .. }
            | W::Throw { .. }
            | W::Rethrow { .. }
            | W::ThrowRef
            | W::BrOnNull { .. }
            | W::BrOnNonNull { .. }
            | W::BrOnCast { .. }
            | W::BrOnCastFail { .. } => self.needed = self.locals,
            // Every other operator falls through to the next, and reads and
            // writes no local.
            _ => {}
        }
    }

    /// The slot of `local` among the declared locals, if it is one.
    fn declared(&self, local: u32) -> Option<usize> {
        local.checked_sub(self.params).map(|i| i as usize)
    }

    fn read(&mut self, local: u32) {
        let Some(i) = self.declared(local) else {
            return;
        };
        if self.reachable && self.words[i / 64] & (1 << (i % 64)) == 0 {
            self.needed = self.needed.max(i as u32 + 1);
        }
    }

    fn write(&mut self, local: u32) {
        if let Some(i) = self.declared(local) {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    fn push(&mut self, kind: Kind) {
        let k = self.frames.len();
        self.words.resize((3 + 2 * k) * self.w, 0);
        if let Kind::If { .. } = kind {
            self.words.copy_within(0..self.w, (2 + 2 * k) * self.w);
        }
        self.frames.push(Frame {
            kind,
            merged: false,
            entry: self.reachable,
        });
    }

    /// Meets the current state into frame `k`'s end state.
    fn meet(&mut self, k: usize) {
        if !self.reachable {
            return;
        }
        let (cur, rest) = self.words.split_at_mut(self.w);
        let merged = &mut rest[2 * k * self.w..(2 * k + 1) * self.w];
        if self.frames[k].merged {
            merged.iter_mut().zip(cur.iter()).for_each(|(m, c)| *m &= c);
        } else {
            merged.copy_from_slice(cur);
            self.frames[k].merged = true;
        }
    }

    /// A branch to label `depth`; the function's own label (below every
    /// frame) ends the body, which needs no state.
    fn branch(&mut self, depth: u32) {
        let Some(k) = self.frames.len().checked_sub(1 + depth as usize) else {
            return;
        };
        if self.frames[k].kind != Kind::Loop {
            self.meet(k);
        }
    }

    fn else_(&mut self) {
        let Some(k) = self.frames.len().checked_sub(1) else {
            return;
        };
        self.meet(k);
        self.words
            .copy_within((2 + 2 * k) * self.w..(3 + 2 * k) * self.w, 0);
        self.reachable = self.frames[k].entry;
        self.frames[k].kind = Kind::If { else_seen: true };
    }

    fn end(&mut self) {
        // The function's own `end` finds no frame: nothing follows it.
        let Some(f) = self.frames.pop() else { return };
        if f.kind == Kind::Loop {
            // only falling through reaches a loop's end
            return;
        }
        let w = self.w;
        let k = self.frames.len();
        let (merged, entry) = ((1 + 2 * k) * w, (2 + 2 * k) * w);
        let mut reached = f.merged;
        if f.kind == (Kind::If { else_seen: false }) && f.entry {
            // the false path skips the arm: it reaches the end with the entry state
            if reached {
                for j in 0..w {
                    self.words[merged + j] &= self.words[entry + j];
                }
            } else {
                self.words.copy_within(entry..entry + w, merged);
                reached = true;
            }
        }
        if !reached {
            return;
        }
        if self.reachable {
            for j in 0..w {
                self.words[j] &= self.words[merged + j];
            }
        } else {
            self.words.copy_within(merged..merged + w, 0);
            self.reachable = true;
        }
    }
}
