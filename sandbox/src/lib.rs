//! wisp's path sandbox: resolve a guest-supplied path beneath a directory handle without ever
//! leaving it.
//!
//! # What this crate owns
//!
//! Every WASI `path_*` function hands a directory descriptor and a path string chosen by the
//! guest to this crate. [`Resolver`] turns them into a host handle (or a parent directory handle
//! plus a final name) such that the object reached is inside the starting directory, whatever
//! the path contains: `..`, absolute paths, symbolic links (absolute, relative, chained,
//! looping), trailing slashes, NUL bytes, over-long names. The algorithm is the one in
//! wasi-reference §4.5:
//!
//! * lexical checks first (empty, NUL, length, absolute) — [`path`];
//! * then a component-by-component walk that holds a handle for every ancestor, opens each
//!   component with `O_NOFOLLOW`, reads symbolic links itself and splices their targets in,
//!   refusing absolute targets and any `..` above the start, giving up after
//!   [`MAX_SYMLINK_HOPS`] links — `walk`;
//! * on Linux 5.6 and later, `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` answers the
//!   common cases in one system call, and hands every case where its answer could differ from
//!   the walk's back to the walk — `beneath`. [`Resolver::manual`] turns it off.
//!
//! The kernel is never given the chance to follow a symbolic link the crate has not checked:
//! the walk passes the kernel one component at a time with `O_NOFOLLOW` /
//! `AT_SYMLINK_NOFOLLOW`, and `openat2` confines its own link following with
//! `RESOLVE_BENEATH`.
//!
//! # What it must not know
//!
//! Nothing about WASI: not rights, not the fd table, not errno numbering, not guest memory, not
//! the interpreter. Callers check rights and decode the guest's bytes before calling, and map
//! [`ErrorKind`] to a WASI errno afterwards. The crate uses only std, rustix and bitflags.
//!
//! # Example
//!
//! ```
//! use std::io::Read;
//! use std::os::fd::AsFd;
//! use rustix::fs::{Mode, OFlags};
//! use wisp_sandbox::{ErrorKind, Follow, Resolver};
//!
//! let tmp = tempfile::tempdir()?;
//! std::fs::create_dir(tmp.path().join("sub"))?;
//! std::fs::write(tmp.path().join("sub/hello.txt"), "hi")?;
//! std::os::unix::fs::symlink("../..", tmp.path().join("sub/up"))?;
//! let preopen = std::fs::File::open(tmp.path())?;
//!
//! let sandbox = Resolver::new();
//! let fd = sandbox.open(preopen.as_fd(), "sub/../sub/hello.txt", OFlags::RDONLY, Mode::empty(), Follow::Yes)?;
//! let mut text = String::new();
//! std::fs::File::from(fd).read_to_string(&mut text)?;
//! assert_eq!(text, "hi");
//!
//! let escape = sandbox.stat(preopen.as_fd(), "sub/up/etc", Follow::Yes).unwrap_err();
//! assert_eq!(escape.kind(), ErrorKind::NotCapable);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! None. Linux is the supported host; the walk needs `O_PATH`.
#![forbid(unsafe_code)]

mod beneath;
mod error;
pub mod path;
mod walk;

use std::ffi::{CStr, CString};
use std::fmt;
use std::os::fd::{BorrowedFd, OwnedFd};

use rustix::fs::{self, AtFlags, Mode, OFlags, Stat, Timestamps};
use rustix::io::Errno;

pub use error::{Error, ErrorKind};
pub use walk::MAX_SYMLINK_HOPS;

use beneath::Outcome;
use walk::{Handle, Last, Walker, is_dir, is_symlink, lstat, read_link_if_any};

/// Whether a symbolic link in the **last** component is followed (WASI
/// `LOOKUPFLAGS_SYMLINK_FOLLOW`). Links in earlier components are always followed, with checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Follow {
    /// Follow a final symbolic link (`LOOKUPFLAGS_SYMLINK_FOLLOW` set).
    Yes,
    /// Act on a final symbolic link itself (`O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`).
    No,
}

