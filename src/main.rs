//! The `wisp` command: argument parsing, exit statuses and error printing.
//! What each subcommand does lives in the library (`wisp::command`) and, for
//! `wisp wast`, in the binary-only `wast` module (it alone needs the `wast` crate).

mod wast;

use lexopt::{Arg, Parser, ValueExt};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use wisp::command::{self, Failure};

const USAGE: &str = "\
usage: wisp run [--dir HOST[::GUEST]]... [--env K=V]... [--wasi preview1|unstable]
                [--invoke NAME] MODULE.wasm [ARGS]...
       wisp wast FILE.wast...
       wisp validate MODULE.wasm
       wisp --help | --version

commands:
  run        instantiate MODULE.wasm with WASI and call `_start` (argv[0] is
             MODULE.wasm as given, then ARGS); the exit status is the guest's
             proc_exit code. --dir preopens a host directory (as GUEST, or as
             HOST), --env sets a variable (nothing is inherited), --wasi picks
             the import module (default: what the module imports). With
             --invoke NAME, call that export with ARGS parsed by its parameter
             types and print its results, one per line
  wast       run WebAssembly spec-test scripts; prints per-file counts and the
             first failures, then `N passed, M failed` (status 1 if M > 0)
  validate   decode and validate MODULE.wasm

MODULE.wasm may also be a text-format (.wat) module.

exit status: the command's result; 1 for an unreadable or invalid module,
2 for bad usage, 134 when the guest traps.";

fn usage(msg: impl std::fmt::Display) -> Failure {
    Failure::Usage(format!("wisp: {msg} (see `wisp --help`)"))
}

fn main() -> ExitCode {
    match real_main() {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            match &f {
                Failure::Trap(_) => eprintln!("wisp: {f}"),
                Failure::Usage(m) => eprintln!("{m}"),
                Failure::Load(m) => eprintln!("wisp: {m}"),
            }
            ExitCode::from(f.exit_code() as u8)
        }
    }
}

fn real_main() -> Result<u8, Failure> {
    let mut p = Parser::from_env();
    let sub = match p.next().map_err(usage)? {
        Some(Arg::Long("help")) | Some(Arg::Short('h')) => {
            println!("{USAGE}");
            return Ok(0);
        }
        Some(Arg::Long("version")) | Some(Arg::Short('V')) => {
            println!("wisp {}", env!("CARGO_PKG_VERSION"));
            return Ok(0);
        }
        Some(Arg::Value(v)) => v.string().map_err(usage)?,
        Some(other) => return Err(usage(other.unexpected())),
        None => return Err(usage("missing command")),
    };
    match sub.as_str() {
        "run" => run(&mut p),
        "wast" => wast_cmd(&mut p),
        "validate" => {
            let path = one_path(&mut p)?;
            command::validate(&path)?;
            println!("{}: valid", path.display());
            Ok(0)
        }
        other => Err(usage(format!("unknown command `{other}`"))),
    }
}

fn one_path(p: &mut Parser) -> Result<PathBuf, Failure> {
    let mut path = None;
    while let Some(arg) = p.next().map_err(usage)? {
        match arg {
            Arg::Value(v) if path.is_none() => path = Some(PathBuf::from(v)),
            other => return Err(usage(other.unexpected())),
        }
    }
    path.ok_or_else(|| usage("missing MODULE.wasm"))
}

fn run(p: &mut Parser) -> Result<u8, Failure> {
    let mut opts = command::RunOptions {
        module: PathBuf::new(),
        args: Vec::new(),
        dirs: Vec::new(),
        env: Vec::new(),
        wasi: None,
        invoke: None,
    };
    let string = |v: OsString| v.string().map_err(usage);
    loop {
        match p.next().map_err(usage)? {
            Some(Arg::Long("invoke")) => opts.invoke = Some(string(p.value().map_err(usage)?)?),
            Some(Arg::Long("dir")) => opts
                .dirs
                .push(command::parse_dir(&string(p.value().map_err(usage)?)?)?),
            Some(Arg::Long("env")) => opts
                .env
                .push(command::parse_env(&string(p.value().map_err(usage)?)?)?),
            Some(Arg::Long("wasi")) => {
                let v = string(p.value().map_err(usage)?)?;
                opts.wasi = Some(v.parse().map_err(|_| {
                    usage(format!(
                        "invalid --wasi `{v}`: expected preview1 or unstable"
                    ))
                })?);
            }
            Some(Arg::Value(v)) => {
                opts.module = PathBuf::from(v);
                break;
            }
            Some(other) => return Err(usage(other.unexpected())),
            None => return Err(usage("missing MODULE.wasm")),
        }
    }
    opts.args = p
        .raw_args()
        .map_err(usage)?
        .map(|a: OsString| {
            a.into_string()
                .map_err(|a| usage(format!("argument {a:?} is not UTF-8")))
        })
        .collect::<Result<_, _>>()?;
    let outcome = command::run(&opts)?;
    for r in &outcome.results {
        println!("{}", command::format_val(r));
    }
    // POSIX keeps the low 8 bits of the status, as `exit(code)` would.
    Ok(outcome.exit_code as u8)
}

fn wast_cmd(p: &mut Parser) -> Result<u8, Failure> {
    let mut files = Vec::new();
    while let Some(arg) = p.next().map_err(usage)? {
        match arg {
            Arg::Value(v) => files.push(PathBuf::from(v)),
            other => return Err(usage(other.unexpected())),
        }
    }
    if files.is_empty() {
        return Err(usage("missing FILE.wast"));
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let name = file.display().to_string();
        let text =
            std::fs::read_to_string(file).map_err(|e| Failure::Load(format!("{name}: {e}")))?;
        let report = wast::run(&name, &text);
        println!(
            "{name}: {} passed, {} failed",
            report.passed,
            report.failures.len()
        );
        for f in report.failures.iter().take(10) {
            println!("  {f}");
        }
        if report.failures.len() > 10 {
            println!("  ... and {} more", report.failures.len() - 10);
        }
        passed += report.passed;
        failed += report.failures.len();
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 { 1 } else { 0 })
}
