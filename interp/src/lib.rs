//! wisp-interp: wisp's WebAssembly interpreter.
//!
//! It owns decoding and validation (with `wasmparser`, in one pass), the
//! translation of every function into wisp's compact bytecode, the executor,
//! the store with its memories, tables and globals, and the typed host-function
//! registry ([`Linker`]). It knows nothing of WASI, file descriptors or paths:
//! the `wisp-syscalls` crate builds WASI on the host API exported here.
//!
//! Implemented: WebAssembly 1.0 and 2.0 without SIMD (mutable globals,
//! sign-extension, non-trapping float-to-int, multi-value, bulk memory,
//! reference types).
//!
//! ```
//! use wisp_interp::{Linker, Module, Store};
//!
//! let wasm = wat::parse_str(r#"
//!     (module
//!       (import "host" "double" (func $double (param i32) (result i32)))
//!       (func (export "run") (param i32) (result i32)
//!         (call $double (i32.add (local.get 0) (i32.const 1)))))
//! "#)?;
//! let module = Module::new(&wasm)?;
//! let mut store = Store::new(0u32);
//! let mut linker = Linker::new();
//! linker.func_wrap("host", "double", |x: i32| x * 2);
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_typed_func::<i32, i32>(&store, "run")?;
//! assert_eq!(run.call(&mut store, 20)?, 42);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Features: none; the crate has no optional parts.
#![deny(unsafe_code)]

pub(crate) mod bytecode;
mod error;
pub(crate) mod exec;
mod handle;
mod host;
mod module;
mod stack;
mod store;
pub(crate) mod translate;
mod types;
mod value;

pub use error::{Error, ErrorKind, FrameInfo, Trap, TrapKind};
#[cfg(feature = "op-stats")]
pub use exec::dump_op_stats;
pub use exec::{ResumableCall, ResumableInvocation, SuspendReason};
pub use host::{
    IntoFunc, Linker, TypedFunc, TypedResumableCall, TypedResumableInvocation, WasmParams,
    WasmResults, WasmRet, WasmTy,
};
pub use module::Module;
pub use store::fuel::{Deadline, InterruptHandle};
pub use store::limits::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
pub use store::memory::PAGE_SIZE;
pub use store::{
    AsContext, AsContextMut, Caller, Config, Extern, Global, Instance, Memory, Provider, Store,
    StoreId, Table,
};
pub use types::{
    ExternType, FuncType, GlobalType, Limits, MemoryType, Mutability, TableType, ValType,
};
pub use value::{ExternRef, Func, Val};
