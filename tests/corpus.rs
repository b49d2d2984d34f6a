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

// The benches' loading code: the same WASI runs on wisp and on wasmi.
#[path = "../benches/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bench")
}

/// The program's exit code and stdout on wisp.
fn wisp_output(wasm: &Path, argv: &[&str]) -> Result<(i32, Vec<u8>), String> {
    let module = wisp::Module::from_file(wasm).map_err(|e| e.to_string())?;
    let out = wisp::SharedBuffer::new();
    let code = common::wisp_run(&module, argv, Some(&out))?;
    Ok((code, out.contents()))
}

/// The same on wasmi 2.0 with wasmi_wasi.
fn wasmi_output(wasm: &Path, argv: &[&str]) -> Result<(i32, Vec<u8>), String> {
    let bytes = std::fs::read(wasm).map_err(|e| e.to_string())?;
    let engine = common::wasmi_engine();
    let module = wasmi::Module::new(&engine, &bytes[..]).map_err(|e| e.to_string())?;
    let out = Arc::new(RwLock::new(Vec::new()));
    let code = common::wasmi_run(&engine, &module, argv, Some(out.clone()))?;
    let out = out.read().map_err(|e| e.to_string())?.clone();
    Ok((code, out))
}

/// Runs `wasm` with `args` on both runtimes: both exit 0 with the same,
/// non-empty stdout.
fn agrees_with_wasmi(wasm: &Path, args: &[&str]) {
    let name = wasm.display();
    let argv: Vec<&str> = std::iter::once("prog")
        .chain(args.iter().copied())
        .collect();
    let (code, out) = wisp_output(wasm, &argv).unwrap_or_else(|e| panic!("{name} on wisp: {e}"));
    let (want_code, want) =
        wasmi_output(wasm, &argv).unwrap_or_else(|e| panic!("{name} on wasmi: {e}"));
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
