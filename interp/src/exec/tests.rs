//! Executor behaviours the spec scripts reach only indirectly.

use crate::{Caller, Linker, Module, Store, TrapKind};

fn instance(wat: &str) -> (Store<u32>, crate::Instance) {
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(0u32);
    let mut linker = Linker::new();
    linker.func_wrap(
        "host",
        "add3",
        |mut c: Caller<'_, u32>, a: i64, b: i64, x: i32| -> (i64, i32) {
            *c.data_mut() += 1;
            (a + b, x * 3)
        },
    );
    let i = linker.instantiate(&mut store, &m).unwrap();
    (store, i)
}

#[test]
fn br_table_drops_below_the_kept_values() {
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32 i32)
            (block (result i32 i32)
              (i32.const 7) (i32.const 8) (i32.const 9)
              (br_table 0 0 (local.get 0))
              (unreachable))))"#,
    );
    let f = i.get_typed_func::<i32, (i32, i32)>(&s, "f").unwrap();
    assert_eq!(f.call(&mut s, 0).unwrap(), (8, 9));
    assert_eq!(f.call(&mut s, 5).unwrap(), (8, 9));
}

#[test]
fn br_table_with_plain_and_adjusting_entries_takes_each() {
    // To $inner: keep 1, drop 0 (a `Jump` entry); to $outer: keep 1 over the
    // 7 (a `Br` entry). The table mixes both, so it stays a `BrTable`.
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32)
            (block $outer (result i32)
              (i32.const 7)
              (block $inner (result i32)
                (i32.const 5)
                (br_table $inner $outer $inner $outer (local.get 0)))
              (i32.add))))"#,
    );
    let f = i.get_typed_func::<i32, i32>(&s, "f").unwrap();
    for (index, want) in [(0, 12), (1, 5), (2, 12), (3, 5), (4, 5), (-1, 5)] {
        assert_eq!(f.call(&mut s, index).unwrap(), want, "index {index}");
    }
}

/// An interpreter's switch, for the tests of its dispatch: `n` nested blocks
/// around `head` and a `br_table` on `index` to them (its default `$exit`),
/// then case `k`'s code after the `k`-th block's end. Inside a `block $exit`
/// the caller opens, which the last case's `)` closes.
pub(crate) fn switch_wat(
    n: usize,
    head: &str,
    index: &str,
    case: impl Fn(usize) -> String,
) -> String {
    let mut w = "(block\n".repeat(n);
    w.push_str(head);
    w.push_str("\n(br_table ");
    for k in 0..n {
        w.push_str(&format!("{k} "));
    }
    w.push_str(&format!("$exit {index}))\n"));
    for k in 0..n {
        w.push_str(&case(k));
        w.push_str(")\n");
    }
    w
}

/// A bytecode interpreter of 40 opcodes: opcode `k` sets `acc = acc * 31 + k`,
/// any other ends the run; its cases jump back to a dispatch whose table is
/// too large to copy, so each takes a copy of the loop head ending in a
/// `BrTableJumpAt`.
pub(crate) fn interpreter_wat(data_at: u32, data: &[u8]) -> String {
    let mut w = String::from(
        "(module (memory 1) (func (export \"run\") (param $pc i32) (result i32)\n\
         (local $acc i32) (local $op i32) (loop $top (block $exit\n",
    );
    w.push_str(&switch_wat(
        40,
        "(local.set $op (i32.load8_u (local.get $pc)))\n\
         (local.set $pc (i32.add (local.get $pc) (i32.const 1)))",
        "(local.get $op)",
        |k| {
            format!(
                "(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (i32.const {k}))) (br $top)"
            )
        },
    ));
    w.push_str(") (local.get $acc))\n(data (i32.const ");
    w.push_str(&format!("{data_at}) \""));
    for b in data {
        w.push_str(&format!("\\{b:02x}"));
    }
    w.push_str("\"))");
    w
}

#[test]
fn a_dispatch_copied_into_its_cases_runs_every_case_and_traps_in_place() {
    // every opcode, then a few again in another order, then one past the table
    let mut prog: Vec<u8> = (0..40).collect();
    prog.extend((0..40).rev().step_by(3));
    prog.push(40);
    let mut want = 0i32;
    for &op in prog.iter().take_while(|&&op| op < 40) {
        want = want.wrapping_mul(31).wrapping_add(i32::from(op));
    }
    let (mut s, i) = instance(&interpreter_wat(16, &prog));
    let f = i.get_typed_func::<i32, i32>(&s, "run").unwrap();
    assert_eq!(f.call(&mut s, 16).unwrap(), want);
    // started on the last byte, 40, past the table's last case: its
    // default, which exits at once
    let last = 16 + prog.len() as i32 - 1;
    assert_eq!(f.call(&mut s, last).unwrap(), 0);
    // a program running off the end of memory traps in a copy's load
    let (mut s, i) = instance(&interpreter_wat(65533, &[1, 2, 3]));
    let f = i.get_typed_func::<i32, i32>(&s, "run").unwrap();
    let e = f.call(&mut s, 65533).unwrap_err();
    assert!(matches!(e.kind(), TrapKind::MemoryOutOfBounds), "{e}");
}

#[test]
fn select_on_an_eqz_condition_picks_by_the_spec() {
    // `select(a, b, c)` is `a` when `c` is not zero. With `c = eqz(x)` this
    // is where wasmi 2.0.0 returns `a` for x = 1 (Node gives `b`, as here).
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32)
            (select (i32.const 7) (local.get 0) (i32.eqz (local.get 0)))))"#,
    );
    let f = i.get_typed_func::<i32, i32>(&s, "f").unwrap();
    assert_eq!(f.call(&mut s, 1).unwrap(), 1);
    assert_eq!(f.call(&mut s, 5).unwrap(), 5);
    assert_eq!(f.call(&mut s, 0).unwrap(), 7);
}

#[test]
fn float_tees_store_and_keep_the_result() {
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param f64 f32) (result f64)
            (local f64 f32)
            (f64.mul (local.tee 2 (f64.sub (local.get 0) (local.get 0))) (f64.const 3))
            (f64.add (local.tee 2 (f64.sub (f64.const 10) (local.get 0))))
            (f64.add (local.get 2))
            (f64.add (f64.promote_f32 (local.tee 3 (f32.mul (local.get 1) (f32.const 0.5)))))
            (f64.add (f64.promote_f32 (local.get 3)))
            (f64.add (local.tee 2 (f64.div (f64.add (local.get 0) (f64.const 1)) (f64.add (local.get 0) (f64.const 3)))))
            (f64.add (local.get 2))))"#,
    );
    let f = i.get_typed_func::<(f64, f32), f64>(&s, "f").unwrap();
    // (x - x) * 3 + (10 - x) + (10 - x) + y/2 + y/2 + 2 * (x + 1) / (x + 3)
    let want = 0.0 + 7.5 + 7.5 + 1.5 + 1.5 + 3.5 / 5.5 + 3.5 / 5.5;
    assert_eq!(f.call(&mut s, (2.5, 3.0)).unwrap(), want);
}

#[test]
fn a_fused_tee_and_constant_op_stores_the_value_before_the_op() {
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32) (local i32)
            (i32.xor (i32.shr_u (local.tee 1 (i32.mul (i32.xor (local.get 0) (i32.const 7)) (i32.const 0x45d9f3b))) (i32.const 16))
                     (local.get 1))))"#,
    );
    let f = i.get_typed_func::<i32, i32>(&s, "f").unwrap();
    let x = (0x1234_5678u32 ^ 7).wrapping_mul(0x45d9f3b);
    assert_eq!(f.call(&mut s, 0x1234_5678).unwrap() as u32, (x >> 16) ^ x);
}

#[test]
fn xor_with_shifted_locals_computes_xorshift() {
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32) (local i32)
            (local.set 0 (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 13))))
            (local.set 0 (i32.xor (local.get 0) (i32.shr_u (local.get 0) (i32.const 17))))
            (local.set 1 (i32.xor (local.get 0) (i32.rotr (local.get 0) (i32.const 35))))
            (i32.xor (local.get 1) (i32.rotl (local.get 0) (i32.const 5)))))"#,
    );
    let f = i.get_typed_func::<i32, i32>(&s, "f").unwrap();
    let mut x = 0x1234_5678u32;
    x ^= x << 13;
    x ^= x >> 17;
    let y = x ^ x.rotate_right(3);
    assert_eq!(
        f.call(&mut s, 0x1234_5678).unwrap() as u32,
        y ^ x.rotate_left(5)
    );
}

