//! The executor: runs wisp bytecode with an explicit frame stack (no host
//! recursion per guest call), and the driver that performs host calls between
//! runs. Op bodies are written once (`ops`) and dispatched by one of two
//! backends: `threaded` (tail-called handlers, optimised builds) or `looped`
//! (one `match` in a loop, everywhere else); `build.rs` chooses.

#[cfg(test)]
mod fuel_tests;
pub(crate) mod numeric;
#[cfg(test)]
mod tests;
#[macro_use]
mod ops;
#[cfg_attr(wisp_threaded, allow(dead_code))]
mod looped;
mod raw;
mod resumable;
#[cfg_attr(not(wisp_threaded), allow(dead_code))]
mod threaded;
#[cfg(not(wisp_threaded))]
use looped as dispatch;
#[cfg(wisp_threaded)]
use threaded as dispatch;

use crate::bytecode::FuncCode;
use crate::error::{Error, FrameInfo, Trap, TrapKind};
use crate::host::Caller;
use crate::stack::raw::{CodePtr, set_debug_bounds, set_debug_code};
use crate::stack::{Frame, Stack};
use crate::store::fuel::{DEADLINE, INTERRUPT, NO_REQUEST};
use crate::store::memory::MemoryEntity;
use crate::store::{FuncKind, HostFuncEntity, Instance, Store, StoreInner};
use crate::types::ValType;
use crate::value::{Func, Val};
use raw::{Ip, Locals, MemView, Sp};
pub use resumable::{
    ResumableCall, ResumableInvocation, SuspendReason, TypedResumableCall, TypedResumableInvocation,
};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

/// Where a run of the loop stopped (or starts): the running function and its
/// registers as indices.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Resume {
    inst: u32,
    code: u32,
    ip: usize,
    base: usize,
    sp: usize,
}

/// How a call ended without trapping.
enum Driven {
    /// The entry function returned; its results are at slot 1.
    Done,
    /// A resumable call stopped (see `Invocation`).
    Suspended {
        reason: SuspendReason,
        host: Option<HostWait>,
    },
}

/// How `Store::call_raw_with` or `Store::proceed` left a call.
pub(crate) enum Called {
    /// It returned; its results are in the `io` slots.
    Finished,
    /// It is suspended.
    Suspended(Invocation),
}

/// A suspended call: its value stack and frame records, where it stopped, and
/// which store it belongs to.
pub(crate) struct Invocation {
    /// The store's shared state: its identity.
    store: Arc<crate::store::fuel::Shared>,
    stack: Stack,
    regs: Resume,
    /// The entry function's result count.
    results: usize,
    reason: SuspendReason,
    /// When a host function yielded: where and of which types its results go.
    host: Option<HostWait>,
}

impl Invocation {
    /// Why the call is suspended.
    pub(crate) fn reason(&self) -> SuspendReason {
        self.reason
    }
}

impl core::fmt::Debug for Invocation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Invocation")
            .field("reason", &self.reason)
            .field("frames", &(self.stack.frames.len() + 1))
            .finish_non_exhaustive()
    }
}

/// The host function a suspended call waits for.
struct HostWait {
    /// The slot index of its first argument, where its results go.
    at: usize,
    results: Box<[ValType]>,
}

/// Why the loop stopped without trapping.
enum Exit {
    /// The entry function returned; its results are at slot 0.
    Done,
    /// The guest called host function `host`; its arguments are on top of the stack.
    Host { host: u32 },
}

#[cold]
fn trap(kind: TrapKind) -> Trap {
    Trap::new(kind)
}

impl<T> Store<T> {
    /// Checks `params` and the room for `results` against `f`'s type; the
    /// arguments as slots, with room for the results.
    pub(crate) fn untyped_io(
        &self,
        f: Func,
        params: &[Val],
        results: &[Val],
    ) -> Result<Vec<u64>, Error> {
        let e = self.func_entity(f)?;
        let ty = self.inner.types.get(e.ty);
        crate::store::val_type_check(params, ty.params(), "arguments")?;
        if results.len() != ty.results().len() {
            return Err(Error::ty(format!(
                "expected {} results, got room for {}",
                ty.results().len(),
                results.len()
            )));
        }
        let id = self.inner.id;
        let mut slots = params
            .iter()
            .map(|v| v.to_slot(id))
            .collect::<Result<Vec<u64>, Error>>()?;
        slots.resize(params.len().max(results.len()), 0);
        Ok(slots)
    }

