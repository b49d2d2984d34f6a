//! The crate's one error type; `wisp-syscalls`' errno table turns each variant into a WASI errno.

use std::fmt;

use crate::fd::Fd;
use crate::flags::Fdflags;
use crate::rights::Rights;

/// Which of an fd's two rights sets a check looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RightsSet {
    /// `fs_rights_base`: calls on the fd itself.
    Base,
    /// `fs_rights_inheriting`: fds opened through it.
    Inheriting,
}

/// Why an fd-table operation failed.
///
/// Each variant's doc names the errno wasi-reference.md assigns it; the mapping itself
/// lives in `wisp-syscalls`' `errno.rs`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The fd is not open: never opened, closed, or out of range (BADF, F2).
    BadFd {
        /// The guest's fd number.
        fd: Fd,
    },
    /// The fd is open but is not a preopened directory (BADF for `fd_prestat_*`, F5).
    NotPreopen {
        /// The guest's fd number.
        fd: Fd,
    },
    /// The operation needs a directory fd and this one is not (NOTDIR, R6).
    NotDir {
        /// The guest's fd number.
        fd: Fd,
    },
    /// The fd lacks rights the operation needs, or a caller tried to widen its rights
    /// (NOTCAPABLE, R1, R2, F10).
    NotCapable {
        /// The guest's fd number.
        fd: Fd,
        /// Which set lacks them.
        set: RightsSet,
        /// The rights asked for that the set does not hold.
        missing: Rights,
    },
    /// The table is full, or a requested number is beyond its limit (NFILE, F1).
    TooManyFiles {
        /// The table's limit: fd numbers are below it.
        limit: u32,
    },
    /// A flag argument has bits its type does not define (INVAL, M5).
    InvalidFlags {
        /// The spec type's name (`"fdflags"`, `"oflags"`, ...).
        name: &'static str,
        /// The raw value the guest passed.
        bits: u64,
    },
    /// `fd_fdstat_set_flags` tried to change DSYNC, RSYNC or SYNC (NOTSUP, F9).
    UnsupportedFdflags {
        /// The guest's fd number.
        fd: Fd,
        /// The sync flags the call would have changed.
        flags: Fdflags,
    },
}

impl Error {
    /// [`Error::BadFd`] for `fd`.
    #[cold]
    pub fn bad_fd(fd: Fd) -> Error {
        Error::BadFd { fd }
    }

    /// [`Error::NotPreopen`] for `fd`.
    #[cold]
    pub fn not_preopen(fd: Fd) -> Error {
        Error::NotPreopen { fd }
    }

    /// [`Error::NotDir`] for `fd`.
    #[cold]
    pub fn not_dir(fd: Fd) -> Error {
        Error::NotDir { fd }
    }

    /// [`Error::NotCapable`]: `fd`'s `set` lacks `missing`.
    #[cold]
    pub fn not_capable(fd: Fd, set: RightsSet, missing: Rights) -> Error {
        Error::NotCapable { fd, set, missing }
    }

    /// [`Error::TooManyFiles`] for a table limited to `limit` numbers.
    #[cold]
    pub fn too_many_files(limit: u32) -> Error {
        Error::TooManyFiles { limit }
    }

    /// [`Error::InvalidFlags`]: `bits` is not a valid `name`.
    #[cold]
    pub fn invalid_flags(name: &'static str, bits: u64) -> Error {
        Error::InvalidFlags { name, bits }
    }

    /// [`Error::UnsupportedFdflags`]: changing `flags` on `fd` is not supported.
    #[cold]
    pub fn unsupported_fdflags(fd: Fd, flags: Fdflags) -> Error {
        Error::UnsupportedFdflags { fd, flags }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadFd { fd } => write!(f, "fd {fd} is not open"),
            Error::NotPreopen { fd } => write!(f, "fd {fd} is not a preopened directory"),
            Error::NotDir { fd } => write!(f, "fd {fd} is not a directory"),
            Error::NotCapable { fd, set, missing } => {
                let set = match set {
                    RightsSet::Base => "base",
                    RightsSet::Inheriting => "inheriting",
                };
                write!(f, "fd {fd} lacks {set} rights {missing}")
            }
            Error::TooManyFiles { limit } => {
                write!(f, "too many open files: fd numbers are limited to {limit}")
            }
            Error::InvalidFlags { name, bits } => write!(f, "invalid {name} {bits:#x}"),
            Error::UnsupportedFdflags { fd, flags } => {
                write!(f, "fd {fd}: changing fdflags {flags} is not supported")
            }
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_offending_value() {
        assert_eq!(Error::bad_fd(7).to_string(), "fd 7 is not open");
        assert_eq!(
            Error::bad_fd(u32::MAX).to_string(),
            "fd 4294967295 is not open"
        );
        assert_eq!(
            Error::not_preopen(1).to_string(),
            "fd 1 is not a preopened directory"
        );
        assert_eq!(Error::not_dir(5).to_string(), "fd 5 is not a directory");
        assert_eq!(
            Error::not_capable(3, RightsSet::Base, Rights::FD_READ | Rights::FD_WRITE).to_string(),
            "fd 3 lacks base rights FD_READ | FD_WRITE"
        );
        assert_eq!(
            Error::not_capable(4, RightsSet::Inheriting, Rights::FD_SEEK).to_string(),
            "fd 4 lacks inheriting rights FD_SEEK"
        );
        assert_eq!(
            Error::too_many_files(16).to_string(),
            "too many open files: fd numbers are limited to 16"
        );
        assert_eq!(
            Error::invalid_flags("oflags", 0x10).to_string(),
            "invalid oflags 0x10"
        );
        assert_eq!(
            Error::unsupported_fdflags(3, Fdflags::SYNC).to_string(),
            "fd 3: changing fdflags SYNC is not supported"
        );
    }

    #[test]
    fn is_a_std_error() {
        let e: Box<dyn std::error::Error + Send + Sync> = Box::new(Error::bad_fd(9));
        assert!(e.source().is_none());
        assert_eq!(e.to_string(), "fd 9 is not open");
    }
}
