//! The manual walk: one component at a time beneath a directory handle, holding ancestor handles and counting symlink hops.
//!
//! This is the reference behaviour of the crate (wasi-reference §4.5). The walk never hands the
//! kernel a path with more than one component, and every component it opens is opened with
//! `O_NOFOLLOW`, so the kernel never follows a symbolic link the walk has not read and checked
//! itself. Intermediate directories are opened `O_PATH | O_DIRECTORY | O_NOFOLLOW`: the kernel
//! then guarantees, atomically with the open, that the handle is a directory and not a link, so
//! no separate `fstat` is needed. `..` pops the stack of handles instead of asking the kernel for
//! a parent, so renaming an already-walked directory cannot redirect the walk, and a `..` at the
//! starting directory is refused even if the path would come back inside later.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::fs::{self, AtFlags, FileType, Mode, OFlags, Stat};
use rustix::io::Errno;

use crate::Error;

/// Most symbolic links one resolution may expand; one more gives [`ErrorKind::Loop`](crate::ErrorKind::Loop).
///
/// Equal to Linux's `MAXSYMLINKS`, so the manual walk and `openat2` give up at the same link.
pub const MAX_SYMLINK_HOPS: u32 = 40;

/// How many ancestor handles (besides the starting directory and the current one) stay open.
///
/// Deeper ancestors are released and remembered by device and inode; a `..` that needs one
/// reopens it with `openat(child, "..")` and checks the identity. Without this a path of two
/// thousand components would need two thousand open descriptors, and could fail with `EMFILE`
/// where the kernel's own walk succeeds.
const MAX_HELD: usize = 32;

/// Flags for opening an intermediate directory: a handle good only as an `*at` base, refused by
/// the kernel if the name is not a directory or is a symbolic link.
const DIR_FLAGS: OFlags = OFlags::PATH
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// A directory handle that is either the caller's starting directory or one the walk opened.
pub(crate) enum Handle<'a> {
    /// The starting directory itself.
    Borrowed(BorrowedFd<'a>),
    /// A directory the walk opened beneath it.
    Owned(OwnedFd),
}

impl Handle<'_> {
    pub(crate) fn as_fd(&self) -> BorrowedFd<'_> {
        match self {
            Handle::Borrowed(fd) => *fd,
            Handle::Owned(fd) => fd.as_fd(),
        }
    }
}

/// What is left once every intermediate component has been walked.
#[derive(Debug)]
pub(crate) enum Last {
    /// The path ended in `.` or `..`: the object is the current directory itself.
    Dir,
    /// The path ends in a name, looked up in the current directory by the caller.
    Name {
        /// The last component (never `.`, `..` or empty, never containing `/`).
        name: Vec<u8>,
        /// A trailing `/` was seen on the last component, now or before a link was expanded:
        /// the final object has to be a directory.
        must_be_dir: bool,
    },
}

/// An ancestor directory below the current one.
enum Ancestor {
    /// Still open.
    Held(OwnedFd),
    /// Closed to bound the number of open handles; identified by device and inode.
    Released { dev: u64, ino: u64 },
}

/// The components still to walk: a stack of byte strings (the path, then the targets of the
/// links being expanded, innermost on top), each consumed left to right.
///
/// Invariant: every segment on the stack has at least one more component, and its cursor never
/// points at a `/`. So the stack is empty exactly when no component is left.
#[derive(Default)]
struct Pending {
    segments: Vec<Segment>,
}

struct Segment {
    bytes: Vec<u8>,
    pos: usize,
}

impl Segment {
    fn skip_slashes(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos += rest.iter().take_while(|&&b| b == b'/').count();
    }

    fn is_done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

impl Pending {
    fn push(&mut self, bytes: Vec<u8>) {
        let mut segment = Segment { bytes, pos: 0 };
        segment.skip_slashes();
        if !segment.is_done() {
            self.segments.push(segment);
        }
    }

    /// Moves the next component into `out`; returns whether a `/` followed it, or `None` when no
    /// component is left.
    fn next(&mut self, out: &mut Vec<u8>) -> Option<bool> {
        let segment = self.segments.last_mut()?;
        let rest = segment.bytes.get(segment.pos..).unwrap_or_default();
        let len = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        out.clear();
        out.extend_from_slice(rest.get(..len).unwrap_or_default());
        segment.pos += len;
        let end = segment.pos;
        segment.skip_slashes();
        let slash_followed = segment.pos > end;
        if segment.is_done() {
            self.segments.pop();
        }
        Some(slash_followed)
    }

    fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }
}

/// A walk in progress beneath one starting directory.
pub(crate) struct Walker<'a> {
    base: BorrowedFd<'a>,
    /// The current directory when it is not `base`.
    top: Option<OwnedFd>,
    /// Directories between `base` (exclusive) and `top` (exclusive), outermost first.
    ancestors: Vec<Ancestor>,
    /// `ancestors[..released]` are `Released`, the rest `Held`.
    released: usize,
    pending: Pending,
    hops: u32,
    must_be_dir: bool,
}

