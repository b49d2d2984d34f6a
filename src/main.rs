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
usage: wisp run [--invoke NAME] MODULE.wasm [ARGS]...
       wisp wast FILE.wast...
       wisp validate MODULE.wasm
       wisp --help | --version

commands:
  run        instantiate MODULE.wasm and call `_start`, or with --invoke NAME
             call that export with ARGS parsed by its parameter types and
             print its results, one per line
  wast       run WebAssembly spec-test scripts; prints per-file counts and the
             first failures, then `N passed, M failed` (status 1 if M > 0)
  validate   decode and validate MODULE.wasm

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
    let mut invoke: Option<String> = None;
    let mut module: Option<PathBuf> = None;
    while module.is_none() {
        match p.next().map_err(usage)? {
            Some(Arg::Long("invoke")) => {
                invoke = Some(p.value().map_err(usage)?.string().map_err(usage)?)
            }
            Some(Arg::Value(v)) => module = Some(PathBuf::from(v)),
            Some(other) => return Err(usage(other.unexpected())),
            None => return Err(usage("missing MODULE.wasm")),
        }
    }
    let module_path = module.unwrap_or_default();
    let args: Vec<String> = p
        .raw_args()
        .map_err(usage)?
        .map(|a: OsString| {
            a.into_string()
                .map_err(|a| usage(format!("argument {a:?} is not UTF-8")))
        })
        .collect::<Result<_, _>>()?;

    let module = command::load(&module_path)?;
    let mut store = wisp::Store::new(());
    let linker = wisp::Linker::new();
    let instance = command::instantiate(&module_path, &linker, &mut store, &module)?;
    let name = invoke.as_deref().unwrap_or("_start");
    let func = instance.get_func(&store, name).ok_or_else(|| {
        Failure::Load(format!(
            "{}: no exported function `{name}`",
            module_path.display()
        ))
    })?;
    if invoke.is_none() && !args.is_empty() {
        return Err(usage(
            "arguments for `_start` need WASI; pass them with --invoke NAME",
        ));
    }
    let results = command::invoke(&mut store, func, name, &args)?;
    for r in &results {
        println!("{}", command::format_val(r));
    }
    Ok(0)
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
