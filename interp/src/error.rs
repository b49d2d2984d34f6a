//! `Error` (anything before execution starts, and failed calls) and `Trap` (runtime).

use core::fmt;
use std::sync::Arc;

/// What went wrong while decoding, validating, linking, instantiating or calling.
///
/// Kept one pointer wide; the detail lives in [`ErrorKind`].
pub struct Error(Box<ErrorKind>);

/// The detail of an [`Error`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not a well-formed, valid module (wasmparser's message and offset).
    Invalid {
        /// What is wrong.
        message: String,
        /// Byte offset in the module.
        offset: usize,
    },
    /// A valid module that uses a feature wisp does not implement.
    Unsupported(String),
    /// An import could not be satisfied.
    Link {
        /// `module::name` of the import.
        import: String,
        /// Why it failed.
        reason: String,
    },
    /// A configured limit would be exceeded (memory pages, table size, instances...).
    Limit(String),
    /// A host-side call had the wrong argument or result types or counts.
    Type(String),
    /// No such export, or an export of another kind.
    Export(String),
    /// A handle (or a reference inside a value) made by one store was used
    /// with another: the message names both.
    ForeignHandle(String),
    /// Execution trapped (during a call or while instantiating).
    Trap(Trap),
    /// Reading a module file failed.
    Io(std::io::Error),
    /// The store's [`Config`](crate::Config) does not enable what was asked
    /// (fuel with `consume_fuel` off, an interrupt handle with `interruptible` off),
    /// or a resumable invocation was resumed with another store.
    Config(String),
}

impl Error {
    /// The detail.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The trap, when this error is one.
    pub fn as_trap(&self) -> Option<&Trap> {
        match &*self.0 {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// Converts into the trap, when this error is one.
    ///
    /// # Errors
    /// Gives `self` back when it is not a trap.
    pub fn into_trap(self) -> Result<Trap, Error> {
        match *self.0 {
            ErrorKind::Trap(t) => Ok(t),
            kind => Err(Error(Box::new(kind))),
        }
    }

    #[cold]
    pub(crate) fn invalid(message: impl Into<String>, offset: usize) -> Self {
        Error(Box::new(ErrorKind::Invalid {
            message: message.into(),
            offset,
        }))
    }

    #[cold]
    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Unsupported(what.into())))
    }

    #[cold]
    pub(crate) fn link(module: &str, name: &str, reason: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Link {
            import: format!("{module}::{name}"),
            reason: reason.into(),
        }))
    }

    #[cold]
    pub(crate) fn limit(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Limit(what.into())))
    }

    #[cold]
    pub(crate) fn ty(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Type(what.into())))
    }

    #[cold]
    pub(crate) fn foreign(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::ForeignHandle(what.into())))
    }

    #[cold]
    pub(crate) fn export(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Export(what.into())))
    }

    #[cold]
    pub(crate) fn config(what: impl Into<String>) -> Self {
        Error(Box::new(ErrorKind::Config(what.into())))
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error(Box::new(ErrorKind::Trap(t)))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(Box::new(ErrorKind::Io(e)))
    }
}

