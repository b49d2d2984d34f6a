//! Calls and returns inside a run: `call`, `call_indirect`, frame entry (where
//! the value stack's invariant is established) and `return`.

use super::flow::{Break, Flow, Stop, TrapCode};
use super::{Cx, Regs};
use crate::bytecode::FuncCode;
use crate::stack::Frame;
use crate::stack::raw::{CodePtr, Ip, Locals, Sp, push_frame, set_debug_code};
use crate::store::FuncKind;

impl<'a> Cx<'a> {
    /// Enters `callee` (code `c` of the running instance's module), whose
    /// arguments are on top of the stack.
    #[inline(always)]
    pub(super) fn call_local(&mut self, r: &mut Regs, c: u32) -> Result<(), Stop> {
        match self.codes[c as usize].get() {
            Some(callee) => self.enter(r, c, callee),
            None => Err(self.untranslated(r, self.inst_id, c)),
        }
    }

    /// `call_local` with `v` pushed first, the call's last argument.
    #[inline(always)]
    pub(super) fn call_local_with(&mut self, r: &mut Regs, c: u32, v: u64) -> Result<(), Stop> {
        r.sp.push(v);
        let called = self.call_local(r, c);
        if let Err(Stop::Prepare) = called {
            // the op runs again: its argument comes off
            r.sp.pop();
        }
        called
    }

    /// Sends a call whose callee (code `code` of instance `inst`) has no
    /// bytecode yet back to the driver, which translates it (`prepare`) and
    /// runs the call op again. Translating here would make every call
    /// handler save registers around a call it almost never makes.
    #[inline(always)]
    fn untranslated(&mut self, r: &mut Regs, inst: u32, code: u32) -> Stop {
        self.untranslated = Some((inst, code));
        again(r)
    }

    /// Pushes the caller's frame record and sets the registers to `callee`'s start.
    #[inline(always)]
    fn enter(&mut self, r: &mut Regs, c: u32, callee: &'a FuncCode) -> Result<(), Stop> {
        // The arguments become the callee's locals: all of them must be in memory.
        r.sp.spill();
        let args_end = r.sp.ptr();
        // Room past the arguments: the declared locals, the spill slot and the
        // operands (`FuncCode::room`). The arguments are on the stack,
        // so `args_end` is inside it and the subtraction cannot wrap.
        let room = callee.room as usize * 8;
        if (self.stack_end as usize - args_end as usize) < room {
            return Err(Stop::StackOverflow);
        }
        let caller = Frame {
            ip: r.ip,
            lp: r.lp,
            code_ptr: CodePtr::new(self.code),
            inst: self.inst_id,
        };
        // Full frame records (the depth limit, or room to grow: `prepare`).
        if !push_frame(&mut self.frames, caller) {
            return Err(again(r));
        }
        Locals::new(args_end).zero(0, callee.zeroed as usize);
        debug_assert_eq!(callee.index, c);
        self.code = callee;
        r.ip = Ip::start(&callee.cells);
        r.lp = Locals::new(args_end.wrapping_sub(callee.params as usize));
        r.sp = Sp::at(args_end, callee.locals as usize + 1);
        Ok(())
    }

    /// Calls store function `handle`: wasm (of any instance) stays in the run, a
    /// host function stops it.
    #[inline(always)]
    pub(super) fn call(&mut self, r: &mut Regs, handle: u32) -> Result<(), Stop> {
        match self.funcs[handle as usize].kind {
            FuncKind::Wasm { instance, code } => {
                if instance == self.inst_id {
                    return self.call_local(r, code);
                }
                let codes = self.instances[instance as usize]
                    .module
                    .codes(self.config.metered());
                let Some(callee) = codes[code as usize].get() else {
                    return Err(self.untranslated(r, instance, code));
                };
                self.enter(r, code, callee)?;
                self.inst_id = instance;
                Err(Stop::Reenter)
            }
            FuncKind::Host(h) => {
                self.host = h;
                Err(Stop::Host)
            }
        }
    }

