//! Shared loading code for wisp's benches: the workload table, the generated
//! large module, criterion settings, and the few lines that load and instantiate
//! a module the same way on wisp and on wasmi.
//!
//! Every input is a committed `.wasm` under `fixtures/bench/` (`include_bytes!`)
//! or generated here deterministically, so running the benches needs no C
//! toolchain. Rebuild the fixtures with `fixtures/bench/build.sh`.
#![allow(dead_code)] // each bench target uses a different part of this module

use criterion::Criterion;
use std::time::Duration;

pub mod large;

/// A workload exporting `bench_run(n: i32) -> i32`, which runs its kernel `n`
/// times without any WASI call and returns a checksum.
pub struct Workload {
    /// Short name: `execute/<name>` is its criterion group.
    pub name: &'static str,
    /// The module.
    pub wasm: &'static [u8],
    /// The `n` criterion passes to `bench_run`: chosen so one call takes roughly
    /// 10-30 ms on wasmi (the C programs' `main` default is about 50x this).
    pub n: i32,
}

macro_rules! c_workload {
    ($name:literal, $n:expr) => {
        Workload {
            name: $name,
            wasm: include_bytes!(concat!("../../fixtures/bench/", $name, ".wasm")),
            n: $n,
        }
    };
}

macro_rules! wat_workload {
    ($name:literal, $n:expr) => {
        Workload {
            name: $name,
            wasm: include_bytes!(concat!("../../fixtures/bench/wat/", $name, ".wasm")),
            n: $n,
        }
    };
}

/// The C workloads (clang-19 + wasi-libc, `-O2`), in the order they are reported.
pub const C_WORKLOADS: &[Workload] = &[
    c_workload!("fib", 1),
    c_workload!("hashtab", 4),
    c_workload!("matmul", 2),
    c_workload!("nbody", 2),
    c_workload!("memops", 1),
    c_workload!("bulkmem", 4),
    c_workload!("sort", 1),
    c_workload!("sieve", 1),
    c_workload!("sha256", 4),
    c_workload!("vm", 1),
    c_workload!("mixed", 6),
];

/// The WAT micro-benches (`fixtures/bench/wat/`); `n` is the loop count.
pub const MICRO_WORKLOADS: &[Workload] = &[
    wat_workload!("call", 1_000_000),
    wat_workload!("call_indirect", 1_000_000),
    wat_workload!("br_table", 1_000_000),
    wat_workload!("mem", 1_000_000),
    wat_workload!("locals", 1_000_000),
    wat_workload!("fchain", 1_000_000),
    wat_workload!("fchain32", 1_000_000),
    wat_workload!("divconst", 100_000),
];

/// The WASI program of the `wasi` group (see `fixtures/bench/wasi_io.c`).
pub const WASI_IO: &[u8] = include_bytes!("../../fixtures/bench/wasi_io.wasm");