impl Follow {
    fn yes(self) -> bool {
        self == Follow::Yes
    }
}

impl From<bool> for Follow {
    /// `true` is [`Follow::Yes`].
    fn from(follow: bool) -> Self {
        if follow { Follow::Yes } else { Follow::No }
    }
}

/// A resolved parent directory and the final name in it, for operations that act on a name
/// (`mkdirat`, `unlinkat`, `renameat`, `linkat`, `symlinkat`, `readlinkat`, `fstatat`,
/// `utimensat`).
///
/// Use [`Parent::dir`] and [`Parent::name`] with the host's `*at` call, **always in its
/// no-follow form** (`AT_SYMLINK_NOFOLLOW`, `linkat` without `AT_SYMLINK_FOLLOW`, `O_NOFOLLOW`):
/// even when the final link was followed during resolution, the name may have been replaced by
/// a link since.
pub struct Parent<'a> {
    dir: Handle<'a>,
    name: CString,
    must_be_dir: bool,
}

impl Parent<'_> {
    /// The directory containing the final name (the starting directory itself, or one beneath it).
    #[must_use]
    pub fn dir(&self) -> BorrowedFd<'_> {
        self.dir.as_fd()
    }

    /// The final name: a single component without `/`. It is `.` when the path ended in `.` or
    /// `..`, naming [`Parent::dir`] itself.
    #[must_use]
    pub fn name(&self) -> &CStr {
        &self.name
    }

    /// Whether the path ended in `/`, so the final object has to be a directory. The name never
    /// carries the slash (a trailing slash would make the kernel follow a final link).
    #[must_use]
    pub fn must_be_dir(&self) -> bool {
        self.must_be_dir
    }

    fn name_bytes(&self) -> &[u8] {
        self.name.as_bytes()
    }
}

impl fmt::Debug for Parent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parent")
            .field("dir", &self.dir())
            .field("name", &self.name)
            .field("must_be_dir", &self.must_be_dir)
            .finish()
    }
}

/// Resolves paths beneath directory handles. Cheap to copy; holds only the choice of strategy.
///
/// Every operation takes the starting directory as a [`BorrowedFd`] and the path as bytes
/// (`&str`, `&[u8]`, …). The path must be relative; it may contain `.`, `..` and symbolic links
/// as long as it never leaves the starting directory, not even temporarily.
///
/// All operations behave like the Linux system call they are named after, called on the same
/// path, except that resolution is confined: an escape is [`ErrorKind::NotCapable`], and the
/// lexical checks of [`path`] run before any lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolver {
    fast_path: bool,
}

impl Default for Resolver {
    fn default() -> Self {
        Self::new()
    }
}

impl Resolver {
    /// A resolver that uses the kernel's `openat2` where it can and the manual walk elsewhere.
    #[must_use]
    pub const fn new() -> Self {
        Resolver { fast_path: true }
    }

    /// A resolver that always uses the manual walk (the reference behaviour).
    #[must_use]
    pub const fn manual() -> Self {
        Resolver { fast_path: false }
    }

    /// Whether this resolver will try `openat2` (it was not built with [`Resolver::manual`] and
    /// the kernel has the call).
    #[must_use]
    pub fn uses_fast_path(&self) -> bool {
        self.fast_path && beneath::available()
    }