impl<'a> Walker<'a> {
    /// Starts a walk of `path` (already accepted by [`crate::path::check`]) beneath `base`.
    pub(crate) fn new(base: BorrowedFd<'a>, path: &[u8]) -> Self {
        let mut pending = Pending::default();
        pending.push(path.to_vec());
        Walker {
            base,
            top: None,
            ancestors: Vec::new(),
            released: 0,
            pending,
            hops: 0,
            must_be_dir: false,
        }
    }

    /// The directory the walk is currently in.
    pub(crate) fn top(&self) -> BorrowedFd<'_> {
        match &self.top {
            Some(fd) => fd.as_fd(),
            None => self.base,
        }
    }

    /// Ends the walk, keeping only the current directory.
    pub(crate) fn into_handle(self) -> Handle<'a> {
        match self.top {
            Some(fd) => Handle::Owned(fd),
            None => Handle::Borrowed(self.base),
        }
    }

    /// Walks every component up to the last one and reports what the last one is.
    ///
    /// After the caller found that the last name is a symbolic link it wants to follow, it calls
    /// [`Walker::follow`] and then `advance` again.
    pub(crate) fn advance(&mut self) -> Result<Last, Error> {
        let mut component = Vec::new();
        while let Some(slash_followed) = self.pending.next(&mut component) {
            let is_last = self.pending.is_empty();
            match component.as_slice() {
                b"." => {}
                b".." => self.pop()?,
                _ if is_last => {
                    self.must_be_dir |= slash_followed;
                    return Ok(Last::Name {
                        name: component,
                        must_be_dir: self.must_be_dir,
                    });
                }
                _ => self.enter(&component)?,
            }
            if is_last {
                break;
            }
        }
        Ok(Last::Dir)
    }

    /// Splices the target of the link `name` (in the current directory) in front of the
    /// remaining components.
    pub(crate) fn follow(&mut self, name: &[u8], target: &[u8]) -> Result<(), Error> {
        self.hops += 1;
        if self.hops > MAX_SYMLINK_HOPS {
            return Err(Error::too_many_links(name));
        }
        match target.first() {
            // Linux refuses to create empty links, but a foreign filesystem may hold one; the
            // kernel resolves it to ENOENT.
            None => Err(Error::no_ent(name)),
            Some(b'/') => Err(Error::not_capable(name)),
            Some(_) => {
                self.pending.push(target.to_vec());
                Ok(())
            }
        }
    }

    /// Opens the intermediate component `name` and makes it the current directory, or expands it
    /// if it is a symbolic link.
    fn enter(&mut self, name: &[u8]) -> Result<(), Error> {
        match fs::openat(self.top(), name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => self.push(fd),
            // O_DIRECTORY | O_NOFOLLOW refuses a link with ENOTDIR; tell links from other files.
            Err(Errno::NOTDIR) => match read_link_if_any(self.top(), name)? {
                Some(target) => self.follow(name, &target),
                None => Err(Error::not_dir(name)),
            },
            Err(e) => Err(Error::host(e, name)),
        }
    }

    fn push(&mut self, fd: OwnedFd) -> Result<(), Error> {
        let Some(previous) = self.top.replace(fd) else {
            return Ok(());
        };
        self.ancestors.push(Ancestor::Held(previous));
        if self.ancestors.len() - self.released > MAX_HELD
            && let Some(entry) = self.ancestors.get_mut(self.released)
        {
            if let Ancestor::Held(fd) = entry {
                let stat = fs::fstat(&*fd).map_err(|e| Error::host(e, b".."))?;
                let (dev, ino) = file_id(&stat);
                *entry = Ancestor::Released { dev, ino };
            }
            self.released += 1;
        }
        Ok(())
    }

    /// Handles `..`: back to the directory the walk came from, never above the start.
    fn pop(&mut self) -> Result<(), Error> {
        let Some(child) = self.top.take() else {
            return Err(self.dotdot_at_base());
        };
        match self.ancestors.pop() {
            None => {}
            Some(Ancestor::Held(fd)) => self.top = Some(fd),
            Some(Ancestor::Released { dev, ino }) => {
                self.released = self.ancestors.len();
                let fd = fs::openat(&child, "..", DIR_FLAGS, Mode::empty())
                    .map_err(|e| Error::host(e, b".."))?;
                let stat = fs::fstat(&fd).map_err(|e| Error::host(e, b".."))?;
                if file_id(&stat) != (dev, ino) {
                    // The directory was moved while we walked beneath it; openat2 answers
                    // EAGAIN in the same situation.
                    return Err(Error::host(Errno::AGAIN, b".."));
                }
                self.top = Some(fd);
            }
        }
        Ok(())
    }

    /// The error for a `..` at the starting directory: an escape, unless the start is not a
    /// directory at all (the kernel reports that first).
    #[cold]
    fn dotdot_at_base(&self) -> Error {
        match fs::fstat(self.base) {
            Ok(stat) if is_dir(&stat) => Error::not_capable(b".."),
            Ok(_) => Error::not_dir(b"."),
            Err(e) => Error::host(e, b"."),
        }
    }
}

