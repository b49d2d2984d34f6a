use crate::bytecode::Op;
use crate::exec::tests::switch_wat;
use crate::module::Module;

/// Each function's ops, with jump targets made absolute again
/// (the translator stores them relative to the op after the branch), and its
/// maximum operand height.
fn code(wat: &str) -> Vec<(Vec<Op>, u32)> {
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    (0..m.inner.code.len() as u32)
        .map(|i| m.inner.code(i))
        .map(|c| {
            let mut ops = c.ops();
            super::passes::map_targets(&mut ops, u32::wrapping_add);
            (ops, c.max_height())
        })
        .collect()
}

#[test]
fn block_branch_carries_its_result_over_dropped_values() {
    let c = code(
        r#"(module (func (result i32)
            (block (result i32)
              (i32.const 1) (i32.const 2) (i32.const 3)
              (br 0))))"#,
    );
    let (ops, max) = &c[0];
    assert_eq!(
        ops,
        &[
            Op::I32Const(1),
            Op::I32Const(2),
            Op::I32Const(3),
            Op::Br {
                target: 4,
                drop: 2,
                keep: 1
            },
            Op::Return1
        ]
    );
    assert_eq!(*max, 3);
}

#[test]
fn loop_branch_jumps_back_to_the_loop_start() {
    let c = code(r#"(module (func (param i32) (loop (br_if 0 (local.get 0)))))"#);
    assert_eq!(
        c[0].0,
        vec![
            Op::BrNezL {
                target: 0,
                local: 0
            },
            Op::Return0
        ]
    );
}

#[test]
fn operands_from_locals_and_constants_fuse_into_one_op() {
    let c = code(
        r#"(module (func (param i32 i32) (result i32) (local i32)
            (local.set 2 (i32.add (local.get 0) (local.get 1)))
            (local.set 2 (i32.sub (local.get 2) (i32.const 5)))
            (local.set 1 (local.get 2))
            (i32.mul (local.get 1) (i32.const 3))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32AddLLToL { a: 0, b: 1, d: 2 },
            Op::I32SubLCToL { a: 2, c: 5, d: 2 },
            Op::LocalCopy { from: 2, to: 1 },
            Op::I32MulLC { a: 1, c: 3 },
            Op::Return1
        ]
    );
}

#[test]
fn compare_and_branch_fuse_and_if_inverts_the_comparison() {
    let c = code(
        r#"(module (func (param i32 i32) (result i32)
            (block (br_if 0 (i32.lt_u (local.get 0) (local.get 1))))
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 10)) (then (i32.const 1)) (else (i32.const 2)))))"#,
    );
    assert_eq!(
        c[0].0[0],
        Op::BrI32LtULL {
            target: 1,
            a: 0,
            b: 1
        }
    );
    assert_eq!(
        c[0].0[1],
        Op::BrI32GeSLC {
            target: 4,
            a: 0,
            c: 10
        }
    );
}

#[test]
fn nothing_fuses_across_a_jump_target() {
    // The loop start is a target: the `local.get` before it must stay separate.
    let c = code(
        r#"(module (func (param i32) (result i32)
            (local.get 0)
            (loop (param i32) (result i32) (i32.const 1) (i32.add))))"#,
    );
    assert_eq!(c[0].0, vec![Op::LocalGet(0), Op::I32AddSC(1), Op::Return1]);
}

#[test]
fn if_else_lowers_to_two_jumps() {
    // (the join's code is too long for jump threading to copy it)
    let c = code(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
            (i32.add
              (i32.mul (i32.add (local.get 0) (i32.const 3)) (i32.xor (local.get 0) (i32.const 5)))
              (i32.mul (i32.add (local.get 0) (i32.const 7)) (i32.xor (local.get 0) (i32.const 9))))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::BrEqzL {
                target: 3,
                local: 0
            },
            Op::I32Const(1),
            Op::Jump { target: 4 },
            Op::I32Const(2),
            Op::LocalSet(0),
            Op::I32AddLC { a: 0, c: 3 },
            Op::I32XorLC { a: 0, c: 5 },
            Op::I32Mul,
            Op::I32AddLC { a: 0, c: 7 },
            Op::I32XorLC { a: 0, c: 9 },
            Op::I32Mul,
            Op::I32Add,
            Op::Return1,
        ]
    );
}

#[test]
fn a_branch_on_eqz_fuses_the_condition_negated() {
    let c = code(
        r#"(module (func (param i32 i32)
            (block (br_if 0 (i32.eqz (i32.lt_s (local.get 0) (local.get 1)))))
            (block (br_if 0 (i32.eqz (i32.and (local.get 0) (i32.const 4)))))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::BrI32GeSLL {
                target: 1,
                a: 0,
                b: 1
            },
            Op::BrI32AndLCEqz {
                target: 2,
                a: 0,
                c: 4
            },
            Op::Return0,
        ]
    );
}

#[test]
fn a_local_below_a_pure_push_becomes_an_operand() {
    // `local.get 1; <load>; i32.sub` reads local 1 after the load instead;
    // a comparison swaps to its mirror.
    let c = code(
        r#"(module (memory 1) (func (param i32 i32) (result i32 i32)
            (i32.sub (local.get 1) (i32.load (local.get 0)))
            (i32.lt_u (local.get 1) (i32.load (local.get 0)))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32LoadL {
                local: 0,
                offset: 0
            },
            Op::I32SubLS(1),
            Op::I32LoadL {
                local: 0,
                offset: 0
            },
            Op::I32GtUSL(1),
            Op::Return,
        ]
    );
}

#[test]
fn a_local_written_in_between_is_read_first() {
    // The `local.tee 1` in between writes local 1: its old value must be pushed first.
    let c = code(
        r#"(module (func (param i32 i32) (result i32)
            (i32.sub (local.get 1) (local.tee 1 (i32.add (local.get 0) (i32.const 1))))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::LocalGet(1),
            Op::I32AddLCTee { a: 0, c: 1, d: 1 },
            Op::I32Sub,
            Op::Return1,
        ]
    );
}

#[test]
fn br_table_entries_follow_the_op() {
    let c = code(
        r#"(module (func (param i32)
            (block (block (br_table 0 1 2 (local.get 0))) (nop))))"#,
    );
    let (ops, _) = &c[0];
    // No entry adjusts the stack: a plain table jump with three `Jump` entries,
    // both blocks ending where the function's `Return` is.
    let end = ops.len() as u32 - 1;
    assert_eq!(
        ops[1..],
        [
            Op::BrTableJump { len: 2 },
            Op::Jump { target: end },
            Op::Jump { target: end },
            Op::Jump { target: end },
            Op::Return0,
        ]
    );
}

#[test]
fn br_table_entries_keep_their_stack_adjustment() {
    let c = code(
        r#"(module (func (param i32) (result i32)
            (block $outer (result i32)
              (i32.const 7)
              (block $inner (result i32)
                (i32.const 5)
                (br_table $inner $outer (local.get 0)))
              (i32.add))))"#,
    );
    let (ops, _) = &c[0];
    let at = ops
        .iter()
        .position(|op| matches!(op, Op::BrTable { .. }))
        .unwrap();
    assert_eq!(ops[at], Op::BrTable { len: 1 });
    // $inner: the add right after the entries; $outer: the final return, over the 7.
    assert_eq!(
        ops[at + 1],
        Op::Jump {
            target: at as u32 + 3
        }
    );
    assert_eq!(
        ops[at + 2],
        Op::Br {
            target: ops.len() as u32 - 1,
            drop: 1,
            keep: 1
        }
    );
}