    /// Opens `path` beneath `start` with `oflags` and `mode` (used only when creating), like
    /// `openat`. The descriptor returned is always close-on-exec.
    ///
    /// `follow` decides whether a final symbolic link is followed; `O_NOFOLLOW` in `oflags`
    /// means [`Follow::No`]. As in Linux, `O_CREAT | O_EXCL` never follows a final link and a
    /// trailing `/` always does.
    ///
    /// # Errors
    ///
    /// * [`ErrorKind::NoEnt`], [`ErrorKind::Inval`], [`ErrorKind::NameTooLong`],
    ///   [`ErrorKind::NotCapable`]: lexical problems (see [`path`]).
    /// * [`ErrorKind::NotCapable`]: the path or a link leaves `start`.
    /// * [`ErrorKind::Loop`]: more than [`MAX_SYMLINK_HOPS`] links, or a final link with
    ///   [`Follow::No`] — also with `O_DIRECTORY` (wasi-reference O3), unless `O_PATH` asks for
    ///   the link itself.
    /// * [`ErrorKind::NotDir`]: a component, the start, or (with a trailing `/` or
    ///   `O_DIRECTORY`) the final object is not a directory.
    /// * [`ErrorKind::NoEnt`]: a component is missing, or a followed link dangles without `O_CREAT`.
    /// * [`ErrorKind::Host`]: `EISDIR` for `O_CREAT` with a trailing `/` or on a directory,
    ///   `EEXIST` for `O_CREAT | O_EXCL` on any existing name (a link included), and whatever
    ///   else the final `openat` reports.
    pub fn open(
        &self,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
        oflags: OFlags,
        mode: Mode,
        follow: Follow,
    ) -> Result<OwnedFd, Error> {
        let path = path.as_ref();
        path::check(path)?;
        let creates_exclusively = oflags.contains(OFlags::CREATE | OFlags::EXCL);
        let follow = follow.yes() && !oflags.contains(OFlags::NOFOLLOW) && !creates_exclusively;
        let oflags = oflags.difference(OFlags::NOFOLLOW);
        if self.fast_path
            && let Outcome::Done(result) = beneath::open(start, path, oflags, mode, follow)
        {
            return result;
        }
        open_manual(start, path, oflags, mode, follow)
    }

    /// `stat` (with [`Follow::Yes`]) or `lstat` (with [`Follow::No`]) of `path` beneath `start`.
    /// A trailing `/` follows a final link and requires a directory.
    ///
    /// # Errors
    ///
    /// As [`Resolver::open`]: lexical errors, [`ErrorKind::NotCapable`] for escapes,
    /// [`ErrorKind::Loop`], [`ErrorKind::NotDir`], [`ErrorKind::NoEnt`] (also for a dangling
    /// link that is followed), and host errors such as `EACCES`.
    pub fn stat(
        &self,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
        follow: Follow,
    ) -> Result<Stat, Error> {
        let path = path.as_ref();
        path::check(path)?;
        if self.fast_path
            && let Outcome::Done(result) = beneath::stat(start, path, follow.yes())
        {
            return result;
        }
        stat_manual(start, path, follow.yes())
    }