#[test]
fn host_calls_resume_with_their_results_in_place() {
    let (mut s, i) = instance(
        r#"(module (import "host" "add3" (func $h (param i64 i64 i32) (result i64 i32)))
            (func (export "f") (result i64)
              (local i64)
              (call $h (i64.const 40) (i64.const 2) (i32.const 5))
              (drop)
              (local.set 0)
              (call $h (local.get 0) (i64.const 1) (i32.const 0))
              (drop)))"#,
    );
    let f = i.get_typed_func::<(), i64>(&s, "f").unwrap();
    assert_eq!(f.call(&mut s, ()).unwrap(), 43);
    assert_eq!(*s.data(), 2);
}

#[test]
fn calls_across_instances_return_to_the_caller() {
    let a = Module::new(
        &wat::parse_str(
            r#"(module (memory (export "mem") 1)
                (func (export "poke") (param i32) (i32.store (i32.const 0) (local.get 0)))
                (func (export "peek") (result i32) (i32.load (i32.const 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let b = Module::new(
        &wat::parse_str(
            r#"(module (import "a" "poke" (func $poke (param i32))) (import "a" "peek" (func $peek (result i32)))
                (memory 1)
                (func (export "run") (result i32)
                  (i32.store (i32.const 0) (i32.const 111))
                  (call $poke (i32.const 5))
                  (i32.add (call $peek) (i32.load (i32.const 0)))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut s = Store::new(());
    let mut linker = Linker::new();
    let ia = linker.instantiate(&mut s, &a).unwrap();
    linker.instance(&s, "a", ia);
    let ib = linker.instantiate(&mut s, &b).unwrap();
    let run = ib.get_typed_func::<(), i32>(&s, "run").unwrap();
    assert_eq!(
        run.call(&mut s, ()).unwrap(),
        116,
        "each instance sees its own memory"
    );
}

#[test]
fn memory_growth_is_seen_by_the_next_access() {
    let (mut s, i) = instance(
        r#"(module (memory 1)
            (func (export "f") (result i32)
              (drop (memory.grow (i32.const 1)))
              (i32.store (i32.const 70000) (i32.const 9))
              (i32.load (i32.const 70000))))"#,
    );
    let f = i.get_typed_func::<(), i32>(&s, "f").unwrap();
    assert_eq!(f.call(&mut s, ()).unwrap(), 9);
}

#[test]
fn a_trap_leaves_the_store_usable() {
    let (mut s, i) = instance(
        r#"(module (func $d (export "d") (param i32) (result i32) (i32.div_u (i32.const 10) (local.get 0))))"#,
    );
    let d = i.get_typed_func::<i32, i32>(&s, "d").unwrap();
    assert!(matches!(
        d.call(&mut s, 0).unwrap_err().kind(),
        TrapKind::IntegerDivideByZero
    ));
    assert_eq!(d.call(&mut s, 5).unwrap(), 2);
}

#[test]
fn a_wrapped_i64_reads_as_its_low_half_everywhere() {
    // `i32.wrap_i64` emits nothing, so its i32 keeps the upper half in its slot:
    // comparisons, branches, extension, memory addresses, globals and host
    // results must all see the low half only.
    let (mut s, i) = instance(
        r#"(module (memory 1)
            (global $g (mut i32) (i32.const 0))
            (func (export "f") (param i64) (result i32 i64 i32 i32)
              (local $w i32)
              (local.set $w (i32.wrap_i64 (local.get 0)))
              (i32.store (local.get $w) (i32.const 5))
              (global.set $g (local.get $w))
              (block $b (br_if $b (i32.eqz (local.get $w))) (unreachable))
              (i32.eqz (local.get $w))
              (i64.extend_i32_u (local.get $w))
              (i32.load (i32.const 0))
              (global.get $g)))"#,
    );
    let f = i
        .get_typed_func::<i64, (i32, i64, i32, i32)>(&s, "f")
        .unwrap();
    assert_eq!(f.call(&mut s, 0x7_0000_0000).unwrap(), (1, 0, 5, 0));
}

/// Each corpus pair fusion in one function (`translate::tests` checks its ops).
pub(crate) const CORPUS_PAIRS_WAT: &str = r#"(module (memory 1)
            (data (i32.const 24) "\2a\00\00\00")
            (func (export "f") (param i32 i32 i32 i32) (result i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 4)))
            (local.set 1 (i32.add (local.get 1) (i32.const -1)))
            (loop
              (br_if 0 (local.tee 2 (i32.add (local.get 2) (i32.const -1)))))
            (local.set 3 (i32.load offset=8 (local.get 0)))
            (local.set 0 (local.get 1))
            (local.set 2 (local.get 3))
            (select (i32.add (local.get 0) (i32.const 5)) (local.get 3) (local.get 1))))"#;

/// An `I32SubSL` then a `local.tee` (`translate::tests` checks they fuse).
pub(crate) const SL_TEE_WAT: &str = r#"(module (func (export "f") (param i32 i32) (result i32)
            (i32.add
              (local.tee 1 (i32.sub (i32.mul (local.get 0) (local.get 0)) (local.get 1)))
              (i32.const 7))))"#;

/// `base + (index << k)` in each operand form of the scaled-index fusions,
/// one function each, `(param index base) (result i32)`: the index from a
/// local or the stack, the base from a local or the stack, and the sum into
/// a local (`to_l`). `(i32.xor x (i32.const 0))` makes a computed value. The
/// stack-index forms shift by 35, which `i32.shl` takes as 3.
pub(crate) const SCALED_INDEX_WAT: &str = r#"(module
    (func (export "l_s") (param i32 i32) (result i32)
      (i32.add (i32.xor (local.get 1) (i32.const 0)) (i32.shl (local.get 0) (i32.const 2))))
    (func (export "s_s") (param i32 i32) (result i32)
      (i32.add (i32.xor (local.get 1) (i32.const 0))
        (i32.shl (i32.xor (local.get 0) (i32.const 0)) (i32.const 35))))
    (func (export "l_l") (param i32 i32) (result i32)
      (i32.add (i32.shl (local.get 0) (i32.const 2)) (local.get 1)))
    (func (export "s_l") (param i32 i32) (result i32)
      (i32.add (i32.shl (i32.xor (local.get 0) (i32.const 0)) (i32.const 35)) (local.get 1)))
    (func (export "to_l") (param i32 i32) (result i32) (local i32)
      (local.set 2 (i32.add (i32.shl (local.get 0) (i32.const 4)) (local.get 1)))
      (i32.sub (local.get 2) (i32.const 1))))"#;

#[test]
fn scaled_index_fusions_shift_then_add_with_wrapping() {
    let (mut s, i) = instance(SCALED_INDEX_WAT);
    type Sum = fn(u32, u32) -> u32;
    let forms: [(&str, Sum); 5] = [
        ("l_s", |i, b| b.wrapping_add(i << 2)),
        ("s_s", |i, b| b.wrapping_add(i << 3)),
        ("l_l", |i, b| (i << 2).wrapping_add(b)),
        ("s_l", |i, b| (i << 3).wrapping_add(b)),
        ("to_l", |i, b| (i << 4).wrapping_add(b).wrapping_sub(1)),
    ];
    let values = [0u32, 1, 7, 0x1234_5678, 0x8000_0001, u32::MAX];
    for (name, expect) in forms {
        let f = i.get_typed_func::<(i32, i32), i32>(&s, name).unwrap();
        for &index in &values {
            for &base in &values {
                let got = f.call(&mut s, (index as i32, base as i32)).unwrap() as u32;
                assert_eq!(got, expect(index, base), "{name}({index:#x}, {base:#x})");
            }
        }
    }
}

/// The shift-then-load forms: each function loads (with `offset=4`) from
/// `(index << k) + base`, the index shifted from the stack or from a local
/// (`l`), the base a local or the constant 16 (`c`); `i32.load` and
/// `i32.load16_u`. A shift of 34 tests that the count is taken mod 32.
pub(crate) fn scaled_load_wat() -> String {
    let mut m = String::from("(module (memory (export \"mem\") 1)\n");
    for load in ["load", "load16_u"] {
        for (form, index, base) in [
            (
                "s_l",
                "(i32.xor (local.get 0) (i32.const 0))",
                "(local.get 1)",
            ),
            (
                "s_c",
                "(i32.xor (local.get 0) (i32.const 0))",
                "(i32.const 16)",
            ),
            ("l_l", "(local.get 0)", "(local.get 1)"),
            ("l_c", "(local.get 0)", "(i32.const 16)"),
        ] {
            m += &format!(
                "(func (export \"{form}_{load}\") (param i32 i32) (result i32)\n\
                   (i32.{load} offset=4 (i32.add (i32.shl {index} (i32.const 34)) {base})))\n"
            );
        }
    }
    m + ")"
}

