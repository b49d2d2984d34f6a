//! Builders shared by the test modules.

use std::convert::Infallible;
use std::os::fd::OwnedFd;

use wisp_fdtable::{Entry, FdRights, FdTable, Filetype, Host};

/// A table laid out as the WASI context builds it: stdio at 0-2 borrowing the host's fds,
/// then one preopen per name at 3, 4, ….
pub fn table_with_preopens(names: &[&str]) -> FdTable {
    let mut table = FdTable::new();
    let stdio: [Host<Infallible>; 3] = [Host::stdin(), Host::stdout(), Host::stderr()];
    for (fd, host) in (0..).zip(stdio) {
        let old = table
            .insert_at(
                fd,
                Entry::new(host, Filetype::CharacterDevice, FdRights::TTY),
            )
            .expect("0-2 are below the limit");
        assert!(old.is_none());
    }
    for name in names {
        table
            .insert(Entry::preopen(temp_dir_fd(), *name))
            .expect("room for preopens");
    }
    table
}

/// A fresh owned handle on the system temp directory.
pub fn temp_dir_fd() -> OwnedFd {
    std::fs::File::open(std::env::temp_dir())
        .expect("temp dir opens")
        .into()
}

/// A regular-file entry on a fresh temp file.
pub fn file_entry() -> Entry<Infallible> {
    let file = tempfile::tempfile().expect("temp file");
    Entry::new(
        Host::Owned(file.into()),
        Filetype::RegularFile,
        FdRights::REGULAR_FILE,
    )
}
