//! Store isolation: every handle is checked against the store it is used
//! with, and stores, handles, modules and linkers can move between threads.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use wisp::interp::{
    ErrorKind, ExternRef, Func, Global, Instance, Limits, Linker, Memory, MemoryType, Module,
    Mutability, Store, Table, TableType, TypedFunc, Val, ValType,
};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module is valid")
}

const OBJECTS: &str = r#"(module
    (memory (export "memory") 1)
    (table (export "table") 2 funcref)
    (global (export "global") (mut i32) (i32.const 7))
    (func $f (export "f") (result i32) (i32.const 1))
    (elem (i32.const 0) $f))"#;

/// Store A with an instance of `OBJECTS`, and store B, which also has one
/// (so that every index used below exists in B too: a bare index would
/// silently reach B's object).
fn two_stores() -> (Store<()>, Instance, Store<()>) {
    let (a, ia, b, _) = two_stores_full();
    (a, ia, b)
}

/// As `two_stores`, also giving B's instance.
fn two_stores_full() -> (Store<()>, Instance, Store<()>, Instance) {
    let m = module(OBJECTS);
    let mut a = Store::new(());
    let ia = Linker::new().instantiate(&mut a, &m).unwrap();
    let mut b = Store::new(());
    let ib = Linker::new().instantiate(&mut b, &m).unwrap();
    (a, ia, b, ib)
}

/// Runs `f`, which must panic with a message naming a handle of another store.
#[track_caller]
fn panics_naming_the_misuse<R>(what: &str, f: impl FnOnce() -> R) {
    let err = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("{what}: used with another store, it did not panic"),
        Err(e) => e,
    };
    let msg = err
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default();
    assert!(
        msg.contains("handle of store #") && msg.contains("did not make it"),
        "{what}: the panic does not name the misuse: {msg}"
    );
}

#[track_caller]
fn foreign_error<T: std::fmt::Debug>(what: &str, r: Result<T, wisp::interp::Error>) {
    let e = r.expect_err(what);
    assert!(
        matches!(e.kind(), ErrorKind::ForeignHandle(_)),
        "{what}: expected a ForeignHandle error, got {e}"
    );
    assert!(e.to_string().contains("wrong store"), "{what}: {e}");
}

#[test]
fn memory_handles_are_checked() {
    let (a, ia, mut b, ib) = two_stores_full();
    let mem = ia.get_memory(&a, "memory").unwrap();
    assert!(mem.belongs_to(&a) && !mem.belongs_to(&b));
    panics_naming_the_misuse("Memory::ty", || mem.ty(&b));
    panics_naming_the_misuse("Memory::size", || mem.size(&b));
    panics_naming_the_misuse("Memory::data", || mem.data(&b).len());
    panics_naming_the_misuse("Memory::data_mut", || mem.data_mut(&mut b)[0] = 1);
    panics_naming_the_misuse("Memory::data_and_store_mut", || {
        mem.data_and_store_mut(&mut b).0.len()
    });
    foreign_error("Memory::grow", mem.grow(&mut b, 1));
    // Nothing of B's memory was touched or grown.
    let mb = ib.get_memory(&b, "memory").unwrap();
    assert_eq!(mb.size(&b), 1);
    assert_eq!(mb.data(&b)[0], 0);
}

#[test]
fn table_global_func_and_instance_handles_are_checked() {
    let (a, ia, mut b) = two_stores();
    let table = ia.get_table(&a, "table").unwrap();
    panics_naming_the_misuse("Table::ty", || table.ty(&b));
    panics_naming_the_misuse("Table::size", || table.size(&b));
    panics_naming_the_misuse("Table::get", || table.get(&b, 0));
    foreign_error("Table::set", table.set(&mut b, 0, Val::FuncRef(None)));
    foreign_error("Table::grow", table.grow(&mut b, 1, Val::FuncRef(None)));

    let global = ia.get_global(&a, "global").unwrap();
    panics_naming_the_misuse("Global::ty", || global.ty(&b));
    panics_naming_the_misuse("Global::get", || global.get(&b));
    foreign_error("Global::set", global.set(&mut b, Val::I32(1)));

    let f = ia.get_func(&a, "f").unwrap();
    panics_naming_the_misuse("Func::ty", || f.ty(&b));
    panics_naming_the_misuse("Func::provider", || f.provider(&b));
    foreign_error("Func::call", f.call(&mut b, &[], &mut [Val::I32(0)]));
    foreign_error("Func::typed", f.typed::<(), i32>(&b));
    let typed: TypedFunc<(), i32> = f.typed(&a).unwrap();
    let trap = typed
        .call(&mut b, ())
        .expect_err("a typed call in another store");
    assert!(trap.to_string().contains("wrong store"), "{trap}");

    panics_naming_the_misuse("Instance::get_export", || ia.get_export(&b, "f"));
    panics_naming_the_misuse("Instance::exports", || ia.exports(&b).count());
    panics_naming_the_misuse("Instance::imports", || ia.imports(&b).count());
    panics_naming_the_misuse("Instance::get_func", || ia.get_func(&b, "f"));
    foreign_error(
        "Instance::get_typed_func",
        ia.get_typed_func::<(), i32>(&b, "f"),
    );

    let r = ExternRef::new(&mut { a }, 5u32);
    panics_naming_the_misuse("ExternRef::data", || r.data(&b).type_id());
}