#[test]
fn scaled_loads_read_the_element_or_trap_out_of_bounds() {
    let (mut s, i) = instance(&scaled_load_wat());
    let mem = i.get_memory(&s, "mem").unwrap();
    for (j, b) in mem.data_mut(&mut s).iter_mut().enumerate() {
        *b = (j as u32).wrapping_mul(0x9E37_79B1).to_le_bytes()[3];
    }
    let bytes = mem.data(&s).to_vec();
    let values = [
        0u32,
        1,
        3,
        0x3FFF,
        0x4000,
        0x4000_0003,
        0x8000_0001,
        u32::MAX,
    ];
    for (load, size) in [("load", 4usize), ("load16_u", 2)] {
        for form in ["s_l", "s_c", "l_l", "l_c"] {
            let name = format!("{form}_{load}");
            let f = i.get_typed_func::<(i32, i32), i32>(&s, &name).unwrap();
            for &index in &values {
                for &b in &values {
                    let base = if form.ends_with('c') { 16 } else { b };
                    let at = (index << 2).wrapping_add(base) as usize + 4;
                    let got = f.call(&mut s, (index as i32, b as i32));
                    let args = format!("{name}({index:#x}, {b:#x})");
                    match bytes.get(at..at + size) {
                        Some(v) => {
                            let mut le = [0u8; 4];
                            le[..size].copy_from_slice(v);
                            let want = u32::from_le_bytes(le);
                            assert_eq!(got.unwrap() as u32, want, "{args}");
                        }
                        None => {
                            let e = got.unwrap_err();
                            assert!(
                                matches!(e.kind(), TrapKind::MemoryOutOfBounds),
                                "{args}: {e}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// An i32 operation as Rust computes it.
pub(crate) type I32Op = fn(u32, u32) -> u32;

/// The i32 arithmetic ops that have `local.tee` forms, with their meaning.
pub(crate) const TEE_ARITH: [(&str, I32Op); 11] = [
    ("add", u32::wrapping_add),
    ("sub", u32::wrapping_sub),
    ("mul", u32::wrapping_mul),
    ("and", |a, b| a & b),
    ("or", |a, b| a | b),
    ("xor", |a, b| a ^ b),
    ("shl", |a, b| a.wrapping_shl(b)),
    ("shr_s", |a, b| (a as i32).wrapping_shr(b) as u32),
    ("shr_u", |a, b| a.wrapping_shr(b)),
    ("rotl", |a, b| a.rotate_left(b % 32)),
    ("rotr", |a, b| a.rotate_right(b % 32)),
];

/// For each op of `TEE_ARITH`, `sc_<op>` computes `v = a op 35` and
/// `ss_<op>` computes `v = a op b`, each on computed (stack) operands and
/// kept with a `local.tee` of local 2; both return `3 v + local 2`, so a
/// wrong stored or kept value shows.
pub(crate) fn tee_arith_wat() -> String {
    let s = |l: u32| format!("(i32.xor (local.get {l}) (i32.const 0))");
    let mut m = String::from("(module\n");
    for (op, _) in TEE_ARITH {
        for (form, rhs) in [("sc", "(i32.const 35)".to_string()), ("ss", s(1))] {
            m += &format!(
                "(func (export \"{form}_{op}\") (param i32 i32) (result i32) (local i32)\n\
                   (i32.add (i32.mul (local.tee 2 (i32.{op} {a} {rhs})) (i32.const 3))\n\
                     (local.get 2)))\n",
                a = s(0)
            );
        }
    }
    m + ")"
}

#[test]
fn arithmetic_tee_forms_keep_and_store_the_same_value() {
    let (mut s, i) = instance(&tee_arith_wat());
    let values = [0u32, 1, 5, 31, 33, 0x8000_0000, 0xdead_beef, u32::MAX];
    for (op, f) in TEE_ARITH {
        let sc = i
            .get_typed_func::<(i32, i32), i32>(&s, &format!("sc_{op}"))
            .unwrap();
        let ss = i
            .get_typed_func::<(i32, i32), i32>(&s, &format!("ss_{op}"))
            .unwrap();
        for &a in &values {
            let v = f(a, 35);
            let got = sc.call(&mut s, (a as i32, 0)).unwrap() as u32;
            assert_eq!(got, v.wrapping_mul(4), "sc_{op}({a:#x})");
            for &b in &values {
                let v = f(a, b);
                let got = ss.call(&mut s, (a as i32, b as i32)).unwrap() as u32;
                assert_eq!(got, v.wrapping_mul(4), "ss_{op}({a:#x}, {b:#x})");
            }
        }
    }
}

/// `select` stored with `local.set` (`set`) and kept with `local.tee`
/// (`tee`, returning `2 v` through the local and the kept value), on i64 and
/// f64 operands computed on the stack; the condition is the third parameter.
pub(crate) const SELECT_TO_LOCAL_WAT: &str = r#"(module
    (func (export "set") (param i64 i64 i32) (result i64) (local i64)
      (local.set 3 (select (i64.xor (local.get 0) (i64.const 0))
                           (i64.xor (local.get 1) (i64.const 0)) (local.get 2)))
      (local.get 3))
    (func (export "tee") (param i64 i64 i32) (result i64) (local i64)
      (i64.sub (i64.mul (local.tee 3 (select (i64.xor (local.get 0) (i64.const 0))
                                             (i64.xor (local.get 1) (i64.const 0)) (local.get 2)))
                        (i64.const 3))
               (local.get 3)))
    (func (export "fset") (param f64 f64 i32) (result f64) (local f64)
      (local.set 3 (select (f64.neg (local.get 0)) (f64.neg (local.get 1)) (local.get 2)))
      (local.get 3)))"#;

#[test]
fn a_select_into_a_local_takes_the_chosen_operand() {
    let (mut s, i) = instance(SELECT_TO_LOCAL_WAT);
    let set = i.get_typed_func::<(i64, i64, i32), i64>(&s, "set").unwrap();
    let tee = i.get_typed_func::<(i64, i64, i32), i64>(&s, "tee").unwrap();
    let fset = i
        .get_typed_func::<(f64, f64, i32), f64>(&s, "fset")
        .unwrap();
    let (a, b) = (0x1234_5678_9abc_def0_i64, -7_i64);
    for c in [0, 1, -1, i32::MIN] {
        let want = if c != 0 { a } else { b };
        assert_eq!(set.call(&mut s, (a, b, c)).unwrap(), want, "set {c}");
        assert_eq!(
            tee.call(&mut s, (a, b, c)).unwrap(),
            want.wrapping_mul(2),
            "tee {c}"
        );
        let f = fset.call(&mut s, (1.5, -2.25, c)).unwrap();
        assert_eq!(f, if c != 0 { -1.5 } else { 2.25 }, "fset {c}");
    }
}

#[test]
fn corpus_pair_fusions_compute_what_the_pairs_do() {
    // Each fused op must give the result of the ops it replaces.
    let (mut s, i) = instance(CORPUS_PAIRS_WAT);
    let f = i
        .get_typed_func::<(i32, i32, i32, i32), i32>(&s, "f")
        .unwrap();
    // local 0 = 12 + 4 = 16; local 1 = 10 - 1 = 9; the loop counts local 2
    // down to 0; local 3 = mem[16 + 8] = 42; local 0 = 9; local 2 = 42;
    // local 1 is not 0, so the result is 9 + 5; with local 1 = 1 - 1 = 0 it
    // is local 3.
    assert_eq!(f.call(&mut s, (12, 10, 3, 0)).unwrap(), 14);
    assert_eq!(f.call(&mut s, (12, 1, 3, 0)).unwrap(), 42);
    // An address past the end traps from the fused load as from the plain one.
    assert!(matches!(
        f.call(&mut s, (65_530, 0, 1, 0)).unwrap_err().kind(),
        TrapKind::MemoryOutOfBounds
    ));
}

#[test]
fn an_op_with_a_local_then_a_tee_keeps_the_operand_order() {
    // `I32SubSLTee`: the stack value minus the local, stored and kept.
    let (mut s, i) = instance(SL_TEE_WAT);
    let f = i.get_typed_func::<(i32, i32), i32>(&s, "f").unwrap();
    // t = 5 * 5 - 3 = 22, stored in local 1 and kept: 22 + 7.
    assert_eq!(f.call(&mut s, (5, 3)).unwrap(), 29);
    assert_eq!(f.call(&mut s, (0, 1)).unwrap(), 6);
}

/// A comparison as Rust computes it.
pub(crate) type Holds = fn(i64, i64) -> bool;

/// The i64 comparisons, each in every operand form the translator fuses, as
/// a value and as a branch condition: `(name, rust comparison)`.
pub(crate) const I64_CMPS: [(&str, Holds); 10] = [
    ("eq", |a, b| a == b),
    ("ne", |a, b| a != b),
    ("lt_s", |a, b| a < b),
    ("lt_u", |a, b| (a as u64) < (b as u64)),
    ("gt_s", |a, b| a > b),
    ("gt_u", |a, b| (a as u64) > (b as u64)),
    ("le_s", |a, b| a <= b),
    ("le_u", |a, b| (a as u64) <= (b as u64)),
    ("ge_s", |a, b| a >= b),
    ("ge_u", |a, b| (a as u64) >= (b as u64)),
];

/// A constant wider than 32 bits (a NaN-boxing tag test) and one that fits.
pub(crate) const WIDE: i64 = -0x0007_ffff_0000_0001;
pub(crate) const NARROW: i64 = -5;

/// For comparison `op`: functions `(param a b) (result i32)` computing
/// `a op b`, `a op WIDE` and `a op NARROW` in each operand form (locals,
/// stack, constant; `ls`: the local read early as the left operand), as a
/// value (`v_*`) and through an `if` (`b_*`). The stack operand is `a ^ 0`,
/// which keeps `a` while making it a computed value.
pub(crate) fn i64_cmp_wat(op: &str) -> String {
    let s = "(i64.xor (local.get 0) (i64.const 0))";
    let forms = [
        ("ll", "(local.get 0) (local.get 1)".to_string()),
        ("ss", format!("{s} (i64.xor (local.get 1) (i64.const 0))")),
        ("sl", format!("{s} (local.get 1)")),
        (
            "ls",
            "(local.get 0) (i64.xor (local.get 1) (i64.const 0))".to_string(),
        ),
        ("sc", format!("{s} (i64.const {WIDE})")),
        ("sn", format!("{s} (i64.const {NARROW})")),
        ("lc", format!("(local.get 0) (i64.const {NARROW})")),
        ("lw", format!("(local.get 0) (i64.const {WIDE})")),
    ];
    let mut m = String::from("(module\n");
    for (name, args) in &forms {
        let cmp = format!("(i64.{op} {args})");
        m += &format!(
            "(func (export \"v_{name}\") (param i64 i64) (result i32) {cmp})\n\
             (func (export \"b_{name}\") (param i64 i64) (result i32)\n\
               (if (result i32) {cmp} (then (i32.const 1)) (else (i32.const 0))))\n\
             (func (export \"r_{name}\") (param i64 i64) (result i32)\n\
               (block (br_if 0 {cmp}) (return (i32.const 0))) (i32.const 1))\n"
        );
    }
    m + ")"
}

/// `i64.eqz` as a branch condition, both ways round.
pub(crate) const I64_EQZ_WAT: &str = r#"(module
    (func (export "if") (param i64) (result i32)
      (if (result i32) (i64.eqz (i64.xor (local.get 0) (i64.const 0)))
        (then (i32.const 1)) (else (i32.const 0))))
    (func (export "br_if") (param i64) (result i32)
      (block (br_if 0 (i64.eqz (i64.xor (local.get 0) (i64.const 0)))) (return (i32.const 0)))
      (i32.const 1)))"#;

#[test]
fn i64_comparisons_give_the_same_answer_in_every_fused_form() {
    let values = [
        0,
        1,
        -1,
        i64::MIN,
        i64::MAX,
        0x7fff_ffff,
        0x8000_0000,
        0x1_0000_0000,
        -0x1_0000_0000,
        WIDE,
        WIDE - 1,
        WIDE + 1,
        NARROW,
        NARROW + 1,
        NARROW - 1,
    ];
    for (op, holds) in I64_CMPS {
        let (mut s, i) = instance(&i64_cmp_wat(op));
        for form in ["ll", "ss", "sl", "ls", "sc", "sn", "lc", "lw"] {
            for kind in ["v", "b", "r"] {
                let f = i
                    .get_typed_func::<(i64, i64), i32>(&s, &format!("{kind}_{form}"))
                    .unwrap();
                for &a in &values {
                    for &b in &values {
                        let rhs = match form {
                            "sc" | "lw" => WIDE,
                            "sn" | "lc" => NARROW,
                            _ => b,
                        };
                        assert_eq!(
                            f.call(&mut s, (a, b)).unwrap(),
                            i32::from(holds(a, rhs)),
                            "i64.{op} {kind}_{form} ({a}, {b})"
                        );
                    }
                }
            }
        }
    }
    let (mut s, i) = instance(I64_EQZ_WAT);
    for name in ["if", "br_if"] {
        let f = i.get_typed_func::<i64, i32>(&s, name).unwrap();
        for v in [0, 1, -1, i64::MIN, 0x1_0000_0000] {
            assert_eq!(f.call(&mut s, v).unwrap(), i32::from(v == 0), "{name} {v}");
        }
    }
}

/// A call op stops the run when its callee has no bytecode yet or the frame
/// records are full, and runs again once the driver has seen to it
/// (`Break::Prepare`); a `call_indirect` gets its table index back first.
/// Here both happen through `call_indirect`: the recursion grows the frame
/// records many times, and the leaf is translated only at the deepest call.
#[test]
fn call_ops_that_wait_for_translation_or_frame_room_run_again_unchanged() {
    let (mut store, i) = instance(
        r#"(module
             (type $t (func (param i32) (result i32)))
             (table 2 funcref)
             (elem (i32.const 0) $sum $leaf)
             (func $sum (export "sum") (param i32) (result i32)
               (if (result i32) (i32.eqz (local.get 0))
                 (then (call_indirect (type $t) (i32.const 1000) (i32.const 1)))
                 (else
                   (i32.add (local.get 0)
                     (call_indirect (type $t)
                       (i32.sub (local.get 0) (i32.const 1))
                       (i32.const 0))))))
             (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#,
    );
    let sum = i.get_typed_func::<i32, i32>(&store, "sum").unwrap();
    assert_eq!(sum.call(&mut store, 5000).unwrap(), 5000 * 5001 / 2 + 3000);
    // a second store-level call reuses the grown records and the translation
    assert_eq!(sum.call(&mut store, 10).unwrap(), 55 + 3000);
}

#[test]
fn calls_with_their_last_argument_fused_run_again_unchanged() {
    // `call $down (local.get 0)` is a `CallL`, `call $leaf (i32.const 7)` a
    // `CallC`: the first waits for frame room again and again on the way
    // down, the second for its callee's translation.
    let (mut store, i) = instance(
        r#"(module
             (func $down (export "down") (param i32) (result i32)
               (if (result i32) (i32.eqz (local.get 0))
                 (then (call $leaf (i32.const 7)))
                 (else
                   (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                   (i32.add (i32.const 1) (call $down (local.get 0))))))
             (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#,
    );
    let down = i.get_typed_func::<i32, i32>(&store, "down").unwrap();
    assert_eq!(down.call(&mut store, 5000).unwrap(), 5000 + 21);
    assert_eq!(down.call(&mut store, 10).unwrap(), 10 + 21);
}

/// A run that stops for a call op to be prepared resumes with the memory as
/// it is then: grown by the run before the stop.
#[test]
fn a_call_prepared_after_memory_growth_sees_the_grown_memory() {
    let (mut store, i) = instance(
        r#"(module
             (memory 1)
             (func $touch (param i32) (result i32)
               (i32.store (local.get 0) (i32.const 42))
               (i32.load (local.get 0)))
             (func (export "run") (result i32)
               (drop (memory.grow (i32.const 1)))
               (call $touch (i32.const 70000))))"#,
    );
    let run = i.get_typed_func::<(), i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), 42);
}

/// The loads with a `local.tee` fused in (`<load>LTee`, `<load>Tee`,
/// `<load>TeeS`, `<load>TeeL`; `translate::tests` checks the translator
/// picks them): for
/// every load, the pushed value and the local's both match Rust's own reading
/// of the bytes, and an access past the end traps.
pub(crate) const TEE_LOADS: &[(&str, &str, usize)] = &[
    ("i32.load", "i32", 4),
    ("i64.load", "i64", 8),
    ("f32.load", "f32", 4),
    ("f64.load", "f64", 8),
    ("i32.load8_s", "i32", 1),
    ("i32.load8_u", "i32", 1),
    ("i32.load16_s", "i32", 2),
    ("i32.load16_u", "i32", 2),
    ("i64.load8_u", "i64", 1),
    ("i64.load32_u", "i64", 4),
    ("i64.load32_s", "i64", 4),
];

/// A module for load `load` of type `ty`: exports `<form>_push` and
/// `<form>_local` for the forms `ltee`, `tee`, `tees` and `teel`, each loading at
/// `param + 3` and giving the pushed value or the local's as i64 bits.
pub(crate) fn tee_load_wat(load: &str, ty: &str) -> String {
    let bits = match ty {
        "i32" => "i64.extend_i32_u",
        "f32" => "i32.reinterpret_f32 i64.extend_i32_u",
        "f64" => "i64.reinterpret_f64",
        _ => "",
    };
    // the address: a local (`ltee`), a computed value no load fuses with
    // (`tee`), a local teed into local 2 (`tees`, which also checks local 2)
    let forms = [
        ("ltee", format!("local.get 0 {load} offset=3 local.tee 1")),
        (
            "tee",
            format!("local.get 0 i32.const 0 i32.or {load} offset=3 local.tee 1"),
        ),
        (
            "tees",
            format!("local.get 0 local.tee 2 {load} offset=3 local.set 1 local.get 1"),
        ),
        // (a `select` no tee fuses with, teed into local 2 under the load)
        (
            "teel",
            format!(
                "local.get 0 local.get 0 i32.const 1 select local.tee 2 \
                 local.get 0 {load} offset=3 local.set 1 drop local.get 1"
            ),
        ),
    ];
    let mut funcs = String::new();
    for (name, body) in forms {
        let check = if name.starts_with("tees") || name == "teel" {
            // local 2 must hold the address
            "local.get 2 local.get 0 i32.ne if unreachable end"
        } else {
            ""
        };
        funcs.push_str(&format!(
            r#"(func (export "{name}_push") (param i32) (result i64) (local {ty} i32)
                 {body} {check} {bits})
               (func (export "{name}_local") (param i32) (result i64) (local {ty} i32)
                 {body} drop {check} local.get 1 {bits})
            "#
        ));
    }
    format!(
        r#"(module (memory 1)
             (data (i32.const 0) "\80\91\a2\b3\c4\d5\e6\f7\08\19\2a\3b\4c\5d\6e\7f")
             {funcs})"#
    )
}

#[test]
fn loads_with_a_tee_fused_in_read_and_keep_the_right_value() {
    let data: [u8; 16] = [
        0x80, 0x91, 0xa2, 0xb3, 0xc4, 0xd5, 0xe6, 0xf7, 0x08, 0x19, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e,
        0x7f,
    ];
    for &(load, ty, n) in TEE_LOADS {
        let (mut s, i) = instance(&tee_load_wat(load, ty));
        for addr in [0usize, 1, 5] {
            let at = addr + 3;
            let mut raw = [0u8; 8];
            raw[..n].copy_from_slice(&data[at..at + n]);
            let u = u64::from_le_bytes(raw);
            let want = match load {
                "i32.load8_s" => u as u8 as i8 as i32 as u32 as u64,
                "i32.load16_s" => u as u16 as i16 as i32 as u32 as u64,
                "i64.load32_s" => u as u32 as i32 as i64 as u64,
                _ => u,
            };
            for form in ["ltee", "tee", "tees", "teel"] {
                for what in ["push", "local"] {
                    let f = i
                        .get_typed_func::<i32, i64>(&s, &format!("{form}_{what}"))
                        .unwrap();
                    let got = f.call(&mut s, addr as i32).unwrap() as u64;
                    assert_eq!(got, want, "{load} {form}_{what} at {addr}");
                }
            }
        }
        for form in ["ltee", "tee", "tees", "teel"] {
            let f = i
                .get_typed_func::<i32, i64>(&s, &format!("{form}_push"))
                .unwrap();
            let past = (65_536 - 3 - n + 1) as i32;
            assert!(
                matches!(
                    f.call(&mut s, past).unwrap_err().kind(),
                    TrapKind::MemoryOutOfBounds
                ),
                "{load} {form} one byte past the end"
            );
            // the last bytes in bounds are zero
            assert_eq!(f.call(&mut s, past - 1).unwrap(), 0, "{load} {form}");
        }
    }
}

/// Frame entry zeroes only the locals a read can see unwritten: a local the
/// analysis counts as written first is never read before the write, even when
/// an earlier call left other values in the same stack slots.
#[test]
fn locals_read_before_any_write_are_zero_on_a_used_stack() {
    let (mut store, i) = instance(
        r#"(module
             (func $dirty (local i64 i64 i64 i64 i64 i64)
               (local.set 0 (i64.const -1)) (local.set 1 (i64.const -1))
               (local.set 2 (i64.const -1)) (local.set 3 (i64.const -1))
               (local.set 4 (i64.const -1)) (local.set 5 (i64.const -1))
               (drop (i64.add (local.get 0) (local.get 5))))
             (func $reader (param i32) (result i64) (local i64 i64 i64 i64)
               (if (local.get 0) (then (local.set 1 (i64.const 7))))
               (block (br_if 0 (i32.eq (local.get 0) (i32.const 2)))
                      (local.set 3 (i64.const 100)))
               (local.set 4 (i64.const 1000))
               (i64.add (i64.add (local.get 1) (local.get 3))
                        (i64.add (local.get 4)
                          (loop (result i64) (local.get 2)))))
             (func (export "run") (param i32) (result i64)
               (call $dirty)
               (call $reader (local.get 0))))"#,
    );
    let run = i.get_typed_func::<i32, i64>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 0).unwrap(), 1100);
    assert_eq!(run.call(&mut store, 1).unwrap(), 1107);
    assert_eq!(run.call(&mut store, 2).unwrap(), 1007);
}

#[test]
fn a_returned_local_is_the_callers_stack_top() {
    let (mut store, i) = instance(
        r#"(module
             (func $sq (param i32) (result i32) (local i32)
               (local.set 1 (i32.mul (local.get 0) (local.get 0)))
               (local.get 1))
             (func (export "run") (param i32) (result i32)
               (i32.sub (i32.const 1000) (i32.add (call $sq (local.get 0)) (call $sq (i32.const 3))))))"#,
    );
    let run = i.get_typed_func::<i32, i32>(&store, "run").unwrap();
    assert_eq!(run.call(&mut store, 5).unwrap(), 1000 - 25 - 9);
}

