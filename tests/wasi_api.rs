//! The `Wasi` facade against the node:wasi reference (wasi-reference §1):
//! option validation and its order, the v24 lifecycle and state machine,
//! error codes, exit codes, exact import types, `Send`.

use wisp::interp::{ErrorKind, Linker, Module, Store, TrapKind, ValType};
use wisp::{SharedBuffer, Stdio, Wasi, WasiError, WasiOptions, WasiVersion};

/// The 46 preview1 functions with their exact core types (wasi-reference §2.1):
/// name, parameter types, result types.
const SIGNATURES: &[(&str, &str, &str)] = &[
    ("args_get", "i32 i32", "i32"),
    ("args_sizes_get", "i32 i32", "i32"),
    ("environ_get", "i32 i32", "i32"),
    ("environ_sizes_get", "i32 i32", "i32"),
    ("clock_res_get", "i32 i32", "i32"),
    ("clock_time_get", "i32 i64 i32", "i32"),
    ("fd_advise", "i32 i64 i64 i32", "i32"),
    ("fd_allocate", "i32 i64 i64", "i32"),
    ("fd_close", "i32", "i32"),
    ("fd_datasync", "i32", "i32"),
    ("fd_fdstat_get", "i32 i32", "i32"),
    ("fd_fdstat_set_flags", "i32 i32", "i32"),
    ("fd_fdstat_set_rights", "i32 i64 i64", "i32"),
    ("fd_filestat_get", "i32 i32", "i32"),
    ("fd_filestat_set_size", "i32 i64", "i32"),
    ("fd_filestat_set_times", "i32 i64 i64 i32", "i32"),
    ("fd_pread", "i32 i32 i32 i64 i32", "i32"),
    ("fd_prestat_get", "i32 i32", "i32"),
    ("fd_prestat_dir_name", "i32 i32 i32", "i32"),
    ("fd_pwrite", "i32 i32 i32 i64 i32", "i32"),
    ("fd_read", "i32 i32 i32 i32", "i32"),
    ("fd_readdir", "i32 i32 i32 i64 i32", "i32"),
    ("fd_renumber", "i32 i32", "i32"),
    ("fd_seek", "i32 i64 i32 i32", "i32"),
    ("fd_sync", "i32", "i32"),
    ("fd_tell", "i32 i32", "i32"),
    ("fd_write", "i32 i32 i32 i32", "i32"),
    ("path_create_directory", "i32 i32 i32", "i32"),
    ("path_filestat_get", "i32 i32 i32 i32 i32", "i32"),
    (
        "path_filestat_set_times",
        "i32 i32 i32 i32 i64 i64 i32",
        "i32",
    ),
    ("path_link", "i32 i32 i32 i32 i32 i32 i32", "i32"),
    ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32", "i32"),
    ("path_readlink", "i32 i32 i32 i32 i32 i32", "i32"),
    ("path_remove_directory", "i32 i32 i32", "i32"),
    ("path_rename", "i32 i32 i32 i32 i32 i32", "i32"),
    ("path_symlink", "i32 i32 i32 i32 i32", "i32"),
    ("path_unlink_file", "i32 i32 i32", "i32"),
    ("poll_oneoff", "i32 i32 i32 i32", "i32"),
    ("proc_exit", "i32", ""),
    ("proc_raise", "i32", "i32"),
    ("sched_yield", "", "i32"),
    ("random_get", "i32 i32", "i32"),
    ("sock_accept", "i32 i32 i32", "i32"),
    ("sock_recv", "i32 i32 i32 i32 i32 i32", "i32"),
    ("sock_send", "i32 i32 i32 i32 i32", "i32"),
    ("sock_shutdown", "i32 i32", "i32"),
];

fn parse_types(list: &str) -> Vec<ValType> {
    list.split_whitespace()
        .map(|t| match t {
            "i32" => ValType::I32,
            "i64" => ValType::I64,
            other => panic!("unexpected type {other} in the signature table"),
        })
        .collect()
}

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).expect("test WAT parses")).expect("test module is valid")
}

fn quiet(version: WasiVersion) -> WasiOptions {
    let mut o = WasiOptions::new(version);
    o.stdin = Stdio::Null;
    o.stdout = Stdio::Null;
    o.stderr = Stdio::Null;
    o
}

fn instantiate(wasi: &Wasi, m: &Module) -> (Store<()>, wisp::Instance) {
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let inst = linker.instantiate(&mut store, m).expect("instantiates");
    (store, inst)
}