    /// Writes `f`'s results from `slots` into `results` (whose length `untyped_io` checked).
    pub(crate) fn untyped_results(&self, f: Func, slots: &[u64], results: &mut [Val]) {
        let id = self.inner.id;
        if let Ok(e) = self.func_entity(f) {
            let ty = self.inner.types.get(e.ty);
            for (i, (r, t)) in results.iter_mut().zip(ty.results()).enumerate() {
                *r = Val::from_slot(slots[i], *t, id);
            }
        }
    }

    /// Calls `f` with `params`, writing `results`; checks types and counts.
    pub(crate) fn call_untyped(
        &mut self,
        f: Func,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let mut slots = self.untyped_io(f, params, results)?;
        self.call_raw(f, &mut slots)?;
        self.untyped_results(f, &slots, results);
        Ok(())
    }

    /// Calls `f` (types already checked): arguments in, results out of `io`,
    /// which holds at least `max(params, results)` slots.
    pub(crate) fn call_raw(&mut self, f: Func, io: &mut [u64]) -> Result<(), Trap> {
        match self.call_raw_with(f, io, false)? {
            Called::Finished => Ok(()),
            // not resumable: a suspension is a trap
            Called::Suspended(_) => Err(trap(TrapKind::Host(
                "internal error: a plain call suspended".into(),
            ))),
        }
    }

    /// `call_raw`, or a resumable call: then a stop for fuel, an interruption
    /// or a host function's yield suspends the call instead of trapping.
    pub(crate) fn call_raw_with(
        &mut self,
        f: Func,
        io: &mut [u64],
        resumable: bool,
    ) -> Result<Called, Trap> {
        let e = self
            .func_entity(f)
            .map_err(|e| Trap::new(TrapKind::Host(e.to_string().into())))?;
        match e.kind {
            FuncKind::Host(h) => {
                if self.inner.reentry >= self.inner.config.max_reentry {
                    return Err(trap(TrapKind::StackOverflow));
                }
                self.inner.reentry += 1;
                let func = self.hosts[h as usize].func.clone();
                let r = func(
                    Caller {
                        store: self,
                        instance: None,
                    },
                    io,
                );
                self.inner.reentry -= 1;
                r.map(|()| Called::Finished)
            }
            FuncKind::Wasm { instance, code } => {
                let mut stack = match self.inner.spare_stack.take() {
                    Some(s) => s,
                    None => Stack::new(self.inner.config.max_stack_slots as usize)?,
                };
                match self.enter_entry(&mut stack, instance, code, io) {
                    Ok((regs, results)) => self.proceed(stack, regs, results, io, resumable),
                    Err(t) => {
                        self.inner.spare_stack = Some(stack);
                        Err(t)
                    }
                }
            }
        }
    }

    /// Runs a started or suspended call on until it ends or suspends again
    /// (only when `resumable`); a finished call's results go to `io`.
    fn proceed(
        &mut self,
        mut stack: Stack,
        mut regs: Resume,
        results: usize,
        io: &mut [u64],
        resumable: bool,
    ) -> Result<Called, Trap> {
        if self.inner.reentry >= self.inner.config.max_reentry {
            self.recycle(stack);
            return Err(trap(TrapKind::StackOverflow));
        }
        self.inner.reentry += 1;
        let r = self.drive(&mut stack, &mut regs, resumable);
        self.inner.reentry -= 1;
        match r {
            Ok(Driven::Done) => {
                io[..results].copy_from_slice(&stack.slots.as_mut_slice()[1..1 + results]);
                self.recycle(stack);
                Ok(Called::Finished)
            }
            Ok(Driven::Suspended { reason, host }) => Ok(Called::Suspended(Invocation {
                store: self.inner.shared.clone(),
                stack,
                regs,
                results,
                reason,
                host,
            })),
            Err(t) => {
                self.recycle(stack);
                Err(t)
            }
        }
    }

    /// Keeps `stack` for the next call.
    fn recycle(&mut self, mut stack: Stack) {
        stack.frames.clear();
        self.inner.spare_stack = Some(stack);
    }

