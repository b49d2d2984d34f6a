//! `Errno` in preview1 numbering, and the only place where foreign errors
//! (rustix, the sandbox, the fd table) become errnos.

use core::fmt;
use rustix::io::Errno as E;

/// A WASI preview1 error number (`errno`, u16).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Errno {
    /// `success` (0)
    Success = 0,
    /// `2big` (1)
    TooBig = 1,
    /// `acces` (2)
    Acces = 2,
    /// `addrinuse` (3)
    Addrinuse = 3,
    /// `addrnotavail` (4)
    Addrnotavail = 4,
    /// `afnosupport` (5)
    Afnosupport = 5,
    /// `again` (6)
    Again = 6,
    /// `already` (7)
    Already = 7,
    /// `badf` (8)
    Badf = 8,
    /// `badmsg` (9)
    Badmsg = 9,
    /// `busy` (10)
    Busy = 10,
    /// `canceled` (11)
    Canceled = 11,
    /// `child` (12)
    Child = 12,
    /// `connaborted` (13)
    Connaborted = 13,
    /// `connrefused` (14)
    Connrefused = 14,
    /// `connreset` (15)
    Connreset = 15,
    /// `deadlk` (16)
    Deadlk = 16,
    /// `destaddrreq` (17)
    Destaddrreq = 17,
    /// `dom` (18)
    Dom = 18,
    /// `dquot` (19)
    Dquot = 19,
    /// `exist` (20)
    Exist = 20,
    /// `fault` (21)
    Fault = 21,
    /// `fbig` (22)
    Fbig = 22,
    /// `hostunreach` (23)
    Hostunreach = 23,
    /// `idrm` (24)
    Idrm = 24,
    /// `ilseq` (25)
    Ilseq = 25,
    /// `inprogress` (26)
    Inprogress = 26,
    /// `intr` (27)
    Intr = 27,
    /// `inval` (28)
    Inval = 28,
    /// `io` (29)
    Io = 29,
    /// `isconn` (30)
    Isconn = 30,
    /// `isdir` (31)
    Isdir = 31,
    /// `loop` (32)
    Loop = 32,
    /// `mfile` (33)
    Mfile = 33,
    /// `mlink` (34)
    Mlink = 34,
    /// `msgsize` (35)
    Msgsize = 35,
    /// `multihop` (36)
    Multihop = 36,
    /// `nametoolong` (37)
    Nametoolong = 37,
    /// `netdown` (38)
    Netdown = 38,
    /// `netreset` (39)
    Netreset = 39,
    /// `netunreach` (40)
    Netunreach = 40,
    /// `nfile` (41)
    Nfile = 41,
    /// `nobufs` (42)
    Nobufs = 42,
    /// `nodev` (43)
    Nodev = 43,
    /// `noent` (44)
    Noent = 44,
    /// `noexec` (45)
    Noexec = 45,
    /// `nolck` (46)
    Nolck = 46,
    /// `nolink` (47)
    Nolink = 47,
    /// `nomem` (48)
    Nomem = 48,
    /// `nomsg` (49)
    Nomsg = 49,
    /// `noprotoopt` (50)
    Noprotoopt = 50,
    /// `nospc` (51)
    Nospc = 51,
    /// `nosys` (52)
    Nosys = 52,
    /// `notconn` (53)
    Notconn = 53,
    /// `notdir` (54)
    Notdir = 54,
    /// `notempty` (55)
    Notempty = 55,
    /// `notrecoverable` (56)
    Notrecoverable = 56,
    /// `notsock` (57)
    Notsock = 57,
    /// `notsup` (58)
    Notsup = 58,
    /// `notty` (59)
    Notty = 59,
    /// `nxio` (60)
    Nxio = 60,
    /// `overflow` (61)
    Overflow = 61,
    /// `ownerdead` (62)
    Ownerdead = 62,
    /// `perm` (63)
    Perm = 63,
    /// `pipe` (64)
    Pipe = 64,
    /// `proto` (65)
    Proto = 65,
    /// `protonosupport` (66)
    Protonosupport = 66,
    /// `prototype` (67)
    Prototype = 67,
    /// `range` (68)
    Range = 68,
    /// `rofs` (69)
    Rofs = 69,
    /// `spipe` (70)
    Spipe = 70,
    /// `srch` (71)
    Srch = 71,
    /// `stale` (72)
    Stale = 72,
    /// `timedout` (73)
    Timedout = 73,
    /// `txtbsy` (74)
    Txtbsy = 74,
    /// `xdev` (75)
    Xdev = 75,
    /// `notcapable` (76)
    Notcapable = 76,
}