/// The host side of the `call/host` group.
pub const CALL_HOST_WAT: &str = r#"
(module
  (import "host" "inc" (func $inc (param i32) (result i32)))
  ;; guest -> host: n calls of an imported host function
  (func (export "call_host") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (call $inc (local.get $acc)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; host -> guest: a trivial export the host calls in a loop
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
"#;

/// Criterion settings for every group: small samples, short times, so a full
/// `cargo bench` fits in a few minutes on two cores. Command-line flags
/// (`--sample-size`, `--measurement-time`, `--quick`, ...) still override these.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

/// Which runtimes a whole-program group measures, given each one's checked
/// first run: both when they agree; otherwise the one that worked, after
/// printing why the other is `SKIPPED` (`what` names the compared output,
/// shown when short).
pub fn runnable<T: PartialEq + std::fmt::Debug>(
    group: &str,
    what: &str,
    wisp: &Result<T, String>,
    wasmi: &Result<T, String>,
) -> (bool, bool) {
    match (wisp, wasmi) {
        (Ok(a), Ok(b)) if a == b => (true, true),
        (Ok(a), Ok(b)) => {
            let (a, b) = (format!("{a:?}"), format!("{b:?}"));
            if a.len() + b.len() <= 400 {
                eprintln!("{group}: wisp SKIPPED: {what} {a} != wasmi's {b}");
            } else {
                eprintln!("{group}: wisp SKIPPED: its {what} differs from wasmi's");
            }
            (false, true)
        }
        (Err(e), Ok(_)) => {
            eprintln!("{group}: wisp SKIPPED: {e}");
            (false, true)
        }
        (Ok(_), Err(e)) => {
            eprintln!("{group}: wasmi SKIPPED: {e}");
            (true, false)
        }
        (Err(a), Err(b)) => {
            eprintln!("{group}: both SKIPPED: wisp: {a}; wasmi: {b}");
            (false, false)
        }
    }
}

/// wisp: links `wasi` (already built with the run's args and stdio),
/// instantiates `module` in a fresh store and runs `_start`; the exit code.
pub fn wisp_start(mut wasi: wisp::Wasi, module: &wisp::Module) -> Result<i32, String> {
    let mut linker = wisp::Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = wisp::Store::new(());
    let instance = linker
        .instantiate(&mut store, module)
        .map_err(|e| e.to_string())?;
    wasi.start(&mut store, instance).map_err(|e| e.to_string())
}

/// wisp: one whole WASI run of `module` with arguments `argv` (`argv[0]`
/// first), no preopens, empty stdin, stdout captured into `out` when given,
/// stderr dropped; the exit code.
pub fn wisp_run(
    module: &wisp::Module,
    argv: &[&str],
    out: Option<&wisp::SharedBuffer>,
) -> Result<i32, String> {
    use wisp::{Stdio, Wasi, WasiVersion};
    let wasi = Wasi::builder(WasiVersion::Preview1)
        .args(argv.iter().copied())
        .stdin(Stdio::Null)
        .stdout(out.map_or(Stdio::Null, |b| Stdio::Capture(b.clone())))
        .stderr(Stdio::Null)
        .build()
        .map_err(|e| e.to_string())?;
    wisp_start(wasi, module)
}

/// wasmi + wasmi_wasi: the same run as `wisp_run`.
pub fn wasmi_run(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
    argv: &[&str],
    out: Option<std::sync::Arc<std::sync::RwLock<Vec<u8>>>>,
) -> Result<i32, String> {
    use wasmi_wasi::WasiCtxBuilder;
    use wasmi_wasi::wasi_common::pipe::{ReadPipe, WritePipe};
    let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
    let mut b = WasiCtxBuilder::new();
    b.args(&argv).map_err(|e| e.to_string())?;
    b.stdin(Box::new(ReadPipe::new(std::io::empty())));
    match out {
        Some(buf) => b.stdout(Box::new(WritePipe::from_shared(buf))),
        None => b.stdout(Box::new(WritePipe::new(std::io::sink()))),
    };
    b.stderr(Box::new(WritePipe::new(std::io::sink())));
    wasmi_start(engine, module, b.build())
}

/// wasmi + wasmi_wasi: the same with the context `ctx`.
pub fn wasmi_start(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
    ctx: wasmi_wasi::WasiCtx,
) -> Result<i32, String> {
    let mut store = wasmi::Store::new(engine, ctx);
    let mut linker = wasmi::Linker::<wasmi_wasi::WasiCtx>::new(engine);
    wasmi_wasi::add_to_linker(&mut linker, |cx| cx).map_err(|e| e.to_string())?;
    let instance = linker
        .instantiate_and_start(&mut store, module)
        .map_err(|e| e.to_string())?;
    let start = instance
        .get_typed_func::<(), ()>(&store, "_start")
        .map_err(|e| e.to_string())?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(e) => e.i32_exit_status().ok_or_else(|| e.to_string()),
    }
}

// ---------------------------------------------------------------- wisp side

/// wisp: the module, instantiated in a fresh store with every import a function
/// that traps (the workloads' WASI imports; `bench_run` never calls them).
pub fn wisp_instantiate_with_dummies(
    module: &wisp::interp::Module,
) -> (wisp::interp::Store<()>, wisp::interp::Instance) {
    wisp_instantiate_with_dummies_config(module, wisp::interp::Config::default())
}

/// wisp: the module as `wisp_instantiate_with_dummies` gives it, in a store
/// with `config`.
pub fn wisp_instantiate_with_dummies_config(
    module: &wisp::interp::Module,
    config: wisp::interp::Config,
) -> (wisp::interp::Store<()>, wisp::interp::Instance) {
    let linker = wisp_dummy_linker(module);
    let mut store = wisp::interp::Store::with_config(config, ());
    let instance = linker
        .instantiate(&mut store, module)
        .expect("wisp: instantiate");
    (store, instance)
}

/// wisp: a linker defining each function import of `module` as a trapping stub.
pub fn wisp_dummy_linker(module: &wisp::interp::Module) -> wisp::interp::Linker<()> {
    use wisp::interp::{ExternType, Linker, Trap};
    let mut linker = Linker::new();
    for (m, name, ty) in module.imports() {
        let ExternType::Func(ty) = ty else {
            panic!("bench module imports a non-function {m}::{name}")
        };
        let what = format!("unexpected host call {m}::{name}");
        linker.func_new(m, name, ty, move |_, _, _| Err(Trap::host(what.clone())));
    }
    linker
}

// --------------------------------------------------------------- wasmi side

/// wasmi's engine as the benches use it: wasmi's defaults, except eager
/// compilation, so `wasmi::Module::new` validates and translates every function
/// as wisp's `Module::new` does (the `translate` group also shows wasmi's
/// default lazy mode separately).
pub fn wasmi_engine() -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config.compilation_mode(wasmi::CompilationMode::Eager);
    wasmi::Engine::new(&config)
}

/// `wasmi_engine` with fuel metering on.
pub fn wasmi_engine_fuel() -> wasmi::Engine {
    let mut config = wasmi::Config::default();
    config.compilation_mode(wasmi::CompilationMode::Eager);
    config.consume_fuel(true);
    wasmi::Engine::new(&config)
}

/// wisp's store configuration with fuel metering on (the `wisp-fuel` ids).
pub fn wisp_config_fuel() -> wisp::interp::Config {
    wisp::interp::Config {
        consume_fuel: true,
        ..wisp::interp::Config::default()
    }
}

/// wasmi's engine with its default configuration (lazy translation).
pub fn wasmi_engine_lazy() -> wasmi::Engine {
    wasmi::Engine::default()
}

/// wasmi: the module, instantiated in a fresh store with every import a
/// function that traps.
pub fn wasmi_instantiate_with_dummies(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
) -> (wasmi::Store<()>, wasmi::Instance) {
    let linker = wasmi_dummy_linker(engine, module);
    let mut store = wasmi::Store::new(engine, ());
    let instance = linker
        .instantiate_and_start(&mut store, module)
        .expect("wasmi: instantiate");
    (store, instance)
}

/// wasmi: a linker defining each function import of `module` as a trapping stub.
pub fn wasmi_dummy_linker(engine: &wasmi::Engine, module: &wasmi::Module) -> wasmi::Linker<()> {
    let mut linker = wasmi::Linker::new(engine);
    for import in module.imports() {
        let wasmi::ExternType::Func(ty) = import.ty() else {
            panic!(
                "bench module imports a non-function {}::{}",
                import.module(),
                import.name()
            )
        };
        let what = format!(
            "unexpected host call {}::{}",
            import.module(),
            import.name()
        );
        linker
            .func_new(
                import.module(),
                import.name(),
                ty.clone(),
                move |_, _, _| Err(wasmi::Error::new(what.clone())),
            )
            .expect("wasmi: define dummy import");
    }
    linker
}