#[test]
fn references_inside_values_are_checked() {
    let (mut a, ia, mut b) = two_stores();
    let fa = ia.get_func(&a, "f").unwrap();
    // A funcref of A stored into B's table, global, or passed as an argument.
    let tb = Table::new(
        &mut b,
        TableType {
            element: ValType::FuncRef,
            limits: Limits { min: 1, max: None },
        },
        Val::FuncRef(None),
    )
    .unwrap();
    foreign_error(
        "Table::set(foreign funcref)",
        tb.set(&mut b, 0, Val::FuncRef(Some(fa))),
    );
    foreign_error(
        "Table::new(foreign init)",
        Table::new(
            &mut b,
            TableType {
                element: ValType::FuncRef,
                limits: Limits { min: 1, max: None },
            },
            Val::FuncRef(Some(fa)),
        ),
    );
    panics_naming_the_misuse("Global::new(foreign funcref)", || {
        Global::new(&mut b, Val::FuncRef(Some(fa)), Mutability::Const)
    });
    let takes =
        module(r#"(module (func (export "id") (param funcref) (result funcref) (local.get 0)))"#);
    let ib = Linker::new().instantiate(&mut b, &takes).unwrap();
    let id = ib.get_func(&b, "id").unwrap();
    let mut out = [Val::FuncRef(None)];
    foreign_error(
        "Func::call(foreign funcref argument)",
        id.call(&mut b, &[Val::FuncRef(Some(fa))], &mut out),
    );
    // A's own funcrefs still work in A.
    let ia2 = Linker::new().instantiate(&mut a, &takes).unwrap();
    let id_a = ia2.get_func(&a, "id").unwrap();
    id_a.call(&mut a, &[Val::FuncRef(Some(fa))], &mut out)
        .unwrap();
    assert_eq!(out[0], Val::FuncRef(Some(fa)));
    // A typed call whose argument is a foreign funcref.
    let typed = ib
        .get_typed_func::<Option<Func>, Option<Func>>(&b, "id")
        .unwrap();
    assert!(typed.call(&mut b, Some(fa)).is_err());
    // A host function returning a funcref of another store traps.
    let mut linker = Linker::new();
    linker.func_wrap("env", "give", move || Some(fa));
    let gives = module(
        r#"(module (import "env" "give" (func $g (result funcref)))
            (func (export "run") (result funcref) (call $g)))"#,
    );
    let ig = linker.instantiate(&mut b, &gives).unwrap();
    let run = ig.get_typed_func::<(), Option<Func>>(&b, "run").unwrap();
    let trap = run.call(&mut b, ()).unwrap_err();
    assert!(trap.to_string().contains("wrong store"), "{trap}");
}

#[test]
fn a_linker_definition_from_another_store_is_refused_at_instantiation() {
    let mut a = Store::new(());
    let mem = Memory::new(
        &mut a,
        MemoryType {
            limits: Limits { min: 1, max: None },
        },
    )
    .unwrap();
    let mut linker = Linker::new();
    linker.define("env", "memory", mem);
    let m = module(r#"(module (import "env" "memory" (memory 1)))"#);
    linker
        .instantiate(&mut a, &m)
        .expect("A's own memory links in A");
    let mut b = Store::new(());
    let e = linker.instantiate(&mut b, &m).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::ForeignHandle(_)), "{e}");
    assert!(e.to_string().contains("env::memory"), "{e}");
    panics_naming_the_misuse("Linker::get", || linker.get(&mut b, "env", "memory"));
}

