//! Multi-tenancy (issue 9, item 3): one `Wasi` serves exactly the instance it
//! was started with, and `wisp::wasi::add_to_linker` runs many instances from
//! one linker, each with its own `WasiCtx` in its store's data.

use std::path::Path;
use wisp::interp::{Linker, Module, Store, Trap, TrapKind};
use wisp::wasi::{WasiCtx, add_to_linker};
use wisp::{SharedBuffer, Stdio, Wasi, WasiVersion};

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module is valid")
}

fn hello() -> Module {
    Module::from_file(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wasm/hello.wasm"))
        .expect("hello.wasm loads")
}

/// Runs `_start` the way an embedder of the linker pattern does.
fn run_start<T>(store: &mut Store<T>, instance: wisp::Instance) -> Result<(), Trap> {
    instance
        .get_typed_func::<(), ()>(&*store, "_start")
        .expect("_start is exported")
        .call(store, ())
}

fn host_message(t: &Trap) -> String {
    match t.kind() {
        TrapKind::Host(e) => e.to_string(),
        other => panic!("expected a host trap, got {other:?}"),
    }
}

/// The reported bug: wasi1's functions in the linker, a second store
/// instantiated from it, and `wasi2.start` on that instance. It used to return
/// `Ok(0)` with guest 2 running against wasi1's args, fds and stdout.
#[test]
fn starting_an_instance_linked_with_another_wasis_functions_is_refused() {
    let module = hello();
    let (out1, out2) = (SharedBuffer::new(), SharedBuffer::new());
    let mut wasi1 = Wasi::builder(WasiVersion::Preview1)
        .args(["hello", "one"])
        .stdout(Stdio::Capture(out1.clone()))
        .build()
        .unwrap();
    let mut wasi2 = Wasi::builder(WasiVersion::Preview1)
        .args(["hello", "two"])
        .stdout(Stdio::Capture(out2.clone()))
        .build()
        .unwrap();
    let mut linker = Linker::new();
    wasi1.import_object().add_to_linker(&mut linker);
    let mut store1 = Store::new(());
    let inst1 = linker.instantiate(&mut store1, &module).unwrap();
    let mut store2 = Store::new(());
    let inst2 = linker.instantiate(&mut store2, &module).unwrap();

    let e = wasi2.start(&mut store2, inst2).unwrap_err();
    assert_eq!(e.code(), "ERR_WASI_FOREIGN_IMPORTS");
    assert!(
        matches!(&e, wisp::WasiError::ForeignImports { import }
            if import.starts_with("wasi_snapshot_preview1::")),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("not a function of this WASI instance"),
        "{e}"
    );
    // Guest 2 ran nothing: neither stdout saw a byte.
    assert!(out1.contents().is_empty() && out2.contents().is_empty());

    // Nothing was bound: wasi2 still starts an instance linked with its own functions.
    let mut linker2 = Linker::new();
    wasi2.import_object().add_to_linker(&mut linker2);
    let mut store3 = Store::new(());
    let inst3 = linker2.instantiate(&mut store3, &module).unwrap();
    assert_eq!(wasi2.start(&mut store3, inst3).unwrap(), 0);
    assert_eq!(out2.to_string_lossy(), "Hello from wisp!\ntwo\n");

    // And wasi1 runs its own instance, writing only its own stdout.
    assert_eq!(wasi1.start(&mut store1, inst1).unwrap(), 0);
    assert_eq!(out1.to_string_lossy(), "Hello from wisp!\none\n");
    assert_eq!(out2.to_string_lossy(), "Hello from wisp!\ntwo\n");
}

#[test]
fn initialize_and_finalize_bindings_refuse_foreign_imports_too() {
    let reactor = module(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (memory (export "memory") 1))"#,
    );
    let quiet = || {
        Wasi::builder(WasiVersion::Preview1)
            .stdin(Stdio::Null)
            .stdout(Stdio::Null)
            .stderr(Stdio::Null)
            .build()
            .unwrap()
    };
    // Functions of the linker pattern have no provider: also foreign to any Wasi.
    let mut linker: Linker<WasiCtx> = Linker::new();
    add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    let mut store = Store::new(WasiCtx::new());
    let inst = linker.instantiate(&mut store, &reactor).unwrap();
    let mut wasi = quiet();
    let e = wasi.initialize(&mut store, inst).unwrap_err();
    assert_eq!(e.code(), "ERR_WASI_FOREIGN_IMPORTS");
    assert!(
        e.to_string().contains("wasi_snapshot_preview1::fd_write"),
        "{e}"
    );
    let e = wasi.finalize_bindings(&store, inst, None).unwrap_err();
    assert_eq!(e.code(), "ERR_WASI_FOREIGN_IMPORTS");

    // An instance without WASI imports may still be bound (Node binds memory and runs).
    let plain = module(r#"(module (memory (export "memory") 1))"#);
    let mut store = Store::new(());
    let inst = Linker::new().instantiate(&mut store, &plain).unwrap();
    wasi.finalize_bindings(&store, inst, None).unwrap();
}

/// A `Wasi` bound to instance A of store A: its functions, reached from
/// another store (or another instance of A's store) through the same linker,
/// trap cleanly instead of touching the bound memory.
#[test]
fn a_bound_wasis_functions_trap_when_called_from_another_store_or_instance() {
    let module = hello();
    let out = SharedBuffer::new();
    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .args(["hello", "a"])
        .stdout(Stdio::Capture(out.clone()))
        .build()
        .unwrap();
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store_a = Store::new(());
    let inst_a = linker.instantiate(&mut store_a, &module).unwrap();
    let inst_a2 = linker.instantiate(&mut store_a, &module).unwrap();
    let mut store_b = Store::new(());
    let inst_b = linker.instantiate(&mut store_b, &module).unwrap();
    assert_eq!(wasi.start(&mut store_a, inst_a).unwrap(), 0);
    assert_eq!(out.to_string_lossy(), "Hello from wisp!\na\n");

    for (what, trap) in [
        ("store B", run_start(&mut store_b, inst_b).unwrap_err()),
        (
            "a second instance of store A",
            run_start(&mut store_a, inst_a2).unwrap_err(),
        ),
    ] {
        let msg = host_message(&trap);
        assert!(
            msg.contains("of a Wasi bound to") && msg.contains("was called from"),
            "{what}: {msg}"
        );
    }
    assert_eq!(
        out.to_string_lossy(),
        "Hello from wisp!\na\n",
        "nothing more was written"
    );
}

/// Reads `/data/id.txt` from its preopen (fd 3) and writes it, a space,
/// argv[1] and a newline to stdout; then tries to open argv[2] and argv[3]
/// beneath fd 3 and exits with `errno(argv[2]) | errno(argv[3]) << 8`.
const TENANT: &str = r#"(module
    (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open"
        (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (data (i32.const 1100) "id.txt")
    (data (i32.const 1110) " \n")
    (func $strlen (param $p i32) (result i32) (local $n i32)
        (block $done (loop $l
            (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $l)))
        (local.get $n))
    (func $write (param $p i32) (param $len i32)
        (i32.store (i32.const 1024) (local.get $p))
        (i32.store (i32.const 1028) (local.get $len))
        (drop (call $fd_write (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 1040))))
    (func $open (param $p i32) (param $len i32) (result i32)
        (call $path_open (i32.const 3) (i32.const 0) (local.get $p) (local.get $len)
            (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 1036)))
    (func $open_arg (param $i i32) (result i32) (local $p i32)
        (local.set $p (i32.load (i32.mul (local.get $i) (i32.const 4))))
        (call $open (local.get $p) (call $strlen (local.get $p))))
    (func (export "_start") (local $e i32)
        (if (call $args_get (i32.const 0) (i32.const 64)) (then (call $exit (i32.const 1000))))
        (local.set $e (call $open (i32.const 1100) (i32.const 6)))
        (if (local.get $e) (then (call $exit (i32.add (i32.const 2000) (local.get $e)))))
        (i32.store (i32.const 1024) (i32.const 2048))
        (i32.store (i32.const 1028) (i32.const 2048))
        (local.set $e (call $fd_read (i32.load (i32.const 1036)) (i32.const 1024) (i32.const 1)
            (i32.const 1032)))
        (if (local.get $e) (then (call $exit (i32.add (i32.const 3000) (local.get $e)))))
        (call $write (i32.const 2048) (i32.load (i32.const 1032)))
        (call $write (i32.const 1110) (i32.const 1))
        (call $write (i32.load (i32.const 4)) (call $strlen (i32.load (i32.const 4))))
        (call $write (i32.const 1111) (i32.const 1))
        (call $exit (i32.or (call $open_arg (i32.const 2))
            (i32.shl (call $open_arg (i32.const 3)) (i32.const 8))))))"#;

/// The store data of the linker pattern: the embedder's own type, owning its context.
struct Tenant {
    wasi: WasiCtx,
}

/// One linker, one module, two tenants' directories, 100 instances on 8
/// threads: each sees only its own preopen and writes only its own stdout.
#[test]
fn one_linker_serves_100_instances_on_8_threads_each_in_its_own_sandbox() {
    let root = tempfile::tempdir().unwrap();
    let tenants = ["alice", "bob"];
    for t in tenants {
        std::fs::create_dir(root.path().join(t)).unwrap();
        std::fs::write(root.path().join(t).join("id.txt"), format!("tenant-{t}")).unwrap();
    }
    let module = module(TENANT);
    let mut linker = Linker::new();
    add_to_linker(&mut linker, |t: &mut Tenant| &mut t.wasi);
    let (module, linker) = (&module, &linker);
    let root = root.path();

    let results: Vec<(usize, String, i32)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|worker| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    for i in (worker..100).step_by(8) {
                        let (me, other) = (tenants[i % 2], tenants[1 - i % 2]);
                        let out = SharedBuffer::new();
                        let other_abs = root.join(other).join("id.txt");
                        let wasi = Wasi::builder(WasiVersion::Preview1)
                            .arg("tenant")
                            .arg(format!("run-{i}"))
                            .arg(format!("../{other}/id.txt"))
                            .arg(other_abs.to_str().unwrap())
                            .preopen("/data", root.join(me))
                            .stdin(Stdio::Null)
                            .stdout(Stdio::Capture(out.clone()))
                            .stderr(Stdio::Null)
                            .build_ctx()
                            .unwrap();
                        let mut store = Store::new(Tenant { wasi });
                        let instance = linker.instantiate(&mut store, module).unwrap();
                        let status = run_start(&mut store, instance)
                            .unwrap_err()
                            .exit_status()
                            .expect("the guest exits with proc_exit");
                        done.push((i, out.to_string_lossy(), status));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });

    assert_eq!(results.len(), 100);
    for (i, out, status) in results {
        let me = tenants[i % 2];
        assert_eq!(
            out,
            format!("tenant-{me} run-{i}\n"),
            "instance {i}'s stdout"
        );
        let (dotdot, absolute) = (status & 0xff, status >> 8);
        // Both escapes are refused: `..` above the preopen and an absolute path
        // are NOTCAPABLE (76), never a successful open of the other's file.
        assert_eq!(
            (dotdot, absolute),
            (76, 76),
            "instance {i}: status {status}"
        );
    }
}

/// The linker pattern defines `wasi_unstable` too, with snapshot 0's functions.
#[test]
fn the_linker_pattern_serves_wasi_unstable() {
    let guest = module(
        r#"(module
            (import "wasi_unstable" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
            (import "wasi_unstable" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
            (import "wasi_unstable" "fd_seek" (func $seek (param i32 i64 i32 i32) (result i32)))
            (import "wasi_unstable" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (data (i32.const 100) "snapshot 0\n")
            (func (export "_start")
                (drop (call $sizes (i32.const 0) (i32.const 4)))
                (i32.store (i32.const 16) (i32.const 100))
                (i32.store (i32.const 20) (i32.const 11))
                (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
                ;; exit with argc, and the argv buffer size beside it
                (call $exit (i32.or (i32.load (i32.const 0))
                    (i32.shl (i32.load (i32.const 4)) (i32.const 8))))))"#,
    );
    let mut linker = Linker::new();
    add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    // Only snapshot 0's imports are in this namespace: no sock_accept there.
    assert!(linker.contains("wasi_unstable", "fd_seek"));
    assert!(!linker.contains("wasi_unstable", "sock_accept"));
    assert!(linker.contains("wasi_snapshot_preview1", "sock_accept"));
    let out = SharedBuffer::new();
    let cx = Wasi::builder(WasiVersion::Unstable)
        .args(["app", "xy"])
        .stdout(Stdio::Capture(out.clone()))
        .build_ctx()
        .unwrap();
    let mut store = Store::new(cx);
    let instance = linker.instantiate(&mut store, &guest).unwrap();
    let status = run_start(&mut store, instance).unwrap_err().exit_status();
    assert_eq!(status, Some(2 | (("app\0xy\0".len() as i32) << 8)));
    assert_eq!(out.to_string_lossy(), "snapshot 0\n");
}

/// `proc_exit` through the linker pattern unwinds with the status, signed and
/// unmodified, and flushes nothing of anyone else's.
#[test]
fn proc_exit_through_the_linker_pattern_gives_the_exit_status() {
    let guest = module(
        r#"(module
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (global $code (mut i32) (i32.const 0))
            (func (export "set") (param i32) (global.set $code (local.get 0)))
            (func (export "_start") (call $exit (global.get $code))))"#,
    );
    let mut linker = Linker::new();
    add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    for code in [0, 7, 300, -1] {
        let cx = Wasi::builder(WasiVersion::Preview1).build_ctx().unwrap();
        let mut store = Store::new(cx);
        let instance = linker.instantiate(&mut store, &guest).unwrap();
        instance
            .get_typed_func::<i32, ()>(&store, "set")
            .unwrap()
            .call(&mut store, code)
            .unwrap();
        let trap = run_start(&mut store, instance).unwrap_err();
        assert_eq!(trap.exit_status(), Some(code));
    }
}

/// With the linker pattern a call uses the calling instance's exported
/// memory; without one it traps, naming the problem.
#[test]
fn the_linker_pattern_traps_for_an_instance_without_an_exported_memory() {
    let guest = module(
        r#"(module
            (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
            (memory 1)
            (func (export "_start") (drop (call $sizes (i32.const 0) (i32.const 4)))))"#,
    );
    let mut linker = Linker::new();
    add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    let mut store = Store::new(WasiCtx::new());
    let instance = linker.instantiate(&mut store, &guest).unwrap();
    let msg = host_message(&run_start(&mut store, instance).unwrap_err());
    assert!(
        msg.contains("args_sizes_get") && msg.contains("without an exported memory"),
        "{msg}"
    );
}

/// Two instances in one store, each with an exported memory, sharing the
/// store's context: each call writes into its own caller's memory.
#[test]
fn the_linker_pattern_uses_each_calling_instances_own_memory() {
    let guest = module(
        r#"(module
            (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "argc") (result i32)
                (drop (call $sizes (i32.const 8) (i32.const 12)))
                (i32.load (i32.const 8))))"#,
    );
    let mut linker = Linker::new();
    add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    let cx = Wasi::builder(WasiVersion::Preview1)
        .args(["a", "b", "c"])
        .build_ctx()
        .unwrap();
    let mut store = Store::new(cx);
    let one = linker.instantiate(&mut store, &guest).unwrap();
    let two = linker.instantiate(&mut store, &guest).unwrap();
    for inst in [one, two, one] {
        let argc = inst.get_typed_func::<(), i32>(&store, "argc").unwrap();
        let mem = inst.get_memory(&store, "memory").unwrap();
        mem.data_mut(&mut store)[8..12].fill(0);
        assert_eq!(argc.call(&mut store, ()).unwrap(), 3);
    }
    let m1 = one.get_memory(&store, "memory").unwrap();
    let m2 = two.get_memory(&store, "memory").unwrap();
    assert_eq!(m1.data(&store)[8], 3);
    assert_eq!(m2.data(&store)[8], 3);
}

/// The README's linker-pattern example, verbatim between the markers (the
/// README is not compiled; this test is its source).
#[test]
fn readme_linker_pattern_example() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let tmp = tempfile::tempdir()?;
    for t in ["alice", "bob"] {
        std::fs::create_dir(tmp.path().join(t))?;
    }
    // Test binaries run in the package root, where the README's relative path works.
    let root = tmp.path();
    // README begin
    use wisp::{Linker, Module, SharedBuffer, Stdio, Store, Wasi, WasiCtx, WasiVersion};

    /// The store's data: the embedder's own type, owning this instance's WASI context.
    struct Host {
        wasi: WasiCtx,
    }

    let module = Module::from_file("fixtures/wasm/hello.wasm")?;
    let mut linker = Linker::new();
    wisp::wasi::add_to_linker(&mut linker, |host: &mut Host| &mut host.wasi);

    // One module and one linker for every tenant and thread; a store (and a context) each.
    let run = |tenant: &str| -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
        let out = SharedBuffer::new();
        let wasi = Wasi::builder(WasiVersion::Preview1)
            .args(["hello", tenant])
            .preopen("/data", root.join(tenant))
            .stdout(Stdio::Capture(out.clone()))
            .build_ctx()?;
        let mut store = Store::new(Host { wasi });
        let instance = linker.instantiate(&mut store, &module)?;
        let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
        // `proc_exit(n)` would be an `Err(trap)` with `trap.exit_status() == Some(n)`.
        start.call(&mut store, ())?;
        Ok(out.to_string_lossy())
    };
    let run = &run;
    let outputs = std::thread::scope(|s| {
        let threads: Vec<_> = ["alice", "bob"]
            .into_iter()
            .map(|tenant| s.spawn(move || run(tenant)))
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("no panic"))
            .collect::<Result<Vec<_>, _>>()
    })?;
    assert_eq!(
        outputs,
        ["Hello from wisp!\nalice\n", "Hello from wisp!\nbob\n"]
    );
    // README end
    Ok(())
}
