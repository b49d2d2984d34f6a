//! Resource limits: an embedder's `ResourceLimiter` is asked before memories
//! and tables grow or are made, and `StoreLimits` keeps a store-wide budget.
//! Exceeding a limit is an error or -1 from `memory.grow`, never an abort.

use std::sync::{Arc, Mutex};
use wisp::interp::{
    Error, ErrorKind, Limits, Linker, Memory, MemoryType, Module, ResourceLimiter, Store,
    StoreLimitsBuilder, Table, TableType, TrapKind, Val, ValType,
};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module is valid")
}

const GROWER: &str = r#"(module
    (memory (export "memory") 1 100)
    (table (export "table") 1 50 funcref)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "tgrow") (param i32) (result i32)
        (table.grow (ref.null func) (local.get 0))))"#;

/// Records every question and answers from a script.
#[derive(Clone, Default)]
struct Recorder {
    asked: Arc<Mutex<Vec<String>>>,
    /// Refuse memories above this many bytes; fail (error) at exactly `fail_at`.
    allow_bytes: usize,
    fail_at: Option<usize>,
}

impl ResourceLimiter for Recorder {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, Error> {
        self.asked
            .lock()
            .unwrap()
            .push(format!("mem {current}->{desired} max {maximum:?}"));
        if Some(desired) == self.fail_at {
            return Err(Module::new(b"not a module").unwrap_err());
        }
        Ok(desired <= self.allow_bytes)
    }

    fn table_growing(
        &mut self,
        current: u32,
        desired: u32,
        maximum: Option<u32>,
    ) -> Result<bool, Error> {
        self.asked
            .lock()
            .unwrap()
            .push(format!("table {current}->{desired} max {maximum:?}"));
        Ok(desired <= 3)
    }
}

const PAGE: usize = 65536;

#[test]
fn the_limiter_is_asked_with_current_desired_and_maximum() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let mut store = Store::new(());
    store.set_limiter(Recorder {
        asked: asked.clone(),
        allow_bytes: 4 * PAGE,
        fail_at: Some(10 * PAGE),
    });
    let inst = Linker::new()
        .instantiate(&mut store, &module(GROWER))
        .unwrap();
    let grow = inst.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let tgrow = inst.get_typed_func::<i32, i32>(&store, "tgrow").unwrap();
    assert_eq!(grow.call(&mut store, 3).unwrap(), 1, "1 -> 4 pages allowed");
    assert_eq!(grow.call(&mut store, 1).unwrap(), -1, "5 pages refused");
    assert_eq!(grow.call(&mut store, 200).unwrap(), -1, "past the maximum");
    assert_eq!(
        tgrow.call(&mut store, 2).unwrap(),
        1,
        "1 -> 3 elements allowed"
    );
    assert_eq!(tgrow.call(&mut store, 1).unwrap(), -1, "4 refused");
    let mem = inst.get_memory(&store, "memory").unwrap();
    assert_eq!(mem.size(&store), 4);
    assert!(matches!(
        mem.grow(&mut store, 1).unwrap_err().kind(),
        ErrorKind::Limit(_)
    ));
    // A limiter error inside wasm is a trap carrying it.
    let trap = grow.call(&mut store, 6).unwrap_err();
    assert!(matches!(trap.kind(), TrapKind::Host(_)), "{trap}");
    assert!(trap.to_string().contains("magic"), "{trap}");
    assert_eq!(mem.size(&store), 4);
    let asked = asked.lock().unwrap().clone();
    assert_eq!(
        asked,
        [
            format!("mem 0->{PAGE} max Some({})", 100 * PAGE),
            "table 0->1 max Some(50)".to_string(),
            format!("mem {PAGE}->{} max Some({})", 4 * PAGE, 100 * PAGE),
            format!("mem {}->{} max Some({})", 4 * PAGE, 5 * PAGE, 100 * PAGE),
            // 4 + 200 pages exceeds the maximum: refused before the limiter is asked.
            "table 1->3 max Some(50)".to_string(),
            "table 3->4 max Some(50)".to_string(),
            format!("mem {}->{} max Some({})", 4 * PAGE, 5 * PAGE, 100 * PAGE),
            format!("mem {}->{} max Some({})", 4 * PAGE, 10 * PAGE, 100 * PAGE),
        ]
    );
}