impl Errno {
    /// Every errno, in numeric order.
    pub const ALL: [Errno; 77] = [
        Errno::Success,
        Errno::TooBig,
        Errno::Acces,
        Errno::Addrinuse,
        Errno::Addrnotavail,
        Errno::Afnosupport,
        Errno::Again,
        Errno::Already,
        Errno::Badf,
        Errno::Badmsg,
        Errno::Busy,
        Errno::Canceled,
        Errno::Child,
        Errno::Connaborted,
        Errno::Connrefused,
        Errno::Connreset,
        Errno::Deadlk,
        Errno::Destaddrreq,
        Errno::Dom,
        Errno::Dquot,
        Errno::Exist,
        Errno::Fault,
        Errno::Fbig,
        Errno::Hostunreach,
        Errno::Idrm,
        Errno::Ilseq,
        Errno::Inprogress,
        Errno::Intr,
        Errno::Inval,
        Errno::Io,
        Errno::Isconn,
        Errno::Isdir,
        Errno::Loop,
        Errno::Mfile,
        Errno::Mlink,
        Errno::Msgsize,
        Errno::Multihop,
        Errno::Nametoolong,
        Errno::Netdown,
        Errno::Netreset,
        Errno::Netunreach,
        Errno::Nfile,
        Errno::Nobufs,
        Errno::Nodev,
        Errno::Noent,
        Errno::Noexec,
        Errno::Nolck,
        Errno::Nolink,
        Errno::Nomem,
        Errno::Nomsg,
        Errno::Noprotoopt,
        Errno::Nospc,
        Errno::Nosys,
        Errno::Notconn,
        Errno::Notdir,
        Errno::Notempty,
        Errno::Notrecoverable,
        Errno::Notsock,
        Errno::Notsup,
        Errno::Notty,
        Errno::Nxio,
        Errno::Overflow,
        Errno::Ownerdead,
        Errno::Perm,
        Errno::Pipe,
        Errno::Proto,
        Errno::Protonosupport,
        Errno::Prototype,
        Errno::Range,
        Errno::Rofs,
        Errno::Spipe,
        Errno::Srch,
        Errno::Stale,
        Errno::Timedout,
        Errno::Txtbsy,
        Errno::Xdev,
        Errno::Notcapable,
    ];

    /// The number the guest sees.
    pub const fn raw(self) -> u16 {
        self as u16
    }

    /// The errno with this number, if it is one.
    pub fn from_raw(raw: u16) -> Option<Errno> {
        Errno::ALL.get(raw as usize).copied()
    }

    /// The spec name, e.g. `NOENT`.
    pub const fn name(self) -> &'static str {
        match self {
            Errno::Success => "SUCCESS",
            Errno::TooBig => "2BIG",
            Errno::Acces => "ACCES",
            Errno::Addrinuse => "ADDRINUSE",
            Errno::Addrnotavail => "ADDRNOTAVAIL",
            Errno::Afnosupport => "AFNOSUPPORT",
            Errno::Again => "AGAIN",
            Errno::Already => "ALREADY",
            Errno::Badf => "BADF",
            Errno::Badmsg => "BADMSG",
            Errno::Busy => "BUSY",
            Errno::Canceled => "CANCELED",
            Errno::Child => "CHILD",
            Errno::Connaborted => "CONNABORTED",
            Errno::Connrefused => "CONNREFUSED",
            Errno::Connreset => "CONNRESET",
            Errno::Deadlk => "DEADLK",
            Errno::Destaddrreq => "DESTADDRREQ",
            Errno::Dom => "DOM",
            Errno::Dquot => "DQUOT",
            Errno::Exist => "EXIST",
            Errno::Fault => "FAULT",
            Errno::Fbig => "FBIG",
            Errno::Hostunreach => "HOSTUNREACH",
            Errno::Idrm => "IDRM",
            Errno::Ilseq => "ILSEQ",
            Errno::Inprogress => "INPROGRESS",
            Errno::Intr => "INTR",
            Errno::Inval => "INVAL",
            Errno::Io => "IO",
            Errno::Isconn => "ISCONN",
            Errno::Isdir => "ISDIR",
            Errno::Loop => "LOOP",
            Errno::Mfile => "MFILE",
            Errno::Mlink => "MLINK",
            Errno::Msgsize => "MSGSIZE",
            Errno::Multihop => "MULTIHOP",
            Errno::Nametoolong => "NAMETOOLONG",
            Errno::Netdown => "NETDOWN",
            Errno::Netreset => "NETRESET",
            Errno::Netunreach => "NETUNREACH",
            Errno::Nfile => "NFILE",
            Errno::Nobufs => "NOBUFS",
            Errno::Nodev => "NODEV",
            Errno::Noent => "NOENT",
            Errno::Noexec => "NOEXEC",
            Errno::Nolck => "NOLCK",
            Errno::Nolink => "NOLINK",
            Errno::Nomem => "NOMEM",
            Errno::Nomsg => "NOMSG",
            Errno::Noprotoopt => "NOPROTOOPT",
            Errno::Nospc => "NOSPC",
            Errno::Nosys => "NOSYS",
            Errno::Notconn => "NOTCONN",
            Errno::Notdir => "NOTDIR",
            Errno::Notempty => "NOTEMPTY",
            Errno::Notrecoverable => "NOTRECOVERABLE",
            Errno::Notsock => "NOTSOCK",
            Errno::Notsup => "NOTSUP",
            Errno::Notty => "NOTTY",
            Errno::Nxio => "NXIO",
            Errno::Overflow => "OVERFLOW",
            Errno::Ownerdead => "OWNERDEAD",
            Errno::Perm => "PERM",
            Errno::Pipe => "PIPE",
            Errno::Proto => "PROTO",
            Errno::Protonosupport => "PROTONOSUPPORT",
            Errno::Prototype => "PROTOTYPE",
            Errno::Range => "RANGE",
            Errno::Rofs => "ROFS",
            Errno::Spipe => "SPIPE",
            Errno::Srch => "SRCH",
            Errno::Stale => "STALE",
            Errno::Timedout => "TIMEDOUT",
            Errno::Txtbsy => "TXTBSY",
            Errno::Xdev => "XDEV",
            Errno::Notcapable => "NOTCAPABLE",
        }
    }

    /// Maps a host error by name (never by number); unknown ones become `IO`.
    pub fn from_host(e: E) -> Errno {
        host_errno(e)
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", self.name(), self.raw())
    }
}

