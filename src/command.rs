//! What the `wisp` command does, as library functions: `run`, `--invoke`,
//! `validate`. `main.rs` only parses arguments and maps outcomes to exit codes.

use crate::interp::{Error, Func, Linker, Module, Store, Trap, Val, ValType};
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

/// Loads (maps) and validates a module file.
///
/// # Errors
/// [`Failure::Load`] naming the file and what is wrong.
pub fn load(path: &Path) -> Result<Module, Failure> {
    Module::from_file(path).map_err(|e| load_error(path, e))
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
    fn float_arguments_accept_specials() {
        assert!(matches!(parse_arg("nan", ValType::F64).unwrap(), Val::F64(x) if x.is_nan()));
        assert_eq!(
            parse_arg("-inf", ValType::F32).unwrap(),
            Val::F32(f32::NEG_INFINITY)
        );
        assert_eq!(parse_arg("1.5", ValType::F64).unwrap(), Val::F64(1.5));
    }
}