    /// `call_indirect` through table `table` with expected type `ty`.
    #[inline(always)]
    pub(super) fn call_indirect(&mut self, r: &mut Regs, ty: u32, table: u32) -> Result<(), Stop> {
        let i = r.sp.pop() as u32;
        let t = &self.tables[self.inst.tables[table as usize] as usize];
        let Some(&e) = t.elems.get(i as usize) else {
            return Err(Stop::UndefinedElement);
        };
        if e == 0 {
            return Err(Stop::UninitializedElement);
        }
        let handle = (e - 1) as u32;
        if self.funcs[handle as usize].ty != self.inst.types[ty as usize] {
            return Err(Stop::IndirectCallTypeMismatch);
        }
        let called = self.call(r, handle);
        if let Err(Stop::Prepare) = called {
            // the call op runs again: its operand goes back
            r.sp.push(i as u64);
        }
        called
    }

    /// What a call op stopped the run for (`Break::Prepare`): translates the
    /// callee it found without bytecode, or makes room for more frame records,
    /// or, at the depth limit, traps. The frame records never have room for
    /// more than `Config::max_call_depth` (`reserve_exact` grows to exactly
    /// the capacity asked for), so the call handlers test only for room.
    #[cold]
    pub(super) fn prepare(&mut self) -> Result<(), Break> {
        match self.untranslated.take() {
            Some((inst, code)) => {
                self.instances[inst as usize]
                    .module
                    .translate_into(code, self.config.metered());
            }
            None => {
                let max = self.config.max_call_depth as usize;
                let len = self.frames.len();
                if len >= max {
                    return Err(self.fail(TrapCode::StackOverflow.into()));
                }
                self.frames.reserve_exact(len.max(64).min(max - len));
            }
        }
        Ok(())
    }

    /// Returns from the running function: its results move down to its frame
    /// base and the caller's frame is restored.
    #[inline(always)]
    pub(super) fn ret(&mut self, r: &mut Regs) -> Flow {
        let n = self.code.results as usize;
        let base = r.lp.ptr();
        r.sp.spill();
        let top = r.sp.offset_from(base);
        r.sp.drop_keep_spilled(top - n, n);
        self.pop_frame(r)
    }

    /// `ret` for a function without results: the caller's stack ends where
    /// this frame's arguments were, and its top is the slot below them (its
    /// spill slot when it has no operands).
    #[inline(always)]
    pub(super) fn ret0(&mut self, r: &mut Regs) -> Flow {
        r.sp = Sp::at(r.lp.ptr(), 0);
        r.sp.reload();
        self.pop_frame(r)
    }

    /// `ret` for a function with one result: it stays cached, as the top of
    /// the caller's stack, whose slot is the callee's base.
    #[inline(always)]
    pub(super) fn ret1(&mut self, r: &mut Regs) -> Flow {
        r.sp = Sp::from_parts(r.lp.ptr().wrapping_add(1), r.sp.tos());
        self.pop_frame(r)
    }

    /// `ret1` of local `i`'s value.
    #[inline(always)]
    pub(super) fn ret1_local(&mut self, r: &mut Regs, i: u32) -> Flow {
        r.sp = Sp::from_parts(r.lp.ptr().wrapping_add(1), r.lp.get(i));
        self.pop_frame(r)
    }

    /// Restores the caller's registers, or ends the run at the entry frame.
    #[inline(always)]
    fn pop_frame(&mut self, r: &mut Regs) -> Flow {
        let Some(f) = self.frames.pop() else {
            return Err(Break::Done);
        };
        self.code = f.code_ptr.get();
        r.ip = f.ip;
        r.lp = f.lp;
        set_debug_code(&self.code.cells);
        if f.inst != self.inst_id {
            self.inst_id = f.inst;
            return Err(Break::Reenter);
        }
        Ok(())
    }
}

/// Stops the run at the call op `r.ip` has just left, so that the driver
/// prepares what it needs (`Cx::prepare`) and runs it again.
#[inline(always)]
fn again(r: &mut Regs) -> Stop {
    use crate::bytecode::Op;
    // Every call op is one cell: the step back lands on it.
    const {
        assert!(
            Op::Call(0).span() == 1
                && Op::CallL { c: 0, local: 0 }.span() == 1
                && Op::CallC { c: 0, v: 0 }.span() == 1
                && Op::CallImport(0).span() == 1
                && Op::CallIndirect { ty: 0, table: 0 }.span() == 1
        )
    };
    r.ip = r.ip.offset(u32::MAX);
    Stop::Prepare
}
