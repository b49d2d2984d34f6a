//! `fd_*`: descriptor operations (§4.3, §4.4, §4.7, §4.8, §4.10).
//!
//! Reads and writes go straight between the host and guest memory where they can: writes
//! hand the guest's buffers to one `writev`, reads carve the guest's buffers into disjoint
//! slices for one `readv` (W2). Only overlapping read buffers and embedder streams are
//! staged through one host buffer. Nothing is buffered on the way out (W1).

// One file per concept, all re-exported here so `fd::fd_read` is the one path to each:
// `io` reads, writes and moves the offset; `fdstat` reports the descriptor's own flags and
// rights, changes the flags and narrows the rights; `file` works on the file behind a
// descriptor (filestat, size, times, advice, allocation, sync); `dir` lists a directory;
// `table` closes and renumbers descriptors and answers the preopen queries.
mod dir;
mod fdstat;
mod file;
mod io;
mod table;

#[cfg(test)]
mod tests;

pub use dir::fd_readdir;
pub(crate) use fdstat::fdstat;
pub use fdstat::{fd_fdstat_get, fd_fdstat_set_flags, fd_fdstat_set_rights};
pub(crate) use file::filestat;
pub use file::{
    fd_advise, fd_allocate, fd_datasync, fd_filestat_get, fd_filestat_set_size,
    fd_filestat_set_times, fd_sync,
};
pub(crate) use io::seek;
pub use io::{fd_pread, fd_pwrite, fd_read, fd_seek, fd_tell, fd_write};
pub use table::{fd_close, fd_prestat_dir_name, fd_prestat_get, fd_renumber};