    /// Sets up `stack` for a call of wasm function `code` of `instance` with
    /// the arguments in `io`: the entry frame's registers, and the function's
    /// result count.
    fn enter_entry(
        &mut self,
        stack: &mut Stack,
        instance: u32,
        code: u32,
        io: &[u64],
    ) -> Result<(Resume, usize), Trap> {
        let metered = self.inner.config.metered();
        let func: &FuncCode = self.inner.instances[instance as usize]
            .module
            .code_in(code, metered);
        let (params, results, locals) = (
            func.params as usize,
            func.results as usize,
            func.locals as usize,
        );
        // The entry frame starts at slot 1: slot 0 is where the cached stack top
        // is spilled while the frame's operand stack is empty (see `raw::Sp`).
        if 1 + func.frame_slots().max(results) > stack.slots.len() {
            return Err(trap(TrapKind::StackOverflow));
        }
        {
            let slots = stack.slots.as_mut_slice();
            slots[1..1 + params].copy_from_slice(&io[..params]);
            slots[1 + params..1 + params + locals].fill(0);
        }
        stack.frames.clear();
        let regs = Resume {
            inst: instance,
            code,
            ip: 0,
            base: 1,
            sp: 1 + params + locals + 1,
        };
        Ok((regs, results))
    }

    /// Runs the call on `stack` from `regs` until the entry function returns,
    /// performing the host calls it makes; when `resumable`, stops for fuel,
    /// interruptions and host yields suspend it (`regs` then tells where).
    fn drive(
        &mut self,
        stack: &mut Stack,
        regs: &mut Resume,
        resumable: bool,
    ) -> Result<Driven, Trap> {
        // One snapshot of the host functions, taken at the first host call of this
        // entry rather than an `Arc` clone per call; refreshed if the guest reaches a
        // host function created meanwhile.
        let mut hosts: Option<Arc<Vec<HostFuncEntity<T>>>> = None;
        loop {
            match run(&mut self.inner, stack, regs) {
                Ok(Exit::Done) => return Ok(Driven::Done),
                Ok(Exit::Host { host }) => {
                    let hosts = match hosts.take() {
                        Some(h) if (host as usize) < h.len() => hosts.insert(h),
                        _ => hosts.insert(self.hosts.clone()),
                    };
                    let h = &hosts[host as usize];
                    let (p, r) = (h.params as usize, h.results as usize);
                    let at = regs.sp - p;
                    if at + p.max(r) > stack.slots.len() {
                        return Err(self.with_backtrace(
                            trap(TrapKind::StackOverflow),
                            stack,
                            regs,
                        ));
                    }
                    let instance = Some(Instance::from_parts(self.inner.id, regs.inst));
                    let caller = Caller {
                        store: self,
                        instance,
                    };
                    if let Err(t) =
                        (h.func)(caller, &mut stack.slots.as_mut_slice()[at..at + p.max(r)])
                    {
                        if resumable && matches!(t.kind(), TrapKind::HostYield) {
                            // `regs` stays at the call: resuming writes the results
                            return Ok(Driven::Suspended {
                                reason: SuspendReason::HostYield,
                                host: Some(HostWait {
                                    at,
                                    results: self.inner.types.get(h.ty).results().into(),
                                }),
                            });
                        }
                        return Err(self.with_backtrace(t, stack, regs));
                    }
                    regs.sp = at + r;
                }
                Err(t) => {
                    let reason = match t.kind() {
                        TrapKind::OutOfFuel => Some(SuspendReason::OutOfFuel),
                        TrapKind::Interrupted => Some(SuspendReason::Interrupted),
                        TrapKind::DeadlineExceeded => Some(SuspendReason::DeadlineExceeded),
                        _ => None,
                    };
                    if let Some(reason) = reason.filter(|_| resumable) {
                        // a `Fuel` op stopped the run, changing nothing: `regs` is where
                        // it continues
                        return Ok(Driven::Suspended { reason, host: None });
                    }
                    return Err(self.with_backtrace(t, stack, regs));
                }
            }
        }
    }

    /// Continues suspended call `call` with `host_results` as the results of
    /// the host function that yielded (none for the other reasons).
    pub(crate) fn resume_raw(
        &mut self,
        mut call: Invocation,
        host_results: &[Val],
        io: &mut [u64],
    ) -> Result<Called, Error> {
        if !Arc::ptr_eq(&call.store, &self.inner.shared) {
            return Err(Error::config(
                "a suspended call resumed with another store than the one that started it",
            ));
        }
        match call.host.take() {
            Some(wait) => {
                crate::store::val_type_check(host_results, &wait.results, "host results")?;
                let id = self.inner.id;
                let slots = call.stack.slots.as_mut_slice();
                for (i, v) in host_results.iter().enumerate() {
                    slots[wait.at + i] = v.to_slot(id)?;
                }
                call.regs.sp = wait.at + host_results.len();
            }
            None if !host_results.is_empty() => {
                return Err(Error::ty(format!(
                    "expected 0 host results to resume a call suspended as {:?}, got {}",
                    call.reason,
                    host_results.len()
                )));
            }
            None => {}
        }
        Ok(self.proceed(call.stack, call.regs, call.results, io, true)?)
    }

