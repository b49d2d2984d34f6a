//! Compiles `.wat` text to a `.wasm` binary: `cargo run --example wat2wasm IN.wat OUT.wasm`.
//! `fixtures/build.sh` uses it so rebuilding the WAT fixtures needs no other tool.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: wat2wasm IN.wat OUT.wasm");
        return ExitCode::from(2);
    };
    let bytes = match wat::parse_file(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wat2wasm: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::write(output, bytes) {
        eprintln!("wat2wasm: {output}: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
