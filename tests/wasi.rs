//! Every WASI fixture (`fixtures/c/`, built into `fixtures/wasm/`) run through
//! the library (in-memory stdio) and through the `wisp` command (pipes), each
//! with a fresh temporary directory preopened as `/sandbox`; the exit status
//! and stdout must be exactly those in `fixtures/expected/`. The harness
//! conventions are in `fixtures/README.md`; `fixtures/node-run.mjs` applies the
//! same table to Node.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio as ProcStdio};
use wisp::{Linker, Module, SharedBuffer, Stdio, Store, Wasi, WasiVersion};

/// How one fixture is run.
pub struct Fixture {
    pub name: &'static str,
    pub args: &'static [&'static str],
    pub env: &'static [(&'static str, &'static str)],
    pub stdin: &'static str,
    pub exit: i32,
    pub stderr: Option<&'static str>,
    pub version: WasiVersion,
}

const fn fixture(name: &'static str) -> Fixture {
    Fixture {
        name,
        args: &[],
        env: &[],
        stdin: "",
        exit: 0,
        stderr: None,
        version: WasiVersion::Preview1,
    }
}

/// The table of fixtures; it must agree with fixtures/README.md and node-run.mjs.
pub const FIXTURES: &[Fixture] = &[
    Fixture {
        args: &["a", "b c", "ü", ""],
        env: &[
            ("FOO", "bar"),
            ("EMPTY", ""),
            ("EQ", "x=y"),
            ("UNI", "é"),
            ("7", "seven"),
        ],
        ..fixture("args_env")
    },
    fixture("bad_counts"),
    fixture("bad_pointers"),
    fixture("clock_random"),
    fixture("fd_basic"),
    fixture("fd_table"),
    fixture("libc_fs"),
    fixture("links"),
    fixture("path_open"),
    fixture("poll"),
    Fixture {
        exit: 42,
        ..fixture("proc_exit")
    },
    fixture("readdir"),
    fixture("rename_dirs"),
    fixture("rights"),
    fixture("sandbox"),
    fixture("sched"),
    fixture("sock"),
    fixture("stat_times"),
    Fixture {
        stdin: "line one\nline two\n",
        stderr: Some("to stderr\n"),
        ..fixture("stdio")
    },
    Fixture {
        version: WasiVersion::Unstable,
        ..fixture("unstable")
    },
];

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn wasm_path(name: &str) -> String {
    format!("fixtures/wasm/{name}.wasm")
}

pub fn expected_stdout(name: &str) -> String {
    let path = root().join(format!("fixtures/expected/{name}.stdout"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn lookup(name: &str) -> &'static Fixture {
    FIXTURES
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

/// Runs a fixture in-process with captured stdio: (exit code, stdout, stderr).
fn run_library(f: &Fixture, sandbox: &Path) -> (i32, String, String) {
    let module = Module::from_file(root().join(wasm_path(f.name))).expect("fixture loads");
    let (out, err) = (SharedBuffer::new(), SharedBuffer::new());
    let mut wasi = Wasi::builder(f.version)
        .arg(wasm_path(f.name))
        .args(f.args.iter().copied())
        .envs(f.env.iter().copied())
        .preopen("/sandbox", sandbox)
        .stdin(Stdio::Bytes(f.stdin.as_bytes().to_vec()))
        .stdout(Stdio::Capture(out.clone()))
        .stderr(Stdio::Capture(err.clone()))
        .build()
        .expect("options are valid");
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let instance = linker
        .instantiate(&mut store, &module)
        .expect("fixture instantiates");
    let code = wasi
        .start(&mut store, instance)
        .unwrap_or_else(|e| panic!("{}: {e}", f.name));
    (code, out.to_string_lossy(), err.to_string_lossy())
}

/// Runs a fixture through the `wisp` binary with piped stdio.
fn run_cli(f: &Fixture, sandbox: &Path) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wisp"));
    cmd.current_dir(root())
        .arg("run")
        .arg("--dir")
        .arg(format!("{}::/sandbox", sandbox.display()));
    for (k, v) in f.env {
        cmd.arg("--env").arg(format!("{k}={v}"));
    }
    if f.version == WasiVersion::Unstable {
        cmd.args(["--wasi", "unstable"]);
    }
    cmd.arg(wasm_path(f.name)).args(f.args);
    cmd.stdin(ProcStdio::piped())
        .stdout(ProcStdio::piped())
        .stderr(ProcStdio::piped());
    let mut child = cmd.spawn().expect("wisp runs");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("piped stdin");
        stdin
            .write_all(f.stdin.as_bytes())
            .expect("stdin accepts the input");
    }
    let o = child.wait_with_output().expect("wisp finishes");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn check(name: &str, run: fn(&Fixture, &Path) -> (i32, String, String)) {
    let f = lookup(name);
    let dir = tempfile::tempdir().expect("temp dir");
    let sandbox = dir.path().join("sandbox");
    std::fs::create_dir(&sandbox).unwrap();
    let (code, stdout, stderr) = run(f, &sandbox);
    assert_eq!(
        (code, stdout.as_str()),
        (f.exit, expected_stdout(name).as_str()),
        "{name}: exit status and stdout (stderr: {stderr})"
    );
    if let Some(want) = f.stderr {
        assert_eq!(stderr, want, "{name}: stderr");
    }
}

macro_rules! fixture_tests {
    ($($name:ident),* $(,)?) => {
        mod library {
            $(#[test]
            fn $name() {
                super::check(stringify!($name), super::run_library);
            })*
        }
        mod cli {
            $(#[test]
            fn $name() {
                super::check(stringify!($name), super::run_cli);
            })*
        }
        const TESTED: &[&str] = &[$(stringify!($name)),*];
    };
}

fixture_tests!(
    args_env,
    bad_counts,
    bad_pointers,
    clock_random,
    fd_basic,
    fd_table,
    libc_fs,
    links,
    path_open,
    poll,
    proc_exit,
    readdir,
    rename_dirs,
    rights,
    sandbox,
    sched,
    sock,
    stat_times,
    stdio,
    unstable,
);

#[test]
fn every_c_fixture_has_a_test_an_entry_and_expected_output() {
    let mut sources: Vec<String> = std::fs::read_dir(root().join("fixtures/c"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| PathBuf::from(e.file_name())))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    sources.sort();
    let mut tested: Vec<String> = TESTED.iter().map(|s| s.to_string()).collect();
    tested.sort();
    assert_eq!(
        sources, tested,
        "fixtures/c/*.c and the tests must name the same programs"
    );
    for name in &sources {
        lookup(name);
        assert!(
            root().join(wasm_path(name)).exists(),
            "{name}.wasm is built"
        );
        expected_stdout(name);
    }
}
