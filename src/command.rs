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
        assert_eq!(parse_env("A=b=c").unwrap(), ("A".into(), "b=c".into()));
        assert!(parse_env("novalue").is_err() && parse_env("=v").is_err());
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
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The module file, as given (it is also the guest's `argv[0]`).
    pub module: std::path::PathBuf,
    /// Arguments after the module.
    pub args: Vec<String>,
    /// `--dir HOST[::GUEST]`, in order: `(host, guest)`.
    pub dirs: Vec<(String, String)>,
    /// `--env K=V`, in order.
    pub env: Vec<(String, String)>,
    /// `--wasi`: the import module; `None` picks what the module imports.
    pub wasi: Option<WasiVersion>,
    /// `--invoke NAME`: call this export instead of `_start`.
    pub invoke: Option<String>,
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

/// Parses `--env K=V`.
///
/// # Errors
/// A usage message when there is no `=` or the key is empty.
pub fn parse_env(spec: &str) -> Result<(String, String), Failure> {
    match spec.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(Failure::Usage(format!(
            "wisp: invalid --env `{spec}`: expected KEY=VALUE"
        ))),
    }
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
    wopts.args.push(path.display().to_string());
    wopts.args.extend(opts.args.iter().cloned());
    wopts.env = opts.env.clone();
    wopts.preopens = opts
        .dirs
        .iter()
        .map(|(h, g)| (g.clone(), std::path::PathBuf::from(h)))
        .collect();
    let mut wasi = Wasi::new(wopts).map_err(|e| match e {
        WasiError::Init { errno, what, .. } => {
            Failure::Load(format!("cannot preopen {what}: {}", errno.name()))
        }
        other => Failure::Usage(format!("wisp: {other}")),
    })?;
    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
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
