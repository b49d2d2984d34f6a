//! wisp: a small, fast, safe WebAssembly runtime.
//!
//! This crate is the embedding facade and the home of the `wisp` command's
//! logic. The interpreter lives in [`interp`], the WASI preview1 layer in
//! [`wasi`]; the types an embedder needs most are re-exported at the top.
//!
//! Running a WASI program the way Node's `node:wasi` does:
//!
//! ```no_run
//! use wisp::{Linker, Module, Store, Wasi, WasiVersion};
//!
//! let module = Module::from_file("app.wasm")?;
//! let mut wasi = Wasi::builder(WasiVersion::Preview1).arg("app").preopen("/sandbox", "/tmp/job").build()?;
//! let mut linker = Linker::new();
//! wasi.import_object().add_to_linker(&mut linker);
//! let mut store = Store::new(());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let exit_code = wasi.start(&mut store, instance)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use wisp::{Linker, Module, Store};
//!
//! let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
//!     (i32.add (local.get 0) (local.get 1))))"#)?;
//! let module = Module::new(&wasm)?;
//! let mut store = Store::new(());
//! let instance = Linker::new().instantiate(&mut store, &module)?;
//! let add = instance.get_typed_func::<(i32, i32), i32>(&store, "add")?;
//! assert_eq!(add.call(&mut store, (2, 40))?, 42);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Features: `wat` (default) adds [`WatModule`], building modules from the
//! WebAssembly text format.
#![forbid(unsafe_code)]

pub mod command;

#[cfg(feature = "wat")]
mod wat_input;
#[cfg(feature = "wat")]
pub use wat_input::WatModule;

pub use wisp_interp as interp;
/// The whole host API of the interpreter, so that `wisp::` is the one import
/// path an embedder needs.
pub use wisp_interp::*;
pub use wisp_syscalls as wasi;
pub use wisp_syscalls::{
    DirPerms, FilePerms, ImportObject, SharedBuffer, Stdio, StdioStream, Wasi, WasiBuilder,
    WasiCtx, WasiError, WasiOptions, WasiVersion,
};
