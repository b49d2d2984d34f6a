//! Calls and returns inside a run: `call`, `call_indirect`, frame entry (where
//! the value stack's invariant is established) and `return`.

use super::flow::{Break, Flow};
use super::{Cx, Regs};
use crate::bytecode::FuncCode;
use crate::error::TrapKind;
use crate::stack::Frame;
use crate::stack::raw::{CodePtr, Ip, Locals, Sp, set_debug_code};
use crate::store::FuncKind;

impl<'a> Cx<'a> {
    /// Enters `callee` (code `c` of the running instance's module), whose
    /// arguments are on top of the stack.
    #[inline(always)]
    pub(super) fn call_local(&mut self, r: &mut Regs, c: u32) -> Flow {
        let callee: &'a FuncCode = match self.codes[c as usize].get() {
            Some(code) => code,
            None => self.inst.module.translate_into(c, self.config.metered()),
        };
        self.enter(r, c, callee)
    }

    /// Pushes the caller's frame record and sets the registers to `callee`'s start.
    #[inline(always)]
    fn enter(&mut self, r: &mut Regs, c: u32, callee: &'a FuncCode) -> Flow {
        // The arguments become the callee's locals: all of them must be in memory.
        r.sp.spill();
        let sp = r.sp.offset_from(self.buf);
        let caller = Frame {
            ip: r.ip,
            lp: r.lp,
            code_ptr: CodePtr::new(self.code),
            inst: self.inst_id,
            code: self.code_id,
        };
        let base = match enter(
            self.frames,
            self.buf,
            self.limit,
            &self.config,
            caller,
            sp,
            callee,
        ) {
            Some(base) => base,
            None => return Err(self.fail(TrapKind::StackOverflow)),
        };
        self.code_id = c;
        self.code = callee;
        r.ip = Ip::start(&callee.cells);
        r.lp = Locals::new(self.buf.wrapping_add(base));
        r.sp = Sp::at(
            self.buf,
            base + callee.params as usize + callee.locals as usize + 1,
        );
        Ok(())
    }

    /// Calls store function `handle`: wasm (of any instance) stays in the run, a
    /// host function stops it.
    #[inline(always)]
    pub(super) fn call(&mut self, r: &mut Regs, handle: u32) -> Flow {
        match self.funcs[handle as usize].kind {
            FuncKind::Wasm { instance, code } => {
                if instance == self.inst_id {
                    return self.call_local(r, code);
                }
                let callee: &'a FuncCode = self.instances[instance as usize]
                    .module
                    .code_in(code, self.config.metered());
                self.enter(r, code, callee)?;
                self.inst_id = instance;
                Err(Break::Reenter)
            }
            FuncKind::Host(h) => {
                self.host = h;
                Err(Break::Host)
            }
        }
    }

    /// `call_indirect` through table `table` with expected type `ty`.
    #[inline(always)]
    pub(super) fn call_indirect(&mut self, r: &mut Regs, ty: u32, table: u32) -> Flow {
        let i = r.sp.pop() as u32;
        let t = &self.tables[self.inst.tables[table as usize] as usize];
        let Some(&e) = t.elems.get(i as usize) else {
            return Err(self.fail(TrapKind::UndefinedElement));
        };
        if e == 0 {
            return Err(self.fail(TrapKind::UninitializedElement));
        }
        let handle = (e - 1) as u32;
        if self.funcs[handle as usize].ty != self.inst.types[ty as usize] {
            return Err(self.fail(TrapKind::IndirectCallTypeMismatch));
        }
        self.call(r, handle)
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

    /// `ret` for a function with one result: it stays cached, as the top of
    /// the caller's stack, whose slot is the callee's base.
    #[inline(always)]
    pub(super) fn ret1(&mut self, r: &mut Regs) -> Flow {
        r.sp = Sp::from_parts(r.lp.ptr().wrapping_add(1), r.sp.tos());
        self.pop_frame(r)
    }

    /// Restores the caller's registers, or ends the run at the entry frame.
    #[inline(always)]
    fn pop_frame(&mut self, r: &mut Regs) -> Flow {
        let Some(f) = self.frames.pop() else {
            return Err(Break::Done);
        };
        self.code_id = f.code;
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

/// Sets up a frame for `callee` whose arguments are the top slots (at slot
/// index `sp`), after saving the caller; gives the new frame's base index, or
/// `None` when a limit is reached. This is where the stack invariant of
/// `stack::raw` is established.
#[inline(always)]
fn enter(
    frames: &mut Vec<Frame>,
    buf: *mut u64,
    limit: usize,
    config: &crate::store::Config,
    caller: Frame,
    sp: usize,
    callee: &FuncCode,
) -> Option<usize> {
    if frames.len() >= config.max_call_depth as usize {
        return None;
    }
    let base = sp - callee.params as usize;
    if base + callee.frame_slots() > limit {
        return None;
    }
    frames.push(caller);
    Locals::new(buf.wrapping_add(base)).zero(callee.params as usize, callee.locals as usize);
    Some(base)
}
