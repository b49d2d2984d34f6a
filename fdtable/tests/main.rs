//! Integration tests for wisp-fdtable: one binary, one module per area.

mod common;
mod host;
mod renumber;
mod rights;
mod table;