#[test]
fn unreachable_code_is_not_emitted() {
    let c = code(r#"(module (func (return) (i32.const 1) (drop) (nop)))"#);
    assert_eq!(c[0].0, vec![Op::Return0, Op::Return0]);
}

#[test]
fn invalid_bodies_are_errors_not_panics() {
    let bytes = wat::parse_str(r#"(module (func (result i32) (i64.const 1)))"#);
    // wat itself accepts this; validation must reject it.
    let err = Module::new(&bytes.unwrap()).unwrap_err();
    assert!(err.to_string().contains("type mismatch"), "{err}");
}

#[test]
fn bodies_are_validated_eagerly_and_translated_on_first_use() {
    let m = Module::new(
        &wat::parse_str(
            r#"(module (func (export "a") (result i32) (i32.const 1)) (func (export "b")))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(
        (0..m.inner.code.len() as u32).all(|c| !m.inner.is_translated(c)),
        "nothing translated by decoding"
    );
    assert_eq!(m.inner.code(0).ops()[0], Op::I32Const(1));
    assert!(m.inner.is_translated(0) && !m.inner.is_translated(1));
    // An invalid body is an error at decode time even though nothing runs it.
    let bad = wat::parse_str(r#"(module (func) (func (result i32) (i64.const 1)))"#).unwrap();
    assert!(Module::new(&bad).is_err());
}

#[test]
fn adjacent_pairs_fuse_unless_the_second_is_a_jump_target() {
    let c = code(
        r#"(module (func (param i32 i32) (result i32)
            (local.set 0 (local.get 1))
            (drop (i32.add (local.get 0) (local.get 1)))
            (local.get 0) (local.get 1) (drop) (drop)
            (local.get 0)
            (loop $l (result i32)
              (local.get 1)
              (br_if $l (i32.eqz (local.get 1)))) (i32.add)))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::LocalCopy { from: 1, to: 0 },
            // The emit-time fusions come first and keep their operands.
            Op::I32AddLL { a: 0, b: 1 },
            Op::Drop,
            Op::LocalGet2 { a: 0, b: 1 },
            Op::Drop,
            Op::Drop,
            // The loop start is a target: the `local.get 1` there stays alone.
            Op::LocalGet(0),
            Op::LocalGet2 { a: 1, b: 1 },
            Op::I32Eqz,
            Op::BrIfNez {
                target: 7,
                drop: 1,
                keep: 0
            },
            Op::I32Add,
            Op::Return1,
        ]
    );
}

#[test]
fn stores_take_their_address_and_value_from_locals() {
    let c = code(
        r#"(module (memory 1) (func (param i32 i32 i64)
            (i32.store8 offset=3 (local.get 0) (local.get 1))
            (i64.store32 (local.get 0) (i64.add (local.get 2) (local.get 2)))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32Store8LL {
                addr: 0,
                value: 1,
                offset: 3
            },
            // The address local is read after the value is computed.
            Op::I64AddLL { a: 2, b: 2 },
            Op::I64Store32L { addr: 0, offset: 0 },
            Op::Return0,
        ]
    );
}

#[test]
fn wrapping_an_i64_emits_nothing() {
    // Every i32 reader takes the low half of its slot.
    let c = code(r#"(module (func (param i64) (result i32) (i32.wrap_i64 (local.get 0))))"#);
    assert_eq!(c[0].0, vec![Op::Return1L(0)]);
}

#[test]
fn a_local_below_a_longer_expression_moves_to_its_consumer() {
    let c = code(
        r#"(module (memory 1) (func (param i32 i32 i32) (result i32)
            (f64.store (local.get 0) (f64.add (f64.load (local.get 1)) (f64.load (local.get 2))))
            ;; local 2 is written in between: its local.get must stay
            (i32.sub (local.get 2) (i32.add (local.tee 2 (local.get 1)) (local.get 0)))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::F64LoadL {
                local: 1,
                offset: 0
            },
            // (the second load is the add's own operand)
            Op::F64AddML {
                local: 2,
                offset: 0
            },
            Op::F64StoreL { addr: 0, offset: 0 },
            // The old local 2 is still read first (here inside the pair).
            Op::LocalGet2 { a: 2, b: 1 },
            Op::LocalTeeGet { tee: 2, get: 0 },
            Op::I32Add,
            Op::I32Sub,
            Op::Return1,
        ]
    );
}

#[test]
fn i64_and_float_results_go_straight_to_locals() {
    let c = code(
        r#"(module (memory 1) (func (param i32 i64 f64)
            (local.set 1 (i64.add (i64.load (local.get 0)) (local.get 1)))
            (local.set 2 (f64.sub (f64.load (local.get 0)) (f64.neg (f64.load offset=8 (local.get 0)))))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I64LoadL {
                local: 0,
                offset: 0
            },
            Op::I64AddSLToL { b: 1, d: 1 },
            Op::F64LoadL {
                local: 0,
                offset: 0
            },
            Op::F64LoadL {
                local: 0,
                offset: 8
            },
            Op::F64Neg,
            Op::F64SubSSToL(2),
            Op::Return0,
        ]
    );
}

#[test]
fn a_float_op_takes_its_constant_operand() {
    // `x * 0.999 + 0.001` on the stack top, f64 and f32: each constant joins
    // its op, on the right as the stack had it (`x - c`, `x / c`); an f64 op
    // after an f64 op reads the top from `Regs::ft`, an f32 op after an f32
    // op from `Regs::fs` (`float_top`).
    let c = code(
        r#"(module (func (param f64 f32) (result f64 f32)
            (f64.sub (f64.add (f64.mul (f64.div (local.get 0) (f64.const 2)) (f64.const 0.999)) (f64.const 0.001)) (f64.const 3))
            (f32.sub (f32.add (f32.mul (f32.div (local.get 1) (f32.const 2)) (f32.const 0.5)) (f32.const 0.25)) (f32.const 3))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            // a local and a constant: one op
            Op::F64DivLC {
                a: 0,
                c: 2f64.to_bits()
            },
            // f64 ops after one: the top from the float register
            Op::F64MulSCX(0.999f64.to_bits()),
            Op::F64AddSCX(0.001f64.to_bits()),
            Op::F64SubSCX(3f64.to_bits()),
            Op::F32DivLC {
                a: 1,
                c: 2f32.to_bits()
            },
            Op::F32MulSCX(0.5f32.to_bits()),
            Op::F32AddSCX(0.25f32.to_bits()),
            Op::F32SubSCX(3f32.to_bits()),
            Op::Return,
        ]
    );
}

#[test]
fn a_float_op_at_a_jump_target_reads_the_top_from_the_stack() {
    // The block's end is reached by the `br_if` too, with a value no f64 op
    // left in `Regs::ft`: the multiply there keeps its plain form, though the
    // add before it sets `ft`; the add after the `br_if` reads the multiply's
    // product from the stack, as the branch sets nothing.
    let c = code(
        r#"(module (func (param f64 i32) (result f64)
            (block (result f64)
              (f64.mul (local.get 0) (f64.const 2))
              (br_if 0 (local.get 1))
              (f64.add (local.get 0)))
            (f64.const 4) (f64.mul)
            (f64.sub (local.get 0))
            (f64.div (local.get 0) (f64.const 8))
            (f64.add)))"#,
    );
    let ops = &c[0].0;
    assert_eq!(
        ops[0],
        Op::F64MulLC {
            a: 0,
            c: 2f64.to_bits()
        },
        "{ops:?}"
    );
    assert_eq!(ops[2], Op::F64AddSL(0), "{ops:?}");
    assert_eq!(ops[3], Op::F64MulSC(4f64.to_bits()), "{ops:?}");
    assert_eq!(ops[4], Op::F64SubSLX(0), "{ops:?}");
    assert_eq!(
        ops[5],
        Op::F64DivLC {
            a: 0,
            c: 8f64.to_bits()
        },
        "{ops:?}"
    );
    assert_eq!(ops[6], Op::F64AddX, "{ops:?}");
}

#[test]
fn a_float_op_reads_the_register_of_its_own_type_only() {
    // `float_top` pairs an op with the op before only when that one sets the
    // register of the op's own type: a conversion between the types sets
    // neither, so the op after `f32.demote_f64` or `f64.promote_f32` keeps
    // its plain form; `local - top` after an f32 op reads the top from `fs`.
    let c = code(
        r#"(module (func (param f64 f32) (result f32 f64)
            (f32.sub (local.get 1) (f32.mul (local.get 1) (f32.const 3)))
            (f32.div (local.get 1))
            (f32.add (f32.demote_f64 (f64.mul (local.get 0) (local.get 0))))
            (f64.div (local.get 0) (f64.promote_f32 (f32.add (local.get 1) (local.get 1))))
            ;; the quotient minus (local 0 + 1)
            (f64.sub (f64.add (local.get 0) (f64.const 1)))))"#,
    );
    let ops = &c[0].0;
    assert_eq!(
        ops[0],
        Op::F32MulLC {
            a: 1,
            c: 3f32.to_bits()
        },
        "{ops:?}"
    );
    assert_eq!(ops[1], Op::F32SubLSX(1), "{ops:?}");
    assert_eq!(ops[2], Op::F32DivSLX(1), "{ops:?}");
    assert_eq!(ops[3], Op::F64MulLL { a: 0, b: 0 }, "{ops:?}");
    assert_eq!(ops[4], Op::F32DemoteF64, "{ops:?}");
    assert_eq!(ops[5], Op::F32Add, "{ops:?}");
    assert_eq!(ops[6], Op::F32AddLL { a: 1, b: 1 }, "{ops:?}");
    assert_eq!(ops[7], Op::F64PromoteF32, "{ops:?}");
    assert_eq!(ops[8], Op::F64DivLS(0), "{ops:?}");
    assert_eq!(
        ops[9],
        Op::F64AddLC {
            a: 0,
            c: 1f64.to_bits()
        },
        "{ops:?}"
    );
    assert_eq!(ops[10], Op::F64SubX, "{ops:?}");
}

