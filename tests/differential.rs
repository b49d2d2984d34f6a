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
