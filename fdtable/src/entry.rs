//! One open descriptor: its host handle, filetype, rights, fd flags, preopen name and readdir snapshot.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::LazyLock;

use crate::flags::{Fdflags, Filetype};
use crate::rights::FdRights;

/// What backs a descriptor on the host.
///
/// `S` is the stream type the embedding layer plugs in for stdio that is not a host fd
/// (in-memory, null, custom); this crate never looks inside it. A table without such
/// streams uses [`std::convert::Infallible`], which makes the variant impossible.
#[derive(Debug)]
pub enum Host<S> {
    /// A host fd wisp owns; dropping the entry closes it.
    Owned(OwnedFd),
    /// A host fd wisp only borrows, such as the process's stdio; wisp never closes it (F3).
    Borrowed(BorrowedFd<'static>),
    /// A stream provided by the embedding layer; dropping the entry drops it.
    Stream(S),
}

static STDIN: LazyLock<io::Stdin> = LazyLock::new(io::stdin);
static STDOUT: LazyLock<io::Stdout> = LazyLock::new(io::stdout);
static STDERR: LazyLock<io::Stderr> = LazyLock::new(io::stderr);

impl<S> Host<S> {
    /// The process's stdin (host fd 0), borrowed.
    pub fn stdin() -> Host<S> {
        Host::Borrowed(STDIN.as_fd())
    }

    /// The process's stdout (host fd 1), borrowed.
    pub fn stdout() -> Host<S> {
        Host::Borrowed(STDOUT.as_fd())
    }

    /// The process's stderr (host fd 2), borrowed.
    pub fn stderr() -> Host<S> {
        Host::Borrowed(STDERR.as_fd())
    }

    /// The host fd, for either fd variant; `None` for a stream.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Host::Owned(fd) => Some(fd.as_fd()),
            Host::Borrowed(fd) => Some(*fd),
            Host::Stream(_) => None,
        }
    }

    /// The stream, if this is one.
    pub fn stream(&self) -> Option<&S> {
        match self {
            Host::Stream(stream) => Some(stream),
            _ => None,
        }
    }

    /// The stream, mutably, if this is one.
    pub fn stream_mut(&mut self) -> Option<&mut S> {
        match self {
            Host::Stream(stream) => Some(stream),
            _ => None,
        }
    }
}

/// One directory entry in a readdir snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dirent {
    /// `d_ino`: the entry's inode (D4: never 0).
    pub ino: u64,
    /// `d_type`: the entry's type as `lstat` sees it (D5).
    pub filetype: Filetype,
    /// The entry's name; names that are not UTF-8 are left out of snapshots (D6).
    pub name: String,
}

/// The entries of a directory as listed when the guest last read it from cookie 0 (D3).
///
/// Entry `i` has cookie `i` and `d_next` `i + 1`, so later reads at any cookie the guest
/// was given see stable indices. Whoever builds the snapshot decides what it holds
/// (`.` and `..` first, per D1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirSnapshot {
    entries: Vec<Dirent>,
}

impl DirSnapshot {
    /// A snapshot of `entries`, in the order they will be returned.
    pub fn new(entries: Vec<Dirent>) -> DirSnapshot {
        DirSnapshot { entries }
    }

    /// All entries.
    pub fn entries(&self) -> &[Dirent] {
        &self.entries
    }

    /// The entries from `cookie` on, each with its `d_next`. A cookie past the end yields
    /// nothing (D3: success with nothing read).
    pub fn from_cookie(&self, cookie: u64) -> impl Iterator<Item = (u64, &Dirent)> + '_ {
        let len = self.entries.len();
        let start = usize::try_from(cookie).map_or(len, |c| c.min(len));
        let rest = self.entries.get(start..).unwrap_or_default();
        // `start <= len`, so the cookie arithmetic cannot overflow.
        (start as u64 + 1..).zip(rest)
    }
}

/// One open descriptor.
///
/// Rights can only be narrowed and fd flags only changed through [`FdTable`](crate::FdTable),
/// which checks the rules. The file offset is not stored here: it lives in the host file
/// description (or in the stream), and moves with the handle when the entry is renumbered.
#[derive(Debug)]
pub struct Entry<S> {
    host: Host<S>,
    filetype: Filetype,
    rights: FdRights,
    fdflags: Fdflags,
    preopen: Option<String>,
    readdir: Option<DirSnapshot>,
}

impl<S> Entry<S> {
    /// A descriptor for `host` reporting `filetype` and holding `rights`, with no fd flags.
    pub fn new(host: Host<S>, filetype: Filetype, rights: FdRights) -> Entry<S> {
        Entry {
            host,
            filetype,
            rights,
            fdflags: Fdflags::empty(),
            preopen: None,
            readdir: None,
        }
    }

    /// A preopened directory named `name` for the guest (reported exactly as given, F7),
    /// with the directory rights of table 2.3.
    pub fn preopen(dir: OwnedFd, name: impl Into<String>) -> Entry<S> {
        Entry::new(Host::Owned(dir), Filetype::Directory, FdRights::DIRECTORY).with_preopen(name)
    }

    /// This entry with fd flags `fdflags` (as requested at open; WASI bits only).
    pub fn with_fdflags(mut self, fdflags: Fdflags) -> Entry<S> {
        self.fdflags = fdflags;
        self
    }