#[test]
fn handles_used_with_an_empty_store_name_the_misuse() {
    let (a, ia, _) = two_stores();
    let mut empty = Store::new(());
    let mem = ia.get_memory(&a, "memory").unwrap();
    panics_naming_the_misuse("Memory::data on an empty store", || mem.data(&empty).len());
    let f = ia.get_func(&a, "f").unwrap();
    foreign_error(
        "Func::call on an empty store",
        f.call(&mut empty, &[], &mut [Val::I32(0)]),
    );
}

#[test]
fn stores_handles_modules_and_linkers_cross_threads() {
    fn send<T: Send>() {}
    fn sync<T: Sync>() {}
    fn copy<T: Copy>() {}
    send::<Store<()>>();
    send::<Store<Vec<String>>>();
    macro_rules! handle {
        ($($t:ty),*) => {$( send::<$t>(); sync::<$t>(); copy::<$t>(); )*};
    }
    handle!(
        Func,
        Memory,
        Table,
        Global,
        Instance,
        ExternRef,
        wisp::interp::Extern,
        Val
    );
    send::<Module>();
    sync::<Module>();
    send::<Linker<()>>();
    sync::<Linker<()>>();
    send::<TypedFunc<i32, i32>>();
    sync::<TypedFunc<i32, i32>>();
    send::<wisp::interp::Error>();
    sync::<wisp::interp::Error>();
}

const COUNTER: &str = r#"(module
    (global $n (mut i32) (i32.const 0))
    (func (export "bump") (param i32) (result i32)
        (global.set $n (i32.add (global.get $n) (local.get 0)))
        (global.get $n)))"#;

#[test]
fn a_live_store_moves_between_threads_mid_life() {
    let m = module(COUNTER);
    let mut store = Store::new(String::from("tenant"));
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let bump = inst.get_typed_func::<i32, i32>(&store, "bump").unwrap();
    assert_eq!(bump.call(&mut store, 1).unwrap(), 1);
    // Out to a thread and back, twice: the instance's state travels with it.
    for round in 0..2 {
        store = std::thread::spawn(move || {
            assert_eq!(bump.call(&mut store, 10).unwrap(), 11 + 20 * round);
            store
        })
        .join()
        .unwrap();
        assert_eq!(bump.call(&mut store, 10).unwrap(), 21 + 20 * round);
    }
    assert_eq!(store.data(), "tenant");
}

#[test]
fn stores_run_from_a_pool_of_worker_threads() {
    let m = module(COUNTER);
    let linker = Linker::<u32>::new();
    // 32 stores, each instantiated once; a pool of 4 workers takes them in
    // turn for several rounds, so each store runs on many threads.
    let mut stores: Vec<(Store<u32>, TypedFunc<i32, i32>)> = (0..32u32)
        .map(|i| {
            let mut s = Store::new(i);
            let inst = linker.instantiate(&mut s, &m).unwrap();
            let f = inst.get_typed_func::<i32, i32>(&s, "bump").unwrap();
            (s, f)
        })
        .collect();
    for _round in 0..5 {
        let (job_tx, job_rx) = mpsc::channel::<(Store<u32>, TypedFunc<i32, i32>)>();
        let job_rx = std::sync::Arc::new(std::sync::Mutex::new(job_rx));
        let (done_tx, done_rx) = mpsc::channel();
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let rx = job_rx.clone();
                let tx = done_tx.clone();
                std::thread::spawn(move || {
                    loop {
                        let job = rx.lock().unwrap().recv();
                        let Ok((mut s, f)) = job else { break };
                        let k = *s.data() as i32 + 1;
                        f.call(&mut s, k).unwrap();
                        tx.send((s, f)).unwrap();
                    }
                })
            })
            .collect();
        for job in stores.drain(..) {
            job_tx.send(job).unwrap();
        }
        drop(job_tx);
        drop(done_tx);
        stores = done_rx.iter().collect();
        for w in workers {
            w.join().unwrap();
        }
    }
    assert_eq!(stores.len(), 32);
    for (mut s, f) in stores {
        // Each store was bumped by (its data + 1) five times, whichever thread ran it.
        let k = *s.data() as i32 + 1;
        assert_eq!(f.call(&mut s, 0).unwrap(), 5 * k);
    }
}