    /// Resolves every component of `path` but the last, and returns the directory reached and
    /// the last name, for an operation that acts on a name in a directory.
    ///
    /// With [`Follow::Yes`], a final symbolic link is expanded (repeatedly) and the returned
    /// name is the one it finally points at, which may not exist (for creation). With
    /// [`Follow::No`] the final name is returned as written, even with a trailing `/`
    /// ([`Parent::must_be_dir`] then reports the slash). A path ending in `.` or `..` gives the
    /// directory it names and the name `.`.
    ///
    /// # Errors
    ///
    /// Lexical errors, [`ErrorKind::NotCapable`], [`ErrorKind::Loop`], [`ErrorKind::NotDir`] and
    /// [`ErrorKind::NoEnt`] for the components before the last (and, with [`Follow::Yes`], for
    /// the links the last one leads through). A missing last name is not an error.
    pub fn resolve_parent<'a>(
        &self,
        start: BorrowedFd<'a>,
        path: impl AsRef<[u8]>,
        follow: Follow,
    ) -> Result<Parent<'a>, Error> {
        let path = path.as_ref();
        path::check(path)?;
        if self.fast_path
            && let Outcome::Done(result) = resolve_parent_fast(start, path, follow.yes())
        {
            return result;
        }
        resolve_parent_manual(start, path, follow.yes())
    }

    /// `mkdirat`: creates the directory `path` beneath `start` with `mode` (the umask applies).
    /// A trailing `/` is allowed; a final link is never followed.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`], and `EEXIST` (also for an existing link or for a
    /// path ending in `.`) or other host errors from `mkdirat`.
    pub fn create_dir(
        &self,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
        mode: Mode,
    ) -> Result<(), Error> {
        let parent = self.resolve_parent(start, path, Follow::No)?;
        fs::mkdirat(parent.dir(), parent.name(), mode)
            .map_err(|e| Error::host(e, parent.name_bytes()))
    }

    /// `unlinkat(AT_REMOVEDIR)`: removes the empty directory `path` beneath `start`. A trailing
    /// `/` is allowed; a final link is never followed.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`], [`ErrorKind::NotDir`] for a non-directory (a link
    /// included), [`ErrorKind::Inval`] for a path ending in `.` or `..`, and `ENOTEMPTY`,
    /// `EBUSY` or other host errors from `unlinkat`.
    pub fn remove_dir(&self, start: BorrowedFd<'_>, path: impl AsRef<[u8]>) -> Result<(), Error> {
        let parent = self.resolve_parent(start, path, Follow::No)?;
        fs::unlinkat(parent.dir(), parent.name(), AtFlags::REMOVEDIR)
            .map_err(|e| Error::host(e, parent.name_bytes()))
    }

    /// `unlinkat`: removes the non-directory `path` beneath `start`; a final link is removed,
    /// not followed.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`]; `EISDIR` for a directory (or a path ending in `.`);
    /// with a trailing `/`, `EISDIR` if the name is a directory and [`ErrorKind::NotDir`]
    /// otherwise (as Linux); other host errors from `unlinkat`.
    pub fn unlink_file(&self, start: BorrowedFd<'_>, path: impl AsRef<[u8]>) -> Result<(), Error> {
        let parent = self.resolve_parent(start, path, Follow::No)?;
        let name = parent.name_bytes();
        if parent.must_be_dir() {
            let stat = lstat(parent.dir(), name)?;
            return Err(if is_dir(&stat) {
                Error::host(Errno::ISDIR, name)
            } else {
                Error::not_dir(name)
            });
        }
        fs::unlinkat(parent.dir(), parent.name(), AtFlags::empty())
            .map_err(|e| Error::host(e, name))
    }

    /// `renameat`: moves `old_path` beneath `old_start` to `new_path` beneath `new_start`.
    /// Neither final name is followed. Trailing slashes are allowed when the source is a
    /// directory.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`] for either path (an escape on either side is
    /// [`ErrorKind::NotCapable`] and nothing moves); [`ErrorKind::NotDir`] for a trailing `/`
    /// on a source that is not a directory; `EXDEV` across host filesystems, `ENOTEMPTY`,
    /// `EISDIR`, `EBUSY` and other host errors from `renameat`.
    pub fn rename(
        &self,
        old_start: BorrowedFd<'_>,
        old_path: impl AsRef<[u8]>,
        new_start: BorrowedFd<'_>,
        new_path: impl AsRef<[u8]>,
    ) -> Result<(), Error> {
        let old = self.resolve_parent(old_start, old_path, Follow::No)?;
        let new = self.resolve_parent(new_start, new_path, Follow::No)?;
        if old.must_be_dir() || new.must_be_dir() {
            let stat = lstat(old.dir(), old.name_bytes())?;
            if !is_dir(&stat) {
                return Err(Error::not_dir(old.name_bytes()));
            }
        }
        fs::renameat(old.dir(), old.name(), new.dir(), new.name())
            .map_err(|e| Error::host(e, new.name_bytes()))
    }

    /// `linkat`: creates the hard link `new_path` beneath `new_start` to `old_path` beneath
    /// `old_start`. `old_follow` decides whether a final link in `old_path` is followed (it is
    /// resolved by the crate; the kernel is called without `AT_SYMLINK_FOLLOW`). The new name is
    /// never followed.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`] for either path (so a source or destination outside
    /// its root is [`ErrorKind::NotCapable`]); [`ErrorKind::NotDir`] for a trailing `/` on a
    /// source that is not a directory; with a trailing `/` on the destination, `EEXIST` if the
    /// name exists and [`ErrorKind::NoEnt`] otherwise; `EPERM` for a directory source, `EEXIST`,
    /// `EXDEV` and other host errors from `linkat`.
    pub fn hard_link(
        &self,
        old_start: BorrowedFd<'_>,
        old_path: impl AsRef<[u8]>,
        old_follow: Follow,
        new_start: BorrowedFd<'_>,
        new_path: impl AsRef<[u8]>,
    ) -> Result<(), Error> {
        let old_path = old_path.as_ref();
        let old =
            self.resolve_parent(old_start, old_path, follow_for_lookup(old_path, old_follow))?;
        if old.must_be_dir() && !is_dir(&lstat(old.dir(), old.name_bytes())?) {
            return Err(Error::not_dir(old.name_bytes()));
        }
        let new = self.resolve_parent(new_start, new_path, Follow::No)?;
        refuse_trailing_slash_on_new_name(&new)?;
        fs::linkat(
            old.dir(),
            old.name(),
            new.dir(),
            new.name(),
            AtFlags::empty(),
        )
        .map_err(|e| Error::host(e, new.name_bytes()))
    }

    /// `symlinkat`: creates the symbolic link `path` beneath `start` with the contents `target`,
    /// stored verbatim. The crate does not police `target`: links are checked when they are
    /// followed. (WASI refuses absolute targets with `PERM`; that is the caller's rule.)
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Inval`] for a NUL byte in `target`; those of [`Resolver::resolve_parent`];
    /// with a trailing `/`, `EEXIST` if the name exists and [`ErrorKind::NoEnt`] otherwise;
    /// `EEXIST` and other host errors from `symlinkat`.
    pub fn symlink(
        &self,
        target: impl AsRef<[u8]>,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
    ) -> Result<(), Error> {
        let target = target.as_ref();
        if target.contains(&0) {
            return Err(Error::nul_byte(target));
        }
        let parent = self.resolve_parent(start, path, Follow::No)?;
        refuse_trailing_slash_on_new_name(&parent)?;
        fs::symlinkat(target, parent.dir(), parent.name())
            .map_err(|e| Error::host(e, parent.name_bytes()))
    }

    /// `readlinkat`: the contents of the symbolic link `path` beneath `start`.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`]; [`ErrorKind::Inval`] if the object is not a
    /// symbolic link. As in Linux a trailing `/` follows the link, so the answer is then
    /// [`ErrorKind::Inval`] for a directory and [`ErrorKind::NotDir`] for anything else.
    pub fn read_link(
        &self,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
    ) -> Result<Vec<u8>, Error> {
        let path = path.as_ref();
        path::check(path)?;
        if path::split_last(path).trailing_slash {
            self.stat(start, path, Follow::Yes)?;
            return Err(Error::host(Errno::INVAL, path));
        }
        let parent = self.resolve_parent(start, path, Follow::No)?;
        fs::readlinkat(parent.dir(), parent.name(), Vec::new())
            .map(CString::into_bytes)
            .map_err(|e| Error::host(e, parent.name_bytes()))
    }

    /// `utimensat`: sets the access and modification times of `path` beneath `start` (use
    /// `UTIME_OMIT` / `UTIME_NOW` in `times` as with the system call). With [`Follow::No`] a
    /// final link's own times change. A trailing `/` follows and requires a directory.
    ///
    /// # Errors
    ///
    /// Those of [`Resolver::resolve_parent`], [`ErrorKind::NoEnt`] for a missing name, and host
    /// errors from `utimensat` (`EPERM`, `EACCES`, …).
    pub fn set_times(
        &self,
        start: BorrowedFd<'_>,
        path: impl AsRef<[u8]>,
        follow: Follow,
        times: &Timestamps,
    ) -> Result<(), Error> {
        let path = path.as_ref();
        let parent = self.resolve_parent(start, path, follow_for_lookup(path, follow))?;
        if parent.must_be_dir() && !is_dir(&lstat(parent.dir(), parent.name_bytes())?) {
            return Err(Error::not_dir(parent.name_bytes()));
        }
        fs::utimensat(
            parent.dir(),
            parent.name(),
            times,
            AtFlags::SYMLINK_NOFOLLOW,
        )
        .map_err(|e| Error::host(e, parent.name_bytes()))
    }
}

