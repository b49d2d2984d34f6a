//! wisp's end-to-end tests, one binary (linking one binary per file is what
//! makes test runs slow on two cores).

mod api;
mod cli;
mod differential;
mod fuel;
mod node;
mod random_programs;
mod robustness;
mod spec;
mod wasi;
mod wasi_api;