#[test]
fn float_results_tee_into_locals() {
    let c = code(
        r#"(module (memory 1) (func (param i32 f64 f32) (result f64)
            (f64.mul (local.tee 1 (f64.sub (f64.load (local.get 0)) (local.get 1))) (local.get 1))
            (f32.store (local.get 0) (local.tee 2 (f32.div (f32.load (local.get 0)) (f32.neg (f32.load offset=4 (local.get 0))))))))"#,
    );
    let ops = &c[0].0;
    assert!(ops.contains(&Op::F64SubSLTee { b: 1, d: 1 }), "{ops:?}");
    assert!(ops.contains(&Op::F32DivSSTee(2)), "{ops:?}");
}

#[test]
fn a_loop_step_and_its_test_are_one_op() {
    let c = code(
        r#"(module (func (param i32 i32)
            (loop (br_if 0 (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 4))) (i32.const 100))))
            (loop (br_if 0 (i32.le_u (local.tee 0 (i32.add (local.get 0) (local.get 1))) (local.get 1))))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::BrI32LtUIncSC {
                a: 0,
                d: 0,
                k: 4,
                c: 100,
                target: 0
            },
            Op::BrI32LeUAddLLSL {
                a: 0,
                b: 1,
                d: 0,
                n: 1,
                target: 1
            },
            Op::Return0,
        ]
    );
}

#[test]
fn a_loop_tested_at_its_top_is_rotated() {
    // while (i < n) { i += 3 }: the back edge becomes the opposite test.
    let c = code(
        r#"(module (func (param $n i32) (result i32) (local $i i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 3)))
                (drop (i32.mul (local.get $i) (local.get $i)))
                (drop (i32.mul (local.get $i) (local.get $i)))
                (br $next)))
            (local.get $i)))"#,
    );
    let (ops, _) = &c[0];
    let exit = ops.len() as u32 - 1;
    assert_eq!(ops[exit as usize..], [Op::Return1L(1)]);
    assert_eq!(
        ops[0],
        Op::BrI32GeULL {
            target: exit,
            a: 1,
            b: 0
        }
    );
    let back = ops
        .iter()
        .position(|op| matches!(op, Op::BrI32LtULL { .. }))
        .expect("the back edge tests the loop condition");
    assert_eq!(
        ops[back],
        Op::BrI32LtULL {
            target: 1,
            a: 1,
            b: 0
        }
    );
    // and its exit, a jump to `local.get; return`, took a copy of those (fused)
    assert_eq!(ops[back + 1], Op::Return1L(1));
}

#[test]
fn a_jump_to_a_short_tail_takes_a_copy_of_it() {
    let c = code(
        r#"(module (func (param i32) (result i32)
            (block $join
              (br_if $join (local.get 0))
              (local.set 0 (i32.const 5)))
            (i32.add (local.get 0) (i32.const 1))))"#,
    );
    // `if` jumps straight to the join's tail; no `Jump` is left anywhere.
    let (ops, _) = &c[0];
    assert!(
        !ops.iter().any(|op| matches!(op, Op::Jump { .. })),
        "{ops:?}"
    );
    let c = code(
        r#"(module (func (param i32) (result i32)
            (if (local.get 0) (then (local.set 0 (i32.const 9))) (else (local.set 0 (i32.const 5))))
            (i32.add (local.get 0) (i32.const 1))))"#,
    );
    let (ops, _) = &c[0];
    assert!(
        !ops.iter().any(|op| matches!(op, Op::Jump { .. })),
        "{ops:?}"
    );
    assert_eq!(
        ops.iter().filter(|op| matches!(op, Op::Return1)).count(),
        2,
        "{ops:?}"
    );
}

#[test]
fn a_jump_to_a_loop_latch_takes_a_copy_of_it() {
    // An `if`'s arms join in a loop's latch (five ops, then the jump back to
    // the loop's test at its top): each arm takes a copy of the latch.
    let wat = r#"(module (func (export "f") (param i32) (result i32) (local i32 i32)
        (block $exit
          (loop $l
            (br_if $exit (i32.eqz (local.get 0)))
            (if (i32.and (local.get 0) (i32.const 1))
              (then (local.set 1 (i32.const 3)))
              (else (local.set 1 (i32.const 4))))
            (local.set 2 (i32.add (local.get 2) (local.get 1)))
            (local.set 2 (i32.xor (local.get 2) (local.get 0)))
            (local.set 2 (i32.mul (local.get 2) (i32.const 3)))
            (local.set 2 (i32.sub (local.get 2) (local.get 1)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br $l)))
        (local.get 2)))"#;
    let c = code(wat);
    let (ops, _) = &c[0];
    for arm in [3, 4] {
        assert!(
            ops.windows(2)
                .any(|w| w[0] == Op::LocalSetC { local: 1, c: arm }
                    && matches!(w[1], Op::I32AddLLToL { a: 2, b: 1, d: 2 })),
            "{ops:?}"
        );
    }
    // The copies run as the original did.
    let wasm = wat::parse_str(wat).unwrap();
    let m = crate::Module::new(&wasm).unwrap();
    let mut store = crate::Store::new(());
    let i = crate::Linker::new().instantiate(&mut store, &m).unwrap();
    let f = i.get_typed_func::<i32, i32>(&store, "f").unwrap();
    let mut want = 0i32;
    for n in (1..=10).rev() {
        let arm = if n & 1 == 1 { 3 } else { 4 };
        want = ((want.wrapping_add(arm) ^ n).wrapping_mul(3)).wrapping_sub(arm);
    }
    assert_eq!(f.call(&mut store, 10).unwrap(), want);
}

#[test]
fn a_jump_to_a_dispatch_takes_a_copy_of_the_table() {
    // An interpreter's loop: each case jumps back to `pc += 1; br_table`.
    let cases = |n: usize| {
        let mut w =
            String::from("(module (func (param $pc i32) (result i32) (loop $top (block $exit\n");
        w.push_str(&switch_wat(
            n,
            "(local.set $pc (i32.add (local.get $pc) (i32.const 1)))",
            "(i32.and (local.get $pc) (i32.const 255))",
            |k| format!("(local.set $pc (i32.xor (local.get $pc) (i32.const {k}))) (br $top)"),
        ));
        w.push_str(") (local.get $pc)))");
        code(&w).remove(0).0
    };
    let tables = |ops: &[Op]| {
        ops.iter()
            .filter(|op| matches!(op, Op::BrTableJump { .. }))
            .count()
    };
    // 4 cases: the loop head (increment and table) is copied into each case.
    assert_eq!(tables(&cases(4)), 5);
    // 40 cases: the table is too large to copy; each case takes a copy of
    // the loop head ending in a `BrTableJumpAt` to the table's entries.
    let ops = cases(40);
    assert_eq!(tables(&ops), 1);
    let table = ops
        .iter()
        .position(|op| matches!(op, Op::BrTableJump { .. }))
        .unwrap();
    let remote: Vec<Op> = ops
        .iter()
        .copied()
        .filter(|op| matches!(op, Op::BrTableJumpAt { .. }))
        .collect();
    let at = Op::BrTableJumpAt {
        target: table as u32 + 1,
        len: 40,
    };
    assert_eq!(remote, vec![at; 40], "{ops:?}");
    assert_eq!(
        ops[table + 1 + 40 + 1..]
            .iter()
            .filter(|op| matches!(op, Op::Jump { .. }))
            .count(),
        0,
        "{ops:?}"
    );
    // 31 cases: copies stop when they have added twice the body's length.
    let ops = cases(31);
    let copies = tables(&ops) - 1;
    assert!((1..12).contains(&copies), "{copies} copies");
    assert!(ops.len() < 3 * (31 * 4 + 40), "{} ops", ops.len());
}

