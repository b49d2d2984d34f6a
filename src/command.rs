//! What the `wisp` command does, as library functions: `run`, `--invoke`,
//! `validate`. `main.rs` only parses arguments and maps outcomes to exit codes.

use crate::interp::{Error, Func, Linker, Module, Store, Trap, Val, ValType};
use crate::{Wasi, WasiError, WasiOptions, WasiVersion};
use std::fmt;
use std::path::Path;

/// Why a command failed, and so which exit status it ends with.
#[derive(Debug)]
pub enum Failure {
    /// Bad usage (status 2): a wrong argument count or an unparsable argument.
    Usage(String),
    /// The module could not be read, decoded, validated, linked or instantiated (status 1).
    Load(String),
    /// The guest trapped (status 134); the trap carries its wasm backtrace.
    Trap(Trap),
}

impl Failure {
    /// The process exit status for this failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Load(_) => 1,
            Failure::Trap(_) => 134,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Load(m) => f.write_str(m),
            Failure::Trap(t) => write!(f, "wasm trap: {t:#}"),
        }
    }
}

impl std::error::Error for Failure {}

fn load_error(path: &Path, e: Error) -> Failure {
    Failure::Load(format!("{}: {e}", path.display()))
}

/// Loads (maps) and validates a module file: the binary format, or the text
/// format (`.wat`), which is encoded first.
///
/// # Errors
/// [`Failure::Load`] naming the file and what is wrong, in one line.
pub fn load(path: &Path) -> Result<Module, Failure> {
    let binary_error = match Module::from_file(path) {
        Ok(module) => return Ok(module),
        Err(e) => e,
    };
    // Not a binary module: text (what a `.wat` file holds) is tried next,
    // unless the file claims to be binary, cannot be read, or is no text.
    let text = match std::fs::read(path) {
        Ok(bytes) if !bytes.is_empty() && !bytes.starts_with(b"\0asm") => {
            match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    return Err(Failure::Load(format!(
                        "{}: not a WebAssembly module: no binary header (\\0asm), and not text",
                        path.display()
                    )));
                }
            }
        }
        _ => return Err(load_error(path, binary_error)),
    };
    let encoded = wast::parser::ParseBuffer::new(&text)
        .and_then(|buf| wast::parser::parse::<wast::Wat<'_>>(&buf)?.encode());
    match encoded {
        Ok(bytes) => Module::new(&bytes).map_err(|e| load_error(path, e)),
        Err(e) => {
            let (line, col) = e.span().linecol_in(&text);
            Err(Failure::Load(format!(
                "{}: not a WebAssembly module: no binary header, and not the text format \
                 either ({} at line {}, column {})",
                path.display(),
                e.message(),
                line + 1,
                col + 1
            )))
        }
    }
}

/// `wisp validate`: checks a module file without running it.
///
/// # Errors
/// [`Failure::Load`] naming the file and what is wrong.
pub fn validate(path: &Path) -> Result<(), Failure> {
    load(path).map(drop)
}

/// Parses a command-line argument as a value of type `ty`.
///
/// Integers accept decimal (with sign) or `0x` hexadecimal; floats accept
/// Rust's syntax, `inf`, `-inf` and `nan`.
///
/// # Errors
/// A message naming the argument and the type.
pub fn parse_arg(text: &str, ty: ValType) -> Result<Val, String> {
    let bad = || format!("invalid {ty} argument `{text}`");
    let int = |t: &str| -> Option<i128> {
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let v = match digits
            .strip_prefix("0x")
            .or_else(|| digits.strip_prefix("0X"))
        {
            Some(hex) => i128::from_str_radix(hex, 16).ok()?,
            None => digits.parse::<i128>().ok()?,
        };
        Some(if neg { -v } else { v })
    };
    Ok(match ty {
        ValType::I32 => {
            let v = int(text).ok_or_else(bad)?;
            // Accept the signed and the unsigned range, as wasmtime does.
            if !(i32::MIN as i128..=u32::MAX as i128).contains(&v) {
                return Err(bad());
            }
            Val::I32(v as i64 as i32)
        }
        ValType::I64 => {
            let v = int(text).ok_or_else(bad)?;
            if !(i64::MIN as i128..=u64::MAX as i128).contains(&v) {
                return Err(bad());
            }
            Val::I64(v as i64)
        }
        ValType::F32 => Val::F32(text.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::F64(text.parse::<f64>().map_err(|_| bad())?),
        ValType::FuncRef | ValType::ExternRef => {
            if text == "null" {
                Val::default_for(ty)
            } else {
                return Err(format!("{ty} arguments can only be `null`, not `{text}`"));
            }
        }
    })
}

/// Formats a result value the way `--invoke` prints it.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(x) => x.to_string(),
        Val::F64(x) => x.to_string(),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".into(),
        Val::FuncRef(Some(_)) => "funcref".into(),
        Val::ExternRef(Some(_)) => "externref".into(),
    }
}

