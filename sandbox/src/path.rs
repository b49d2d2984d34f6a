//! Lexical checks done on a guest path before any lookup: empty, NUL, length, absolute, trailing slash.

use crate::Error;

/// Longest path the host accepts, counting the terminating NUL (Linux `PATH_MAX`).
pub const PATH_MAX: usize = 4096;

/// Longest single path component the host accepts (Linux `NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Checks everything about `path` that can be decided without touching the filesystem.
///
/// The order is fixed, so a path with several problems always gets the same error: empty
/// (`NoEnt`), NUL byte (`Inval`), too long as a whole or in one component (`NameTooLong`),
/// absolute (`NotCapable`). Both resolvers run this first, so they agree on such paths.
pub(crate) fn check(path: &[u8]) -> Result<(), Error> {
    if path.is_empty() {
        return Err(Error::no_ent(path));
    }
    if path.contains(&0) {
        return Err(Error::nul_byte(path));
    }
    if path.len() >= PATH_MAX {
        return Err(Error::name_too_long(path));
    }
    if let Some(long) = components(path).find(|c| c.len() > NAME_MAX) {
        return Err(Error::name_too_long(long));
    }
    if path.first() == Some(&b'/') {
        return Err(Error::not_capable(b"/"));
    }
    Ok(())
}

/// The non-empty components of `path`, in order (`.` and `..` included).
pub(crate) fn components(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|&b| b == b'/').filter(|c| !c.is_empty())
}

/// Whether a component is `.` or `..`, which name a directory rather than an entry in one.
pub(crate) fn is_dot_or_dotdot(component: &[u8]) -> bool {
    component == b"." || component == b".."
}

/// Whether every component of `path` is `.`, so the path names the starting directory itself.
pub(crate) fn is_dots_only(path: &[u8]) -> bool {
    components(path).all(|c| c == b".")
}

/// A checked path cut before its last component.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// Everything before the last component, without the slashes that separate them; empty when
    /// the path has a single component.
    pub(crate) dirname: &'a [u8],
    /// The last component (never empty for a path that passed [`check`]).
    pub(crate) last: &'a [u8],
    /// Whether one or more `/` follow the last component.
    pub(crate) trailing_slash: bool,
}

/// Cuts `path` before its last component.
pub(crate) fn split_last(path: &[u8]) -> Split<'_> {
    let end = path.iter().rposition(|&b| b != b'/').map_or(0, |i| i + 1);
    let body = path.get(..end).unwrap_or_default();
    let start = body.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1);
    let dirname = body.get(..start).unwrap_or_default();
    let dir_end = dirname
        .iter()
        .rposition(|&b| b != b'/')
        .map_or(0, |i| i + 1);
    Split {
        dirname: dirname.get(..dir_end).unwrap_or_default(),
        last: body.get(start..).unwrap_or_default(),
        trailing_slash: end < path.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn kind(path: &[u8]) -> Option<ErrorKind> {
        check(path).err().map(|e| e.kind())
    }

    #[test]
    fn empty_path_is_noent() {
        assert_eq!(kind(b""), Some(ErrorKind::NoEnt));
    }

    #[test]
    fn nul_byte_is_inval_even_in_an_absolute_path() {
        assert_eq!(kind(b"file\0x"), Some(ErrorKind::Inval));
        assert_eq!(kind(b"/\0"), Some(ErrorKind::Inval));
    }

    #[test]
    fn absolute_path_is_not_capable() {
        assert_eq!(kind(b"/"), Some(ErrorKind::NotCapable));
        assert_eq!(kind(b"/file"), Some(ErrorKind::NotCapable));
        assert_eq!(kind(b"//file"), Some(ErrorKind::NotCapable));
    }

    #[test]
    fn length_limits_match_linux() {
        let longest_name = vec![b'n'; NAME_MAX];
        assert_eq!(kind(&longest_name), None);
        let too_long_name = vec![b'n'; NAME_MAX + 1];
        assert_eq!(kind(&too_long_name), Some(ErrorKind::NameTooLong));
        let mut longest_path = b"a/".repeat((PATH_MAX - 1) / 2);
        longest_path.push(b'a');
        assert_eq!(longest_path.len(), PATH_MAX - 1);
        assert_eq!(kind(&longest_path), None);
        longest_path.push(b'a');
        assert_eq!(kind(&longest_path), Some(ErrorKind::NameTooLong));
    }

    #[test]
    fn relative_paths_pass() {
        for p in [&b"."[..], b"..", b"a/b/", b"a//b/.", b"./../x"] {
            assert_eq!(kind(p), None, "{p:?}");
        }
    }

    #[test]
    fn split_last_cuts_before_the_last_component() {
        let s = split_last(b"a//b/");
        assert_eq!(
            s,
            Split {
                dirname: b"a",
                last: b"b",
                trailing_slash: true
            }
        );
        let s = split_last(b"b");
        assert_eq!(
            s,
            Split {
                dirname: b"",
                last: b"b",
                trailing_slash: false
            }
        );
        let s = split_last(b"a/b/.");
        assert_eq!(
            s,
            Split {
                dirname: b"a/b",
                last: b".",
                trailing_slash: false
            }
        );
        let s = split_last(b"x/../");
        assert_eq!(
            s,
            Split {
                dirname: b"x",
                last: b"..",
                trailing_slash: true
            }
        );
    }

    #[test]
    fn dots_only_paths_name_the_start() {
        assert!(is_dots_only(b"."));
        assert!(is_dots_only(b".//./"));
        assert!(!is_dots_only(b"./a"));
        assert!(!is_dots_only(b".."));
    }
}