#[test]
fn a_jump_to_shared_fetch_code_takes_a_copy_of_it_and_its_dispatch() {
    // Every case jumps to code after the cases that fetches the next opcode
    // and jumps back to the dispatch: 4 ops, too long for a plain copy, but
    // the fetch code's own jump takes a copy of the dispatch first, and the
    // cases then take a copy of both.
    let mut w = String::from(
        "(module (memory 1) (func (param $pc i32) (result i32) (local $a i32) (local $b i32)\n\
         (loop $top (block $fetch (block $exit\n",
    );
    w.push_str(&switch_wat(
        33,
        "",
        "(i32.and (local.get $pc) (i32.const 255))",
        |k| format!("(local.set $b (i32.xor (local.get $b) (i32.const {k}))) (br $fetch)"),
    ));
    w.push_str(
        "(return (local.get $b)))\n\
         (local.set $a (i32.load8_u (local.get $pc)))\n\
         (local.set $b (i32.mul (local.get $a) (local.get $b)))\n\
         (local.set $a (i32.sub (local.get $b) (local.get $a)))\n\
         (local.set $pc (i32.add (local.get $pc) (local.get $a)))\n\
         (br $top)) (unreachable)))",
    );
    let ops = code(&w).remove(0).0;
    // (the table's own entries are `Jump`s: count after them)
    let table = ops
        .iter()
        .position(|op| matches!(op, Op::BrTableJump { .. }))
        .unwrap();
    let rest = &ops[table + 1 + 34..];
    let count = |f: fn(&Op) -> bool| rest.iter().filter(|op| f(op)).count();
    assert_eq!(count(|op| matches!(op, Op::Jump { .. })), 0, "{ops:?}");
    // 33 cases and the fetch code's own jump
    assert_eq!(
        count(|op| matches!(op, Op::BrTableJumpAt { .. })),
        34,
        "{ops:?}"
    );
}

#[test]
fn a_call_takes_its_last_argument_from_a_local_or_a_constant() {
    let c = code(
        r#"(module
             (func $f (param i32 i32) (result i32) (local.get 0))
             (func (param i32) (result i32)
               (call $f (call $f (local.get 0) (i32.const -5)) (local.get 0))
               (call $f (local.get 0) (local.get 0))
               (i32.add)))"#,
    );
    // (two `local.get`s before a call stay a pair: as many dispatches)
    assert_eq!(
        c[1].0,
        vec![
            Op::LocalGet(0),
            Op::CallC { c: 0, v: -5 },
            Op::CallL { c: 0, local: 0 },
            Op::LocalGet2 { a: 0, b: 0 },
            Op::Call(0),
            Op::I32Add,
            Op::Return1
        ]
    );
}

#[test]
fn copying_a_local_to_itself_emits_nothing() {
    let c = code(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (local.get 0))
            (local.get 0)))"#,
    );
    assert_eq!(c[0].0, vec![Op::Return1L(0)]);
}

#[test]
fn a_rotated_loop_fuses_its_step_with_the_test() {
    let c = code(
        r#"(module (func (param $n i32) (result i32) (local $i i32) (local $x i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $x (i32.xor (local.get $x) (local.get $i)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $x)))"#,
    );
    let (ops, _) = &c[0];
    // the back edge: i += 1 and `i < n` in one op, back to the body
    assert!(
        ops.contains(&Op::BrI32LtUIncSL {
            a: 1,
            d: 1,
            k: 1,
            b: 0,
            target: 1
        }),
        "{ops:?}"
    );
}

#[test]
fn a_tee_fuses_with_the_constant_op_after_it() {
    // h ^= h >> 16, the hash-mixing step, after an op with no tee form: the
    // tee and the shift are one op.
    let c = code(
        r#"(module (func (param i32) (result i32) (local i32)
            (i32.xor (i32.shr_u (local.tee 1 (i32.popcnt (local.get 0))) (i32.const 16))
                     (local.get 1))))"#,
    );
    let ops = &c[0].0;
    assert!(ops.contains(&Op::I32ShrUTeeSC { d: 1, c: 16 }), "{ops:?}");
    // After a multiplication by a constant, the tee joins the multiplication
    // instead: two ops either way.
    let c = code(
        r#"(module (func (param i32) (result i32) (local i32)
            (i32.xor (i32.shr_u (local.tee 1 (i32.mul (i32.xor (local.get 0) (i32.const 7)) (i32.const 0x45d9f3b))) (i32.const 16))
                     (local.get 1))))"#,
    );
    assert_eq!(
        c[0].0[1..3],
        [Op::I32MulSCTee { c: 0x45d9f3b, d: 1 }, Op::I32ShrUSC(16)]
    );
}

#[test]
fn xor_with_a_shifted_local_is_one_op() {
    // xorshift: x ^= x << 13; x ^= x >> 17; then y = x ^ rotl(x, 5) pushed
    let c = code(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (i32.xor (local.get 0) (i32.shl (local.get 0) (i32.const 13))))
            (local.set 0 (i32.xor (local.get 0) (i32.shr_u (local.get 0) (i32.const 17))))
            (i32.xor (local.get 0) (i32.rotl (local.get 0) (i32.const 37)))))"#,
    );
    let ops = &c[0].0;
    assert_eq!(
        ops[..3],
        [
            Op::I32XorShlLCLToL {
                a: 0,
                c: 13,
                b: 0,
                d: 0
            },
            Op::I32XorShrULCLToL {
                a: 0,
                c: 17,
                b: 0,
                d: 0
            },
            // the count is taken mod 32, as the op itself would
            Op::I32XorRotlLCL { a: 0, c: 5, b: 0 },
        ],
        "{ops:?}"
    );
}

#[test]
fn a_jump_to_a_return_returns_even_when_nothing_else_changes() {
    // The only threading here replaces a `Jump` by the one-op `Return1` it
    // lands on: the body keeps its length and must still change.
    let c = code(
        r#"(module (func (param i32) (result i32)
            (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))))"#,
    );
    let ops = &c[0].0;
    assert!(
        !ops.iter().any(|op| matches!(op, Op::Jump { .. })),
        "{ops:?}"
    );
    assert_eq!(
        ops.iter().filter(|op| **op == Op::Return1).count(),
        2,
        "{ops:?}"
    );
}

/// Each function's metered ops (`Config::consume_fuel`), jump targets absolute.
fn metered_code(bytes: &[u8]) -> Vec<Vec<Op>> {
    let m = Module::new(bytes).unwrap();
    (0..m.inner.code.len() as u32)
        .map(|i| {
            let mut ops = m.inner.code_in(i, true).ops();
            super::passes::map_targets(&mut ops, u32::wrapping_add);
            ops
        })
        .collect()
}

#[test]
fn metered_code_charges_each_segment_at_its_start() {
    let wasm = wat::parse_str(
        r#"(module (func (param i32) (result i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (loop $l
              (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
            (if (result i32) (local.get 0)
              (then (i32.const 1))
              (else (nop) (i32.const 2) (drop) (i32.const 3)))))"#,
    )
    .unwrap();
    let ops = &metered_code(&wasm)[0];
    // entry: local.get, i32.const, i32.add, local.set, and after the loop
    // local.get, if = 6; the loop body: local.get, i32.const, i32.sub,
    // local.tee, br_if = 5; then: 1; else: 3 (nop is free)
    let amounts: Vec<u32> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Fuel { amount } => Some(*amount),
            _ => None,
        })
        .collect();
    assert_eq!(amounts, [6, 5, 1, 3], "{ops:?}");
    assert!(matches!(ops[0], Op::Fuel { amount: 6 }));
    // the plain code of the same module has no fuel ops
    let m = Module::new(&wasm).unwrap();
    assert!(
        !m.inner
            .code(0)
            .ops()
            .iter()
            .any(|op| matches!(op, Op::Fuel { .. } | Op::FuelBulk { .. }))
    );
}

