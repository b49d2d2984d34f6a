//! The `corpus` groups: the real programs of `fixtures/bench/corpus/` (zlib,
//! Lua, SQLite, ...), each run whole on wisp's `Wasi` facade and on
//! `wasmi_wasi`, one group `corpus/<program>` with the ids `wisp` and `wasmi`.
//! One iteration is one run of the program: a WASI context (no arguments, no
//! preopens, stdout captured), a linker, a store, instantiation and `_start`.
//! Each module is compiled once per runtime, outside the timing.
//!
//! The programs are found at run time (every `<name>/<name>.wasm` under the
//! corpus directory), so a new program needs no change here. Before measuring,
//! each program runs once on each runtime: both must exit 0 and print the same
//! stdout. A runtime that fails or disagrees is reported and left out of the
//! group (the other is still measured).
//!
//! One run takes about a second, so these groups use 10 samples of one
//! iteration each; `cargo bench --bench corpus -- corpus/zlib` runs one program.

mod common;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Every `<name>/<name>.wasm` of the corpus, sorted by name.
fn programs() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bench/corpus");
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let wasm = entry.path().join(format!("{name}.wasm"));
            wasm.is_file().then_some((name, wasm))
        })
        .collect();
    found.sort();
    found
}

/// The program's stdout if the run exited 0.
fn checked(result: Result<i32, String>, stdout: Vec<u8>) -> Result<Vec<u8>, String> {
    match result {
        Ok(0) => Ok(stdout),
        Ok(code) => Err(format!("exit code {code}")),
        Err(e) => Err(e),
    }
}

fn corpus(c: &mut Criterion) {
    let engine = common::wasmi_engine();
    for (name, path) in programs() {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let wisp_module = wisp::Module::new(&bytes).map_err(|e| e.to_string());
        let wasmi_module = wasmi::Module::new(&engine, &bytes).map_err(|e| e.to_string());

        let wisp_ok = wisp_module.as_ref().map_err(Clone::clone).and_then(|m| {
            let buf = wisp::SharedBuffer::new();
            checked(common::wisp_run(m, &[&name], Some(&buf)), buf.contents())
        });
        let wasmi_ok = wasmi_module.as_ref().map_err(Clone::clone).and_then(|m| {
            let buf = Arc::new(RwLock::new(Vec::new()));
            let r = common::wasmi_run(&engine, m, &[&name], Some(buf.clone()));
            let out = buf.read().unwrap().clone();
            checked(r, out)
        });
        let (run_wisp, run_wasmi) =
            common::runnable(&format!("corpus/{name}"), "stdout", &wisp_ok, &wasmi_ok);

        let mut g = c.benchmark_group(format!("corpus/{name}"));
        g.sampling_mode(SamplingMode::Flat);
        g.sample_size(10);
        g.warm_up_time(Duration::from_millis(1));
        g.measurement_time(Duration::from_secs(5));
        if let (true, Ok(m)) = (run_wisp, &wisp_module) {
            g.bench_function("wisp", |b| {
                b.iter(|| assert_eq!(common::wisp_run(m, &[&name], None), Ok(0)))
            });
        }
        if let (true, Ok(m)) = (run_wasmi, &wasmi_module) {
            g.bench_function("wasmi", |b| {
                b.iter(|| assert_eq!(common::wasmi_run(&engine, m, &[&name], None), Ok(0)))
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::criterion();
    targets = corpus
}
criterion_main!(benches);
