//! The interpreter's host API: typed host functions, linking errors, limits,
//! traps with backtraces, standalone objects, re-entry.

use wisp::interp::{
    Caller, Config, ErrorKind, Extern, Func, Global, Limits, Linker, Memory, MemoryType, Module,
    Mutability, Store, Table, TableType, Trap, TrapKind, Val, ValType,
};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module is valid")
}

fn fixture(name: &str) -> Module {
    Module::from_file(format!(
        "{}/fixtures/wasm/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture loads")
}

#[test]
fn typed_host_functions_see_caller_data_and_memory() {
    let m = module(
        r#"(module
            (import "env" "note" (func $note (param i32 i32)))
            (memory (export "memory") 1)
            (data (i32.const 8) "hello")
            (func (export "run") (call $note (i32.const 8) (i32.const 5))))"#,
    );
    let mut store = Store::new(Vec::<String>::new());
    let mut linker = Linker::new();
    linker.func_wrap(
        "env",
        "note",
        |mut caller: Caller<'_, Vec<String>>, ptr: u32, len: u32| {
            let mem = caller.memory().expect("caller has a memory");
            let bytes = mem.data(&caller)[ptr as usize..(ptr + len) as usize].to_vec();
            caller.data_mut().push(String::from_utf8(bytes).unwrap());
        },
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    inst.get_typed_func::<(), ()>(&store, "run")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(store.data(), &vec!["hello".to_string()]);
}

#[test]
fn a_mistyped_host_import_is_a_link_error_naming_both_types() {
    let m = module(r#"(module (import "env" "f" (func (param i32) (result i32))))"#);
    let mut store = Store::new(());
    let mut linker = Linker::new();
    linker.func_wrap("env", "f", |x: i64| x);
    let err = linker.instantiate(&mut store, &m).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err.kind(), ErrorKind::Link { .. }), "{msg}");
    assert!(
        msg.contains("env::f") && msg.contains("[i32] -> [i32]") && msg.contains("[i64] -> [i64]"),
        "{msg}"
    );
}

#[test]
fn a_missing_import_is_a_link_error() {
    let m = module(r#"(module (import "env" "missing" (global i32)))"#);
    let err = Linker::<()>::new()
        .instantiate(Store::new(()), &m)
        .unwrap_err();
    assert!(err.to_string().contains("env::missing"), "{err}");
}

#[test]
fn a_million_nested_calls_end_in_a_stack_overflow_trap() {
    let m = fixture("recursion.wasm");
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let down = inst.get_typed_func::<i64, i64>(&store, "down").unwrap();
    let trap = down.call(&mut store, 1_000_000).unwrap_err();
    assert!(matches!(trap.kind(), TrapKind::StackOverflow), "{trap:?}");
    assert_eq!(trap.backtrace()[0].func_name.as_deref(), Some("down"));
    // The store stays usable after the trap.
    assert_eq!(down.call(&mut store, 10_000).unwrap(), 10_000);
}

#[test]
fn the_call_depth_limit_is_configurable() {
    let m = fixture("recursion.wasm");
    let mut store = Store::with_config(
        Config {
            max_call_depth: 100,
            ..Config::default()
        },
        (),
    );
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let down = inst.get_typed_func::<i64, i64>(&store, "down").unwrap();
    assert_eq!(down.call(&mut store, 50).unwrap(), 50);
    assert!(matches!(
        down.call(&mut store, 200).unwrap_err().kind(),
        TrapKind::StackOverflow
    ));
    // The limit is exact, and the same once the frame records have grown:
    // `down(n)` makes n nested calls below the entry frame.
    for _ in 0..2 {
        assert_eq!(down.call(&mut store, 100).unwrap(), 100);
        assert!(matches!(
            down.call(&mut store, 101).unwrap_err().kind(),
            TrapKind::StackOverflow
        ));
    }
}

#[test]
fn traps_carry_their_kind_and_a_named_backtrace() {
    let m = fixture("trap.wasm");
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let trap = inst
        .get_typed_func::<(), ()>(&store, "boom")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert!(matches!(trap.kind(), TrapKind::Unreachable));
    let names: Vec<_> = trap
        .backtrace()
        .iter()
        .map(|f| f.func_name.as_deref().unwrap_or("?"))
        .collect();
    assert_eq!(names, ["inner", "middle", "outer"]);
    assert_eq!(trap.backtrace()[0].module.as_deref(), Some("traps"));
    let div = inst
        .get_typed_func::<(i32, i32), i32>(&store, "div")
        .unwrap();
    assert!(matches!(
        div.call(&mut store, (1, 0)).unwrap_err().kind(),
        TrapKind::IntegerDivideByZero
    ));
    assert!(matches!(
        div.call(&mut store, (i32::MIN, -1)).unwrap_err().kind(),
        TrapKind::IntegerOverflow
    ));
    assert_eq!(div.call(&mut store, (-7, 2)).unwrap(), -3);
}

#[test]
fn memory_grow_keeps_the_base_and_respects_the_store_limit() {
    let m = module(
        r#"(module (memory (export "memory") 1)
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let mut store = Store::with_config(
        Config {
            max_memory_pages: 4,
            ..Config::default()
        },
        (),
    );
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let mem = inst.get_memory(&store, "memory").unwrap();
    let base = mem.data(&store).as_ptr();
    let grow = inst.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow.call(&mut store, 2).unwrap(), 1);
    assert_eq!(mem.data(&store).as_ptr(), base);
    assert_eq!(mem.size(&store), 3);
    assert_eq!(
        grow.call(&mut store, 2).unwrap(),
        -1,
        "past the store's limit"
    );
    assert_eq!(grow.call(&mut store, 1).unwrap(), 3);
}

#[test]
fn a_memory_larger_than_the_limit_is_an_instantiation_error() {
    let m = module(r#"(module (memory 10))"#);
    let mut store = Store::with_config(
        Config {
            max_memory_pages: 4,
            ..Config::default()
        },
        (),
    );
    let err = Linker::<()>::new().instantiate(&mut store, &m).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Limit(_)), "{err}");
}