#[test]
fn a_call_without_results_leaves_the_callers_stack_as_it_was() {
    // `$bump` returns nothing (`Return0`) from deep in its own operands,
    // called with two, one and no values of the caller's below its argument.
    let (mut store, i) = instance(
        r#"(module
             (global $g (export "g") (mut i32) (i32.const 0))
             (func $bump (param i32) (local i32)
               (local.set 1 (i32.mul (local.get 0) (i32.const 3)))
               (global.set $g (i32.add (global.get $g) (local.get 1)))
               (if (i32.gt_u (local.get 0) (i32.const 100)) (then (return)))
               (global.set $g (i32.add (global.get $g) (i32.const 1))))
             (func (export "run") (param i32) (result i32)
               (i32.const 7)
               (local.get 0)
               (call $bump (i32.const 5))
               (i32.sub)
               (call $bump (local.get 0))
               (global.get $g)
               (call $bump (i32.const 1000))
               (i32.mul)))"#,
    );
    let run = i.get_typed_func::<i32, i32>(&store, "run").unwrap();
    // 7 - 200, times the global after 5 * 3 + 1 and 200 * 3 (read before
    // the last call, which sees it on the stack below its argument)
    assert_eq!(
        run.call(&mut store, 200).unwrap(),
        (7 - 200) * (5 * 3 + 1 + 200 * 3)
    );
    // and the last call ran to its early return
    let g = i.get_global(&store, "g").unwrap().get(&store);
    assert!(matches!(g, crate::Val::I32(3616)), "{g:?}");
}