    #[cold]
    fn with_backtrace(&self, t: Trap, stack: &Stack, regs: &Resume) -> Trap {
        if t.exit_status().is_some() {
            return t;
        }
        let info = |inst: u32, code: u32| {
            let m = &self.inner.instances[inst as usize].module;
            let index = m.num_imported_funcs + code;
            FrameInfo {
                module: m.name.clone(),
                func_index: index,
                func_name: m.func_names.get(&index).cloned(),
            }
        };
        let mut frames = vec![info(regs.inst, regs.code)];
        frames.extend(
            stack
                .frames
                .iter()
                .rev()
                .take(Trap::MAX_FRAMES - 1)
                .map(|f| info(f.inst, f.code)),
        );
        let omitted = (stack.frames.len() + 1).saturating_sub(Trap::MAX_FRAMES);
        t.with_backtrace(frames, omitted)
    }
}

/// The hot registers of the running function. Both dispatch backends keep them
/// in machine registers: the loop as locals, the threaded backend as handler
/// arguments.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Regs {
    /// The next op to execute.
    pub ip: Ip,
    /// The next free value-stack slot.
    pub sp: Sp,
    /// The frame's locals.
    pub lp: Locals,
    /// The current instance's memory 0.
    pub mem: MemView,
}

impl Regs {
    /// Jumps by a branch's relative target (counted from the op after the branch).
    #[inline(always)]
    pub fn jump(&mut self, target: u32) {
        self.ip = self.ip.offset(target);
    }

    /// Jumps if `cond`. The hint keeps a branch: left alone, LLVM turns this into
    /// a conditional move of `ip`, which makes the next dispatch wait for the
    /// condition instead of predicting it.
    #[inline(always)]
    pub fn jump_if(&mut self, cond: bool, target: u32) {
        if cond {
            self.jump(target);
        } else {
            core::hint::cold_path();
        }
    }

    /// Takes entry `i` of the `br_table` whose entries start at `ip`, when it
    /// is a `Jump` (always, in a `BrTableJump`); any other entry is left to
    /// run as the next op, which is the same branch.
    #[inline(always)]
    pub fn table_jump(&mut self, i: u32) {
        self.ip = self.ip.offset(i);
        if let crate::bytecode::Op::Jump { target } = self.ip.get() {
            self.ip = self.ip.next().offset(target);
        }
    }

    /// As `table_jump`, for a `BrTable`, whose entries are mostly `Br`s.
    #[inline(always)]
    pub fn table_branch(&mut self, i: u32) {
        self.ip = self.ip.offset(i);
        if let crate::bytecode::Op::Br { target, drop, keep } = self.ip.get() {
            self.ip = self.ip.next();
            self.branch(target, drop, keep);
        }
    }

    /// Jumps, moving the top `keep` slots down over `drop` slots.
    #[inline(always)]
    pub fn branch(&mut self, target: u32, drop: u32, keep: u32) {
        self.sp.drop_keep(drop as usize, keep as usize);
        self.jump(target);
    }
}

/// Why an op stops the run; the details wait in `Cx` (`host`, `trap`). A
/// one-byte scalar, so that a threaded handler returns its successor's result
/// unchanged and LLVM can make that call a jump.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Break {
    /// The entry function returned.
    Done,
    /// The guest called the host function `Cx::host`.
    Host,
    /// The op trapped with `Cx::trap`.
    Trap,
    /// A call or return crossed into instance `Cx::inst_id`, whose memory and
    /// entity `run` takes before continuing. Out of the handlers' way, so that
    /// calls and returns within an instance save no registers.
    Reenter,
}

/// What the complex op bodies (calls, tables, bulk memory) return; a trap's
/// kind is already in `Cx::trap`.
pub(crate) type Flow = Result<(), Break>;

/// The traps simple ops raise: a byte, so that raising one costs the hot path
/// nothing (see `halt`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum TrapCode {
    Unreachable,
    MemoryOutOfBounds,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
}

impl From<TrapCode> for TrapKind {
    fn from(code: TrapCode) -> TrapKind {
        match code {
            TrapCode::Unreachable => TrapKind::Unreachable,
            TrapCode::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
            TrapCode::IntegerOverflow => TrapKind::IntegerOverflow,
            TrapCode::IntegerDivideByZero => TrapKind::IntegerDivideByZero,
            TrapCode::InvalidConversionToInteger => TrapKind::InvalidConversionToInteger,
        }
    }
}

