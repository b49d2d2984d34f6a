//! The crate's one error type: what went wrong while resolving a path, and at which component.

use std::fmt;

use rustix::io::Errno;

/// What kind of failure a sandboxed path operation hit.
///
/// The first six kinds are the ones the sandbox decides itself; everything else the host kernel
/// reported is carried as [`ErrorKind::Host`]. Host errnos that have a kind of their own
/// (`ENOENT`, `ENOTDIR`, `ELOOP`, `ENAMETOOLONG`, `EINVAL`) are always reported as that kind, never
/// as `Host`, so two errors can be compared with `==` on their kinds.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The path tried to leave the directory it is resolved beneath: an absolute path, an
    /// absolute symlink target, or a `..` that would climb above the starting directory.
    NotCapable,
    /// More than [`MAX_SYMLINK_HOPS`](crate::MAX_SYMLINK_HOPS) symbolic links were expanded, or a
    /// final symbolic link was reached where the operation does not follow one (`ELOOP`).
    Loop,
    /// The path, or one component of it, is longer than the host allows (`ENAMETOOLONG`).
    NameTooLong,
    /// The path contains a NUL byte, or the host answered `EINVAL`.
    Inval,
    /// A component that has to be a directory is not one (`ENOTDIR`).
    NotDir,
    /// The path is empty, or a component does not exist (`ENOENT`).
    NoEnt,
    /// Any other error the host kernel reported.
    Host(Errno),
}

/// An error from a sandboxed path operation: an [`ErrorKind`] and the path component it concerns.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    component: Box<str>,
}

/// Longest component text kept for display; longer text is cut and marked with `...`.
const MAX_SHOWN: usize = 80;

impl Error {
    fn new(kind: ErrorKind, component: &[u8]) -> Self {
        let shown = component.get(..MAX_SHOWN).unwrap_or(component);
        let mut text = String::from_utf8_lossy(shown).into_owned();
        if shown.len() < component.len() {
            text.push_str("...");
        }
        Self {
            kind,
            component: text.into_boxed_str(),
        }
    }

    /// The path would leave the sandbox root at `component`.
    #[cold]
    pub(crate) fn not_capable(component: &[u8]) -> Self {
        Self::new(ErrorKind::NotCapable, component)
    }

    /// Too many symbolic links at `component`, or a final link that is not followed.
    #[cold]
    pub(crate) fn too_many_links(component: &[u8]) -> Self {
        Self::new(ErrorKind::Loop, component)
    }

    /// The path or `component` is too long.
    #[cold]
    pub(crate) fn name_too_long(component: &[u8]) -> Self {
        Self::new(ErrorKind::NameTooLong, component)
    }

    /// The path contains a NUL byte.
    #[cold]
    pub(crate) fn nul_byte(path: &[u8]) -> Self {
        Self::new(ErrorKind::Inval, path)
    }

    /// `component` is not a directory.
    #[cold]
    pub(crate) fn not_dir(component: &[u8]) -> Self {
        Self::new(ErrorKind::NotDir, component)
    }

    /// `component` does not exist (or the path is empty).
    #[cold]
    pub(crate) fn no_ent(component: &[u8]) -> Self {
        Self::new(ErrorKind::NoEnt, component)
    }

    /// The host reported `errno` while working on `component`.
    ///
    /// Errnos that have a kind of their own are folded into it, so the same failure always has
    /// the same kind whichever code path noticed it.
    #[cold]
    pub(crate) fn host(errno: Errno, component: &[u8]) -> Self {
        let kind = match errno {
            Errno::NOENT => ErrorKind::NoEnt,
            Errno::NOTDIR => ErrorKind::NotDir,
            Errno::LOOP => ErrorKind::Loop,
            Errno::NAMETOOLONG => ErrorKind::NameTooLong,
            Errno::INVAL => ErrorKind::Inval,
            other => ErrorKind::Host(other),
        };
        Self::new(kind, component)
    }

    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The path component (or, for whole-path problems, the path) the error concerns, decoded
    /// lossily and shortened for display.
    #[must_use]
    pub fn component(&self) -> &str {
        &self.component
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.component;
        match self.kind {
            ErrorKind::NotCapable => write!(f, "path component `{c}` leads outside the sandbox"),
            ErrorKind::Loop => write!(f, "too many levels of symbolic links at `{c}`"),
            ErrorKind::NameTooLong => write!(f, "path or path component `{c}` is too long"),
            ErrorKind::Inval => write!(f, "invalid path or argument at `{c}`"),
            ErrorKind::NotDir => write!(f, "path component `{c}` is not a directory"),
            ErrorKind::NoEnt => write!(f, "path component `{c}` does not exist"),
            ErrorKind::Host(errno) => {
                write!(f, "host error at `{c}`: os error {}", errno.raw_os_error())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("component", &self.component)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Host(errno) => Some(errno),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_errnos_with_a_kind_of_their_own_are_folded() {
        assert_eq!(Error::host(Errno::NOENT, b"x").kind(), ErrorKind::NoEnt);
        assert_eq!(Error::host(Errno::NOTDIR, b"x").kind(), ErrorKind::NotDir);
        assert_eq!(Error::host(Errno::LOOP, b"x").kind(), ErrorKind::Loop);
        assert_eq!(
            Error::host(Errno::NAMETOOLONG, b"x").kind(),
            ErrorKind::NameTooLong
        );
        assert_eq!(Error::host(Errno::INVAL, b"x").kind(), ErrorKind::Inval);
        assert_eq!(
            Error::host(Errno::EXIST, b"x").kind(),
            ErrorKind::Host(Errno::EXIST)
        );
        // EXDEV from renameat/linkat is a real cross-device error, never an escape.
        assert_eq!(
            Error::host(Errno::XDEV, b"x").kind(),
            ErrorKind::Host(Errno::XDEV)
        );
    }

    #[test]
    fn display_is_lowercase_and_names_the_component() {
        let text = Error::not_capable(b"..").to_string();
        assert_eq!(text, "path component `..` leads outside the sandbox");
        let text = Error::host(Errno::EXIST, b"f").to_string();
        assert!(text.starts_with("host error at `f`: os error"), "{text}");
    }

    #[test]
    fn long_components_are_shortened_for_display() {
        let long = vec![b'x'; 5000];
        let err = Error::name_too_long(&long);
        assert_eq!(err.component().len(), MAX_SHOWN + 3);
        assert!(err.component().ends_with("..."));
    }

    #[test]
    fn source_is_the_host_errno() {
        use std::error::Error as _;
        assert!(Error::host(Errno::ACCESS, b"f").source().is_some());
        assert!(Error::no_ent(b"f").source().is_none());
    }
}
