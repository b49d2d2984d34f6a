//! wisp-sandbox (being built).
#![forbid(unsafe_code)]
