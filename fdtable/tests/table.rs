//! Number allocation, lookups of closed fds, and the table limit.

use std::convert::Infallible;

use wisp_fdtable::{Entry, Error, FdRights, FdTable, Filetype, Host, Rights};

use crate::common::{file_entry, table_with_preopens};

#[test]
fn preopens_are_numbered_from_3_in_order() {
    let table = table_with_preopens(&["/sandbox", ".", "/"]);
    let preopens: Vec<_> = table.preopens().collect();
    assert_eq!(preopens, [(3, "/sandbox"), (4, "."), (5, "/")]);
    assert_eq!(table.len(), 6);
    for fd in 0..3 {
        assert_eq!(table.preopen_name(fd), Err(Error::not_preopen(fd)));
    }
}

#[test]
fn new_fds_get_the_lowest_free_number() {
    let mut table = table_with_preopens(&["/"]);
    assert_eq!(table.insert(file_entry()), Ok(4));
    assert_eq!(table.insert(file_entry()), Ok(5));
    assert_eq!(table.insert(file_entry()), Ok(6));
    table.close(5).expect("5 is open");
    table.close(4).expect("4 is open");
    assert_eq!(table.insert(file_entry()), Ok(4));
    assert_eq!(table.insert(file_entry()), Ok(5));
    assert_eq!(table.insert(file_entry()), Ok(7));
}

#[test]
fn closed_stdio_numbers_are_reused_first() {
    // freopen-style code closes 1 and expects the next open to land on it (F1).
    let mut table = table_with_preopens(&["/"]);
    table.insert(file_entry()).expect("room");
    table.close(1).expect("stdout is open");
    table.close(0).expect("stdin is open");
    assert_eq!(table.insert(file_entry()), Ok(0));
    assert_eq!(table.insert(file_entry()), Ok(1));
    assert_eq!(table.insert(file_entry()), Ok(5));
}

#[test]
fn never_opened_fd_is_badf() {
    let table = table_with_preopens(&[]);
    for fd in [3, 100, 8191, 8192] {
        assert_eq!(
            table.get(fd, Rights::empty()).err(),
            Some(Error::bad_fd(fd))
        );
        assert!(!table.contains(fd));
    }
}

#[test]
fn negative_guest_fd_is_badf() {
    let mut table = table_with_preopens(&["/"]);
    for guest in [-1i32, i32::MIN, -3] {
        let fd = guest as u32;
        assert_eq!(
            table.get(fd, Rights::empty()).err(),
            Some(Error::bad_fd(fd))
        );
        assert_eq!(
            table.get_mut(fd, Rights::empty()).err(),
            Some(Error::bad_fd(fd))
        );
        assert_eq!(table.close(fd).err(), Some(Error::bad_fd(fd)));
        assert_eq!(table.renumber(fd, 3).err(), Some(Error::bad_fd(fd)));
    }
}

#[test]
fn closed_fd_is_badf_and_second_close_too() {
    let mut table = table_with_preopens(&["/"]);
    let fd = table.insert(file_entry()).expect("room");
    let entry = table.close(fd).expect("open");
    assert_eq!(entry.filetype(), Filetype::RegularFile);
    assert_eq!(
        table.get(fd, Rights::empty()).err(),
        Some(Error::bad_fd(fd))
    );
    assert_eq!(table.close(fd).err(), Some(Error::bad_fd(fd)));
}

#[test]
fn closed_preopen_is_badf_for_prestat() {
    let mut table = table_with_preopens(&["/a", "/b"]);
    table.close(3).expect("preopen can be closed");
    assert_eq!(table.preopen_name(3), Err(Error::bad_fd(3)));
    assert_eq!(table.preopen_name(4), Ok("/b"));
    assert_eq!(table.preopens().collect::<Vec<_>>(), [(4, "/b")]);
}

#[test]
fn badf_wins_over_missing_rights() {
    let mut table = table_with_preopens(&[]);
    assert_eq!(table.get(7, Rights::all()).err(), Some(Error::bad_fd(7)));
    assert_eq!(
        table.get_dir(7, Rights::all()).err(),
        Some(Error::bad_fd(7))
    );
    assert_eq!(
        table.set_fdflags(7, Default::default()),
        Err(Error::bad_fd(7))
    );
    assert_eq!(
        table.set_rights(7, Rights::empty(), Rights::empty()),
        Err(Error::bad_fd(7))
    );
}

#[test]
fn table_limit_gives_too_many_files() {
    let mut table: FdTable = FdTable::with_max_fds(4);
    for expected in 0..4 {
        assert_eq!(table.insert(file_entry()), Ok(expected));
    }
    assert_eq!(table.insert(file_entry()), Err(Error::too_many_files(4)));
    assert_eq!(table.len(), 4);
    table.close(2).expect("open");
    assert_eq!(
        table.insert(file_entry()),
        Ok(2),
        "a close makes room again"
    );
    assert_eq!(
        table.insert_at(4, file_entry()).err(),
        Some(Error::too_many_files(4))
    );
    assert_eq!(
        table.insert_at(u32::MAX, file_entry()).err(),
        Some(Error::too_many_files(4))
    );
}

#[test]
fn default_limit_stops_at_default_max_fds() {
    let mut table: FdTable<()> = FdTable::new();
    let stream = || Entry::new(Host::Stream(()), Filetype::CharacterDevice, FdRights::TTY);
    for _ in 0..wisp_fdtable::DEFAULT_MAX_FDS {
        table.insert(stream()).expect("below the default limit");
    }
    assert_eq!(table.len(), wisp_fdtable::DEFAULT_MAX_FDS as usize);
    let err = table.insert(stream()).expect_err("table is full");
    assert_eq!(err, Error::too_many_files(wisp_fdtable::DEFAULT_MAX_FDS));
    assert_eq!(
        err.to_string(),
        "too many open files: fd numbers are limited to 8192"
    );
}

#[test]
fn insert_at_leaves_gaps_for_lowest_free_and_returns_replaced() {
    let mut table: FdTable = FdTable::new();
    assert!(
        table
            .insert_at(5, file_entry())
            .expect("below limit")
            .is_none()
    );
    assert_eq!(table.insert(file_entry()), Ok(0));
    let dir = Entry::<Infallible>::preopen(crate::common::temp_dir_fd(), "/p");
    let old = table
        .insert_at(5, dir)
        .expect("below limit")
        .expect("5 was open");
    assert_eq!(old.filetype(), Filetype::RegularFile);
    assert_eq!(table.preopen_name(5), Ok("/p"));
    assert_eq!(table.len(), 2);
    assert_eq!(table.iter().map(|(fd, _)| fd).collect::<Vec<_>>(), [0, 5]);
}
