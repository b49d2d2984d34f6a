//! wisp: facade.
#![forbid(unsafe_code)]
