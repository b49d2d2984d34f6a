//! Fuel metering, interruption and resumable calls (`Config::consume_fuel`,
//! `Config::interruptible`), on the backend this build runs (the loop in debug
//! builds; `tests/fuel.rs` at the workspace root runs the threaded one too).

use crate::{
    Caller, Config, ErrorKind, Linker, Module, ResumableCall, Store, SuspendReason, Trap, TrapKind,
    TypedResumableCall, Val,
};
use std::sync::mpsc;
use std::time::Duration;

fn config(consume_fuel: bool, interruptible: bool) -> Config {
    Config {
        consume_fuel,
        interruptible,
        ..Config::default()
    }
}

fn instance(wat: &str, config: Config) -> (Store<()>, crate::Instance) {
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::with_config(config, ());
    let mut linker = Linker::new();
    linker.func_wrap("host", "ask", |_: i32| -> Result<i32, Trap> {
        Err(Trap::host_yield())
    });
    let i = linker.instantiate(&mut store, &m).unwrap();
    (store, i)
}

fn kind(e: &crate::Error) -> &TrapKind {
    e.as_trap().expect("a trap").kind()
}

/// Fuel a call of `name` with `arg` consumes.
fn consumed(store: &mut Store<()>, inst: crate::Instance, name: &str, arg: i32) -> u64 {
    store.set_fuel(1_000_000).unwrap();
    let f = inst.get_typed_func::<i32, i32>(&*store, name).unwrap();
    f.call(&mut *store, arg).unwrap();
    1_000_000 - store.get_fuel().unwrap()
}

const COUNTS: &str = r#"(module
  (func (export "add") (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 5)))
  (func (export "structural") (param i32) (result i32)
    (block (nop) (block (nop)))
    (nop)
    (f32.reinterpret_i32 (local.get 0))
    (i32.reinterpret_f32))
  (func (export "down") (param i32) (result i32)
    (loop $l
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 0))
  (func (export "branchy") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.const 1))
      (else (i32.const 2) (drop) (i32.const 3))))
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "calls") (param i32) (result i32)
    (call $id (call $id (local.get 0)))))"#;

#[test]
fn straight_line_code_costs_one_per_instruction() {
    let (mut s, i) = instance(COUNTS, config(true, false));
    // local.get, i32.const, i32.add (the function's `end` is free)
    assert_eq!(consumed(&mut s, i, "add", 1), 3);
    // blocks, nops and ends are free; reinterprets cost 1 though they emit nothing
    assert_eq!(consumed(&mut s, i, "structural", 1), 3);
    // one local.get, two calls, each callee one local.get
    assert_eq!(consumed(&mut s, i, "calls", 1), 5);
}

#[test]
fn each_segment_is_paid_as_it_is_entered() {
    let (mut s, i) = instance(COUNTS, config(true, false));
    // per iteration: local.get, i32.const, i32.sub, local.tee, br_if; then local.get
    for n in [1, 2, 10, 100] {
        assert_eq!(consumed(&mut s, i, "down", n), 5 * n as u64 + 1, "n = {n}");
    }
    // local.get + if, then one arm: `then` 1, `else` 3
    assert_eq!(consumed(&mut s, i, "branchy", 1), 3);
    assert_eq!(consumed(&mut s, i, "branchy", 0), 5);
}

#[test]
fn a_dispatch_copied_into_its_cases_pays_as_the_loop_head_did() {
    // The loop's segment pays for its whole body on each entry, a table's
    // targets starting no segment of their own: the head's 9 instructions
    // (load, `pc += 1`, `br_table`) and 40 cases of 7 (`acc = acc * 31 + k`,
    // `br`). Each case's jump back takes a copy of the head with the loop's
    // `Fuel` op in it, so every interpreted opcode pays that again; the last
    // byte exits, then `local.get` pays 1.
    for n in [0u8, 1, 5, 39] {
        let mut prog: Vec<u8> = (0..n).collect();
        prog.push(200);
        let wat = super::tests::interpreter_wat(16, &prog);
        let (mut s, i) = instance(&wat, config(true, false));
        let body = 9 + 40 * 7;
        assert_eq!(
            consumed(&mut s, i, "run", 16),
            body * (u64::from(n) + 1) + 1,
            "n = {n}"
        );
    }
}

