//! wisp against wasmi 2.0, every case in one criterion group with the ids
//! `wisp` and `wasmi`, so one report gives both times and their ratio.
//!
//! Groups: `translate` (decode + validate + translate a module), `instantiate`,
//! `execute/<workload>` (one group per C workload and WAT micro-bench: the
//! exported `bench_run(n)` called in-process; `wisp-fuel` and `wasmi-fuel`
//! are the same with fuel metering on and all the fuel there is), `call/host` (guest->host and
//! host->guest call overhead). The `wasi` group is its own target
//! (`benches/wasi.rs`). See `benches/README.md`.

mod common;

use common::{C_WORKLOADS, MICRO_WORKLOADS, Workload};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use std::hint::black_box;
use std::sync::OnceLock;

/// The modules the `translate` and `instantiate` groups load: the generated
/// large module and one realistic C program. Built once per process.
fn inputs() -> &'static [(&'static str, Vec<u8>)] {
    static INPUTS: OnceLock<Vec<(&'static str, Vec<u8>)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let large = common::large::large_module();
        eprintln!(
            "large module: {} bytes, {} functions",
            large.len(),
            common::large::FUNCS
        );
        let mixed = C_WORKLOADS
            .iter()
            .find(|w| w.name == "mixed")
            .expect("mixed workload")
            .wasm
            .to_vec();
        vec![("large", large), ("mixed", mixed)]
    })
}

fn translate(c: &mut Criterion) {
    let engine = common::wasmi_engine();
    let lazy = common::wasmi_engine_lazy();
    let mut g = c.benchmark_group("translate");
    g.sampling_mode(SamplingMode::Flat);
    for (name, bytes) in inputs() {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_with_input(BenchmarkId::new("wisp", name), bytes, |b, bytes| {
            b.iter(|| wisp::interp::Module::new(black_box(bytes)).unwrap())
        });
        // the same work on the calling thread only (what `Module::new` does
        // for code sections under 128 KiB, or on one core)
        g.bench_with_input(
            BenchmarkId::new("wisp-single-thread", name),
            bytes,
            |b, bytes| {
                b.iter(|| wisp::interp::Module::new_single_threaded(black_box(bytes)).unwrap())
            },
        );
        g.bench_with_input(BenchmarkId::new("wasmi", name), bytes, |b, bytes| {
            b.iter(|| wasmi::Module::new(&engine, black_box(bytes)).unwrap())
        });
        // wasmi's default: validate everything, translate each function on first call.
        g.bench_with_input(BenchmarkId::new("wasmi-lazy", name), bytes, |b, bytes| {
            b.iter(|| wasmi::Module::new(&lazy, black_box(bytes)).unwrap())
        });
    }
    g.finish();
}

fn instantiate(c: &mut Criterion) {
    let engine = common::wasmi_engine();
    let mut g = c.benchmark_group("instantiate");
    for (name, bytes) in inputs() {
        // a fresh store + instantiation (memory, table, globals, segments) per iteration;
        // the linker (dummy imports) is built once, outside the timing
        let wisp_module = wisp::interp::Module::new(bytes).unwrap();
        let wisp_linker = common::wisp_dummy_linker(&wisp_module);
        g.bench_function(BenchmarkId::new("wisp", name), |b| {
            b.iter(|| {
                let mut store = wisp::interp::Store::new(());
                let inst = wisp_linker.instantiate(&mut store, &wisp_module).unwrap();
                black_box((store, inst))
            })
        });
        let wasmi_module = wasmi::Module::new(&engine, bytes).unwrap();
        let wasmi_linker = common::wasmi_dummy_linker(&engine, &wasmi_module);
        g.bench_function(BenchmarkId::new("wasmi", name), |b| {
            b.iter(|| {
                let mut store = wasmi::Store::new(&engine, ());
                let inst = wasmi_linker
                    .instantiate_and_start(&mut store, &wasmi_module)
                    .unwrap();
                black_box((store, inst))
            })
        });
    }
    g.finish();
}