impl std::error::Error for Errno {}

#[allow(unreachable_patterns)] // Some host names alias each other (EWOULDBLOCK, EDEADLOCK).
fn host_errno(e: E) -> Errno {
    match e {
        E::TOOBIG => Errno::TooBig,
        E::ACCESS => Errno::Acces,
        E::ADDRINUSE => Errno::Addrinuse,
        E::ADDRNOTAVAIL => Errno::Addrnotavail,
        E::AFNOSUPPORT => Errno::Afnosupport,
        E::AGAIN => Errno::Again,
        E::ALREADY => Errno::Already,
        E::BADF => Errno::Badf,
        E::BADMSG => Errno::Badmsg,
        E::BUSY => Errno::Busy,
        E::CANCELED => Errno::Canceled,
        E::CHILD => Errno::Child,
        E::CONNABORTED => Errno::Connaborted,
        E::CONNREFUSED => Errno::Connrefused,
        E::CONNRESET => Errno::Connreset,
        E::DEADLK => Errno::Deadlk,
        E::DESTADDRREQ => Errno::Destaddrreq,
        E::DOM => Errno::Dom,
        E::DQUOT => Errno::Dquot,
        E::EXIST => Errno::Exist,
        E::FAULT => Errno::Fault,
        E::FBIG => Errno::Fbig,
        E::HOSTUNREACH => Errno::Hostunreach,
        E::IDRM => Errno::Idrm,
        E::ILSEQ => Errno::Ilseq,
        E::INPROGRESS => Errno::Inprogress,
        E::INTR => Errno::Intr,
        E::INVAL => Errno::Inval,
        E::IO => Errno::Io,
        E::ISCONN => Errno::Isconn,
        E::ISDIR => Errno::Isdir,
        E::LOOP => Errno::Loop,
        E::MFILE => Errno::Mfile,
        E::MLINK => Errno::Mlink,
        E::MSGSIZE => Errno::Msgsize,
        E::MULTIHOP => Errno::Multihop,
        E::NAMETOOLONG => Errno::Nametoolong,
        E::NETDOWN => Errno::Netdown,
        E::NETRESET => Errno::Netreset,
        E::NETUNREACH => Errno::Netunreach,
        E::NFILE => Errno::Nfile,
        E::NOBUFS => Errno::Nobufs,
        E::NODEV => Errno::Nodev,
        E::NOENT => Errno::Noent,
        E::NOEXEC => Errno::Noexec,
        E::NOLCK => Errno::Nolck,
        E::NOLINK => Errno::Nolink,
        E::NOMEM => Errno::Nomem,
        E::NOMSG => Errno::Nomsg,
        E::NOPROTOOPT => Errno::Noprotoopt,
        E::NOSPC => Errno::Nospc,
        E::NOSYS => Errno::Nosys,
        E::NOTCONN => Errno::Notconn,
        E::NOTDIR => Errno::Notdir,
        E::NOTEMPTY => Errno::Notempty,
        E::NOTRECOVERABLE => Errno::Notrecoverable,
        E::NOTSOCK => Errno::Notsock,
        E::NOTSUP => Errno::Notsup,
        E::NOTTY => Errno::Notty,
        E::NXIO => Errno::Nxio,
        E::OVERFLOW => Errno::Overflow,
        E::OWNERDEAD => Errno::Ownerdead,
        E::PERM => Errno::Perm,
        E::PIPE => Errno::Pipe,
        E::PROTO => Errno::Proto,
        E::PROTONOSUPPORT => Errno::Protonosupport,
        E::PROTOTYPE => Errno::Prototype,
        E::RANGE => Errno::Range,
        E::ROFS => Errno::Rofs,
        E::SPIPE => Errno::Spipe,
        E::SRCH => Errno::Srch,
        E::STALE => Errno::Stale,
        E::TIMEDOUT => Errno::Timedout,
        E::TXTBSY => Errno::Txtbsy,
        E::XDEV => Errno::Xdev,
        E::WOULDBLOCK => Errno::Again,
        E::OPNOTSUPP => Errno::Notsup,
        _ => Errno::Io,
    }
}