/// Operations that look an object up (rather than act on a name) follow a final link when the
/// path ends in `/`, as Linux does.
fn follow_for_lookup(path: &[u8], follow: Follow) -> Follow {
    if follow.yes() || path::split_last(path).trailing_slash {
        Follow::Yes
    } else {
        Follow::No
    }
}

/// Linux's answer for a name to be created that carries a trailing `/` (`linkat`, `symlinkat`):
/// `EEXIST` if the name exists, `ENOENT` if not.
fn refuse_trailing_slash_on_new_name(parent: &Parent<'_>) -> Result<(), Error> {
    if !parent.must_be_dir() {
        return Ok(());
    }
    let name = parent.name_bytes();
    match fs::statat(parent.dir(), parent.name(), AtFlags::SYMLINK_NOFOLLOW) {
        Ok(_) => Err(Error::host(Errno::EXIST, name)),
        Err(e) => Err(Error::host(e, name)),
    }
}

/// The manual walk behind [`Resolver::open`].
fn open_manual(
    start: BorrowedFd<'_>,
    path: &[u8],
    oflags: OFlags,
    mode: Mode,
    follow: bool,
) -> Result<OwnedFd, Error> {
    let creates = oflags.contains(OFlags::CREATE);
    let mut walker = Walker::new(start, path);
    loop {
        let (name, must_be_dir) = match walker.advance()? {
            Last::Dir => {
                let flags = oflags | OFlags::NOFOLLOW | OFlags::CLOEXEC;
                return fs::openat(walker.top(), ".", flags, mode)
                    .map_err(|e| Error::host(e, b"."));
            }
            Last::Name { name, must_be_dir } => (name, must_be_dir),
        };
        // Linux: O_CREAT on a name with a trailing slash is EISDIR, before any lookup of it.
        if must_be_dir && creates {
            return Err(Error::host(Errno::ISDIR, &name));
        }
        let follow_this = follow || must_be_dir;
        let mut flags = oflags | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        if must_be_dir {
            flags |= OFlags::DIRECTORY;
        }
        // O_NOFOLLOW makes the kernel refuse a link (ELOOP, or ENOTDIR with O_DIRECTORY) without
        // creating anything, even with O_CREAT; with O_PATH it opens the link itself.
        match fs::openat(walker.top(), name.as_slice(), flags, mode) {
            Ok(fd) => {
                if follow_this && oflags.contains(OFlags::PATH) {
                    let stat = fs::fstat(&fd).map_err(|e| Error::host(e, &name))?;
                    if is_symlink(&stat) {
                        let target = fs::readlinkat(&fd, "", Vec::new())
                            .map_err(|e| Error::host(e, &name))?;
                        walker.follow(&name, target.as_bytes())?;
                        continue;
                    }
                }
                return Ok(fd);
            }
            Err(errno @ (Errno::LOOP | Errno::NOTDIR)) => {
                if errno == Errno::NOTDIR && !flags.contains(OFlags::DIRECTORY) {
                    return Err(Error::host(errno, &name));
                }
                match read_link_if_any(walker.top(), &name)? {
                    Some(target) if follow_this => walker.follow(&name, &target)?,
                    Some(_) => return Err(Error::too_many_links(&name)),
                    None => return Err(Error::host(errno, &name)),
                }
            }
            Err(e) => return Err(Error::host(e, &name)),
        }
    }
}

