//! wisp's end-to-end tests, one binary (linking one binary per file is what
//! makes test runs slow on two cores).

mod api;
mod cli;
mod corpus;
mod differential;
mod fuel;
mod isolation;
mod limits;
mod node;
mod preopen_perms;
mod random_programs;
mod robustness;
mod smith;
mod spec;
mod tenancy;
mod wasi;
mod wasi_api;
