//! Runs a WASI program with the Node-style API, the way `node:wasi` does:
//!
//! ```text
//! cargo run --example run_wasi -- fixtures/wasm/hello.wasm some args
//! ```
//!
//! The guest sees the host's stdio, `argv[0]` = the module path, the given
//! arguments, one variable (`GREETING`), and the current directory preopened
//! as `/work`. The process exits with the guest's exit code.

use std::process::ExitCode;
use wisp::{Linker, Module, Store, Wasi, WasiVersion};

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: run_wasi MODULE.wasm [ARGS]...")?;
    let module = Module::from_file(&path)?;

    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .arg(path.as_str())
        .args(args)
        .env("GREETING", "hello")
        .preopen("/work", ".")
        .build()?;

    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let instance = linker.instantiate(&mut store, &module)?;
    let code = wasi.start(&mut store, instance)?;
    Ok(ExitCode::from(code as u8))
}