/// Instantiates `module` with the imports `linker` provides.
///
/// # Errors
/// [`Failure::Load`] for link errors, [`Failure::Trap`] when the start function traps.
pub fn instantiate<T: 'static>(
    path: &Path,
    linker: &Linker<T>,
    store: &mut Store<T>,
    module: &Module,
) -> Result<crate::Instance, Failure> {
    linker
        .instantiate(&mut *store, module)
        .map_err(|e| match e.into_trap() {
            Ok(t) => Failure::Trap(t),
            Err(e) => load_error(path, e),
        })
}

/// Calls the export `name` with arguments parsed by its parameter types;
/// gives its results.
///
/// # Errors
/// [`Failure::Usage`] for a missing export or bad arguments, [`Failure::Trap`] on a trap.
pub fn invoke<T>(
    store: &mut Store<T>,
    func: Func,
    name: &str,
    args: &[String],
) -> Result<Vec<Val>, Failure> {
    let ty = func.ty(&*store);
    if args.len() != ty.params().len() {
        return Err(Failure::Usage(format!(
            "`{name}` takes {} arguments ({}), {} given",
            ty.params().len(),
            ty,
            args.len()
        )));
    }
    let params = args
        .iter()
        .zip(ty.params())
        .map(|(a, t)| parse_arg(a, *t))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::Usage)?;
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut *store, &params, &mut results)
        .map_err(|e| match e.into_trap() {
            Ok(t) => Failure::Trap(t),
            Err(e) => Failure::Usage(e.to_string()),
        })?;
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_arguments_accept_signed_unsigned_and_hex() {
        assert_eq!(parse_arg("-1", ValType::I32).unwrap(), Val::I32(-1));
        assert_eq!(parse_arg("4294967295", ValType::I32).unwrap(), Val::I32(-1));
        assert_eq!(parse_arg("0x10", ValType::I64).unwrap(), Val::I64(16));
        assert!(parse_arg("4294967296", ValType::I32).is_err());
        assert!(parse_arg("ten", ValType::I32).is_err());
    }

    #[test]
    fn dir_and_env_specs() {
        assert_eq!(
            parse_dir("/tmp/x::/sandbox").unwrap(),
            ("/tmp/x".into(), "/sandbox".into())
        );
        assert_eq!(parse_dir("data").unwrap(), ("data".into(), "data".into()));
        assert!(parse_dir("::g").is_err() && parse_dir("h::").is_err());
        assert_eq!(
            parse_env("A=b=c").unwrap(),
            Some(("A".into(), "b=c".into()))
        );
        assert!(parse_env("=v").is_err() && parse_env("").is_err());
        assert_eq!(parse_env("WISP_SURELY_UNSET_VARIABLE").unwrap(), None);
        let (k, v) = parse_env("PATH").unwrap().expect("PATH is set in tests");
        assert_eq!((k.as_str(), v), ("PATH", std::env::var("PATH").unwrap()));
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size("--max-memory", "65536").unwrap(), 65536);
        assert_eq!(parse_size("--max-memory", "64M").unwrap(), 64 << 20);
        assert_eq!(parse_size("--max-memory", "2GiB").unwrap(), 2 << 30);
        assert!(parse_size("--max-memory", "lots").is_err());
        assert!(parse_size("--max-memory", "99999999999T").is_err());
        let d = |t| parse_duration("--timeout", t);
        assert_eq!(d("500ms").unwrap().as_millis(), 500);
        assert_eq!(d("2").unwrap().as_secs(), 2);
        assert_eq!(d("1.5m").unwrap().as_secs(), 90);
        assert!(d("0s").is_err() && d("-1s").is_err() && d("soon").is_err());
    }

    #[test]
    fn float_arguments_accept_specials() {
        assert!(matches!(parse_arg("nan", ValType::F64).unwrap(), Val::F64(x) if x.is_nan()));
        assert_eq!(
            parse_arg("-inf", ValType::F32).unwrap(),
            Val::F32(f32::NEG_INFINITY)
        );
        assert_eq!(parse_arg("1.5", ValType::F64).unwrap(), Val::F64(1.5));
    }
}

