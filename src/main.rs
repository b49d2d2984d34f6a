//! wisp command.
fn main() {}
