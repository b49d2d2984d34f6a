//! wisp-syscalls: wisp's hand-written WASI preview1 host, and the `wasi_unstable`
//! ABI as a converting adapter over it.
//!
//! It owns the 46 host functions (one file per family, named exactly like the
//! imports), guest-memory access ([`guest`]), the errno table ([`Errno`]), and
//! the [`Wasi`] facade that mirrors Node's `node:wasi`. It builds on
//! `wisp-interp`'s public host API (the `Linker`, `Caller`, `Memory`), on
//! `wisp-fdtable` for descriptors and rights and on `wisp-sandbox` for path
//! resolution; it never touches the interpreter's internals.
//!
//! ```no_run
//! use wisp_interp::{Linker, Module, Store};
//! use wisp_syscalls::{Wasi, WasiVersion};
//!
//! let module = Module::from_file("app.wasm")?;
//! let mut wasi = Wasi::builder(WasiVersion::Preview1).arg("app").preopen("/data", "./data").build()?;
//! let mut linker = Linker::new();
//! wasi.import_object().add_to_linker(&mut linker);
//! let mut store = Store::new(());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let code = wasi.start(&mut store, instance)?;
//! std::process::exit(code);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A `Wasi` serves exactly one instance (starting an instance linked with
//! another `Wasi`'s functions is [`WasiError::ForeignImports`]). To run many
//! instances from one linker, each store owning its own [`WasiCtx`], use
//! [`add_to_linker`] with contexts from [`WasiBuilder::build_ctx`].
#![forbid(unsafe_code)]

pub mod abi;
pub mod args;
pub mod clock;
mod ctx;
mod errno;
mod error;
pub mod fd;
pub mod guest;
mod link;
pub mod path;
pub mod poll;
pub mod proc;
pub mod random;
pub mod sched;
pub mod sock;
pub mod unstable;
mod wasi;

pub use ctx::{SharedBuffer, Stdio, StdioStream, Stream, WasiCtx};
pub use errno::Errno;
pub use error::WasiError;
pub use link::{PREVIEW1_FUNCTIONS, add_to_linker};
pub use wasi::{ImportObject, Wasi, WasiBuilder, WasiImport, WasiOptions, WasiVersion};
pub use wisp_fdtable::{DirPerms, FilePerms};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasi_is_send() {
        fn send<T: Send>() {}
        send::<Wasi>();
    }

    /// What design §3 promises for multi-tenancy: a linker (of either pattern) is shared
    /// between threads; a store whose data owns a `WasiCtx` moves between them.
    #[test]
    fn the_tenancy_types_are_send_and_sync_as_documented() {
        fn send<T: Send>() {}
        fn sync<T: Sync>() {}
        send::<WasiCtx>();
        send::<wisp_interp::Store<WasiCtx>>();
        send::<wisp_interp::Linker<WasiCtx>>();
        sync::<wisp_interp::Linker<WasiCtx>>();
        sync::<wisp_interp::Module>();
        send::<WasiImport>();
        send::<ImportObject>();
    }
}