#[test]
fn a_table_larger_than_the_limit_is_an_instantiation_error() {
    let m = module(r#"(module (table 1000 funcref))"#);
    let mut store = Store::with_config(
        Config {
            max_table_elements: 10,
            ..Config::default()
        },
        (),
    );
    let err = Linker::<()>::new().instantiate(&mut store, &m).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Limit(_)), "{err}");
}

#[test]
fn the_value_stack_limit_is_a_trap() {
    let m = fixture("recursion.wasm");
    let mut store = Store::with_config(
        Config {
            max_stack_slots: 10_000,
            ..Config::default()
        },
        (),
    );
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let down = inst.get_typed_func::<i64, i64>(&store, "down").unwrap();
    assert!(matches!(
        down.call(&mut store, 20_000).unwrap_err().kind(),
        TrapKind::StackOverflow
    ));
}

#[test]
fn standalone_memory_table_and_global_can_be_imported() {
    let m = module(
        r#"(module
            (import "host" "mem" (memory 1))
            (import "host" "tab" (table 2 funcref))
            (import "host" "counter" (global $c (mut i32)))
            (func $f (result i32) (i32.const 7))
            (elem (i32.const 1) $f)
            (func (export "bump") (global.set $c (i32.add (global.get $c) (i32.const 1)))
              (i32.store8 (i32.const 3) (i32.const 9))))"#,
    );
    let mut store = Store::new(());
    let mem = Memory::new(
        &mut store,
        MemoryType {
            limits: Limits { min: 1, max: None },
        },
    )
    .unwrap();
    let tab = Table::new(
        &mut store,
        TableType {
            element: ValType::FuncRef,
            limits: Limits { min: 2, max: None },
        },
        Val::FuncRef(None),
    )
    .unwrap();
    let g = Global::new(&mut store, Val::I32(41), Mutability::Var);
    let mut linker = Linker::new();
    linker
        .define("host", "mem", mem)
        .define("host", "tab", tab)
        .define("host", "counter", g);
    let inst = linker.instantiate(&mut store, &m).unwrap();
    inst.get_typed_func::<(), ()>(&store, "bump")
        .unwrap()
        .call(&mut store, ())
        .unwrap();
    assert_eq!(g.get(&store), Val::I32(42));
    assert_eq!(mem.data(&store)[3], 9);
    let Some(Val::FuncRef(Some(f))) = tab.get(&store, 1) else {
        panic!("the elem segment filled slot 1")
    };
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(7));
}

#[test]
fn untyped_calls_check_argument_types_and_counts() {
    let m = fixture("fib.wasm");
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let fib = inst.get_func(&store, "fib").unwrap();
    let mut out = [Val::I32(0)];
    let err = fib.call(&mut store, &[Val::I64(3)], &mut out).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Type(_)), "{err}");
    assert!(fib.call(&mut store, &[], &mut out).is_err());
    fib.call(&mut store, &[Val::I32(10)], &mut out).unwrap();
    assert_eq!(out[0], Val::I32(55));
    assert!(inst.get_typed_func::<i64, i32>(&store, "fib").is_err());
}