const EXIT_WITH: &str = r#"(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (global $code (mut i32) (i32.const 0))
    (func (export "set") (param i32) (global.set $code (local.get 0)))
    (func (export "_start") (call $exit (i32.const 300))))"#;

#[test]
fn every_preview1_import_has_its_exact_core_type() {
    let wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let imports = wasi.wasi_import();
    assert_eq!(imports.names().count(), 46);
    for (name, params, results) in SIGNATURES {
        let ty = imports
            .func_type(name)
            .unwrap_or_else(|| panic!("{name} is missing"));
        assert_eq!(ty.params(), parse_types(params), "{name} params");
        assert_eq!(ty.results(), parse_types(results), "{name} results");
    }
}

#[test]
fn unstable_has_45_imports_without_sock_accept() {
    let wasi = Wasi::new(quiet(WasiVersion::Unstable)).unwrap();
    let names: Vec<_> = wasi.wasi_import().names().collect();
    assert_eq!(names.len(), 45);
    assert!(!names.contains(&"sock_accept"));
    assert!(wasi.wasi_import().func_type("sock_accept").is_none());
    let objs: Vec<String> = wasi
        .import_object()
        .module_names()
        .map(String::from)
        .collect();
    assert_eq!(objs, ["wasi_unstable"]);
}

#[test]
fn import_object_is_fresh_with_one_module_named_by_version() {
    let wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let a = wasi.import_object();
    assert_eq!(
        a.module_names().collect::<Vec<_>>(),
        ["wasi_snapshot_preview1"]
    );
    assert!(a.get("wasi_snapshot_preview1").is_some());
    assert!(a.get("wasi_unstable").is_none());
}

#[test]
fn version_strings_parse_like_node() {
    assert_eq!(
        "preview1".parse::<WasiVersion>().unwrap(),
        WasiVersion::Preview1
    );
    assert_eq!(
        "unstable".parse::<WasiVersion>().unwrap(),
        WasiVersion::Unstable
    );
    let e = "preview2".parse::<WasiVersion>().unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE");
    assert!(e.to_string().contains("unsupported WASI version"), "{e}");
}

#[test]
fn nul_bytes_and_empty_env_keys_are_invalid_values() {
    let mut o = quiet(WasiVersion::Preview1);
    o.args = vec!["a\0b".into()];
    assert_eq!(Wasi::new(o).unwrap_err().code(), "ERR_INVALID_ARG_VALUE");
    let mut o = quiet(WasiVersion::Preview1);
    o.env = vec![("K\0X".into(), "v".into())];
    assert_eq!(Wasi::new(o).unwrap_err().code(), "ERR_INVALID_ARG_VALUE");
    let mut o = quiet(WasiVersion::Preview1);
    o.env = vec![("".into(), "v".into())];
    assert_eq!(Wasi::new(o).unwrap_err().code(), "ERR_INVALID_ARG_VALUE");
}

#[test]
fn stdio_fds_are_range_checked_then_opened() {
    let mut o = quiet(WasiVersion::Preview1);
    o.stdout = Stdio::HostFd(-1);
    let e = Wasi::new(o).unwrap_err();
    assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
    let mut o = quiet(WasiVersion::Preview1);
    o.stderr = Stdio::HostFd(987_654);
    let e = Wasi::new(o).unwrap_err();
    assert_eq!(e.code(), "UVWASI_EBADF");
    assert_eq!(e.errno(), Some(8));
}

#[test]
fn bad_preopens_are_init_errors_with_the_errno() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let mut o = quiet(WasiVersion::Preview1);
    o.preopens = vec![("/a".into(), dir.path().join("missing"))];
    let e = Wasi::new(o).unwrap_err();
    assert_eq!((e.code().as_ref(), e.errno()), ("UVWASI_ENOENT", Some(44)));
    let mut o = quiet(WasiVersion::Preview1);
    o.preopens = vec![("/a".into(), file)];
    let e = Wasi::new(o).unwrap_err();
    assert_eq!((e.code().as_ref(), e.errno()), ("UVWASI_ENOTDIR", Some(54)));
}

