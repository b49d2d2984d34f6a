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
/// Division or remainder of the stack top by a constant (`exec/divide.rs`):
/// the top read as `$in`, the result stored from `$out`.
macro_rules! by_const {
    ($r:ident, $in:ty, $out:ty, $f:ident, $($a:expr),*) => {
        $r.sp
            .set_top(divide::$f($r.sp.top() as $in, $($a),*) as $out as u64)
    };
}
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
macro_rules! i32_sc_tee {
    ($r:ident, $f:ident, $c:expr, $d:expr) => {{
        i32_sc!($r, $f, $c);
        $r.lp.set($d, $r.sp.top());
    }};
}
macro_rules! i32_ss_tee {
    ($r:ident, $f:ident, $d:expr) => {{
        let b = $r.sp.pop() as u32;
        let v = i32_bits::$f($r.sp.top() as u32, b) as u64;
        $r.lp.set($d, v);
        $r.sp.set_top(v);
    }};
}
// `select`: the first operand if the condition is not zero, else the second.
macro_rules! select {
    ($r:ident) => {{
        let c = $r.sp.pop() as u32;
        let b = $r.sp.pop();
        if c == 0 {
            $r.sp.set_top(b);
        }
    }};
}
/// `local.set d` of the f64 in `Regs::ft`, the stack top's value
/// (`passes::float_top`).
macro_rules! local_set_x {
    ($r:ident, $d:expr) => {{
        $r.lp.set($d, $r.ft.to_bits());
        $r.sp.pop();
    }};
}
/// `local.tee d` of the f64 in `Regs::ft`.
macro_rules! local_tee_x {
    ($r:ident, $d:expr) => {
        $r.lp.set($d, $r.ft.to_bits())
    };
}
macro_rules! select_to {
    ($r:ident, $d:expr) => {{
        select!($r);
        let v = $r.sp.pop();
        $r.lp.set($d, v);
    }};
}
macro_rules! select_tee {
    ($r:ident, $d:expr) => {{
        select!($r);
        $r.lp.set($d, $r.sp.top());
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
        br_if!($r, i32_bits::$f(a, b), $t)
    }};
}
macro_rules! br_sc {
    ($r:ident, $f:ident, $c:expr, $t:expr) => {{ br_if!($r, i32_bits::$f($r.sp.pop() as u32, $c as u32), $t) }};
}
macro_rules! br_sl {
    ($r:ident, $f:ident, $b:expr, $t:expr) => {{
        br_if!(
            $r,
            i32_bits::$f($r.sp.pop() as u32, $r.lp.get($b) as u32),
            $t
        )
    }};
}
macro_rules! br_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr, $t:expr) => {{
        br_if!(
            $r,
            i32_bits::$f($r.lp.get($a) as u32, $r.lp.get($b) as u32),
            $t
        )
    }};
}
macro_rules! br_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr, $t:expr) => {{ br_if!($r, i32_bits::$f($r.lp.get($a) as u32, $c as u32), $t) }};
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
// i64 comparisons: the same operand forms as the arithmetic above, with
// the comparison's truth pushed as an i32.
macro_rules! i64_cmp_sc {
    ($r:ident, $f:ident, $c:expr) => {
        $r.sp
            .set_top(u64::from(i64_bits::$f($r.sp.top(), $c as u64)))
    };
}
macro_rules! i64_cmp_sl {
    ($r:ident, $f:ident, $b:expr) => {
        $r.sp
            .set_top(u64::from(i64_bits::$f($r.sp.top(), $r.lp.get($b))))
    };
}
macro_rules! i64_cmp_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr) => {
        $r.sp
            .push(u64::from(i64_bits::$f($r.lp.get($a), $r.lp.get($b))))
    };
}
macro_rules! i64_cmp_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr) => {
        $r.sp
            .push(u64::from(i64_bits::$f($r.lp.get($a), $c as i64 as u64)))
    };
}
// Branches on an i64 comparison.
macro_rules! br64_ss {
    ($r:ident, $f:ident, $t:expr) => {{
        let b = $r.sp.pop();
        let a = $r.sp.pop();
        br_if!($r, i64_bits::$f(a, b), $t)
    }};
}
macro_rules! br64_sc {
    ($r:ident, $f:ident, $c:expr, $t:expr) => {{ br_if!($r, i64_bits::$f($r.sp.pop(), $c as u64), $t) }};
}
macro_rules! br64_sl {
    ($r:ident, $f:ident, $b:expr, $t:expr) => {{ br_if!($r, i64_bits::$f($r.sp.pop(), $r.lp.get($b)), $t) }};
}
macro_rules! br64_ll {
    ($r:ident, $f:ident, $a:expr, $b:expr, $t:expr) => {{ br_if!($r, i64_bits::$f($r.lp.get($a), $r.lp.get($b)), $t) }};
}
macro_rules! br64_lc {
    ($r:ident, $f:ident, $a:expr, $c:expr, $t:expr) => {{ br_if!($r, i64_bits::$f($r.lp.get($a), $c as i64 as u64), $t) }};
}
macro_rules! br64_eqz {
    ($r:ident, $t:expr) => {
        br_if!($r, $r.sp.pop() == 0, $t)
    };
}
macro_rules! br64_nez {
    ($r:ident, $t:expr) => {
        br_if!($r, $r.sp.pop() != 0, $t)
    };
}
// The float ops' shapes, for both types: `$reg` is the float register of the
// type (`ft` for f64, `fs` for f32: `Regs`), `$ops` its arithmetic
// (`f64_ops`, `f32_ops`), which also tells `FloatSlot` the type. The `X`
// forms read the stack top from `$reg` (`passes::float_top` places them).
/// Sets the stack top to the float `v`, also kept in its register `$reg` for
/// an op after this one.
macro_rules! set_top_float {
    ($r:ident, $reg:ident, $v:expr) => {{
        let v = $v;
        $r.$reg = v;
        $r.sp.set_top(FloatSlot::to_slot(v));
    }};
}
/// Pushes the float `v`, also kept in `$reg`.
macro_rules! push_float {
    ($r:ident, $reg:ident, $v:expr) => {{
        let v = $v;
        $r.$reg = v;
        $r.sp.push(FloatSlot::to_slot(v));
    }};
}
macro_rules! float_ss {
    ($r:ident, $reg:ident, $ops:ident, $f:ident) => {{
        let b = FloatSlot::from_slot($r.sp.pop());
        let a = FloatSlot::from_slot($r.sp.top());
        set_top_float!($r, $reg, $ops::$f(a, b))
    }};
}
macro_rules! float_ssx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident) => {{
        let b = $r.$reg;
        $r.sp.pop();
        let a = FloatSlot::from_slot($r.sp.top());
        set_top_float!($r, $reg, $ops::$f(a, b))
    }};
}
macro_rules! float_sc {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $c:expr) => {
        set_top_float!(
            $r,
            $reg,
            $ops::$f(FloatSlot::from_slot($r.sp.top()), FloatSlot::from_const($c))
        )
    };
}
macro_rules! float_scx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $c:expr) => {
        set_top_float!($r, $reg, $ops::$f($r.$reg, FloatSlot::from_const($c)))
    };
}
macro_rules! float_sl {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $b:expr) => {
        set_top_float!(
            $r,
            $reg,
            $ops::$f(
                FloatSlot::from_slot($r.sp.top()),
                FloatSlot::from_slot($r.lp.get($b))
            )
        )
    };
}
/// A float op of `$x` and a value loaded from `$addr` plus `$off` (`$conv`
/// turns the bytes into a slot), its result on the stack top and in `$reg`.
macro_rules! float_mem {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $x:expr, $addr:expr, $off:expr) => {{
        match $r.mem.load::<$n>($addr, $off) {
            Ok(bytes) => {
                let x = $x;
                set_top_float!($r, $reg, $ops::$f(x, FloatSlot::from_slot(($conv)(bytes))));
                Ok(())
            }
            Err(code) => Err::<(), TrapCode>(code),
        }
    }};
}
/// `float_mem!` of the stack top and local `$l`'s address.
macro_rules! float_ml {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $l:expr, $off:expr) => {
        float_mem!(
            $r,
            $reg,
            $ops,
            $f,
            $n,
            $conv,
            FloatSlot::from_slot($r.sp.top()),
            $r.lp.get($l),
            $off
        )
    };
}
/// `float_ml!` with the stack top read from the float register.
macro_rules! float_mlx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $l:expr, $off:expr) => {
        float_mem!($r, $reg, $ops, $f, $n, $conv, $r.$reg, $r.lp.get($l), $off)
    };
}
/// `float_mem!` of the stack top and the address local `$a` plus `$c`.
macro_rules! float_mlc {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $a:expr, $c:expr, $off:expr) => {
        float_mem!(
            $r,
            $reg,
            $ops,
            $f,
            $n,
            $conv,
            FloatSlot::from_slot($r.sp.top()),
            ($r.lp.get($a) as u32).wrapping_add($c as u32) as u64,
            $off
        )
    };
}
/// `float_mlc!` with the stack top read from the float register.
macro_rules! float_mlcx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $a:expr, $c:expr, $off:expr) => {
        float_mem!(
            $r,
            $reg,
            $ops,
            $f,
            $n,
            $conv,
            $r.$reg,
            ($r.lp.get($a) as u32).wrapping_add($c as u32) as u64,
            $off
        )
    };
}
/// `float_mem!` of the value below the stack top and the top's address.
macro_rules! float_m {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $n:literal, $conv:expr, $off:expr) => {{
        let a = $r.sp.pop();
        float_mem!(
            $r,
            $reg,
            $ops,
            $f,
            $n,
            $conv,
            FloatSlot::from_slot($r.sp.top()),
            a,
            $off
        )
    }};
}
macro_rules! float_slx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $b:expr) => {
        set_top_float!(
            $r,
            $reg,
            $ops::$f($r.$reg, FloatSlot::from_slot($r.lp.get($b)))
        )
    };
}
/// `local a op top` (`local - top`, `local / top`).
macro_rules! float_ls {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $a:expr) => {
        set_top_float!(
            $r,
            $reg,
            $ops::$f(
                FloatSlot::from_slot($r.lp.get($a)),
                FloatSlot::from_slot($r.sp.top())
            )
        )
    };
}
macro_rules! float_lsx {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $a:expr) => {
        set_top_float!(
            $r,
            $reg,
            $ops::$f(FloatSlot::from_slot($r.lp.get($a)), $r.$reg)
        )
    };
}
macro_rules! float_ll {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $a:expr, $b:expr) => {
        push_float!(
            $r,
            $reg,
            $ops::$f(
                FloatSlot::from_slot($r.lp.get($a)),
                FloatSlot::from_slot($r.lp.get($b))
            )
        )
    };
}
macro_rules! float_lc {
    ($r:ident, $reg:ident, $ops:ident, $f:ident, $a:expr, $c:expr) => {
        push_float!(
            $r,
            $reg,
            $ops::$f(
                FloatSlot::from_slot($r.lp.get($a)),
                FloatSlot::from_const($c)
            )
        )
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
/// The address `local a + local b`, as `i32.add` forms it.
macro_rules! sum_ll {
    ($r:ident, $a:expr, $b:expr) => {
        ($r.lp.get($a) as u32).wrapping_add($r.lp.get($b) as u32) as u64
    };
}
macro_rules! load_ll {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $b:expr, $off:expr) => {{
        let addr = sum_ll!($r, $a, $b);
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
    ($r:ident, $n:literal, $conv:expr, $c:expr, $off:expr) => {{
        let a = $r.sp.pop();
        let bytes: [u8; $n] = ($conv)($c as u32 as u64);
        $r.mem.store::<$n>(a, $off, bytes)
    }};
}

macro_rules! store_cll {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $b:expr, $c:expr, $off:expr) => {{
        let bytes: [u8; $n] = ($conv)($c as u32 as u64);
        $r.mem
            .store::<$n>(sum_ll!($r, $a as u32, $b as u32), $off, bytes)
    }};
}

/// A store of the constant `$v` (a slot's bits) at local `$addr`'s address.
macro_rules! store_cl {
    ($r:ident, $n:literal, $conv:expr, $addr:expr, $v:expr, $off:expr) => {{
        let bytes: [u8; $n] = ($conv)($v);
        $r.mem.store::<$n>($r.lp.get($addr), $off, bytes)
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

// A loop's step and test: local `d` = local `a` + a step; branch on its
// comparison with a constant (`IncSC`) or a local (`IncSL`); `AddLLSL`
// steps by local `b` and compares with local `n`.
macro_rules! br_inc_sc {
    ($r:ident, $f:ident, $a:expr, $d:expr, $k:expr, $c:expr, $t:expr) => {
        br_step!($r, $f, $a, $k as i32 as u32, $d, $c as u32, $t)
    };
}
macro_rules! br_inc_sl {
    ($r:ident, $f:ident, $a:expr, $d:expr, $k:expr, $b:expr, $t:expr) => {
        br_step!(
            $r,
            $f,
            $a,
            $k as i32 as u32,
            $d,
            $r.lp.get($b as u32) as u32,
            $t
        )
    };
}
macro_rules! br_add_ll_sl {
    ($r:ident, $f:ident, $a:expr, $b:expr, $d:expr, $n:expr, $t:expr) => {
        br_step!(
            $r,
            $f,
            $a,
            $r.lp.get($b as u32) as u32,
            $d,
            $r.lp.get($n as u32) as u32,
            $t
        )
    };
}

// Branches on a value's being zero or not: the stack top, a local, a value
// also stored by `local.tee`, the bits of `local & c` or `top & c`.
macro_rules! br_nez {
    ($r:ident, $t:expr) => {
        br_if!($r, $r.sp.pop() as u32 != 0, $t)
    };
}
macro_rules! br_nez_l {
    ($r:ident, $t:expr, $local:expr) => {
        br_if!($r, $r.lp.get($local) as u32 != 0, $t)
    };
}
macro_rules! br_eqz_l {
    ($r:ident, $t:expr, $local:expr) => {
        br_if!($r, $r.lp.get($local) as u32 == 0, $t)
    };
}
macro_rules! br_nez_tee {
    ($r:ident, $t:expr, $local:expr) => {
        br_tee!($r, $local, |v| v != 0, $t)
    };
}
macro_rules! br_eqz_tee {
    ($r:ident, $t:expr, $local:expr) => {
        br_tee!($r, $local, |v| v == 0, $t)
    };
}
macro_rules! br_and_lc_nez {
    ($r:ident, $t:expr, $a:expr, $c:expr) => {
        br_if!($r, $r.lp.get($a) as u32 & $c as u32 != 0, $t)
    };
}
macro_rules! br_and_lc_eqz {
    ($r:ident, $t:expr, $a:expr, $c:expr) => {
        br_if!($r, $r.lp.get($a) as u32 & $c as u32 == 0, $t)
    };
}
macro_rules! br_and_sc_nez {
    ($r:ident, $t:expr, $c:expr) => {
        br_if!($r, $r.sp.pop() as u32 & $c as u32 != 0, $t)
    };
}
macro_rules! br_and_sc_eqz {
    ($r:ident, $t:expr, $c:expr) => {
        br_if!($r, $r.sp.pop() as u32 & $c as u32 == 0, $t)
    };
}

// `local.tee d` of the stack top, then the op with a constant.
macro_rules! i32_tee_sc {
    ($r:ident, $f:ident, $d:expr, $c:expr) => {{
        $r.lp.set($d, $r.sp.top());
        i32_sc!($r, $f, $c)
    }};
}
// `(local a <shift> c) ^ local b`, pushed or stored into local `d`.
macro_rules! i32_xor_lcl {
    ($r:ident, $f:ident, $a:expr, $c:expr, $b:expr) => {{
        let y = i32_bits::$f($r.lp.get($a as u32) as u32, $c as u32);
        $r.sp.push((y ^ $r.lp.get($b as u32) as u32) as u64)
    }};
}
macro_rules! i32_xor_lcl_to {
    ($r:ident, $f:ident, $a:expr, $c:expr, $b:expr, $d:expr) => {{
        let y = i32_bits::$f($r.lp.get($a as u32) as u32, $c as u32);
        $r.lp
            .set($d as u32, (y ^ $r.lp.get($b as u32) as u32) as u64)
    }};
}

// Local traffic in pairs.
macro_rules! local_copy {
    ($r:ident, $from:expr, $to:expr) => {
        $r.lp.set($to, $r.lp.get($from))
    };
}
// Pairs chosen from the corpus's op-pair counts, built from the bodies of
// the ops they join.
macro_rules! load_l_tee {
    ($r:ident, $n:literal, $conv:expr, $l:expr, $off:expr, $d:expr) => {
        $r.mem.load::<$n>($r.lp.get($l), $off).map(|bytes| {
            let v = ($conv)(bytes);
            $r.lp.set($d, v);
            $r.sp.push(v)
        })
    };
}
macro_rules! load_tee {
    ($r:ident, $n:literal, $conv:expr, $off:expr, $d:expr) => {
        $r.mem.load::<$n>($r.sp.top(), $off).map(|bytes| {
            let v = ($conv)(bytes);
            $r.lp.set($d, v);
            $r.sp.set_top(v)
        })
    };
}
// `local.tee d` of the address, then the load.
macro_rules! load_tee_s {
    ($r:ident, $n:literal, $conv:expr, $d:expr, $off:expr) => {{
        $r.lp.set($d, $r.sp.top());
        load!($r, $off, $n, $conv)
    }};
}
// `local.tee d` of the stack top, then a load from local `l`'s address.
macro_rules! load_tee_l {
    ($r:ident, $n:literal, $conv:expr, $d:expr, $l:expr, $off:expr) => {{
        $r.lp.set($d, $r.sp.top());
        load_l!($r, $n, $conv, $l, $off)
    }};
}
// Loads from a constant address: what `i32.const c` would have pushed is the
// address, zero-extended as every address is.
macro_rules! load_a {
    ($r:ident, $n:literal, $conv:expr, $c:expr, $off:expr) => {
        $r.mem
            .load::<$n>($c as u64, $off)
            .map(|bytes| $r.sp.push(($conv)(bytes)))
    };
}
macro_rules! load_a_tee {
    ($r:ident, $n:literal, $conv:expr, $c:expr, $off:expr, $d:expr) => {
        $r.mem.load::<$n>($c as u64, $off).map(|bytes| {
            let v = ($conv)(bytes);
            $r.lp.set($d, v);
            $r.sp.push(v)
        })
    };
}
macro_rules! load_a_to {
    ($r:ident, $n:literal, $conv:expr, $c:expr, $off:expr, $d:expr) => {
        $r.mem
            .load::<$n>($c as u64, $off)
            .map(|bytes| $r.lp.set($d, ($conv)(bytes)))
    };
}
macro_rules! load_l_to {
    ($r:ident, $n:literal, $conv:expr, $l:expr, $off:expr, $d:expr) => {
        $r.mem
            .load::<$n>($r.lp.get($l), $off)
            .map(|bytes| $r.lp.set($d, ($conv)(bytes)))
    };
}
macro_rules! i32_add_lc_to2 {
    ($r:ident, $a:expr, $d:expr, $c:expr, $b:expr, $e:expr, $k:expr) => {{
        i32_lc_to!($r, add, $a as u32, $c as i32, $d as u32);
        i32_lc_to!($r, add, $b as u32, $k as i32, $e as u32);
    }};
}
macro_rules! i32_sl_tee {
    ($r:ident, $f:ident, $b:expr, $d:expr) => {{
        let v = i32_bits::$f($r.sp.top() as u32, $r.lp.get($b) as u32) as u64;
        $r.lp.set($d, v);
        $r.sp.set_top(v);
    }};
}
macro_rules! br_nez_add_lc {
    ($r:ident, $a:expr, $d:expr, $c:expr, $t:expr) => {
        br_step!($r, ne, $a, $c as u32, $d, 0, $t)
    };
}
macro_rules! local_copy2 {
    ($r:ident, $a:expr, $b:expr, $c:expr, $d:expr) => {{
        local_copy!($r, $a as u32, $b as u32);
        local_copy!($r, $c as u32, $d as u32);
    }};
}
macro_rules! i32_add_lc_get {
    ($r:ident, $a:expr, $c:expr, $get:expr) => {{
        i32_lc!($r, add, $a, $c);
        $r.sp.push($r.lp.get($get));
    }};
}
// A scaled index plus a base: `i32.shl` by a constant (the count is stored
// masked, `c < 32`), then `i32.add`, which commutes, so the base may be either
// operand of the pair.
macro_rules! i32_add_shl_lc {
    ($r:ident, $a:expr, $c:expr) => {{
        let index = ($r.lp.get($a) as u32) << $c;
        $r.sp
            .set_top(($r.sp.top() as u32).wrapping_add(index) as u64)
    }};
}
macro_rules! i32_add_shl_sc {
    ($r:ident, $c:expr) => {{
        let index = ($r.sp.pop() as u32) << $c;
        $r.sp
            .set_top(($r.sp.top() as u32).wrapping_add(index) as u64)
    }};
}
macro_rules! i32_shl_lc_add_l {
    ($r:ident, $a:expr, $c:expr, $b:expr) => {{
        i32_lc!($r, shl, $a as u32, $c);
        i32_sl!($r, add, $b as u32);
    }};
}
macro_rules! i32_shl_sc_add_l {
    ($r:ident, $c:expr, $b:expr) => {{
        i32_sc!($r, shl, $c);
        i32_sl!($r, add, $b);
    }};
}
macro_rules! i32_shl_lc_add_l_to {
    ($r:ident, $a:expr, $c:expr, $b:expr, $d:expr) => {{
        let index = ($r.lp.get($a as u32) as u32) << $c;
        $r.lp.set(
            $d as u32,
            index.wrapping_add($r.lp.get($b as u32) as u32) as u64,
        )
    }};
}
/// A load from `base + (index << k)` (wrapping in 32 bits, as the `i32.shl`
/// and `i32.add` it replaces); `$into` takes the loaded value (`set_top` or
/// `push`).
macro_rules! load_scaled {
    ($r:ident, $n:literal, $conv:expr, $index:expr, $k:expr, $base:expr, $off:expr, $into:ident) => {{
        let addr = (($index as u32) << $k).wrapping_add($base as u32) as u64;
        $r.mem
            .load::<$n>(addr, $off)
            .map(|bytes| $r.sp.$into(($conv)(bytes)))
    }};
}
macro_rules! load_shl_s_l {
    ($r:ident, $n:literal, $conv:expr, $k:expr, $b:expr, $off:expr) => {
        load_scaled!($r, $n, $conv, $r.sp.top(), $k, $r.lp.get($b), $off, set_top)
    };
}
macro_rules! load_shl_s_c {
    ($r:ident, $n:literal, $conv:expr, $k:expr, $c:expr, $off:expr) => {
        load_scaled!($r, $n, $conv, $r.sp.top(), $k, $c, $off, set_top)
    };
}
macro_rules! load_shl_l_l {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $k:expr, $b:expr, $off:expr) => {
        load_scaled!(
            $r,
            $n,
            $conv,
            $r.lp.get($a as u32),
            $k,
            $r.lp.get($b as u32),
            $off,
            push
        )
    };
}
macro_rules! load_shl_l_c {
    ($r:ident, $n:literal, $conv:expr, $a:expr, $k:expr, $c:expr, $off:expr) => {
        load_scaled!($r, $n, $conv, $r.lp.get($a as u32), $k, $c, $off, push)
    };
}
macro_rules! local_set_c {
    ($r:ident, $local:expr, $c:expr) => {
        $r.lp.set($local, $c as u64)
    };
}
macro_rules! local_tee_get {
    ($r:ident, $tee:expr, $get:expr) => {{
        $r.lp.set($tee, $r.sp.top());
        $r.sp.push($r.lp.get($get));
    }};
}
macro_rules! local_get2 {
    ($r:ident, $a:expr, $b:expr) => {{
        $r.sp.push($r.lp.get($a));
        $r.sp.push($r.lp.get($b));
    }};
}
macro_rules! local_set_get {
    ($r:ident, $set:expr, $get:expr) => {{
        let v = $r.sp.pop();
        $r.lp.set($set, v);
        $r.sp.push($r.lp.get($get));
    }};
}
macro_rules! local_copy_br {
    ($r:ident, $from:expr, $to:expr, $t:expr) => {{
        $r.lp.set($to, $r.lp.get($from));
        $r.jump($t);
    }};
}

/// Calls `$backend!` with every op as `Name fields => |r, cx| body,`, in the
/// order of `Op`'s variants (unit variants as `Name {}`): the base ops' bodies
/// written here, then the fused ones from `fused.rs` (generated).
macro_rules! with_ops {
    ($backend:ident) => {
        fused_op_bodies! { $backend {
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
            BrTableJumpAt { target, len } => |r, _| {
                let i = (r.sp.pop() as u32).min(len);
                r.jump(target);
                r.table_jump(i)
            },
            Return {} => |r, cx| cx.ret(r),
            Return0 {} => |r, cx| cx.ret0(r),
            Return1 {} => |r, cx| cx.ret1(r),
            Return1L(i) => |r, cx| cx.ret1_local(r, i),
            Call(c) => |r, cx| cx.call_local(r, c),
            CallL { c, local } => |r, cx| {
                let v = r.lp.get(local);
                cx.call_local_with(r, c, v)
            },
            CallC { c, v } => |r, cx| cx.call_local_with(r, c, v as u32 as u64),
            CallImport(f) => |r, cx| {
                let handle = cx.inst.funcs[f as usize];
                cx.call(r, handle)
            },
            CallIndirect { ty, table } => |r, cx| cx.call_indirect(r, ty, table),
            Fuel { amount } => |r, cx| cx.fuel(r, amount),
            FuelBulk { shift } => |r, cx| cx.fuel_bulk(r, shift),
            Drop {} => |r, _| r.sp.drop_n(1),
            Select {} => |r, _| select!(r),
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
            GlobalGetOwn(i) => |r, cx| {
                let v = *cx.own_global(i)?;
                r.sp.push(v);
                Ok::<(), Stop>(())
            },
            GlobalSetOwn(i) => |r, cx| {
                let v = r.sp.pop();
                *cx.own_global(i)? = v;
                Ok::<(), Stop>(())
            },
            GlobalSubTee { g, c, local } => |r, cx| {
                let global = cx.own_global(g)?;
                let v = (*global as u32).wrapping_sub(c as u32) as u64;
                *global = v;
                r.lp.set(local, v);
                Ok::<(), Stop>(())
            },
            GlobalSetAddLC { g, a, c } => |r, cx| {
                let v = (r.lp.get(a) as u32).wrapping_add(c as u32) as u64;
                *cx.own_global(g)? = v;
                Ok::<(), Stop>(())
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
            I32Load(o) => |r, _| load!(r, o, 4, le::i32_load),
            I64Load(o) => |r, _| load!(r, o, 8, le::i64_load),
            F32Load(o) => |r, _| load!(r, o, 4, le::f32_load),
            F64Load(o) => |r, _| load!(r, o, 8, le::f64_load),
            I32Load8S(o) => |r, _| load!(r, o, 1, le::i32_load8_s),
            I32Load8U(o) => |r, _| load!(r, o, 1, le::i32_load8_u),
            I32Load16S(o) => |r, _| load!(r, o, 2, le::i32_load16_s),
            I32Load16U(o) => |r, _| load!(r, o, 2, le::i32_load16_u),
            I64Load8S(o) => |r, _| load!(r, o, 1, le::i64_load8_s),
            I64Load8U(o) => |r, _| load!(r, o, 1, le::i64_load8_u),
            I64Load16S(o) => |r, _| load!(r, o, 2, le::i64_load16_s),
            I64Load16U(o) => |r, _| load!(r, o, 2, le::i64_load16_u),
            I64Load32S(o) => |r, _| load!(r, o, 4, le::i64_load32_s),
            I64Load32U(o) => |r, _| load!(r, o, 4, le::i64_load32_u),
            I32Store(o) => |r, _| store!(r, o, 4, le::i32_store),
            I64Store(o) => |r, _| store!(r, o, 8, le::i64_store),
            F32Store(o) => |r, _| store!(r, o, 4, le::f32_store),
            F64Store(o) => |r, _| store!(r, o, 8, le::f64_store),
            I32Store8(o) => |r, _| store!(r, o, 1, le::i32_store8),
            I32Store16(o) => |r, _| store!(r, o, 2, le::i32_store16),
            I64Store8(o) => |r, _| store!(r, o, 1, le::i64_store8),
            I64Store16(o) => |r, _| store!(r, o, 2, le::i64_store16),
            I64Store32(o) => |r, _| store!(r, o, 4, le::i64_store32),
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
            F32Add {} => |r, _| float_ss!(r, fs, f32_ops, add),
            F32Sub {} => |r, _| float_ss!(r, fs, f32_ops, sub),
            F32Mul {} => |r, _| float_ss!(r, fs, f32_ops, mul),
            F32Div {} => |r, _| float_ss!(r, fs, f32_ops, div),
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
            F64Add {} => |r, _| float_ss!(r, ft, f64_ops, add),
            F64Sub {} => |r, _| float_ss!(r, ft, f64_ops, sub),
            F64Mul {} => |r, _| float_ss!(r, ft, f64_ops, mul),
            F64Div {} => |r, _| float_ss!(r, ft, f64_ops, div),
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
        } }
    };
}

#[cfg(test)]
mod tests {
    use crate::bytecode::Op;

    /// The threaded backend numbers its handlers in the order `with_ops!`
    /// lists the ops; that order being the variants' own makes a handler's
    /// number the op's tag, one load with no table between.
    #[test]
    fn op_bodies_are_listed_in_variant_order() {
        macro_rules! names {
            ($( $name:ident $fields:tt => $body:expr, )*) => {
                [$( stringify!($name), )*]
            };
        }
        let listed = with_ops!(names);
        assert_eq!(listed.len(), Op::NAMES.len());
        for (i, (a, b)) in listed.iter().zip(Op::NAMES).enumerate() {
            assert_eq!(*a, b, "op body {i} is {a}, variant {i} is {b}");
        }
    }
}