/// What `wisp run` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The module file, as given (also the guest's `argv[0]` unless `argv0` is set).
    pub module: std::path::PathBuf,
    /// `--argv0 NAME`: the guest's `argv[0]` instead of the module path.
    pub argv0: Option<String>,
    /// Arguments after the module.
    pub args: Vec<String>,
    /// `--dir HOST[::GUEST]` and `--dir-ro HOST[::GUEST]`, in command-line order.
    pub dirs: Vec<DirSpec>,
    /// `--env K=V`, in order.
    pub env: Vec<(String, String)>,
    /// `--inherit-env`: the host's whole environment comes first, then `env`.
    pub inherit_env: bool,
    /// `--wasi`: the import module; `None` picks what the module imports.
    pub wasi: Option<WasiVersion>,
    /// `--invoke NAME`: call this export instead of `_start`.
    pub invoke: Option<String>,
    /// `--max-memory SIZE`: the most linear-memory bytes all memories may have together.
    pub max_memory: Option<u64>,
    /// `--fuel N`: stop the guest with an out-of-fuel trap after N units (`Config::consume_fuel`).
    pub fuel: Option<u64>,
    /// `--timeout DURATION`: stop the guest with a deadline trap after this long.
    pub timeout: Option<std::time::Duration>,
}

/// One preopened directory of `wisp run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirSpec {
    /// The host directory.
    pub host: String,
    /// The name the guest sees.
    pub guest: String,
    /// `--dir-ro`: the guest may read but not create, write, rename, remove
    /// or change times beneath it.
    pub read_only: bool,
}

/// Parses `--dir HOST[::GUEST]` (the guest name defaults to HOST as given).
///
/// # Errors
/// A usage message for an empty host or guest.
pub fn parse_dir(spec: &str) -> Result<(String, String), Failure> {
    let (host, guest) = match spec.split_once("::") {
        Some((h, g)) => (h, g),
        None => (spec, spec),
    };
    if host.is_empty() || guest.is_empty() {
        return Err(Failure::Usage(format!(
            "wisp: invalid --dir `{spec}`: expected HOST[::GUEST]"
        )));
    }
    Ok((host.to_string(), guest.to_string()))
}

/// Parses `--env K=V`, or `--env K` which inherits `K` from the host's
/// environment (`None` when the host has no `K`, as wasmtime does).
///
/// # Errors
/// A usage message when the key is empty or holds a NUL, or an inherited
/// value is not UTF-8.
pub fn parse_env(spec: &str) -> Result<Option<(String, String)>, Failure> {
    let bad = |why: &str| Failure::Usage(format!("wisp: invalid --env `{spec}`: {why}"));
    match spec.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok(Some((k.to_string(), v.to_string()))),
        Some(_) => Err(bad("expected KEY=VALUE or KEY")),
        None if spec.is_empty() => Err(bad("expected KEY=VALUE or KEY")),
        None => match std::env::var(spec) {
            Ok(v) => Ok(Some((spec.to_string(), v))),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(bad("the host's value is not UTF-8")),
        },
    }
}

/// Parses a byte size: a number with an optional `K`, `M`, `G` or `T`
/// suffix (powers of 1024; `KiB`, `MB`... spellings accepted).
///
/// # Errors
/// A usage message naming the flag.
pub fn parse_size(flag: &str, text: &str) -> Result<u64, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "wisp: invalid {flag} `{text}`: expected a size such as 65536, 512K, 64M or 4G"
        ))
    };
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(bad()),
    };
    n.checked_mul(1u64 << shift).ok_or_else(bad)
}

/// Parses a duration: a number with an optional unit `ms`, `s` (default),
/// `m` or `h`; fractions allowed (`1.5s`).
///
/// # Errors
/// A usage message naming the flag.
pub fn parse_duration(flag: &str, text: &str) -> Result<std::time::Duration, Failure> {
    let bad = || {
        Failure::Usage(format!(
            "wisp: invalid {flag} `{text}`: expected a duration such as 500ms, 10s, 1.5m or 2h"
        ))
    };
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: f64 = number.parse().map_err(|_| bad())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    std::time::Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(bad)
}

/// The outcome of `wisp run`: the exit status and any results of `--invoke`.
#[derive(Debug)]
pub struct RunOutcome {
    /// The guest's exit status (`proc_exit` code, or 0).
    pub exit_code: i32,
    /// What `--invoke` returned.
    pub results: Vec<Val>,
}