#[test]
fn host_errors_and_exit_requests_unwind_every_frame() {
    let m = module(
        r#"(module (import "env" "exit" (func $exit (param i32)))
            (func $deep (param i32) (if (local.get 0)
                (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
                (else (call $exit (i32.const 3)))))
            (func (export "run") (call $deep (i32.const 50))))"#,
    );
    let mut store = Store::new(());
    let mut linker = Linker::new();
    linker.func_wrap("env", "exit", |code: i32| -> Result<(), Trap> {
        Err(Trap::exit(code))
    });
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let trap = inst
        .get_typed_func::<(), ()>(&store, "run")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(trap.exit_status(), Some(3));
}

#[test]
fn host_functions_can_call_back_into_wasm() {
    let m = module(
        r#"(module (import "env" "twice" (func $twice (param i32) (result i32)))
            (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
            (func (export "run") (param i32) (result i32) (call $twice (local.get 0))))"#,
    );
    let mut store = Store::new(());
    let mut linker = Linker::new();
    linker.func_wrap(
        "env",
        "twice",
        |mut caller: Caller<'_, ()>, x: i32| -> Result<i32, Trap> {
            let Some(Extern::Func(inc)) = caller.get_export("inc") else {
                return Err(Trap::host("no inc"));
            };
            let inc = inc
                .typed::<i32, i32>(&caller)
                .map_err(|e| Trap::host(e.to_string()))?;
            let once = inc.call(&mut caller, x)?;
            inc.call(&mut caller, once)
        },
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    assert_eq!(
        inst.get_typed_func::<i32, i32>(&store, "run")
            .unwrap()
            .call(&mut store, 5)
            .unwrap(),
        7
    );
}

#[test]
fn unbounded_host_reentry_is_a_trap_not_a_host_stack_overflow() {
    let m = module(
        r#"(module (import "env" "again" (func $again))
            (func (export "run") (call $again)))"#,
    );
    let mut store = Store::new(());
    let mut linker = Linker::new();
    linker.func_wrap(
        "env",
        "again",
        |mut caller: Caller<'_, ()>| -> Result<(), Trap> {
            let run = caller
                .get_export("run")
                .and_then(Extern::into_func)
                .expect("run exported");
            run.typed::<(), ()>(&caller)
                .map_err(|e| Trap::host(e.to_string()))?
                .call(&mut caller, ())
        },
    );
    let inst = linker.instantiate(&mut store, &m).unwrap();
    let trap = inst
        .get_typed_func::<(), ()>(&store, "run")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert!(matches!(trap.kind(), TrapKind::StackOverflow), "{trap:?}");
}

#[test]
fn func_new_and_wrap_make_callable_host_functions() {
    let mut store = Store::new(10i64);
    let add = Func::wrap(&mut store, |caller: Caller<'_, i64>, x: i64| {
        x + *caller.data()
    });
    let ty = wisp::interp::FuncType::new([ValType::F64], [ValType::F64]);
    let half = Func::new(&mut store, ty, |_caller, args, out| {
        out[0] = Val::F64(args[0].f64().unwrap() / 2.0);
        Ok(())
    });
    assert_eq!(
        add.typed::<i64, i64>(&store)
            .unwrap()
            .call(&mut store, 5)
            .unwrap(),
        15
    );
    let mut out = [Val::F64(0.0)];
    half.call(&mut store, &[Val::F64(3.0)], &mut out).unwrap();
    assert_eq!(out[0], Val::F64(1.5));
}

#[test]
fn multi_value_results_come_back_in_order() {
    let m = fixture("multi.wasm");
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &m).unwrap();
    let swap = inst
        .get_typed_func::<(i32, i64), (i64, i32)>(&store, "swap")
        .unwrap();
    assert_eq!(swap.call(&mut store, (1, 2)).unwrap(), (2, 1));
    inst.get_typed_func::<i32, ()>(&store, "fill")
        .unwrap()
        .call(&mut store, 10)
        .unwrap();
    assert_eq!(
        inst.get_typed_func::<i32, i32>(&store, "sum")
            .unwrap()
            .call(&mut store, 10)
            .unwrap(),
        30
    );
    let fill = inst.get_typed_func::<i32, ()>(&store, "fill").unwrap();
    assert!(matches!(
        fill.call(&mut store, 65537).unwrap_err().kind(),
        TrapKind::MemoryOutOfBounds
    ));
}