/// One `execute/<name>` group: `bench_run(n)` on each runtime, instantiated once.
/// The results must agree; if wisp fails or disagrees, it is reported and left
/// out of the group (wasmi is still measured), so one bug does not stop the run.
fn execute_one(c: &mut Criterion, w: &Workload, micro: bool) {
    let engine = common::wasmi_engine();
    let wasmi_module = wasmi::Module::new(&engine, w.wasm).expect("wasmi: load workload");
    let (mut wasmi_store, wasmi_inst) =
        common::wasmi_instantiate_with_dummies(&engine, &wasmi_module);
    let wasmi_run = wasmi_inst
        .get_typed_func::<i32, i32>(&wasmi_store, "bench_run")
        .expect("wasmi: bench_run");
    let expected = wasmi_run
        .call(&mut wasmi_store, w.n)
        .expect("wasmi: bench_run");

    let fuel_engine = common::wasmi_engine_fuel();
    let wasmi_fuel_module = wasmi::Module::new(&fuel_engine, w.wasm).expect("wasmi: load workload");
    let (mut wasmi_fuel_store, wasmi_fuel_inst) =
        common::wasmi_instantiate_with_dummies(&fuel_engine, &wasmi_fuel_module);
    wasmi_fuel_store.set_fuel(u64::MAX).expect("wasmi: fuel");
    let wasmi_fuel_run = wasmi_fuel_inst
        .get_typed_func::<i32, i32>(&wasmi_fuel_store, "bench_run")
        .expect("wasmi: bench_run");
    assert_eq!(
        wasmi_fuel_run
            .call(&mut wasmi_fuel_store, w.n)
            .expect("wasmi: metered bench_run"),
        expected
    );

    let wisp_side = |config: wisp::interp::Config| -> Result<_, String> {
        let module = wisp::interp::Module::new(w.wasm).map_err(|e| e.to_string())?;
        let (mut store, inst) = common::wisp_instantiate_with_dummies_config(&module, config);
        if config.consume_fuel {
            store.set_fuel(u64::MAX).map_err(|e| e.to_string())?;
        }
        let run = inst
            .get_typed_func::<i32, i32>(&store, "bench_run")
            .map_err(|e| e.to_string())?;
        let got = run.call(&mut store, w.n).map_err(|e| e.to_string())?;
        if got != expected {
            return Err(format!("checksum {got} != wasmi's {expected}"));
        }
        Ok((store, run))
    };

    let mut g = c.benchmark_group(format!("execute/{}", w.name));
    g.sampling_mode(SamplingMode::Flat);
    if micro {
        g.throughput(Throughput::Elements(w.n as u64));
    }
    for (id, config) in [
        ("wisp", wisp::interp::Config::default()),
        ("wisp-fuel", common::wisp_config_fuel()),
    ] {
        match wisp_side(config) {
            Ok((mut store, run)) => {
                g.bench_function(id, |b| {
                    b.iter(|| run.call(&mut store, black_box(w.n)).unwrap())
                });
            }
            Err(e) => eprintln!("execute/{}: {id} SKIPPED: {e}", w.name),
        }
    }
    g.bench_function("wasmi", |b| {
        b.iter(|| wasmi_run.call(&mut wasmi_store, black_box(w.n)).unwrap())
    });
    g.bench_function("wasmi-fuel", |b| {
        b.iter(|| {
            wasmi_fuel_run
                .call(&mut wasmi_fuel_store, black_box(w.n))
                .unwrap()
        })
    });
    g.finish();
}

fn execute(c: &mut Criterion) {
    for w in C_WORKLOADS {
        execute_one(c, w, false);
    }
    for w in MICRO_WORKLOADS {
        execute_one(c, w, true);
    }
}

/// Calls per iteration in the `call/host` group.
const CALLS: i32 = 10_000;

fn call_host(c: &mut Criterion) {
    let wasm = wat::parse_str(common::CALL_HOST_WAT).expect("call/host module");
    let mut g = c.benchmark_group("call/host");
    g.throughput(Throughput::Elements(CALLS as u64));

    // wisp
    let module = wisp::interp::Module::new(&wasm).unwrap();
    let mut linker = wisp::interp::Linker::new();
    linker.func_wrap("host", "inc", |x: i32| x.wrapping_add(1));
    let mut store = wisp::interp::Store::new(());
    let inst = linker.instantiate(&mut store, &module).unwrap();
    let wisp_call_host = inst
        .get_typed_func::<i32, i32>(&store, "call_host")
        .unwrap();
    let wisp_add = inst
        .get_typed_func::<(i32, i32), i32>(&store, "add")
        .unwrap();
    assert_eq!(wisp_call_host.call(&mut store, CALLS).unwrap(), CALLS);

    // wasmi
    let engine = common::wasmi_engine();
    let wmodule = wasmi::Module::new(&engine, &wasm).unwrap();
    let mut wlinker = wasmi::Linker::<()>::new(&engine);
    wlinker
        .func_wrap("host", "inc", |x: i32| x.wrapping_add(1))
        .unwrap();
    let mut wstore = wasmi::Store::new(&engine, ());
    let winst = wlinker
        .instantiate_and_start(&mut wstore, &wmodule)
        .unwrap();
    let wasmi_call_host = winst
        .get_typed_func::<i32, i32>(&wstore, "call_host")
        .unwrap();
    let wasmi_add = winst
        .get_typed_func::<(i32, i32), i32>(&wstore, "add")
        .unwrap();
    assert_eq!(wasmi_call_host.call(&mut wstore, CALLS).unwrap(), CALLS);

    // guest -> host: one wasm call making CALLS host calls
    g.bench_function(BenchmarkId::new("wisp", "guest_to_host"), |b| {
        b.iter(|| wisp_call_host.call(&mut store, black_box(CALLS)).unwrap())
    });
    g.bench_function(BenchmarkId::new("wasmi", "guest_to_host"), |b| {
        b.iter(|| wasmi_call_host.call(&mut wstore, black_box(CALLS)).unwrap())
    });
    // host -> guest: CALLS typed calls of a trivial export from Rust
    g.bench_function(BenchmarkId::new("wisp", "host_to_guest"), |b| {
        b.iter(|| {
            let mut acc = 0i32;
            for i in 0..CALLS {
                acc = wisp_add.call(&mut store, (acc, black_box(i))).unwrap();
            }
            acc
        })
    });
    g.bench_function(BenchmarkId::new("wasmi", "host_to_guest"), |b| {
        b.iter(|| {
            let mut acc = 0i32;
            for i in 0..CALLS {
                acc = wasmi_add.call(&mut wstore, (acc, black_box(i))).unwrap();
            }
            acc
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = translate, instantiate, execute, call_host
}
criterion_main!(benches);