impl From<wasmparser::BinaryReaderError> for Error {
    fn from(e: wasmparser::BinaryReaderError) -> Self {
        Error::invalid(e.message(), e.offset() as usize)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Invalid { message, offset } => {
                write!(f, "invalid module: {message} (at offset {offset:#x})")
            }
            ErrorKind::Unsupported(what) => write!(f, "unsupported: {what}"),
            ErrorKind::Link { import, reason } => write!(
                f,
                "unknown import or incompatible import type: {import}: {reason}"
            ),
            ErrorKind::Limit(what) => write!(f, "limit exceeded: {what}"),
            ErrorKind::Type(what) => write!(f, "type mismatch: {what}"),
            ErrorKind::Export(what) => write!(f, "{what}"),
            ErrorKind::ForeignHandle(what) => write!(f, "wrong store: {what}"),
            ErrorKind::Trap(t) => fmt::Display::fmt(t, f),
            ErrorKind::Io(e) => write!(f, "{e}"),
            ErrorKind::Config(what) => write!(f, "{what}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Trap(t) => Some(t),
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// Why execution stopped abnormally.
#[derive(Debug)]
#[non_exhaustive]
pub enum TrapKind {
    /// `unreachable` was executed.
    Unreachable,
    /// A load, store or bulk memory operation was out of bounds.
    MemoryOutOfBounds,
    /// A table access or bulk table operation was out of bounds.
    TableOutOfBounds,
    /// `call_indirect` through an index beyond the table.
    UndefinedElement,
    /// `call_indirect` through a null entry.
    UninitializedElement,
    /// `call_indirect` found a function of another type.
    IndirectCallTypeMismatch,
    /// Signed division overflow or an unrepresentable float-to-int conversion.
    IntegerOverflow,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Float-to-int conversion of a NaN.
    InvalidConversionToInteger,
    /// The call depth or value stack limit was reached.
    StackOverflow,
    /// The guest asked to exit with this status (WASI `proc_exit`); unwinds every frame.
    Exit(i32),
    /// A host function failed.
    Host(Box<dyn std::error::Error + Send + Sync>),
    /// The store's fuel ran out ([`Config::consume_fuel`](crate::Config::consume_fuel)).
    OutOfFuel,
    /// The host interrupted the run ([`InterruptHandle::interrupt`](crate::InterruptHandle::interrupt)).
    Interrupted,
    /// A [`Deadline`](crate::Deadline) passed before the run ended.
    DeadlineExceeded,
    /// A host function asked to suspend the call ([`Trap::host_yield`]); outside a
    /// resumable call this ends the call like any other trap.
    HostYield,
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The texts are the spec test suite's, so `assert_trap` can match them.
        match self {
            TrapKind::Unreachable => f.write_str("unreachable"),
            TrapKind::MemoryOutOfBounds => f.write_str("out of bounds memory access"),
            TrapKind::TableOutOfBounds => f.write_str("out of bounds table access"),
            TrapKind::UndefinedElement => f.write_str("undefined element"),
            TrapKind::UninitializedElement => f.write_str("uninitialized element"),
            TrapKind::IndirectCallTypeMismatch => f.write_str("indirect call type mismatch"),
            TrapKind::IntegerOverflow => f.write_str("integer overflow"),
            TrapKind::IntegerDivideByZero => f.write_str("integer divide by zero"),
            TrapKind::InvalidConversionToInteger => f.write_str("invalid conversion to integer"),
            TrapKind::StackOverflow => f.write_str("call stack exhausted"),
            TrapKind::Exit(code) => write!(f, "exit with status {code}"),
            TrapKind::Host(e) => write!(f, "host error: {e}"),
            TrapKind::OutOfFuel => f.write_str("all fuel consumed"),
            TrapKind::Interrupted => f.write_str("interrupted by the host"),
            TrapKind::DeadlineExceeded => f.write_str("deadline exceeded"),
            TrapKind::HostYield => f.write_str("host function yielded outside a resumable call"),
        }
    }
}

/// One wasm frame of a trap's backtrace, innermost first.
#[derive(Clone, Debug)]
pub struct FrameInfo {
    /// The module's name from its name section, if any.
    pub module: Option<Arc<str>>,
    /// Index in the module's function space.
    pub func_index: u32,
    /// The function's name from the name section, if any.
    pub func_name: Option<Arc<str>>,
}

impl fmt::Display for FrameInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.module {
            write!(f, "{m}!")?;
        }
        match &self.func_name {
            Some(n) => write!(f, "{n}"),
            None => write!(f, "<wasm function {}>", self.func_index),
        }
    }
}

/// A runtime trap: its kind and the wasm backtrace at the point it happened.
pub struct Trap(Box<TrapInner>);

struct TrapInner {
    kind: TrapKind,
    backtrace: Vec<FrameInfo>,
    /// Frames beyond [`Trap::MAX_FRAMES`] that were not recorded.
    omitted: usize,
}

fn same_frame(a: &FrameInfo, b: &FrameInfo) -> bool {
    a.func_index == b.func_index && a.module == b.module
}

impl Trap {
    /// A trap of the given kind, with no backtrace yet.
    #[cold]
    pub fn new(kind: TrapKind) -> Self {
        Trap(Box::new(TrapInner {
            kind,
            backtrace: Vec::new(),
            omitted: 0,
        }))
    }

    /// A host error trap with a message.
    #[cold]
    pub fn host(message: impl Into<String>) -> Self {
        Trap::new(TrapKind::Host(message.into().into()))
    }

    /// The exit request of WASI `proc_exit`: unwinds every wasm frame.
    #[cold]
    pub fn exit(status: i32) -> Self {
        Trap::new(TrapKind::Exit(status))
    }