#[test]
fn a_plain_call_out_of_fuel_traps_and_keeps_what_it_could_not_pay() {
    let (mut s, i) = instance(COUNTS, config(true, false));
    let add = i.get_typed_func::<i32, i32>(&s, "add").unwrap();
    // a new store has no fuel
    let t = add.call(&mut s, 1).unwrap_err();
    assert!(matches!(t.kind(), TrapKind::OutOfFuel), "{t:?}");
    assert_eq!(t.to_string(), "all fuel consumed");
    s.set_fuel(2).unwrap();
    assert!(matches!(
        add.call(&mut s, 1).unwrap_err().kind(),
        TrapKind::OutOfFuel
    ));
    assert_eq!(s.get_fuel().unwrap(), 2);
    s.set_fuel(3).unwrap();
    assert_eq!(add.call(&mut s, 1).unwrap(), 6);
    assert_eq!(s.get_fuel().unwrap(), 0);
}

const FIB: &str = r#"(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $i))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))"#;

/// Runs `name(arg)` resumably with `budget` fuel per slice; the result and
/// the number of suspensions.
fn sliced(name: &str, arg: i32, budget: u64) -> (i32, u32) {
    let (mut s, i) = instance(FIB, config(true, false));
    let f = i.get_typed_func::<i32, i32>(&s, name).unwrap();
    s.set_fuel(budget).unwrap();
    let mut call = f.call_resumable(&mut s, arg).unwrap();
    let mut slices = 0;
    loop {
        match call {
            TypedResumableCall::Finished(r) => return (r, slices),
            TypedResumableCall::Suspended(inv) => {
                assert_eq!(inv.reason(), SuspendReason::OutOfFuel);
                slices += 1;
                assert!(slices < 1_000_000, "no progress with {budget} fuel a slice");
                s.set_fuel(budget).unwrap();
                call = inv.resume(&mut s, &[]).unwrap();
            }
        }
    }
}

#[test]
fn a_call_refuelled_and_resumed_in_slices_gives_the_uninterrupted_result() {
    let (mut s, i) = instance(FIB, config(false, false));
    let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
    let sum = i.get_typed_func::<i32, i32>(&s, "sum").unwrap();
    let (want_fib, want_sum) = (
        fib.call(&mut s, 20).unwrap(),
        sum.call(&mut s, 5000).unwrap(),
    );
    // (a slice must pay for the longest segment, here 13: `sum`'s loop body)
    for budget in [13, 97, 1000] {
        let (got, slices) = sliced("fib", 20, budget);
        assert_eq!(got, want_fib, "budget {budget}");
        assert!(slices > 10, "budget {budget}: {slices} slices");
        let (got, slices) = sliced("sum", 5000, budget);
        assert_eq!(got, want_sum, "budget {budget}");
        assert!(slices > 10, "budget {budget}: {slices} slices");
    }
}

#[test]
fn untyped_resumable_calls_check_and_write_results() {
    let (mut s, i) = instance(FIB, config(true, false));
    let fib = i.get_func(&s, "fib").unwrap();
    s.set_fuel(100).unwrap();
    let mut out = [Val::I32(0)];
    let mut call = fib
        .call_resumable(&mut s, &[Val::I32(15)], &mut out)
        .unwrap();
    let mut n = 0;
    while let ResumableCall::Suspended(inv) = call {
        n += 1;
        s.set_fuel(100).unwrap();
        call = inv.resume(&mut s, &[], &mut out).unwrap();
    }
    assert!(n > 5);
    assert_eq!(out, [Val::I32(610)]);
    // room for results is checked on resume too
    s.set_fuel(10).unwrap();
    let ResumableCall::Suspended(inv) = fib
        .call_resumable(&mut s, &[Val::I32(15)], &mut out)
        .unwrap()
    else {
        panic!("10 fuel finished fib(15)")
    };
    let e = inv.resume(&mut s, &[], &mut []).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
}

