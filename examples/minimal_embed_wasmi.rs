//! `minimal_embed` on wasmi (a dev-dependency), the peer of the size comparison
//! in `benches/README.md`.
//!
//! ```text
//! cargo run --release --example minimal_embed_wasmi -- fixtures/wasm/fib.wasm 20
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: minimal_embed_wasmi MODULE.wasm N")?;
    let n: i32 = args.next().ok_or("missing N")?.parse()?;
    let bytes = std::fs::read(path)?;
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &bytes[..])?;
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module)?;
    let fib = instance.get_typed_func::<i32, i32>(&store, "fib")?;
    println!("{}", fib.call(&mut store, n)?);
    Ok(())
}