/// Why an op body stops the run: a `Break` or a `TrapCode`, in one byte so
/// that `halt` takes only register arguments.
#[derive(Copy, Clone, Debug)]
#[repr(u8)]
pub(crate) enum Stop {
    Done,
    Host,
    Trapped,
    Reenter,
    Unreachable,
    MemoryOutOfBounds,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
}

impl From<Break> for Stop {
    #[inline(always)]
    fn from(b: Break) -> Stop {
        match b {
            Break::Done => Stop::Done,
            Break::Host => Stop::Host,
            Break::Trap => Stop::Trapped,
            Break::Reenter => Stop::Reenter,
        }
    }
}

impl From<TrapCode> for Stop {
    #[inline(always)]
    fn from(code: TrapCode) -> Stop {
        match code {
            TrapCode::Unreachable => Stop::Unreachable,
            TrapCode::MemoryOutOfBounds => Stop::MemoryOutOfBounds,
            TrapCode::IntegerOverflow => Stop::IntegerOverflow,
            TrapCode::IntegerDivideByZero => Stop::IntegerDivideByZero,
            TrapCode::InvalidConversionToInteger => Stop::InvalidConversionToInteger,
        }
    }
}

/// The results an op body may produce: nothing, a trap code, or a `Flow`.
pub(crate) trait Outcome {
    fn stop(self) -> Result<(), Stop>;
}

impl Outcome for () {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl Outcome for Result<(), TrapCode> {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        self.map_err(Stop::from)
    }
}

impl Outcome for Flow {
    #[inline(always)]
    fn stop(self) -> Result<(), Stop> {
        self.map_err(Stop::from)
    }
}

/// Runs one op body. Bodies are closures so that both backends expand the same
/// text; this call gives the closure its parameter types.
#[inline(always)]
pub(crate) fn step<'a, O: Outcome>(
    body: impl FnOnce(&mut Regs, &mut Cx<'a>) -> O,
    r: &mut Regs,
    cx: &mut Cx<'a>,
) -> Result<(), Stop> {
    body(r, cx).stop()
}

/// Ends a run at `stop`: records a trap's kind and where the run stopped.
/// Takes the registers as plain values, so that both backends reach it with a
/// jump; their order is a threaded handler's, with `stop` in the argument
/// slot handlers leave free, so a handler jumps here without moving a register.
#[cold]
#[inline(never)]
pub(crate) fn halt(
    cx: &mut Cx<'_>,
    ip: Ip,
    sp: *mut u64,
    stop: Stop,
    lp: Locals,
    tos: u64,
) -> Break {
    let r = Regs {
        ip,
        sp: Sp::from_parts(sp, tos),
        lp,
        mem: MemView::empty(),
    };
    cx.save(&r);
    let code = match stop {
        Stop::Done => return Break::Done,
        Stop::Host => return Break::Host,
        Stop::Trapped => return Break::Trap,
        Stop::Reenter => return Break::Reenter,
        Stop::Unreachable => TrapCode::Unreachable,
        Stop::MemoryOutOfBounds => TrapCode::MemoryOutOfBounds,
        Stop::IntegerOverflow => TrapCode::IntegerOverflow,
        Stop::IntegerDivideByZero => TrapCode::IntegerDivideByZero,
        Stop::InvalidConversionToInteger => TrapCode::InvalidConversionToInteger,
    };
    cx.fail(code.into())
}

/// The state of a run that ops need less often than the registers: the store's
/// objects, the frame records and the running function.
pub(crate) struct Cx<'a> {
    config: crate::store::Config,
    funcs: &'a [crate::store::FuncEntity],
    tables: &'a mut [crate::store::TableEntity],
    memories: &'a mut [MemoryEntity],
    globals: &'a mut [crate::store::GlobalEntity],
    instances: &'a [crate::store::InstanceEntity],
    elems: &'a mut [Vec<u64>],
    datas: &'a mut [crate::store::DataEntity],
    /// The store's resource limiter, asked by `memory.grow` and `table.grow`.
    limiter: &'a mut Option<Box<dyn crate::store::limits::ResourceLimiter>>,
    frames: &'a mut Vec<Frame>,
    /// Slot 0 of the value stack, and its length in slots.
    buf: *mut u64,
    limit: usize,
    /// The running instance (store index) and its entity.
    inst_id: u32,
    inst: &'a crate::store::InstanceEntity,
    /// Store index of the running instance's memory 0.
    mem_id: Option<u32>,
    /// The length of the current memory view (`Regs::mem`): the threaded
    /// backend passes only the base between handlers.
    pub(crate) mem_len: usize,
    /// Byte 0 of that memory (the threaded handlers take it from here).
    pub(crate) mem_ptr: *mut u8,
    /// The running function (code index in its module) and its code.
    code_id: u32,
    code: &'a FuncCode,
    /// The running instance's module's bytecode of the kind this store runs
    /// (plain or metered: `ModuleInner::codes`), by code index.
    codes: &'a [OnceLock<FuncCode>],
    /// The fuel left (`u64::MAX` when the store does not consume fuel); the
    /// store's count while the run lasts.
    fuel: u64,
    /// The store's pending interruption (`store::fuel`).
    interrupt: &'a AtomicU8,
    /// The kind of the trap that stopped the run.
    trap: Option<TrapKind>,
    /// The host function the guest called.
    host: u32,
    /// Where the run stopped.
    at: Resume,
}

