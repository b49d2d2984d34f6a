//! wisp's WASI file-descriptor table: guest fd numbers, the entry behind each, and its rights.
//!
//! # What this crate owns
//!
//! - **Numbers**: [`FdTable`] hands out the lowest free fd, places stdio at 0–2 and preopens
//!   at 3, 4, …, renumbers and closes, and enforces a configurable limit.
//! - **Entries**: an [`Entry`] holds the host handle ([`Host`]: an owned fd, a borrowed fd
//!   that is never closed such as the process's stdout, or an embedder stream `S`), the
//!   [`Filetype`] reported to the guest, WASI [`Fdflags`], the preopen name and the
//!   [`DirSnapshot`] that keeps `fd_readdir` cookies stable.
//! - **Rights**: [`Rights`] (all 30 preview1 bits), the default [`FdRights`] per descriptor
//!   type, lookups that demand rights in one call, narrowing, and `path_open`'s inheritance
//!   rules ([`OpenRequest`]). The other flag sets that travel with fd state live here too:
//!   [`Oflags`], [`Lookupflags`], [`Fstflags`].
//! - **Permissions**: an embedder's [`DirPerms`] and [`FilePerms`] for a preopen (wasmtime's
//!   names), each standing for a fixed list of rights; [`FdRights::preopen`] turns them into
//!   the preopen's base and inheriting sets, so a read-only preopen is enforced by the same
//!   rights checks as everything else.
//!
//! # What it must not know
//!
//! Paths and their resolution (that is `wisp-sandbox`; this crate stores fds and never
//! opens anything), the interpreter, guest memory and WASI struct layouts, and errno
//! numbers: [`Error`] says *what* went wrong and `wisp-syscalls` maps it to an errno.
//! The rules followed are wasi-reference.md §2.3, §2.4, §4.3 and §4.4.
//!
//! # Example
//!
//! ```
//! use wisp_fdtable::{Entry, Error, FdTable, Host, Rights};
//! # use wisp_fdtable::{FdRights, Filetype};
//!
//! let mut table: FdTable = FdTable::new();
//! table.insert_at(0, Entry::new(Host::stdin(), Filetype::CharacterDevice, FdRights::TTY))?;
//! table.insert_at(1, Entry::new(Host::stdout(), Filetype::CharacterDevice, FdRights::TTY))?;
//! table.insert_at(2, Entry::new(Host::stderr(), Filetype::CharacterDevice, FdRights::TTY))?;
//! let dir = std::fs::File::open(std::env::temp_dir()).expect("temp dir opens");
//! let fd = table.insert(Entry::preopen(dir.into(), "/tmp"))?;
//! assert_eq!(fd, 3);
//!
//! // One call checks that the fd is open and holds the rights.
//! assert!(table.get_dir(3, Rights::PATH_OPEN).is_ok());
//! assert_eq!(table.get(3, Rights::FD_WRITE).unwrap_err().to_string(), "fd 3 lacks base rights FD_WRITE");
//! assert_eq!(table.get(9, Rights::FD_WRITE).unwrap_err(), Error::bad_fd(9));
//!
//! // Closing the guest's stdout never closes the host's.
//! drop(table.close(1)?);
//! assert!(rustix::io::fcntl_getfd(std::io::stdout()).is_ok());
//! # Ok::<(), Error>(())
//! ```
//!
//! # Features
//!
//! None.

#![forbid(unsafe_code)]

mod entry;
mod error;
mod fd;
mod flags;
mod guest;
mod rights;
mod table;

pub use entry::{DirSnapshot, Dirent, Entry, Host};
pub use error::{Error, RightsSet};
pub use fd::Fd;
pub use flags::{Fdflags, Filetype, Fstflags, Lookupflags, Oflags};
pub use rights::{Access, DirPerms, FdRights, FilePerms, OpenRequest, Rights};
pub use table::{DEFAULT_MAX_FDS, FdTable, MAX_FDS_CEILING};
