//! Adds a custom host function beside WASI: the guest imports `env.square`,
//! a Rust closure whose wasm type (`(i32) -> i32`) comes from its signature,
//! and keeps a call count in the store's data.
//!
//! ```text
//! cargo run --example host_function
//! ```

use wisp::interp::Caller;
use wisp::{Linker, Module, SharedBuffer, Stdio, Store, Wasi, WasiVersion};

const GUEST: &str = r#"(module
  (import "env" "square" (func $square (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    ;; exit with square(square(3)) = 81
    (call $exit (call $square (call $square (i32.const 3))))))"#;

struct Counts {
    squares: u32,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let module = Module::new(&wat::parse_str(GUEST)?)?;
    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .stdout(Stdio::Capture(SharedBuffer::new()))
        .build()?;

    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    linker.func_wrap("env", "square", |mut caller: Caller<'_, Counts>, x: i32| {
        caller.data_mut().squares += 1;
        x * x
    });

    let mut store = Store::new(Counts { squares: 0 });
    let instance = linker.instantiate(&mut store, &module)?;
    let code = wasi.start(&mut store, instance)?;
    assert_eq!((code, store.data().squares), (81, 2));
    println!(
        "the guest exited with {code} after {} calls to env.square",
        store.data().squares
    );
    Ok(())
}
