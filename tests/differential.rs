//! Differential execution against wasmi: the same modules run on both
//! runtimes must give the same results and trap in the same places.

use wisp::interp::{ExternType, Linker, Module, Store, Trap};

/// Instantiates `bytes` on wisp with every function import a trapping stub.
fn wisp_instance(bytes: &[u8]) -> (Store<()>, wisp::Instance) {
    let module = Module::new(bytes).expect("wisp decodes");
    let mut linker = Linker::new();
    for (m, name, ty) in module.imports() {
        let ExternType::Func(ty) = ty else {
            panic!("non-function import {m}::{name}")
        };
        linker.func_new(m, name, ty, |_, _, _| {
            Err(Trap::host("unexpected host call"))
        });
    }
    let mut store = Store::new(());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("wisp instantiates");
    (store, instance)
}

/// The same on wasmi.
fn wasmi_instance(bytes: &[u8]) -> (wasmi::Store<()>, wasmi::Instance) {
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, bytes).expect("wasmi decodes");
    let mut linker = wasmi::Linker::new(&engine);
    for import in module.imports() {
        let wasmi::ExternType::Func(ty) = import.ty() else {
            panic!("non-function import")
        };
        linker
            .func_new(import.module(), import.name(), ty.clone(), |_, _, _| {
                Err(wasmi::Error::new("unexpected host call"))
            })
            .unwrap();
    }
    let mut store = wasmi::Store::new(&engine, ());
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("wasmi instantiates");
    (store, instance)
}

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_bench_kernel_computes_the_same_checksum_on_both() {
    let mut checked = 0;
    for path in files("fixtures/bench")
        .into_iter()
        .chain(files("fixtures/bench/wat"))
    {
        let bytes = std::fs::read(&path).unwrap();
        let (mut ws, wi) = wisp_instance(&bytes);
        let (mut ms, mi) = wasmi_instance(&bytes);
        let Ok(mf) = mi.get_typed_func::<i32, i32>(&ms, "bench_run") else {
            continue;
        };
        let wf = wi
            .get_typed_func::<i32, i32>(&ws, "bench_run")
            .expect("same exports");
        for n in [0, 1] {
            let want = mf.call(&mut ms, n).expect("wasmi runs the kernel");
            let got = wf
                .call(&mut ws, n)
                .unwrap_or_else(|t| panic!("{}: wisp trapped: {t:#}", path.display()));
            assert_eq!(got, want, "{}: bench_run({n})", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} kernels were compared");
}

#[test]
fn traps_happen_in_the_same_places() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/wasm/trap.wasm"
    ))
    .unwrap();
    let (mut ws, wi) = wisp_instance(&bytes);
    let (mut ms, mi) = wasmi_instance(&bytes);
    let wd = wi.get_typed_func::<(i32, i32), i32>(&ws, "div").unwrap();
    let md = mi.get_typed_func::<(i32, i32), i32>(&ms, "div").unwrap();
    for (a, b) in [
        (7, 2),
        (-7, 2),
        (1, 0),
        (i32::MIN, -1),
        (i32::MIN, 1),
        (0, -1),
    ] {
        let w = wd.call(&mut ws, (a, b)).ok();
        let m = md.call(&mut ms, (a, b)).ok();
        assert_eq!(w, m, "div({a}, {b})");
    }
    let wb = wi
        .get_typed_func::<(), ()>(&ws, "boom")
        .unwrap()
        .call(&mut ws, ());
    let mb = mi
        .get_typed_func::<(), ()>(&ms, "boom")
        .unwrap()
        .call(&mut ms, ());
    assert!(wb.is_err() && mb.is_err());
}

