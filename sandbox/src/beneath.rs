//! The kernel fast path: `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`, and which answers are handed to the manual walk instead.
//!
//! The manual walk in [`crate::walk`] is the reference; this path may only answer when it is
//! sure to give the same outcome. It answers successes and the errors whose meaning is the
//! same in both, maps `EXDEV` (the kernel's "that would leave the directory") to
//! [`ErrorKind::NotCapable`](crate::ErrorKind::NotCapable), and hands everything else back as
//! [`Outcome::Fallback`]:
//!
//! * `ENOSYS` (kernel before 5.6, or a seccomp filter): openat2 is marked missing for the rest of
//!   the process.
//! * `EPERM`: a seccomp filter may refuse the call itself; the walk finds the real answer.
//! * `EAGAIN`: the kernel saw a concurrent rename and gave up.
//! * `EINVAL`: openat2 refuses flag combinations plain `openat` accepts (unknown flags, `O_PATH`
//!   with other flags, a mode without `O_CREAT`).
//! * `ELOOP`: it means three different things (hop limit, a final link under `O_NOFOLLOW`, a
//!   `/proc` magic link refused by `RESOLVE_NO_MAGICLINKS`); the walk decides which.
//! * `ENOTDIR` when `O_DIRECTORY` was asked without following: the last component may be a
//!   symbolic link, which the crate reports as `Loop` (wasi-reference O3), not `NotDir`.

use std::os::fd::{BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicU8, Ordering};

use rustix::fs::{self, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;

use crate::Error;

const UNKNOWN: u8 = 0;
const PRESENT: u8 = 1;
const MISSING: u8 = 2;

/// Whether this kernel has `openat2`, learnt once per process.
static OPENAT2: AtomicU8 = AtomicU8::new(UNKNOWN);

const RESOLVE: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);

/// The fast path's answer.
#[derive(Debug)]
pub(crate) enum Outcome<T> {
    /// The same answer the manual walk gives.
    Done(Result<T, Error>),
    /// No answer; run the manual walk.
    Fallback,
}

/// Whether the kernel has `openat2`; probes it on the first call.
pub(crate) fn available() -> bool {
    match OPENAT2.load(Ordering::Relaxed) {
        PRESENT => true,
        MISSING => false,
        _ => {
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            // A seccomp filter that does not know the call answers ENOSYS or EPERM; any other
            // answer (say the working directory is gone) means the call exists.
            let present = !matches!(
                fs::openat2(fs::CWD, ".", flags, Mode::empty(), RESOLVE),
                Err(Errno::NOSYS | Errno::PERM)
            );
            OPENAT2.store(if present { PRESENT } else { MISSING }, Ordering::Relaxed);
            present
        }
    }
}

/// `openat2(start, path, oflags | O_CLOEXEC [| O_NOFOLLOW], mode)` confined beneath `start`.
///
/// `path` has passed [`crate::path::check`].
pub(crate) fn open(
    start: BorrowedFd<'_>,
    path: &[u8],
    oflags: OFlags,
    mode: Mode,
    follow: bool,
) -> Outcome<OwnedFd> {
    if !available() {
        return Outcome::Fallback;
    }
    let mut flags = oflags | OFlags::CLOEXEC;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    // openat2, unlike openat, refuses a mode it will not use.
    let mode = if flags.contains(OFlags::CREATE) || flags.contains(OFlags::TMPFILE) {
        mode
    } else {
        Mode::empty()
    };
    match fs::openat2(start, path, flags, mode, RESOLVE) {
        Ok(fd) => Outcome::Done(Ok(fd)),
        Err(errno) => {
            let final_link_possible = flags.contains(OFlags::DIRECTORY) && !follow;
            classify(errno, path, final_link_possible)
        }
    }
}

/// Opens the directory `path` beneath `start` as an `O_PATH` handle, following a final link.
pub(crate) fn open_dir(start: BorrowedFd<'_>, path: &[u8]) -> Outcome<OwnedFd> {
    open(
        start,
        path,
        OFlags::PATH | OFlags::DIRECTORY,
        Mode::empty(),
        true,
    )
}

/// `stat` of `path` beneath `start`, through an `O_PATH` handle.
pub(crate) fn stat(start: BorrowedFd<'_>, path: &[u8], follow: bool) -> Outcome<Stat> {
    match open(start, path, OFlags::PATH, Mode::empty(), follow) {
        Outcome::Done(Ok(fd)) => Outcome::Done(fs::fstat(&fd).map_err(|e| Error::host(e, path))),
        Outcome::Done(Err(e)) => Outcome::Done(Err(e)),
        Outcome::Fallback => Outcome::Fallback,
    }
}

/// Sorts an `openat2` error into an answer or a fallback (see the module docs for why).
fn classify<T>(errno: Errno, path: &[u8], final_link_possible: bool) -> Outcome<T> {
    match errno {
        Errno::NOSYS => {
            OPENAT2.store(MISSING, Ordering::Relaxed);
            Outcome::Fallback
        }
        Errno::PERM | Errno::AGAIN | Errno::INVAL | Errno::LOOP => Outcome::Fallback,
        Errno::NOTDIR if final_link_possible => Outcome::Fallback,
        Errno::XDEV => Outcome::Done(Err(Error::not_capable(path))),
        other => Outcome::Done(Err(Error::host(other, path))),
    }
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;
    use crate::ErrorKind;

    fn skip_without_openat2() -> bool {
        if available() {
            return false;
        }
        eprintln!("skipped: this kernel has no openat2, so the fast path is never used");
        true
    }

    #[test]
    fn exdev_becomes_not_capable() {
        if skip_without_openat2() {
            return;
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = std::fs::File::open(tmp.path()).expect("open root");
        match open(root.as_fd(), b"..", OFlags::RDONLY, Mode::empty(), true) {
            Outcome::Done(Err(e)) => assert_eq!(e.kind(), ErrorKind::NotCapable),
            other => panic!("expected NotCapable, got {other:?}"),
        }
    }

    #[test]
    fn plain_lookups_are_answered_by_the_kernel() {
        if skip_without_openat2() {
            return;
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(tmp.path().join("sub")).expect("mkdir");
        std::fs::write(tmp.path().join("sub/file"), b"x").expect("write");
        let root = std::fs::File::open(tmp.path()).expect("open root");
        assert!(matches!(
            open(
                root.as_fd(),
                b"sub/../sub/file",
                OFlags::RDONLY,
                Mode::empty(),
                false
            ),
            Outcome::Done(Ok(_))
        ));
        match stat(root.as_fd(), b"sub/missing", true) {
            Outcome::Done(Err(e)) => assert_eq!(e.kind(), ErrorKind::NoEnt),
            other => panic!("expected NoEnt, got {other:?}"),
        }
    }

    #[test]
    fn ambiguous_answers_fall_back() {
        if skip_without_openat2() {
            return;
        }
        let tmp = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink("self", tmp.path().join("self")).expect("symlink");
        std::fs::write(tmp.path().join("file"), b"x").expect("write");
        let root = std::fs::File::open(tmp.path()).expect("open root");
        let fd = root.as_fd();
        assert!(matches!(
            open(fd, b"self", OFlags::RDONLY, Mode::empty(), true),
            Outcome::Fallback
        ));
        assert!(matches!(
            open(fd, b"file", OFlags::DIRECTORY, Mode::empty(), false),
            Outcome::Fallback
        ));
        // With following there is no final link left, so ENOTDIR is final.
        assert!(matches!(
            open(fd, b"file", OFlags::DIRECTORY, Mode::empty(), true),
            Outcome::Done(Err(_))
        ));
    }
}
