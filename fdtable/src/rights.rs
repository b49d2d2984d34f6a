//! Rights flags (base and inheriting), the default sets per descriptor type, and path_open's rights rules.
//!
//! Bit positions are preview1's (wasi-reference.md §2.3); the rules are checklist items R2–R4.

use std::fmt;

use crate::flags::{Fdflags, Filetype, Oflags, write_flags};

bitflags::bitflags! {
    /// Capabilities of one descriptor (`rights`, u64, 30 bits in preview1).
    ///
    /// Each right names the call it allows; see wasi-reference.md §2.3 and §2.1.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Rights: u64 {
        /// `rights::fd_datasync` (`__WASI_RIGHTS_FD_DATASYNC`): `fd_datasync`; open with DSYNC.
        const FD_DATASYNC = 1 << 0;
        /// `rights::fd_read` (`__WASI_RIGHTS_FD_READ`): `fd_read`, `sock_recv`; with FD_SEEK `fd_pread`.
        const FD_READ = 1 << 1;
        /// `rights::fd_seek` (`__WASI_RIGHTS_FD_SEEK`): `fd_seek` (implies tell).
        const FD_SEEK = 1 << 2;
        /// `rights::fd_fdstat_set_flags` (`__WASI_RIGHTS_FD_FDSTAT_SET_FLAGS`): `fd_fdstat_set_flags`.
        const FD_FDSTAT_SET_FLAGS = 1 << 3;
        /// `rights::fd_sync` (`__WASI_RIGHTS_FD_SYNC`): `fd_sync`; open with RSYNC or SYNC.
        const FD_SYNC = 1 << 4;
        /// `rights::fd_tell` (`__WASI_RIGHTS_FD_TELL`): `fd_tell`, `fd_seek(CUR, 0)`.
        const FD_TELL = 1 << 5;
        /// `rights::fd_write` (`__WASI_RIGHTS_FD_WRITE`): `fd_write`, `sock_send`; with FD_SEEK `fd_pwrite`.
        const FD_WRITE = 1 << 6;
        /// `rights::fd_advise` (`__WASI_RIGHTS_FD_ADVISE`): `fd_advise`.
        const FD_ADVISE = 1 << 7;
        /// `rights::fd_allocate` (`__WASI_RIGHTS_FD_ALLOCATE`): `fd_allocate`.
        const FD_ALLOCATE = 1 << 8;
        /// `rights::path_create_directory` (`__WASI_RIGHTS_PATH_CREATE_DIRECTORY`): `path_create_directory`.
        const PATH_CREATE_DIRECTORY = 1 << 9;
        /// `rights::path_create_file` (`__WASI_RIGHTS_PATH_CREATE_FILE`): `path_open` with CREAT.
        const PATH_CREATE_FILE = 1 << 10;
        /// `rights::path_link_source` (`__WASI_RIGHTS_PATH_LINK_SOURCE`): `path_link`, fd is the source dir.
        const PATH_LINK_SOURCE = 1 << 11;
        /// `rights::path_link_target` (`__WASI_RIGHTS_PATH_LINK_TARGET`): `path_link`, fd is the target dir.
        const PATH_LINK_TARGET = 1 << 12;
        /// `rights::path_open` (`__WASI_RIGHTS_PATH_OPEN`): `path_open`.
        const PATH_OPEN = 1 << 13;
        /// `rights::fd_readdir` (`__WASI_RIGHTS_FD_READDIR`): `fd_readdir`.
        const FD_READDIR = 1 << 14;
        /// `rights::path_readlink` (`__WASI_RIGHTS_PATH_READLINK`): `path_readlink`.
        const PATH_READLINK = 1 << 15;
        /// `rights::path_rename_source` (`__WASI_RIGHTS_PATH_RENAME_SOURCE`): `path_rename`, fd is the source dir.
        const PATH_RENAME_SOURCE = 1 << 16;
        /// `rights::path_rename_target` (`__WASI_RIGHTS_PATH_RENAME_TARGET`): `path_rename`, fd is the target dir.
        const PATH_RENAME_TARGET = 1 << 17;
        /// `rights::path_filestat_get` (`__WASI_RIGHTS_PATH_FILESTAT_GET`): `path_filestat_get`.
        const PATH_FILESTAT_GET = 1 << 18;
        /// `rights::path_filestat_set_size` (`__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE`): `path_open` with TRUNC.
        const PATH_FILESTAT_SET_SIZE = 1 << 19;
        /// `rights::path_filestat_set_times` (`__WASI_RIGHTS_PATH_FILESTAT_SET_TIMES`): `path_filestat_set_times`.
        const PATH_FILESTAT_SET_TIMES = 1 << 20;
        /// `rights::fd_filestat_get` (`__WASI_RIGHTS_FD_FILESTAT_GET`): `fd_filestat_get`.
        const FD_FILESTAT_GET = 1 << 21;
        /// `rights::fd_filestat_set_size` (`__WASI_RIGHTS_FD_FILESTAT_SET_SIZE`): `fd_filestat_set_size`.
        const FD_FILESTAT_SET_SIZE = 1 << 22;
        /// `rights::fd_filestat_set_times` (`__WASI_RIGHTS_FD_FILESTAT_SET_TIMES`): `fd_filestat_set_times`.
        const FD_FILESTAT_SET_TIMES = 1 << 23;
        /// `rights::path_symlink` (`__WASI_RIGHTS_PATH_SYMLINK`): `path_symlink`.
        const PATH_SYMLINK = 1 << 24;
        /// `rights::path_remove_directory` (`__WASI_RIGHTS_PATH_REMOVE_DIRECTORY`): `path_remove_directory`.
        const PATH_REMOVE_DIRECTORY = 1 << 25;
        /// `rights::path_unlink_file` (`__WASI_RIGHTS_PATH_UNLINK_FILE`): `path_unlink_file`.
        const PATH_UNLINK_FILE = 1 << 26;
        /// `rights::poll_fd_readwrite` (`__WASI_RIGHTS_POLL_FD_READWRITE`): fd subscriptions in `poll_oneoff`.
        const POLL_FD_READWRITE = 1 << 27;
        /// `rights::sock_shutdown` (`__WASI_RIGHTS_SOCK_SHUTDOWN`): `sock_shutdown`.
        const SOCK_SHUTDOWN = 1 << 28;
        /// `rights::sock_accept` (`__WASI_RIGHTS_SOCK_ACCEPT`): `sock_accept` (preview1 only).
        const SOCK_ACCEPT = 1 << 29;
    }
}

