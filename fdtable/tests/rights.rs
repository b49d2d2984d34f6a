//! Rights demanded on lookup, narrowing, fd flags, and inheritance on path_open.

use wisp_fdtable::{Error, FdRights, Fdflags, Filetype, Oflags, OpenRequest, Rights, RightsSet};

use crate::common::{file_entry, table_with_preopens};

#[test]
fn held_rights_are_granted() {
    let table = table_with_preopens(&["/"]);
    let dir = table
        .get(
            3,
            Rights::PATH_OPEN | Rights::FD_READDIR | Rights::PATH_CREATE_FILE,
        )
        .expect("directories hold these");
    assert_eq!(dir.rights(), FdRights::DIRECTORY);
    let stdout = table
        .get(1, Rights::FD_WRITE)
        .expect("stdio holds FD_WRITE");
    assert_eq!(stdout.filetype(), Filetype::CharacterDevice);
}

#[test]
fn missing_rights_are_notcapable_and_named() {
    let mut table = table_with_preopens(&["/"]);
    let fd = table.insert(file_entry()).expect("room");
    assert_eq!(
        table.get(fd, Rights::FD_READ | Rights::PATH_OPEN).err(),
        Some(Error::not_capable(fd, RightsSet::Base, Rights::PATH_OPEN))
    );
    assert_eq!(
        table.get_mut(1, Rights::FD_SEEK | Rights::FD_WRITE).err(),
        Some(Error::not_capable(1, RightsSet::Base, Rights::FD_SEEK))
    );
    assert_eq!(
        table.get(3, Rights::FD_WRITE).err().map(|e| e.to_string()),
        Some("fd 3 lacks base rights FD_WRITE".to_owned())
    );
}

#[test]
fn path_calls_on_a_file_are_notdir_before_rights() {
    let mut table = table_with_preopens(&["/"]);
    let fd = table.insert(file_entry()).expect("room");
    assert_eq!(
        table.get_dir(fd, Rights::PATH_OPEN).err(),
        Some(Error::not_dir(fd))
    );
    assert_eq!(
        table.get_dir(1, Rights::FD_READDIR).err(),
        Some(Error::not_dir(1))
    );
    assert!(table.get_dir(3, Rights::FD_READDIR).is_ok());
}

#[test]
fn narrowing_is_allowed_and_never_grows_back() {
    let mut table = table_with_preopens(&["/"]);
    let fd = table.insert(file_entry()).expect("room");
    let narrow = Rights::FD_READ | Rights::FD_SEEK;
    table
        .set_rights(fd, narrow, Rights::empty())
        .expect("narrowing is allowed");
    assert_eq!(
        table.get(fd, Rights::empty()).map(|e| e.rights()),
        Ok(FdRights::new(narrow, Rights::empty()))
    );
    assert_eq!(
        table.get(fd, Rights::FD_WRITE).err(),
        Some(Error::not_capable(fd, RightsSet::Base, Rights::FD_WRITE))
    );
    // Asking for the original set back is widening.
    assert_eq!(
        table.set_rights(fd, FdRights::REGULAR_FILE.base, Rights::empty()),
        Err(Error::not_capable(
            fd,
            RightsSet::Base,
            FdRights::REGULAR_FILE.base - narrow
        ))
    );
    // Setting the same set again is fine.
    assert_eq!(table.set_rights(fd, narrow, Rights::empty()), Ok(()));
}

#[test]
fn widening_inheriting_is_refused_and_leaves_rights_unchanged() {
    let mut table = table_with_preopens(&["/"]);
    table
        .set_rights(3, FdRights::DIRECTORY.base, Rights::FD_READ)
        .expect("narrowing inheriting is allowed");
    assert_eq!(
        table.set_rights(
            3,
            FdRights::DIRECTORY.base,
            Rights::FD_READ | Rights::FD_WRITE
        ),
        Err(Error::not_capable(
            3,
            RightsSet::Inheriting,
            Rights::FD_WRITE
        ))
    );
    // Base widening is reported even when inheriting is also too wide.
    assert_eq!(
        table.set_rights(1, Rights::all(), Rights::all()),
        Err(Error::not_capable(
            1,
            RightsSet::Base,
            Rights::all() - FdRights::TTY.base
        ))
    );
    assert_eq!(
        table.get(3, Rights::empty()).map(|e| e.rights()),
        Ok(FdRights::new(FdRights::DIRECTORY.base, Rights::FD_READ))
    );
}