impl<'a> Cx<'a> {
    /// Records a trap; gives the `Break` that reports it.
    #[cold]
    #[inline(never)]
    fn fail(&mut self, kind: TrapKind) -> Break {
        self.trap = Some(kind);
        Break::Trap
    }

    /// The registers at `self.at` (memory then holds the whole stack), with
    /// memory view `mem`.
    fn regs_at(&self, mem: MemView) -> Regs {
        let mut sp = Sp::at(self.buf, self.at.sp);
        sp.reload();
        Regs {
            ip: Ip::at(&self.code.ops, self.at.ip),
            sp,
            lp: Locals::new(self.buf.wrapping_add(self.at.base)),
            mem,
        }
    }

    /// An op reached a handler for another op: impossible by construction.
    #[cold]
    #[inline(never)]
    fn misdispatch(&mut self) -> Break {
        self.fail(TrapKind::Host(
            "internal error: op dispatched to the wrong handler".into(),
        ))
    }

    /// Records where the run stopped.
    /// Memory then holds the whole stack (the cached top is spilled).
    #[inline(always)]
    fn save(&mut self, r: &Regs) {
        r.sp.spill();
        self.at = Resume {
            inst: self.inst_id,
            code: self.code_id,
            ip: r.ip.index_in(&self.code.ops),
            base: r.lp.index_from(self.buf),
            sp: r.sp.offset_from(self.buf),
        };
    }

    /// A view of the running instance's memory 0.
    /// Keeps `mem_len` equal to the view's length.
    #[inline(always)]
    fn mem_view(&mut self) -> MemView {
        let view = match self.mem_id {
            Some(m) => MemView::new(self.memories[m as usize].data_mut()),
            None => MemView::empty(),
        };
        self.mem_len = view.len();
        self.mem_ptr = view.ptr();
        view
    }

    /// Makes instance `id` the running one. Out of line: calls and returns
    /// within one instance must not pay for it in saved registers.
    #[cold]
    #[inline(never)]
    fn switch_instance(&mut self, id: u32) -> MemView {
        self.inst_id = id;
        self.inst = &self.instances[id as usize];
        self.codes = self.inst.module.codes(self.config.metered());
        self.mem_id = self.inst.memories.first().copied();
        self.mem_view()
    }

