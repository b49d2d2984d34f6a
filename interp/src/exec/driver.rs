//! Entering and driving a call from the store: the entry frame, the loop that
//! runs the guest and performs its host calls between runs (`run`, `drive`),
//! suspending and resuming resumable calls on slots, and trap backtraces.

use super::SuspendReason;
use super::flow::Break;
use super::{Cx, dispatch};
use crate::bytecode::FuncCode;
use crate::error::{Error, FrameInfo, Trap, TrapKind};
use crate::stack::Stack;
use crate::stack::raw::set_debug_bounds;
use crate::store::{Caller, FuncKind, HostFuncEntity, Instance, Store, StoreInner};
use crate::types::ValType;
use crate::value::{Func, Val};
use std::sync::Arc;

/// Where a run of the loop stopped (or starts): the running function and its
/// registers as indices.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Resume {
    pub(super) inst: u32,
    pub(super) code: u32,
    pub(super) ip: usize,
    pub(super) base: usize,
    pub(super) sp: usize,
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
        // is spilled while the frame's operand stack is empty (see `stack::raw::Sp`).
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
                .map(|f| info(f.inst, f.code_ptr.get().index)),
        );
        let omitted = (stack.frames.len() + 1).saturating_sub(Trap::MAX_FRAMES);
        t.with_backtrace(frames, omitted)
    }
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
        // Moved in for the run (and back below): a call or return then finds
        // the records' length and address in `Cx` itself, one load nearer.
        // A panic inside the run would leave the stack without its records,
        // which only the call that panicked used.
        frames: core::mem::take(&mut stack.frames),
        buf,
        stack_end: buf.wrapping_add(limit),
        inst_id: at.inst,
        inst,
        gbase: inst.global_base as usize,
        mem_id: inst.memories.first().copied(),
        mem_len: 0,
        mem_ptr: core::ptr::null_mut(),
        code,
        codes: inst.module.codes(metered),
        fuel: if config.consume_fuel { *fuel } else { u64::MAX },
        interrupt: &shared.interrupt,
        trap: None,
        host: 0,
        untranslated: None,
        at: *at,
    };
    let b = loop {
        // The memory as it is now: a run may have grown it before stopping.
        let mem = cx.mem_view();
        let r = cx.regs_at(mem);
        match dispatch::run(&mut cx, r) {
            // Continue in the instance the run crossed into.
            Break::Reenter => cx.switch_instance(cx.at.inst),
            // Back to the call op, with what it needs.
            Break::Prepare => {
                if let Err(b) = cx.prepare() {
                    break b;
                }
            }
            b => break b,
        }
    };
    *at = cx.at;
    stack.frames = core::mem::take(&mut cx.frames);
    if cx.config.consume_fuel {
        *fuel = cx.fuel;
    }
    match b {
        Break::Done => Ok(Exit::Done),
        Break::Host => Ok(Exit::Host { host: cx.host }),
        Break::Trap | Break::Reenter | Break::Prepare => {
            Err(Trap::new(cx.trap.take().unwrap_or_else(|| {
                TrapKind::Host("a trap without a kind".into())
            })))
        }
    }
}
