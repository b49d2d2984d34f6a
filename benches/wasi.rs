//! The `wasi` group: whole small WASI programs (`fixtures/bench/wasi_io.c`) run
//! on wisp's `Wasi` facade and on `wasmi_wasi`, ids `wisp/<case>` and
//! `wasmi/<case>`. One iteration is everything a host does to run the program
//! once: build the WASI context (args, stdio sinks, one preopened directory),
//! a linker and a store, instantiate, run `_start`. The module is compiled once.
//!
//! Each case is first run once on each runtime with stderr captured: both must
//! exit 0 and print the same checksum line. A runtime that fails is reported and
//! left out of the group (the other is still measured), so a missing WASI
//! function does not stop the run.

mod common;

use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::path::Path;
use std::sync::{Arc, RwLock};

/// `(mode, iterations)`: see the header of `fixtures/bench/wasi_io.c`.
const CASES: &[(&str, u32)] = &[
    ("stdout", 10_000), // 10k fd_write of 64 bytes to a sink
    ("write", 256),     // 1 MiB to a new file in 4 KiB writes
    ("read", 4),        // 4 x 1 MiB in 4 KiB reads (+ seek)
    ("stat", 1_000),    // 1k x (open, fstat, close, stat by path)
    ("readdir", 200),   // 200 x (opendir, readdir 102 entries, closedir)
];

/// The preopened directory: `in.bin` (1 MiB) and `dir/` with 100 small files.
fn make_sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let data: Vec<u8> = (0..1u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(dir.path().join("in.bin"), data).unwrap();
    std::fs::create_dir(dir.path().join("dir")).unwrap();
    for i in 0..100 {
        std::fs::write(dir.path().join(format!("dir/f{i}")), vec![b'x'; i]).unwrap();
    }
    dir
}

fn args(mode: &str, n: u32) -> Vec<String> {
    vec!["wasi_io".into(), mode.into(), n.to_string()]
}

/// wisp: one whole run; `stderr` captures the guest's stderr when given.
fn wisp_run(
    module: &wisp::Module,
    sandbox: &Path,
    args: &[String],
    stderr: Option<wisp::SharedBuffer>,
) -> Result<i32, String> {
    use wisp::{Stdio, Wasi, WasiVersion};
    let wasi = Wasi::builder(WasiVersion::Preview1)
        .args(args.iter().cloned())
        .preopen("/sandbox", sandbox)
        .stdin(Stdio::Null)
        .stdout(Stdio::Null)
        .stderr(stderr.map_or(Stdio::Null, Stdio::Capture))
        .build()
        .map_err(|e| e.to_string())?;
    common::wisp_start(wasi, module)
}

/// wasmi + wasmi_wasi: one whole run; `stderr` captures the guest's stderr when given.
fn wasmi_run(
    engine: &wasmi::Engine,
    module: &wasmi::Module,
    sandbox: &Path,
    args: &[String],
    stderr: Option<Arc<RwLock<Vec<u8>>>>,
) -> Result<i32, String> {
    use wasmi_wasi::wasi_common::pipe::{ReadPipe, WritePipe};
    use wasmi_wasi::{Dir, WasiCtxBuilder, ambient_authority};
    let mut b = WasiCtxBuilder::new();
    b.args(args).map_err(|e| e.to_string())?;
    b.stdin(Box::new(ReadPipe::new(std::io::empty())));
    b.stdout(Box::new(WritePipe::new(std::io::sink())));
    match stderr {
        Some(buf) => b.stderr(Box::new(WritePipe::from_shared(buf))),
        None => b.stderr(Box::new(WritePipe::new(std::io::sink()))),
    };
    let dir = Dir::open_ambient_dir(sandbox, ambient_authority()).map_err(|e| e.to_string())?;
    b.preopened_dir(dir, "/sandbox")
        .map_err(|e| e.to_string())?;
    let ctx = b.build();
    common::wasmi_start(engine, module, ctx)
}

/// The guest's summary line, if the run succeeded.
fn checked(result: Result<i32, String>, stderr: &[u8]) -> Result<String, String> {
    let text = String::from_utf8_lossy(stderr);
    match result {
        Ok(0) => text
            .lines()
            .find(|l| l.contains("checksum="))
            .map(str::to_string)
            .ok_or_else(|| format!("no checksum line; stderr: {text:?}")),
        Ok(code) => Err(format!("exit code {code}; stderr: {text:?}")),
        Err(e) => Err(format!("{e}; stderr: {text:?}")),
    }
}

fn wasi(c: &mut Criterion) {
    let sandbox = make_sandbox();
    let dir = sandbox.path();
    let wisp_module = wisp::Module::new(common::WASI_IO).expect("wisp: wasi_io.wasm");
    let engine = common::wasmi_engine();
    let wasmi_module = wasmi::Module::new(&engine, common::WASI_IO).expect("wasmi: wasi_io.wasm");

    let mut g = c.benchmark_group("wasi");
    g.sampling_mode(SamplingMode::Flat);
    for &(mode, n) in CASES {
        let argv = args(mode, n);
        let wisp_err = wisp::SharedBuffer::new();
        let wisp_ok = checked(
            wisp_run(&wisp_module, dir, &argv, Some(wisp_err.clone())),
            &wisp_err.contents(),
        );
        let wasmi_err = Arc::new(RwLock::new(Vec::new()));
        let wasmi_ok = checked(
            wasmi_run(&engine, &wasmi_module, dir, &argv, Some(wasmi_err.clone())),
            &wasmi_err.read().unwrap(),
        );
        let (run_wisp, run_wasmi) =
            common::runnable(&format!("wasi/{mode}"), "output", &wisp_ok, &wasmi_ok);
        if run_wisp {
            g.bench_function(BenchmarkId::new("wisp", mode), |b| {
                b.iter(|| assert_eq!(wisp_run(&wisp_module, dir, &argv, None), Ok(0)))
            });
        }
        if run_wasmi {
            g.bench_function(BenchmarkId::new("wasmi", mode), |b| {
                b.iter(|| assert_eq!(wasmi_run(&engine, &wasmi_module, dir, &argv, None), Ok(0)))
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = wasi
}
criterion_main!(benches);
