//! wisp: a small, fast, safe WebAssembly runtime.
//!
//! This crate is the embedding facade and the home of the `wisp` command's
//! logic. The interpreter lives in [`interp`] (re-exported here); the WASI
//! preview1 layer arrives in `wisp-syscalls`.
//!
//! ```
//! use wisp::interp::{Linker, Module, Store};
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
#![forbid(unsafe_code)]

pub mod command;

pub use wisp_interp as interp;
pub use wisp_interp::{Error, Instance, Linker, Module, Store, Trap, TrapKind, Val, ValType};