#[test]
fn fdflags_change_needs_the_right_and_only_append_nonblock_change() {
    let mut table = table_with_preopens(&["/"]);
    let fd = table
        .insert(file_entry().with_fdflags(Fdflags::SYNC))
        .expect("room");
    table
        .set_fdflags(fd, Fdflags::SYNC | Fdflags::APPEND | Fdflags::NONBLOCK)
        .expect("APPEND and NONBLOCK may change; SYNC kept as is");
    assert_eq!(
        table.get(fd, Rights::empty()).map(|e| e.fdflags()),
        Ok(Fdflags::SYNC | Fdflags::APPEND | Fdflags::NONBLOCK)
    );
    assert_eq!(
        table.set_fdflags(fd, Fdflags::APPEND),
        Err(Error::unsupported_fdflags(fd, Fdflags::SYNC)),
        "clearing SYNC is a change"
    );
    assert_eq!(
        table.set_fdflags(fd, Fdflags::SYNC | Fdflags::DSYNC | Fdflags::RSYNC),
        Err(Error::unsupported_fdflags(
            fd,
            Fdflags::DSYNC | Fdflags::RSYNC
        ))
    );
    assert_eq!(
        table.get(fd, Rights::empty()).map(|e| e.fdflags()),
        Ok(Fdflags::SYNC | Fdflags::APPEND | Fdflags::NONBLOCK),
        "refused changes leave the flags alone"
    );

    table
        .set_rights(fd, Rights::FD_READ, Rights::empty())
        .expect("narrowing is allowed");
    assert_eq!(
        table.set_fdflags(fd, Fdflags::SYNC),
        Err(Error::not_capable(
            fd,
            RightsSet::Base,
            Rights::FD_FDSTAT_SET_FLAGS
        ))
    );
}

#[test]
fn open_through_a_preopen_inherits_requested_rights() {
    let table = table_with_preopens(&["/"]);
    // wasi-libc: base = wanted ∩ dir inheriting, inheriting = dir inheriting (R5).
    let request = OpenRequest {
        oflags: Oflags::CREAT | Oflags::TRUNC,
        fdflags: Fdflags::empty(),
        fs_rights_base: Rights::FD_READ | Rights::FD_WRITE | Rights::FD_SEEK | Rights::FD_TELL,
        fs_rights_inheriting: FdRights::DIRECTORY.inheriting,
    };
    let dir = table
        .get_for_open(3, &request)
        .expect("a preopen passes all of this on");
    assert!(dir.fd().is_some());
    let granted = request.granted(Filetype::RegularFile);
    assert_eq!(granted.base, request.fs_rights_base);
    assert_eq!(granted.inheriting, Rights::empty(), "files pass nothing on");
    let sub = request.granted(Filetype::Directory);
    assert_eq!(
        sub.base,
        Rights::empty(),
        "file-only rights are dropped silently (R4)"
    );
    assert_eq!(sub.inheriting, FdRights::DIRECTORY.inheriting);
}

#[test]
fn open_asking_beyond_the_dirs_inheriting_rights_is_refused() {
    let mut table = table_with_preopens(&["/"]);
    table
        .set_rights(
            3,
            FdRights::DIRECTORY.base,
            Rights::FD_READ | Rights::FD_SEEK,
        )
        .expect("narrowing");
    let read = OpenRequest {
        fs_rights_base: Rights::FD_READ,
        ..OpenRequest::default()
    };
    assert!(table.get_for_open(3, &read).is_ok());
    // Not narrowed silently: the guest asked for FD_WRITE, which fd 3 does not pass on.
    let write = OpenRequest {
        fs_rights_base: Rights::FD_READ | Rights::FD_WRITE,
        ..OpenRequest::default()
    };
    assert_eq!(
        table.get_for_open(3, &write).err(),
        Some(Error::not_capable(
            3,
            RightsSet::Inheriting,
            Rights::FD_WRITE
        ))
    );
    // DSYNC needs FD_DATASYNC in the inheriting set.
    let dsync = OpenRequest {
        fdflags: Fdflags::DSYNC,
        ..read
    };
    assert_eq!(
        table.get_for_open(3, &dsync).err(),
        Some(Error::not_capable(
            3,
            RightsSet::Inheriting,
            Rights::FD_DATASYNC
        ))
    );
}