/// The float ops with a constant operand (`F64MulSC`, ...), each against
/// Rust's arithmetic, the constant on the right (`x - c`, `x / c`), with
/// NaN, infinities, signed zeros and a denormal among the inputs.
#[test]
fn float_ops_with_a_constant_compute_as_unfused() {
    // `local op c` (the `LC` forms), and `top op c` (`SC`) on a negated top
    // (a negation sets no float register, so the plain forms run).
    let (mut s, i) = instance(
        r#"(module
          (func (export "dn") (param f64) (result f64 f64 f64 f64)
            (f64.add (f64.neg (local.get 0)) (f64.const 1.5))
            (f64.sub (f64.neg (local.get 0)) (f64.const 1.5))
            (f64.mul (f64.neg (local.get 0)) (f64.const -0.0))
            (f64.div (f64.neg (local.get 0)) (f64.const 0.75)))
          (func (export "sn") (param f32) (result f32 f32 f32 f32)
            (f32.add (f32.neg (local.get 0)) (f32.const 1.5))
            (f32.sub (f32.neg (local.get 0)) (f32.const 1.5))
            (f32.mul (f32.neg (local.get 0)) (f32.const -0.0))
            (f32.div (f32.neg (local.get 0)) (f32.const 0.75)))
          (func (export "d") (param f64) (result f64 f64 f64 f64)
            (f64.add (local.get 0) (f64.const 1.5))
            (f64.sub (local.get 0) (f64.const 1.5))
            (f64.mul (local.get 0) (f64.const -0.0))
            (f64.div (local.get 0) (f64.const 0.75)))
          (func (export "s") (param f32) (result f32 f32 f32 f32)
            (f32.add (local.get 0) (f32.const 1.5))
            (f32.sub (local.get 0) (f32.const 1.5))
            (f32.mul (local.get 0) (f32.const -0.0))
            (f32.div (local.get 0) (f32.const 0.75))))"#,
    );
    let d = i
        .get_typed_func::<f64, (f64, f64, f64, f64)>(&s, "d")
        .unwrap();
    let sf = i
        .get_typed_func::<f32, (f32, f32, f32, f32)>(&s, "s")
        .unwrap();
    let dn = i
        .get_typed_func::<f64, (f64, f64, f64, f64)>(&s, "dn")
        .unwrap();
    let sn = i
        .get_typed_func::<f32, (f32, f32, f32, f32)>(&s, "sn")
        .unwrap();
    let same64 = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
    let same32 = |a: f32, b: f32| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
    for x in [
        0.0,
        -0.0,
        2.0,
        -7.25,
        1e300,
        f64::MIN_POSITIVE / 4.0,
        f64::INFINITY,
        f64::NAN,
    ] {
        let (a, b, m, q) = d.call(&mut s, x).unwrap();
        let want = (x + 1.5, x - 1.5, x * -0.0, x / 0.75);
        assert!(
            same64(a, want.0) && same64(b, want.1) && same64(m, want.2) && same64(q, want.3),
            "f64 {x}: {:?} want {want:?}",
            (a, b, m, q)
        );
        let y = x as f32;
        let (a, b, m, q) = sf.call(&mut s, y).unwrap();
        let want = (y + 1.5, y - 1.5, y * -0.0, y / 0.75);
        assert!(
            same32(a, want.0) && same32(b, want.1) && same32(m, want.2) && same32(q, want.3),
            "f32 {y}: {:?} want {want:?}",
            (a, b, m, q)
        );
        let (a, b, m, q) = dn.call(&mut s, x).unwrap();
        let want = (-x + 1.5, -x - 1.5, -x * -0.0, -x / 0.75);
        assert!(
            same64(a, want.0) && same64(b, want.1) && same64(m, want.2) && same64(q, want.3),
            "f64 -{x}: {:?} want {want:?}",
            (a, b, m, q)
        );
        let (a, b, m, q) = sn.call(&mut s, y).unwrap();
        let want = (-y + 1.5, -y - 1.5, -y * -0.0, -y / 0.75);
        assert!(
            same32(a, want.0) && same32(b, want.1) && same32(m, want.2) && same32(q, want.3),
            "f32 -{y}: {:?} want {want:?}",
            (a, b, m, q)
        );
    }
}

