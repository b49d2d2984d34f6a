//! [`WasiError`]: the errors of the `Wasi` API, with Node's error codes and messages.
//! Both the facade (`wasi.rs`) and the linker registration (`link.rs`) use it.

use crate::errno::Errno;
use std::borrow::Cow;
use std::fmt;
use wisp_interp::{Trap, TrapKind};

/// Errors of the `Wasi` API, with Node's error codes ([`WasiError::code`]).
///
/// Four codes are wisp's own, for what Node reports differently or cannot
/// detect: `WASI_EXIT` (Node throws an internal symbol), `WASM_TRAP`,
/// `WASM_LINK`, and `ERR_WASI_FOREIGN_IMPORTS` (an instance linked with
/// another `Wasi`'s functions; Node cannot tell whose functions an instance
/// imported).
#[derive(Debug)]
#[non_exhaustive]
pub enum WasiError {
    /// `ERR_INVALID_ARG_TYPE`: a missing or mistyped export.
    InvalidArgType {
        /// What was checked, e.g. `instance.exports.memory`.
        name: Cow<'static, str>,
        /// What it must be.
        expected: Cow<'static, str>,
        /// What it was.
        actual: String,
    },
    /// `ERR_INVALID_ARG_VALUE`: an unknown version, or a NUL in a string option.
    InvalidArgValue {
        /// Which option.
        name: Cow<'static, str>,
        /// The value given.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// `ERR_OUT_OF_RANGE`: a negative stdio host fd.
    OutOfRange {
        /// Which option.
        name: Cow<'static, str>,
        /// The accepted range.
        range: &'static str,
        /// The value given.
        received: String,
    },
    /// `ERR_WASI_ALREADY_STARTED`.
    AlreadyStarted,
    /// `ERR_WASI_NOT_STARTED`: a WASI import ran before memory was bound.
    NotStarted,
    /// `ERR_ACCESS_DENIED` (reserved for an embedder policy hook).
    AccessDenied {
        /// The permission denied.
        permission: &'static str,
    },
    /// `UVWASI_E<NAME>`: a preopen or stdio fd could not be set up.
    Init {
        /// The WASI errno.
        errno: Errno,
        /// Always `uvwasi_init`, as in Node.
        syscall: &'static str,
        /// What failed (the preopen path or stdio option).
        what: String,
    },
    /// `WASI_EXIT`: `proc_exit` reached outside `start`.
    Exit(i32),
    /// `WASM_TRAP`: the guest trapped.
    Trap(Trap),
    /// `WASM_LINK`: import resolution or instantiation failed.
    Link(wisp_interp::Error),
    /// `ERR_WASI_FOREIGN_IMPORTS` (wisp's own; Node cannot tell): `start`,
    /// `initialize` or `finalize_bindings` was given an instance whose WASI
    /// import `import` (`module::name`, from `wasi_snapshot_preview1` or
    /// `wasi_unstable`) is not a function of this `Wasi`: it came from another
    /// `Wasi`'s import object or from [`add_to_linker`](crate::add_to_linker).
    /// Nothing is bound; the object stays usable.
    ForeignImports {
        /// The first such import, as `module::name`.
        import: String,
    },
}

impl WasiError {
    /// Node's error code string.
    pub fn code(&self) -> Cow<'static, str> {
        match self {
            WasiError::InvalidArgType { .. } => "ERR_INVALID_ARG_TYPE".into(),
            WasiError::InvalidArgValue { .. } => "ERR_INVALID_ARG_VALUE".into(),
            WasiError::OutOfRange { .. } => "ERR_OUT_OF_RANGE".into(),
            WasiError::AlreadyStarted => "ERR_WASI_ALREADY_STARTED".into(),
            WasiError::NotStarted => "ERR_WASI_NOT_STARTED".into(),
            WasiError::AccessDenied { .. } => "ERR_ACCESS_DENIED".into(),
            WasiError::Init { errno, .. } => format!("UVWASI_E{}", errno.name()).into(),
            WasiError::Exit(_) => "WASI_EXIT".into(),
            WasiError::Trap(_) => "WASM_TRAP".into(),
            WasiError::Link(_) => "WASM_LINK".into(),
            WasiError::ForeignImports { .. } => "ERR_WASI_FOREIGN_IMPORTS".into(),
        }
    }

    /// The WASI errno of an `Init` error.
    pub fn errno(&self) -> Option<u16> {
        match self {
            WasiError::Init { errno, .. } => Some(errno.raw()),
            _ => None,
        }
    }

    /// The error for a guest trap: [`WasiError::NotStarted`] when the trap is a WASI
    /// import's `NotStarted`, otherwise [`WasiError::Trap`].
    pub(crate) fn from_trap(t: Trap) -> WasiError {
        if let TrapKind::Host(e) = t.kind()
            && let Some(WasiError::NotStarted) = e.downcast_ref::<WasiError>()
        {
            return WasiError::NotStarted;
        }
        WasiError::Trap(t)
    }
}

impl fmt::Display for WasiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WasiError::InvalidArgType {
                name,
                expected,
                actual,
            } => {
                write!(
                    f,
                    "The \"{name}\" property must be of type {expected}. Received {actual}"
                )
            }
            WasiError::InvalidArgValue {
                name,
                value,
                reason,
            } => {
                write!(f, "The property '{name}' {reason}. Received '{value}'")
            }
            WasiError::OutOfRange {
                name,
                range,
                received,
            } => {
                write!(
                    f,
                    "The value of \"{name}\" is out of range. It must be {range}. Received {received}"
                )
            }
            WasiError::AlreadyStarted => f.write_str("WASI instance has already started"),
            WasiError::NotStarted => f.write_str("wasi.start() has not been called"),
            WasiError::AccessDenied { permission } => {
                write!(
                    f,
                    "Access to this API has been restricted (permission: {permission})"
                )
            }
            WasiError::Init {
                errno,
                syscall,
                what,
            } => write!(f, "UVWASI_E{}, {syscall}: {what}", errno.name()),
            WasiError::Exit(code) => write!(f, "the guest exited with status {code}"),
            WasiError::Trap(t) => write!(f, "{t:#}"),
            WasiError::Link(e) => write!(f, "{e}"),
            WasiError::ForeignImports { import } => write!(
                f,
                "the instance's WASI import {import} is not a function of this WASI instance \
                 (it was linked from another Wasi's import object or by add_to_linker); \
                 link each instance with the import object of the Wasi that starts it"
            ),
        }
    }
}

impl std::error::Error for WasiError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WasiError::Trap(t) => Some(t),
            WasiError::Link(e) => Some(e),
            _ => None,
        }
    }
}
