//! The executor: one dispatch loop over wisp bytecode with an explicit frame
//! stack (no host recursion per guest call), and the driver that performs host
//! calls between runs of the loop.

pub(crate) mod numeric;
#[cfg(test)]
mod tests;
use numeric::{f32_ops, f64_ops, i32_bits, i64_bits};
mod raw;

use crate::bytecode::{FuncCode, Op};
use crate::error::{Error, FrameInfo, Trap, TrapKind};
use crate::host::Caller;
use crate::store::memory::MemoryEntity;
use crate::store::{FuncKind, HostFuncEntity, Instance, Store, StoreInner};
use crate::value::{Func, Val};
use raw::{Locals, MemView, SlotBuf, Sp, fetch, set_debug_bounds};
use std::sync::Arc;

/// The caller's state saved by a guest-to-guest call.
#[derive(Copy, Clone, Debug)]
struct Frame {
    inst: u32,
    code: u32,
    ip: u32,
    /// Slot index of the caller's frame base.
    base: u32,
}

/// A value stack (untyped 64-bit slots, fixed address) and its frame records.
pub(crate) struct Stack {
    slots: SlotBuf,
    frames: Vec<Frame>,
}

impl Stack {
    fn new(slots: usize) -> Result<Stack, Trap> {
        Ok(Stack {
            slots: SlotBuf::new(slots)?,
            frames: Vec::new(),
        })
    }
}

/// The registers of the running function, as slot indices.
#[derive(Copy, Clone, Debug)]
struct Regs {
    inst: u32,
    code: u32,
    ip: usize,
    base: usize,
    sp: usize,
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
    /// Calls `f` with `params`, writing `results`; checks types and counts.
    pub(crate) fn call_untyped(
        &mut self,
        f: Func,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        let e = self.func_entity(f)?;
        let ty = self.inner.types.get(e.ty).clone();
        crate::store::val_type_check(params, ty.params(), "arguments")?;
        if results.len() != ty.results().len() {
            return Err(Error::ty(format!(
                "expected {} results, got room for {}",
                ty.results().len(),
                results.len()
            )));
        }
        let mut slots: Vec<u64> = params.iter().map(|v| v.to_slot()).collect();
        slots.resize(params.len().max(results.len()), 0);
        self.call_raw(f, &mut slots)?;
        for (i, (r, t)) in results.iter_mut().zip(ty.results()).enumerate() {
            *r = Val::from_slot(slots[i], *t);
        }
        Ok(())
    }

    /// Calls `f` (types already checked): arguments in, results out of `io`,
    /// which holds at least `max(params, results)` slots.
    pub(crate) fn call_raw(&mut self, f: Func, io: &mut [u64]) -> Result<(), Trap> {
        let e = self
            .func_entity(f)
            .map_err(|_| Trap::host("function handle from another store"))?;
        if self.inner.reentry >= self.inner.config.max_reentry {
            return Err(trap(TrapKind::StackOverflow));
        }
        self.inner.reentry += 1;
        let r = match e.kind {
            FuncKind::Host(h) => {
                let func = self.hosts[h as usize].func.clone();
                func(
                    Caller {
                        store: self,
                        instance: None,
                    },
                    io,
                )
            }
            FuncKind::Wasm { instance, code } => {
                let stack = match self.inner.spare_stack.take() {
                    Some(s) => Ok(s),
                    None => Stack::new(self.inner.config.max_stack_slots as usize),
                };
                match stack {
                    Ok(mut stack) => {
                        let r = self.execute(&mut stack, instance, code, io);
                        stack.frames.clear();
                        self.inner.spare_stack = Some(stack);
                        r
                    }
                    Err(t) => Err(t),
                }
            }
        };
        self.inner.reentry -= 1;
        r
    }

