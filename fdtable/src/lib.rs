//! wisp-fdtable (being built).
#![forbid(unsafe_code)]
