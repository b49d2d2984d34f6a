//! The small WASI flag sets and enums kept with fd state: fdflags, oflags, lookupflags, fstflags, filetype.
//!
//! Bit values are preview1's (wasi-reference.md §2.4). Each flag set's `from_guest`
//! constructor, which refuses unknown bits as checklist item M5 requires, lives in `guest.rs`
//! with the error it returns, so this module does not depend on the crate's error type.

use std::fmt;

bitflags::bitflags! {
    /// File descriptor flags (`fdflags`, u16): how reads and writes behave on one fd.
    ///
    /// These are the WASI bits, tracked by wisp; they are never host `fcntl` bits (F8).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Fdflags: u16 {
        /// `fdflags::append` (`__WASI_FDFLAGS_APPEND`): every write goes to the end of the file.
        const APPEND = 0x1;
        /// `fdflags::dsync` (`__WASI_FDFLAGS_DSYNC`): write data synchronously.
        const DSYNC = 0x2;
        /// `fdflags::nonblock` (`__WASI_FDFLAGS_NONBLOCK`): non-blocking mode.
        const NONBLOCK = 0x4;
        /// `fdflags::rsync` (`__WASI_FDFLAGS_RSYNC`): synchronised reads.
        const RSYNC = 0x8;
        /// `fdflags::sync` (`__WASI_FDFLAGS_SYNC`): write data and metadata synchronously.
        const SYNC = 0x10;
    }
}

bitflags::bitflags! {
    /// Open flags for `path_open` (`oflags`, u16).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Oflags: u16 {
        /// `oflags::creat` (`__WASI_OFLAGS_CREAT`, C `O_CREAT`): create the file if missing.
        const CREAT = 0x1;
        /// `oflags::directory` (`__WASI_OFLAGS_DIRECTORY`, C `O_DIRECTORY`): fail unless a directory.
        const DIRECTORY = 0x2;
        /// `oflags::excl` (`__WASI_OFLAGS_EXCL`, C `O_EXCL`): fail if the name exists.
        const EXCL = 0x4;
        /// `oflags::trunc` (`__WASI_OFLAGS_TRUNC`, C `O_TRUNC`): truncate to size 0.
        const TRUNC = 0x8;
    }
}

bitflags::bitflags! {
    /// How a path's last component is resolved (`lookupflags`, u32).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Lookupflags: u32 {
        /// `lookupflags::symlink_follow` (`__WASI_LOOKUPFLAGS_SYMLINK_FOLLOW`): follow a final symlink.
        const SYMLINK_FOLLOW = 0x1;
    }
}

bitflags::bitflags! {
    /// Which timestamps `*_filestat_set_times` changes (`fstflags`, u16).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct Fstflags: u16 {
        /// `fstflags::atim` (`__WASI_FSTFLAGS_ATIM`): set the access time to the given value.
        const ATIM = 0x1;
        /// `fstflags::atim_now` (`__WASI_FSTFLAGS_ATIM_NOW`): set the access time to now.
        const ATIM_NOW = 0x2;
        /// `fstflags::mtim` (`__WASI_FSTFLAGS_MTIM`): set the modification time to the given value.
        const MTIM = 0x4;
        /// `fstflags::mtim_now` (`__WASI_FSTFLAGS_MTIM_NOW`): set the modification time to now.
        const MTIM_NOW = 0x8;
    }
}

/// Implements `Display` for a flag set.
macro_rules! display_flags {
    ($($ty:ident),+) => {
        $(
            impl fmt::Display for $ty {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    write_flags(self, f)
                }
            }
        )+
    };
}

display_flags!(Fdflags, Oflags, Lookupflags, Fstflags);

/// Writes flags as `A | B`, unknown bits in hex, and `none` for the empty set.
pub(crate) fn write_flags<F>(flags: &F, f: &mut fmt::Formatter<'_>) -> fmt::Result
where
    F: bitflags::Flags,
    F::Bits: bitflags::parser::WriteHex,
{
    if flags.is_empty() {
        f.write_str("none")
    } else {
        bitflags::parser::to_writer(flags, f)
    }
}

/// The type of a file or descriptor (`filetype`, u8), in preview1 numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Filetype {
    /// `filetype::unknown` (0): the type is unknown or not one of the others.
    Unknown = 0,
    /// `filetype::block_device` (1).
    BlockDevice = 1,
    /// `filetype::character_device` (2): also what terminals and wisp's non-host stdio report.
    CharacterDevice = 2,
    /// `filetype::directory` (3).
    Directory = 3,
    /// `filetype::regular_file` (4).
    RegularFile = 4,
    /// `filetype::socket_dgram` (5).
    SocketDgram = 5,
    /// `filetype::socket_stream` (6): also reported for pipes and FIFOs (F8, D5).
    SocketStream = 6,
    /// `filetype::symbolic_link` (7).
    SymbolicLink = 7,
}