impl From<E> for Errno {
    fn from(e: E) -> Errno {
        host_errno(e)
    }
}

impl From<std::io::Error> for Errno {
    fn from(e: std::io::Error) -> Errno {
        match e.raw_os_error() {
            Some(code) => host_errno(E::from_raw_os_error(code)),
            None => match e.kind() {
                std::io::ErrorKind::NotFound => Errno::Noent,
                std::io::ErrorKind::PermissionDenied => Errno::Perm,
                std::io::ErrorKind::WouldBlock => Errno::Again,
                std::io::ErrorKind::InvalidInput => Errno::Inval,
                std::io::ErrorKind::BrokenPipe => Errno::Pipe,
                _ => Errno::Io,
            },
        }
    }
}

impl From<wisp_fdtable::Error> for Errno {
    fn from(e: wisp_fdtable::Error) -> Errno {
        use wisp_fdtable::Error as F;
        match e {
            F::BadFd { .. } | F::NotPreopen { .. } => Errno::Badf,
            F::NotDir { .. } => Errno::Notdir,
            F::NotCapable { .. } => Errno::Notcapable,
            F::TooManyFiles { .. } => Errno::Nfile,
            F::InvalidFlags { .. } => Errno::Inval,
            F::UnsupportedFdflags { .. } => Errno::Notsup,
            _ => Errno::Io,
        }
    }
}

impl From<wisp_sandbox::Error> for Errno {
    fn from(e: wisp_sandbox::Error) -> Errno {
        use wisp_sandbox::ErrorKind as S;
        match e.kind() {
            S::NotCapable => Errno::Notcapable,
            S::Loop => Errno::Loop,
            S::NameTooLong => Errno::Nametoolong,
            S::Inval => Errno::Inval,
            S::NotDir => Errno::Notdir,
            S::NoEnt => Errno::Noent,
            S::Host(h) => host_errno(h),
            _ => Errno::Io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_matches_the_preview1_table() {
        assert_eq!(Errno::TooBig.raw(), 1);
        assert_eq!(Errno::Badf.raw(), 8);
        assert_eq!(Errno::Inval.raw(), 28);
        assert_eq!(Errno::Noent.raw(), 44);
        assert_eq!(Errno::Overflow.raw(), 61);
        assert_eq!(Errno::Notcapable.raw(), 76);
        for (i, e) in Errno::ALL.iter().enumerate() {
            assert_eq!(e.raw() as usize, i);
            assert_eq!(Errno::from_raw(i as u16), Some(*e));
        }
    }

    #[test]
    fn host_errors_map_by_name() {
        assert_eq!(Errno::from_host(E::NOENT), Errno::Noent);
        assert_eq!(Errno::from_host(E::ACCESS), Errno::Acces);
        assert_eq!(Errno::from_host(E::NOTEMPTY), Errno::Notempty);
        assert_eq!(Errno::from_host(E::WOULDBLOCK), Errno::Again);
        assert_eq!(
            Errno::from(std::io::Error::from_raw_os_error(2)),
            Errno::Noent
        );
    }
}