/// Whether every cycle of `ops`' control flow passes a `Fuel` op: the ops
/// without `Fuel` ops, as a graph of their successors, have no cycle.
fn every_cycle_pays(ops: &[Op]) -> Result<(), String> {
    let succ = |i: usize| -> Vec<usize> {
        let mut op = ops[i];
        let target = op.target_mut().map(|t| *t as usize);
        match op {
            Op::Return | Op::Return0 | Op::Return1 | Op::Return1L(_) | Op::Unreachable => vec![],
            Op::Jump { .. } | Op::Br { .. } | Op::LocalCopyBr { .. } => vec![target.unwrap()],
            Op::BrTable { len } | Op::BrTableJump { len } => {
                (i + 1..=i + 1 + len as usize).collect()
            }
            _ => target.into_iter().chain([i + 1]).collect(),
        }
    };
    // depth-first, iteratively: 0 unseen, 1 on the path, 2 done
    let mut state = vec![0u8; ops.len()];
    for root in 0..ops.len() {
        if state[root] != 0 || matches!(ops[root], Op::Fuel { .. }) {
            continue;
        }
        let mut path = vec![(root, succ(root))];
        state[root] = 1;
        while let Some((node, next)) = path.last_mut() {
            match next.pop() {
                Some(n) if matches!(ops[n], Op::Fuel { .. }) || state[n] == 2 => {}
                Some(n) if state[n] == 1 => {
                    return Err(format!(
                        "a cycle through op {n} ({:?}) pays no fuel",
                        ops[n]
                    ));
                }
                Some(n) => {
                    state[n] = 1;
                    path.push((n, succ(n)));
                }
                None => {
                    state[*node] = 2;
                    path.pop();
                }
            }
        }
    }
    Ok(())
}

#[test]
fn every_loop_of_metered_code_pays_fuel_each_time_around() {
    let wasm = wat::parse_str(
        r#"(module
          (func (param $n i32) (result i32) (local $i i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $i))
          (func (loop (br 0)))
          (func (param i32) (loop $l (br_if $l (local.get 0)) (br_table $l $l 0 (local.get 0)))))"#,
    )
    .unwrap();
    let code = metered_code(&wasm);
    for ops in &code {
        every_cycle_pays(ops).unwrap();
    }
    // the top-tested loop is rotated with its fuel check, the step fused with
    // the test: per iteration one `Fuel` op and one step-and-branch
    let ops = &code[0];
    assert!(
        ops.windows(2)
            .any(|w| matches!(w[0], Op::Fuel { amount: 9 })
                && matches!(w[1], Op::BrI32LtUIncSL { .. })),
        "{ops:?}"
    );
    // the check itself finds a loop without fuel in plain code
    let m = Module::new(&wasm).unwrap();
    let mut plain = m.inner.code(1).ops();
    super::passes::map_targets(&mut plain, u32::wrapping_add);
    assert!(every_cycle_pays(&plain).is_err(), "{plain:?}");
}

#[test]
fn metered_code_pays_in_every_loop_and_bulk_op() {
    let modules: &[&[u8]] = &[
        include_bytes!("../../../fixtures/bench/mixed.wasm"),
        include_bytes!("../../../fixtures/bench/vm.wasm"),
        include_bytes!("../../../fixtures/bench/bulkmem.wasm"),
        include_bytes!("../../../fixtures/bench/sort.wasm"),
        include_bytes!("../../../fixtures/bench/sha256.wasm"),
    ];
    let mut targets = 0;
    for bytes in modules {
        for ops in metered_code(bytes) {
            every_cycle_pays(&ops).unwrap();
            // (an empty body is a return: it has nothing to pay)
            assert!(
                matches!(
                    ops[0],
                    Op::Fuel { .. } | Op::Return | Op::Return0 | Op::Return1
                ),
                "{ops:?}"
            );
            for (i, op) in ops.iter().enumerate() {
                let mut op = *op;
                if let Some(&mut t) = op.target_mut()
                    && t as usize <= i
                {
                    targets += 1;
                }
                if let Op::FuelBulk { shift } = op {
                    let bulk = ops[i + 1];
                    let want = match bulk {
                        Op::MemoryFill | Op::MemoryCopy | Op::MemoryInit(_) => 6,
                        Op::TableFill(_) | Op::TableCopy { .. } | Op::TableInit { .. } => 3,
                        other => panic!("FuelBulk before {other:?}"),
                    };
                    assert_eq!(shift, want);
                }
            }
        }
    }
    assert!(targets > 100, "{targets}");
}

#[test]
fn a_wide_immediate_is_stored_once_per_value() {
    let mut s = super::Scratch::default();
    let a = s.wide_immediate(1 << 100);
    let b = s.wide_immediate(7);
    assert_eq!((a, b), (0, 1));
    assert_eq!(
        s.wide_immediate(1 << 100),
        a,
        "a repeated constant is stored once"
    );
    assert_eq!(s.wide, vec![1 << 100, 7]);
}

#[test]
fn corpus_pairs_fuse_into_one_op() {
    // Two local increments; a decrement tested for zero; a load into a local;
    // two copies; a sum followed by a read of another local.
    let c = code(crate::exec::tests::CORPUS_PAIRS_WAT);
    assert_eq!(
        c[0].0,
        vec![
            Op::I32AddLCToL2 {
                a: 0,
                d: 0,
                c: 4,
                b: 1,
                e: 1,
                k: -1
            },
            Op::BrNezAddLC {
                a: 2,
                d: 2,
                c: -1,
                target: 1
            },
            Op::I32LoadLToL {
                local: 0,
                offset: 8,
                d: 3
            },
            Op::LocalCopy2 {
                a: 1,
                b: 0,
                c: 3,
                d: 2
            },
            Op::I32AddLCGet { a: 0, c: 5, get: 3 },
            Op::LocalGet(1),
            Op::Select,
            Op::Return1,
        ]
    );
}

/// Each function's first op that is not an operand's `local.get` or the
/// `i32.xor` with 0 that puts an operand on the stack: the fused op under test.
fn first_fused(wat: &str) -> Vec<Op> {
    code(wat)
        .iter()
        .map(|(ops, _)| {
            *ops.iter()
                .find(|op| !matches!(op, Op::I32XorLC { .. } | Op::LocalGet(_)))
                .unwrap()
        })
        .collect()
}

#[test]
fn a_shift_then_an_add_become_one_scaled_index_op() {
    let fused = first_fused(crate::exec::tests::SCALED_INDEX_WAT);
    assert_eq!(
        fused,
        vec![
            Op::I32AddShlLC { a: 0, c: 2 },
            Op::I32AddShlSC(3),
            Op::I32ShlLCAddL { a: 0, b: 1, c: 2 },
            Op::I32ShlSCAddL { c: 3, b: 1 },
            Op::I32ShlLCAddLToL {
                a: 0,
                b: 1,
                d: 2,
                c: 4
            },
        ]
    );
}

#[test]
fn a_shift_then_a_load_become_one_scaled_load() {
    let fused = first_fused(&crate::exec::tests::scaled_load_wat());
    let mut want = Vec::new();
    for (ssl, ssc, lsl, lsc) in [
        (
            Op::I32LoadShlSCSL {
                b: 1,
                offset: 4,
                k: 2,
            },
            Op::I32LoadShlSCSC {
                c: 16,
                offset: 4,
                k: 2,
            },
            Op::I32LoadShlLCSL {
                a: 0,
                b: 1,
                offset: 4,
                k: 2,
            },
            Op::I32LoadShlLCSC {
                c: 16,
                offset: 4,
                a: 0,
                k: 2,
            },
        ),
        (
            Op::I32Load16UShlSCSL {
                b: 1,
                offset: 4,
                k: 2,
            },
            Op::I32Load16UShlSCSC {
                c: 16,
                offset: 4,
                k: 2,
            },
            Op::I32Load16UShlLCSL {
                a: 0,
                b: 1,
                offset: 4,
                k: 2,
            },
            Op::I32Load16UShlLCSC {
                c: 16,
                offset: 4,
                a: 0,
                k: 2,
            },
        ),
    ] {
        want.extend([ssl, ssc, lsl, lsc]);
    }
    assert_eq!(fused, want);
}

#[test]
fn arithmetic_with_a_constant_or_on_the_stack_fuses_with_its_tee() {
    let c = code(&crate::exec::tests::tee_arith_wat());
    for (k, (op, _)) in crate::exec::tests::TEE_ARITH.iter().enumerate() {
        let camel: String = op
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        for (f, want) in [
            (2 * k, format!("I32{camel}SCTee {{ c: 35, d: 2 }}")),
            (2 * k + 1, format!("I32{camel}SSTee(2)")),
        ] {
            assert!(
                c[f].0.iter().any(|op| format!("{op:?}") == want),
                "no {want} in {:?}",
                c[f].0
            );
        }
    }
}

#[test]
fn a_select_fuses_with_the_local_set_or_tee_after_it() {
    let c = code(crate::exec::tests::SELECT_TO_LOCAL_WAT);
    for (f, want) in [
        (0, Op::SelectToL(3)),
        (1, Op::SelectTee(3)),
        (2, Op::SelectToL(3)),
    ] {
        assert!(c[f].0.contains(&want), "no {want:?} in {:?}", c[f].0);
    }
}

