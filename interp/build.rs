//! Chooses the dispatch backend (see `src/exec/threaded.rs`).
//!
//! `cfg(wisp_threaded)` is set when the `threaded` feature is on, the build
//! optimises (`opt-level` 2, 3, `s` or `z`: LLVM makes sibling calls into jumps
//! only then) and the target is x86-64 or AArch64. `WISP_DISPATCH=loop` or
//! `=threaded` overrides the choice (the latter still needs an optimised build).

use std::env;

fn main() {
    println!("cargo:rustc-check-cfg=cfg(wisp_threaded)");
    println!("cargo:rerun-if-env-changed=WISP_DISPATCH");
    let opt = env::var("OPT_LEVEL").unwrap_or_default();
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let optimised = matches!(opt.as_str(), "2" | "3" | "s" | "z");
    let target = matches!(arch.as_str(), "x86_64" | "aarch64");
    let feature = env::var_os("CARGO_FEATURE_THREADED").is_some();
    // op statistics are counted in the loop backend only
    let stats = env::var_os("CARGO_FEATURE_OP_STATS").is_some();
    let threaded = match env::var("WISP_DISPATCH").as_deref() {
        Ok("loop") => false,
        Ok("threaded") => optimised,
        _ => feature && optimised && target,
    };
    if threaded && !stats {
        println!("cargo:rustc-cfg=wisp_threaded");
    }
}
