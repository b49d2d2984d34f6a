//! The bench programs as tests: every real program of
//! `fixtures/bench/corpus/` and every C workload of `fixtures/bench/` runs to
//! completion on wisp and prints what it prints on wasmi (the oracle, run in
//! the same test). The spec suites exercise each op alone; these runs
//! exercise what only whole programs do (deep call chains, first calls after
//! memory growth, table calls into untranslated code), on whichever dispatch
//! backend the build has (CI runs them on both).
//!
//! A corpus program takes about a second on an optimised build and far longer
//! on a debug one, so they are ignored (with the reason shown) when the tests
//! are not optimised.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use wisp::{Module, SharedBuffer, Stdio, Wasi, WasiVersion};

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bench")
}

/// The program's exit code and stdout on wisp.
fn wisp_output(wasm: &Path, args: &[&str]) -> Result<(i32, Vec<u8>), String> {
    let module = Module::from_file(wasm).map_err(|e| e.to_string())?;
    let out = SharedBuffer::new();
    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .arg("prog")
        .args(args.iter().copied())
        .stdin(Stdio::Null)
        .stdout(Stdio::Capture(out.clone()))
        .stderr(Stdio::Null)
        .build()
        .map_err(|e| e.to_string())?;
    let mut linker = wisp::Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = wisp::Store::new(());
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| e.to_string())?;
    let code = wasi
        .start(&mut store, instance)
        .map_err(|e| e.to_string())?;
    Ok((code, out.contents()))
}

/// The same on wasmi 2.0 with wasmi_wasi.
fn wasmi_output(wasm: &Path, args: &[&str]) -> Result<(i32, Vec<u8>), String> {
    use wasmi_wasi::WasiCtxBuilder;
    use wasmi_wasi::wasi_common::pipe::{ReadPipe, WritePipe};
    let bytes = std::fs::read(wasm).map_err(|e| e.to_string())?;
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &bytes[..]).map_err(|e| e.to_string())?;
    let out = Arc::new(RwLock::new(Vec::new()));
    let mut b = WasiCtxBuilder::new();
    let argv: Vec<String> = std::iter::once("prog")
        .chain(args.iter().copied())
        .map(String::from)
        .collect();
    b.args(&argv).map_err(|e| e.to_string())?;
    b.stdin(Box::new(ReadPipe::new(std::io::empty())));
    b.stdout(Box::new(WritePipe::from_shared(out.clone())));
    b.stderr(Box::new(WritePipe::new(std::io::sink())));
    let mut store = wasmi::Store::new(&engine, b.build());
    let mut linker = wasmi::Linker::<wasmi_wasi::WasiCtx>::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |cx| cx).map_err(|e| e.to_string())?;
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .map_err(|e| e.to_string())?;
    let start = instance
        .get_typed_func::<(), ()>(&store, "_start")
        .map_err(|e| e.to_string())?;
    let code = match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(e) => e.i32_exit_status().ok_or_else(|| e.to_string())?,
    };
    drop(store);
    let out = out.read().map_err(|e| e.to_string())?.clone();
    Ok((code, out))
}

/// Runs `wasm` with `args` on both runtimes: both exit 0 with the same,
/// non-empty stdout.
fn agrees_with_wasmi(wasm: &Path, args: &[&str]) {
    let name = wasm.display();
    let (code, out) = wisp_output(wasm, args).unwrap_or_else(|e| panic!("{name} on wisp: {e}"));
    let (want_code, want) =
        wasmi_output(wasm, args).unwrap_or_else(|e| panic!("{name} on wasmi: {e}"));
    assert_eq!(want_code, 0, "{name} fails on wasmi");
    assert!(!want.is_empty(), "{name} prints nothing on wasmi");
    assert_eq!(code, 0, "{name}: wisp's exit code");
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&want),
        "{name}: wisp's stdout against wasmi's"
    );
}

/// The corpus programs this file has a test for.
const CORPUS: &[&str] = &[
    "bzip2", "cppjson", "lua", "quickjs", "rustapp", "sqlite", "xz", "zlib", "zstd",
];

macro_rules! corpus_tests {
    ($($name:ident)*) => {$(
        #[test]
        #[cfg_attr(debug_assertions, ignore = "a whole program: needs an optimised build (cargo test --release)")]
        fn $name() {
            let n = stringify!($name);
            agrees_with_wasmi(&bench_dir().join(format!("corpus/{n}/{n}.wasm")), &[]);
        }
    )*};
}

mod program {
    use super::*;
    corpus_tests!(bzip2 cppjson lua quickjs rustapp sqlite xz zlib zstd);
}

#[test]
fn every_corpus_program_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(bench_dir().join("corpus"))
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let n = e.file_name().into_string().ok()?;
            e.path().join(format!("{n}.wasm")).is_file().then_some(n)
        })
        .collect();
    found.sort();
    assert_eq!(found, CORPUS, "add the program to CORPUS and corpus_tests!");
}

/// The C workloads with a small iteration count (the default is about a
/// second each); `wasi_io` needs a prepared directory and has its own bench.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "whole programs: needs an optimised build (cargo test --release)"
)]
fn c_workloads() {
    let mut ran = 0;
    for e in std::fs::read_dir(bench_dir()).unwrap() {
        let path = e.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|x| x == "wasm") && stem != "wasi_io" {
            agrees_with_wasmi(&path, &["2"]);
            ran += 1;
        }
    }
    assert!(ran >= 11, "{ran} C workloads");
}