impl Rights {
    /// Every right `wasi_unstable` (snapshot 0) knows: all but SOCK_ACCEPT, `0x1FFF_FFFF`.
    pub const SNAPSHOT0_ALL: Rights = Rights::all().difference(Rights::SOCK_ACCEPT);

    /// Decodes a guest's rights argument, dropping bits 30–63: unknown rights bits are
    /// ignored, not refused, because some toolchains pass wide masks (M5).
    pub const fn from_guest(raw: u64) -> Rights {
        Rights::from_bits_truncate(raw)
    }
}

impl fmt::Display for Rights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_flags(self, f)
    }
}

/// Rights that make `path_open` open the host file for reading (R3).
const READ_RIGHTS: Rights = Rights::FD_READ.union(Rights::FD_READDIR);

/// Rights that make `path_open` open the host file for writing (R3).
const WRITE_RIGHTS: Rights = Rights::FD_WRITE
    .union(Rights::FD_DATASYNC)
    .union(Rights::FD_ALLOCATE)
    .union(Rights::FD_FILESTAT_SET_SIZE);

bitflags::bitflags! {
    /// What a guest may do with a preopened directory and every directory opened beneath it,
    /// in the style of wasmtime's `DirPerms`. Node has no such option: its preopens are
    /// always [`DirPerms::all()`].
    ///
    /// Each permission stands for a fixed set of directory rights
    /// ([`DirPerms::READ_RIGHTS`], [`DirPerms::MUTATE_RIGHTS`]); a preopen without it lacks
    /// those rights in both its base and its inheriting set ([`FdRights::preopen`]), so the
    /// calls they allow fail with `NOTCAPABLE` like any other missing right (R1).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct DirPerms: u8 {
        /// Look inside: open entries, list them, stat them, read symbolic links
        /// ([`DirPerms::READ_RIGHTS`]).
        const READ = 1 << 0;
        /// Change the tree: create, remove, rename and link entries, set their times, truncate
        /// on open ([`DirPerms::MUTATE_RIGHTS`]).
        const MUTATE = 1 << 1;
    }
}

impl DirPerms {
    /// The directory rights [`DirPerms::READ`] stands for: PATH_OPEN, FD_READDIR,
    /// PATH_READLINK, PATH_FILESTAT_GET.
    ///
    /// Without READ nothing beneath the directory can be opened (wasmtime refuses `open_at`
    /// the same way), so MUTATE alone allows only the calls that need no open: create or
    /// remove directories, unlink, rename, link, symlink.
    pub const READ_RIGHTS: Rights = Rights::PATH_OPEN
        .union(Rights::FD_READDIR)
        .union(Rights::PATH_READLINK)
        .union(Rights::PATH_FILESTAT_GET);