impl Filetype {
    /// The type with preview1 number `raw`, or `None` if there is none.
    pub const fn from_raw(raw: u8) -> Option<Filetype> {
        Some(match raw {
            0 => Filetype::Unknown,
            1 => Filetype::BlockDevice,
            2 => Filetype::CharacterDevice,
            3 => Filetype::Directory,
            4 => Filetype::RegularFile,
            5 => Filetype::SocketDgram,
            6 => Filetype::SocketStream,
            7 => Filetype::SymbolicLink,
            _ => return None,
        })
    }

    /// The preview1 number of this type, as written into `fdstat`, `filestat` and `dirent`.
    pub const fn raw(self) -> u8 {
        self as u8
    }

    /// Maps a host file type per checklist item S2: FIFOs and sockets report
    /// `SocketStream` (a datagram socket cannot be told apart from `st_mode`).
    pub fn from_host(file_type: rustix::fs::FileType) -> Filetype {
        use rustix::fs::FileType as Host;
        match file_type {
            Host::RegularFile => Filetype::RegularFile,
            Host::Directory => Filetype::Directory,
            Host::Symlink => Filetype::SymbolicLink,
            Host::CharacterDevice => Filetype::CharacterDevice,
            Host::BlockDevice => Filetype::BlockDevice,
            Host::Socket | Host::Fifo => Filetype::SocketStream,
            _ => Filetype::Unknown,
        }
    }
}

impl From<Filetype> for u8 {
    fn from(filetype: Filetype) -> u8 {
        filetype.raw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_bits_match_preview1() {
        assert_eq!(Fdflags::APPEND.bits(), 0x1);
        assert_eq!(Fdflags::DSYNC.bits(), 0x2);
        assert_eq!(Fdflags::NONBLOCK.bits(), 0x4);
        assert_eq!(Fdflags::RSYNC.bits(), 0x8);
        assert_eq!(Fdflags::SYNC.bits(), 0x10);
        assert_eq!(Fdflags::all().bits(), 0x1F);
        assert_eq!(Oflags::CREAT.bits(), 0x1);
        assert_eq!(Oflags::DIRECTORY.bits(), 0x2);
        assert_eq!(Oflags::EXCL.bits(), 0x4);
        assert_eq!(Oflags::TRUNC.bits(), 0x8);
        assert_eq!(Oflags::all().bits(), 0xF);
        assert_eq!(Lookupflags::all().bits(), 0x1);
        assert_eq!(Fstflags::ATIM.bits(), 0x1);
        assert_eq!(Fstflags::ATIM_NOW.bits(), 0x2);
        assert_eq!(Fstflags::MTIM.bits(), 0x4);
        assert_eq!(Fstflags::MTIM_NOW.bits(), 0x8);
    }

    #[test]
    fn flags_display_names() {
        assert_eq!(
            (Fdflags::APPEND | Fdflags::NONBLOCK).to_string(),
            "APPEND | NONBLOCK"
        );
        assert_eq!(Oflags::empty().to_string(), "none");
    }

    #[test]
    fn filetype_numbers_round_trip() {
        for raw in 0..=7u8 {
            let ty = Filetype::from_raw(raw).expect("0..=7 are all defined");
            assert_eq!(u8::from(ty), raw);
        }
        assert_eq!(Filetype::from_raw(8), None);
        assert_eq!(Filetype::RegularFile.raw(), 4);
        assert_eq!(Filetype::SymbolicLink.raw(), 7);
    }

    #[test]
    fn host_file_types_map_per_s2() {
        use rustix::fs::FileType as Host;
        assert_eq!(
            Filetype::from_host(Host::RegularFile),
            Filetype::RegularFile
        );
        assert_eq!(Filetype::from_host(Host::Directory), Filetype::Directory);
        assert_eq!(Filetype::from_host(Host::Symlink), Filetype::SymbolicLink);
        assert_eq!(
            Filetype::from_host(Host::CharacterDevice),
            Filetype::CharacterDevice
        );
        assert_eq!(
            Filetype::from_host(Host::BlockDevice),
            Filetype::BlockDevice
        );
        assert_eq!(Filetype::from_host(Host::Fifo), Filetype::SocketStream);
        assert_eq!(Filetype::from_host(Host::Socket), Filetype::SocketStream);
        assert_eq!(Filetype::from_host(Host::Unknown), Filetype::Unknown);
    }
}