/// The manual walk behind [`Resolver::stat`].
fn stat_manual(start: BorrowedFd<'_>, path: &[u8], follow: bool) -> Result<Stat, Error> {
    let mut walker = Walker::new(start, path);
    loop {
        let (name, must_be_dir) = match walker.advance()? {
            Last::Dir => return lstat(walker.top(), b"."),
            Last::Name { name, must_be_dir } => (name, must_be_dir),
        };
        let stat = lstat(walker.top(), &name)?;
        if is_symlink(&stat) && (follow || must_be_dir) {
            // If the link was replaced since the lstat this fails with EINVAL or ENOENT; a
            // concurrent change may make the lookup fail, never escape.
            let target = fs::readlinkat(walker.top(), name.as_slice(), Vec::new())
                .map_err(|e| Error::host(e, &name))?;
            walker.follow(&name, target.as_bytes())?;
            continue;
        }
        if must_be_dir && !is_dir(&stat) {
            return Err(Error::not_dir(&name));
        }
        return Ok(stat);
    }
}

/// Builds a [`Parent`]; `name` comes from a checked path or a link target, so it has no NUL.
fn parent<'a>(dir: Handle<'a>, name: &[u8], must_be_dir: bool) -> Result<Parent<'a>, Error> {
    let name = CString::new(name).map_err(|_| Error::nul_byte(name))?;
    Ok(Parent {
        dir,
        name,
        must_be_dir,
    })
}