    /// The directory rights [`DirPerms::MUTATE`] stands for: every right whose call changes
    /// the tree beneath the directory or the directory's own metadata.
    ///
    /// | right | call it allows |
    /// |---|---|
    /// | PATH_CREATE_DIRECTORY | `path_create_directory` |
    /// | PATH_CREATE_FILE | `path_open` with CREAT |
    /// | PATH_LINK_SOURCE | `path_link` from this directory (a second name elsewhere could be opened for writing there) |
    /// | PATH_LINK_TARGET | `path_link` into this directory |
    /// | PATH_RENAME_SOURCE | `path_rename` out of this directory (removes a name) |
    /// | PATH_RENAME_TARGET | `path_rename` into this directory |
    /// | PATH_FILESTAT_SET_SIZE | `path_open` with TRUNC |
    /// | PATH_FILESTAT_SET_TIMES | `path_filestat_set_times` |
    /// | FD_FILESTAT_SET_TIMES | `fd_filestat_set_times` on the directory (and, through the shared inheriting set, on what is opened beneath it) |
    /// | PATH_SYMLINK | `path_symlink` |
    /// | PATH_REMOVE_DIRECTORY | `path_remove_directory` |
    /// | PATH_UNLINK_FILE | `path_unlink_file` |
    ///
    /// The other write-side rights (FD_WRITE, FD_ALLOCATE, FD_FILESTAT_SET_SIZE,
    /// FD_DATASYNC) are never directory rights (table 2.3); they belong to
    /// [`FilePerms::WRITE_RIGHTS`]. FD_SYNC stays on the directory itself: `fsync` of a
    /// directory changes nothing but makes earlier changes durable.
    pub const MUTATE_RIGHTS: Rights = Rights::PATH_CREATE_DIRECTORY
        .union(Rights::PATH_CREATE_FILE)
        .union(Rights::PATH_LINK_SOURCE)
        .union(Rights::PATH_LINK_TARGET)
        .union(Rights::PATH_RENAME_SOURCE)
        .union(Rights::PATH_RENAME_TARGET)
        .union(Rights::PATH_FILESTAT_SET_SIZE)
        .union(Rights::PATH_FILESTAT_SET_TIMES)
        .union(Rights::FD_FILESTAT_SET_TIMES)
        .union(Rights::PATH_SYMLINK)
        .union(Rights::PATH_REMOVE_DIRECTORY)
        .union(Rights::PATH_UNLINK_FILE);

    /// The rights a directory with these permissions must not hold: [`Self::READ_RIGHTS`]
    /// without READ, [`Self::MUTATE_RIGHTS`] without MUTATE.
    pub const fn withheld(self) -> Rights {
        let mut withheld = Rights::empty();
        if !self.contains(DirPerms::READ) {
            withheld = withheld.union(DirPerms::READ_RIGHTS);
        }
        if !self.contains(DirPerms::MUTATE) {
            withheld = withheld.union(DirPerms::MUTATE_RIGHTS);
        }
        withheld
    }
}

bitflags::bitflags! {
    /// What a guest may do with the files it opens beneath a preopened directory, in the
    /// style of wasmtime's `FilePerms`. Node has no such option: its preopens are always
    /// [`FilePerms::all()`].
    ///
    /// Each permission stands for a fixed set of file rights ([`FilePerms::READ_RIGHTS`],
    /// [`FilePerms::WRITE_RIGHTS`]); without it the preopen's inheriting set lacks them
    /// ([`FdRights::preopen`]), so `path_open` refuses to hand them out (`NOTCAPABLE`, R2)
    /// and never opens the host file in that direction.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct FilePerms: u8 {
        /// Read file contents ([`FilePerms::READ_RIGHTS`]).
        const READ = 1 << 0;
        /// Change file contents, size or times ([`FilePerms::WRITE_RIGHTS`]).
        const WRITE = 1 << 1;
    }
}

impl FilePerms {
    /// The file rights [`FilePerms::READ`] stands for: FD_READ.
    pub const READ_RIGHTS: Rights = Rights::FD_READ;

    /// The file rights [`FilePerms::WRITE`] stands for: FD_WRITE, FD_ALLOCATE,
    /// FD_FILESTAT_SET_SIZE, FD_FILESTAT_SET_TIMES, FD_DATASYNC, FD_SYNC.
    ///
    /// This holds every right that makes `path_open` open the host file for writing (R3:
    /// FD_WRITE, FD_DATASYNC, FD_ALLOCATE, FD_FILESTAT_SET_SIZE), so a file opened without
    /// WRITE is always `O_RDONLY` on the host. FD_SYNC is harmless on a read-only handle but
    /// goes too, as in wasmtime, where a read-only file offers no sync: `fd_sync` and
    /// `fd_datasync` only make writes durable, and opening with the RSYNC or SYNC fdflags,
    /// which need FD_SYNC, is a write-side request as well.
    pub const WRITE_RIGHTS: Rights = Rights::FD_WRITE
        .union(Rights::FD_ALLOCATE)
        .union(Rights::FD_FILESTAT_SET_SIZE)
        .union(Rights::FD_FILESTAT_SET_TIMES)
        .union(Rights::FD_DATASYNC)
        .union(Rights::FD_SYNC);

    /// The rights files opened with these permissions must not hold: [`Self::READ_RIGHTS`]
    /// without READ, [`Self::WRITE_RIGHTS`] without WRITE.
    pub const fn withheld(self) -> Rights {
        let mut withheld = Rights::empty();
        if !self.contains(FilePerms::READ) {
            withheld = withheld.union(FilePerms::READ_RIGHTS);
        }
        if !self.contains(FilePerms::WRITE) {
            withheld = withheld.union(FilePerms::WRITE_RIGHTS);
        }
        withheld
    }
}

/// The base and inheriting rights of one descriptor, as `fd_fdstat_get` reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FdRights {
    /// Rights for calls on this fd (`fs_rights_base`).
    pub base: Rights,
    /// Rights that fds opened through this one may have (`fs_rights_inheriting`).
    pub inheriting: Rights,
}

impl FdRights {
    /// No rights at all: symlinks and unknown types (uvwasi does the same).
    pub const NONE: FdRights = FdRights::new(Rights::empty(), Rights::empty());

