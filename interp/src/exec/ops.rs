//! Every op's body, written once as a closure over the registers (`r`) and the
//! run's context (`cx`), in the order of `Op`'s variants. Each dispatch backend
//! expands the list with a macro of its own: `looped` into the arms of one
//! `match`, `threaded` into one handler function per op.
//!
//! A body returns `()`, `Result<(), TrapCode>` or `Flow`, and leaves `r.ip` at
//! the next op unless it branches. For the threaded backend's tail calls, a
//! body never passes the address of a local to a function that is not inlined:
//! the slower paths of `Cx` take and return plain values.

// Conversions between slots and typed values.
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

// Body shapes shared by many ops.
macro_rules! un {
    ($r:ident, $from:ident -> $to:ident, $f:expr) => {{
        let a = $from!($r.sp.top());
        $r.sp.set_top($to!(($f)(a)));
    }};
}
macro_rules! bin {
    ($r:ident, $from:ident -> $to:ident, $f:expr) => {{
        let b = $from!($r.sp.pop());
        let a = $from!($r.sp.top());
        $r.sp.set_top($to!(($f)(a, b)));
    }};
}
macro_rules! bin_trap {
    ($r:ident, $from:ident -> $to:ident, $f:expr) => {{
        let b = $from!($r.sp.pop());
        let a = $from!($r.sp.top());
        match ($f)(a, b) {
            Ok(v) => {
                $r.sp.set_top($to!(v));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! un_trap {
    ($r:ident, $from:ident -> $to:ident, $f:expr) => {{
        let a = $from!($r.sp.top());
        match ($f)(a) {
            Ok(v) => {
                $r.sp.set_top($to!(v));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! load {
    ($r:ident, $off:expr, $n:literal, $conv:expr) => {{
        let a = $r.sp.top();
        match $r.mem.load::<$n>(a, $off) {
            Ok(bytes) => {
                $r.sp.set_top(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! store {
    ($r:ident, $off:expr, $n:literal, $conv:expr) => {{
        let v = $r.sp.pop();
        let a = $r.sp.pop();
        let bytes: [u8; $n] = ($conv)(v);
        $r.mem.store::<$n>(a, $off, bytes)
    }};
}
// The fused superinstructions (`bytecode` documents the forms).
macro_rules! i32_sc {
    ($r:ident, $f:ident, $c:expr) => {
        $r.sp
            .set_top(i32_bits::$f($r.sp.top() as u32, $c as u32) as u64)
    };
}
macro_rules! i32_sl {
    ($r:ident, $f:ident, $b:expr) => {
        $r.sp
            .set_top(i32_bits::$f($r.sp.top() as u32, $r.lp.get($b) as u32) as u64)
    };
}
macro_rules! i32_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr) => {
        $r.sp
            .push(i32_bits::$f($r.lp.get($a) as u32, $r.lp.get($b) as u32) as u64)
    };
}
macro_rules! i32_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr) => {
        $r.sp
            .push(i32_bits::$f($r.lp.get($a) as u32, $c as u32) as u64)
    };
}
macro_rules! i32_ll_to {
    ($r:ident, $f:ident, $a:expr, $b:expr, $d:expr) => {
        $r.lp.set(
            $d,
            i32_bits::$f($r.lp.get($a) as u32, $r.lp.get($b) as u32) as u64,
        )
    };
}
macro_rules! i32_lc_to {
    ($r:ident, $f:ident, $a:expr, $c:expr, $d:expr) => {
        $r.lp
            .set($d, i32_bits::$f($r.lp.get($a) as u32, $c as u32) as u64)
    };
}
macro_rules! i32_sc_to {
    ($r:ident, $f:ident, $c:expr, $d:expr) => {{
        let a = $r.sp.pop() as u32;
        $r.lp.set($d, i32_bits::$f(a, $c as u32) as u64);
    }};
}
macro_rules! i32_ll_tee {
    ($r:ident, $f:ident, $a:expr, $b:expr, $d:expr) => {{
        let v = i32_bits::$f($r.lp.get($a) as u32, $r.lp.get($b) as u32) as u64;
        $r.lp.set($d, v);
        $r.sp.push(v);
    }};
}
macro_rules! i32_lc_tee {
    ($r:ident, $f:ident, $a:expr, $c:expr, $d:expr) => {{
        let v = i32_bits::$f($r.lp.get($a) as u32, $c as u32) as u64;
        $r.lp.set($d, v);
        $r.sp.push(v);
    }};
}
macro_rules! br_ss {
    ($r:ident, $f:ident, $t:expr) => {{
        let b = $r.sp.pop() as u32;
        let a = $r.sp.pop() as u32;
        if i32_bits::$f(a, b) {
            $r.jump($t);
        }
    }};
}
macro_rules! br_sc {
    ($r:ident, $f:ident, $c:expr, $t:expr) => {{
        if i32_bits::$f($r.sp.pop() as u32, $c as u32) {
            $r.jump($t);
        }
    }};
}
macro_rules! br_sl {
    ($r:ident, $f:ident, $b:expr, $t:expr) => {{
        if i32_bits::$f($r.sp.pop() as u32, $r.lp.get($b) as u32) {
            $r.jump($t);
        }
    }};
}
macro_rules! br_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr, $t:expr) => {{
        if i32_bits::$f($r.lp.get($a) as u32, $r.lp.get($b) as u32) {
            $r.jump($t);
        }
    }};
}
macro_rules! br_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr, $t:expr) => {{
        if i32_bits::$f($r.lp.get($a) as u32, $c as u32) {
            $r.jump($t);
        }
    }};
}
macro_rules! i64_sc {
    ($r:ident, $f:ident, $c:expr) => {
        $r.sp.set_top(i64_bits::$f($r.sp.top(), $c as i64 as u64))
    };
}
macro_rules! i64_sl {
    ($r:ident, $f:ident, $b:expr) => {
        $r.sp.set_top(i64_bits::$f($r.sp.top(), $r.lp.get($b)))
    };
}
macro_rules! i64_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr) => {
        $r.sp.push(i64_bits::$f($r.lp.get($a), $r.lp.get($b)))
    };
}
macro_rules! i64_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr) => {
        $r.sp.push(i64_bits::$f($r.lp.get($a), $c as i64 as u64))
    };
}
macro_rules! f32_sl {
    ($r:ident, $f:ident, $b:expr) => {
        $r.sp
            .set_top(f32_ops::$f(f32!($r.sp.top()), f32!($r.lp.get($b))).to_bits() as u64)
    };
}
macro_rules! f32_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr) => {
        $r.sp
            .push(f32_ops::$f(f32!($r.lp.get($a)), f32!($r.lp.get($b))).to_bits() as u64)
    };
}
macro_rules! f64_sl {
    ($r:ident, $f:ident, $b:expr) => {
        $r.sp
            .set_top(f64_ops::$f(f64!($r.sp.top()), f64!($r.lp.get($b))).to_bits())
    };
}
macro_rules! f64_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr) => {
        $r.sp
            .push(f64_ops::$f(f64!($r.lp.get($a)), f64!($r.lp.get($b))).to_bits())
    };
}
macro_rules! load_l {
    ($r:ident, $n:literal, $conv:expr, $l:expr, $off:expr) => {{
        match $r.mem.load::<$n>($r.lp.get($l), $off) {
            Ok(bytes) => {
                $r.sp.push(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! load_lc {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $c:expr, $off:expr) => {{
        let addr = ($r.lp.get($a) as u32).wrapping_add($c as u32) as u64;
        match $r.mem.load::<$n>(addr, $off) {
            Ok(bytes) => {
                $r.sp.push(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}

macro_rules! br_if {
    ($r:ident, $cond:expr, $t:expr) => {{
        let cond = $cond;
        $r.jump_if(cond, $t)
    }};
}
macro_rules! br_tee {
    ($r:ident, $local:expr, $test:expr, $t:expr) => {{
        let v = $r.sp.pop();
        $r.lp.set($local, v);
        $r.jump_if(($test)(v as u32), $t)
    }};
}
macro_rules! i32_ss_to {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = $r.sp.pop() as u32;
        let a = $r.sp.pop() as u32;
        $r.lp.set($d, i32_bits::$f(a, b) as u64);
    }};
}
macro_rules! i32_sl_to {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let a = $r.sp.pop() as u32;
        $r.lp.set($d, i32_bits::$f(a, $r.lp.get($b) as u32) as u64);
    }};
}
macro_rules! load_sc {
    ($r:ident, $n:literal, $conv:expr, $c:expr, $off:expr) => {{
        let addr = ($r.sp.top() as u32).wrapping_add($c as u32) as u64;
        match $r.mem.load::<$n>(addr, $off) {
            Ok(bytes) => {
                $r.sp.set_top(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! load_sl {
    ($r:ident, $n:literal, $conv:expr, $b:expr, $off:expr) => {{
        let addr = ($r.sp.top() as u32).wrapping_add($r.lp.get($b) as u32) as u64;
        match $r.mem.load::<$n>(addr, $off) {
            Ok(bytes) => {
                $r.sp.set_top(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
macro_rules! store_ll {
    ($r:ident, $n:literal, $conv:expr, $addr:expr, $value:expr, $off:expr) => {{
        let bytes: [u8; $n] = ($conv)($r.lp.get($value));
        $r.mem.store::<$n>($r.lp.get($addr), $off, bytes)
    }};
}

macro_rules! i32_ls {
    ($r:ident, $f:ident, $a:expr) => {
        $r.sp
            .set_top(i32_bits::$f($r.lp.get($a) as u32, $r.sp.top() as u32) as u64)
    };
}
macro_rules! i64_ls {
    ($r:ident, $f:ident, $a:expr) => {
        $r.sp.set_top(i64_bits::$f($r.lp.get($a), $r.sp.top()))
    };
}
macro_rules! f32_ls {
    ($r:ident, $f:ident, $a:expr) => {
        $r.sp
            .set_top(f32_ops::$f(f32!($r.lp.get($a)), f32!($r.sp.top())).to_bits() as u64)
    };
}
macro_rules! f64_ls {
    ($r:ident, $f:ident, $a:expr) => {
        $r.sp
            .set_top(f64_ops::$f(f64!($r.lp.get($a)), f64!($r.sp.top())).to_bits())
    };
}
macro_rules! load_ll {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $b:expr, $off:expr) => {{
        let addr = ($r.lp.get($a) as u32).wrapping_add($r.lp.get($b) as u32) as u64;
        match $r.mem.load::<$n>(addr, $off) {
            Ok(bytes) => {
                $r.sp.push(($conv)(bytes));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}

macro_rules! store_c {
    ($r:ident, $n:literal, $bytes:expr, $off:expr) => {{
        let a = $r.sp.pop();
        $r.mem.store::<$n>(a, $off, $bytes)
    }};
}

macro_rules! store_l {
    ($r:ident, $n:literal, $conv:expr, $addr:expr, $off:expr) => {{
        let bytes: [u8; $n] = ($conv)($r.sp.pop());
        $r.mem.store::<$n>($r.lp.get($addr), $off, bytes)
    }};
}
macro_rules! i64_ss_to {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = $r.sp.pop();
        let a = $r.sp.pop();
        $r.lp.set($d, i64_bits::$f(a, b));
    }};
}
macro_rules! i32_ls_to {
    ($r:ident, $f:ident, $a:expr, $d:expr) => {{
        let b = $r.sp.pop() as u32;
        $r.lp.set($d, i32_bits::$f($r.lp.get($a) as u32, b) as u64);
    }};
}

macro_rules! i64_sl_to {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let a = $r.sp.pop();
        $r.lp.set($d, i64_bits::$f(a, $r.lp.get($b)));
    }};
}
macro_rules! f32_ss_to {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = f32!($r.sp.pop());
        let a = f32!($r.sp.pop());
        $r.lp.set($d, f32_ops::$f(a, b).to_bits() as u64);
    }};
}
macro_rules! f32_sl_to {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let a = f32!($r.sp.pop());
        $r.lp
            .set($d, f32_ops::$f(a, f32!($r.lp.get($b))).to_bits() as u64);
    }};
}
macro_rules! f64_ss_to {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = f64!($r.sp.pop());
        let a = f64!($r.sp.pop());
        $r.lp.set($d, f64_ops::$f(a, b).to_bits());
    }};
}
macro_rules! f64_sl_to {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let a = f64!($r.sp.pop());
        $r.lp.set($d, f64_ops::$f(a, f64!($r.lp.get($b))).to_bits());
    }};
}

// A float result both stored into local `d` and left on the stack (`local.tee`).
macro_rules! f32_ss_tee {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = f32!($r.sp.pop());
        let v = f32_ops::$f(f32!($r.sp.top()), b).to_bits() as u64;
        $r.sp.set_top(v);
        $r.lp.set($d, v);
    }};
}
macro_rules! f32_sl_tee {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let v = f32_ops::$f(f32!($r.sp.top()), f32!($r.lp.get($b))).to_bits() as u64;
        $r.sp.set_top(v);
        $r.lp.set($d, v);
    }};
}
macro_rules! f64_ss_tee {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = f64!($r.sp.pop());
        let v = f64_ops::$f(f64!($r.sp.top()), b).to_bits();
        $r.sp.set_top(v);
        $r.lp.set($d, v);
    }};
}
macro_rules! f64_sl_tee {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let v = f64_ops::$f(f64!($r.sp.top()), f64!($r.lp.get($b))).to_bits();
        $r.sp.set_top(v);
        $r.lp.set($d, v);
    }};
}

macro_rules! br_step {
    ($r:ident, $f:ident, $a:expr, $step:expr, $d:expr, $rhs:expr, $t:expr) => {{
        let v = ($r.lp.get($a as u32) as u32).wrapping_add($step);
        $r.lp.set($d as u32, v as u64);
        $r.jump_if(i32_bits::$f(v, $rhs), $t)
    }};
}

/// Calls `$backend!` with every op as `Name fields => |r, cx| body,`, in the
/// order of `Op`'s variants (unit variants as `Name {}`).
macro_rules! with_ops {
    ($backend:ident) => {
        $backend! {
            Unreachable {} => |_, _| Err::<(), TrapCode>(TrapCode::Unreachable),
            Br { target, drop, keep } => |r, _| r.branch(target, drop, keep),
            Jump { target } => |r, _| r.jump(target),
            BrIfNez { target, drop, keep } => |r, _| {
                if r.sp.pop() as u32 != 0 {
                    r.branch(target, drop, keep)
                }
            },
            BrIfEqz { target } => |r, _| {
                let cond = r.sp.pop() as u32 == 0;
                r.jump_if(cond, target)
            },
            BrTable { len } => |r, _| {
                let i = (r.sp.pop() as u32).min(len);
                r.table_branch(i)
            },
            BrTableJump { len } => |r, _| {
                let i = (r.sp.pop() as u32).min(len);
                r.table_jump(i)
            },
            Return {} => |r, cx| cx.ret(r),
            Return1 {} => |r, cx| cx.ret1(r),
            Call(c) => |r, cx| cx.call_local(r, c),
            CallImport(f) => |r, cx| {
                let handle = cx.inst.funcs[f as usize];
                cx.call(r, handle)
            },
            CallIndirect { ty, table } => |r, cx| cx.call_indirect(r, ty, table),
            Fuel { amount } => |r, cx| cx.fuel(r, amount),
            FuelBulk { shift } => |r, cx| cx.fuel_bulk(r, shift),
            Drop {} => |r, _| r.sp.drop_n(1),
            Select {} => |r, _| {
                let c = r.sp.pop() as u32;
                let b = r.sp.pop();
                if c == 0 {
                    r.sp.set_top(b);
                }
            },
            LocalGet(i) => |r, _| r.sp.push(r.lp.get(i)),
            LocalSet(i) => |r, _| {
                let v = r.sp.pop();
                r.lp.set(i, v)
            },
            LocalTee(i) => |r, _| r.lp.set(i, r.sp.top()),
            GlobalGet(i) => |r, cx| r.sp.push(cx.globals[cx.global(i)].value),
            GlobalSet(i) => |r, cx| {
                let g = cx.global(i);
                cx.globals[g].value = r.sp.pop();
            },
            TableGet(t) => |r, cx| {
                let e = cx.table_get(t, r.sp.top() as u32)?;
                r.sp.set_top(e);
                Ok::<(), Break>(())
            },
            TableSet(t) => |r, cx| {
                let e = r.sp.pop();
                let i = r.sp.pop() as u32;
                cx.table_set(t, i, e)
            },
            TableSize(t) => |r, cx| r.sp.push(cx.table_size(t)),
            TableGrow(t) => |r, cx| {
                let n = r.sp.pop() as u32;
                let init = r.sp.top();
                let old = cx.table_grow(t, n, init)?;
                r.sp.set_top(old);
                Ok::<(), Break>(())
            },
            TableFill(t) => |r, cx| {
                let n = r.sp.pop() as u32 as u64;
                let e = r.sp.pop();
                let i = r.sp.pop() as u32 as u64;
                cx.table_fill(t, i, e, n)
            },
            TableCopy { dst, src } => |r, cx| {
                let n = r.sp.pop() as u32 as u64;
                let s = r.sp.pop() as u32 as u64;
                let d = r.sp.pop() as u32 as u64;
                cx.table_copy(dst, src, d, s, n)
            },
            TableInit { table, elem } => |r, cx| {
                let n = r.sp.pop() as u32 as u64;
                let s = r.sp.pop() as u32 as u64;
                let d = r.sp.pop() as u32 as u64;
                cx.table_init(table, elem, d, s, n)
            },
            ElemDrop(e) => |_, cx| cx.elem_drop(e),
            I32Load(o) => |r, _| load!(r, o, 4, |b| u32::from_le_bytes(b) as u64),
            I64Load(o) => |r, _| load!(r, o, 8, u64::from_le_bytes),
            F32Load(o) => |r, _| load!(r, o, 4, |b| u32::from_le_bytes(b) as u64),
            F64Load(o) => |r, _| load!(r, o, 8, u64::from_le_bytes),
            I32Load8S(o) => |r, _| load!(r, o, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64),
            I32Load8U(o) => |r, _| load!(r, o, 1, |b| u8::from_le_bytes(b) as u64),
            I32Load16S(o) => |r, _| load!(r, o, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64),
            I32Load16U(o) => |r, _| load!(r, o, 2, |b| u16::from_le_bytes(b) as u64),
            I64Load8S(o) => |r, _| load!(r, o, 1, |b| i8::from_le_bytes(b) as i64 as u64),
            I64Load8U(o) => |r, _| load!(r, o, 1, |b| u8::from_le_bytes(b) as u64),
            I64Load16S(o) => |r, _| load!(r, o, 2, |b| i16::from_le_bytes(b) as i64 as u64),
            I64Load16U(o) => |r, _| load!(r, o, 2, |b| u16::from_le_bytes(b) as u64),
            I64Load32S(o) => |r, _| load!(r, o, 4, |b| i32::from_le_bytes(b) as i64 as u64),
            I64Load32U(o) => |r, _| load!(r, o, 4, |b| u32::from_le_bytes(b) as u64),
            I32Store(o) => |r, _| store!(r, o, 4, |v: u64| (v as u32).to_le_bytes()),
            I64Store(o) => |r, _| store!(r, o, 8, |v: u64| v.to_le_bytes()),
            F32Store(o) => |r, _| store!(r, o, 4, |v: u64| (v as u32).to_le_bytes()),
            F64Store(o) => |r, _| store!(r, o, 8, |v: u64| v.to_le_bytes()),
            I32Store8(o) => |r, _| store!(r, o, 1, |v: u64| (v as u8).to_le_bytes()),
            I32Store16(o) => |r, _| store!(r, o, 2, |v: u64| (v as u16).to_le_bytes()),
            I64Store8(o) => |r, _| store!(r, o, 1, |v: u64| (v as u8).to_le_bytes()),
            I64Store16(o) => |r, _| store!(r, o, 2, |v: u64| (v as u16).to_le_bytes()),
            I64Store32(o) => |r, _| store!(r, o, 4, |v: u64| (v as u32).to_le_bytes()),
            MemorySize {} => |r, cx| r.sp.push(cx.memory_size()),
            MemoryGrow {} => |r, cx| {
                let n = r.sp.top() as u32;
                let old = cx.memory_grow(n)?;
                r.sp.set_top(old);
                r.mem = cx.mem_view();
                Ok::<(), Break>(())
            },
            MemoryInit(seg) => |r, cx| {
                let n = r.sp.pop() as u32 as u64;
                let s = r.sp.pop() as u32 as u64;
                let d = r.sp.pop() as u32 as u64;
                cx.memory_init(seg, d, s, n)
            },
            DataDrop(seg) => |_, cx| cx.data_drop(seg),
            MemoryCopy {} => |r, _| {
                let n = r.sp.pop() as u32 as u64;
                let s = r.sp.pop() as u32 as u64;
                let d = r.sp.pop() as u32 as u64;
                r.mem.copy(d, s, n)
            },
            MemoryFill {} => |r, _| {
                let n = r.sp.pop() as u32 as u64;
                let v = r.sp.pop() as u8;
                let d = r.sp.pop() as u32 as u64;
                r.mem.fill(d, v, n)
            },
            I32Const(v) => |r, _| r.sp.push(v as u32 as u64),
            I64Const(v) => |r, _| r.sp.push(v as u64),
            F32Const(v) => |r, _| r.sp.push(v as u64),
            F64Const(v) => |r, _| r.sp.push(v),
            RefNull {} => |r, _| r.sp.push(0),
            RefIsNull {} => |r, _| r.sp.set_top((r.sp.top() == 0) as u64),
            RefFunc(f) => |r, cx| r.sp.push(cx.inst.funcs[f as usize] as u64 + 1),
            I32Eqz {} => |r, _| un!(r, u32 -> from_bool, |a| a == 0),
            I32Eq {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a == b),
            I32Ne {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a != b),
            I32LtS {} => |r, _| bin!(r, i32 -> from_bool, |a, b| a < b),
            I32LtU {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a < b),
            I32GtS {} => |r, _| bin!(r, i32 -> from_bool, |a, b| a > b),
            I32GtU {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a > b),
            I32LeS {} => |r, _| bin!(r, i32 -> from_bool, |a, b| a <= b),
            I32LeU {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a <= b),
            I32GeS {} => |r, _| bin!(r, i32 -> from_bool, |a, b| a >= b),
            I32GeU {} => |r, _| bin!(r, u32 -> from_bool, |a, b| a >= b),
            I64Eqz {} => |r, _| un!(r, u64 -> from_bool, |a| a == 0),
            I64Eq {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a == b),
            I64Ne {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a != b),
            I64LtS {} => |r, _| bin!(r, i64 -> from_bool, |a, b| a < b),
            I64LtU {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a < b),
            I64GtS {} => |r, _| bin!(r, i64 -> from_bool, |a, b| a > b),
            I64GtU {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a > b),
            I64LeS {} => |r, _| bin!(r, i64 -> from_bool, |a, b| a <= b),
            I64LeU {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a <= b),
            I64GeS {} => |r, _| bin!(r, i64 -> from_bool, |a, b| a >= b),
            I64GeU {} => |r, _| bin!(r, u64 -> from_bool, |a, b| a >= b),
            F32Eq {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a == b),
            F32Ne {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a != b),
            F32Lt {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a < b),
            F32Gt {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a > b),
            F32Le {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a <= b),
            F32Ge {} => |r, _| bin!(r, f32 -> from_bool, |a, b| a >= b),
            F64Eq {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a == b),
            F64Ne {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a != b),
            F64Lt {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a < b),
            F64Gt {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a > b),
            F64Le {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a <= b),
            F64Ge {} => |r, _| bin!(r, f64 -> from_bool, |a, b| a >= b),
            I32Clz {} => |r, _| un!(r, u32 -> from_u32, u32::leading_zeros),
            I32Ctz {} => |r, _| un!(r, u32 -> from_u32, u32::trailing_zeros),
            I32Popcnt {} => |r, _| un!(r, u32 -> from_u32, u32::count_ones),
            I32Add {} => |r, _| bin!(r, u32 -> from_u32, u32::wrapping_add),
            I32Sub {} => |r, _| bin!(r, u32 -> from_u32, u32::wrapping_sub),
            I32Mul {} => |r, _| bin!(r, u32 -> from_u32, u32::wrapping_mul),
            I32DivS {} => |r, _| bin_trap!(r, i32 -> from_i32, numeric::i32_div_s),
            I32DivU {} => |r, _| bin_trap!(r, u32 -> from_u32, numeric::i32_div_u),
            I32RemS {} => |r, _| bin_trap!(r, i32 -> from_i32, numeric::i32_rem_s),
            I32RemU {} => |r, _| bin_trap!(r, u32 -> from_u32, numeric::i32_rem_u),
            I32And {} => |r, _| bin!(r, u32 -> from_u32, |a, b| a & b),
            I32Or {} => |r, _| bin!(r, u32 -> from_u32, |a, b| a | b),
            I32Xor {} => |r, _| bin!(r, u32 -> from_u32, |a, b| a ^ b),
            I32Shl {} => |r, _| bin!(r, u32 -> from_u32, |a: u32, b: u32| a.wrapping_shl(b)),
            I32ShrS {} => |r, _| bin!(r, i32 -> from_i32, |a: i32, b: i32| a.wrapping_shr(b as u32)),
            I32ShrU {} => |r, _| bin!(r, u32 -> from_u32, |a: u32, b: u32| a.wrapping_shr(b)),
            I32Rotl {} => |r, _| bin!(r, u32 -> from_u32, |a: u32, b: u32| a.rotate_left(b % 32)),
            I32Rotr {} => |r, _| bin!(r, u32 -> from_u32, |a: u32, b: u32| a.rotate_right(b % 32)),
            I64Clz {} => |r, _| un!(r, u64 -> from_u64, |a: u64| a.leading_zeros() as u64),
            I64Ctz {} => |r, _| un!(r, u64 -> from_u64, |a: u64| a.trailing_zeros() as u64),
            I64Popcnt {} => |r, _| un!(r, u64 -> from_u64, |a: u64| a.count_ones() as u64),
            I64Add {} => |r, _| bin!(r, u64 -> from_u64, u64::wrapping_add),
            I64Sub {} => |r, _| bin!(r, u64 -> from_u64, u64::wrapping_sub),
            I64Mul {} => |r, _| bin!(r, u64 -> from_u64, u64::wrapping_mul),
            I64DivS {} => |r, _| bin_trap!(r, i64 -> from_i64, numeric::i64_div_s),
            I64DivU {} => |r, _| bin_trap!(r, u64 -> from_u64, numeric::i64_div_u),
            I64RemS {} => |r, _| bin_trap!(r, i64 -> from_i64, numeric::i64_rem_s),
            I64RemU {} => |r, _| bin_trap!(r, u64 -> from_u64, numeric::i64_rem_u),
            I64And {} => |r, _| bin!(r, u64 -> from_u64, |a, b| a & b),
            I64Or {} => |r, _| bin!(r, u64 -> from_u64, |a, b| a | b),
            I64Xor {} => |r, _| bin!(r, u64 -> from_u64, |a, b| a ^ b),
            I64Shl {} => |r, _| bin!(r, u64 -> from_u64, |a: u64, b: u64| a.wrapping_shl(b as u32)),
            I64ShrS {} => |r, _| bin!(r, i64 -> from_i64, |a: i64, b: i64| a.wrapping_shr(b as u32)),
            I64ShrU {} => |r, _| bin!(r, u64 -> from_u64, |a: u64, b: u64| a.wrapping_shr(b as u32)),
            I64Rotl {} => |r, _| { bin!(r, u64 -> from_u64, |a: u64, b: u64| a.rotate_left((b % 64) as u32)) },
            I64Rotr {} => |r, _| { bin!(r, u64 -> from_u64, |a: u64, b: u64| a.rotate_right((b % 64) as u32)) },
            F32Abs {} => |r, _| un!(r, u32 -> from_u32, numeric::f32_abs),
            F32Neg {} => |r, _| un!(r, u32 -> from_u32, numeric::f32_neg),
            F32Ceil {} => |r, _| un!(r, f32 -> from_f32, numeric::f32_ceil),
            F32Floor {} => |r, _| un!(r, f32 -> from_f32, numeric::f32_floor),
            F32Trunc {} => |r, _| un!(r, f32 -> from_f32, numeric::f32_trunc),
            F32Nearest {} => |r, _| un!(r, f32 -> from_f32, numeric::f32_nearest),
            F32Sqrt {} => |r, _| un!(r, f32 -> from_f32, numeric::f32_sqrt),
            F32Add {} => |r, _| bin!(r, f32 -> from_f32, |a, b| a + b),
            F32Sub {} => |r, _| bin!(r, f32 -> from_f32, |a, b| a - b),
            F32Mul {} => |r, _| bin!(r, f32 -> from_f32, |a, b| a * b),
            F32Div {} => |r, _| bin!(r, f32 -> from_f32, |a, b| a / b),
            F32Min {} => |r, _| bin!(r, f32 -> from_f32, numeric::f32_min),
            F32Max {} => |r, _| bin!(r, f32 -> from_f32, numeric::f32_max),
            F32Copysign {} => |r, _| bin!(r, u32 -> from_u32, numeric::f32_copysign),
            F64Abs {} => |r, _| un!(r, u64 -> from_u64, numeric::f64_abs),
            F64Neg {} => |r, _| un!(r, u64 -> from_u64, numeric::f64_neg),
            F64Ceil {} => |r, _| un!(r, f64 -> from_f64, numeric::f64_ceil),
            F64Floor {} => |r, _| un!(r, f64 -> from_f64, numeric::f64_floor),
            F64Trunc {} => |r, _| un!(r, f64 -> from_f64, numeric::f64_trunc),
            F64Nearest {} => |r, _| un!(r, f64 -> from_f64, numeric::f64_nearest),
            F64Sqrt {} => |r, _| un!(r, f64 -> from_f64, numeric::f64_sqrt),
            F64Add {} => |r, _| bin!(r, f64 -> from_f64, |a, b| a + b),
            F64Sub {} => |r, _| bin!(r, f64 -> from_f64, |a, b| a - b),
            F64Mul {} => |r, _| bin!(r, f64 -> from_f64, |a, b| a * b),
            F64Div {} => |r, _| bin!(r, f64 -> from_f64, |a, b| a / b),
            F64Min {} => |r, _| bin!(r, f64 -> from_f64, numeric::f64_min),
            F64Max {} => |r, _| bin!(r, f64 -> from_f64, numeric::f64_max),
            F64Copysign {} => |r, _| bin!(r, u64 -> from_u64, numeric::f64_copysign),
            I32TruncF32S {} => |r, _| un_trap!(r, f32 -> from_i32, numeric::i32_trunc_f32_s),
            I32TruncF32U {} => |r, _| un_trap!(r, f32 -> from_u32, numeric::i32_trunc_f32_u),
            I32TruncF64S {} => |r, _| un_trap!(r, f64 -> from_i32, numeric::i32_trunc_f64_s),
            I32TruncF64U {} => |r, _| un_trap!(r, f64 -> from_u32, numeric::i32_trunc_f64_u),
            I64ExtendI32S {} => |r, _| un!(r, i32 -> from_i64, |a: i32| a as i64),
            I64ExtendI32U {} => |r, _| un!(r, u32 -> from_u64, |a: u32| a as u64),
            I64TruncF32S {} => |r, _| un_trap!(r, f32 -> from_i64, numeric::i64_trunc_f32_s),
            I64TruncF32U {} => |r, _| un_trap!(r, f32 -> from_u64, numeric::i64_trunc_f32_u),
            I64TruncF64S {} => |r, _| un_trap!(r, f64 -> from_i64, numeric::i64_trunc_f64_s),
            I64TruncF64U {} => |r, _| un_trap!(r, f64 -> from_u64, numeric::i64_trunc_f64_u),
            F32ConvertI32S {} => |r, _| un!(r, i32 -> from_f32, |a: i32| a as f32),
            F32ConvertI32U {} => |r, _| un!(r, u32 -> from_f32, |a: u32| a as f32),
            F32ConvertI64S {} => |r, _| un!(r, i64 -> from_f32, |a: i64| a as f32),
            F32ConvertI64U {} => |r, _| un!(r, u64 -> from_f32, |a: u64| a as f32),
            F32DemoteF64 {} => |r, _| un!(r, f64 -> from_f32, |a: f64| a as f32),
            F64ConvertI32S {} => |r, _| un!(r, i32 -> from_f64, |a: i32| a as f64),
            F64ConvertI32U {} => |r, _| un!(r, u32 -> from_f64, |a: u32| a as f64),
            F64ConvertI64S {} => |r, _| un!(r, i64 -> from_f64, |a: i64| a as f64),
            F64ConvertI64U {} => |r, _| un!(r, u64 -> from_f64, |a: u64| a as f64),
            F64PromoteF32 {} => |r, _| un!(r, f32 -> from_f64, |a: f32| a as f64),
            I32Extend8S {} => |r, _| un!(r, u32 -> from_i32, |a: u32| a as i8 as i32),
            I32Extend16S {} => |r, _| un!(r, u32 -> from_i32, |a: u32| a as i16 as i32),
            I64Extend8S {} => |r, _| un!(r, u64 -> from_i64, |a: u64| a as i8 as i64),
            I64Extend16S {} => |r, _| un!(r, u64 -> from_i64, |a: u64| a as i16 as i64),
            I64Extend32S {} => |r, _| un!(r, u64 -> from_i64, |a: u64| a as i32 as i64),
            // Rust's float-to-int `as` saturates and maps NaN to 0: exactly trunc_sat.
            I32TruncSatF32S {} => |r, _| un!(r, f32 -> from_i32, |a: f32| a as i32),
            I32TruncSatF32U {} => |r, _| un!(r, f32 -> from_u32, |a: f32| a as u32),
            I32TruncSatF64S {} => |r, _| un!(r, f64 -> from_i32, |a: f64| a as i32),
            I32TruncSatF64U {} => |r, _| un!(r, f64 -> from_u32, |a: f64| a as u32),
            I64TruncSatF32S {} => |r, _| un!(r, f32 -> from_i64, |a: f32| a as i64),
            I64TruncSatF32U {} => |r, _| un!(r, f32 -> from_u64, |a: f32| a as u64),
            I64TruncSatF64S {} => |r, _| un!(r, f64 -> from_i64, |a: f64| a as i64),
            I64TruncSatF64U {} => |r, _| un!(r, f64 -> from_u64, |a: f64| a as u64),
            I32AddSC(c) => |r, _| i32_sc!(r, add, c),
            I32AddSL(b) => |r, _| i32_sl!(r, add, b),
            I32AddLL { a, b } => |r, _| i32_ll!(r, add, a, b),
            I32AddLC { a, c } => |r, _| i32_lc!(r, add, a, c),
            I32SubSC(c) => |r, _| i32_sc!(r, sub, c),
            I32SubSL(b) => |r, _| i32_sl!(r, sub, b),
            I32SubLL { a, b } => |r, _| i32_ll!(r, sub, a, b),
            I32SubLC { a, c } => |r, _| i32_lc!(r, sub, a, c),
            I32MulSC(c) => |r, _| i32_sc!(r, mul, c),
            I32MulSL(b) => |r, _| i32_sl!(r, mul, b),
            I32MulLL { a, b } => |r, _| i32_ll!(r, mul, a, b),
            I32MulLC { a, c } => |r, _| i32_lc!(r, mul, a, c),
            I32AndSC(c) => |r, _| i32_sc!(r, and, c),
            I32AndSL(b) => |r, _| i32_sl!(r, and, b),
            I32AndLL { a, b } => |r, _| i32_ll!(r, and, a, b),
            I32AndLC { a, c } => |r, _| i32_lc!(r, and, a, c),
            I32OrSC(c) => |r, _| i32_sc!(r, or, c),
            I32OrSL(b) => |r, _| i32_sl!(r, or, b),
            I32OrLL { a, b } => |r, _| i32_ll!(r, or, a, b),
            I32OrLC { a, c } => |r, _| i32_lc!(r, or, a, c),
            I32XorSC(c) => |r, _| i32_sc!(r, xor, c),
            I32XorSL(b) => |r, _| i32_sl!(r, xor, b),
            I32XorLL { a, b } => |r, _| i32_ll!(r, xor, a, b),
            I32XorLC { a, c } => |r, _| i32_lc!(r, xor, a, c),
            I32ShlSC(c) => |r, _| i32_sc!(r, shl, c),
            I32ShlSL(b) => |r, _| i32_sl!(r, shl, b),
            I32ShlLL { a, b } => |r, _| i32_ll!(r, shl, a, b),
            I32ShlLC { a, c } => |r, _| i32_lc!(r, shl, a, c),
            I32ShrSSC(c) => |r, _| i32_sc!(r, shr_s, c),
            I32ShrSSL(b) => |r, _| i32_sl!(r, shr_s, b),
            I32ShrSLL { a, b } => |r, _| i32_ll!(r, shr_s, a, b),
            I32ShrSLC { a, c } => |r, _| i32_lc!(r, shr_s, a, c),
            I32ShrUSC(c) => |r, _| i32_sc!(r, shr_u, c),
            I32ShrUSL(b) => |r, _| i32_sl!(r, shr_u, b),
            I32ShrULL { a, b } => |r, _| i32_ll!(r, shr_u, a, b),
            I32ShrULC { a, c } => |r, _| i32_lc!(r, shr_u, a, c),
            I32RotlSC(c) => |r, _| i32_sc!(r, rotl, c),
            I32RotlSL(b) => |r, _| i32_sl!(r, rotl, b),
            I32RotlLL { a, b } => |r, _| i32_ll!(r, rotl, a, b),
            I32RotlLC { a, c } => |r, _| i32_lc!(r, rotl, a, c),
            I32RotrSC(c) => |r, _| i32_sc!(r, rotr, c),
            I32RotrSL(b) => |r, _| i32_sl!(r, rotr, b),
            I32RotrLL { a, b } => |r, _| i32_ll!(r, rotr, a, b),
            I32RotrLC { a, c } => |r, _| i32_lc!(r, rotr, a, c),
            I32EqSC(c) => |r, _| i32_sc!(r, eq, c),
            I32EqSL(b) => |r, _| i32_sl!(r, eq, b),
            I32EqLL { a, b } => |r, _| i32_ll!(r, eq, a, b),
            I32EqLC { a, c } => |r, _| i32_lc!(r, eq, a, c),
            I32NeSC(c) => |r, _| i32_sc!(r, ne, c),
            I32NeSL(b) => |r, _| i32_sl!(r, ne, b),
            I32NeLL { a, b } => |r, _| i32_ll!(r, ne, a, b),
            I32NeLC { a, c } => |r, _| i32_lc!(r, ne, a, c),
            I32LtSSC(c) => |r, _| i32_sc!(r, lt_s, c),
            I32LtSSL(b) => |r, _| i32_sl!(r, lt_s, b),
            I32LtSLL { a, b } => |r, _| i32_ll!(r, lt_s, a, b),
            I32LtSLC { a, c } => |r, _| i32_lc!(r, lt_s, a, c),
            I32LtUSC(c) => |r, _| i32_sc!(r, lt_u, c),
            I32LtUSL(b) => |r, _| i32_sl!(r, lt_u, b),
            I32LtULL { a, b } => |r, _| i32_ll!(r, lt_u, a, b),
            I32LtULC { a, c } => |r, _| i32_lc!(r, lt_u, a, c),
            I32GtSSC(c) => |r, _| i32_sc!(r, gt_s, c),
            I32GtSSL(b) => |r, _| i32_sl!(r, gt_s, b),
            I32GtSLL { a, b } => |r, _| i32_ll!(r, gt_s, a, b),
            I32GtSLC { a, c } => |r, _| i32_lc!(r, gt_s, a, c),
            I32GtUSC(c) => |r, _| i32_sc!(r, gt_u, c),
            I32GtUSL(b) => |r, _| i32_sl!(r, gt_u, b),
            I32GtULL { a, b } => |r, _| i32_ll!(r, gt_u, a, b),
            I32GtULC { a, c } => |r, _| i32_lc!(r, gt_u, a, c),
            I32LeSSC(c) => |r, _| i32_sc!(r, le_s, c),
            I32LeSSL(b) => |r, _| i32_sl!(r, le_s, b),
            I32LeSLL { a, b } => |r, _| i32_ll!(r, le_s, a, b),
            I32LeSLC { a, c } => |r, _| i32_lc!(r, le_s, a, c),
            I32LeUSC(c) => |r, _| i32_sc!(r, le_u, c),
            I32LeUSL(b) => |r, _| i32_sl!(r, le_u, b),
            I32LeULL { a, b } => |r, _| i32_ll!(r, le_u, a, b),
            I32LeULC { a, c } => |r, _| i32_lc!(r, le_u, a, c),
            I32GeSSC(c) => |r, _| i32_sc!(r, ge_s, c),
            I32GeSSL(b) => |r, _| i32_sl!(r, ge_s, b),
            I32GeSLL { a, b } => |r, _| i32_ll!(r, ge_s, a, b),
            I32GeSLC { a, c } => |r, _| i32_lc!(r, ge_s, a, c),
            I32GeUSC(c) => |r, _| i32_sc!(r, ge_u, c),
            I32GeUSL(b) => |r, _| i32_sl!(r, ge_u, b),
            I32GeULL { a, b } => |r, _| i32_ll!(r, ge_u, a, b),
            I32GeULC { a, c } => |r, _| i32_lc!(r, ge_u, a, c),
            I32AddLLToL { a, b, d } => |r, _| i32_ll_to!(r, add, a, b, d),
            I32AddLCToL { a, c, d } => |r, _| i32_lc_to!(r, add, a, c, d),
            I32AddSCToL { c, d } => |r, _| i32_sc_to!(r, add, c, d),
            I32AddLLTee { a, b, d } => |r, _| i32_ll_tee!(r, add, a, b, d),
            I32AddLCTee { a, c, d } => |r, _| i32_lc_tee!(r, add, a, c, d),
            I32SubLLToL { a, b, d } => |r, _| i32_ll_to!(r, sub, a, b, d),
            I32SubLCToL { a, c, d } => |r, _| i32_lc_to!(r, sub, a, c, d),
            I32SubSCToL { c, d } => |r, _| i32_sc_to!(r, sub, c, d),
            I32SubLLTee { a, b, d } => |r, _| i32_ll_tee!(r, sub, a, b, d),
            I32SubLCTee { a, c, d } => |r, _| i32_lc_tee!(r, sub, a, c, d),
            I32MulLLToL { a, b, d } => |r, _| i32_ll_to!(r, mul, a, b, d),
            I32MulLCToL { a, c, d } => |r, _| i32_lc_to!(r, mul, a, c, d),
            I32MulSCToL { c, d } => |r, _| i32_sc_to!(r, mul, c, d),
            I32MulLLTee { a, b, d } => |r, _| i32_ll_tee!(r, mul, a, b, d),
            I32MulLCTee { a, c, d } => |r, _| i32_lc_tee!(r, mul, a, c, d),
            I32AndLLToL { a, b, d } => |r, _| i32_ll_to!(r, and, a, b, d),
            I32AndLCToL { a, c, d } => |r, _| i32_lc_to!(r, and, a, c, d),
            I32AndSCToL { c, d } => |r, _| i32_sc_to!(r, and, c, d),
            I32AndLLTee { a, b, d } => |r, _| i32_ll_tee!(r, and, a, b, d),
            I32AndLCTee { a, c, d } => |r, _| i32_lc_tee!(r, and, a, c, d),
            I32OrLLToL { a, b, d } => |r, _| i32_ll_to!(r, or, a, b, d),
            I32OrLCToL { a, c, d } => |r, _| i32_lc_to!(r, or, a, c, d),
            I32OrSCToL { c, d } => |r, _| i32_sc_to!(r, or, c, d),
            I32OrLLTee { a, b, d } => |r, _| i32_ll_tee!(r, or, a, b, d),
            I32OrLCTee { a, c, d } => |r, _| i32_lc_tee!(r, or, a, c, d),
            I32XorLLToL { a, b, d } => |r, _| i32_ll_to!(r, xor, a, b, d),
            I32XorLCToL { a, c, d } => |r, _| i32_lc_to!(r, xor, a, c, d),
            I32XorSCToL { c, d } => |r, _| i32_sc_to!(r, xor, c, d),
            I32XorLLTee { a, b, d } => |r, _| i32_ll_tee!(r, xor, a, b, d),
            I32XorLCTee { a, c, d } => |r, _| i32_lc_tee!(r, xor, a, c, d),
            I32ShlLLToL { a, b, d } => |r, _| i32_ll_to!(r, shl, a, b, d),
            I32ShlLCToL { a, c, d } => |r, _| i32_lc_to!(r, shl, a, c, d),
            I32ShlSCToL { c, d } => |r, _| i32_sc_to!(r, shl, c, d),
            I32ShlLLTee { a, b, d } => |r, _| i32_ll_tee!(r, shl, a, b, d),
            I32ShlLCTee { a, c, d } => |r, _| i32_lc_tee!(r, shl, a, c, d),
            I32ShrSLLToL { a, b, d } => |r, _| i32_ll_to!(r, shr_s, a, b, d),
            I32ShrSLCToL { a, c, d } => |r, _| i32_lc_to!(r, shr_s, a, c, d),
            I32ShrSSCToL { c, d } => |r, _| i32_sc_to!(r, shr_s, c, d),
            I32ShrSLLTee { a, b, d } => |r, _| i32_ll_tee!(r, shr_s, a, b, d),
            I32ShrSLCTee { a, c, d } => |r, _| i32_lc_tee!(r, shr_s, a, c, d),
            I32ShrULLToL { a, b, d } => |r, _| i32_ll_to!(r, shr_u, a, b, d),
            I32ShrULCToL { a, c, d } => |r, _| i32_lc_to!(r, shr_u, a, c, d),
            I32ShrUSCToL { c, d } => |r, _| i32_sc_to!(r, shr_u, c, d),
            I32ShrULLTee { a, b, d } => |r, _| i32_ll_tee!(r, shr_u, a, b, d),
            I32ShrULCTee { a, c, d } => |r, _| i32_lc_tee!(r, shr_u, a, c, d),
            I32RotlLLToL { a, b, d } => |r, _| i32_ll_to!(r, rotl, a, b, d),
            I32RotlLCToL { a, c, d } => |r, _| i32_lc_to!(r, rotl, a, c, d),
            I32RotlSCToL { c, d } => |r, _| i32_sc_to!(r, rotl, c, d),
            I32RotlLLTee { a, b, d } => |r, _| i32_ll_tee!(r, rotl, a, b, d),
            I32RotlLCTee { a, c, d } => |r, _| i32_lc_tee!(r, rotl, a, c, d),
            I32RotrLLToL { a, b, d } => |r, _| i32_ll_to!(r, rotr, a, b, d),
            I32RotrLCToL { a, c, d } => |r, _| i32_lc_to!(r, rotr, a, c, d),
            I32RotrSCToL { c, d } => |r, _| i32_sc_to!(r, rotr, c, d),
            I32RotrLLTee { a, b, d } => |r, _| i32_ll_tee!(r, rotr, a, b, d),
            I32RotrLCTee { a, c, d } => |r, _| i32_lc_tee!(r, rotr, a, c, d),
            BrI32Eq { target } => |r, _| br_ss!(r, eq, target),
            BrI32EqSC { target, c } => |r, _| br_sc!(r, eq, c, target),
            BrI32EqSL { target, b } => |r, _| br_sl!(r, eq, b, target),
            BrI32EqLL { target, a, b } => |r, _| br_ll!(r, eq, a, b, target),
            BrI32EqLC { target, a, c } => |r, _| br_lc!(r, eq, a, c, target),
            BrI32Ne { target } => |r, _| br_ss!(r, ne, target),
            BrI32NeSC { target, c } => |r, _| br_sc!(r, ne, c, target),
            BrI32NeSL { target, b } => |r, _| br_sl!(r, ne, b, target),
            BrI32NeLL { target, a, b } => |r, _| br_ll!(r, ne, a, b, target),
            BrI32NeLC { target, a, c } => |r, _| br_lc!(r, ne, a, c, target),
            BrI32LtS { target } => |r, _| br_ss!(r, lt_s, target),
            BrI32LtSSC { target, c } => |r, _| br_sc!(r, lt_s, c, target),
            BrI32LtSSL { target, b } => |r, _| br_sl!(r, lt_s, b, target),
            BrI32LtSLL { target, a, b } => |r, _| br_ll!(r, lt_s, a, b, target),
            BrI32LtSLC { target, a, c } => |r, _| br_lc!(r, lt_s, a, c, target),
            BrI32LtU { target } => |r, _| br_ss!(r, lt_u, target),
            BrI32LtUSC { target, c } => |r, _| br_sc!(r, lt_u, c, target),
            BrI32LtUSL { target, b } => |r, _| br_sl!(r, lt_u, b, target),
            BrI32LtULL { target, a, b } => |r, _| br_ll!(r, lt_u, a, b, target),
            BrI32LtULC { target, a, c } => |r, _| br_lc!(r, lt_u, a, c, target),
            BrI32GtS { target } => |r, _| br_ss!(r, gt_s, target),
            BrI32GtSSC { target, c } => |r, _| br_sc!(r, gt_s, c, target),
            BrI32GtSSL { target, b } => |r, _| br_sl!(r, gt_s, b, target),
            BrI32GtSLL { target, a, b } => |r, _| br_ll!(r, gt_s, a, b, target),
            BrI32GtSLC { target, a, c } => |r, _| br_lc!(r, gt_s, a, c, target),
            BrI32GtU { target } => |r, _| br_ss!(r, gt_u, target),
            BrI32GtUSC { target, c } => |r, _| br_sc!(r, gt_u, c, target),
            BrI32GtUSL { target, b } => |r, _| br_sl!(r, gt_u, b, target),
            BrI32GtULL { target, a, b } => |r, _| br_ll!(r, gt_u, a, b, target),
            BrI32GtULC { target, a, c } => |r, _| br_lc!(r, gt_u, a, c, target),
            BrI32LeS { target } => |r, _| br_ss!(r, le_s, target),
            BrI32LeSSC { target, c } => |r, _| br_sc!(r, le_s, c, target),
            BrI32LeSSL { target, b } => |r, _| br_sl!(r, le_s, b, target),
            BrI32LeSLL { target, a, b } => |r, _| br_ll!(r, le_s, a, b, target),
            BrI32LeSLC { target, a, c } => |r, _| br_lc!(r, le_s, a, c, target),
            BrI32LeU { target } => |r, _| br_ss!(r, le_u, target),
            BrI32LeUSC { target, c } => |r, _| br_sc!(r, le_u, c, target),
            BrI32LeUSL { target, b } => |r, _| br_sl!(r, le_u, b, target),
            BrI32LeULL { target, a, b } => |r, _| br_ll!(r, le_u, a, b, target),
            BrI32LeULC { target, a, c } => |r, _| br_lc!(r, le_u, a, c, target),
            BrI32GeS { target } => |r, _| br_ss!(r, ge_s, target),
            BrI32GeSSC { target, c } => |r, _| br_sc!(r, ge_s, c, target),
            BrI32GeSSL { target, b } => |r, _| br_sl!(r, ge_s, b, target),
            BrI32GeSLL { target, a, b } => |r, _| br_ll!(r, ge_s, a, b, target),
            BrI32GeSLC { target, a, c } => |r, _| br_lc!(r, ge_s, a, c, target),
            BrI32GeU { target } => |r, _| br_ss!(r, ge_u, target),
            BrI32GeUSC { target, c } => |r, _| br_sc!(r, ge_u, c, target),
            BrI32GeUSL { target, b } => |r, _| br_sl!(r, ge_u, b, target),
            BrI32GeULL { target, a, b } => |r, _| br_ll!(r, ge_u, a, b, target),
            BrI32GeULC { target, a, c } => |r, _| br_lc!(r, ge_u, a, c, target),
            BrI32EqIncSC { a, d, k, c, target } => |r, _| br_step!(r, eq, a, k as i32 as u32, d, c as u32, target),
            BrI32EqIncSL { a, d, k, b, target } => |r, _| br_step!(r, eq, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32EqAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, eq, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32NeIncSC { a, d, k, c, target } => |r, _| br_step!(r, ne, a, k as i32 as u32, d, c as u32, target),
            BrI32NeIncSL { a, d, k, b, target } => |r, _| br_step!(r, ne, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32NeAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, ne, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32LtSIncSC { a, d, k, c, target } => |r, _| br_step!(r, lt_s, a, k as i32 as u32, d, c as u32, target),
            BrI32LtSIncSL { a, d, k, b, target } => |r, _| br_step!(r, lt_s, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32LtSAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, lt_s, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32LtUIncSC { a, d, k, c, target } => |r, _| br_step!(r, lt_u, a, k as i32 as u32, d, c as u32, target),
            BrI32LtUIncSL { a, d, k, b, target } => |r, _| br_step!(r, lt_u, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32LtUAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, lt_u, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32GtSIncSC { a, d, k, c, target } => |r, _| br_step!(r, gt_s, a, k as i32 as u32, d, c as u32, target),
            BrI32GtSIncSL { a, d, k, b, target } => |r, _| br_step!(r, gt_s, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32GtSAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, gt_s, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32GtUIncSC { a, d, k, c, target } => |r, _| br_step!(r, gt_u, a, k as i32 as u32, d, c as u32, target),
            BrI32GtUIncSL { a, d, k, b, target } => |r, _| br_step!(r, gt_u, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32GtUAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, gt_u, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32LeSIncSC { a, d, k, c, target } => |r, _| br_step!(r, le_s, a, k as i32 as u32, d, c as u32, target),
            BrI32LeSIncSL { a, d, k, b, target } => |r, _| br_step!(r, le_s, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32LeSAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, le_s, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32LeUIncSC { a, d, k, c, target } => |r, _| br_step!(r, le_u, a, k as i32 as u32, d, c as u32, target),
            BrI32LeUIncSL { a, d, k, b, target } => |r, _| br_step!(r, le_u, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32LeUAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, le_u, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32GeSIncSC { a, d, k, c, target } => |r, _| br_step!(r, ge_s, a, k as i32 as u32, d, c as u32, target),
            BrI32GeSIncSL { a, d, k, b, target } => |r, _| br_step!(r, ge_s, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32GeSAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, ge_s, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrI32GeUIncSC { a, d, k, c, target } => |r, _| br_step!(r, ge_u, a, k as i32 as u32, d, c as u32, target),
            BrI32GeUIncSL { a, d, k, b, target } => |r, _| br_step!(r, ge_u, a, k as i32 as u32, d, r.lp.get(b) as u32, target),
            BrI32GeUAddLLSL { a, b, d, n, target } => |r, _| br_step!(r, ge_u, a, r.lp.get(b as u32) as u32, d, r.lp.get(n as u32) as u32, target),
            BrNez { target } => |r, _| br_if!(r, r.sp.pop() as u32 != 0, target),
            BrNezL { target, local } => |r, _| br_if!(r, r.lp.get(local) as u32 != 0, target),
            BrEqzL { target, local } => |r, _| br_if!(r, r.lp.get(local) as u32 == 0, target),
            BrNezTee { target, local } => |r, _| br_tee!(r, local, |v| v != 0, target),
            BrEqzTee { target, local } => |r, _| br_tee!(r, local, |v| v == 0, target),
            BrI32AndLCNez { target, a, c } => |r, _| br_if!(r, r.lp.get(a) as u32 & c as u32 != 0, target),
            BrI32AndLCEqz { target, a, c } => |r, _| br_if!(r, r.lp.get(a) as u32 & c as u32 == 0, target),
            BrI32AndSCNez { target, c } => |r, _| br_if!(r, r.sp.pop() as u32 & c as u32 != 0, target),
            BrI32AndSCEqz { target, c } => |r, _| br_if!(r, r.sp.pop() as u32 & c as u32 == 0, target),
            I32AddSSToL(d) => |r, _| i32_ss_to!(r, add, d),
            I32AddSLToL { b, d } => |r, _| i32_sl_to!(r, add, b, d),
            I32AddTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, add, c)
            },
            I32SubSSToL(d) => |r, _| i32_ss_to!(r, sub, d),
            I32SubSLToL { b, d } => |r, _| i32_sl_to!(r, sub, b, d),
            I32SubTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, sub, c)
            },
            I32MulSSToL(d) => |r, _| i32_ss_to!(r, mul, d),
            I32MulSLToL { b, d } => |r, _| i32_sl_to!(r, mul, b, d),
            I32MulTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, mul, c)
            },
            I32AndSSToL(d) => |r, _| i32_ss_to!(r, and, d),
            I32AndSLToL { b, d } => |r, _| i32_sl_to!(r, and, b, d),
            I32AndTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, and, c)
            },
            I32OrSSToL(d) => |r, _| i32_ss_to!(r, or, d),
            I32OrSLToL { b, d } => |r, _| i32_sl_to!(r, or, b, d),
            I32OrTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, or, c)
            },
            I32XorSSToL(d) => |r, _| i32_ss_to!(r, xor, d),
            I32XorSLToL { b, d } => |r, _| i32_sl_to!(r, xor, b, d),
            I32XorTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, xor, c)
            },
            I32ShlSSToL(d) => |r, _| i32_ss_to!(r, shl, d),
            I32ShlSLToL { b, d } => |r, _| i32_sl_to!(r, shl, b, d),
            I32ShlTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, shl, c)
            },
            I32ShrSSSToL(d) => |r, _| i32_ss_to!(r, shr_s, d),
            I32ShrSSLToL { b, d } => |r, _| i32_sl_to!(r, shr_s, b, d),
            I32ShrSTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, shr_s, c)
            },
            I32ShrUSSToL(d) => |r, _| i32_ss_to!(r, shr_u, d),
            I32ShrUSLToL { b, d } => |r, _| i32_sl_to!(r, shr_u, b, d),
            I32ShrUTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, shr_u, c)
            },
            I32RotlSSToL(d) => |r, _| i32_ss_to!(r, rotl, d),
            I32RotlSLToL { b, d } => |r, _| i32_sl_to!(r, rotl, b, d),
            I32RotlTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, rotl, c)
            },
            I32RotrSSToL(d) => |r, _| i32_ss_to!(r, rotr, d),
            I32RotrSLToL { b, d } => |r, _| i32_sl_to!(r, rotr, b, d),
            I32RotrTeeSC { d, c } => |r, _| {
                r.lp.set(d, r.sp.top());
                i32_sc!(r, rotr, c)
            },
            I32XorShlLCL { a, c, b } => |r, _| {
                let y = i32_bits::shl(r.lp.get(a as u32) as u32, c as u32);
                r.sp.push((y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorShlLCLToL { a, c, b, d } => |r, _| {
                let y = i32_bits::shl(r.lp.get(a as u32) as u32, c as u32);
                r.lp.set(d as u32, (y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorShrULCL { a, c, b } => |r, _| {
                let y = i32_bits::shr_u(r.lp.get(a as u32) as u32, c as u32);
                r.sp.push((y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorShrULCLToL { a, c, b, d } => |r, _| {
                let y = i32_bits::shr_u(r.lp.get(a as u32) as u32, c as u32);
                r.lp.set(d as u32, (y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorRotlLCL { a, c, b } => |r, _| {
                let y = i32_bits::rotl(r.lp.get(a as u32) as u32, c as u32);
                r.sp.push((y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorRotlLCLToL { a, c, b, d } => |r, _| {
                let y = i32_bits::rotl(r.lp.get(a as u32) as u32, c as u32);
                r.lp.set(d as u32, (y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorRotrLCL { a, c, b } => |r, _| {
                let y = i32_bits::rotr(r.lp.get(a as u32) as u32, c as u32);
                r.sp.push((y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32XorRotrLCLToL { a, c, b, d } => |r, _| {
                let y = i32_bits::rotr(r.lp.get(a as u32) as u32, c as u32);
                r.lp.set(d as u32, (y ^ r.lp.get(b as u32) as u32) as u64)
            },
            I32SubLS(b) => |r, _| i32_ls!(r, sub, b),
            I32ShlLS(b) => |r, _| i32_ls!(r, shl, b),
            I32ShrSLS(b) => |r, _| i32_ls!(r, shr_s, b),
            I32ShrULS(b) => |r, _| i32_ls!(r, shr_u, b),
            I32RotlLS(b) => |r, _| i32_ls!(r, rotl, b),
            I32RotrLS(b) => |r, _| i32_ls!(r, rotr, b),
            I64SubLS(b) => |r, _| i64_ls!(r, sub, b),
            I64ShlLS(b) => |r, _| i64_ls!(r, shl, b),
            I64ShrULS(b) => |r, _| i64_ls!(r, shr_u, b),
            I64ShrSLS(b) => |r, _| i64_ls!(r, shr_s, b),
            I64RotlLS(b) => |r, _| i64_ls!(r, rotl, b),
            F32SubLS(b) => |r, _| f32_ls!(r, sub, b),
            F32DivLS(b) => |r, _| f32_ls!(r, div, b),
            F64SubLS(b) => |r, _| f64_ls!(r, sub, b),
            F64DivLS(b) => |r, _| f64_ls!(r, div, b),
            I64AddSC(c) => |r, _| i64_sc!(r, add, c),
            I64AddSL(b) => |r, _| i64_sl!(r, add, b),
            I64AddLL { a, b } => |r, _| i64_ll!(r, add, a, b),
            I64AddLC { a, c } => |r, _| i64_lc!(r, add, a, c),
            I64SubSC(c) => |r, _| i64_sc!(r, sub, c),
            I64SubSL(b) => |r, _| i64_sl!(r, sub, b),
            I64SubLL { a, b } => |r, _| i64_ll!(r, sub, a, b),
            I64SubLC { a, c } => |r, _| i64_lc!(r, sub, a, c),
            I64MulSC(c) => |r, _| i64_sc!(r, mul, c),
            I64MulSL(b) => |r, _| i64_sl!(r, mul, b),
            I64MulLL { a, b } => |r, _| i64_ll!(r, mul, a, b),
            I64MulLC { a, c } => |r, _| i64_lc!(r, mul, a, c),
            I64AndSC(c) => |r, _| i64_sc!(r, and, c),
            I64AndSL(b) => |r, _| i64_sl!(r, and, b),
            I64AndLL { a, b } => |r, _| i64_ll!(r, and, a, b),
            I64AndLC { a, c } => |r, _| i64_lc!(r, and, a, c),
            I64OrSC(c) => |r, _| i64_sc!(r, or, c),
            I64OrSL(b) => |r, _| i64_sl!(r, or, b),
            I64OrLL { a, b } => |r, _| i64_ll!(r, or, a, b),
            I64OrLC { a, c } => |r, _| i64_lc!(r, or, a, c),
            I64XorSC(c) => |r, _| i64_sc!(r, xor, c),
            I64XorSL(b) => |r, _| i64_sl!(r, xor, b),
            I64XorLL { a, b } => |r, _| i64_ll!(r, xor, a, b),
            I64XorLC { a, c } => |r, _| i64_lc!(r, xor, a, c),
            I64ShlSC(c) => |r, _| i64_sc!(r, shl, c),
            I64ShlSL(b) => |r, _| i64_sl!(r, shl, b),
            I64ShlLL { a, b } => |r, _| i64_ll!(r, shl, a, b),
            I64ShlLC { a, c } => |r, _| i64_lc!(r, shl, a, c),
            I64ShrUSC(c) => |r, _| i64_sc!(r, shr_u, c),
            I64ShrUSL(b) => |r, _| i64_sl!(r, shr_u, b),
            I64ShrULL { a, b } => |r, _| i64_ll!(r, shr_u, a, b),
            I64ShrULC { a, c } => |r, _| i64_lc!(r, shr_u, a, c),
            I64ShrSSC(c) => |r, _| i64_sc!(r, shr_s, c),
            I64ShrSSL(b) => |r, _| i64_sl!(r, shr_s, b),
            I64ShrSLL { a, b } => |r, _| i64_ll!(r, shr_s, a, b),
            I64ShrSLC { a, c } => |r, _| i64_lc!(r, shr_s, a, c),
            I64RotlSC(c) => |r, _| i64_sc!(r, rotl, c),
            I64RotlSL(b) => |r, _| i64_sl!(r, rotl, b),
            I64RotlLL { a, b } => |r, _| i64_ll!(r, rotl, a, b),
            I64RotlLC { a, c } => |r, _| i64_lc!(r, rotl, a, c),
            F32AddSL(b) => |r, _| f32_sl!(r, add, b),
            F32AddLL { a, b } => |r, _| f32_ll!(r, add, a, b),
            F32SubSL(b) => |r, _| f32_sl!(r, sub, b),
            F32SubLL { a, b } => |r, _| f32_ll!(r, sub, a, b),
            F32MulSL(b) => |r, _| f32_sl!(r, mul, b),
            F32MulLL { a, b } => |r, _| f32_ll!(r, mul, a, b),
            F32DivSL(b) => |r, _| f32_sl!(r, div, b),
            F32DivLL { a, b } => |r, _| f32_ll!(r, div, a, b),
            F64AddSL(b) => |r, _| f64_sl!(r, add, b),
            F64AddLL { a, b } => |r, _| f64_ll!(r, add, a, b),
            F64SubSL(b) => |r, _| f64_sl!(r, sub, b),
            F64SubLL { a, b } => |r, _| f64_ll!(r, sub, a, b),
            F64MulSL(b) => |r, _| f64_sl!(r, mul, b),
            F64MulLL { a, b } => |r, _| f64_ll!(r, mul, a, b),
            F64DivSL(b) => |r, _| f64_sl!(r, div, b),
            F64DivLL { a, b } => |r, _| f64_ll!(r, div, a, b),
            I32LoadL { local, offset } => |r, _| load_l!(r, 4, |b| u32::from_le_bytes(b) as u64, local, offset),
            I32LoadLC { a, c, offset } => |r, _| load_lc!(r, 4, |b| u32::from_le_bytes(b) as u64, a, c, offset),
            I32LoadSC { c, offset } => |r, _| load_sc!(r, 4, |b| u32::from_le_bytes(b) as u64, c, offset),
            I32LoadSL { b, offset } => |r, _| load_sl!(r, 4, |b| u32::from_le_bytes(b) as u64, b, offset),
            I32LoadLL { a, b, offset } => |r, _| load_ll!(r, 4, |b| u32::from_le_bytes(b) as u64, a, b, offset),
            I64LoadL { local, offset } => |r, _| load_l!(r, 8, u64::from_le_bytes, local, offset),
            I64LoadLC { a, c, offset } => |r, _| load_lc!(r, 8, u64::from_le_bytes, a, c, offset),
            I64LoadSC { c, offset } => |r, _| load_sc!(r, 8, u64::from_le_bytes, c, offset),
            I64LoadSL { b, offset } => |r, _| load_sl!(r, 8, u64::from_le_bytes, b, offset),
            I64LoadLL { a, b, offset } => |r, _| load_ll!(r, 8, u64::from_le_bytes, a, b, offset),
            F32LoadL { local, offset } => |r, _| load_l!(r, 4, |b| u32::from_le_bytes(b) as u64, local, offset),
            F32LoadLC { a, c, offset } => |r, _| load_lc!(r, 4, |b| u32::from_le_bytes(b) as u64, a, c, offset),
            F32LoadSC { c, offset } => |r, _| load_sc!(r, 4, |b| u32::from_le_bytes(b) as u64, c, offset),
            F32LoadSL { b, offset } => |r, _| load_sl!(r, 4, |b| u32::from_le_bytes(b) as u64, b, offset),
            F32LoadLL { a, b, offset } => |r, _| load_ll!(r, 4, |b| u32::from_le_bytes(b) as u64, a, b, offset),
            F64LoadL { local, offset } => |r, _| load_l!(r, 8, u64::from_le_bytes, local, offset),
            F64LoadLC { a, c, offset } => |r, _| load_lc!(r, 8, u64::from_le_bytes, a, c, offset),
            F64LoadSC { c, offset } => |r, _| load_sc!(r, 8, u64::from_le_bytes, c, offset),
            F64LoadSL { b, offset } => |r, _| load_sl!(r, 8, u64::from_le_bytes, b, offset),
            F64LoadLL { a, b, offset } => |r, _| load_ll!(r, 8, u64::from_le_bytes, a, b, offset),
            I32Load8SL { local, offset } => |r, _| load_l!(r, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64, local, offset),
            I32Load8SLC { a, c, offset } => |r, _| load_lc!(r, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64, a, c, offset),
            I32Load8SSC { c, offset } => |r, _| load_sc!(r, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64, c, offset),
            I32Load8SSL { b, offset } => |r, _| load_sl!(r, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64, b, offset),
            I32Load8SLL { a, b, offset } => |r, _| load_ll!(r, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64, a, b, offset),
            I32Load8UL { local, offset } => |r, _| load_l!(r, 1, |b| u8::from_le_bytes(b) as u64, local, offset),
            I32Load8ULC { a, c, offset } => |r, _| load_lc!(r, 1, |b| u8::from_le_bytes(b) as u64, a, c, offset),
            I32Load8USC { c, offset } => |r, _| load_sc!(r, 1, |b| u8::from_le_bytes(b) as u64, c, offset),
            I32Load8USL { b, offset } => |r, _| load_sl!(r, 1, |b| u8::from_le_bytes(b) as u64, b, offset),
            I32Load8ULL { a, b, offset } => |r, _| load_ll!(r, 1, |b| u8::from_le_bytes(b) as u64, a, b, offset),
            I32Load16SL { local, offset } => |r, _| load_l!(r, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64, local, offset),
            I32Load16SLC { a, c, offset } => |r, _| load_lc!(r, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64, a, c, offset),
            I32Load16SSC { c, offset } => |r, _| load_sc!(r, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64, c, offset),
            I32Load16SSL { b, offset } => |r, _| load_sl!(r, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64, b, offset),
            I32Load16SLL { a, b, offset } => |r, _| load_ll!(r, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64, a, b, offset),
            I32Load16UL { local, offset } => |r, _| load_l!(r, 2, |b| u16::from_le_bytes(b) as u64, local, offset),
            I32Load16ULC { a, c, offset } => |r, _| load_lc!(r, 2, |b| u16::from_le_bytes(b) as u64, a, c, offset),
            I32Load16USC { c, offset } => |r, _| load_sc!(r, 2, |b| u16::from_le_bytes(b) as u64, c, offset),
            I32Load16USL { b, offset } => |r, _| load_sl!(r, 2, |b| u16::from_le_bytes(b) as u64, b, offset),
            I32Load16ULL { a, b, offset } => |r, _| load_ll!(r, 2, |b| u16::from_le_bytes(b) as u64, a, b, offset),
            I64Load8UL { local, offset } => |r, _| load_l!(r, 1, |b| u8::from_le_bytes(b) as u64, local, offset),
            I64Load8ULC { a, c, offset } => |r, _| load_lc!(r, 1, |b| u8::from_le_bytes(b) as u64, a, c, offset),
            I64Load8USC { c, offset } => |r, _| load_sc!(r, 1, |b| u8::from_le_bytes(b) as u64, c, offset),
            I64Load8USL { b, offset } => |r, _| load_sl!(r, 1, |b| u8::from_le_bytes(b) as u64, b, offset),
            I64Load8ULL { a, b, offset } => |r, _| load_ll!(r, 1, |b| u8::from_le_bytes(b) as u64, a, b, offset),
            I64Load32UL { local, offset } => |r, _| load_l!(r, 4, |b| u32::from_le_bytes(b) as u64, local, offset),
            I64Load32ULC { a, c, offset } => |r, _| load_lc!(r, 4, |b| u32::from_le_bytes(b) as u64, a, c, offset),
            I64Load32USC { c, offset } => |r, _| load_sc!(r, 4, |b| u32::from_le_bytes(b) as u64, c, offset),
            I64Load32USL { b, offset } => |r, _| load_sl!(r, 4, |b| u32::from_le_bytes(b) as u64, b, offset),
            I64Load32ULL { a, b, offset } => |r, _| load_ll!(r, 4, |b| u32::from_le_bytes(b) as u64, a, b, offset),
            I64Load32SL { local, offset } => |r, _| load_l!(r, 4, |b| i32::from_le_bytes(b) as i64 as u64, local, offset),
            I64Load32SLC { a, c, offset } => |r, _| load_lc!(r, 4, |b| i32::from_le_bytes(b) as i64 as u64, a, c, offset),
            I64Load32SSC { c, offset } => |r, _| load_sc!(r, 4, |b| i32::from_le_bytes(b) as i64 as u64, c, offset),
            I64Load32SSL { b, offset } => |r, _| load_sl!(r, 4, |b| i32::from_le_bytes(b) as i64 as u64, b, offset),
            I64Load32SLL { a, b, offset } => |r, _| load_ll!(r, 4, |b| i32::from_le_bytes(b) as i64 as u64, a, b, offset),
            I32StoreLL { addr, value, offset } => |r, _| store_ll!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, value, offset),
            I32StoreL { addr, offset } => |r, _| store_l!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, offset),
            I64StoreLL { addr, value, offset } => |r, _| store_ll!(r, 8, |v: u64| v.to_le_bytes(), addr, value, offset),
            I64StoreL { addr, offset } => |r, _| store_l!(r, 8, |v: u64| v.to_le_bytes(), addr, offset),
            F32StoreLL { addr, value, offset } => |r, _| store_ll!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, value, offset),
            F32StoreL { addr, offset } => |r, _| store_l!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, offset),
            F64StoreLL { addr, value, offset } => |r, _| store_ll!(r, 8, |v: u64| v.to_le_bytes(), addr, value, offset),
            F64StoreL { addr, offset } => |r, _| store_l!(r, 8, |v: u64| v.to_le_bytes(), addr, offset),
            I32Store8LL { addr, value, offset } => |r, _| store_ll!(r, 1, |v: u64| (v as u8).to_le_bytes(), addr, value, offset),
            I32Store8L { addr, offset } => |r, _| store_l!(r, 1, |v: u64| (v as u8).to_le_bytes(), addr, offset),
            I32Store16LL { addr, value, offset } => |r, _| store_ll!(r, 2, |v: u64| (v as u16).to_le_bytes(), addr, value, offset),
            I32Store16L { addr, offset } => |r, _| store_l!(r, 2, |v: u64| (v as u16).to_le_bytes(), addr, offset),
            I64Store8LL { addr, value, offset } => |r, _| store_ll!(r, 1, |v: u64| (v as u8).to_le_bytes(), addr, value, offset),
            I64Store8L { addr, offset } => |r, _| store_l!(r, 1, |v: u64| (v as u8).to_le_bytes(), addr, offset),
            I64Store16LL { addr, value, offset } => |r, _| store_ll!(r, 2, |v: u64| (v as u16).to_le_bytes(), addr, value, offset),
            I64Store16L { addr, offset } => |r, _| store_l!(r, 2, |v: u64| (v as u16).to_le_bytes(), addr, offset),
            I64Store32LL { addr, value, offset } => |r, _| store_ll!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, value, offset),
            I64Store32L { addr, offset } => |r, _| store_l!(r, 4, |v: u64| (v as u32).to_le_bytes(), addr, offset),
            I64AddSSToL(d) => |r, _| i64_ss_to!(r, add, d),
            I64SubSSToL(d) => |r, _| i64_ss_to!(r, sub, d),
            I64MulSSToL(d) => |r, _| i64_ss_to!(r, mul, d),
            I64AndSSToL(d) => |r, _| i64_ss_to!(r, and, d),
            I64OrSSToL(d) => |r, _| i64_ss_to!(r, or, d),
            I64XorSSToL(d) => |r, _| i64_ss_to!(r, xor, d),
            I64ShlSSToL(d) => |r, _| i64_ss_to!(r, shl, d),
            I64ShrUSSToL(d) => |r, _| i64_ss_to!(r, shr_u, d),
            I64ShrSSSToL(d) => |r, _| i64_ss_to!(r, shr_s, d),
            I64RotlSSToL(d) => |r, _| i64_ss_to!(r, rotl, d),
            I64AddSLToL { b, d } => |r, _| i64_sl_to!(r, add, b, d),
            I64SubSLToL { b, d } => |r, _| i64_sl_to!(r, sub, b, d),
            I64MulSLToL { b, d } => |r, _| i64_sl_to!(r, mul, b, d),
            I64AndSLToL { b, d } => |r, _| i64_sl_to!(r, and, b, d),
            I64OrSLToL { b, d } => |r, _| i64_sl_to!(r, or, b, d),
            I64XorSLToL { b, d } => |r, _| i64_sl_to!(r, xor, b, d),
            I64ShlSLToL { b, d } => |r, _| i64_sl_to!(r, shl, b, d),
            I64ShrUSLToL { b, d } => |r, _| i64_sl_to!(r, shr_u, b, d),
            I64ShrSSLToL { b, d } => |r, _| i64_sl_to!(r, shr_s, b, d),
            I64RotlSLToL { b, d } => |r, _| i64_sl_to!(r, rotl, b, d),
            F32AddSSToL(d) => |r, _| f32_ss_to!(r, add, d),
            F32AddSLToL { b, d } => |r, _| f32_sl_to!(r, add, b, d),
            F32AddSSTee(d) => |r, _| f32_ss_tee!(r, add, d),
            F32AddSLTee { b, d } => |r, _| f32_sl_tee!(r, add, b, d),
            F32SubSSToL(d) => |r, _| f32_ss_to!(r, sub, d),
            F32SubSLToL { b, d } => |r, _| f32_sl_to!(r, sub, b, d),
            F32SubSSTee(d) => |r, _| f32_ss_tee!(r, sub, d),
            F32SubSLTee { b, d } => |r, _| f32_sl_tee!(r, sub, b, d),
            F32MulSSToL(d) => |r, _| f32_ss_to!(r, mul, d),
            F32MulSLToL { b, d } => |r, _| f32_sl_to!(r, mul, b, d),
            F32MulSSTee(d) => |r, _| f32_ss_tee!(r, mul, d),
            F32MulSLTee { b, d } => |r, _| f32_sl_tee!(r, mul, b, d),
            F32DivSSToL(d) => |r, _| f32_ss_to!(r, div, d),
            F32DivSLToL { b, d } => |r, _| f32_sl_to!(r, div, b, d),
            F32DivSSTee(d) => |r, _| f32_ss_tee!(r, div, d),
            F32DivSLTee { b, d } => |r, _| f32_sl_tee!(r, div, b, d),
            F64AddSSToL(d) => |r, _| f64_ss_to!(r, add, d),
            F64AddSLToL { b, d } => |r, _| f64_sl_to!(r, add, b, d),
            F64AddSSTee(d) => |r, _| f64_ss_tee!(r, add, d),
            F64AddSLTee { b, d } => |r, _| f64_sl_tee!(r, add, b, d),
            F64SubSSToL(d) => |r, _| f64_ss_to!(r, sub, d),
            F64SubSLToL { b, d } => |r, _| f64_sl_to!(r, sub, b, d),
            F64SubSSTee(d) => |r, _| f64_ss_tee!(r, sub, d),
            F64SubSLTee { b, d } => |r, _| f64_sl_tee!(r, sub, b, d),
            F64MulSSToL(d) => |r, _| f64_ss_to!(r, mul, d),
            F64MulSLToL { b, d } => |r, _| f64_sl_to!(r, mul, b, d),
            F64MulSSTee(d) => |r, _| f64_ss_tee!(r, mul, d),
            F64MulSLTee { b, d } => |r, _| f64_sl_tee!(r, mul, b, d),
            F64DivSSToL(d) => |r, _| f64_ss_to!(r, div, d),
            F64DivSLToL { b, d } => |r, _| f64_sl_to!(r, div, b, d),
            F64DivSSTee(d) => |r, _| f64_ss_tee!(r, div, d),
            F64DivSLTee { b, d } => |r, _| f64_sl_tee!(r, div, b, d),
            I32SubLSToL { b, d } => |r, _| i32_ls_to!(r, sub, b, d),
            I32ShlLSToL { b, d } => |r, _| i32_ls_to!(r, shl, b, d),
            I32ShrSLSToL { b, d } => |r, _| i32_ls_to!(r, shr_s, b, d),
            I32ShrULSToL { b, d } => |r, _| i32_ls_to!(r, shr_u, b, d),
            I32RotlLSToL { b, d } => |r, _| i32_ls_to!(r, rotl, b, d),
            I32RotrLSToL { b, d } => |r, _| i32_ls_to!(r, rotr, b, d),
            LocalCopy { from, to } => |r, _| r.lp.set(to, r.lp.get(from)),
            LocalSetC { local, c } => |r, _| r.lp.set(local, c as u32 as u64),
            LocalTeeGet { tee, get } => |r, _| {
                r.lp.set(tee, r.sp.top());
                r.sp.push(r.lp.get(get));
            },
            LocalGet2 { a, b } => |r, _| {
                r.sp.push(r.lp.get(a));
                r.sp.push(r.lp.get(b));
            },
            LocalSetGet { set, get } => |r, _| {
                let v = r.sp.pop();
                r.lp.set(set, v);
                r.sp.push(r.lp.get(get));
            },
            LocalCopyBr { from, to, target } => |r, _| {
                r.lp.set(to, r.lp.get(from));
                r.jump(target);
            },
            I32StoreC { c, offset } => |r, _| store_c!(r, 4, (c as u32).to_le_bytes(), offset),
            I32Store8C { c, offset } => |r, _| store_c!(r, 1, (c as u8).to_le_bytes(), offset),
            I32Store16C { c, offset } => |r, _| store_c!(r, 2, (c as u16).to_le_bytes(), offset),
        }
    };
}