/// Reads the link `name` in `dir`: `Some(target)` if it is one, `None` if it is something else or
/// does not exist.
///
/// # Errors
///
/// Any other failure of `readlinkat` (for example `EACCES`, or `ENOTDIR` when `dir` is not a
/// directory).
pub(crate) fn read_link_if_any(dir: BorrowedFd<'_>, name: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    match fs::readlinkat(dir, name, Vec::new()) {
        Ok(target) => Ok(Some(target.into_bytes())),
        Err(Errno::INVAL | Errno::NOENT) => Ok(None),
        Err(e) => Err(Error::host(e, name)),
    }
}

/// `lstat` of `name` in `dir`.
pub(crate) fn lstat(dir: BorrowedFd<'_>, name: &[u8]) -> Result<Stat, Error> {
    fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| Error::host(e, name))
}

pub(crate) fn is_dir(stat: &Stat) -> bool {
    FileType::from_raw_mode(stat.st_mode) == FileType::Directory
}

pub(crate) fn is_symlink(stat: &Stat) -> bool {
    FileType::from_raw_mode(stat.st_mode) == FileType::Symlink
}

/// Device and inode number, which identify a file on the host.
#[allow(
    clippy::useless_conversion,
    reason = "the field types differ between targets"
)]
pub(crate) fn file_id(stat: &Stat) -> (u64, u64) {
    (u64::from(stat.st_dev), u64::from(stat.st_ino))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(path: &[u8]) -> Vec<(String, bool)> {
        let mut pending = Pending::default();
        pending.push(path.to_vec());
        let mut out = Vec::new();
        let mut component = Vec::new();
        while let Some(slash) = pending.next(&mut component) {
            out.push((String::from_utf8_lossy(&component).into_owned(), slash));
        }
        out
    }

    #[test]
    fn pending_splits_on_slashes_and_reports_trailing_ones() {
        assert_eq!(split(b"a//b/"), [("a".into(), true), ("b".into(), true)]);
        assert_eq!(
            split(b"a/./.."),
            [("a".into(), true), (".".into(), true), ("..".into(), false)]
        );
        assert_eq!(split(b"///"), []);
    }

    #[test]
    fn pending_spliced_segment_comes_first() {
        let mut pending = Pending::default();
        pending.push(b"link/rest".to_vec());
        let mut c = Vec::new();
        assert_eq!(pending.next(&mut c), Some(true));
        assert_eq!(c, b"link");
        pending.push(b"t1/t2/".to_vec());
        let mut seen = Vec::new();
        while pending.next(&mut c).is_some() {
            seen.push(String::from_utf8_lossy(&c).into_owned());
        }
        assert_eq!(seen, ["t1", "t2", "rest"]);
    }

    #[test]
    fn deep_walks_release_and_reopen_ancestors() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let depth = MAX_HELD * 3;
        let deep = "d/".repeat(depth);
        std::fs::create_dir_all(tmp.path().join(&deep)).expect("create deep tree");
        std::fs::write(tmp.path().join("d/marker"), b"m").expect("marker");
        let root = std::fs::File::open(tmp.path()).expect("open root");
        let path = format!("{deep}{}marker", "../".repeat(depth - 1));
        let mut walker = Walker::new(root.as_fd(), path.as_bytes());
        let last = walker.advance().expect("walk");
        match last {
            Last::Name { name, must_be_dir } => {
                assert_eq!(name, b"marker");
                assert!(!must_be_dir);
                lstat(walker.top(), &name).expect("marker is in the directory reached");
            }
            Last::Dir => panic!("expected a name"),
        }
        assert!(walker.ancestors.len() - walker.released <= MAX_HELD);
    }

    #[test]
    fn held_handles_stay_bounded() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let depth = MAX_HELD * 2;
        std::fs::create_dir_all(tmp.path().join("d/".repeat(depth))).expect("create deep tree");
        let root = std::fs::File::open(tmp.path()).expect("open root");
        let path = format!("{}x", "d/".repeat(depth));
        let mut walker = Walker::new(root.as_fd(), path.as_bytes());
        walker.advance().expect("walk");
        assert_eq!(walker.ancestors.len(), depth - 1);
        assert_eq!(walker.ancestors.len() - walker.released, MAX_HELD);
    }
}