    /// Any directory, preopened or not: base `0x0FBF_FE98`, inheriting `0x0FFF_FFFF`.
    ///
    /// The inheriting set is the directory base plus the regular-file base. Directories always
    /// report all of it because wasi-libc masks the rights it requests with it (R5).
    pub const DIRECTORY: FdRights = FdRights::new(
        Rights::FD_FDSTAT_SET_FLAGS
            .union(Rights::FD_SYNC)
            .union(Rights::FD_ADVISE)
            .union(Rights::from_bits_truncate(0x003F_FE00)) // bits 9-21
            .union(Rights::FD_FILESTAT_SET_TIMES)
            .union(Rights::PATH_SYMLINK)
            .union(Rights::PATH_REMOVE_DIRECTORY)
            .union(Rights::PATH_UNLINK_FILE)
            .union(Rights::POLL_FD_READWRITE),
        Rights::from_bits_truncate(0x0FFF_FFFF),
    );

    /// A regular file: base `0x08E0_01FF`, inheriting none.
    pub const REGULAR_FILE: FdRights = FdRights::new(
        Rights::from_bits_truncate(0x1FF) // bits 0-8
            .union(Rights::FD_FILESTAT_GET)
            .union(Rights::FD_FILESTAT_SET_SIZE)
            .union(Rights::FD_FILESTAT_SET_TIMES)
            .union(Rights::POLL_FD_READWRITE),
        Rights::empty(),
    );

    /// A terminal, and wisp's non-host stdio streams: base `0x0820_004A`, inheriting none.
    ///
    /// No FD_SEEK or FD_TELL, so wasi-libc's `isatty` holds (F11).
    pub const TTY: FdRights = FdRights::new(
        Rights::FD_READ
            .union(Rights::FD_FDSTAT_SET_FLAGS)
            .union(Rights::FD_WRITE)
            .union(Rights::FD_FILESTAT_GET)
            .union(Rights::POLL_FD_READWRITE),
        Rights::empty(),
    );

    /// A socket or pipe: the TTY set plus SOCK_SHUTDOWN and SOCK_ACCEPT (`0x3820_004A`),
    /// inheriting all.
    pub const SOCKET: FdRights = FdRights::new(
        FdRights::TTY
            .base
            .union(Rights::SOCK_SHUTDOWN)
            .union(Rights::SOCK_ACCEPT),
        Rights::all(),
    );

    /// A character device that is not a terminal, or a block device: all rights, both sets.
    pub const DEVICE: FdRights = FdRights::new(Rights::all(), Rights::all());

    /// The rights of a directory preopened with `dir` and `file` permissions.
    ///
    /// * base: [`FdRights::DIRECTORY`]'s base less [`DirPerms::withheld`];
    /// * inheriting: [`FdRights::DIRECTORY`]'s inheriting set less [`DirPerms::withheld`] and
    ///   [`FilePerms::withheld`].
    ///
    /// One inheriting set serves both the files and the directories opened beneath (the
    /// preview1 model), so what it loses applies to both: a read-only preopen's subdirectories
    /// are read-only too, files beneath a directory without MUTATE cannot have their times set
    /// (FD_FILESTAT_SET_TIMES), and directories beneath a preopen without `FilePerms::WRITE`
    /// lack FD_SYNC. `path_open` demands that everything a guest asks for be in the
    /// inheriting set (R2) and `fd_fdstat_set_rights` only narrows (F10), so no descriptor
    /// reached through the preopen ever holds a withheld right.
    /// `FdRights::preopen(DirPerms::all(), FilePerms::all())` is [`FdRights::DIRECTORY`].
    pub const fn preopen(dir: DirPerms, file: FilePerms) -> FdRights {
        let dir_withheld = dir.withheld();
        FdRights::new(
            FdRights::DIRECTORY.base.difference(dir_withheld),
            FdRights::DIRECTORY
                .inheriting
                .difference(dir_withheld)
                .difference(file.withheld()),
        )
    }

    /// Rights with the given base and inheriting sets.
    pub const fn new(base: Rights, inheriting: Rights) -> FdRights {
        FdRights { base, inheriting }
    }

    /// The most a descriptor of this type may hold (table 2.3). `is_tty` tells a terminal
    /// from other character devices and is ignored for every other type.
    pub const fn for_filetype(filetype: Filetype, is_tty: bool) -> FdRights {
        match filetype {
            Filetype::Directory => FdRights::DIRECTORY,
            Filetype::RegularFile => FdRights::REGULAR_FILE,
            Filetype::SocketStream | Filetype::SocketDgram => FdRights::SOCKET,
            Filetype::CharacterDevice if is_tty => FdRights::TTY,
            Filetype::CharacterDevice | Filetype::BlockDevice => FdRights::DEVICE,
            Filetype::SymbolicLink | Filetype::Unknown => FdRights::NONE,
        }
    }

    /// Both sets intersected with `other`'s.
    pub const fn intersection(self, other: FdRights) -> FdRights {
        FdRights::new(
            self.base.intersection(other.base),
            self.inheriting.intersection(other.inheriting),
        )
    }

    /// True if both of `other`'s sets are within this one's.
    pub const fn contains(self, other: FdRights) -> bool {
        self.base.contains(other.base) && self.inheriting.contains(other.inheriting)
    }