/// `join(a, b, flag)` of float type `t`: a block whose end is reached from a
/// multiply (`a * 2`) or, when `flag` is set, from a branch bringing `b`;
/// then `+ 3`, which must read the value that came (an `a * 5` dropped
/// before the block left another in the float register): 7 and 14 for
/// `join(2, 11, 0)` and `join(2, 11, 1)`.
fn float_join(t: &str) -> String {
    format!(
        r#"(func (export "join") (param {t} {t} i32) (result {t})
            (drop ({t}.mul (local.get 0) ({t}.const 5)))
            (block (result {t})
              (local.get 1)
              (br_if 0 (local.get 2))
              (drop)
              ({t}.mul (local.get 0) ({t}.const 2)))
            ({t}.add ({t}.const 3)))"#
    )
}

/// f64 chains whose ops read the stack top from `Regs::ft` (`F64AddX`,
/// `F64MulSCX`, `F64SubSLX`, ...) against Rust's arithmetic; and a block end
/// reached both from an f64 op and from a branch carrying another value,
/// where the op must read the top the branch brought.
#[test]
fn float_chains_through_the_float_register_compute_as_unfused() {
    let (mut s, i) = instance(&format!(
        r#"(module
          (func (export "chain") (param f64 f64) (result f64)
            (f64.mul (local.get 0) (f64.const 1.5))
            (f64.add (f64.const 0.25))
            (f64.sub (local.get 1))
            (f64.div (local.get 0))
            (f64.mul (local.get 1))
            (f64.sub (f64.const 3))
            (f64.div (f64.const -0.5))
            (f64.add (local.get 1))
            (f64.mul (local.get 0) (local.get 1))
            (f64.add)
            (f64.mul (local.get 1) (local.get 0))
            (f64.sub)
            (f64.div (local.get 0) (local.get 1))
            (f64.div))
          {})"#,
        float_join("f64")
    ));
    let chain = i.get_typed_func::<(f64, f64), f64>(&s, "chain").unwrap();
    let join = i
        .get_typed_func::<(f64, f64, i32), f64>(&s, "join")
        .unwrap();
    let model = |a: f64, b: f64| {
        let mut x = a * 1.5 + 0.25 - b;
        x = (x / a) * b;
        x = (x - 3.0) / -0.5 + b;
        x += a * b;
        x -= b * a;
        x / (a / b)
    };
    for (a, b) in [
        (2.0, 3.0),
        (-1.25, 0.5),
        (1e-310, 7.0),
        (f64::INFINITY, 2.0),
        (0.0, -0.0),
        (f64::NAN, 1.0),
    ] {
        let (got, want) = (chain.call(&mut s, (a, b)).unwrap(), model(a, b));
        assert!(
            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
            "chain({a}, {b}) = {got}, want {want}"
        );
    }
    assert_eq!(join.call(&mut s, (2.0, 11.0, 0)).unwrap(), 7.0);
    assert_eq!(join.call(&mut s, (2.0, 11.0, 1)).unwrap(), 14.0);
}