/// `wisp run`: instantiates the module with WASI (host stdio, the given
/// preopens and environment) and runs `_start`, or `--invoke NAME`.
///
/// # Errors
/// [`Failure::Load`] for unreadable, invalid or unlinkable modules and bad
/// preopens; [`Failure::Usage`] for bad arguments; [`Failure::Trap`] on a trap.
pub fn run(opts: &RunOptions) -> Result<RunOutcome, Failure> {
    let path = &opts.module;
    let module = load(path)?;
    let version = opts.wasi.unwrap_or_else(|| {
        if module.imports().any(|(m, _, _)| m == "wasi_unstable") {
            WasiVersion::Unstable
        } else {
            WasiVersion::Preview1
        }
    });
    let mut wopts = WasiOptions::new(version);
    wopts.args.push(
        opts.argv0
            .clone()
            .unwrap_or_else(|| path.display().to_string()),
    );
    wopts.args.extend(opts.args.iter().cloned());
    if opts.inherit_env {
        // Host variables that are not UTF-8 cannot be passed on faithfully: skipped.
        wopts.env.extend(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        );
    }
    wopts.env.extend(opts.env.iter().cloned());
    for d in &opts.dirs {
        wopts
            .preopens
            .push((d.guest.clone(), std::path::PathBuf::from(&d.host)));
        wopts.preopen_perms.push(if d.read_only {
            (crate::DirPerms::READ, crate::FilePerms::READ)
        } else {
            (crate::DirPerms::all(), crate::FilePerms::all())
        });
    }
    let mut wasi = Wasi::new(wopts).map_err(|e| match e {
        WasiError::Init { errno, what, .. } => {
            Failure::Load(format!("cannot preopen {what}: {}", errno.name()))
        }
        other => Failure::Usage(format!("wisp: {other}")),
    })?;
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let config = crate::interp::Config {
        consume_fuel: opts.fuel.is_some(),
        interruptible: opts.timeout.is_some(),
        ..Default::default()
    };
    let mut store = Store::with_config(config, ());
    if let Some(fuel) = opts.fuel {
        store
            .set_fuel(fuel)
            .map_err(|e| Failure::Usage(format!("wisp: --fuel: {e}")))?;
    }
    // The deadline counts from here (instantiation and the start function
    // included) and is cancelled when the guard drops at the end of `run`.
    let _deadline = match opts.timeout {
        Some(after) => Some(
            store
                .interrupt_handle()
                .and_then(|h| h.deadline(after))
                .map_err(|e| Failure::Load(format!("wisp: --timeout: {e}")))?,
        ),
        None => None,
    };
    if let Some(bytes) = opts.max_memory {
        store.set_limiter(
            crate::interp::StoreLimitsBuilder::new()
                .memory_bytes(usize::try_from(bytes).unwrap_or(usize::MAX))
                .build(),
        );
    }
    let instance = instantiate(path, &linker, &mut store, &module)?;
    let wasi_failure = |e: WasiError| match e {
        WasiError::Trap(t) => Failure::Trap(t),
        other => Failure::Load(format!("{}: {other}", path.display())),
    };
    let has_memory = instance.get_memory(&store, "memory").is_some();
    match &opts.invoke {
        // Node's `start` needs an exported memory; a module without one cannot
        // use WASI anyway, so its `_start` runs directly (as wasmtime does).
        None if has_memory => {
            let code = wasi.start(&mut store, instance).map_err(wasi_failure)?;
            Ok(RunOutcome {
                exit_code: code,
                results: Vec::new(),
            })
        }
        invoke_name => {
            let name = invoke_name.as_deref().unwrap_or("_start");
            let args: &[String] = if invoke_name.is_some() {
                &opts.args
            } else {
                &[]
            };
            let func = instance.get_func(&store, name).ok_or_else(|| {
                Failure::Load(format!("{}: no exported function `{name}`", path.display()))
            })?;
            // Bind memory when there is one, so WASI calls from the export work.
            if has_memory {
                wasi.finalize_bindings(&store, instance, None)
                    .map_err(wasi_failure)?;
            }
            match invoke(&mut store, func, name, args) {
                Ok(results) => Ok(RunOutcome {
                    exit_code: 0,
                    results,
                }),
                Err(Failure::Trap(t)) => match t.exit_status() {
                    Some(code) => Ok(RunOutcome {
                        exit_code: code,
                        results: Vec::new(),
                    }),
                    None => Err(Failure::Trap(t)),
                },
                Err(f) => Err(f),
            }
        }
    }
}