    /// Drops the base rights the host handle's access mode cannot honour: FD_READ and
    /// FD_READDIR unless it is readable, FD_WRITE unless it is writable (§2.3, after the table).
    ///
    /// The inheriting set is kept: a directory opened read-only can still open files for
    /// writing beneath it.
    pub const fn restrict_to(self, access: Access) -> FdRights {
        let mut drop = Rights::empty();
        if !access.is_readable() {
            drop = drop.union(READ_RIGHTS);
        }
        if !access.is_writable() {
            drop = drop.union(Rights::FD_WRITE);
        }
        FdRights::new(self.base.difference(drop), self.inheriting)
    }
}

/// The host access mode of a handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Access {
    /// Open for reading only (`O_RDONLY`).
    Read,
    /// Open for writing only (`O_WRONLY`).
    Write,
    /// Open for reading and writing (`O_RDWR`).
    ReadWrite,
}

impl Access {
    /// True for `Read` and `ReadWrite`.
    pub const fn is_readable(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }

    /// True for `Write` and `ReadWrite`.
    pub const fn is_writable(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }

    /// The mode `path_open` opens the host file with, derived from the requested base
    /// rights (R3): read for FD_READ or FD_READDIR; write for FD_WRITE, FD_DATASYNC,
    /// FD_ALLOCATE or FD_FILESTAT_SET_SIZE. No rights at all opens read-only.
    pub const fn from_rights(fs_rights_base: Rights) -> Access {
        let read = fs_rights_base.intersects(READ_RIGHTS);
        let write = fs_rights_base.intersects(WRITE_RIGHTS);
        match (read, write) {
            (true, true) => Access::ReadWrite,
            (false, true) => Access::Write,
            _ => Access::Read,
        }
    }

    /// The access mode in host open flags as `fcntl(F_GETFL)` returns them (`O_ACCMODE` bits).
    pub fn from_oflags(flags: rustix::fs::OFlags) -> Access {
        use rustix::fs::OFlags;
        let mode = flags & OFlags::RWMODE;
        if mode == OFlags::RDWR {
            Access::ReadWrite
        } else if mode == OFlags::WRONLY {
            Access::Write
        } else {
            Access::Read
        }
    }
}

/// A decoded `path_open` request: what the guest asks for, before anything is opened.
///
/// Holds the rules of R2–R4: what the directory fd must grant, the host access mode, and the
/// rights the new fd finally gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct OpenRequest {
    /// The `oflags` argument.
    pub oflags: Oflags,
    /// The `fdflags` argument.
    pub fdflags: Fdflags,
    /// The `fs_rights_base` argument, unknown bits already dropped ([`Rights::from_guest`]).
    pub fs_rights_base: Rights,
    /// The `fs_rights_inheriting` argument, unknown bits already dropped.
    pub fs_rights_inheriting: Rights,
}

impl OpenRequest {
    /// Base rights the directory fd needs (R2): PATH_OPEN, plus PATH_CREATE_FILE for CREAT,
    /// plus PATH_FILESTAT_SET_SIZE for TRUNC.
    pub const fn dir_base_rights(&self) -> Rights {
        let mut needed = Rights::PATH_OPEN;
        if self.oflags.contains(Oflags::CREAT) {
            needed = needed.union(Rights::PATH_CREATE_FILE);
        }
        if self.oflags.contains(Oflags::TRUNC) {
            needed = needed.union(Rights::PATH_FILESTAT_SET_SIZE);
        }
        needed
    }

    /// Inheriting rights the directory fd needs (R2): everything requested (base and
    /// inheriting), plus FD_DATASYNC for DSYNC, FD_SYNC for RSYNC or SYNC, and, as uvwasi does,
    /// FD_SEEK when opening for writing without APPEND or TRUNC.
    pub const fn dir_inheriting_rights(&self) -> Rights {
        let mut needed = self.fs_rights_base.union(self.fs_rights_inheriting);
        if self.fdflags.contains(Fdflags::DSYNC) {
            needed = needed.union(Rights::FD_DATASYNC);
        }
        if self.fdflags.intersects(Fdflags::RSYNC.union(Fdflags::SYNC)) {
            needed = needed.union(Rights::FD_SYNC);
        }
        if self.access().is_writable()
            && !self.fdflags.contains(Fdflags::APPEND)
            && !self.oflags.contains(Oflags::TRUNC)
        {
            needed = needed.union(Rights::FD_SEEK);
        }
        needed
    }

    /// Both requirements on the directory fd as one pair.
    pub const fn dir_rights(&self) -> FdRights {
        FdRights::new(self.dir_base_rights(), self.dir_inheriting_rights())
    }

    /// The host access mode to open with ([`Access::from_rights`] of the requested base).
    pub const fn access(&self) -> Access {
        Access::from_rights(self.fs_rights_base)
    }