#[test]
fn a_limiter_can_refuse_creation() {
    let mut store = Store::new(());
    store.set_limiter(Recorder {
        allow_bytes: 0,
        ..Recorder::default()
    });
    let e = Linker::new()
        .instantiate(&mut store, &module(GROWER))
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{e}");
    let e = Memory::new(
        &mut store,
        MemoryType {
            limits: Limits { min: 1, max: None },
        },
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{e}");
    // An empty memory needs no permission.
    Memory::new(
        &mut store,
        MemoryType {
            limits: Limits { min: 0, max: None },
        },
    )
    .unwrap();
}

#[test]
fn store_limits_budget_memory_over_every_memory_of_the_store() {
    let m = module(
        r#"(module (memory (export "memory") 2)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let mut store = Store::new(());
    store.set_limiter(StoreLimitsBuilder::new().memory_bytes(5 * PAGE).build());
    let a = Linker::new().instantiate(&mut store, &m).unwrap();
    let b = Linker::new().instantiate(&mut store, &m).unwrap();
    // 4 of 5 pages used: a third instance does not fit.
    let e = Linker::new().instantiate(&mut store, &m).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Limit(_)), "{e}");
    let grow_a = a.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    let grow_b = b.get_typed_func::<i32, i32>(&store, "grow").unwrap();
    assert_eq!(grow_b.call(&mut store, 2).unwrap(), -1, "6 pages > 5");
    assert_eq!(grow_a.call(&mut store, 1).unwrap(), 2, "5 pages fit");
    assert_eq!(
        grow_b.call(&mut store, 1).unwrap(),
        -1,
        "the budget is spent"
    );
    // Even a huge request is -1, never an abort.
    assert_eq!(grow_a.call(&mut store, 65535).unwrap(), -1);
    assert_eq!(grow_a.call(&mut store, -1).unwrap(), -1);
}

#[test]
fn store_limits_count_instances_memories_tables_and_table_elements() {
    let plain = module(r#"(module (func (export "f")))"#);
    let mut store = Store::new(());
    store.set_limiter(StoreLimitsBuilder::new().instances(2).build());
    Linker::new().instantiate(&mut store, &plain).unwrap();
    Linker::new().instantiate(&mut store, &plain).unwrap();
    let e = Linker::new().instantiate(&mut store, &plain).unwrap_err();
    assert!(e.to_string().contains("at most 2 instances"), "{e}");

    let with_mem = module(r#"(module (memory 0))"#);
    let mut store = Store::new(());
    store.set_limiter(StoreLimitsBuilder::new().memories(1).build());
    Linker::new().instantiate(&mut store, &with_mem).unwrap();
    let e = Linker::new()
        .instantiate(&mut store, &with_mem)
        .unwrap_err();
    assert!(e.to_string().contains("at most 1 memories"), "{e}");

    let tty = TableType {
        element: ValType::FuncRef,
        limits: Limits { min: 4, max: None },
    };
    let mut store = Store::new(());
    store.set_limiter(
        StoreLimitsBuilder::new()
            .tables(2)
            .table_elements(10)
            .build(),
    );
    let t = Table::new(&mut store, tty, Val::FuncRef(None)).unwrap();
    Table::new(&mut store, tty, Val::FuncRef(None)).unwrap();
    let e = Table::new(&mut store, tty, Val::FuncRef(None)).unwrap_err();
    assert!(e.to_string().contains("at most 2 tables"), "{e}");
    // 8 of 10 elements: 2 more fit, 3 do not.
    assert!(t.grow(&mut store, 3, Val::FuncRef(None)).is_err());
    assert_eq!(t.grow(&mut store, 2, Val::FuncRef(None)).unwrap(), 4);
}

/// The README's "running code you did not write" example, on a spinning job.
#[test]
fn readme_bounded_guest_example() -> Result<(), Box<dyn std::error::Error>> {
    use std::time::Duration;
    use wisp::{Config, StoreLimitsBuilder, TrapKind, WatModule};

    let config = Config {
        consume_fuel: true,
        interruptible: true,
        ..Config::default()
    };
    let mut store = Store::with_config(config, ());
    store.set_fuel(1_000_000)?;
    store.set_limiter(
        StoreLimitsBuilder::new()
            .memory_bytes(64 << 20)
            .instances(4)
            .build(),
    );
    let _deadline = store.interrupt_handle()?.deadline(Duration::from_secs(5))?;
    let job = Module::from_wat(r#"(module (func (export "run") (loop (br 0))))"#)?;
    let instance = Linker::new().instantiate(&mut store, &job)?;
    let stopped = match instance
        .get_typed_func::<(), ()>(&store, "run")?
        .call(&mut store, ())
    {
        Err(t) if matches!(t.kind(), TrapKind::OutOfFuel | TrapKind::DeadlineExceeded) => true,
        other => {
            other?;
            false
        }
    };
    assert!(stopped, "the spinning job was not stopped");
    Ok(())
}