/// Each instance's defined globals (read and written by `GlobalGetOwn` and
/// the fused prologue and epilogue) are its own, also when one instance calls
/// another and returns, and imported globals are the exporter's.
#[test]
fn defined_globals_are_the_running_instances_own_across_calls() {
    let lib = Module::new(
        &wat::parse_str(
            r#"(module
                (global $pad (mut i64) (i64.const 0))
                (global $sp (export "sp") (mut i32) (i32.const 1000))
                (global $depth (mut i32) (i32.const 0))
                ;; takes `n` frames of 16 bytes, counting them in $depth; gives the lowest $sp seen
                (func $dig (export "dig") (param i32) (result i32) (local i32 i32)
                  (global.set $sp (local.tee 1 (i32.sub (global.get $sp) (i32.const 16))))
                  (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
                  (local.set 2 (local.get 1))
                  (if (local.get 0)
                    (then (local.set 2 (call $dig (i32.sub (local.get 0) (i32.const 1))))))
                  (global.set $sp (i32.add (local.get 1) (i32.const 16)))
                  (local.get 2))
                (func (export "depth") (result i32) (global.get $depth)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let user = Module::new(
        &wat::parse_str(
            r#"(module
                (import "lib" "dig" (func $dig (param i32) (result i32)))
                (import "lib" "sp" (global $libsp (mut i32)))
                (global $sp (mut i32) (i32.const 5000))
                (func (export "run") (result i32) (local i32 i32)
                  (global.set $sp (local.tee 0 (i32.sub (global.get $sp) (i32.const 64))))
                  ;; the library digs on its own $sp while ours stays taken
                  (local.set 1 (call $dig (i32.const 3)))
                  (if (i32.ne (global.get $sp) (i32.const 4936)) (then unreachable))
                  (if (i32.ne (global.get $libsp) (i32.const 1000)) (then unreachable))
                  (global.set $sp (i32.add (local.get 0) (i32.const 64)))
                  (i32.add (local.get 1) (i32.mul (global.get $sp) (i32.const 10000)))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut s = Store::new(());
    let mut linker = Linker::new();
    // Two instances of the library: the second's globals sit after the first's.
    let first = linker.instantiate(&mut s, &lib).unwrap();
    let lib2 = linker.instantiate(&mut s, &lib).unwrap();
    linker.instance(&s, "lib", lib2);
    let u = linker.instantiate(&mut s, &user).unwrap();
    let run = u.get_typed_func::<(), i32>(&s, "run").unwrap();
    // 4 frames of 16 bytes from 1000: the lowest is 936; ours is back at 5000.
    assert_eq!(run.call(&mut s, ()).unwrap(), 936 + 5000 * 10000);
    let depth =
        |i: crate::Instance, s: &Store<()>| i.get_typed_func::<(), i32>(s, "depth").unwrap();
    let d2 = depth(lib2, &s);
    assert_eq!(
        d2.call(&mut s, ()).unwrap(),
        4,
        "the called instance counted"
    );
    let d1 = depth(first, &s);
    assert_eq!(
        d1.call(&mut s, ()).unwrap(),
        0,
        "the other instance did not"
    );
    let sp1 = first.get_global(&s, "sp").unwrap();
    assert_eq!(sp1.get(&s).i32(), Some(1000));
}

/// Constants stored at the sum of two locals (`I32StoreCLL` and its narrower
/// kin) land where the unfused ops put them, and trap at the memory's end.
#[test]
fn constants_stored_at_a_sum_of_locals_land_and_trap_in_place() {
    let (mut s, i) = instance(
        r#"(module (memory (export "m") 1)
            (func (export "put") (param i32 i32)
              (i32.store offset=8 (i32.add (local.get 0) (local.get 1)) (i32.const 0x11223344))
              (i32.store16 offset=4 (i32.add (local.get 0) (local.get 1)) (i32.const -2))
              (i32.store8 (i32.add (local.get 0) (local.get 1)) (i32.const 0x1ab)))
            (func (export "get") (param i32) (result i64) (i64.load (local.get 0))))"#,
    );
    let put = i.get_typed_func::<(i32, i32), ()>(&s, "put").unwrap();
    let get = i.get_typed_func::<i32, i64>(&s, "get").unwrap();
    // 100 + 28: the address wraps as an i32 sum would
    put.call(&mut s, (-28i32 as u32 as i32, 128)).unwrap();
    assert_eq!(get.call(&mut s, 100).unwrap(), 0x0000_fffe_0000_00ab);
    assert_eq!(get.call(&mut s, 108).unwrap(), 0x1122_3344);
    // the 4-byte store at 65534 + 8 is past the end; nothing before it ran
    let err = put.call(&mut s, (65_000, 526)).unwrap_err();
    assert!(matches!(err.kind(), TrapKind::MemoryOutOfBounds), "{err}");
    assert_eq!(get.call(&mut s, 65_526).unwrap(), 0);
}

/// As above for f32 chains through `Regs::fs` (`F32MulSCX`, `F32SubLSX`,
/// ...), with f64 ops (`F64DivLSX`) and conversions between the types in the
/// chain, so that each register must hold the last value of its own type;
/// and the block end reached from an f32 op and from a branch.
#[test]
fn f32_chains_through_their_float_register_compute_as_unfused() {
    let (mut s, i) = instance(&format!(
        r#"(module
          (func (export "chain") (param f32 f32) (result f32)
            (f32.mul (local.get 0) (f32.const 1.5))
            (f32.add (f32.const 0.25))
            (f32.sub (local.get 1))
            (f32.div (local.get 0))
            (f32.mul (local.get 1))
            (local.set 0 (f32.sub (local.get 0)))
            (f32.sub (local.get 1) (f32.mul (local.get 0) (f32.const 3)))
            (f32.div (local.get 1) (f32.add (f32.const 2)))
            (f32.mul (local.get 0) (local.get 1))
            (f32.add)
            (f32.demote_f64
              (f64.div (f64.const 10) (f64.mul (f64.promote_f32 (local.get 1)) (f64.const 0.5))))
            (f32.sub)
            (f32.div (local.get 0) (local.get 1))
            (f32.div))
          {})"#,
        float_join("f32")
    ));
    let chain = i.get_typed_func::<(f32, f32), f32>(&s, "chain").unwrap();
    let join = i
        .get_typed_func::<(f32, f32, i32), f32>(&s, "join")
        .unwrap();
    let model = |a: f32, b: f32| {
        let mut x = a * 1.5 + 0.25 - b;
        x = (x / a) * b;
        let a = x - a;
        let mut y = b - a * 3.0;
        y /= b + 2.0;
        y += a * b;
        y -= (10.0 / (f64::from(b) * 0.5)) as f32;
        y / (a / b)
    };
    for (a, b) in [
        (2.0, 3.0),
        (-1.25, 0.5),
        (1e-40, 7.0),
        (f32::INFINITY, 2.0),
        (0.0, -0.0),
        (f32::NAN, 1.0),
        (3.0e38, -1e-3),
    ] {
        let (got, want) = (chain.call(&mut s, (a, b)).unwrap(), model(a, b));
        assert!(
            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
            "chain({a}, {b}) = {got}, want {want}"
        );
    }
    assert_eq!(join.call(&mut s, (2.0, 11.0, 0)).unwrap(), 7.0);
    assert_eq!(join.call(&mut s, (2.0, 11.0, 1)).unwrap(), 14.0);
}

/// `local.set` and `local.tee` of an f64 the op before left in `Regs::ft`
/// (`LocalSetF64X`, `LocalTeeF64X`), next to an f32 op's (which stays a
/// plain `LocalSet`), and a `local.set` at a block end reached from an f64
/// op and from a branch bringing another value.
#[test]
fn f64_local_writes_from_the_float_register_write_the_top() {
    let (mut s, i) = instance(
        r#"(module
          (func (export "sets") (param f64 f32) (result f64 f32 f64)
            (local f64 f64 f32)
            (local.set 2 (f64.mul (local.get 0) (f64.const 3)))
            (local.set 4 (f32.add (local.get 1) (f32.const 0.5)))
            (f64.mul (local.tee 3 (f64.sub (local.get 2) (f64.const 1))) (f64.const 0.5))
            (local.get 4)
            (local.get 3))
          (func (export "join") (param f64 f64 i32) (result f64) (local f64)
            (drop (f64.mul (local.get 0) (f64.const 5)))
            (local.set 3
              (block (result f64)
                (local.get 1)
                (br_if 0 (local.get 2))
                (drop)
                (f64.mul (local.get 0) (f64.const 2))))
            (local.get 3)))"#,
    );
    let sets = i
        .get_typed_func::<(f64, f32), (f64, f32, f64)>(&s, "sets")
        .unwrap();
    for (x, y) in [(2.5, -3.0f32), (-0.0, 1e-40), (f64::MAX, f32::MAX)] {
        let got = sets.call(&mut s, (x, y)).unwrap();
        let t = x * 3.0 - 1.0;
        let want = (t * 0.5, y + 0.5, t);
        assert_eq!(
            (got.0.to_bits(), got.1.to_bits(), got.2.to_bits()),
            (want.0.to_bits(), want.1.to_bits(), want.2.to_bits()),
            "sets({x}, {y}) = {got:?}, want {want:?}"
        );
    }
    let join = i
        .get_typed_func::<(f64, f64, i32), f64>(&s, "join")
        .unwrap();
    assert_eq!(join.call(&mut s, (2.0, 11.0, 0)).unwrap(), 4.0);
    assert_eq!(join.call(&mut s, (2.0, 11.0, 1)).unwrap(), 11.0);
}

#[test]
fn division_by_constants_gives_the_division_s_results_and_traps() {
    // Every divisor here becomes a multiplying op (`exec::divide`) or, for
    // 0, 1, -1 and MIN, stays a division: all must agree with Rust's
    // arithmetic on numerators at the edges and around the divisor's
    // multiples.
    let d32: &[i32] = &[
        2,
        3,
        7,
        10,
        16,
        641,
        1 << 30,
        i32::MAX,
        -2,
        -3,
        -10,
        -(1 << 30),
        -1,
        1,
        i32::MIN,
    ];
    let d64: &[i64] = &[
        2,
        3,
        10,
        10_000,
        (1 << 26) - 1,
        1 << 26,
        1_000_000_007,
        1 << 40,
        i64::MAX,
        -3,
        -10_000,
        -(1 << 62),
        -1,
        1,
        i64::MIN,
    ];
    let mut wat = String::from("(module\n");
    for &d in d32 {
        for op in ["div_u", "rem_u", "div_s", "rem_s"] {
            wat += &format!(
                "(func (export \"i32.{op}.{d}\") (param i32) (result i32) (i32.{op} (local.get 0) (i32.const {d})))\n"
            );
        }
    }
    for &d in d64 {
        for op in ["div_u", "rem_u", "div_s", "rem_s"] {
            wat += &format!(
                "(func (export \"i64.{op}.{d}\") (param i64) (result i64) (i64.{op} (local.get 0) (i64.const {d})))\n"
            );
        }
    }
    wat += ")";
    let (mut s, i) = instance(&wat);
    let xs = |d: u64, max: u64| {
        let mut v = vec![
            0,
            1,
            2,
            max,
            max - 1,
            max / 2,
            max / 2 + 1,
            12_345_678_901_234_567 & max,
        ];
        for k in [1, 2, 3, 1000] {
            let p = d.wrapping_mul(k) & max;
            v.extend([p, p.wrapping_sub(1) & max, p.wrapping_add(1) & max]);
        }
        v
    };
    // The four ops of one width by `d` on `x`, against Rust's operators.
    macro_rules! check {
        ($t:literal, $s:ty, $u:ty, $d:expr, $x:expr) => {{
            let (d, x): ($s, $u) = ($d, $x);
            let call = |s: &mut Store<u32>, op: &str| {
                let name = format!("{}.{op}.{d}", $t);
                let f = i.get_typed_func::<$s, $s>(&*s, &name).unwrap();
                f.call(s, x as $s)
            };
            assert_eq!(
                call(&mut s, "div_u").unwrap() as $u,
                x / d as $u,
                "{x} div_u {d}"
            );
            assert_eq!(
                call(&mut s, "rem_u").unwrap() as $u,
                x % d as $u,
                "{x} rem_u {d}"
            );
            let xi = x as $s;
            match xi.checked_div(d) {
                Some(q) => assert_eq!(call(&mut s, "div_s").unwrap(), q, "{xi} div_s {d}"),
                None => assert!(matches!(
                    call(&mut s, "div_s").unwrap_err().kind(),
                    TrapKind::IntegerOverflow
                )),
            }
            assert_eq!(
                call(&mut s, "rem_s").unwrap(),
                xi.wrapping_rem(d),
                "{xi} rem_s {d}"
            );
        }};
    }
    for &d in d32 {
        for x in xs(d as u32 as u64, u32::MAX as u64) {
            check!("i32", i32, u32, d, x as u32);
        }
    }
    for &d in d64 {
        for x in xs(d as u64, u64::MAX) {
            check!("i64", i64, u64, d, x);
        }
    }
    // A constant zero divisor still traps.
    let (mut s, i) = instance(
        r#"(module (func (export "f") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const 0))))"#,
    );
    let f = i.get_typed_func::<i32, i32>(&s, "f").unwrap();
    assert!(matches!(
        f.call(&mut s, 5).unwrap_err().kind(),
        TrapKind::IntegerDivideByZero
    ));
}

#[test]
fn float_ops_with_a_loaded_operand_compute_in_order_and_trap_out_of_bounds() {
    // Each function computes `first op mem[addr + 8]` in one of the fused
    // forms (`F64SubML`, `...MLX`, `...MLC`, `...MLCX`, `...M`, and f32's),
    // `first` being `x` converted (plain) or `x * 1.0` (in the float register).
    let forms = [
        ("ml", "(local.get 0)", 0),
        ("mlc", "(i32.add (local.get 0) (i32.const 16))", 16),
        ("m", "(i32.mul (local.get 0) (i32.const 1))", 0),
    ];
    // f64 5.0 at 72 and -0.25 at 88 (read from address 64), f32 5.0 at 200
    // and -0.25 at 216 (from 192)
    let mut wat = String::from(
        r#"(module (memory 1)
        (data (i32.const 72) "\00\00\00\00\00\00\14\40")
        (data (i32.const 88) "\00\00\00\00\00\00\d0\bf")
        (data (i32.const 200) "\00\00\a0\40")
        (data (i32.const 216) "\00\00\80\be")
        "#,
    );
    for t in ["f64", "f32"] {
        for op in ["sub", "div"] {
            for (form, addr, _) in forms {
                for (reg, first) in [
                    ("", format!("({t}.convert_i32_s (local.get 1))")),
                    (
                        "x",
                        format!("({t}.mul ({t}.convert_i32_s (local.get 1)) ({t}.const 1))"),
                    ),
                ] {
                    wat += &format!(
                        "(func (export \"{t}.{op}.{form}{reg}\") (param i32 i32) (result {t}) ({t}.{op} {first} ({t}.load offset=8 {addr})))\n"
                    );
                }
            }
        }
    }
    wat += ")";
    let (mut s, i) = instance(&wat);
    // Type `$t` read from `$at` (`m` there, `$end` the last address whose
    // load fits), both ops, for one form.
    macro_rules! check {
        ($t:ty, $at:expr, $end:expr, $m:expr, $name:expr, $x:expr) => {{
            let (x, m) = ($x, $m as $t);
            let sub = i
                .get_typed_func::<(i32, i32), $t>(&s, &$name("sub"))
                .unwrap();
            let div = i
                .get_typed_func::<(i32, i32), $t>(&s, &$name("div"))
                .unwrap();
            assert_eq!(
                sub.call(&mut s, ($at, x)).unwrap(),
                x as $t - m,
                "{}",
                $name("sub")
            );
            assert_eq!(
                div.call(&mut s, ($at, x)).unwrap(),
                x as $t / m,
                "{}",
                $name("div")
            );
            for f in [sub, div] {
                assert!(f.call(&mut s, ($end, x)).is_ok(), "{}", $name("sub"));
                assert!(matches!(
                    f.call(&mut s, ($end + 1, x)).unwrap_err().kind(),
                    TrapKind::MemoryOutOfBounds
                ));
            }
        }};
    }
    for (form, _, extra) in forms {
        for reg in ["", "x"] {
            for x in [3, -7] {
                let m = if extra == 0 { 5.0 } else { -0.25 };
                let f64_name = |op: &str| format!("f64.{op}.{form}{reg}");
                check!(f64, 64, 65_520 - extra, m, f64_name, x);
                let f32_name = |op: &str| format!("f32.{op}.{form}{reg}");
                check!(f32, 192, 65_524 - extra, m, f32_name, x);
            }
        }
    }
}

#[test]
fn a_constant_stored_at_a_local_address_writes_its_bytes_or_traps() {
    let (mut s, i) = instance(
        r#"(module (memory 1)
        (func (export "f") (param i32) (result i64)
          (i64.store (local.get 0) (i64.const 0x1111111111111111))
          (i64.store offset=8 (local.get 0) (i64.const 0x1111111111111111))
          (i32.store16 offset=2 (local.get 0) (i32.const -2))
          (i32.store8 offset=1 (local.get 0) (i32.const 0x1ab))
          (i64.store offset=8 (local.get 0) (i64.const -3))
          (i64.xor (i64.load (local.get 0)) (i64.load offset=8 (local.get 0)))))"#,
    );
    let f = i.get_typed_func::<i32, i64>(&s, "f").unwrap();
    // bytes 0..8: 11 ab fe ff 11 11 11 11; bytes 8..16: -3 sign-extended
    let low = u64::from_le_bytes([0x11, 0xab, 0xfe, 0xff, 0x11, 0x11, 0x11, 0x11]);
    assert_eq!(f.call(&mut s, 64).unwrap(), (low ^ (-3i64 as u64)) as i64);
    // at 65 528 the first store fits and the fused one at offset 8 does not
    assert!(matches!(
        f.call(&mut s, 65_528).unwrap_err().kind(),
        TrapKind::MemoryOutOfBounds
    ));
}

/// Loads from a constant address (`I32LoadA`, `..ATee`, `..AToL`) of every
/// width read the bytes there, and trap past the end, where the constant
/// plus the offset is beyond 4 GiB too (an address does not wrap).
macro_rules! check_load_a {
    ($load:literal, $ty:literal, $want:expr) => {{
        let (mut s, i) = instance(&format!(
            r#"(module (memory 1)
            (data (i32.const 100) "\81\82\83\84\85\86\87\88")
            (func (export "push") (result {ty}) ({load} offset=2 (i32.const 98)))
            (func (export "tee") (result {ty}) (local {ty})
              (local.tee 0 ({load} (i32.const 100)))
              (local.get 0) drop)
            (func (export "to") (result {ty}) (local {ty})
              (local.set 0 ({load} offset=100 (i32.const 0)))
              (local.get 0))
            (func (export "end") (result {ty}) ({load} offset=65530 (i32.const 10)))
            (func (export "wrap") (result {ty}) ({load} offset=16 (i32.const -8))))"#,
            ty = $ty,
            load = $load
        ));
        for f in ["push", "tee", "to"] {
            let mut io = [0u64];
            let func = i.get_func(&s, f).unwrap();
            s.call_raw(func, &mut io).unwrap();
            assert_eq!(io[0], $want, "{} {f}", $load);
        }
        for f in ["end", "wrap"] {
            let func = i.get_func(&s, f).unwrap();
            let e = s.call_raw(func, &mut [0u64]).unwrap_err();
            assert!(
                matches!(e.kind(), TrapKind::MemoryOutOfBounds),
                "{} {f}",
                $load
            );
        }
    }};
}

#[test]
fn loads_from_a_constant_address_read_their_bytes_or_trap() {
    let le8 = 0x8887_8685_8483_8281_u64;
    check_load_a!("i32.load", "i32", le8 as u32 as u64);
    check_load_a!("i64.load", "i64", le8);
    check_load_a!("f32.load", "f32", le8 as u32 as u64);
    check_load_a!("f64.load", "f64", le8);
    check_load_a!("i32.load8_s", "i32", 0xffff_ff81);
    check_load_a!("i32.load8_u", "i32", 0x81);
    check_load_a!("i32.load16_s", "i32", 0xffff_8281);
    check_load_a!("i32.load16_u", "i32", 0x8281);
    check_load_a!("i64.load8_u", "i64", 0x81);
    check_load_a!("i64.load32_u", "i64", 0x8483_8281);
    check_load_a!("i64.load32_s", "i64", 0xffff_ffff_8483_8281);
}