const BULK: &str = r#"(module
  (memory 256)
  (table 100 funcref)
  (func $f)
  (elem declare func $f)
  (func (export "fill") (param i32 i32 i32) (result i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2))
    (i32.const 0))
  (func (export "copy") (param i32 i32 i32) (result i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2))
    (i32.const 0))
  (func (export "tfill") (param i32 i32 i32) (result i32)
    (table.fill (local.get 0) (ref.func $f) (local.get 2))
    (i32.const 0))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;

#[test]
fn bulk_operations_cost_by_their_size() {
    let (mut s, i) = instance(BULK, config(true, false));
    let fill = i
        .get_typed_func::<(i32, i32, i32), i32>(&s, "fill")
        .unwrap();
    let copy = i
        .get_typed_func::<(i32, i32, i32), i32>(&s, "copy")
        .unwrap();
    let tfill = i
        .get_typed_func::<(i32, i32, i32), i32>(&s, "tfill")
        .unwrap();
    let mib16 = 16 << 20;
    for (f, n, per) in [
        (fill, mib16, 64),
        (copy, 1000, 64),
        (fill, 63, 64),
        (tfill, 100, 8),
    ] {
        s.set_fuel(u64::MAX).unwrap();
        f.call(&mut s, (0, 1, n)).unwrap();
        // three local.gets (or ref.func), the op and `i32.const 0`, then n / per
        assert_eq!(
            u64::MAX - s.get_fuel().unwrap(),
            5 + n as u64 / per,
            "n = {n}"
        );
    }
}

#[test]
fn a_bulk_operation_that_cannot_pay_stops_before_touching_memory() {
    let (mut s, i) = instance(BULK, config(true, false));
    let fill = i
        .get_typed_func::<(i32, i32, i32), i32>(&s, "fill")
        .unwrap();
    let peek = i.get_typed_func::<i32, i32>(&s, "peek").unwrap();
    let n = 16 << 20;
    let cost = 5 + (n as u64 >> 6);
    s.set_fuel(cost - 1).unwrap();
    let t = fill.call(&mut s, (0, 0xab, n)).unwrap_err();
    assert!(matches!(t.kind(), TrapKind::OutOfFuel));
    // the segment (three local.gets, the fill, i32.const) was paid, the size was not
    assert_eq!(s.get_fuel().unwrap(), cost - 1 - 5);
    s.set_fuel(1000).unwrap();
    assert_eq!(peek.call(&mut s, 0).unwrap(), 0);
    assert_eq!(peek.call(&mut s, n - 1).unwrap(), 0);
    // resumably: refuel, resume, and the fill happens once
    s.set_fuel(cost - 1).unwrap();
    let TypedResumableCall::Suspended(inv) = fill.call_resumable(&mut s, (0, 0xab, n)).unwrap()
    else {
        panic!("finished without fuel")
    };
    s.set_fuel(n as u64).unwrap();
    assert!(matches!(
        inv.resume(&mut s, &[]).unwrap(),
        TypedResumableCall::Finished(0)
    ));
    assert_eq!(s.get_fuel().unwrap(), n as u64 - (n as u64 >> 6));
    s.set_fuel(1000).unwrap();
    assert_eq!(peek.call(&mut s, n - 1).unwrap(), 0xab);
}

const YIELD: &str = r#"(module
  (import "host" "ask" (func $ask (param i32) (result i32)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $ask (local.get 0)) (i32.const 1))))"#;

#[test]
fn a_host_function_yields_and_the_resume_gives_its_results() {
    // with metering off too: a host yield needs no fuel checks
    for cfg in [config(false, false), config(true, true)] {
        let (mut s, i) = instance(YIELD, cfg);
        if cfg.consume_fuel {
            s.set_fuel(100).unwrap();
        }
        let run = i.get_typed_func::<i32, i32>(&s, "run").unwrap();
        let TypedResumableCall::Suspended(inv) = run.call_resumable(&mut s, 7).unwrap() else {
            panic!("the host did not yield")
        };
        assert_eq!(inv.reason(), SuspendReason::HostYield);
        let r = inv.resume(&mut s, &[Val::I32(41)]).unwrap();
        assert!(matches!(r, TypedResumableCall::Finished(42)), "{r:?}");
        // results of the wrong type or count are refused
        let TypedResumableCall::Suspended(inv) = run.call_resumable(&mut s, 7).unwrap() else {
            panic!("the host did not yield")
        };
        let e = inv.resume(&mut s, &[Val::I64(41)]).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Type(_)), "{e}");
        // in a plain call the yield is a trap
        let t = run.call(&mut s, 7).unwrap_err();
        assert!(matches!(t.kind(), TrapKind::HostYield), "{t:?}");
    }
}