#[test]
fn open_checks_dir_base_rights_for_creat_and_trunc() {
    let mut table = table_with_preopens(&["/"]);
    let base = FdRights::DIRECTORY.base - Rights::PATH_CREATE_FILE - Rights::PATH_FILESTAT_SET_SIZE;
    table
        .set_rights(3, base, FdRights::DIRECTORY.inheriting)
        .expect("narrowing");
    let plain = OpenRequest::default();
    assert!(table.get_for_open(3, &plain).is_ok());
    let creat = OpenRequest {
        oflags: Oflags::CREAT | Oflags::TRUNC,
        ..plain
    };
    assert_eq!(
        table.get_for_open(3, &creat).err(),
        Some(Error::not_capable(
            3,
            RightsSet::Base,
            Rights::PATH_CREATE_FILE | Rights::PATH_FILESTAT_SET_SIZE
        ))
    );
    let fd = table.insert(crate::common::file_entry()).expect("room");
    assert_eq!(
        table.get_for_open(fd, &plain).err(),
        Some(Error::not_dir(fd))
    );
    assert_eq!(table.get_for_open(9, &plain).err(), Some(Error::bad_fd(9)));
}

/// A table with one read-only preopen (`DirPerms::READ`, `FilePerms::READ`) at fd 3.
fn read_only_table() -> wisp_fdtable::FdTable {
    use wisp_fdtable::{DirPerms, Entry, FilePerms, Host};
    let mut table = table_with_preopens(&[]);
    let rights = FdRights::preopen(DirPerms::READ, FilePerms::READ);
    let entry = Entry::new(
        Host::Owned(crate::common::temp_dir_fd()),
        Filetype::Directory,
        rights,
    )
    .with_preopen("/ro");
    assert_eq!(table.insert(entry), Ok(3));
    table
}

#[test]
fn read_only_preopen_refuses_write_opens_before_anything_is_opened() {
    let table = read_only_table();
    let open = |oflags: Oflags, fs_rights_base: Rights| OpenRequest {
        oflags,
        fs_rights_base,
        ..OpenRequest::default()
    };
    // CREAT and TRUNC need base rights the preopen lacks.
    assert_eq!(
        table
            .get_for_open(3, &open(Oflags::CREAT, Rights::FD_READ))
            .err(),
        Some(Error::not_capable(
            3,
            RightsSet::Base,
            Rights::PATH_CREATE_FILE
        ))
    );
    assert_eq!(
        table
            .get_for_open(3, &open(Oflags::TRUNC, Rights::FD_READ))
            .err(),
        Some(Error::not_capable(
            3,
            RightsSet::Base,
            Rights::PATH_FILESTAT_SET_SIZE
        ))
    );
    // Each right that would open the host file for writing is refused on its own.
    for right in [
        Rights::FD_WRITE,
        Rights::FD_DATASYNC,
        Rights::FD_ALLOCATE,
        Rights::FD_FILESTAT_SET_SIZE,
    ] {
        let err = table.get_for_open(3, &open(Oflags::empty(), right)).err();
        assert!(
            matches!(
                err,
                Some(Error::NotCapable {
                    set: RightsSet::Inheriting,
                    ..
                })
            ),
            "{right}: {err:?}"
        );
    }
    // Reading is fine.
    let read = open(Oflags::empty(), Rights::FD_READ | Rights::FD_SEEK);
    assert!(table.get_for_open(3, &read).is_ok());
}

#[test]
fn read_only_preopen_rights_never_widen() {
    let mut table = read_only_table();
    let ro = table.get(3, Rights::empty()).expect("open").rights();
    assert_eq!(
        table.set_rights(3, FdRights::DIRECTORY.base, ro.inheriting),
        Err(Error::not_capable(
            3,
            RightsSet::Base,
            FdRights::DIRECTORY.base - ro.base
        ))
    );
    assert_eq!(
        table.set_rights(3, ro.base, ro.inheriting | Rights::FD_WRITE),
        Err(Error::not_capable(
            3,
            RightsSet::Inheriting,
            Rights::FD_WRITE
        ))
    );
    assert_eq!(table.get(3, Rights::empty()).expect("open").rights(), ro);
    // Renumbering moves the narrow rights along with the handle.
    let fd = table.insert(file_entry()).expect("room");
    drop(table.renumber(3, fd).expect("both open"));
    assert_eq!(table.get(fd, Rights::empty()).expect("open").rights(), ro);
    assert!(table.get(fd, Rights::PATH_CREATE_FILE).is_err());
}
