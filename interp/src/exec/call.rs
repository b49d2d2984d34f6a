//! Calls and returns inside a run: `call`, `call_indirect`, frame entry (where
//! the value stack's invariant is established) and `return`.

use super::flow::{Break, Flow, Stop};
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
        let caller = Frame {
            ip: r.ip,
            lp: r.lp,
            code_ptr: CodePtr::new(self.code),
            inst: self.inst_id,
            code: self.code_id,
        };
        let end = self.buf.wrapping_add(self.limit);
        let base = match enter(self.frames, end, &self.config, caller, r.sp.ptr(), callee) {
            Ok(base) => base,
            Err(Stop::Prepare) => return Err(again(r)),
            Err(stop) => return Err(stop),
        };
        self.code_id = c;
        self.code = callee;
        r.ip = Ip::start(&callee.cells);
        r.lp = Locals::new(base);
        r.sp = Sp::at(base, callee.params as usize + callee.locals as usize + 1);
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
    /// callee it found without bytecode, or makes room for more frame records.
    #[cold]
    pub(super) fn prepare(&mut self) {
        match self.untranslated.take() {
            Some((inst, code)) => {
                self.instances[inst as usize]
                    .module
                    .translate_into(code, self.config.metered());
            }
            None => {
                let more = self.frames.len().max(64);
                self.frames.reserve(more);
            }
        }
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

/// Stops the run at the call op `r.ip` has just left, so that the driver
/// prepares what it needs (`Cx::prepare`) and runs it again.
#[inline(always)]
fn again(r: &mut Regs) -> Stop {
    r.ip = r.ip.offset(u32::MAX);
    Stop::Prepare
}

/// Sets up a frame for `callee` whose arguments are the top slots (below
/// `sp`; `end` is the end of the value stack), after saving the caller; gives
/// the new frame's base, a trap when a limit is reached, or `Stop::Prepare`
/// when the frame records need more room. This is where the stack invariant
/// of `stack::raw` is established.
#[inline(always)]
fn enter(
    frames: &mut Vec<Frame>,
    end: *mut u64,
    config: &crate::store::Config,
    caller: Frame,
    sp: *mut u64,
    callee: &FuncCode,
) -> Result<*mut u64, Stop> {
    if frames.len() >= config.max_call_depth as usize {
        return Err(Stop::StackOverflow);
    }
    let base = sp.wrapping_sub(callee.params as usize);
    // (the arguments are on the stack, so `base` is inside it)
    if callee.frame_slots() > (end as usize - base as usize) / 8 {
        return Err(Stop::StackOverflow);
    }
    if !push_frame(frames, caller) {
        return Err(Stop::Prepare);
    }
    Locals::new(base).zero(callee.params as usize, callee.locals as usize);
    Ok(base)
}
