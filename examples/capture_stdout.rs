//! Captures a guest's stdout in memory instead of the host's terminal, and
//! feeds it a fixed stdin:
//!
//! ```text
//! cargo run --example capture_stdout
//! ```

use wisp::{Linker, Module, SharedBuffer, Stdio, Store, Wasi, WasiVersion};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let module = Module::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/wasm/hello.wasm"
    ))?;
    let out = SharedBuffer::new();
    let mut wasi = Wasi::builder(WasiVersion::Preview1)
        .args(["hello", "captured", "argument"])
        .stdin(Stdio::Bytes(b"unused input\n".to_vec()))
        .stdout(Stdio::Capture(out.clone()))
        .stderr(Stdio::Null)
        .build()?;

    let mut linker = Linker::new();
    wasi.import_object().add_to_linker(&mut linker);
    let mut store = Store::new(());
    let instance = linker.instantiate(&mut store, &module)?;
    let code = wasi.start(&mut store, instance)?;

    let text = out.to_string_lossy();
    assert_eq!(text, "Hello from wisp!\ncaptured\nargument\n");
    println!("exit code {code}; the guest wrote {} bytes:", text.len());
    for line in text.lines() {
        println!("  | {line}");
    }
    Ok(())
}