#[test]
fn corpus_pairs_keep_wide_operands_apart() {
    // A step beyond 16 bits does not fit `I32AddLCToL2`: the two stay apart.
    let c = code(
        r#"(module (func (param i32 i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 100000)))
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32AddLCToL {
                a: 0,
                c: 100000,
                d: 0
            },
            Op::I32AddLCToL { a: 1, c: 1, d: 1 },
            Op::Return0,
        ]
    );
}

#[test]
fn an_op_with_a_local_then_a_tee_fuse() {
    let c = code(crate::exec::tests::SL_TEE_WAT);
    assert!(
        c[0].0.contains(&Op::I32SubSLTee { b: 1, d: 1 }),
        "{:?}",
        c[0].0
    );
}

#[test]
fn i64_comparisons_fuse_with_their_operands_and_branches() {
    use crate::exec::tests::{NARROW, WIDE, i64_cmp_wat};
    // Function order in the module text: per form, v_, b_ and r_.
    let c = code(&i64_cmp_wat("lt_u"));
    let has = |f: usize, op: Op| c[f].0.contains(&op);
    // The (absolute) target of function f's first branch.
    let t = |f: usize| {
        c[f].0
            .iter()
            .find_map(|op| op.clone().target_mut().map(|t| *t))
            .unwrap()
    };
    assert!(has(0, Op::I64LtULL { a: 0, b: 1 }), "{:?}", c[0].0);
    assert!(has(6, Op::I64LtUSL(1)), "{:?}", c[6].0);
    assert!(has(9, Op::I64GtUSL(0)), "ls mirrors: {:?}", c[9].0);
    assert!(has(12, Op::I64LtUSC(WIDE)), "{:?}", c[12].0);
    assert!(has(15, Op::I64LtUSC(NARROW)), "{:?}", c[15].0);
    assert!(
        has(
            18,
            Op::I64LtULC {
                a: 0,
                c: NARROW as i32
            }
        ),
        "{:?}",
        c[18].0
    );
    // A wide constant with a local: the local is pushed, the constant fused.
    assert!(has(21, Op::I64LtUSC(WIDE)), "{:?}", c[21].0);
    // `if` branches over the `then` arm when the comparison fails.
    assert!(
        has(
            1,
            Op::BrI64GeULL {
                target: t(1),
                a: 0,
                b: 1
            }
        ),
        "{:?}",
        c[1].0
    );
    assert!(has(4, Op::BrI64GeU { target: t(4) }), "{:?}", c[4].0);
    assert!(
        has(7, Op::BrI64GeUSL { target: t(7), b: 1 }),
        "{:?}",
        c[7].0
    );
    assert!(
        has(
            13,
            Op::BrI64GeUSC {
                target: t(13),
                c: WIDE
            }
        ),
        "{:?}",
        c[13].0
    );
    assert!(
        has(
            19,
            Op::BrI64GeULC {
                target: t(19),
                a: 0,
                c: NARROW as i32
            }
        ),
        "{:?}",
        c[19].0
    );
    // `br_if` branches when it holds.
    assert!(
        has(
            2,
            Op::BrI64LtULL {
                target: t(2),
                a: 0,
                b: 1
            }
        ),
        "{:?}",
        c[2].0
    );
    let e = code(crate::exec::tests::I64_EQZ_WAT);
    assert!(
        e[0].0.iter().any(|op| matches!(op, Op::BrI64Nez { .. })),
        "{:?}",
        e[0].0
    );
    assert!(
        e[1].0.iter().any(|op| matches!(op, Op::BrI64Eqz { .. })),
        "{:?}",
        e[1].0
    );
}

/// The threaded backend jumps to the address stored in each cell without
/// looking at the op (`exec/threaded.rs`), so every cell must carry its own
/// op's handler, or the pair handler of its op and the next, in plain and in
/// metered code.
#[cfg(wisp_threaded)]
#[test]
fn every_cell_carries_the_handler_of_its_own_op() {
    let modules: &[&[u8]] = &[
        include_bytes!("../../../fixtures/bench/mixed.wasm"),
        include_bytes!("../../../fixtures/bench/vm.wasm"),
        include_bytes!("../../../fixtures/bench/sha256.wasm"),
    ];
    // The handler op `k` of `ops` runs under.
    let handler = |ops: &[Op], k: usize| {
        ops.get(k + 1)
            .and_then(|next| crate::exec::pair_address(&ops[k], next))
            .unwrap_or_else(|| crate::exec::handler_address(&ops[k]))
    };
    let (mut cells, mut paired) = (0, 0);
    for bytes in modules {
        let m = Module::new(bytes).unwrap();
        for i in 0..m.inner.code.len() as u32 {
            for metered in [false, true] {
                let code = m.inner.code_in(i, metered);
                let (ops, _) = super::threaded_ops(&code.ops());
                let entries: std::collections::HashMap<usize, usize> =
                    super::table_jumps(&code.ops()).into_iter().collect();
                let mut ip = crate::stack::raw::Ip::start(&code.cells);
                for (k, op) in ops.iter().enumerate() {
                    match entries.get(&k) {
                        // a `BrTableJump`'s entry: its target's handler
                        Some(&to) => assert!(
                            crate::exec::entry_holds(ip, op, handler(&ops, to)),
                            "entry {k} of {i}: {op:?} to {:?}",
                            ops[to]
                        ),
                        None => {
                            let h = handler(&ops, k);
                            paired += usize::from(h != crate::exec::handler_address(op));
                            assert!(crate::exec::cell_holds(ip, op, h), "op {k} of {i}: {op:?}");
                        }
                    }
                    ip = ip.after(op);
                    cells += 1;
                }
                // A pad cell ends the body.
                assert_eq!(ip.index_in(&code.cells) + 1, code.cells.len());
            }
        }
    }
    assert!(paired > 100, "{paired} paired cells");
    assert!(cells > 10_000, "{cells}");
}

#[test]
fn loads_fuse_with_a_tee_of_their_result_or_address() {
    for &(load, ty, _) in crate::exec::tests::TEE_LOADS {
        // `i32.load8_s` is `I32Load8S`
        let camel: String = load
            .split(['.', '_'])
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        let c = code(&crate::exec::tests::tee_load_wat(load, ty));
        // functions: ltee_push, ltee_local, tee_push, tee_local, tees_push,
        // tees_local, teel_push, teel_local (in the `_local` ones a `drop`
        // may undo the tee)
        for (f, form) in [(0, "LTee"), (2, "Tee"), (4, "TeeS"), (6, "TeeL")] {
            let want = format!("{camel}{form} {{");
            assert!(
                c[f].0.iter().any(|op| format!("{op:?}").starts_with(&want)),
                "{load}: no {want} in {:?}",
                c[f].0
            );
        }
    }
}

/// `FuncCode::zeroed` of the first function of a module whose function has
/// parameter `p` (an i32) and declared i32 locals `a`, `b` and `c`, with `body`.
fn zeroed(body: &str) -> u32 {
    let wat = format!(
        "(module (func (param $p i32) (local $a i32) (local $b i32) (local $c i32) {body}))"
    );
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    m.inner.code(0).zeroed
}