#[test]
fn validation_order_strings_before_stdio_before_preopens() {
    let mut o = quiet(WasiVersion::Preview1);
    o.preopens = vec![("/a".into(), "/no/such/dir".into())];
    o.stdout = Stdio::HostFd(-5);
    o.args = vec!["\0".into()];
    assert_eq!(Wasi::new(o).unwrap_err().code(), "ERR_INVALID_ARG_VALUE");
    let mut o = quiet(WasiVersion::Preview1);
    o.preopens = vec![("/a".into(), "/no/such/dir".into())];
    o.stdout = Stdio::HostFd(-5);
    assert_eq!(Wasi::new(o).unwrap_err().code(), "ERR_OUT_OF_RANGE");
}

#[test]
fn start_returns_the_proc_exit_code_signed_and_unmodified() {
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &module(EXIT_WITH));
    assert_eq!(wasi.start(&mut store, inst).unwrap(), 300);
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1) (func (export "_start") (call $exit (i32.const -1))))"#,
    );
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    assert_eq!(wasi.start(&mut store, inst).unwrap(), -1);
}

#[test]
fn start_returns_zero_when_start_returns_and_refuses_a_second_start() {
    let m = module(r#"(module (memory (export "memory") 1) (func (export "_start")))"#);
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    assert_eq!(wasi.start(&mut store, inst).unwrap(), 0);
    assert_eq!(
        wasi.start(&mut store, inst).unwrap_err().code(),
        "ERR_WASI_ALREADY_STARTED"
    );
    assert_eq!(
        wasi.initialize(&mut store, inst).unwrap_err().code(),
        "ERR_WASI_ALREADY_STARTED"
    );
    assert_eq!(
        wasi.finalize_bindings(&store, inst, None)
            .unwrap_err()
            .code(),
        "ERR_WASI_ALREADY_STARTED"
    );
}

#[test]
fn a_missing_memory_leaves_the_object_reusable() {
    let no_mem = module(r#"(module (func (export "_start")))"#);
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &no_mem);
    let e = wasi.start(&mut store, inst).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG_TYPE");
    assert!(e.to_string().contains("instance.exports.memory"), "{e}");
    let ok = module(r#"(module (memory (export "memory") 1) (func (export "_start")))"#);
    let (mut store, inst) = instantiate(&wasi, &ok);
    assert_eq!(
        wasi.start(&mut store, inst).unwrap(),
        0,
        "v24: failure before binding is retryable"
    );
}

#[test]
fn a_bad_entry_point_after_binding_leaves_the_object_started() {
    let m = module(r#"(module (memory (export "memory") 1))"#);
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    let e = wasi.start(&mut store, inst).unwrap_err();
    assert_eq!(e.code(), "ERR_INVALID_ARG_TYPE");
    assert!(e.to_string().contains("_start"), "{e}");
    assert_eq!(
        wasi.start(&mut store, inst).unwrap_err().code(),
        "ERR_WASI_ALREADY_STARTED"
    );

    let both = module(
        r#"(module (memory (export "memory") 1) (func (export "_start")) (func (export "_initialize")))"#,
    );
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &both);
    let e = wasi.start(&mut store, inst).unwrap_err();
    assert!(
        e.code() == "ERR_INVALID_ARG_TYPE" && e.to_string().contains("_initialize"),
        "{e}"
    );
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &both);
    let e = wasi.initialize(&mut store, inst).unwrap_err();
    assert!(
        e.code() == "ERR_INVALID_ARG_TYPE" && e.to_string().contains("_start"),
        "{e}"
    );
}

#[test]
fn a_start_of_the_wrong_type_is_refused() {
    let m = module(r#"(module (memory (export "memory") 1) (func (export "_start") (param i32)))"#);
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    assert_eq!(
        wasi.start(&mut store, inst).unwrap_err().code(),
        "ERR_INVALID_ARG_TYPE"
    );
}

#[test]
fn initialize_runs_initialize_and_exports_can_exit_afterwards() {
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
            (func (export "_initialize") (global.set $g (i32.const 7)))
            (func (export "get") (result i32) (global.get $g))
            (func (export "quit") (call $exit (i32.const 5))))"#,
    );
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    wasi.initialize(&mut store, inst).unwrap();
    assert_eq!(
        inst.get_typed_func::<(), i32>(&store, "get")
            .unwrap()
            .call(&mut store, ())
            .unwrap(),
        7
    );
    let trap = inst
        .get_typed_func::<(), ()>(&store, "quit")
        .unwrap()
        .call(&mut store, ())
        .unwrap_err();
    assert_eq!(trap.exit_status(), Some(5));
}