/// A loop over every kind of op the executor has a separate path for: calls
/// (direct, indirect, multi-value, early return), branches and `br_table`,
/// loads and stores of each width, bulk memory, tables, globals, `select`,
/// arithmetic and conversions.
pub(crate) const EVERY_OP_KIND_LOOP: &str = r#"(module
  (type $t (func (param i32) (result i32)))
  (memory 1)
  (table 4 funcref)
  (elem (i32.const 0) $inc $dbl $neg $id)
  (global $g (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const 3))
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $t) (i32.shl (local.get 0) (i32.const 1)))
  (func $neg (type $t) (i32.sub (i32.const 0) (local.get 0)))
  (func $id (type $t) (local.get 0))
  (func $pair (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  (func $none)
  (func $early (param i32) (result i32)
    (if (i32.and (local.get 0) (i32.const 1)) (then (return (i32.const 1))))
    (i32.const 2))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $acc i64) (local $x i32) (local $f f64) (local $s f32)
    (loop $top
      (local.set $x (call $inc (local.get $i)))
      (local.set $x (call_indirect (type $t) (local.get $x) (i32.and (local.get $i) (i32.const 3))))
      (call $none)
      (local.set $x (i32.add (call $pair (local.get $x) (local.get $i))))
      (local.set $x (i32.add (local.get $x) (call $early (local.get $i))))
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $x (i32.xor (local.get $x) (i32.const 0x55))) (br $b2))
        (local.set $x (i32.rotl (local.get $x) (i32.const 3))))
      (i32.store (i32.and (local.get $i) (i32.const 0xffc)) (local.get $x))
      (i64.store offset=8 (i32.const 16) (i64.extend_i32_u (local.get $x)))
      (i32.store8 (i32.const 3) (local.get $i))
      (i32.store16 (i32.const 5) (local.get $i))
      (local.set $x (i32.add (local.get $x) (i32.load8_u (i32.const 3))))
      (local.set $x (i32.add (local.get $x) (i32.load16_s (i32.const 5))))
      (local.set $x (i32.add (local.get $x) (i32.load (i32.and (local.get $i) (i32.const 0xffc)))))
      (local.set $acc (i64.add (local.get $acc) (i64.load offset=8 (i32.const 16))))
      (memory.fill (i32.const 100) (local.get $i) (i32.const 8))
      (memory.copy (i32.const 200) (i32.const 100) (i32.const 8))
      (local.set $acc (i64.add (local.get $acc) (i64.load (i32.const 200))))
      (drop (memory.grow (i32.const 0)))
      (local.set $x (i32.add (local.get $x) (memory.size)))
      (table.set (i32.const 3) (table.get (i32.and (local.get $i) (i32.const 3))))
      (local.set $x (i32.add (local.get $x) (table.size)))
      (global.set $g (i32.add (global.get $g) (local.get $x)))
      (global.set $h (i64.add (global.get $h) (i64.const 3)))
      (local.set $x (select (local.get $x) (global.get $g) (i32.and (local.get $i) (i32.const 1))))
      (local.set $x (i32.div_u (local.get $x) (i32.const 3)))
      (local.set $f (f64.add (local.get $f) (f64.convert_i32_u (local.get $x))))
      (local.set $f (f64.sqrt (f64.mul (local.get $f) (local.get $f))))
      (local.set $s (f32.add (local.get $s) (f32.demote_f64 (local.get $f))))
      (local.set $acc (i64.add (local.get $acc) (i64.trunc_sat_f64_s (local.get $f))))
      (local.set $acc (i64.xor (local.get $acc) (i64.extend_i32_s (i32.trunc_sat_f32_s (local.get $s)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $x))))
      (local.set $acc (i64.rotl (local.get $acc) (global.get $h)))
      (br_if $top (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i64.add (local.get $acc) (i64.extend_i32_u (global.get $g)))))"#;

/// In optimised builds every op handler must end in a jump to the next one
/// (a sibling call, see `interp/src/exec/threaded.rs`): a handler that called
/// its successor instead would grow the host stack by a frame per op and
/// overflow this thread's small stack within the loop. The result must match
/// wasmi's.
#[test]
fn long_loops_of_every_op_kind_run_in_constant_host_stack() {
    let bytes = wat::parse_str(EVERY_OP_KIND_LOOP).unwrap();
    let n = 200_000;
    let ours = {
        let bytes = bytes.clone();
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || {
                let (mut store, inst) = wisp_instance(&bytes);
                let run = inst.get_typed_func::<i32, i64>(&store, "run").unwrap();
                run.call(&mut store, n).unwrap()
            })
            .unwrap()
            .join()
            .unwrap()
    };
    let (mut store, inst) = wasmi_instance(&bytes);
    let run = inst.get_typed_func::<i32, i64>(&store, "run").unwrap();
    assert_eq!(ours, run.call(&mut store, n).unwrap());
}