#[test]
fn frame_entry_zeroes_only_locals_a_read_can_see_unwritten() {
    // parameters are never zeroed; locals written before any read need nothing
    assert_eq!(zeroed("(drop (local.get $p))"), 0);
    assert_eq!(
        zeroed("(local.set $a (i32.const 1)) (drop (local.get $a))"),
        0
    );
    // a read before the write; the zeroed locals are a prefix, so reading $c zeroes all three
    assert_eq!(
        zeroed("(drop (local.get $a)) (local.set $a (i32.const 1))"),
        1
    );
    assert_eq!(zeroed("(drop (local.get $c))"), 3);
    assert_eq!(
        zeroed("(local.tee $b (i32.const 1)) (drop) (drop (local.get $b))"),
        0
    );
    // an `if` without `else` may skip its arm's write
    let if_then = "(if (local.get $p) (then (local.set $b (i32.const 1)))) (drop (local.get $b))";
    assert_eq!(zeroed(if_then), 2);
    // both arms write, or only one does
    let both = "(if (local.get $p) (then (local.set $a (i32.const 1))) (else (local.set $a (i32.const 2))))
                (drop (local.get $a))";
    assert_eq!(zeroed(both), 0);
    let one = "(if (local.get $p) (then (local.set $a (i32.const 1))) (else (nop))) (drop (local.get $a))";
    assert_eq!(zeroed(one), 1);
    // a read inside the arm that did not write sees the entry state
    let other_arm =
        "(if (local.get $p) (then (local.set $a (i32.const 1))) (else (drop (local.get $a))))";
    assert_eq!(zeroed(other_arm), 1);
    // a branch out of a block before the write reaches the block's end without it
    let br_if =
        "(block (br_if 0 (local.get $p)) (local.set $a (i32.const 1))) (drop (local.get $a))";
    assert_eq!(zeroed(br_if), 1);
    let br_after =
        "(block (local.set $a (i32.const 1)) (br_if 0 (local.get $p)) (local.set $b (i32.const 1)))
                    (drop (local.get $a))";
    assert_eq!(zeroed(br_after), 0);
    let table = "(block (block (br_table 0 1 (local.get $p))) (local.set $a (i32.const 1))) (drop (local.get $a))";
    assert_eq!(zeroed(table), 1);
    let table_all = "(block (local.set $a (i32.const 1)) (block (br_table 0 1 (local.get $p)))) (drop (local.get $a))";
    assert_eq!(zeroed(table_all), 0);
    // a loop's first iteration reads before its write
    let looped =
        "(loop (drop (local.get $b)) (local.set $b (i32.const 1)) (br_if 0 (local.get $p)))";
    assert_eq!(zeroed(looped), 2);
    // a branch back to a loop's start does not reach the code after it
    let loop_br = "(block (loop (local.set $a (i32.const 1)) (br_if 0 (local.get $p)))) (drop (local.get $a))";
    assert_eq!(zeroed(loop_br), 0);
    // reads in unreachable code see nothing; the block's end is reached by the branch only
    let dead =
        "(block (br 0) (drop (local.get $c))) (local.set $a (i32.const 1)) (drop (local.get $a))";
    assert_eq!(zeroed(dead), 0);
    let dead_end = "(block (local.set $a (i32.const 1)) (br 0) (local.set $b (i32.const 1)))
                    (drop (local.get $a)) (drop (local.get $b))";
    assert_eq!(zeroed(dead_end), 2);
    // a branch to the function's label and a return end the path
    let ret =
        "(if (local.get $p) (then (return))) (local.set $a (i32.const 1)) (drop (local.get $a))";
    assert_eq!(zeroed(ret), 0);
    // nested: the inner if's write is only on one path of the outer block
    let nested = "(block (if (local.get $p) (then (local.set $c (i32.const 1)) (br 1)))
                    (local.set $c (i32.const 2))) (drop (local.get $c))";
    assert_eq!(zeroed(nested), 0);
    let nested_miss = "(block (if (local.get $p) (then (br 1))) (local.set $c (i32.const 2))) (drop (local.get $c))";
    assert_eq!(zeroed(nested_miss), 3);
}

#[test]
fn a_local_returned_as_the_one_result_is_one_op() {
    let c = code(
        r#"(module (func (param i32) (result i32) (local i32)
             (local.set 1 (i32.mul (local.get 0) (local.get 0)))
             (local.get 1)))"#,
    );
    assert_eq!(c[0].0.last(), Some(&Op::Return1L(1)));
    // not when the return is a jump target of its own
    let c = code(
        r#"(module (func (param i32) (result i32)
             (block (result i32) (br_if 0 (i32.const 7) (local.get 0)) (drop) (local.get 0))))"#,
    );
    assert!(
        !c[0].0.iter().any(|op| matches!(op, Op::Return1L(_))),
        "{:?}",
        c[0].0
    );
}

#[test]
fn shadow_stack_prologue_and_epilogue_fuse_on_defined_globals_only() {
    let c = code(
        r#"(module
            (import "env" "g" (global $imp (mut i32)))
            (global $sp (mut i32) (i32.const 4096))
            (global $other (mut i32) (i32.const 0))
            (func (result i32) (local i32)
              (global.set $sp (local.tee 0 (i32.sub (global.get $sp) (i32.const 32))))
              (global.set $other (i32.const 7))
              (global.set $sp (i32.add (local.get 0) (i32.const 32)))
              (global.get $imp))
            (func (local i32)
              ;; a different global is set: no prologue fusion
              (global.set $other (local.tee 0 (i32.sub (global.get $sp) (i32.const 16))))
              ;; an imported global keeps the general ops
              (global.set $imp (local.tee 0 (i32.sub (global.get $imp) (i32.const 16))))
              (global.set $imp (i32.add (local.get 0) (i32.const 16)))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::GlobalSubTee {
                g: 0,
                c: 32,
                local: 0
            },
            Op::I32Const(7),
            Op::GlobalSetOwn(1),
            Op::GlobalSetAddLC { g: 0, a: 0, c: 32 },
            Op::GlobalGet(0),
            Op::Return1
        ]
    );
    assert_eq!(
        c[1].0,
        vec![
            Op::GlobalGetOwn(0),
            Op::I32SubSCTee { c: 16, d: 0 },
            Op::GlobalSetOwn(1),
            Op::GlobalGet(0),
            Op::I32SubSCTee { c: 16, d: 0 },
            Op::GlobalSet(0),
            Op::I32AddLC { a: 0, c: 16 },
            Op::GlobalSet(0),
            Op::Return0
        ]
    );
}

#[test]
fn a_constant_stored_at_the_sum_of_two_locals_is_one_op() {
    let c = code(
        r#"(module (memory 1)
            (func (param i32 i32)
              (i32.store8 offset=3 (i32.add (local.get 0) (local.get 1)) (i32.const 0))
              (i32.store16 (i32.add (local.get 1) (local.get 0)) (i32.const -2))
              (i32.store (i32.add (local.get 0) (local.get 0)) (i32.const 7)))
            ;; the constant starts a loop (a jump target): the address stays apart
            (func (param i32 i32)
              (i32.add (local.get 0) (local.get 1))
              (loop (param i32)
                (i32.store8 (i32.const 1))
                (br_if 0 (local.get 0) (local.get 1))
                (drop))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32Store8CLL {
                a: 0,
                b: 1,
                c: 0,
                offset: 3
            },
            Op::I32Store16CLL {
                a: 1,
                b: 0,
                c: -2,
                offset: 0
            },
            Op::I32StoreCLL {
                a: 0,
                b: 0,
                c: 7,
                offset: 0
            },
            Op::Return0
        ]
    );
    assert_eq!(
        c[1].0[..2],
        [
            Op::I32AddLL { a: 0, b: 1 },
            Op::I32Store8C { c: 1, offset: 0 }
        ]
    );
}

#[test]
fn a_local_write_after_an_f64_op_takes_the_float_register() {
    // `local.set`/`local.tee` right after an op that sets `Regs::ft` write
    // the slot from it (and the tee leaves `ft` set); after an f32 op, or at
    // a jump target, they stay plain.
    let c = code(
        r#"(module (func (param f64 f32 i32) (result f64) (local f64)
            (local.set 3 (f64.mul (local.get 0) (f64.const 3)))
            (local.set 1 (f32.add (local.get 1) (f32.const 0.5)))
            (drop (f64.div (local.tee 3 (f64.add (local.get 3) (f64.const 1))) (f64.const 2)))
            (local.set 3 (block (result f64)
              (br_if 0 (f64.mul (local.get 0) (f64.const 2)) (local.get 2))))
            (local.get 3)))"#,
    );
    let ops = &c[0].0;
    let at = |op: &Op| ops.iter().position(|o| o == op);
    assert!(at(&Op::LocalSetF64X(3)).is_some(), "{ops:?}");
    assert!(at(&Op::LocalTeeF64X(3)).is_some(), "{ops:?}");
    assert!(at(&Op::LocalSet(1)).is_some(), "{ops:?}");
    // the tee leaves the value in `ft` for the op after
    assert!(at(&Op::F64DivSCX(2f64.to_bits())).is_some(), "{ops:?}");
    // the block's end, a jump target: its `local.set` (here paired with the
    // `local.get` after it) stays plain
    assert_eq!(
        ops[ops.len() - 2],
        Op::LocalSetGet { set: 3, get: 3 },
        "{ops:?}"
    );
}