#[test]
fn proc_exit_during_initialize_is_an_exit_error() {
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1) (func (export "_initialize") (call $exit (i32.const 9))))"#,
    );
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    let e = wasi.initialize(&mut store, inst).unwrap_err();
    assert!(matches!(e, WasiError::Exit(9)), "{e:?}");
    assert_eq!(e.code(), "WASI_EXIT");
}

#[test]
fn a_wasi_call_before_binding_is_not_started() {
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))
            (memory (export "memory") 1) (func $s (drop (call $y))) (start $s))"#,
    );
    let wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let err = linker.instantiate(Store::new(()), &m).unwrap_err();
    let trap = err.as_trap().expect("a trap");
    assert!(matches!(trap.kind(), TrapKind::Host(_)));
    assert!(
        trap.to_string()
            .contains("wasi.start() has not been called"),
        "{trap}"
    );
}

#[test]
fn finalize_bindings_binds_an_explicit_memory() {
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "args_sizes_get" (func $s (param i32 i32) (result i32)))
            (memory $m 1) (export "mem" (memory $m))
            (func (export "count") (result i32) (drop (call $s (i32.const 0) (i32.const 4))) (i32.load (i32.const 0))))"#,
    );
    let mut o = quiet(WasiVersion::Preview1);
    o.args = vec!["prog".into(), "x".into(), "y".into()];
    let mut wasi = Wasi::new(o).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    let mem = inst.get_memory(&store, "mem").unwrap();
    wasi.finalize_bindings(&store, inst, Some(mem)).unwrap();
    assert_eq!(
        inst.get_typed_func::<(), i32>(&store, "count")
            .unwrap()
            .call(&mut store, ())
            .unwrap(),
        3
    );
}

#[test]
fn a_mistyped_wasi_import_is_a_link_error_naming_it() {
    let m = module(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32) (result i32))))"#,
    );
    let wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let err = linker.instantiate(Store::new(()), &m).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("wasi_snapshot_preview1::fd_write")
            && msg.contains("[i32 i32 i32 i32] -> [i32]"),
        "{msg}"
    );
}

#[test]
fn a_trap_in_start_is_a_wasm_trap_error() {
    let m = module(r#"(module (memory (export "memory") 1) (func (export "_start") unreachable))"#);
    let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    let e = wasi.start(&mut store, inst).unwrap_err();
    assert_eq!(e.code(), "WASM_TRAP");
    assert!(matches!(e, WasiError::Trap(ref t) if matches!(t.kind(), TrapKind::Unreachable)));
}

#[test]
fn wasi_instances_run_on_worker_threads() {
    let m = module(EXIT_WITH);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let m = m.clone();
            let mut wasi = Wasi::new(quiet(WasiVersion::Preview1)).unwrap();
            std::thread::spawn(move || {
                let (mut store, inst) = instantiate(&wasi, &m);
                wasi.start(&mut store, inst).unwrap()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 300);
    }
}

#[test]
fn builder_mirrors_the_options_object() {
    let out = SharedBuffer::new();
    let wasi = Wasi::builder(WasiVersion::Preview1)
        .arg("prog")
        .args(["a", "b"])
        .env("K", "V")
        .stdout(Stdio::Capture(out))
        .stdin(Stdio::Bytes(b"in".to_vec()))
        .stderr(Stdio::Null)
        .return_on_exit(true)
        .build()
        .unwrap();
    assert_eq!(wasi.version(), WasiVersion::Preview1);
}

/// Runs in a child process (see the next test): `return_on_exit = false` must
/// flush the guest's output and exit this very process with the code.
#[test]
fn child_process_exit() {
    if std::env::var_os("WISP_TEST_EXIT_CHILD").is_none() {
        return;
    }
    let m = module(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1) (data (i32.const 16) "bye")
            (func (export "_start")
              (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
              (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (call $exit (i32.const 300))))"#,
    );
    let mut o = WasiOptions::new(WasiVersion::Preview1);
    o.return_on_exit = false;
    let mut wasi = Wasi::new(o).unwrap();
    let (mut store, inst) = instantiate(&wasi, &m);
    let _ = wasi.start(&mut store, inst);
    unreachable!("proc_exit with return_on_exit = false must not return");
}

#[test]
fn without_return_on_exit_proc_exit_ends_the_process_with_the_low_8_bits() {
    let o = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "wasi_api::child_process_exit",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("WISP_TEST_EXIT_CHILD", "1")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(300 & 0xff),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("bye"),
        "output was flushed before exiting"
    );
}
