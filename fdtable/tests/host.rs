//! What closing does to host fds: owned ones close, borrowed ones (stdio) never do.

use std::os::fd::{AsFd, OwnedFd};

use rustix::io::{Errno, fcntl_getfd, read, write};
use rustix::pipe::{PipeFlags, pipe_with};
use wisp_fdtable::{Entry, FdRights, FdTable, Filetype, Host, Rights};

use crate::common::table_with_preopens;

/// A pipe whose read end never blocks: `Ok(0)` means every write end is closed.
fn pipe() -> (OwnedFd, OwnedFd) {
    pipe_with(PipeFlags::NONBLOCK | PipeFlags::CLOEXEC).expect("pipe")
}

fn host_stdio_open() -> [bool; 3] {
    [
        fcntl_getfd(std::io::stdin().as_fd()).is_ok(),
        fcntl_getfd(std::io::stdout().as_fd()).is_ok(),
        fcntl_getfd(std::io::stderr().as_fd()).is_ok(),
    ]
}

#[test]
fn closing_stdio_leaves_host_fds_0_1_2_open() {
    let mut table = table_with_preopens(&["/"]);
    for fd in 0..3 {
        drop(table.close(fd).expect("stdio is open"));
        assert_eq!(
            table.get(fd, Rights::empty()).err().map(|e| e.to_string()),
            Some(format!("fd {fd} is not open"))
        );
    }
    assert_eq!(host_stdio_open(), [true; 3]);
}

#[test]
fn renumbering_over_stdio_and_dropping_the_table_leave_host_fds_open() {
    let mut table = table_with_preopens(&["/"]);
    drop(table.renumber(3, 1).expect("both open"));
    drop(table.renumber(0, 2).expect("both open"));
    assert_eq!(host_stdio_open(), [true; 3]);
    drop(table);
    assert_eq!(host_stdio_open(), [true; 3]);
}

#[test]
fn closing_an_owned_entry_closes_the_host_fd() {
    let (rd, wr) = pipe();
    let mut table: FdTable = FdTable::new();
    let fd = table
        .insert(Entry::new(
            Host::Owned(wr),
            Filetype::SocketStream,
            FdRights::SOCKET,
        ))
        .expect("room");
    assert_eq!(
        read(&rd, &mut [0u8; 1]),
        Err(Errno::AGAIN),
        "writer still open"
    );
    drop(table.close(fd).expect("open"));
    assert_eq!(read(&rd, &mut [0u8; 1]), Ok(0), "writer closed: EOF");
}

#[test]
fn closing_a_borrowed_entry_never_closes_the_host_fd() {
    let (rd, wr) = pipe();
    let wr: &'static OwnedFd = Box::leak(Box::new(wr));
    let mut table: FdTable = FdTable::new();
    let fd = table
        .insert(Entry::new(
            Host::Borrowed(wr.as_fd()),
            Filetype::SocketStream,
            FdRights::SOCKET,
        ))
        .expect("room");
    drop(table.close(fd).expect("open"));
    drop(table);
    assert_eq!(write(wr, b"x"), Ok(1), "host fd still writable");
    let mut buf = [0u8; 1];
    assert_eq!(read(&rd, &mut buf), Ok(1));
    assert_eq!(&buf, b"x");
}

#[test]
fn renumber_closes_an_owned_target() {
    let (rd, wr) = pipe();
    let mut table = table_with_preopens(&["/"]);
    let target = table
        .insert(Entry::new(
            Host::Owned(wr),
            Filetype::SocketStream,
            FdRights::SOCKET,
        ))
        .expect("room");
    drop(table.renumber(3, target).expect("both open"));
    assert_eq!(
        read(&rd, &mut [0u8; 1]),
        Ok(0),
        "replaced writer closed: EOF"
    );
}

#[test]
fn preopen_handle_is_the_directory() {
    let table = table_with_preopens(&["/"]);
    let dir = table.get_dir(3, Rights::PATH_OPEN).expect("preopen");
    let stat = rustix::fs::fstat(dir.fd().expect("owned fd")).expect("fstat");
    let host_type = rustix::fs::FileType::from_raw_mode(stat.st_mode);
    assert_eq!(Filetype::from_host(host_type), dir.filetype());
}