#[test]
fn resuming_with_another_store_is_an_error() {
    let (mut s, i) = instance(YIELD, config(false, false));
    let (mut other, _) = instance(YIELD, config(false, false));
    let run = i.get_typed_func::<i32, i32>(&s, "run").unwrap();
    let TypedResumableCall::Suspended(inv) = run.call_resumable(&mut s, 7).unwrap() else {
        panic!("the host did not yield")
    };
    let e = inv.resume(&mut other, &[Val::I32(1)]).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Config(_)), "{e}");
    // and giving host results when no host function is waiting
    let (mut s, i) = instance(FIB, config(true, false));
    let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
    let TypedResumableCall::Suspended(inv) = fib.call_resumable(&mut s, 10).unwrap() else {
        panic!("finished without fuel")
    };
    assert!(inv.resume(&mut s, &[Val::I32(1)]).is_err());
}

#[test]
fn only_the_outermost_call_suspends() {
    let wat = r#"(module
      (import "host" "nested" (func $nested (result i32)))
      (func (export "burn") (result i32)
        (local $i i32)
        (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000))))
        (local.get $i))
      (func (export "outer") (result i32)
        (call $nested)
        ;; a segment of its own, paid when reached: 9, more than `burn` can
        ;; have left (its loop costs 7)
        (loop (result i32)
          (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)
          (drop) (drop) (drop) (drop))
        (i32.add)))"#;
    let m = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut s = Store::with_config(config(true, false), None::<String>);
    let mut linker = Linker::new();
    linker.func_wrap(
        "host",
        "nested",
        |mut c: Caller<'_, Option<String>>| -> Result<i32, Trap> {
            let burn = c.get_export("burn").and_then(|e| e.into_func()).unwrap();
            let mut out = [Val::I32(0)];
            let e = burn.call(&mut c, &[], &mut out).unwrap_err();
            *c.data_mut() = Some(e.to_string());
            Ok(-1)
        },
    );
    let i = linker.instantiate(&mut s, &m).unwrap();
    let outer = i.get_typed_func::<(), i32>(&s, "outer").unwrap();
    s.set_fuel(50).unwrap();
    // the nested call ran out and trapped; the outer one then suspends itself
    let TypedResumableCall::Suspended(inv) = outer.call_resumable(&mut s, ()).unwrap() else {
        panic!("finished without fuel")
    };
    assert_eq!(s.data().as_deref(), Some("all fuel consumed"));
    assert_eq!(inv.reason(), SuspendReason::OutOfFuel);
    s.set_fuel(10).unwrap();
    assert!(matches!(
        inv.resume(&mut s, &[]).unwrap(),
        TypedResumableCall::Finished(0)
    ));
}

#[test]
fn fuel_and_interruption_need_their_switches() {
    let (mut s, _) = instance(COUNTS, config(false, false));
    assert!(matches!(
        s.get_fuel().unwrap_err().kind(),
        ErrorKind::Config(_)
    ));
    assert!(matches!(
        s.set_fuel(1).unwrap_err().kind(),
        ErrorKind::Config(_)
    ));
    assert!(matches!(
        s.interrupt_handle().unwrap_err().kind(),
        ErrorKind::Config(_)
    ));
    let (s, _) = instance(COUNTS, config(true, false));
    assert!(s.interrupt_handle().is_err());
}

const SPIN: &str = r#"(module
  (func (export "spin") (loop (br 0)))
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $i)))"#;

/// Runs `f` on a thread of its own; its result, or a panic when it takes
/// longer than 20 s (an interruption that did not work).
fn within_20s<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the call was not stopped")
}

