//! Control lowering: blocks, loops and ifs become jumps, branches carry their
//! stack adjustment, and forward jumps are fixed up when their label's
//! position is known. The executor never searches for a label.

use super::{Translator, Validator};
use crate::bytecode::Op;
use crate::error::Error;
use wasmparser as wp;

/// A place whose jump target is patched when its label's position is known.
#[derive(Copy, Clone, Debug)]
pub(super) enum Fixup {
    Op(usize),
}

#[derive(Debug)]
pub(super) enum CtrlKind {
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

/// An open block, loop, if or the function body, on the translator's own
/// control stack.
#[derive(Debug)]
pub(super) struct Ctrl {
    pub(super) kind: CtrlKind,
    pub(super) fixups: Vec<Fixup>,
    /// Whether code at the start of this construct was reachable.
    pub(super) reachable: bool,
    /// In metered code, the `Fuel` op of the segment around this construct,
    /// which pays for the code after it too.
    pub(super) fuel_at: usize,
}

/// A branch's stack adjustment, computed before the branch is validated.
#[derive(Copy, Clone)]
pub(super) struct Adjust {
    drop: u32,
    keep: u32,
    /// Index into the translator's control stack.
    ctrl: usize,
}

impl Translator<'_, '_> {
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
    pub(super) fn adjust(&self, v: &Validator, depth: u32, popped: u32) -> Option<Adjust> {
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

    /// Marks the current position as a jump target: nothing fuses across it.
    /// Gives the target's index.
    pub(super) fn label(&mut self) -> u32 {
        let pc = self.pc();
        self.fence = pc as usize;
        pc
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

    fn bad_depth(&self) -> Error {
        Error::invalid("branch depth out of range", self.offset)
    }

    /// `unreachable`, and what follows it until the end of the block.
    pub(super) fn unreachable(&mut self) {
        self.emit(Op::Unreachable);
        self.reachable = false;
    }

    pub(super) fn block(&mut self) {
        self.s.ctrl.push(Ctrl {
            kind: CtrlKind::Block,
            fixups: Vec::new(),
            reachable: self.reachable,
            fuel_at: self.fuel_at,
        })
    }

    pub(super) fn loop_(&mut self) {
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

    pub(super) fn if_(&mut self) {
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

    pub(super) fn else_(&mut self) {
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

    pub(super) fn end(&mut self) -> Result<(), Error> {
        let ctrl = self.s.ctrl.pop().ok_or_else(|| self.bad_depth())?;
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
        Ok(())
    }

    pub(super) fn br(&mut self) -> Result<(), Error> {
        if self.reachable {
            let a = self.branch_pre.ok_or_else(|| self.bad_depth())?;
            if a.ctrl == 0 {
                self.s.ops.push(Op::Return);
            } else {
                self.branch(a, |target, drop, keep| Op::Br { target, drop, keep });
            }
            self.reachable = false;
        }
        Ok(())
    }

    pub(super) fn br_if(&mut self) -> Result<(), Error> {
        if self.reachable {
            let a = self.branch_pre.ok_or_else(|| self.bad_depth())?;
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
        Ok(())
    }

    pub(super) fn br_table(&mut self) -> Result<(), Error> {
        if self.reachable {
            let adj = self.table_pre.take().ok_or_else(|| self.bad_depth())?;
            if adj.len() != self.s.targets.len() {
                return Err(self.bad_depth());
            }
            // The entries follow the op, reached only through the table
            // (`passes::fuse_pairs` leaves them alone).
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
        Ok(())
    }

    pub(super) fn return_(&mut self) {
        self.emit(Op::Return);
        self.reachable = false;
    }
}
