//! The guest's fd number type, shared by the table and its errors.

/// A guest fd number (`fd`, a u32 handle). A guest's negative `i32` arrives as a large
/// number and is simply not open.
pub type Fd = u32;
