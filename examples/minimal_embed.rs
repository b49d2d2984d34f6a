//! The smallest useful embedding, for the size comparison in `benches/README.md`:
//! load a module, call its export `fib` with an i32, print the result.
//!
//! ```text
//! cargo run --release --example minimal_embed -- fixtures/wasm/fib.wasm 20
//! ```
//! `minimal_embed_wasmi` is the same program on wasmi.

use wisp::interp::{Linker, Module, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: minimal_embed MODULE.wasm N")?;
    let n: i32 = args.next().ok_or("missing N")?.parse()?;
    let module = Module::from_file(path)?;
    let mut store = Store::new(());
    let instance = Linker::new().instantiate(&mut store, &module)?;
    let fib = instance.get_typed_func::<i32, i32>(&store, "fib")?;
    println!("{}", fib.call(&mut store, n)?);
    Ok(())
}
