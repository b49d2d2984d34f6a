//! wisp-interp.
#![deny(unsafe_code)]