    /// Runs wasm function `code` of `instance` to completion on `stack`.
    fn execute(
        &mut self,
        stack: &mut Stack,
        instance: u32,
        code: u32,
        io: &mut [u64],
    ) -> Result<(), Trap> {
        let func: &FuncCode = self.inner.instances[instance as usize].module.code(code);
        let (params, results, locals) = (
            func.params as usize,
            func.results as usize,
            func.locals as usize,
        );
        if func.frame_slots().max(results) > stack.slots.len() {
            return Err(trap(TrapKind::StackOverflow));
        }
        {
            let slots = stack.slots.as_mut_slice();
            slots[..params].copy_from_slice(&io[..params]);
            slots[params..params + locals].fill(0);
        }
        stack.frames.clear();
        let mut regs = Regs {
            inst: instance,
            code,
            ip: 0,
            base: 0,
            sp: params + locals,
        };
        // One snapshot of the host functions, taken at the first host call of this
        // entry rather than an `Arc` clone per call; refreshed if the guest reaches a
        // host function created meanwhile.
        let mut hosts: Option<Arc<Vec<HostFuncEntity<T>>>> = None;
        loop {
            match run(&mut self.inner, stack, &mut regs) {
                Ok(Exit::Done) => {
                    io[..results].copy_from_slice(&stack.slots.as_mut_slice()[..results]);
                    return Ok(());
                }
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
                            &regs,
                        ));
                    }
                    let caller = Caller {
                        store: self,
                        instance: Some(Instance(regs.inst)),
                    };
                    if let Err(t) =
                        (h.func)(caller, &mut stack.slots.as_mut_slice()[at..at + p.max(r)])
                    {
                        return Err(self.with_backtrace(t, stack, &regs));
                    }
                    regs.sp = at + r;
                }
                Err(t) => return Err(self.with_backtrace(t, stack, &regs)),
            }
        }
    }

    #[cold]
    fn with_backtrace(&self, t: Trap, stack: &Stack, regs: &Regs) -> Trap {
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

/// Sets up a frame for `callee` whose arguments are the top slots (at slot
/// index `sp`), after saving the caller; gives the new frame's base index.
/// This is where the stack invariant of `raw` is established.
#[inline(always)]
fn enter(
    frames: &mut Vec<Frame>,
    buf: *mut u64,
    limit: usize,
    config: &crate::store::Config,
    caller: Frame,
    sp: usize,
    callee: &FuncCode,
) -> Result<usize, Trap> {
    if frames.len() >= config.max_call_depth as usize {
        return Err(trap(TrapKind::StackOverflow));
    }
    let base = sp - callee.params as usize;
    if base + callee.frame_slots() > limit {
        return Err(trap(TrapKind::StackOverflow));
    }
    frames.push(caller);
    Locals::new(buf.wrapping_add(base)).zero(callee.params as usize, callee.locals as usize);
    Ok(base)
}

/// `start + len <= bound`, in 64-bit arithmetic.
#[inline(always)]
fn in_bounds(start: u64, len: u64, bound: usize) -> bool {
    start + len <= bound as u64
}

/// The dispatch loop. Returns when the entry function returns, when a host
/// function must be called, or with a trap; `regs` then describe the point reached.
fn run(store: &mut StoreInner, stack: &mut Stack, regs: &mut Regs) -> Result<Exit, Trap> {
    let StoreInner {
        config,
        funcs,
        tables,
        memories,
        globals,
        instances,
        elems,
        datas,
        ..
    } = store;
    let config = *config;
    let buf = stack.slots.base();
    let limit = stack.slots.len();
    set_debug_bounds(buf, limit);
    let frames = &mut stack.frames;
    'instance: loop {
        let inst = &instances[regs.inst as usize];
        let module = &*inst.module;
        let mut no_memory;
        let memory: &mut MemoryEntity = match inst.memories.first() {
            Some(&m) => &mut memories[m as usize],
            None => {
                no_memory = MemoryEntity::empty();
                &mut no_memory
            }
        };
        let mut mem = MemView::new(memory.data_mut());
        let mut code: &FuncCode = module.code(regs.code);
        let mut ops: &[Op] = &code.ops;
        let mut ip = regs.ip;
        let mut sp = Sp::at(buf, regs.sp);
        let mut locals = Locals::new(buf.wrapping_add(regs.base));

        macro_rules! save {
            () => {{
                regs.ip = ip;
                regs.sp = sp.offset_from(buf);
                regs.base = locals.index_from(buf);
            }};
        }
        macro_rules! bail {
            ($kind:expr) => {{
                save!();
                return Err(trap($kind));
            }};
        }
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(t) => {
                        save!();
                        return Err(t);
                    }
                }
            };
        }
        macro_rules! pop {
            () => {
                sp.pop()
            };
        }
        macro_rules! push {
            ($v:expr) => {{
                let v: u64 = $v;
                sp.push(v);
            }};
        }
        macro_rules! un {
            ($from:ident -> $to:ident, $f:expr) => {{
                let a = $from!(sp.top());
                sp.set_top($to!(($f)(a)));
            }};
        }
        macro_rules! bin {
            ($from:ident -> $to:ident, $f:expr) => {{
                let b = $from!(sp.pop());
                let a = $from!(sp.top());
                sp.set_top($to!(($f)(a, b)));
            }};
        }
        macro_rules! bin_trap {
            ($from:ident -> $to:ident, $f:expr) => {{
                let b = $from!(sp.pop());
                let a = $from!(sp.top());
                match ($f)(a, b) {
                    Ok(v) => sp.set_top($to!(v)),
                    Err(kind) => bail!(kind),
                }
            }};
        }
        macro_rules! un_trap {
            ($from:ident -> $to:ident, $f:expr) => {{
                let a = $from!(sp.top());
                match ($f)(a) {
                    Ok(v) => sp.set_top($to!(v)),
                    Err(kind) => bail!(kind),
                }
            }};
        }
        macro_rules! i32 {
            ($s:expr) => {
                $s as u32 as i32
            };
        }
        macro_rules! u32 {
            ($s:expr) => {
                $s as u32
            };
        }
        macro_rules! i64 {
            ($s:expr) => {
                $s as i64
            };
        }
        macro_rules! u64 {
            ($s:expr) => {
                $s
            };
        }
        macro_rules! f32 {
            ($s:expr) => {
                f32::from_bits($s as u32)
            };
        }
        macro_rules! f64 {
            ($s:expr) => {
                f64::from_bits($s)
            };
        }
        macro_rules! from_i32 {
            ($v:expr) => {
                $v as u32 as u64
            };
        }
        macro_rules! from_u32 {
            ($v:expr) => {
                $v as u64
            };
        }
        macro_rules! from_i64 {
            ($v:expr) => {
                $v as u64
            };
        }
        macro_rules! from_u64 {
            ($v:expr) => {
                $v
            };
        }
        macro_rules! from_f32 {
            ($v:expr) => {
                f32::to_bits($v) as u64
            };
        }
        macro_rules! from_f64 {
            ($v:expr) => {
                f64::to_bits($v)
            };
        }
        macro_rules! from_bool {
            ($v:expr) => {
                $v as u64
            };
        }
        macro_rules! load {
            ($off:expr, $n:literal, $conv:expr) => {{
                let a = sp.top();
                let bytes = tri!(mem.load::<$n>(a, $off));
                sp.set_top(($conv)(bytes));
            }};
        }
        macro_rules! store {
            ($off:expr, $n:literal, $conv:expr) => {{
                let v = sp.pop();
                let a = sp.pop();
                let bytes: [u8; $n] = ($conv)(v);
                tri!(mem.store::<$n>(a, $off, bytes));
            }};
        }
        // One-line bodies for the fused superinstructions (`bytecode` documents the forms).
        macro_rules! i32_sc {
            ($f:ident, $c:expr) => {
                sp.set_top(i32_bits::$f(sp.top() as u32, $c as u32) as u64)
            };
        }
        macro_rules! i32_sl {
            ($f:ident, $b:expr) => {
                sp.set_top(i32_bits::$f(sp.top() as u32, locals.get($b) as u32) as u64)
            };
        }
        macro_rules! i32_ll {
            ($f:ident, $a:expr, $b:expr) => {
                sp.push(i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64)
            };
        }
        macro_rules! i32_lc {
            ($f:ident, $a:expr, $c:expr) => {
                sp.push(i32_bits::$f(locals.get($a) as u32, $c as u32) as u64)
            };
        }
        macro_rules! i32_ll_to {
            ($f:ident, $a:expr, $b:expr, $d:expr) => {
                locals.set(
                    $d,
                    i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64,
                )
            };
        }
        macro_rules! i32_lc_to {
            ($f:ident, $a:expr, $c:expr, $d:expr) => {
                locals.set($d, i32_bits::$f(locals.get($a) as u32, $c as u32) as u64)
            };
        }
        macro_rules! i32_sc_to {
            ($f:ident, $c:expr, $d:expr) => {{
                let a = sp.pop() as u32;
                locals.set($d, i32_bits::$f(a, $c as u32) as u64);
            }};
        }
        macro_rules! i32_ll_tee {
            ($f:ident, $a:expr, $b:expr, $d:expr) => {{
                let v = i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) as u64;
                locals.set($d, v);
                sp.push(v);
            }};
        }
        macro_rules! i32_lc_tee {
            ($f:ident, $a:expr, $c:expr, $d:expr) => {{
                let v = i32_bits::$f(locals.get($a) as u32, $c as u32) as u64;
                locals.set($d, v);
                sp.push(v);
            }};
        }
        macro_rules! br_ss {
            ($f:ident, $t:expr) => {{
                let b = sp.pop() as u32;
                let a = sp.pop() as u32;
                if i32_bits::$f(a, b) {
                    ip = $t as usize;
                }
            }};
        }
        macro_rules! br_sc {
            ($f:ident, $c:expr, $t:expr) => {{
                if i32_bits::$f(sp.pop() as u32, $c as u32) {
                    ip = $t as usize;
                }
            }};
        }
        macro_rules! br_sl {
            ($f:ident, $b:expr, $t:expr) => {{
                if i32_bits::$f(sp.pop() as u32, locals.get($b) as u32) {
                    ip = $t as usize;
                }
            }};
        }
        macro_rules! br_ll {
            ($f:ident, $a:expr, $b:expr, $t:expr) => {{
                if i32_bits::$f(locals.get($a) as u32, locals.get($b) as u32) {
                    ip = $t as usize;
                }
            }};
        }
        macro_rules! br_lc {
            ($f:ident, $a:expr, $c:expr, $t:expr) => {{
                if i32_bits::$f(locals.get($a) as u32, $c as u32) {
                    ip = $t as usize;
                }
            }};
        }
        macro_rules! i64_sc {
            ($f:ident, $c:expr) => {
                sp.set_top(i64_bits::$f(sp.top(), $c as i64 as u64))
            };
        }
        macro_rules! i64_sl {
            ($f:ident, $b:expr) => {
                sp.set_top(i64_bits::$f(sp.top(), locals.get($b)))
            };
        }
        macro_rules! i64_ll {
            ($f:ident, $a:expr, $b:expr) => {
                sp.push(i64_bits::$f(locals.get($a), locals.get($b)))
            };
        }
        macro_rules! i64_lc {
            ($f:ident, $a:expr, $c:expr) => {
                sp.push(i64_bits::$f(locals.get($a), $c as i64 as u64))
            };
        }
        macro_rules! f32_sl {
            ($f:ident, $b:expr) => {
                sp.set_top(f32_ops::$f(f32!(sp.top()), f32!(locals.get($b))).to_bits() as u64)
            };
        }
        macro_rules! f32_ll {
            ($f:ident, $a:expr, $b:expr) => {
                sp.push(f32_ops::$f(f32!(locals.get($a)), f32!(locals.get($b))).to_bits() as u64)
            };
        }
        macro_rules! f64_sl {
            ($f:ident, $b:expr) => {
                sp.set_top(f64_ops::$f(f64!(sp.top()), f64!(locals.get($b))).to_bits())
            };
        }
        macro_rules! f64_ll {
            ($f:ident, $a:expr, $b:expr) => {
                sp.push(f64_ops::$f(f64!(locals.get($a)), f64!(locals.get($b))).to_bits())
            };
        }
        macro_rules! load_l {
            ($n:literal, $conv:expr, $l:expr, $off:expr) => {{
                let b: [u8; $n] = tri!(mem.load::<$n>(locals.get($l), $off));
                sp.push(($conv)(b));
            }};
        }
        macro_rules! load_lc {
            ($n:literal, $conv:expr, $a:expr, $c:expr, $off:expr) => {{
                let addr = (locals.get($a) as u32).wrapping_add($c as u32) as u64;
                let b: [u8; $n] = tri!(mem.load::<$n>(addr, $off));
                sp.push(($conv)(b));
            }};
        }
        macro_rules! branch {
            ($target:expr, $drop:expr, $keep:expr) => {{
                sp.drop_keep($drop as usize, $keep as usize);
                ip = $target as usize;
            }};
        }
        // Calls a function by store index: wasm in this instance stays in the
        // loop; another instance re-enters the outer loop; host exits to the driver.
        macro_rules! call_func {
            ($handle:expr) => {{
                let entity = funcs[$handle as usize];
                match entity.kind {
                    FuncKind::Wasm { instance, code: c } => {
                        let callee = instances[instance as usize].module.code(c);
                        let caller = Frame {
                            inst: regs.inst,
                            code: regs.code,
                            ip: ip as u32,
                            base: locals.index_from(buf) as u32,
                        };
                        let base = tri!(enter(
                            frames,
                            buf,
                            limit,
                            &config,
                            caller,
                            sp.offset_from(buf),
                            callee
                        ));
                        regs.code = c;
                        if instance == regs.inst {
                            code = callee;
                            ops = &code.ops;
                            ip = 0;
                            locals = Locals::new(buf.wrapping_add(base));
                            sp =
                                Sp::at(buf, base + callee.params as usize + callee.locals as usize);
                        } else {
                            regs.inst = instance;
                            regs.ip = 0;
                            regs.base = base;
                            regs.sp = base + callee.params as usize + callee.locals as usize;
                            continue 'instance;
                        }
                    }
                    FuncKind::Host(h) => {
                        save!();
                        return Ok(Exit::Host { host: h });
                    }
                }
            }};
        }

        loop {
            let op = fetch(ops, ip);
            ip += 1;
            match op {
                Op::Unreachable => bail!(TrapKind::Unreachable),
                Op::Br { target, drop, keep } => branch!(target, drop, keep),
                Op::BrIfNez { target, drop, keep } => {
                    if pop!() as u32 != 0 {
                        branch!(target, drop, keep)
                    }
                }
                Op::BrIfEqz { target } => {
                    if pop!() as u32 == 0 {
                        ip = target as usize;
                    }
                }
                Op::BrTable { first, len } => {
                    let i = (pop!() as u32).min(len);
                    let t = code.br_table[(first + i) as usize];
                    branch!(t.target, t.drop, t.keep)
                }
                Op::Return => {
                    let n = code.results as usize;
                    let base = locals.ptr();
                    // The results move down to the frame base.
                    let top = sp.offset_from(base);
                    sp = Sp::at(base, top);
                    sp.drop_keep(top - n, n);
                    match frames.pop() {
                        None => {
                            save!();
                            return Ok(Exit::Done);
                        }
                        Some(f) => {
                            ip = f.ip as usize;
                            locals = Locals::new(buf.wrapping_add(f.base as usize));
                            regs.code = f.code;
                            if f.inst != regs.inst {
                                regs.inst = f.inst;
                                save!();
                                continue 'instance;
                            }
                            code = module.code(f.code);
                            ops = &code.ops;
                        }
                    }
                }
                Op::Call(c) => {
                    let callee = module.code(c);
                    let caller = Frame {
                        inst: regs.inst,
                        code: regs.code,
                        ip: ip as u32,
                        base: locals.index_from(buf) as u32,
                    };
                    let base = tri!(enter(
                        frames,
                        buf,
                        limit,
                        &config,
                        caller,
                        sp.offset_from(buf),
                        callee
                    ));
                    regs.code = c;
                    code = callee;
                    ops = &code.ops;
                    ip = 0;
                    locals = Locals::new(buf.wrapping_add(base));
                    sp = Sp::at(buf, base + callee.params as usize + callee.locals as usize);
                }
                Op::CallImport(f) => call_func!(inst.funcs[f as usize]),
                Op::CallIndirect { ty, table } => {
                    let i = pop!() as u32;
                    let t = &tables[inst.tables[table as usize] as usize];
                    let Some(&r) = t.elems.get(i as usize) else {
                        bail!(TrapKind::UndefinedElement)
                    };
                    if r == 0 {
                        bail!(TrapKind::UninitializedElement);
                    }
                    let handle = (r - 1) as u32;
                    if funcs[handle as usize].ty != inst.types[ty as usize] {
                        bail!(TrapKind::IndirectCallTypeMismatch);
                    }
                    call_func!(handle)
                }
                Op::Drop => sp.drop_n(1),
                Op::Select => {
                    let c = pop!() as u32;
                    let b = pop!();
                    if c == 0 {
                        sp.set_top(b);
                    }
                }
                Op::LocalGet(i) => push!(locals.get(i)),
                Op::LocalSet(i) => {
                    let v = pop!();
                    locals.set(i, v);
                }
                Op::LocalTee(i) => locals.set(i, sp.top()),
                Op::GlobalGet(i) => push!(globals[inst.globals[i as usize] as usize].value),
                Op::GlobalSet(i) => {
                    let v = pop!();
                    globals[inst.globals[i as usize] as usize].value = v;
                }
                Op::TableGet(t) => {
                    let i = sp.top() as u32;
                    let t = &tables[inst.tables[t as usize] as usize];
                    let Some(&r) = t.elems.get(i as usize) else {
                        bail!(TrapKind::TableOutOfBounds)
                    };
                    sp.set_top(r);
                }
                Op::TableSet(t) => {
                    let r = pop!();
                    let i = pop!() as u32;
                    let t = &mut tables[inst.tables[t as usize] as usize];
                    let Some(slot) = t.elems.get_mut(i as usize) else {
                        bail!(TrapKind::TableOutOfBounds)
                    };
                    *slot = r;
                }
                Op::TableSize(t) => {
                    push!(tables[inst.tables[t as usize] as usize].elems.len() as u64)
                }
                Op::TableGrow(t) => {
                    let n = pop!() as u32;
                    let init = sp.top();
                    let t = &mut tables[inst.tables[t as usize] as usize];
                    sp.set_top(t.grow(n, init).unwrap_or(u32::MAX) as u64);
                }
                Op::TableFill(t) => {
                    let n = pop!() as u32 as u64;
                    let r = pop!();
                    let i = pop!() as u32 as u64;
                    let t = &mut tables[inst.tables[t as usize] as usize];
                    if !in_bounds(i, n, t.elems.len()) {
                        bail!(TrapKind::TableOutOfBounds);
                    }
                    t.elems[i as usize..(i + n) as usize].fill(r);
                }
                Op::TableCopy { dst, src } => {
                    let n = pop!() as u32 as u64;
                    let s = pop!() as u32 as u64;
                    let d = pop!() as u32 as u64;
                    let (dt, st) = (
                        inst.tables[dst as usize] as usize,
                        inst.tables[src as usize] as usize,
                    );
                    if !in_bounds(s, n, tables[st].elems.len())
                        || !in_bounds(d, n, tables[dt].elems.len())
                    {
                        bail!(TrapKind::TableOutOfBounds);
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
                }
                Op::TableInit { table, elem } => {
                    let n = pop!() as u32 as u64;
                    let s = pop!() as u32 as u64;
                    let d = pop!() as u32 as u64;
                    let seg = &elems[inst.elems[elem as usize] as usize];
                    let t = &mut tables[inst.tables[table as usize] as usize];
                    if !in_bounds(s, n, seg.len()) || !in_bounds(d, n, t.elems.len()) {
                        bail!(TrapKind::TableOutOfBounds);
                    }
                    let (s, d, n) = (s as usize, d as usize, n as usize);
                    t.elems[d..d + n].copy_from_slice(&seg[s..s + n]);
                }
                Op::ElemDrop(e) => elems[inst.elems[e as usize] as usize] = Vec::new(),
                Op::I32Load(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Op::I64Load(o) => load!(o, 8, u64::from_le_bytes),
                Op::F32Load(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Op::F64Load(o) => load!(o, 8, u64::from_le_bytes),
                Op::I32Load8S(o) => load!(o, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64),
                Op::I32Load8U(o) => load!(o, 1, |b| u8::from_le_bytes(b) as u64),
                Op::I32Load16S(o) => load!(o, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64),
                Op::I32Load16U(o) => load!(o, 2, |b| u16::from_le_bytes(b) as u64),
                Op::I64Load8S(o) => load!(o, 1, |b| i8::from_le_bytes(b) as i64 as u64),
                Op::I64Load8U(o) => load!(o, 1, |b| u8::from_le_bytes(b) as u64),
                Op::I64Load16S(o) => load!(o, 2, |b| i16::from_le_bytes(b) as i64 as u64),
                Op::I64Load16U(o) => load!(o, 2, |b| u16::from_le_bytes(b) as u64),
                Op::I64Load32S(o) => load!(o, 4, |b| i32::from_le_bytes(b) as i64 as u64),
                Op::I64Load32U(o) => load!(o, 4, |b| u32::from_le_bytes(b) as u64),
                Op::I32Store(o) | Op::F32Store(o) => {
                    store!(o, 4, |v: u64| (v as u32).to_le_bytes())
                }
                Op::I64Store(o) | Op::F64Store(o) => store!(o, 8, |v: u64| v.to_le_bytes()),
                Op::I32Store8(o) | Op::I64Store8(o) => {
                    store!(o, 1, |v: u64| (v as u8).to_le_bytes())
                }
                Op::I32Store16(o) | Op::I64Store16(o) => {
                    store!(o, 2, |v: u64| (v as u16).to_le_bytes())
                }
                Op::I64Store32(o) => store!(o, 4, |v: u64| (v as u32).to_le_bytes()),
                Op::MemorySize => push!(memory.pages() as u64),
                Op::MemoryGrow => {
                    let n = sp.top() as u32;
                    sp.set_top(memory.grow(n).unwrap_or(u32::MAX) as u64);
                    mem = MemView::new(memory.data_mut());
                }
                Op::MemoryInit(seg) => {
                    let n = pop!() as u32 as u64;
                    let s = pop!() as u32 as u64;
                    let d = pop!() as u32 as u64;
                    let bytes = datas[inst.datas[seg as usize] as usize].bytes();
                    if !in_bounds(s, n, bytes.len()) || !in_bounds(d, n, mem.len()) {
                        bail!(TrapKind::MemoryOutOfBounds);
                    }
                    let (s, d, n) = (s as usize, d as usize, n as usize);
                    memory.data_mut()[d..d + n].copy_from_slice(&bytes[s..s + n]);
                }
                Op::DataDrop(seg) => datas[inst.datas[seg as usize] as usize].dropped = true,
                Op::MemoryCopy => {
                    let n = pop!() as u32 as u64;
                    let s = pop!() as u32 as u64;
                    let d = pop!() as u32 as u64;
                    let len = mem.len();
                    if !in_bounds(s, n, len) || !in_bounds(d, n, len) {
                        bail!(TrapKind::MemoryOutOfBounds);
                    }
                    let (s, d, n) = (s as usize, d as usize, n as usize);
                    memory.data_mut().copy_within(s..s + n, d);
                }
                Op::MemoryFill => {
                    let n = pop!() as u32 as u64;
                    let v = pop!() as u8;
                    let d = pop!() as u32 as u64;
                    if !in_bounds(d, n, mem.len()) {
                        bail!(TrapKind::MemoryOutOfBounds);
                    }
                    memory.data_mut()[d as usize..(d + n) as usize].fill(v);
                }
                Op::I32Const(v) => push!(v as u32 as u64),
                Op::I64Const(v) => push!(v as u64),
                Op::F32Const(v) => push!(v as u64),
                Op::F64Const(v) => push!(v),
                Op::RefNull => push!(0),
                Op::RefIsNull => sp.set_top((sp.top() == 0) as u64),
                Op::RefFunc(f) => push!(inst.funcs[f as usize] as u64 + 1),

                Op::I32Eqz => un!(u32 -> from_bool, |a| a == 0),
                Op::I32Eq => bin!(u32 -> from_bool, |a, b| a == b),
                Op::I32Ne => bin!(u32 -> from_bool, |a, b| a != b),
                Op::I32LtS => bin!(i32 -> from_bool, |a, b| a < b),
                Op::I32LtU => bin!(u32 -> from_bool, |a, b| a < b),
                Op::I32GtS => bin!(i32 -> from_bool, |a, b| a > b),
                Op::I32GtU => bin!(u32 -> from_bool, |a, b| a > b),
                Op::I32LeS => bin!(i32 -> from_bool, |a, b| a <= b),
                Op::I32LeU => bin!(u32 -> from_bool, |a, b| a <= b),
                Op::I32GeS => bin!(i32 -> from_bool, |a, b| a >= b),
                Op::I32GeU => bin!(u32 -> from_bool, |a, b| a >= b),
                Op::I64Eqz => un!(u64 -> from_bool, |a| a == 0),
                Op::I64Eq => bin!(u64 -> from_bool, |a, b| a == b),
                Op::I64Ne => bin!(u64 -> from_bool, |a, b| a != b),
                Op::I64LtS => bin!(i64 -> from_bool, |a, b| a < b),
                Op::I64LtU => bin!(u64 -> from_bool, |a, b| a < b),
                Op::I64GtS => bin!(i64 -> from_bool, |a, b| a > b),
                Op::I64GtU => bin!(u64 -> from_bool, |a, b| a > b),
                Op::I64LeS => bin!(i64 -> from_bool, |a, b| a <= b),
                Op::I64LeU => bin!(u64 -> from_bool, |a, b| a <= b),
                Op::I64GeS => bin!(i64 -> from_bool, |a, b| a >= b),
                Op::I64GeU => bin!(u64 -> from_bool, |a, b| a >= b),
                Op::F32Eq => bin!(f32 -> from_bool, |a, b| a == b),
                Op::F32Ne => bin!(f32 -> from_bool, |a, b| a != b),
                Op::F32Lt => bin!(f32 -> from_bool, |a, b| a < b),
                Op::F32Gt => bin!(f32 -> from_bool, |a, b| a > b),
                Op::F32Le => bin!(f32 -> from_bool, |a, b| a <= b),
                Op::F32Ge => bin!(f32 -> from_bool, |a, b| a >= b),
                Op::F64Eq => bin!(f64 -> from_bool, |a, b| a == b),
                Op::F64Ne => bin!(f64 -> from_bool, |a, b| a != b),
                Op::F64Lt => bin!(f64 -> from_bool, |a, b| a < b),
                Op::F64Gt => bin!(f64 -> from_bool, |a, b| a > b),
                Op::F64Le => bin!(f64 -> from_bool, |a, b| a <= b),
                Op::F64Ge => bin!(f64 -> from_bool, |a, b| a >= b),
                Op::I32Clz => un!(u32 -> from_u32, u32::leading_zeros),
                Op::I32Ctz => un!(u32 -> from_u32, u32::trailing_zeros),
                Op::I32Popcnt => un!(u32 -> from_u32, u32::count_ones),
                Op::I32Add => bin!(u32 -> from_u32, u32::wrapping_add),
                Op::I32Sub => bin!(u32 -> from_u32, u32::wrapping_sub),
                Op::I32Mul => bin!(u32 -> from_u32, u32::wrapping_mul),
                Op::I32DivS => bin_trap!(i32 -> from_i32, numeric::i32_div_s),
                Op::I32DivU => bin_trap!(u32 -> from_u32, numeric::i32_div_u),
                Op::I32RemS => bin_trap!(i32 -> from_i32, numeric::i32_rem_s),
                Op::I32RemU => bin_trap!(u32 -> from_u32, numeric::i32_rem_u),
                Op::I32And => bin!(u32 -> from_u32, |a, b| a & b),
                Op::I32Or => bin!(u32 -> from_u32, |a, b| a | b),
                Op::I32Xor => bin!(u32 -> from_u32, |a, b| a ^ b),
                Op::I32Shl => bin!(u32 -> from_u32, |a: u32, b: u32| a.wrapping_shl(b)),
                Op::I32ShrS => bin!(i32 -> from_i32, |a: i32, b: i32| a.wrapping_shr(b as u32)),
                Op::I32ShrU => bin!(u32 -> from_u32, |a: u32, b: u32| a.wrapping_shr(b)),
                Op::I32Rotl => bin!(u32 -> from_u32, |a: u32, b: u32| a.rotate_left(b % 32)),
                Op::I32Rotr => bin!(u32 -> from_u32, |a: u32, b: u32| a.rotate_right(b % 32)),
                Op::I64Clz => un!(u64 -> from_u64, |a: u64| a.leading_zeros() as u64),
                Op::I64Ctz => un!(u64 -> from_u64, |a: u64| a.trailing_zeros() as u64),
                Op::I64Popcnt => un!(u64 -> from_u64, |a: u64| a.count_ones() as u64),
                Op::I64Add => bin!(u64 -> from_u64, u64::wrapping_add),
                Op::I64Sub => bin!(u64 -> from_u64, u64::wrapping_sub),
                Op::I64Mul => bin!(u64 -> from_u64, u64::wrapping_mul),
                Op::I64DivS => bin_trap!(i64 -> from_i64, numeric::i64_div_s),
                Op::I64DivU => bin_trap!(u64 -> from_u64, numeric::i64_div_u),
                Op::I64RemS => bin_trap!(i64 -> from_i64, numeric::i64_rem_s),
                Op::I64RemU => bin_trap!(u64 -> from_u64, numeric::i64_rem_u),
                Op::I64And => bin!(u64 -> from_u64, |a, b| a & b),
                Op::I64Or => bin!(u64 -> from_u64, |a, b| a | b),
                Op::I64Xor => bin!(u64 -> from_u64, |a, b| a ^ b),
                Op::I64Shl => bin!(u64 -> from_u64, |a: u64, b: u64| a.wrapping_shl(b as u32)),
                Op::I64ShrS => bin!(i64 -> from_i64, |a: i64, b: i64| a.wrapping_shr(b as u32)),
                Op::I64ShrU => bin!(u64 -> from_u64, |a: u64, b: u64| a.wrapping_shr(b as u32)),
                Op::I64Rotl => {
                    bin!(u64 -> from_u64, |a: u64, b: u64| a.rotate_left((b % 64) as u32))
                }
                Op::I64Rotr => {
                    bin!(u64 -> from_u64, |a: u64, b: u64| a.rotate_right((b % 64) as u32))
                }
                Op::F32Abs => un!(u32 -> from_u32, numeric::f32_abs),
                Op::F32Neg => un!(u32 -> from_u32, numeric::f32_neg),
                Op::F32Ceil => un!(f32 -> from_f32, numeric::f32_ceil),
                Op::F32Floor => un!(f32 -> from_f32, numeric::f32_floor),
                Op::F32Trunc => un!(f32 -> from_f32, numeric::f32_trunc),
                Op::F32Nearest => un!(f32 -> from_f32, numeric::f32_nearest),
                Op::F32Sqrt => un!(f32 -> from_f32, numeric::f32_sqrt),
                Op::F32Add => bin!(f32 -> from_f32, |a, b| a + b),
                Op::F32Sub => bin!(f32 -> from_f32, |a, b| a - b),
                Op::F32Mul => bin!(f32 -> from_f32, |a, b| a * b),
                Op::F32Div => bin!(f32 -> from_f32, |a, b| a / b),
                Op::F32Min => bin!(f32 -> from_f32, numeric::f32_min),
                Op::F32Max => bin!(f32 -> from_f32, numeric::f32_max),
                Op::F32Copysign => bin!(u32 -> from_u32, numeric::f32_copysign),
                Op::F64Abs => un!(u64 -> from_u64, numeric::f64_abs),
                Op::F64Neg => un!(u64 -> from_u64, numeric::f64_neg),
                Op::F64Ceil => un!(f64 -> from_f64, numeric::f64_ceil),
                Op::F64Floor => un!(f64 -> from_f64, numeric::f64_floor),
                Op::F64Trunc => un!(f64 -> from_f64, numeric::f64_trunc),
                Op::F64Nearest => un!(f64 -> from_f64, numeric::f64_nearest),
                Op::F64Sqrt => un!(f64 -> from_f64, numeric::f64_sqrt),
                Op::F64Add => bin!(f64 -> from_f64, |a, b| a + b),
                Op::F64Sub => bin!(f64 -> from_f64, |a, b| a - b),
                Op::F64Mul => bin!(f64 -> from_f64, |a, b| a * b),
                Op::F64Div => bin!(f64 -> from_f64, |a, b| a / b),
                Op::F64Min => bin!(f64 -> from_f64, numeric::f64_min),
                Op::F64Max => bin!(f64 -> from_f64, numeric::f64_max),
                Op::F64Copysign => bin!(u64 -> from_u64, numeric::f64_copysign),
                Op::I32WrapI64 => un!(u64 -> from_u32, |a: u64| a as u32),
                Op::I32TruncF32S => un_trap!(f32 -> from_i32, numeric::i32_trunc_f32_s),
                Op::I32TruncF32U => un_trap!(f32 -> from_u32, numeric::i32_trunc_f32_u),
                Op::I32TruncF64S => un_trap!(f64 -> from_i32, numeric::i32_trunc_f64_s),
                Op::I32TruncF64U => un_trap!(f64 -> from_u32, numeric::i32_trunc_f64_u),
                Op::I64ExtendI32S => un!(i32 -> from_i64, |a: i32| a as i64),
                Op::I64ExtendI32U => un!(u32 -> from_u64, |a: u32| a as u64),
                Op::I64TruncF32S => un_trap!(f32 -> from_i64, numeric::i64_trunc_f32_s),
                Op::I64TruncF32U => un_trap!(f32 -> from_u64, numeric::i64_trunc_f32_u),
                Op::I64TruncF64S => un_trap!(f64 -> from_i64, numeric::i64_trunc_f64_s),
                Op::I64TruncF64U => un_trap!(f64 -> from_u64, numeric::i64_trunc_f64_u),
                Op::F32ConvertI32S => un!(i32 -> from_f32, |a: i32| a as f32),
                Op::F32ConvertI32U => un!(u32 -> from_f32, |a: u32| a as f32),
                Op::F32ConvertI64S => un!(i64 -> from_f32, |a: i64| a as f32),
                Op::F32ConvertI64U => un!(u64 -> from_f32, |a: u64| a as f32),
                Op::F32DemoteF64 => un!(f64 -> from_f32, |a: f64| a as f32),
                Op::F64ConvertI32S => un!(i32 -> from_f64, |a: i32| a as f64),
                Op::F64ConvertI32U => un!(u32 -> from_f64, |a: u32| a as f64),
                Op::F64ConvertI64S => un!(i64 -> from_f64, |a: i64| a as f64),
                Op::F64ConvertI64U => un!(u64 -> from_f64, |a: u64| a as f64),
                Op::F64PromoteF32 => un!(f32 -> from_f64, |a: f32| a as f64),
                Op::I32Extend8S => un!(u32 -> from_i32, |a: u32| a as i8 as i32),
                Op::I32Extend16S => un!(u32 -> from_i32, |a: u32| a as i16 as i32),
                Op::I64Extend8S => un!(u64 -> from_i64, |a: u64| a as i8 as i64),
                Op::I64Extend16S => un!(u64 -> from_i64, |a: u64| a as i16 as i64),
                Op::I64Extend32S => un!(u64 -> from_i64, |a: u64| a as i32 as i64),
                // Rust's float-to-int `as` saturates and maps NaN to 0: exactly trunc_sat.
                Op::I32TruncSatF32S => un!(f32 -> from_i32, |a: f32| a as i32),
                Op::I32TruncSatF32U => un!(f32 -> from_u32, |a: f32| a as u32),
                Op::I32TruncSatF64S => un!(f64 -> from_i32, |a: f64| a as i32),
                Op::I32TruncSatF64U => un!(f64 -> from_u32, |a: f64| a as u32),
                Op::I64TruncSatF32S => un!(f32 -> from_i64, |a: f32| a as i64),
                Op::I64TruncSatF32U => un!(f32 -> from_u64, |a: f32| a as u64),
                Op::I64TruncSatF64S => un!(f64 -> from_i64, |a: f64| a as i64),
                Op::I64TruncSatF64U => un!(f64 -> from_u64, |a: f64| a as u64),
                Op::I32AddSC(c) => i32_sc!(add, c),
                Op::I32AddSL(b) => i32_sl!(add, b),
                Op::I32AddLL { a, b } => i32_ll!(add, a, b),
                Op::I32AddLC { a, c } => i32_lc!(add, a, c),
                Op::I32SubSC(c) => i32_sc!(sub, c),
                Op::I32SubSL(b) => i32_sl!(sub, b),
                Op::I32SubLL { a, b } => i32_ll!(sub, a, b),
                Op::I32SubLC { a, c } => i32_lc!(sub, a, c),
                Op::I32MulSC(c) => i32_sc!(mul, c),
                Op::I32MulSL(b) => i32_sl!(mul, b),
                Op::I32MulLL { a, b } => i32_ll!(mul, a, b),
                Op::I32MulLC { a, c } => i32_lc!(mul, a, c),
                Op::I32AndSC(c) => i32_sc!(and, c),
                Op::I32AndSL(b) => i32_sl!(and, b),
                Op::I32AndLL { a, b } => i32_ll!(and, a, b),
                Op::I32AndLC { a, c } => i32_lc!(and, a, c),
                Op::I32OrSC(c) => i32_sc!(or, c),
                Op::I32OrSL(b) => i32_sl!(or, b),
                Op::I32OrLL { a, b } => i32_ll!(or, a, b),
                Op::I32OrLC { a, c } => i32_lc!(or, a, c),
                Op::I32XorSC(c) => i32_sc!(xor, c),
                Op::I32XorSL(b) => i32_sl!(xor, b),
                Op::I32XorLL { a, b } => i32_ll!(xor, a, b),
                Op::I32XorLC { a, c } => i32_lc!(xor, a, c),
                Op::I32ShlSC(c) => i32_sc!(shl, c),
                Op::I32ShlSL(b) => i32_sl!(shl, b),
                Op::I32ShlLL { a, b } => i32_ll!(shl, a, b),
                Op::I32ShlLC { a, c } => i32_lc!(shl, a, c),
                Op::I32ShrSSC(c) => i32_sc!(shr_s, c),
                Op::I32ShrSSL(b) => i32_sl!(shr_s, b),
                Op::I32ShrSLL { a, b } => i32_ll!(shr_s, a, b),
                Op::I32ShrSLC { a, c } => i32_lc!(shr_s, a, c),
                Op::I32ShrUSC(c) => i32_sc!(shr_u, c),
                Op::I32ShrUSL(b) => i32_sl!(shr_u, b),
                Op::I32ShrULL { a, b } => i32_ll!(shr_u, a, b),
                Op::I32ShrULC { a, c } => i32_lc!(shr_u, a, c),
                Op::I32RotlSC(c) => i32_sc!(rotl, c),
                Op::I32RotlSL(b) => i32_sl!(rotl, b),
                Op::I32RotlLL { a, b } => i32_ll!(rotl, a, b),
                Op::I32RotlLC { a, c } => i32_lc!(rotl, a, c),
                Op::I32RotrSC(c) => i32_sc!(rotr, c),
                Op::I32RotrSL(b) => i32_sl!(rotr, b),
                Op::I32RotrLL { a, b } => i32_ll!(rotr, a, b),
                Op::I32RotrLC { a, c } => i32_lc!(rotr, a, c),
                Op::I32EqSC(c) => i32_sc!(eq, c),
                Op::I32EqSL(b) => i32_sl!(eq, b),
                Op::I32EqLL { a, b } => i32_ll!(eq, a, b),
                Op::I32EqLC { a, c } => i32_lc!(eq, a, c),
                Op::I32NeSC(c) => i32_sc!(ne, c),
                Op::I32NeSL(b) => i32_sl!(ne, b),
                Op::I32NeLL { a, b } => i32_ll!(ne, a, b),
                Op::I32NeLC { a, c } => i32_lc!(ne, a, c),
                Op::I32LtSSC(c) => i32_sc!(lt_s, c),
                Op::I32LtSSL(b) => i32_sl!(lt_s, b),
                Op::I32LtSLL { a, b } => i32_ll!(lt_s, a, b),
                Op::I32LtSLC { a, c } => i32_lc!(lt_s, a, c),
                Op::I32LtUSC(c) => i32_sc!(lt_u, c),
                Op::I32LtUSL(b) => i32_sl!(lt_u, b),
                Op::I32LtULL { a, b } => i32_ll!(lt_u, a, b),
                Op::I32LtULC { a, c } => i32_lc!(lt_u, a, c),
                Op::I32GtSSC(c) => i32_sc!(gt_s, c),
                Op::I32GtSSL(b) => i32_sl!(gt_s, b),
                Op::I32GtSLL { a, b } => i32_ll!(gt_s, a, b),
                Op::I32GtSLC { a, c } => i32_lc!(gt_s, a, c),
                Op::I32GtUSC(c) => i32_sc!(gt_u, c),
                Op::I32GtUSL(b) => i32_sl!(gt_u, b),
                Op::I32GtULL { a, b } => i32_ll!(gt_u, a, b),
                Op::I32GtULC { a, c } => i32_lc!(gt_u, a, c),
                Op::I32LeSSC(c) => i32_sc!(le_s, c),
                Op::I32LeSSL(b) => i32_sl!(le_s, b),
                Op::I32LeSLL { a, b } => i32_ll!(le_s, a, b),
                Op::I32LeSLC { a, c } => i32_lc!(le_s, a, c),
                Op::I32LeUSC(c) => i32_sc!(le_u, c),
                Op::I32LeUSL(b) => i32_sl!(le_u, b),
                Op::I32LeULL { a, b } => i32_ll!(le_u, a, b),
                Op::I32LeULC { a, c } => i32_lc!(le_u, a, c),
                Op::I32GeSSC(c) => i32_sc!(ge_s, c),
                Op::I32GeSSL(b) => i32_sl!(ge_s, b),
                Op::I32GeSLL { a, b } => i32_ll!(ge_s, a, b),
                Op::I32GeSLC { a, c } => i32_lc!(ge_s, a, c),
                Op::I32GeUSC(c) => i32_sc!(ge_u, c),
                Op::I32GeUSL(b) => i32_sl!(ge_u, b),
                Op::I32GeULL { a, b } => i32_ll!(ge_u, a, b),
                Op::I32GeULC { a, c } => i32_lc!(ge_u, a, c),
                Op::I32AddLLToL { a, b, d } => i32_ll_to!(add, a, b, d),
                Op::I32AddLCToL { a, c, d } => i32_lc_to!(add, a, c, d),
                Op::I32AddSCToL { c, d } => i32_sc_to!(add, c, d),
                Op::I32AddLLTee { a, b, d } => i32_ll_tee!(add, a, b, d),
                Op::I32AddLCTee { a, c, d } => i32_lc_tee!(add, a, c, d),
                Op::I32SubLLToL { a, b, d } => i32_ll_to!(sub, a, b, d),
                Op::I32SubLCToL { a, c, d } => i32_lc_to!(sub, a, c, d),
                Op::I32SubSCToL { c, d } => i32_sc_to!(sub, c, d),
                Op::I32SubLLTee { a, b, d } => i32_ll_tee!(sub, a, b, d),
                Op::I32SubLCTee { a, c, d } => i32_lc_tee!(sub, a, c, d),
                Op::I32MulLLToL { a, b, d } => i32_ll_to!(mul, a, b, d),
                Op::I32MulLCToL { a, c, d } => i32_lc_to!(mul, a, c, d),
                Op::I32MulSCToL { c, d } => i32_sc_to!(mul, c, d),
                Op::I32MulLLTee { a, b, d } => i32_ll_tee!(mul, a, b, d),
                Op::I32MulLCTee { a, c, d } => i32_lc_tee!(mul, a, c, d),
                Op::I32AndLLToL { a, b, d } => i32_ll_to!(and, a, b, d),
                Op::I32AndLCToL { a, c, d } => i32_lc_to!(and, a, c, d),
                Op::I32AndSCToL { c, d } => i32_sc_to!(and, c, d),
                Op::I32AndLLTee { a, b, d } => i32_ll_tee!(and, a, b, d),
                Op::I32AndLCTee { a, c, d } => i32_lc_tee!(and, a, c, d),
                Op::I32OrLLToL { a, b, d } => i32_ll_to!(or, a, b, d),
                Op::I32OrLCToL { a, c, d } => i32_lc_to!(or, a, c, d),
                Op::I32OrSCToL { c, d } => i32_sc_to!(or, c, d),
                Op::I32OrLLTee { a, b, d } => i32_ll_tee!(or, a, b, d),
                Op::I32OrLCTee { a, c, d } => i32_lc_tee!(or, a, c, d),
                Op::I32XorLLToL { a, b, d } => i32_ll_to!(xor, a, b, d),
                Op::I32XorLCToL { a, c, d } => i32_lc_to!(xor, a, c, d),
                Op::I32XorSCToL { c, d } => i32_sc_to!(xor, c, d),
                Op::I32XorLLTee { a, b, d } => i32_ll_tee!(xor, a, b, d),
                Op::I32XorLCTee { a, c, d } => i32_lc_tee!(xor, a, c, d),
                Op::I32ShlLLToL { a, b, d } => i32_ll_to!(shl, a, b, d),
                Op::I32ShlLCToL { a, c, d } => i32_lc_to!(shl, a, c, d),
                Op::I32ShlSCToL { c, d } => i32_sc_to!(shl, c, d),
                Op::I32ShlLLTee { a, b, d } => i32_ll_tee!(shl, a, b, d),
                Op::I32ShlLCTee { a, c, d } => i32_lc_tee!(shl, a, c, d),
                Op::I32ShrSLLToL { a, b, d } => i32_ll_to!(shr_s, a, b, d),
                Op::I32ShrSLCToL { a, c, d } => i32_lc_to!(shr_s, a, c, d),
                Op::I32ShrSSCToL { c, d } => i32_sc_to!(shr_s, c, d),
                Op::I32ShrSLLTee { a, b, d } => i32_ll_tee!(shr_s, a, b, d),
                Op::I32ShrSLCTee { a, c, d } => i32_lc_tee!(shr_s, a, c, d),
                Op::I32ShrULLToL { a, b, d } => i32_ll_to!(shr_u, a, b, d),
                Op::I32ShrULCToL { a, c, d } => i32_lc_to!(shr_u, a, c, d),
                Op::I32ShrUSCToL { c, d } => i32_sc_to!(shr_u, c, d),
                Op::I32ShrULLTee { a, b, d } => i32_ll_tee!(shr_u, a, b, d),
                Op::I32ShrULCTee { a, c, d } => i32_lc_tee!(shr_u, a, c, d),
                Op::I32RotlLLToL { a, b, d } => i32_ll_to!(rotl, a, b, d),
                Op::I32RotlLCToL { a, c, d } => i32_lc_to!(rotl, a, c, d),
                Op::I32RotlSCToL { c, d } => i32_sc_to!(rotl, c, d),
                Op::I32RotlLLTee { a, b, d } => i32_ll_tee!(rotl, a, b, d),
                Op::I32RotlLCTee { a, c, d } => i32_lc_tee!(rotl, a, c, d),
                Op::I32RotrLLToL { a, b, d } => i32_ll_to!(rotr, a, b, d),
                Op::I32RotrLCToL { a, c, d } => i32_lc_to!(rotr, a, c, d),
                Op::I32RotrSCToL { c, d } => i32_sc_to!(rotr, c, d),
                Op::I32RotrLLTee { a, b, d } => i32_ll_tee!(rotr, a, b, d),
                Op::I32RotrLCTee { a, c, d } => i32_lc_tee!(rotr, a, c, d),
                Op::BrI32Eq { target } => br_ss!(eq, target),
                Op::BrI32EqSC { target, c } => br_sc!(eq, c, target),
                Op::BrI32EqSL { target, b } => br_sl!(eq, b, target),
                Op::BrI32EqLL { target, a, b } => br_ll!(eq, a, b, target),
                Op::BrI32EqLC { target, a, c } => br_lc!(eq, a, c, target),
                Op::BrI32Ne { target } => br_ss!(ne, target),
                Op::BrI32NeSC { target, c } => br_sc!(ne, c, target),
                Op::BrI32NeSL { target, b } => br_sl!(ne, b, target),
                Op::BrI32NeLL { target, a, b } => br_ll!(ne, a, b, target),
                Op::BrI32NeLC { target, a, c } => br_lc!(ne, a, c, target),
                Op::BrI32LtS { target } => br_ss!(lt_s, target),
                Op::BrI32LtSSC { target, c } => br_sc!(lt_s, c, target),
                Op::BrI32LtSSL { target, b } => br_sl!(lt_s, b, target),
                Op::BrI32LtSLL { target, a, b } => br_ll!(lt_s, a, b, target),
                Op::BrI32LtSLC { target, a, c } => br_lc!(lt_s, a, c, target),
                Op::BrI32LtU { target } => br_ss!(lt_u, target),
                Op::BrI32LtUSC { target, c } => br_sc!(lt_u, c, target),
                Op::BrI32LtUSL { target, b } => br_sl!(lt_u, b, target),
                Op::BrI32LtULL { target, a, b } => br_ll!(lt_u, a, b, target),
                Op::BrI32LtULC { target, a, c } => br_lc!(lt_u, a, c, target),
                Op::BrI32GtS { target } => br_ss!(gt_s, target),
                Op::BrI32GtSSC { target, c } => br_sc!(gt_s, c, target),
                Op::BrI32GtSSL { target, b } => br_sl!(gt_s, b, target),
                Op::BrI32GtSLL { target, a, b } => br_ll!(gt_s, a, b, target),
                Op::BrI32GtSLC { target, a, c } => br_lc!(gt_s, a, c, target),
                Op::BrI32GtU { target } => br_ss!(gt_u, target),
                Op::BrI32GtUSC { target, c } => br_sc!(gt_u, c, target),
                Op::BrI32GtUSL { target, b } => br_sl!(gt_u, b, target),
                Op::BrI32GtULL { target, a, b } => br_ll!(gt_u, a, b, target),
                Op::BrI32GtULC { target, a, c } => br_lc!(gt_u, a, c, target),
                Op::BrI32LeS { target } => br_ss!(le_s, target),
                Op::BrI32LeSSC { target, c } => br_sc!(le_s, c, target),
                Op::BrI32LeSSL { target, b } => br_sl!(le_s, b, target),
                Op::BrI32LeSLL { target, a, b } => br_ll!(le_s, a, b, target),
                Op::BrI32LeSLC { target, a, c } => br_lc!(le_s, a, c, target),
                Op::BrI32LeU { target } => br_ss!(le_u, target),
                Op::BrI32LeUSC { target, c } => br_sc!(le_u, c, target),
                Op::BrI32LeUSL { target, b } => br_sl!(le_u, b, target),
                Op::BrI32LeULL { target, a, b } => br_ll!(le_u, a, b, target),
                Op::BrI32LeULC { target, a, c } => br_lc!(le_u, a, c, target),
                Op::BrI32GeS { target } => br_ss!(ge_s, target),
                Op::BrI32GeSSC { target, c } => br_sc!(ge_s, c, target),
                Op::BrI32GeSSL { target, b } => br_sl!(ge_s, b, target),
                Op::BrI32GeSLL { target, a, b } => br_ll!(ge_s, a, b, target),
                Op::BrI32GeSLC { target, a, c } => br_lc!(ge_s, a, c, target),
                Op::BrI32GeU { target } => br_ss!(ge_u, target),
                Op::BrI32GeUSC { target, c } => br_sc!(ge_u, c, target),
                Op::BrI32GeUSL { target, b } => br_sl!(ge_u, b, target),
                Op::BrI32GeULL { target, a, b } => br_ll!(ge_u, a, b, target),
                Op::BrI32GeULC { target, a, c } => br_lc!(ge_u, a, c, target),
                Op::I64AddSC(c) => i64_sc!(add, c),
                Op::I64AddSL(b) => i64_sl!(add, b),
                Op::I64AddLL { a, b } => i64_ll!(add, a, b),
                Op::I64AddLC { a, c } => i64_lc!(add, a, c),
                Op::I64SubSC(c) => i64_sc!(sub, c),
                Op::I64SubSL(b) => i64_sl!(sub, b),
                Op::I64SubLL { a, b } => i64_ll!(sub, a, b),
                Op::I64SubLC { a, c } => i64_lc!(sub, a, c),
                Op::I64MulSC(c) => i64_sc!(mul, c),
                Op::I64MulSL(b) => i64_sl!(mul, b),
                Op::I64MulLL { a, b } => i64_ll!(mul, a, b),
                Op::I64MulLC { a, c } => i64_lc!(mul, a, c),
                Op::I64AndSC(c) => i64_sc!(and, c),
                Op::I64AndSL(b) => i64_sl!(and, b),
                Op::I64AndLL { a, b } => i64_ll!(and, a, b),
                Op::I64AndLC { a, c } => i64_lc!(and, a, c),
                Op::I64OrSC(c) => i64_sc!(or, c),
                Op::I64OrSL(b) => i64_sl!(or, b),
                Op::I64OrLL { a, b } => i64_ll!(or, a, b),
                Op::I64OrLC { a, c } => i64_lc!(or, a, c),
                Op::I64XorSC(c) => i64_sc!(xor, c),
                Op::I64XorSL(b) => i64_sl!(xor, b),
                Op::I64XorLL { a, b } => i64_ll!(xor, a, b),
                Op::I64XorLC { a, c } => i64_lc!(xor, a, c),
                Op::I64ShlSC(c) => i64_sc!(shl, c),
                Op::I64ShlSL(b) => i64_sl!(shl, b),
                Op::I64ShlLL { a, b } => i64_ll!(shl, a, b),
                Op::I64ShlLC { a, c } => i64_lc!(shl, a, c),
                Op::I64ShrUSC(c) => i64_sc!(shr_u, c),
                Op::I64ShrUSL(b) => i64_sl!(shr_u, b),
                Op::I64ShrULL { a, b } => i64_ll!(shr_u, a, b),
                Op::I64ShrULC { a, c } => i64_lc!(shr_u, a, c),
                Op::I64ShrSSC(c) => i64_sc!(shr_s, c),
                Op::I64ShrSSL(b) => i64_sl!(shr_s, b),
                Op::I64ShrSLL { a, b } => i64_ll!(shr_s, a, b),
                Op::I64ShrSLC { a, c } => i64_lc!(shr_s, a, c),
                Op::I64RotlSC(c) => i64_sc!(rotl, c),
                Op::I64RotlSL(b) => i64_sl!(rotl, b),
                Op::I64RotlLL { a, b } => i64_ll!(rotl, a, b),
                Op::I64RotlLC { a, c } => i64_lc!(rotl, a, c),
                Op::F32AddSL(b) => f32_sl!(add, b),
                Op::F32AddLL { a, b } => f32_ll!(add, a, b),
                Op::F32SubSL(b) => f32_sl!(sub, b),
                Op::F32SubLL { a, b } => f32_ll!(sub, a, b),
                Op::F32MulSL(b) => f32_sl!(mul, b),
                Op::F32MulLL { a, b } => f32_ll!(mul, a, b),
                Op::F32DivSL(b) => f32_sl!(div, b),
                Op::F32DivLL { a, b } => f32_ll!(div, a, b),
                Op::F64AddSL(b) => f64_sl!(add, b),
                Op::F64AddLL { a, b } => f64_ll!(add, a, b),
                Op::F64SubSL(b) => f64_sl!(sub, b),
                Op::F64SubLL { a, b } => f64_ll!(sub, a, b),
                Op::F64MulSL(b) => f64_sl!(mul, b),
                Op::F64MulLL { a, b } => f64_ll!(mul, a, b),
                Op::F64DivSL(b) => f64_sl!(div, b),
                Op::F64DivLL { a, b } => f64_ll!(div, a, b),
                Op::BrNez { target } => {
                    if sp.pop() as u32 != 0 {
                        ip = target as usize;
                    }
                }
                Op::I32LoadL { local, offset } => {
                    load_l!(4, |b| u32::from_le_bytes(b) as u64, local, offset)
                }
                Op::I32LoadLC { a, c, offset } => {
                    load_lc!(4, |b| u32::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::I64LoadL { local, offset } => load_l!(8, u64::from_le_bytes, local, offset),
                Op::I64LoadLC { a, c, offset } => load_lc!(8, u64::from_le_bytes, a, c, offset),
                Op::F32LoadL { local, offset } => {
                    load_l!(4, |b| u32::from_le_bytes(b) as u64, local, offset)
                }
                Op::F32LoadLC { a, c, offset } => {
                    load_lc!(4, |b| u32::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::F64LoadL { local, offset } => load_l!(8, u64::from_le_bytes, local, offset),
                Op::F64LoadLC { a, c, offset } => load_lc!(8, u64::from_le_bytes, a, c, offset),
                Op::I32Load8SL { local, offset } => load_l!(
                    1,
                    |b| i8::from_le_bytes(b) as i32 as u32 as u64,
                    local,
                    offset
                ),
                Op::I32Load8SLC { a, c, offset } => load_lc!(
                    1,
                    |b| i8::from_le_bytes(b) as i32 as u32 as u64,
                    a,
                    c,
                    offset
                ),
                Op::I32Load8UL { local, offset } => {
                    load_l!(1, |b| u8::from_le_bytes(b) as u64, local, offset)
                }
                Op::I32Load8ULC { a, c, offset } => {
                    load_lc!(1, |b| u8::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::I32Load16SL { local, offset } => load_l!(
                    2,
                    |b| i16::from_le_bytes(b) as i32 as u32 as u64,
                    local,
                    offset
                ),
                Op::I32Load16SLC { a, c, offset } => load_lc!(
                    2,
                    |b| i16::from_le_bytes(b) as i32 as u32 as u64,
                    a,
                    c,
                    offset
                ),
                Op::I32Load16UL { local, offset } => {
                    load_l!(2, |b| u16::from_le_bytes(b) as u64, local, offset)
                }
                Op::I32Load16ULC { a, c, offset } => {
                    load_lc!(2, |b| u16::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::I64Load8UL { local, offset } => {
                    load_l!(1, |b| u8::from_le_bytes(b) as u64, local, offset)
                }
                Op::I64Load8ULC { a, c, offset } => {
                    load_lc!(1, |b| u8::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::I64Load32UL { local, offset } => {
                    load_l!(4, |b| u32::from_le_bytes(b) as u64, local, offset)
                }
                Op::I64Load32ULC { a, c, offset } => {
                    load_lc!(4, |b| u32::from_le_bytes(b) as u64, a, c, offset)
                }
                Op::I64Load32SL { local, offset } => {
                    load_l!(4, |b| i32::from_le_bytes(b) as i64 as u64, local, offset)
                }
                Op::I64Load32SLC { a, c, offset } => {
                    load_lc!(4, |b| i32::from_le_bytes(b) as i64 as u64, a, c, offset)
                }
                Op::I32StoreLL {
                    addr,
                    value,
                    offset,
                } => {
                    tri!(mem.store::<4>(
                        locals.get(addr),
                        offset,
                        (locals.get(value) as u32).to_le_bytes()
                    ))
                }
                Op::I64StoreLL {
                    addr,
                    value,
                    offset,
                } => {
                    tri!(mem.store::<8>(locals.get(addr), offset, locals.get(value).to_le_bytes()))
                }
                Op::LocalCopy { from, to } => locals.set(to, locals.get(from)),
                Op::LocalSetC { local, c } => locals.set(local, c as u32 as u64),
                Op::LocalTeeGet { tee, get } => {
                    locals.set(tee, sp.top());
                    sp.push(locals.get(get));
                }
            }
        }
    }
}