    /// Rights of the new fd once its type is known (R4): requested ∩ the type's maximum ∩
    /// what the access mode allows. Rights that do not fit the type are dropped silently.
    pub const fn granted(&self, filetype: Filetype) -> FdRights {
        FdRights::new(self.fs_rights_base, self.fs_rights_inheriting)
            .intersection(FdRights::for_filetype(filetype, false))
            .restrict_to(self.access())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_bits_match_preview1_table() {
        let table: [(Rights, u32); 30] = [
            (Rights::FD_DATASYNC, 0),
            (Rights::FD_READ, 1),
            (Rights::FD_SEEK, 2),
            (Rights::FD_FDSTAT_SET_FLAGS, 3),
            (Rights::FD_SYNC, 4),
            (Rights::FD_TELL, 5),
            (Rights::FD_WRITE, 6),
            (Rights::FD_ADVISE, 7),
            (Rights::FD_ALLOCATE, 8),
            (Rights::PATH_CREATE_DIRECTORY, 9),
            (Rights::PATH_CREATE_FILE, 10),
            (Rights::PATH_LINK_SOURCE, 11),
            (Rights::PATH_LINK_TARGET, 12),
            (Rights::PATH_OPEN, 13),
            (Rights::FD_READDIR, 14),
            (Rights::PATH_READLINK, 15),
            (Rights::PATH_RENAME_SOURCE, 16),
            (Rights::PATH_RENAME_TARGET, 17),
            (Rights::PATH_FILESTAT_GET, 18),
            (Rights::PATH_FILESTAT_SET_SIZE, 19),
            (Rights::PATH_FILESTAT_SET_TIMES, 20),
            (Rights::FD_FILESTAT_GET, 21),
            (Rights::FD_FILESTAT_SET_SIZE, 22),
            (Rights::FD_FILESTAT_SET_TIMES, 23),
            (Rights::PATH_SYMLINK, 24),
            (Rights::PATH_REMOVE_DIRECTORY, 25),
            (Rights::PATH_UNLINK_FILE, 26),
            (Rights::POLL_FD_READWRITE, 27),
            (Rights::SOCK_SHUTDOWN, 28),
            (Rights::SOCK_ACCEPT, 29),
        ];
        for (right, bit) in table {
            assert_eq!(right.bits(), 1u64 << bit, "{right}");
        }
        assert_eq!(Rights::all().bits(), 0x3FFF_FFFF);
        assert_eq!(Rights::SNAPSHOT0_ALL.bits(), 0x1FFF_FFFF);
    }

    #[test]
    fn default_sets_match_reference_hex() {
        assert_eq!(FdRights::DIRECTORY.base.bits(), 0x0FBF_FE98);
        assert_eq!(FdRights::DIRECTORY.inheriting.bits(), 0x0FFF_FFFF);
        assert_eq!(FdRights::REGULAR_FILE.base.bits(), 0x08E0_01FF);
        assert_eq!(FdRights::REGULAR_FILE.inheriting, Rights::empty());
        assert_eq!(FdRights::TTY.base.bits(), 0x0820_004A);
        assert_eq!(FdRights::TTY.inheriting, Rights::empty());
        assert_eq!(FdRights::SOCKET.base.bits(), 0x3820_004A);
        assert_eq!(FdRights::SOCKET.inheriting, Rights::all());
        assert_eq!(
            FdRights::DEVICE,
            FdRights::new(Rights::all(), Rights::all())
        );
        // Directory inheriting = directory base ∪ regular-file base.
        assert_eq!(
            FdRights::DIRECTORY.inheriting,
            FdRights::DIRECTORY.base | FdRights::REGULAR_FILE.base
        );
        // A tty never gets seek or tell, or wasi-libc's isatty turns false (F11).
        assert!(
            !FdRights::TTY
                .base
                .intersects(Rights::FD_SEEK | Rights::FD_TELL)
        );
    }

    #[test]
    fn from_guest_ignores_high_bits() {
        assert_eq!(Rights::from_guest(u64::MAX), Rights::all());
        assert_eq!(Rights::from_guest(0xFFFF_FFFF_0000_0002), Rights::FD_READ);
    }

    #[test]
    fn filetype_maximums() {
        assert_eq!(
            FdRights::for_filetype(Filetype::Directory, true),
            FdRights::DIRECTORY
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::RegularFile, false),
            FdRights::REGULAR_FILE
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::CharacterDevice, true),
            FdRights::TTY
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::CharacterDevice, false),
            FdRights::DEVICE
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::BlockDevice, false),
            FdRights::DEVICE
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::SocketStream, false),
            FdRights::SOCKET
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::SocketDgram, false),
            FdRights::SOCKET
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::SymbolicLink, false),
            FdRights::NONE
        );
        assert_eq!(
            FdRights::for_filetype(Filetype::Unknown, false),
            FdRights::NONE
        );
    }

    #[test]
    fn restrict_to_access_mode() {
        let stdin = FdRights::TTY.restrict_to(Access::Read);
        assert!(stdin.base.contains(Rights::FD_READ));
        assert!(!stdin.base.contains(Rights::FD_WRITE));
        let stdout = FdRights::TTY.restrict_to(Access::Write);
        assert!(!stdout.base.contains(Rights::FD_READ));
        assert!(stdout.base.contains(Rights::FD_WRITE));
        assert_eq!(FdRights::TTY.restrict_to(Access::ReadWrite), FdRights::TTY);
        let dir = FdRights::DIRECTORY.restrict_to(Access::Write);
        assert!(!dir.base.contains(Rights::FD_READDIR));
        assert_eq!(
            dir.inheriting,
            FdRights::DIRECTORY.inheriting,
            "inheriting set is kept"
        );
    }

    #[test]
    fn access_from_rights_per_r3() {
        assert_eq!(Access::from_rights(Rights::empty()), Access::Read);
        assert_eq!(Access::from_rights(Rights::FD_READDIR), Access::Read);
        assert_eq!(
            Access::from_rights(Rights::FD_READ | Rights::FD_SEEK),
            Access::Read
        );
        assert_eq!(Access::from_rights(Rights::FD_ALLOCATE), Access::Write);
        assert_eq!(Access::from_rights(Rights::FD_DATASYNC), Access::Write);
        assert_eq!(
            Access::from_rights(Rights::FD_FILESTAT_SET_SIZE),
            Access::Write
        );
        assert_eq!(
            Access::from_rights(Rights::FD_READ | Rights::FD_WRITE),
            Access::ReadWrite
        );
    }

    #[test]
    fn access_from_host_oflags() {
        use rustix::fs::OFlags;
        assert_eq!(
            Access::from_oflags(OFlags::RDONLY | OFlags::APPEND),
            Access::Read
        );
        assert_eq!(
            Access::from_oflags(OFlags::WRONLY | OFlags::APPEND),
            Access::Write
        );
        assert_eq!(
            Access::from_oflags(OFlags::RDWR | OFlags::NONBLOCK),
            Access::ReadWrite
        );
    }

    #[test]
    fn open_request_dir_requirements_per_r2() {
        let read_only = OpenRequest {
            fs_rights_base: Rights::FD_READ,
            ..OpenRequest::default()
        };
        assert_eq!(read_only.dir_base_rights(), Rights::PATH_OPEN);
        assert_eq!(read_only.dir_inheriting_rights(), Rights::FD_READ);

        let create_trunc = OpenRequest {
            oflags: Oflags::CREAT | Oflags::TRUNC,
            fdflags: Fdflags::DSYNC | Fdflags::RSYNC,
            fs_rights_base: Rights::FD_WRITE,
            fs_rights_inheriting: Rights::FD_READ,
        };
        assert_eq!(
            create_trunc.dir_base_rights(),
            Rights::PATH_OPEN | Rights::PATH_CREATE_FILE | Rights::PATH_FILESTAT_SET_SIZE
        );
        // TRUNC: no FD_SEEK demanded.
        assert_eq!(
            create_trunc.dir_inheriting_rights(),
            Rights::FD_WRITE | Rights::FD_READ | Rights::FD_DATASYNC | Rights::FD_SYNC
        );

        // Writing without APPEND or TRUNC also needs FD_SEEK (uvwasi parity).
        let write = OpenRequest {
            fs_rights_base: Rights::FD_WRITE,
            ..OpenRequest::default()
        };
        assert_eq!(
            write.dir_inheriting_rights(),
            Rights::FD_WRITE | Rights::FD_SEEK
        );
        let append = OpenRequest {
            fdflags: Fdflags::APPEND,
            ..write
        };
        assert_eq!(append.dir_inheriting_rights(), Rights::FD_WRITE);
        let sync = OpenRequest {
            fdflags: Fdflags::SYNC | Fdflags::APPEND,
            ..write
        };
        assert_eq!(
            sync.dir_inheriting_rights(),
            Rights::FD_WRITE | Rights::FD_SYNC
        );
    }

    #[test]
    fn granted_rights_drop_what_the_type_lacks() {
        // wasi-libc style: ask for everything the directory passes on.
        let broad = OpenRequest {
            fs_rights_base: FdRights::DIRECTORY.inheriting,
            fs_rights_inheriting: FdRights::DIRECTORY.inheriting,
            ..OpenRequest::default()
        };
        assert_eq!(broad.granted(Filetype::RegularFile), FdRights::REGULAR_FILE);
        let dir = broad.granted(Filetype::Directory);
        assert_eq!(dir, FdRights::DIRECTORY);
        assert!(
            !dir.base.contains(Rights::FD_SEEK),
            "R4: FD_SEEK dropped on a directory"
        );

        // Read-only request: FD_WRITE is never granted.
        let read = OpenRequest {
            fs_rights_base: Rights::FD_READ | Rights::FD_SEEK,
            fs_rights_inheriting: Rights::all(),
            ..OpenRequest::default()
        };
        assert_eq!(
            read.granted(Filetype::RegularFile),
            FdRights::new(Rights::FD_READ | Rights::FD_SEEK, Rights::empty())
        );
        // A read-only directory keeps the write rights it may pass on.
        let dir = read.granted(Filetype::Directory);
        assert_eq!(
            dir.base,
            Rights::empty(),
            "FD_READ/FD_SEEK are not directory rights"
        );
        assert_eq!(dir.inheriting, FdRights::DIRECTORY.inheriting);
        assert_eq!(read.granted(Filetype::SymbolicLink), FdRights::NONE);
    }

    #[test]
    fn preopen_with_all_permissions_is_the_directory_set() {
        assert_eq!(
            FdRights::preopen(DirPerms::all(), FilePerms::all()),
            FdRights::DIRECTORY
        );
    }

    #[test]
    fn read_only_preopen_rights_match_the_documented_lists() {
        assert_eq!(DirPerms::READ_RIGHTS.bits(), 0x0004_E000);
        assert_eq!(DirPerms::MUTATE_RIGHTS.bits(), 0x079B_1E00);
        assert_eq!(FilePerms::READ_RIGHTS, Rights::FD_READ);
        assert_eq!(FilePerms::WRITE_RIGHTS.bits(), 0x00C0_0151);
        let ro = FdRights::preopen(DirPerms::READ, FilePerms::READ);
        // Base: FD_FDSTAT_SET_FLAGS, FD_SYNC, FD_ADVISE, the four READ rights,
        // FD_FILESTAT_GET, POLL_FD_READWRITE.
        assert_eq!(ro.base.bits(), 0x0824_E098);
        // Inheriting: the same without FD_SYNC, plus FD_READ, FD_SEEK, FD_TELL.
        assert_eq!(ro.inheriting.bits(), 0x0824_E0AE);
        assert_eq!(
            ro.inheriting,
            (ro.base - Rights::FD_SYNC) | Rights::FD_READ | Rights::FD_SEEK | Rights::FD_TELL
        );
        for set in [ro.base, ro.inheriting] {
            assert!(!set.intersects(DirPerms::MUTATE_RIGHTS), "{set}");
            assert!(
                !set.intersects(FilePerms::WRITE_RIGHTS - Rights::FD_SYNC),
                "{set}"
            );
        }
    }

    #[test]
    fn mutating_directory_rights_are_all_directory_rights() {
        // Every right MUTATE or READ stands for is one a directory has, so withholding them
        // really narrows the directory set (a typo would slip through otherwise).
        assert!(FdRights::DIRECTORY.base.contains(DirPerms::MUTATE_RIGHTS));
        assert!(FdRights::DIRECTORY.base.contains(DirPerms::READ_RIGHTS));
        assert!(
            FdRights::REGULAR_FILE
                .base
                .contains(FilePerms::WRITE_RIGHTS)
        );
        assert!(!DirPerms::READ_RIGHTS.intersects(DirPerms::MUTATE_RIGHTS));
    }

    #[test]
    fn no_request_a_read_only_preopen_passes_on_opens_the_host_file_for_writing() {
        // `Access::from_rights` only looks for the presence of rights, so the whole
        // inheriting set opening read-only means every subset of it does too.
        for dir in [DirPerms::empty(), DirPerms::READ, DirPerms::all()] {
            let rights = FdRights::preopen(dir, FilePerms::READ);
            assert_eq!(
                Access::from_rights(rights.inheriting),
                Access::Read,
                "{dir:?}"
            );
            let none = FdRights::preopen(dir, FilePerms::empty());
            assert_eq!(
                Access::from_rights(none.inheriting),
                Access::Read,
                "{dir:?}"
            );
        }
        // Write-only files: FD_READ is withheld (FD_READDIR stays, for subdirectories).
        let write_only = FdRights::preopen(DirPerms::READ, FilePerms::WRITE);
        assert!(!write_only.inheriting.contains(Rights::FD_READ));
        let file_rights = write_only.inheriting & FdRights::REGULAR_FILE.base;
        assert_eq!(Access::from_rights(file_rights), Access::Write);
    }

    #[test]
    fn each_permission_withholds_only_its_own_rights() {
        let all = FdRights::DIRECTORY;
        let no_read = FdRights::preopen(DirPerms::MUTATE, FilePerms::all());
        assert_eq!(no_read.base, all.base - DirPerms::READ_RIGHTS);
        assert_eq!(no_read.inheriting, all.inheriting - DirPerms::READ_RIGHTS);
        let no_mutate = FdRights::preopen(DirPerms::READ, FilePerms::all());
        assert_eq!(no_mutate.base, all.base - DirPerms::MUTATE_RIGHTS);
        assert_eq!(
            no_mutate.inheriting,
            all.inheriting - DirPerms::MUTATE_RIGHTS
        );
        let no_file_read = FdRights::preopen(DirPerms::all(), FilePerms::WRITE);
        assert_eq!(
            no_file_read.base, all.base,
            "file permissions leave the base alone"
        );
        assert_eq!(no_file_read.inheriting, all.inheriting - Rights::FD_READ);
        let no_file_write = FdRights::preopen(DirPerms::all(), FilePerms::READ);
        assert_eq!(no_file_write.base, all.base);
        assert_eq!(
            no_file_write.inheriting,
            all.inheriting - FilePerms::WRITE_RIGHTS
        );
        let nothing = FdRights::preopen(DirPerms::empty(), FilePerms::empty());
        assert!(!nothing.base.contains(Rights::PATH_OPEN));
        assert!(
            !nothing
                .inheriting
                .intersects(Rights::FD_READ | Rights::FD_WRITE)
        );
    }

    #[test]
    fn rights_display_lists_names() {
        assert_eq!(
            (Rights::FD_READ | Rights::FD_WRITE).to_string(),
            "FD_READ | FD_WRITE"
        );
        assert_eq!(Rights::empty().to_string(), "none");
        assert_eq!(
            Rights::from_bits_retain(1 << 40).to_string(),
            "0x10000000000"
        );
    }
}
