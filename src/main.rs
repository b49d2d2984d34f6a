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
usage: wisp run [OPTIONS] MODULE.wasm [ARGS]...
       wisp MODULE.wasm [ARGS]...          (short for `wisp run`)
       wisp wast FILE.wast...
       wisp validate MODULE.wasm
       wisp --help | --version | run --help

commands:
  run        instantiate MODULE.wasm with WASI and call `_start`; the exit
             status is the guest's proc_exit code (`wisp run --help` lists
             the options)
  wast       run WebAssembly spec-test scripts; prints per-file counts and the
             first failures, then `N passed, M failed` (status 1 if M > 0)
  validate   decode and validate MODULE.wasm

MODULE.wasm may also be a text-format (.wat) module.

exit status: the command's result; 1 for an unreadable or invalid module,
2 for bad usage, 134 when the guest traps (also when it runs out of fuel or
time).";

const RUN_USAGE: &str = "\
usage: wisp run [OPTIONS] MODULE.wasm [ARGS]...

Instantiates MODULE.wasm (binary or text format) with WASI preview1 (or
wasi_unstable) and calls `_start`. The guest's argv is MODULE.wasm as given,
then ARGS; it gets the host's stdin, stdout and stderr, no environment and no
files unless the options below say otherwise.

options:
  --dir HOST[::GUEST]     preopen host directory HOST as GUEST (default: as
                          HOST); repeatable, fds 3, 4, ... in order
  --dir-ro HOST[::GUEST]  the same, read-only: the guest can read beneath it
                          but not create, write, rename, remove or change times
  --env KEY=VALUE         set a variable; repeatable
  --env KEY               inherit KEY from the host (skipped if unset)
  --inherit-env           inherit the host's whole environment (--env wins)
  --argv0 NAME            the guest's argv[0] instead of MODULE.wasm
  --wasi preview1|unstable
                          the WASI import module (default: what the module imports)
  --invoke NAME           call export NAME with ARGS parsed by its parameter
                          types and print its results, one per line
  --fuel N                stop the guest after N units of fuel (about one per
                          wasm instruction; docs/design.md has the cost model)
  --timeout DURATION      stop the guest after DURATION (500ms, 10s, 2m, 1h)
  --max-memory SIZE       the most linear memory all the guest's memories may
                          have together (65536, 512K, 64M, 4G); growth past it
                          makes memory.grow return -1
  -h, --help              this text

exit status: the guest's proc_exit code (0 when `_start` returns); 1 when the
module cannot be read, validated or linked, or a preopen is missing; 2 for bad
usage; 134 when the guest traps, runs out of fuel or times out (the reason and
the wasm backtrace go to stderr).";

fn usage(msg: impl std::fmt::Display) -> Failure {
    Failure::Usage(format!("wisp: {msg} (see `wisp --help`)"))
}

fn main() -> ExitCode {
    let result = real_main();
    #[cfg(feature = "op-stats")]
    write_op_stats();
    match result {
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

/// With the `op-stats` feature: writes the executed op counts to the file
/// `WISP_OP_STATS` names, if it is set.
#[cfg(feature = "op-stats")]
fn write_op_stats() {
    let Some(path) = std::env::var_os("WISP_OP_STATS") else {
        return;
    };
    let written = std::fs::File::create(&path).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        wisp::interp::dump_op_stats(&mut w)?;
        std::io::Write::flush(&mut w)
    });
    if let Err(e) = written {
        eprintln!("wisp: WISP_OP_STATS={}: {e}", path.to_string_lossy());
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
        Some(Arg::Value(v)) => v,
        Some(other) => return Err(usage(other.unexpected())),
        None => return Err(usage("missing command")),
    };
    let sub = match sub.to_str() {
        Some(s @ ("run" | "wast" | "validate")) => s.to_string(),
        // `wisp MODULE.wasm ARGS...` is `wisp run MODULE.wasm ARGS...`: an
        // existing file or a `.wasm`/`.wat` name; any other word is a mistyped command.
        _ if looks_like_module(&sub) => {
            return run_module(&mut p, command::RunOptions::default(), sub);
        }
        _ => {
            return Err(usage(format!(
                "unknown command `{}`",
                sub.to_string_lossy()
            )));
        }
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

fn looks_like_module(arg: &std::ffi::OsStr) -> bool {
    let path = std::path::Path::new(arg);
    path.is_file() || path.extension().is_some_and(|e| e == "wasm" || e == "wat")
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
    let mut opts = command::RunOptions::default();
    let string = |v: OsString| v.string().map_err(usage);
    loop {
        macro_rules! value {
            () => {
                string(p.value().map_err(usage)?)?
            };
        }
        match p.next().map_err(usage)? {
            Some(Arg::Long("help")) | Some(Arg::Short('h')) => {
                println!("{RUN_USAGE}");
                return Ok(0);
            }
            Some(Arg::Long("invoke")) => opts.invoke = Some(value!()),
            Some(Arg::Long("dir")) => opts.dirs.push(dir(&value!(), false)?),
            Some(Arg::Long("dir-ro")) => opts.dirs.push(dir(&value!(), true)?),
            Some(Arg::Long("env")) => {
                if let Some(kv) = command::parse_env(&value!())? {
                    opts.env.push(kv);
                }
            }
            Some(Arg::Long("inherit-env")) => opts.inherit_env = true,
            Some(Arg::Long("argv0")) => opts.argv0 = Some(value!()),
            Some(Arg::Long("wasi")) => {
                let v = value!();
                opts.wasi = Some(v.parse().map_err(|_| {
                    usage(format!(
                        "invalid --wasi `{v}`: expected preview1 or unstable"
                    ))
                })?);
            }
            Some(Arg::Long("fuel")) => {
                let v = value!();
                opts.fuel = Some(v.parse().map_err(|_| {
                    usage(format!("invalid --fuel `{v}`: expected a whole number"))
                })?);
            }
            Some(Arg::Long("timeout")) => {
                opts.timeout = Some(command::parse_duration("--timeout", &value!())?);
            }
            Some(Arg::Long("max-memory")) => {
                opts.max_memory = Some(command::parse_size("--max-memory", &value!())?);
            }
            Some(Arg::Value(v)) => return run_module(p, opts, v),
            Some(other) => return Err(usage(other.unexpected())),
            None => return Err(usage("missing MODULE.wasm")),
        }
    }
}

fn dir(spec: &str, read_only: bool) -> Result<command::DirSpec, Failure> {
    let (host, guest) = command::parse_dir(spec)?;
    Ok(command::DirSpec {
        host,
        guest,
        read_only,
    })
}

/// Runs `module` with `opts`; the rest of the command line is its arguments.
fn run_module(
    p: &mut Parser,
    mut opts: command::RunOptions,
    module: OsString,
) -> Result<u8, Failure> {
    opts.module = PathBuf::from(module);
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
