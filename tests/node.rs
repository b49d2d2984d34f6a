//! Node parity: every WASI fixture runs under `node` (`node:wasi`, through
//! `fixtures/node-run.mjs`) and under `wisp run`; exit status and stdout must
//! match, unless `fixtures/node-differences.txt` lists the fixture with a
//! reason (Node's bugs, wasi-reference §1 and §4). A listed fixture on which
//! Node now agrees fails too, so the list stays true.

use crate::wasi::{FIXTURES, Fixture, root, wasm_path};
use std::process::{Command, Stdio};

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn differences() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("fixtures/node-differences.txt"))
        .expect("the list exists");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, rest) = l.split_once(' ').unwrap_or((l, ""));
            (name.to_string(), rest.to_string())
        })
        .collect()
}

fn run(cmd: &mut Command, stdin: &str) -> (i32, String) {
    use std::io::Write;
    cmd.current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("spawns");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    let o = child.wait_with_output().expect("finishes");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

fn under_wisp(f: &Fixture) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wisp"));
    cmd.arg("run")
        .arg("--dir")
        .arg(format!("{}::/sandbox", dir.path().display()));
    for (k, v) in f.env {
        cmd.arg("--env").arg(format!("{k}={v}"));
    }
    if f.version == wisp::WasiVersion::Unstable {
        cmd.args(["--wasi", "unstable"]);
    }
    cmd.arg(wasm_path(f.name)).args(f.args);
    run(&mut cmd, f.stdin)
}

fn under_node(f: &Fixture) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("node");
    cmd.args([
        "fixtures/node-run.mjs",
        "--timeout",
        "30",
        &wasm_path(f.name),
    ])
    .arg(dir.path());
    run(&mut cmd, "")
}

#[test]
fn fixtures_agree_with_node_except_for_listed_node_bugs() {
    if !node_available() {
        eprintln!("Node parity NOT RUN: `node` is not on PATH (install Node 20+ to run it)");
        return;
    }
    let listed = differences();
    for (name, _) in &listed {
        assert!(
            FIXTURES.iter().any(|f| f.name == name),
            "node-differences.txt names unknown fixture `{name}`"
        );
    }
    let mut problems = Vec::new();
    let mut report = Vec::new();
    for f in FIXTURES {
        let reasons: Vec<&str> = listed
            .iter()
            .filter(|(n, _)| n == f.name)
            .map(|(_, r)| r.as_str())
            .collect();
        let wisp = under_wisp(f);
        if reasons.iter().any(|r| r.starts_with("not run under Node")) {
            report.push(format!("{:<13} not run under Node (listed)", f.name));
            continue;
        }
        let node = under_node(f);
        match (wisp == node, reasons.is_empty()) {
            (true, true) => report.push(format!("{:<13} same", f.name)),
            (true, false) => problems.push(format!(
                "{}: Node now agrees with wisp, but node-differences.txt still lists {} difference(s)",
                f.name,
                reasons.len()
            )),
            (false, false) => report.push(format!("{:<13} differs, {} listed reason(s)", f.name, reasons.len())),
            (false, true) => problems.push(format!(
                "{}: unexplained difference: wisp exit {} vs node exit {}\n--- wisp\n{}--- node\n{}",
                f.name, wisp.0, node.0, wisp.1, node.1
            )),
        }
    }
    eprintln!("Node parity:\n  {}", report.join("\n  "));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
