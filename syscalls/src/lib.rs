//! wisp-syscalls (being built).
#![forbid(unsafe_code)]
