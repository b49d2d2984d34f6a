//! Fuel metering, interruption and resumable calls end to end, on the backend
//! of the build (`cargo test --release -p wisp --test main` runs the threaded
//! handlers; debug builds the loop). `interp/src/exec/fuel_tests.rs` covers
//! the details.

use std::sync::mpsc;
use std::time::Duration;
use wisp::interp::{
    Config, Linker, Module, Store, SuspendReason, TrapKind, TypedFunc, TypedResumableCall,
};

fn store_with(wat: &str, config: Config) -> (Store<()>, wisp::Instance) {
    let bytes = wat::parse_str(wat).unwrap();
    let module = Module::new(&bytes).unwrap();
    let mut store = Store::with_config(config, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn metered() -> Config {
    Config {
        consume_fuel: true,
        interruptible: true,
        ..Config::default()
    }
}

/// The fuel the every-op-kind loop of `differential.rs` consumes for n = 1000.
/// Counted per wasm instruction, so no translation detail (fusion, jump
/// threading) changes it, and both dispatch backends must agree on it.
const EVERY_OP_KIND_FUEL: u64 = 175_004;

/// Runs the every-op-kind loop metered: the result must be the unmetered
/// one and the fuel exactly `EVERY_OP_KIND_FUEL`; and sliced into small
/// resumable runs, the result must be the same again. On a small thread
/// stack, so that the fuel handlers must be jumps like every other handler.
#[test]
fn every_op_kind_runs_metered_and_sliced_with_the_plain_result() {
    let n = 1000;
    let plain = {
        let (mut s, i) = store_with(crate::differential::EVERY_OP_KIND_LOOP, Config::default());
        let run = i.get_typed_func::<i32, i64>(&s, "run").unwrap();
        run.call(&mut s, n).unwrap()
    };
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            let (mut s, i) = store_with(crate::differential::EVERY_OP_KIND_LOOP, metered());
            let run: TypedFunc<i32, i64> = i.get_typed_func(&s, "run").unwrap();
            s.set_fuel(u64::MAX).unwrap();
            assert_eq!(run.call(&mut s, n).unwrap(), plain);
            assert_eq!(u64::MAX - s.get_fuel().unwrap(), EVERY_OP_KIND_FUEL);

            // (a fresh instance: the loop changes globals, memory and a table)
            let (mut s, i) = store_with(crate::differential::EVERY_OP_KIND_LOOP, metered());
            let run: TypedFunc<i32, i64> = i.get_typed_func(&s, "run").unwrap();
            s.set_fuel(1000).unwrap();
            let mut call = run.call_resumable(&mut s, n).unwrap();
            let mut slices = 0;
            let got = loop {
                match call {
                    TypedResumableCall::Finished(r) => break r,
                    TypedResumableCall::Suspended(inv) => {
                        assert_eq!(inv.reason(), SuspendReason::OutOfFuel);
                        slices += 1;
                        s.set_fuel(1000).unwrap();
                        call = inv.resume(&mut s, &[]).unwrap();
                    }
                }
            };
            assert_eq!(got, plain);
            assert!(slices >= EVERY_OP_KIND_FUEL / 1000, "{slices} slices");
            // a plain call without enough fuel traps
            s.set_fuel(1000).unwrap();
            let t = run.call(&mut s, n).unwrap_err();
            assert!(matches!(t.kind(), TrapKind::OutOfFuel), "{t:?}");
        })
        .unwrap()
        .join()
        .unwrap();
}

const SPIN: &str = r#"(module (func (export "spin") (loop (br 0))))"#;

/// Calls `spin` on a thread of its own: the trap it ends with, or a panic
/// after 20 s.
fn spin_until_stopped(mut s: Store<()>, i: wisp::Instance) -> wisp::interp::Trap {
    let spin = i.get_typed_func::<(), ()>(&s, "spin").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(spin.call(&mut s, ()).unwrap_err()));
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the endless loop was not stopped")
}

#[test]
fn an_interrupt_or_a_deadline_stops_an_endless_loop() {
    let (s, i) = store_with(
        SPIN,
        Config {
            interruptible: true,
            ..Config::default()
        },
    );
    let handle = s.interrupt_handle().unwrap();
    let interrupter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        handle.interrupt();
    });
    let t = spin_until_stopped(s, i);
    interrupter.join().unwrap();
    assert!(matches!(t.kind(), TrapKind::Interrupted), "{t:?}");

    let (mut s, i) = store_with(SPIN, metered());
    s.set_fuel(u64::MAX).unwrap();
    let deadline = s
        .interrupt_handle()
        .unwrap()
        .deadline(Duration::from_millis(50))
        .unwrap();
    let t = spin_until_stopped(s, i);
    assert!(deadline.expired());
    assert!(matches!(t.kind(), TrapKind::DeadlineExceeded), "{t:?}");
    assert_eq!(t.to_string(), "deadline exceeded");
}

#[test]
fn fuel_runs_out_in_an_endless_loop() {
    let (mut s, i) = store_with(SPIN, metered());
    s.set_fuel(1_000_000).unwrap();
    let spin = i.get_typed_func::<(), ()>(&s, "spin").unwrap();
    let t = spin.call(&mut s, ()).unwrap_err();
    assert!(matches!(t.kind(), TrapKind::OutOfFuel), "{t:?}");
    // `br` is the loop's only instruction that costs: every unit was used
    assert_eq!(s.get_fuel().unwrap(), 0);
}