    /// Enters `callee` (code `c` of the running instance's module), whose
    /// arguments are on top of the stack.
    #[inline(always)]
    fn call_local(&mut self, r: &mut Regs, c: u32) -> Flow {
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
        r.ip = Ip::start(&callee.ops);
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
    fn call(&mut self, r: &mut Regs, handle: u32) -> Flow {
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
    fn call_indirect(&mut self, r: &mut Regs, ty: u32, table: u32) -> Flow {
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
    fn ret(&mut self, r: &mut Regs) -> Flow {
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
    fn ret1(&mut self, r: &mut Regs) -> Flow {
        r.sp = Sp::from_parts(r.lp.ptr().wrapping_add(1), r.sp.tos());
        self.pop_frame(r)
    }

    /// Pays `amount` fuel for the segment a `Fuel` op starts; stops the run
    /// at that op when the store cannot pay or an interruption is pending.
    #[inline(always)]
    fn fuel(&mut self, r: &mut Regs, amount: u32) -> Flow {
        let amount = amount as u64;
        if self.fuel < amount || self.interrupt.load(Ordering::Relaxed) != NO_REQUEST {
            // back to the `Fuel` op: resuming runs it again
            r.ip = r.ip.offset(u32::MAX);
            return Err(self.fuel_stop());
        }
        self.fuel -= amount;
        Ok(())
    }

    /// Why a `Fuel` op stops the run: the pending interruption (now consumed),
    /// else the lack of fuel.
    #[cold]
    #[inline(never)]
    fn fuel_stop(&mut self) -> Break {
        let kind = match self.interrupt.swap(NO_REQUEST, Ordering::Relaxed) {
            INTERRUPT => TrapKind::Interrupted,
            DEADLINE => TrapKind::DeadlineExceeded,
            _ => TrapKind::OutOfFuel,
        };
        self.fail(kind)
    }

    /// Pays for the size of the bulk op that follows a `FuelBulk` op: its
    /// count `n` (the stack top) costs `n >> shift`; stops the run at the
    /// `FuelBulk` op, operands in place, when the store cannot pay.
    #[inline(always)]
    fn fuel_bulk(&mut self, r: &mut Regs, shift: u32) -> Flow {
        let cost = (r.sp.top() as u32 as u64) >> shift;
        if self.fuel < cost {
            r.ip = r.ip.offset(u32::MAX);
            return Err(self.fail(TrapKind::OutOfFuel));
        }
        self.fuel -= cost;
        Ok(())
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
        set_debug_code(&self.code.ops);
        if f.inst != self.inst_id {
            self.inst_id = f.inst;
            return Err(Break::Reenter);
        }
        Ok(())
    }

    /// The store index of the running instance's global `i`.
    #[inline(always)]
    fn global(&self, i: u32) -> usize {
        self.inst.globals[i as usize] as usize
    }

    /// The running instance's table `t`.
    #[inline(always)]
    fn table(&mut self, t: u32) -> &mut crate::store::TableEntity {
        &mut self.tables[self.inst.tables[t as usize] as usize]
    }

    /// The running instance's memory 0. Validation admits memory ops only in
    /// modules with a memory; without one they act on an empty memory.
    fn memory(&mut self) -> Option<&mut MemoryEntity> {
        Some(&mut self.memories[self.mem_id? as usize])
    }

    #[inline(never)]
    fn memory_size(&mut self) -> u64 {
        self.memory().map_or(0, |m| m.pages() as u64)
    }

    /// `memory.grow`: the old size, or -1 when refused (by the maximum or
    /// the store's limiter); a trap when the limiter fails.
    #[inline(never)]
    fn memory_grow(&mut self, n: u32) -> Result<u64, Break> {
        let Some(m) = self.mem_id else {
            return Ok(u32::MAX as u64);
        };
        match crate::store::limits::grow_memory(&mut self.memories[m as usize], self.limiter, n) {
            Ok(old) => Ok(old.unwrap_or(u32::MAX) as u64),
            Err(e) => Err(self.fail(TrapKind::Host(Box::new(e)))),
        }
    }

    #[inline(never)]
    fn memory_init(&mut self, seg: u32, d: u64, s: u64, n: u64) -> Flow {
        let datas = &*self.datas;
        let bytes = datas[self.inst.datas[seg as usize] as usize].bytes();
        let mem: &mut [u8] = match self.mem_id {
            Some(m) => self.memories[m as usize].data_mut(),
            None => &mut [],
        };
        if !in_bounds(s, n, bytes.len()) || !in_bounds(d, n, mem.len()) {
            return Err(self.fail(TrapKind::MemoryOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        mem[d..d + n].copy_from_slice(&bytes[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    fn data_drop(&mut self, seg: u32) {
        self.datas[self.inst.datas[seg as usize] as usize].dropped = true;
    }

    #[inline(never)]
    fn table_get(&mut self, t: u32, i: u32) -> Result<u64, Break> {
        match self.table(t).elems.get(i as usize) {
            Some(&e) => Ok(e),
            None => Err(self.fail(TrapKind::TableOutOfBounds)),
        }
    }

    #[inline(never)]
    fn table_set(&mut self, t: u32, i: u32, e: u64) -> Flow {
        match self.table(t).elems.get_mut(i as usize) {
            Some(slot) => {
                *slot = e;
                Ok(())
            }
            None => Err(self.fail(TrapKind::TableOutOfBounds)),
        }
    }

    #[inline(never)]
    fn table_size(&mut self, t: u32) -> u64 {
        self.table(t).elems.len() as u64
    }

    /// `table.grow`: the old size, or -1 when refused; a trap when the
    /// store's limiter fails.
    #[inline(never)]
    fn table_grow(&mut self, t: u32, n: u32, init: u64) -> Result<u64, Break> {
        let t = self.inst.tables[t as usize] as usize;
        match crate::store::limits::grow_table(&mut self.tables[t], self.limiter, n, init) {
            Ok(old) => Ok(old.unwrap_or(u32::MAX) as u64),
            Err(e) => Err(self.fail(TrapKind::Host(Box::new(e)))),
        }
    }

    #[inline(never)]
    fn table_fill(&mut self, t: u32, i: u64, e: u64, n: u64) -> Flow {
        let t = self.table(t);
        if !in_bounds(i, n, t.elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        t.elems[i as usize..(i + n) as usize].fill(e);
        Ok(())
    }

    #[inline(never)]
    fn table_copy(&mut self, dst: u32, src: u32, d: u64, s: u64, n: u64) -> Flow {
        let (dt, st) = (
            self.inst.tables[dst as usize] as usize,
            self.inst.tables[src as usize] as usize,
        );
        let tables = &mut *self.tables;
        if !in_bounds(s, n, tables[st].elems.len()) || !in_bounds(d, n, tables[dt].elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        if dt == st {
            tables[dt].elems.copy_within(s..s + n, d);
        } else {
            let (lo, hi) = tables.split_at_mut(dt.max(st));
            let (a, b) = (&mut lo[dt.min(st)], &mut hi[0]);
            let (dtab, stab) = if dt < st { (a, b) } else { (b, a) };
            dtab.elems[d..d + n].copy_from_slice(&stab.elems[s..s + n]);
        }
        Ok(())
    }

    #[inline(never)]
    fn table_init(&mut self, table: u32, elem: u32, d: u64, s: u64, n: u64) -> Flow {
        let seg = &self.elems[self.inst.elems[elem as usize] as usize];
        let t = &mut self.tables[self.inst.tables[table as usize] as usize];
        if !in_bounds(s, n, seg.len()) || !in_bounds(d, n, t.elems.len()) {
            return Err(self.fail(TrapKind::TableOutOfBounds));
        }
        let (s, d, n) = (s as usize, d as usize, n as usize);
        t.elems[d..d + n].copy_from_slice(&seg[s..s + n]);
        Ok(())
    }

    #[inline(never)]
    fn elem_drop(&mut self, e: u32) {
        self.elems[self.inst.elems[e as usize] as usize] = Vec::new();
    }
}

/// Sets up a frame for `callee` whose arguments are the top slots (at slot
/// index `sp`), after saving the caller; gives the new frame's base index, or
/// `None` when a limit is reached. This is where the stack invariant of `raw`
/// is established.
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

/// `start + len <= bound`, in 64-bit arithmetic.
#[inline(always)]
fn in_bounds(start: u64, len: u64, bound: usize) -> bool {
    start + len <= bound as u64
}

/// Runs from `at` until the entry function returns, a host function must be
/// called, or a trap; `at` then describes the point reached.
fn run(store: &mut StoreInner, stack: &mut Stack, at: &mut Resume) -> Result<Exit, Trap> {
    let StoreInner {
        config,
        funcs,
        tables,
        memories,
        globals,
        instances,
        elems,
        datas,
        limiter,
        fuel,
        shared,
        ..
    } = store;
    let buf = stack.slots.base();
    let limit = stack.slots.len();
    set_debug_bounds(buf, limit);
    let inst = &instances[at.inst as usize];
    let metered = config.metered();
    let code: &FuncCode = inst.module.code_in(at.code, metered);
    let mut cx = Cx {
        config: *config,
        funcs,
        tables,
        memories,
        globals,
        instances,
        elems,
        datas,
        limiter,
        frames: &mut stack.frames,
        buf,
        limit,
        inst_id: at.inst,
        inst,
        mem_id: inst.memories.first().copied(),
        mem_len: 0,
        mem_ptr: core::ptr::null_mut(),
        code_id: at.code,
        code,
        codes: inst.module.codes(metered),
        fuel: if config.consume_fuel { *fuel } else { u64::MAX },
        interrupt: &shared.interrupt,
        trap: None,
        host: 0,
        at: *at,
    };
    let mut mem = cx.mem_view();
    let b = loop {
        let r = cx.regs_at(mem);
        match dispatch::run(&mut cx, r) {
            // Continue in the instance the run crossed into.
            Break::Reenter => mem = cx.switch_instance(cx.at.inst),
            b => break b,
        }
    };
    *at = cx.at;
    if cx.config.consume_fuel {
        *fuel = cx.fuel;
    }
    match b {
        Break::Done => Ok(Exit::Done),
        Break::Host => Ok(Exit::Host { host: cx.host }),
        Break::Trap | Break::Reenter => {
            Err(Trap::new(cx.trap.take().unwrap_or_else(|| {
                TrapKind::Host("a trap without a kind".into())
            })))
        }
    }
}