#[test]
fn division_by_a_constant_multiplies_unless_the_divisor_traps_or_is_one() {
    // (op, divisor, fused?): 0 traps, 1 and -1 are left to the division
    // (`-1` traps on MIN), MIN's magnitude is not a signed value, and a
    // 64-bit remainder's divisor must fit its packed field.
    let cases: &[(&str, &str, i64, bool)] = &[
        ("i32", "div_u", 10, true),
        ("i32", "rem_u", 10, true),
        ("i32", "div_s", -7, true),
        ("i32", "rem_s", -7, true),
        ("i32", "div_u", -1, true), // u32::MAX
        ("i32", "div_u", 0, false),
        ("i32", "rem_u", 1, false),
        ("i32", "div_s", -1, false),
        ("i32", "div_s", i32::MIN as i64, false),
        ("i32", "rem_s", i32::MIN as i64, false),
        ("i64", "div_u", 10, true),
        ("i64", "rem_u", 10_000, true),
        ("i64", "div_s", -1_000_000_007, true),
        ("i64", "rem_s", 3, true),
        ("i64", "div_u", -1, true), // u64::MAX
        ("i64", "rem_u", 1 << 26, false),
        ("i64", "rem_s", -(1 << 26), false),
        ("i64", "div_s", i64::MIN, false),
        ("i64", "div_s", -1, false),
        ("i64", "rem_u", 0, false),
    ];
    for &(t, op, d, fused) in cases {
        let c = code(&format!(
            "(module (func (param {t}) (result {t}) ({t}.{op} (local.get 0) ({t}.const {d}))))"
        ));
        let ops = &c[0].0;
        let is_fused = matches!(
            ops[1],
            Op::I32DivUSC(_)
                | Op::I32RemUSC { .. }
                | Op::I32DivSSC { .. }
                | Op::I32RemSSC { .. }
                | Op::I64DivUSC { .. }
                | Op::I64RemUSC { .. }
                | Op::I64DivSSC { .. }
                | Op::I64RemSSC { .. }
        );
        assert_eq!(is_fused, fused, "{t}.{op} by {d}: {ops:?}");
        assert_eq!(
            ops.len(),
            if fused { 3 } else { 4 },
            "{t}.{op} by {d}: {ops:?}"
        );
    }
}

#[test]
fn a_float_op_takes_its_loaded_operand_from_memory_itself() {
    // (first operand, address, the op expected last): a first operand that
    // leaves the float register set picks the `X` form.
    let cases: &[(&str, &str, &str, Op)] = &[
        (
            "f64",
            "(f64.convert_i32_s (local.get 0))",
            "(local.get 0)",
            Op::F64SubML {
                local: 0,
                offset: 8,
            },
        ),
        (
            "f64",
            "(f64.mul (local.get 1) (local.get 1))",
            "(local.get 0)",
            Op::F64SubMLX {
                local: 0,
                offset: 8,
            },
        ),
        (
            "f64",
            "(f64.convert_i32_s (local.get 0))",
            "(i32.add (local.get 0) (i32.const 16))",
            Op::F64DivMLC {
                a: 0,
                c: 16,
                offset: 8,
            },
        ),
        (
            "f64",
            "(f64.add (local.get 1) (f64.const 2))",
            "(i32.add (local.get 0) (i32.const 16))",
            Op::F64DivMLCX {
                a: 0,
                c: 16,
                offset: 8,
            },
        ),
        (
            "f64",
            "(f64.convert_i32_s (local.get 0))",
            "(i32.mul (local.get 0) (local.get 0))",
            Op::F64AddM(8),
        ),
        (
            "f32",
            "(f32.convert_i32_s (local.get 0))",
            "(local.get 0)",
            Op::F32SubML {
                local: 0,
                offset: 8,
            },
        ),
        (
            "f32",
            "(f32.mul (local.get 2) (local.get 2))",
            "(local.get 0)",
            Op::F32SubMLX {
                local: 0,
                offset: 8,
            },
        ),
    ];
    for (t, first, addr, want) in cases {
        let op = match want {
            Op::F64AddM(_) => "add",
            Op::F64DivMLC { .. } | Op::F64DivMLCX { .. } => "div",
            _ => "sub",
        };
        let wat = format!(
            "(module (memory 1) (func (param i32 f64 f32) (result {t})
               ({t}.{op} {first} ({t}.load offset=8 {addr}))))"
        );
        let ops = &code(&wat)[0].0;
        assert_eq!(ops[ops.len() - 2], *want, "{wat}: {ops:?}");
    }
}

#[test]
fn a_constant_stored_at_a_local_address_is_one_op() {
    let c = code(
        r#"(module (memory 1) (func (param i32)
            (i32.store offset=4 (local.get 0) (i32.const -5))
            (i32.store8 (local.get 0) (i32.const 300))
            (i32.store16 offset=2 (local.get 0) (i32.const 7))
            (i64.store offset=8 (local.get 0) (i64.const -2147483648))
            ;; beyond an i32: the constant stays an op of its own
            (i64.store (local.get 0) (i64.const 0x100000000))))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32StoreCL {
                addr: 0,
                c: -5,
                offset: 4
            },
            Op::I32Store8CL {
                addr: 0,
                c: 300,
                offset: 0
            },
            Op::I32Store16CL {
                addr: 0,
                c: 7,
                offset: 2
            },
            Op::I64StoreCL {
                addr: 0,
                c: i32::MIN,
                offset: 8
            },
            Op::I64Const(0x1_0000_0000),
            Op::I64StoreL { addr: 0, offset: 0 },
            Op::Return0,
        ]
    );
}

#[test]
fn a_load_from_a_constant_address_is_one_op() {
    let c = code(
        r#"(module (memory 1) (func (param i32) (result i32) (local i64)
            (local.set 0 (i32.load offset=8 (i32.const 1024)))
            (local.set 1 (i64.load8_u (i32.const -4)))
            (local.tee 0 (i32.load16_s offset=2 (i32.const 16)))
            (f64.load (i32.const 32))
            drop))"#,
    );
    assert_eq!(
        c[0].0,
        vec![
            Op::I32LoadAToL {
                c: 1024,
                offset: 8,
                d: 0
            },
            // the constant is an address: unsigned
            Op::I64Load8UAToL {
                c: 0xffff_fffc,
                offset: 0,
                d: 1
            },
            Op::I32Load16SATee {
                c: 16,
                offset: 2,
                d: 0
            },
            Op::F64LoadA { c: 32, offset: 0 },
            Op::Drop,
            Op::Return1,
        ]
    );
}

/// A pair handler whose first op is a conditional branch runs the second op
/// only when the branch falls through to it: taken, the second op's trap
/// must not happen and its value must not appear.
#[test]
fn a_pair_after_a_branch_runs_its_second_op_only_on_falling_through() {
    let wat = r#"(module (memory (export "memory") 1)
        (func (export "f") (param $c i32) (param $p i32) (result i32)
          (if (result i32) (local.get $c)
            (then (i32.load (local.get $p)))
            (else (i32.const -1)))))"#;
    let ops = &code(wat)[0].0;
    let k = ops
        .iter()
        .position(|op| matches!(op, Op::BrEqzL { .. }))
        .unwrap_or_else(|| panic!("no BrEqzL: {ops:?}"));
    assert!(matches!(ops[k + 1], Op::I32LoadL { .. }), "{ops:?}");
    // Under the threaded backend the two run with one dispatch (when the
    // pair list has them: `scripts/pairs.txt`).
    #[cfg(wisp_threaded)]
    assert!(
        crate::exec::pair_address(&ops[k], &ops[k + 1]).is_some(),
        "BrEqzL I32LoadL is no pair: choose another for this test"
    );
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut s = crate::Store::new(());
    let i = crate::Linker::new().instantiate(&mut s, &m).unwrap();
    let mem = i.get_memory(&s, "memory").unwrap();
    mem.data_mut(&mut s)[8..12].copy_from_slice(&0x1234_5678u32.to_le_bytes());
    let f = i.get_typed_func::<(i32, i32), i32>(&s, "f").unwrap();
    assert_eq!(f.call(&mut s, (1, 8)).unwrap(), 0x1234_5678);
    assert_eq!(f.call(&mut s, (0, 8)).unwrap(), -1);
    // taken: the load past the memory's end is not made
    assert_eq!(f.call(&mut s, (0, 65_534)).unwrap(), -1);
    let trap = f.call(&mut s, (1, 65_534)).unwrap_err();
    assert!(
        matches!(trap.kind(), crate::TrapKind::MemoryOutOfBounds),
        "{trap}"
    );
}