#[test]
fn an_interrupt_from_another_thread_stops_an_endless_loop() {
    let (mut s, i) = instance(SPIN, config(false, true));
    let handle = s.interrupt_handle().unwrap();
    // no fuel with interruption alone: get_fuel says so, and code runs unmetered
    assert!(s.get_fuel().is_err());
    let count = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    assert_eq!(count.call(&mut s, 1_000_000).unwrap(), 1_000_000);
    let spin = i.get_typed_func::<(), ()>(&s, "spin").unwrap();
    let interrupter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
        handle
    });
    let (mut s, e) = within_20s(move || {
        let e = spin.call(&mut s, ()).unwrap_err();
        (s, e)
    });
    assert!(matches!(e.kind(), TrapKind::Interrupted), "{e:?}");
    assert_eq!(e.to_string(), "interrupted by the host");
    // consumed: the next call runs
    assert_eq!(count.call(&mut s, 10).unwrap(), 10);
    // an interrupt while nothing runs stops the next call, resumably
    let handle = interrupter.join().unwrap();
    handle.interrupt();
    let TypedResumableCall::Suspended(inv) = count.call_resumable(&mut s, 10).unwrap() else {
        panic!("not interrupted")
    };
    assert_eq!(inv.reason(), SuspendReason::Interrupted);
    assert!(matches!(
        inv.resume(&mut s, &[]).unwrap(),
        TypedResumableCall::Finished(10)
    ));
}

#[test]
fn a_deadline_stops_an_endless_loop_unless_dropped_first() {
    let (mut s, i) = instance(SPIN, config(true, true));
    s.set_fuel(u64::MAX).unwrap();
    let handle = s.interrupt_handle().unwrap();
    let spin = i.get_typed_func::<(), ()>(&s, "spin").unwrap();
    let count = i.get_typed_func::<i32, i32>(&s, "count").unwrap();
    // dropped at once: never fires
    drop(handle.deadline(Duration::from_millis(10)).unwrap());
    std::thread::sleep(Duration::from_millis(40));
    assert_eq!(count.call(&mut s, 10).unwrap(), 10);
    // passed after the call ended: withdrawn when dropped
    let d = handle.deadline(Duration::from_millis(1)).unwrap();
    std::thread::sleep(Duration::from_millis(40));
    assert!(d.expired());
    drop(d);
    assert_eq!(count.call(&mut s, 10).unwrap(), 10);
    // a far deadline does not hold up its drop
    drop(handle.deadline(Duration::from_secs(3600)).unwrap());
    drop(handle.deadline(Duration::MAX).unwrap());
    let deadline = handle.deadline(Duration::from_millis(50)).unwrap();
    let (s, e) = within_20s(move || {
        let e = spin.call(&mut s, ()).unwrap_err();
        (s, e)
    });
    assert!(deadline.expired());
    assert!(matches!(kind(&e.into()), TrapKind::DeadlineExceeded));
    assert!(s.get_fuel().unwrap() < u64::MAX);
}

#[test]
fn suspended_invocations_and_stores_move_between_threads() {
    fn send<T: Send>(_: &T) {}
    let (mut s, i) = instance(FIB, config(true, false));
    let fib = i.get_typed_func::<i32, i32>(&s, "fib").unwrap();
    s.set_fuel(100).unwrap();
    let TypedResumableCall::Suspended(inv) = fib.call_resumable(&mut s, 12).unwrap() else {
        panic!("finished")
    };
    send(&inv);
    send(&s);
    let r = std::thread::spawn(move || {
        s.set_fuel(1_000_000).unwrap();
        inv.resume(&mut s, &[]).unwrap()
    })
    .join()
    .unwrap();
    assert!(matches!(r, TypedResumableCall::Finished(144)));
}

#[test]
fn handles_and_guards_are_thread_safe() {
    fn send_sync<T: Send + Sync + Clone>() {}
    fn send<T: Send>() {}
    send_sync::<crate::InterruptHandle>();
    send::<crate::Deadline>();
    send::<crate::ResumableInvocation>();
    send::<crate::TypedResumableInvocation<(i32, i64)>>();
}