    /// This entry marked as a preopen named `name`.
    pub fn with_preopen(mut self, name: impl Into<String>) -> Entry<S> {
        self.preopen = Some(name.into());
        self
    }

    /// What backs the descriptor.
    pub fn host(&self) -> &Host<S> {
        &self.host
    }

    /// What backs the descriptor, mutably (to drive a stream).
    pub fn host_mut(&mut self) -> &mut Host<S> {
        &mut self.host
    }

    /// The host fd, borrowed; `None` for a stream.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        self.host.fd()
    }

    /// The type `fd_fdstat_get` reports.
    pub fn filetype(&self) -> Filetype {
        self.filetype
    }

    /// Current base and inheriting rights.
    pub fn rights(&self) -> FdRights {
        self.rights
    }

    /// Current fd flags (WASI bits, F8).
    pub fn fdflags(&self) -> Fdflags {
        self.fdflags
    }

    /// The preopen name, if this is a preopened directory.
    pub fn preopen_name(&self) -> Option<&str> {
        self.preopen.as_deref()
    }

    /// True for a preopened directory.
    pub fn is_preopen(&self) -> bool {
        self.preopen.is_some()
    }

    /// True if the descriptor is a directory.
    pub fn is_dir(&self) -> bool {
        self.filetype == Filetype::Directory
    }

    /// The readdir snapshot taken at the last cookie-0 read, if any.
    pub fn readdir(&self) -> Option<&DirSnapshot> {
        self.readdir.as_ref()
    }

    /// Stores a fresh readdir snapshot (taken when the guest reads from cookie 0), returning
    /// it for immediate use.
    pub fn set_readdir(&mut self, snapshot: DirSnapshot) -> &DirSnapshot {
        self.readdir.insert(snapshot)
    }

    /// Checked by [`FdTable`](crate::FdTable): the new rights are within the old ones.
    pub(crate) fn set_rights(&mut self, rights: FdRights) {
        debug_assert!(self.rights.contains(rights), "rights only narrow");
        self.rights = rights;
    }

    /// Checked by [`FdTable`](crate::FdTable): only APPEND and NONBLOCK change.
    pub(crate) fn set_fdflags(&mut self, fdflags: Fdflags) {
        self.fdflags = fdflags;
    }
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;
    use crate::rights::Rights;

    fn dirent(ino: u64, name: &str) -> Dirent {
        Dirent {
            ino,
            filetype: Filetype::RegularFile,
            name: name.to_owned(),
        }
    }

    #[test]
    fn snapshot_cookies_are_indices() {
        let snap = DirSnapshot::new(vec![dirent(1, "."), dirent(2, ".."), dirent(3, "a")]);
        let all: Vec<_> = snap
            .from_cookie(0)
            .map(|(next, d)| (next, d.name.as_str()))
            .collect();
        assert_eq!(all, [(1, "."), (2, ".."), (3, "a")]);
        let tail: Vec<_> = snap.from_cookie(2).map(|(next, d)| (next, d.ino)).collect();
        assert_eq!(tail, [(3, 3)]);
        assert_eq!(snap.from_cookie(3).count(), 0);
        assert_eq!(snap.from_cookie(u64::MAX).count(), 0);
    }

    #[test]
    fn stdio_hosts_borrow_fds_0_1_2() {
        use std::os::fd::AsRawFd;
        let hosts: [Host<Infallible>; 3] = [Host::stdin(), Host::stdout(), Host::stderr()];
        for (n, host) in hosts.iter().enumerate() {
            assert!(matches!(host, Host::Borrowed(_)));
            assert_eq!(host.fd().map(|fd| fd.as_raw_fd()), Some(n as i32));
        }
    }

    #[test]
    fn stream_payload_is_reachable() {
        let mut entry = Entry::new(
            Host::Stream(vec![1u8]),
            Filetype::CharacterDevice,
            FdRights::TTY,
        );
        assert!(entry.fd().is_none());
        entry.host_mut().stream_mut().expect("a stream").push(2);
        assert_eq!(entry.host().stream(), Some(&vec![1, 2]));
    }

    #[test]
    fn preopen_entry_is_a_directory_with_directory_rights() {
        let dir = std::fs::File::open(std::env::temp_dir()).expect("temp dir opens");
        let entry: Entry<Infallible> = Entry::preopen(dir.into(), "/sandbox");
        assert!(entry.is_dir() && entry.is_preopen());
        assert_eq!(entry.preopen_name(), Some("/sandbox"));
        assert_eq!(entry.rights(), FdRights::DIRECTORY);
        assert!(entry.rights().base.contains(Rights::PATH_OPEN));
        assert_eq!(entry.fdflags(), Fdflags::empty());
        assert!(entry.readdir().is_none());
    }

    #[test]
    fn readdir_snapshot_is_replaced() {
        let mut entry: Entry<()> =
            Entry::new(Host::Stream(()), Filetype::Directory, FdRights::DIRECTORY);
        entry.set_readdir(DirSnapshot::new(vec![dirent(5, "old")]));
        let fresh = entry.set_readdir(DirSnapshot::new(vec![dirent(6, "new")]));
        assert_eq!(fresh.entries()[0].name, "new");
        assert_eq!(entry.readdir().map(|s| s.entries().len()), Some(1));
    }
}
