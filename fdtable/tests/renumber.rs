//! fd_renumber per wasi-reference.md F4.

use std::os::fd::AsRawFd;

use wisp_fdtable::{Error, FdRights, Fdflags, Filetype, Rights};

use crate::common::{file_entry, table_with_preopens};

#[test]
fn renumber_moves_the_entry_and_frees_from() {
    let mut table = table_with_preopens(&["/"]);
    let from = table
        .insert(file_entry().with_fdflags(Fdflags::APPEND))
        .expect("room");
    let to = table.insert(file_entry()).expect("room");
    table
        .set_rights(from, Rights::FD_WRITE, Rights::empty())
        .expect("narrowing");
    let host_fd = table
        .get(from, Rights::empty())
        .ok()
        .and_then(|e| e.fd())
        .map(|fd| fd.as_raw_fd());

    let replaced = table
        .renumber(from, to)
        .expect("both open")
        .expect("`to` was replaced");
    assert_eq!(replaced.filetype(), Filetype::RegularFile);
    drop(replaced);

    assert_eq!(
        table.get(from, Rights::empty()).err(),
        Some(Error::bad_fd(from))
    );
    let moved = table
        .get(to, Rights::FD_WRITE)
        .expect("moved with its rights");
    assert_eq!(
        moved.rights(),
        FdRights::new(Rights::FD_WRITE, Rights::empty())
    );
    assert_eq!(moved.fdflags(), Fdflags::APPEND);
    assert_eq!(
        moved.fd().map(|fd| fd.as_raw_fd()),
        host_fd,
        "same host handle, same offset"
    );
    assert_eq!(table.insert(file_entry()), Ok(from), "`from` is free again");
}

#[test]
fn renumber_onto_a_preopen_replaces_it() {
    let mut table = table_with_preopens(&["/a", "/b"]);
    let file = table.insert(file_entry()).expect("room");
    let old = table
        .renumber(file, 3)
        .expect("both open")
        .expect("3 was open");
    assert_eq!(old.preopen_name(), Some("/a"));
    assert_eq!(
        table.preopen_name(3),
        Err(Error::not_preopen(3)),
        "its prestat disappears"
    );
    assert_eq!(table.preopens().collect::<Vec<_>>(), [(4, "/b")]);
}

#[test]
fn renumber_carries_the_preopen_name() {
    let mut table = table_with_preopens(&["/a"]);
    let file = table.insert(file_entry()).expect("room");
    table.renumber(3, file).expect("both open");
    assert_eq!(table.preopen_name(file), Ok("/a"));
    assert_eq!(table.preopen_name(3), Err(Error::bad_fd(3)));
    assert!(table.get_dir(file, Rights::PATH_OPEN).is_ok());
}

#[test]
fn renumber_to_itself_is_a_no_op() {
    let mut table = table_with_preopens(&["/a"]);
    assert!(table.renumber(3, 3).expect("open").is_none());
    assert_eq!(table.preopen_name(3), Ok("/a"));
    assert_eq!(table.len(), 4);
}

#[test]
fn renumber_with_a_closed_fd_is_badf_and_changes_nothing() {
    let mut table = table_with_preopens(&["/a"]);
    assert_eq!(
        table.renumber(3, 9).err(),
        Some(Error::bad_fd(9)),
        "target must be open"
    );
    assert_eq!(table.renumber(9, 3).err(), Some(Error::bad_fd(9)));
    assert_eq!(
        table.renumber(9, 9).err(),
        Some(Error::bad_fd(9)),
        "even when equal"
    );
    assert_eq!(
        table.renumber(8, 9).err(),
        Some(Error::bad_fd(8)),
        "`from` is named first"
    );
    assert_eq!(table.preopen_name(3), Ok("/a"));
    assert_eq!(table.len(), 4);
}