/// The manual walk behind [`Resolver::resolve_parent`].
fn resolve_parent_manual<'a>(
    start: BorrowedFd<'a>,
    path: &[u8],
    follow: bool,
) -> Result<Parent<'a>, Error> {
    let mut walker = Walker::new(start, path);
    loop {
        match walker.advance()? {
            Last::Dir => return parent(walker.into_handle(), b".", false),
            Last::Name { name, must_be_dir } => {
                if follow && let Some(target) = read_link_if_any(walker.top(), &name)? {
                    walker.follow(&name, &target)?;
                    continue;
                }
                return parent(walker.into_handle(), &name, must_be_dir);
            }
        }
    }
}

/// The fast path behind [`Resolver::resolve_parent`]: `openat2` on everything before the last
/// component. A final link to follow sends the whole path to the manual walk, which needs the
/// ancestor handles to expand the link's own `..` components.
fn resolve_parent_fast<'a>(
    start: BorrowedFd<'a>,
    path: &[u8],
    follow: bool,
) -> Outcome<Parent<'a>> {
    let split = path::split_last(path);
    let (dir_path, name, must_be_dir) = if path::is_dot_or_dotdot(split.last) {
        (path, &b"."[..], false)
    } else {
        (split.dirname, split.last, split.trailing_slash)
    };
    let dir = if path::is_dots_only(dir_path) {
        Handle::Borrowed(start)
    } else {
        match beneath::open_dir(start, dir_path) {
            Outcome::Done(Ok(fd)) => Handle::Owned(fd),
            Outcome::Done(Err(e)) => return Outcome::Done(Err(e)),
            Outcome::Fallback => return Outcome::Fallback,
        }
    };
    if follow && name != b"." {
        match read_link_if_any(dir.as_fd(), name) {
            Ok(None) => {}
            Ok(Some(_)) => return Outcome::Fallback,
            Err(e) => return Outcome::Done(Err(e)),
        }
    }
    Outcome::Done(parent(dir, name, must_be_dir))
}