    /// A host function's request to suspend the running call: in a resumable
    /// call ([`Func::call_resumable`](crate::Func::call_resumable)) the call
    /// returns [`ResumableCall::Suspended`](crate::ResumableCall::Suspended) with
    /// [`SuspendReason::HostYield`](crate::SuspendReason::HostYield), and the
    /// values given to `resume` become the host function's results; in a plain
    /// call it is a trap of kind [`TrapKind::HostYield`].
    #[cold]
    pub fn host_yield() -> Self {
        Trap::new(TrapKind::HostYield)
    }

    /// The kind.
    pub fn kind(&self) -> &TrapKind {
        &self.0.kind
    }

    /// The exit status, when this trap is an exit request.
    pub fn exit_status(&self) -> Option<i32> {
        match self.0.kind {
            TrapKind::Exit(code) => Some(code),
            _ => None,
        }
    }

    /// The wasm frames active when the trap happened, innermost first.
    pub fn backtrace(&self) -> &[FrameInfo] {
        &self.0.backtrace
    }

    /// The most frames a backtrace records (innermost first).
    pub const MAX_FRAMES: usize = 1000;

    /// Frames active beyond the [`Trap::MAX_FRAMES`] recorded ones.
    pub fn omitted_frames(&self) -> usize {
        self.0.omitted
    }

    pub(crate) fn with_backtrace(mut self, frames: Vec<FrameInfo>, omitted: usize) -> Self {
        if self.0.backtrace.is_empty() {
            self.0.backtrace = frames;
            self.0.omitted = omitted;
        }
        self
    }
}

impl From<TrapKind> for Trap {
    fn from(kind: TrapKind) -> Self {
        Trap::new(kind)
    }
}

impl fmt::Display for Trap {
    /// The trap message; with `{:#}`, followed by the wasm backtrace.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.kind)?;
        if f.alternate() && !self.0.backtrace.is_empty() {
            f.write_str("\nwasm backtrace:")?;
            // Runs of the same frame (deep recursion) print once with a count.
            let frames = &self.0.backtrace;
            let mut i = 0;
            while i < frames.len() {
                let run = frames[i..]
                    .iter()
                    .take_while(|g| same_frame(g, &frames[i]))
                    .count();
                write!(f, "\n  {i:>3}: {}", frames[i])?;
                if run > 1 {
                    write!(f, " (and {} more times)", run - 1)?;
                }
                i += run;
            }
            if self.0.omitted > 0 {
                write!(f, "\n  ... {} older frames omitted", self.0.omitted)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trap")
            .field("kind", &self.0.kind)
            .field("backtrace", &self.0.backtrace)
            .finish()
    }
}

impl std::error::Error for Trap {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.kind {
            TrapKind::Host(e) => Some(&**e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_and_trap_are_one_pointer() {
        assert_eq!(core::mem::size_of::<Error>(), core::mem::size_of::<usize>());
        assert_eq!(core::mem::size_of::<Trap>(), core::mem::size_of::<usize>());
        assert_eq!(
            core::mem::size_of::<Result<(), Trap>>(),
            core::mem::size_of::<usize>()
        );
    }

    #[test]
    fn trap_messages_are_the_spec_texts() {
        assert_eq!(
            Trap::new(TrapKind::IntegerDivideByZero).to_string(),
            "integer divide by zero"
        );
        assert_eq!(
            Trap::new(TrapKind::StackOverflow).to_string(),
            "call stack exhausted"
        );
    }

    #[test]
    fn repeated_frames_print_once_with_a_count() {
        let frame = FrameInfo {
            module: None,
            func_index: 1,
            func_name: Some("rec".into()),
        };
        let t = Trap::new(TrapKind::StackOverflow).with_backtrace(vec![frame; 5], 7);
        let s = format!("{t:#}");
        assert_eq!(s.matches("rec").count(), 1, "{s}");
        assert!(
            s.contains("4 more times") && s.contains("7 older frames"),
            "{s}"
        );
    }

    #[test]
    fn alternate_display_shows_the_backtrace() {
        let t = Trap::new(TrapKind::Unreachable).with_backtrace(
            vec![FrameInfo {
                module: None,
                func_index: 3,
                func_name: Some("boom".into()),
            }],
            0,
        );
        let s = format!("{t:#}");
        assert!(s.contains("unreachable") && s.contains("boom"), "{s}");
    }
}
