//! `path_*`: operations on paths beneath a directory fd, through the sandbox (§4.5, §4.6, §4.9, §4.10).
//!
//! Every function checks its arguments in one fixed order, so a call with several problems
//! always gets the same errno:
//!
//! 1. scalar arguments: flag sets with unknown bits, and contradictory flags, are `INVAL`
//!    (M4, M5, S3); `path_open` needs its flags decoded to know which rights to demand;
//! 2. each fd argument (both for `path_link` and `path_rename`, old first): not open → `BADF`,
//!    not a directory → `NOTDIR`, missing the base right of table 2.1 (for `path_open` also
//!    the inheriting rights of R2) → `NOTCAPABLE` (§4.5 step 1, F2, R1, R6);
//! 3. guest memory: each path string (M6: out of bounds `OVERFLOW`, NUL `INVAL`, bad UTF-8
//!    `ILSEQ`), then the bounds of the out-parameters, so that nothing is created, removed or
//!    written when one of them is bad (M7);
//! 4. the sandbox ([`wisp_sandbox::Resolver`]): empty path `NOENT`, absolute path or any
//!    escape (`..` above the directory, absolute or escaping symlink targets) `NOTCAPABLE`,
//!    more than 40 links `LOOP`; the final component is acted on with no-follow semantics
//!    unless the table of §4.5 says the operation follows it.
//!
//! The kernel never resolves more than one unchecked component: all resolution goes through
//! the sandbox crate, which walks component by component (or uses `openat2` with
//! `RESOLVE_BENEATH`).

use crate::abi::Filestat;
use crate::ctx::{Stream, WasiCtx};
use crate::errno::Errno;
use crate::guest::GuestMemory;
use rustix::fs::{FileType, Mode, OFlags, Timespec, Timestamps, UTIME_NOW, UTIME_OMIT};
use std::os::fd::BorrowedFd;
use wisp_fdtable::{
    Access, Entry, FdRights, FdTable, Fdflags, Filetype, Fstflags, Host, Lookupflags, Oflags,
    OpenRequest, Rights,
};
use wisp_sandbox::Follow;

#[cfg(test)]
mod tests;

/// Mode for files created by `path_open` with `CREAT` (O1; the umask applies).
const FILE_MODE: Mode = Mode::from_raw_mode(0o666);

/// Mode for directories created by `path_create_directory` (L7; the umask applies).
const DIR_MODE: Mode = Mode::from_raw_mode(0o777);

/// The host handle of the directory fd `fd` once it passed §4.5 step 1: open (`BADF`), a
/// directory (`NOTDIR`), holding the base rights `needed` (`NOTCAPABLE`).
fn dir_handle(table: &FdTable<Stream>, fd: u32, needed: Rights) -> Result<BorrowedFd<'_>, Errno> {
    // A directory entry is always backed by a host fd; a stream has nothing to resolve against.
    table.get_dir(fd, needed)?.fd().ok_or(Errno::Badf)
}

/// Decodes a `lookupflags` argument (M5: unknown bits are `INVAL`).
fn lookup_follow(flags: u32) -> Result<Follow, Errno> {
    let flags = Lookupflags::from_guest(flags)?;
    Ok(Follow::from(flags.contains(Lookupflags::SYMLINK_FOLLOW)))
}

/// `path_create_directory(fd, path, path_len)`: creates the directory `path` beneath the
/// directory `fd`, with mode 0777 less the host umask (L7). A final symlink is never followed;
/// a trailing `/` is allowed.
///
/// Rights: PATH_CREATE_DIRECTORY on `fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6).
/// * `NOENT` (empty path, missing parent), `NOTCAPABLE` (absolute path or escape), `LOOP`,
///   `NOTDIR`, `NAMETOOLONG`: resolution of the parent (§4.5).
/// * `EXIST`: the name exists, whatever it is (a dangling symlink included), or the path
///   names the directory itself (`.`).
/// * Host errors of `mkdirat`, such as `ACCES`, `NOSPC`, `ROFS`.
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_create_directory>
/// * <https://man7.org/linux/man-pages/man2/mkdirat.2.html>
pub fn path_create_directory(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let dir = dir_handle(&cx.table, fd, Rights::PATH_CREATE_DIRECTORY)?;
    let path = mem.path(path, path_len)?;
    cx.resolver.create_dir(dir, path, DIR_MODE)?;
    Ok(())
}

/// `path_filestat_get(fd, flags, path, path_len, buf)`: writes the 64-byte `filestat` of
/// `path` beneath the directory `fd` to `buf`. With `flags` 0 a final symlink is described
/// itself (`lstat`: filetype SYMBOLIC_LINK, size = length of the target); with
/// SYMLINK_FOLLOW it is followed (checked, §4.5). A trailing `/` requires a directory.
///
/// Rights: PATH_FILESTAT_GET on `fd`.
///
/// # Errors
/// * `INVAL`: `flags` has bits other than SYMLINK_FOLLOW (M5).
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6);
///   `OVERFLOW` also when `buf` does not hold 64 bytes (nothing is written then, M7).
/// * `NOENT`: empty path, missing component, or a followed link that dangles.
/// * `NOTCAPABLE`: absolute path, `..` above `fd`, a link with an absolute or escaping target.
/// * `LOOP`: more than 40 links. `NOTDIR`: a non-directory used as one (`file/`, `file/.`).
/// * Host errors of `fstatat` (`ACCES`, …).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_filestat_get>
/// * <https://man7.org/linux/man-pages/man2/fstatat.2.html>
/// * <https://man7.org/linux/man-pages/man2/openat2.2.html>
pub fn path_filestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    buf: u32,
) -> Result<(), Errno> {
    let stat = path_filestat(cx, mem, fd, flags, path, path_len)?;
    // `write_preview1` checks the bounds before writing anything.
    stat.write_preview1(mem, buf)
}

/// Converts a WASI timestamp (ns since the epoch) for `utimensat`.
fn timespec(ns: u64) -> Timespec {
    const NS_PER_SEC: u64 = 1_000_000_000;
    // u64::MAX / 10^9 and any remainder both fit an i64.
    Timespec {
        tv_sec: (ns / NS_PER_SEC) as i64,
        tv_nsec: (ns % NS_PER_SEC) as _,
    }
}

/// The `utimensat` argument for one timestamp: the given value, now, or unchanged (S3).
fn time_arg(value: u64, set: bool, now: bool) -> Result<Timespec, Errno> {
    match (set, now) {
        (true, true) => Err(Errno::Inval),
        (true, false) => Ok(timespec(value)),
        (false, true) => Ok(Timespec {
            tv_sec: 0,
            tv_nsec: UTIME_NOW,
        }),
        (false, false) => Ok(Timespec {
            tv_sec: 0,
            tv_nsec: UTIME_OMIT,
        }),
    }
}

/// `path_filestat_set_times(fd, flags, path, path_len, atim, mtim, fst_flags)`: sets the
/// access and/or modification time of `path` beneath the directory `fd` (S3). `fst_flags`
/// picks each time: ATIM (to `atim`), ATIM_NOW (the host's current time) or neither
/// (unchanged); likewise MTIM / MTIM_NOW with `mtim`. With `flags` 0 a final symlink's own
/// times change and its target is left alone (S4). With neither time chosen the call only
/// checks that the path resolves.
///
/// Rights: PATH_FILESTAT_SET_TIMES on `fd`.
///
/// # Errors
/// * `INVAL`: unknown bits in `flags` or `fst_flags` (M5); ATIM with ATIM_NOW, or MTIM with
///   MTIM_NOW (S3).
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6).
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NOTDIR`, `NAMETOOLONG`: resolution (§4.5), as for
///   `path_filestat_get`.
/// * Host errors of `utimensat` (`PERM`, `ACCES`, `ROFS`).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_filestat_set_times>
/// * <https://man7.org/linux/man-pages/man2/utimensat.2.html>
#[allow(clippy::too_many_arguments)]
pub fn path_filestat_set_times(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
    atim: u64,
    mtim: u64,
    fst_flags: u32,
) -> Result<(), Errno> {
    let follow = lookup_follow(flags)?;
    let fst = Fstflags::from_guest(fst_flags)?;
    let times = Timestamps {
        last_access: time_arg(
            atim,
            fst.contains(Fstflags::ATIM),
            fst.contains(Fstflags::ATIM_NOW),
        )?,
        last_modification: time_arg(
            mtim,
            fst.contains(Fstflags::MTIM),
            fst.contains(Fstflags::MTIM_NOW),
        )?,
    };
    let dir = dir_handle(&cx.table, fd, Rights::PATH_FILESTAT_SET_TIMES)?;
    let path = mem.path(path, path_len)?;
    if fst.is_empty() {
        // Linux answers `utimensat` with both times UTIME_OMIT before looking the name up;
        // a missing name must still be NOENT.
        cx.resolver.stat(dir, path, follow)?;
    } else {
        cx.resolver.set_times(dir, path, follow, &times)?;
    }
    Ok(())
}

/// `path_link(old_fd, old_flags, old_path, old_path_len, new_fd, new_path, new_path_len)`:
/// creates the hard link `new_path` beneath the directory `new_fd` to `old_path` beneath the
/// directory `old_fd` (L3). A final symlink in `old_path` is followed only with
/// SYMLINK_FOLLOW in `old_flags` (otherwise the link itself gets a second name); `new_path`
/// is never followed.
///
/// Rights: PATH_LINK_SOURCE on `old_fd`, PATH_LINK_TARGET on `new_fd`.
///
/// # Errors
/// * `INVAL`: unknown bits in `old_flags` (M5).
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `old_fd`, then `new_fd`, is not open, not a directory,
///   or lacks its right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: either path is outside memory, holds a NUL, is not UTF-8.
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NOTDIR`, `NAMETOOLONG`: resolution of either path (§4.5);
///   `NOTDIR` also for `old_path` ending in `/` on a non-directory.
/// * `PERM`: the source is a directory. `EXIST`: the destination exists (a dangling link
///   included). `NOENT`: the destination ends in `/` and does not exist (it is `EXIST` if it
///   does).
/// * `XDEV`: the two directories are on different host filesystems. Other host errors of
///   `linkat` (`MLINK`, `NOSPC`, …).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_link>
/// * <https://man7.org/linux/man-pages/man2/linkat.2.html>
#[allow(clippy::too_many_arguments)]
pub fn path_link(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_fd: u32,
    old_flags: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let follow = lookup_follow(old_flags)?;
    let old_dir = dir_handle(&cx.table, old_fd, Rights::PATH_LINK_SOURCE)?;
    let new_dir = dir_handle(&cx.table, new_fd, Rights::PATH_LINK_TARGET)?;
    let old_path = mem.path(old_path, old_path_len)?;
    let new_path = mem.path(new_path, new_path_len)?;
    cx.resolver
        .hard_link(old_dir, old_path, follow, new_dir, new_path)?;
    Ok(())
}

/// The host `open` flags for a `path_open` request: access mode from the requested rights
/// (R3; `get_for_open` has checked that the directory passes all of them on), `oflags`, and
/// `fdflags` (O7). Close-on-exec is added by the sandbox; `O_NOCTTY` keeps
/// a terminal from becoming the host's controlling terminal.
fn host_oflags(request: &OpenRequest) -> OFlags {
    let mut flags = match request.access() {
        Access::Read => OFlags::RDONLY,
        Access::Write => OFlags::WRONLY,
        Access::ReadWrite => OFlags::RDWR,
    } | OFlags::NOCTTY;
    let oflags = request.oflags;
    let pairs = [
        (oflags.contains(Oflags::CREAT), OFlags::CREATE),
        (oflags.contains(Oflags::DIRECTORY), OFlags::DIRECTORY),
        (oflags.contains(Oflags::EXCL), OFlags::EXCL),
        (oflags.contains(Oflags::TRUNC), OFlags::TRUNC),
    ];
    let fdflags = request.fdflags;
    let fd_pairs = [
        (fdflags.contains(Fdflags::APPEND), OFlags::APPEND),
        (fdflags.contains(Fdflags::NONBLOCK), OFlags::NONBLOCK),
        (fdflags.contains(Fdflags::DSYNC), OFlags::DSYNC),
        (fdflags.contains(Fdflags::RSYNC), OFlags::RSYNC),
        (fdflags.contains(Fdflags::SYNC), OFlags::SYNC),
    ];
    for (wanted, host) in pairs.into_iter().chain(fd_pairs) {
        if wanted {
            flags |= host;
        }
    }
    flags
}

/// `path_open(fd, dirflags, path, path_len, oflags, fs_rights_base, fs_rights_inheriting,
/// fdflags, opened_fd)`: opens (and with CREAT creates) `path` beneath the directory `fd` and
/// writes the new fd, the lowest free number (F1), to `opened_fd`.
///
/// A final symlink is followed only with SYMLINK_FOLLOW in `dirflags`; otherwise opening it
/// is `LOOP` (O3). The new fd holds the requested rights narrowed to what its file type
/// allows and what the host access mode permits (R4: unfitting rights are dropped silently);
/// the host access mode comes from the requested base rights (R3). `fdflags` are recorded and
/// passed to the host (APPEND, NONBLOCK, DSYNC, RSYNC, SYNC; O7). The fd keeps a handle, never
/// a path (O8).
///
/// Rights on `fd` (R2): base PATH_OPEN, plus PATH_CREATE_FILE with CREAT, plus
/// PATH_FILESTAT_SET_SIZE with TRUNC (O6); inheriting ⊇ `fs_rights_base` ∪
/// `fs_rights_inheriting` (bits 30–63 ignored, M5), plus FD_DATASYNC for DSYNC, FD_SYNC for
/// RSYNC or SYNC, and FD_SEEK when opening for writing without APPEND or TRUNC (uvwasi).
/// So beneath a preopen without `DirPerms::MUTATE` (which lacks PATH_CREATE_FILE and
/// PATH_FILESTAT_SET_SIZE) CREAT, CREAT | EXCL and TRUNC are `NOTCAPABLE` whether or not the
/// name exists, and beneath one without `FilePerms::WRITE` so is any request for a write
/// right; the host file is opened for writing only when a write right was requested, and so
/// granted by the directory.
///
/// # Errors
/// * `INVAL`: unknown bits in `dirflags`, `oflags` or `fdflags` (M5); CREAT together with
///   DIRECTORY (which Linux 6.4+ also refuses).
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks a right above.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6);
///   `OVERFLOW` also when `opened_fd` is outside memory (checked before anything is opened).
/// * `NOENT`: empty path, missing component, missing file without CREAT, or a followed link
///   that dangles without CREAT.
/// * `NOTCAPABLE`: absolute path, `..` above `fd`, a link with an absolute or escaping target
///   (also when CREAT would create through a dangling link pointing outside, O4).
/// * `LOOP`: a final symlink without SYMLINK_FOLLOW (also with DIRECTORY), or more than 40
///   links.
/// * `NOTDIR`: DIRECTORY or a trailing `/` on something that is not a directory (O2).
/// * `EXIST`: CREAT | EXCL on any existing name, symlinks (even dangling) included (O1).
/// * `ISDIR`: a directory opened with write-ish rights, with TRUNC, or with CREAT (O5).
/// * `NFILE`: the fd table is full (checked before anything is opened).
/// * Host errors of `openat`/`openat2` (`ACCES`, `NOSPC`, `ROFS`, `TXTBSY`, …).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_open>
/// * <https://man7.org/linux/man-pages/man2/openat.2.html>
/// * <https://man7.org/linux/man-pages/man2/openat2.2.html>
/// * <https://man7.org/linux/man-pages/man2/fstat.2.html>
#[allow(clippy::too_many_arguments)]
pub fn path_open(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    dirflags: u32,
    path: u32,
    path_len: u32,
    oflags: u32,
    fs_rights_base: u64,
    fs_rights_inheriting: u64,
    fdflags: u32,
    opened_fd: u32,
) -> Result<(), Errno> {
    let follow = lookup_follow(dirflags)?;
    let request = OpenRequest {
        oflags: Oflags::from_guest(oflags)?,
        fdflags: Fdflags::from_guest(fdflags)?,
        fs_rights_base: Rights::from_guest(fs_rights_base),
        fs_rights_inheriting: Rights::from_guest(fs_rights_inheriting),
    };
    // O_CREAT | O_DIRECTORY: Linux before 6.4 created a regular file and then failed; 6.4 and
    // later refuse it with EINVAL. Refuse it here so every host answers the same.
    if request.oflags.contains(Oflags::CREAT | Oflags::DIRECTORY) {
        return Err(Errno::Inval);
    }
    let new_fd = {
        let dir_entry = cx.table.get_for_open(fd, &request)?;
        // The host access mode comes from the requested base rights (R3), which
        // `get_for_open` has just checked against the directory's inheriting set: a directory
        // that passes on no write right (a preopen without `FilePerms::WRITE`, and everything
        // opened beneath it) can never yield a host fd opened for writing.
        debug_assert!(
            dir_entry
                .rights()
                .inheriting
                .contains(request.fs_rights_base),
            "get_for_open checked the request against the inheriting set"
        );
        let dir = dir_entry.fd().ok_or(Errno::Badf)?;
        let path = mem.path(path, path_len)?;
        mem.check(opened_fd, 4)?;
        // The table is full exactly when every number below its limit is open; refuse before
        // anything is created rather than after.
        if cx.table.len() as u64 >= u64::from(cx.table.max_fds()) {
            return Err(Errno::Nfile);
        }
        let file = cx
            .resolver
            .open(dir, path, host_oflags(&request), FILE_MODE, follow)?;
        let stat = rustix::fs::fstat(&file)?;
        let filetype = Filetype::from_host(FileType::from_raw_mode(stat.st_mode));
        let mut rights = request.granted(filetype);
        // Table 2.3 gives a terminal fewer rights than other character devices (F11).
        if filetype == Filetype::CharacterDevice && rustix::termios::isatty(&file) {
            rights = rights.intersection(FdRights::TTY);
        }
        let entry = Entry::new(Host::Owned(file), filetype, rights).with_fdflags(request.fdflags);
        cx.table.insert(entry)?
    };
    if let Err(e) = mem.write_u32(opened_fd, new_fd) {
        // Unreachable (the bounds were checked above), but never leave an fd the guest was
        // not told about.
        drop(cx.table.close(new_fd));
        return Err(e);
    }
    Ok(())
}

/// `path_readlink(fd, path, path_len, buf, buf_len, bufused)`: copies the target of the
/// symbolic link `path` beneath the directory `fd` to `buf` (no NUL) and its length to
/// `bufused` (u32). A target longer than `buf_len` is cut to `buf_len` bytes and the call
/// still succeeds with `bufused = buf_len` (L1; Node returns `NOBUFS`).
///
/// Rights: PATH_READLINK on `fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6);
///   `OVERFLOW` also when `buf`/`buf_len` or `bufused` is outside memory (nothing is written).
/// * `INVAL`: the object is not a symbolic link (L1).
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NOTDIR`, `NAMETOOLONG`: resolution of the parent (§4.5);
///   a trailing `/` follows the link, so it is `INVAL` for a directory and `NOTDIR` otherwise.
/// * Host errors of `readlinkat` (`ACCES`, …).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_readlink>
/// * <https://man7.org/linux/man-pages/man2/readlinkat.2.html>
#[allow(clippy::too_many_arguments)]
pub fn path_readlink(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
    buf: u32,
    buf_len: u32,
    bufused: u32,
) -> Result<(), Errno> {
    let dir = dir_handle(&cx.table, fd, Rights::PATH_READLINK)?;
    let path = mem.path(path, path_len)?;
    mem.check(buf, u64::from(buf_len))?;
    mem.check(bufused, 4)?;
    let target = cx.resolver.read_link(dir, path)?;
    let used = target.get(..buf_len as usize).unwrap_or(&target);
    // `used.len() <= buf_len`, a u32.
    let n = used.len() as u32;
    mem.write(buf, used)?;
    mem.write_u32(bufused, n)
}

/// `path_remove_directory(fd, path, path_len)`: removes the empty directory `path` beneath
/// the directory `fd` (L6). A final symlink is never followed; a trailing `/` is allowed.
///
/// Rights: PATH_REMOVE_DIRECTORY on `fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6).
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NAMETOOLONG`: resolution of the parent (§4.5).
/// * `NOTDIR`: the object is not a directory (a symlink to one included).
/// * `NOTEMPTY`: the directory has entries.
/// * `INVAL`: the path names `fd`'s directory itself (`.`, `sub/..`); `BUSY` from the host
///   for a mount point.
/// * Other host errors of `unlinkat` (`ACCES`, `PERM`, `ROFS`).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_remove_directory>
/// * <https://man7.org/linux/man-pages/man2/unlinkat.2.html>
pub fn path_remove_directory(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let dir = dir_handle(&cx.table, fd, Rights::PATH_REMOVE_DIRECTORY)?;
    let path = mem.path(path, path_len)?;
    cx.resolver.remove_dir(dir, path)?;
    Ok(())
}

/// `path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)`: renames
/// `old_path` beneath the directory `fd` to `new_path` beneath the directory `new_fd`,
/// replacing a destination of a compatible type (L4). Neither final name is followed.
/// Trailing slashes are allowed when the source is a directory.
///
/// Rights: PATH_RENAME_SOURCE on `fd`, PATH_RENAME_TARGET on `new_fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd`, then `new_fd`, is not open, not a directory, or
///   lacks its right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: either path is outside memory, holds a NUL, is not UTF-8.
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NAMETOOLONG`: resolution of either path (§4.5); nothing
///   moves when either side escapes.
/// * `NOTDIR`: a trailing `/` on a source that is not a directory, or a directory renamed onto
///   a non-directory. `ISDIR`: a non-directory renamed onto a directory.
/// * `NOTEMPTY`: the destination is a non-empty directory. `INVAL`: a directory moved beneath
///   itself. `BUSY`: a path names `fd`'s directory itself or a mount point.
/// * `XDEV`: the two directories are on different host filesystems. Other host errors of
///   `renameat` (`ACCES`, `PERM`, `ROFS`).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_rename>
/// * <https://man7.org/linux/man-pages/man2/renameat.2.html>
#[allow(clippy::too_many_arguments)]
pub fn path_rename(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    old_path: u32,
    old_path_len: u32,
    new_fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let old_dir = dir_handle(&cx.table, fd, Rights::PATH_RENAME_SOURCE)?;
    let new_dir = dir_handle(&cx.table, new_fd, Rights::PATH_RENAME_TARGET)?;
    let old_path = mem.path(old_path, old_path_len)?;
    let new_path = mem.path(new_path, new_path_len)?;
    cx.resolver.rename(old_dir, old_path, new_dir, new_path)?;
    Ok(())
}

/// `path_symlink(old_path, old_path_len, fd, new_path, new_path_len)`: creates the symbolic
/// link `new_path` beneath the directory `fd`, whose target is `old_path` stored verbatim
/// (L2). Relative targets are not checked here, even ones that climb out of the directory:
/// the sandbox checks links when it follows them. `new_path` is never followed.
///
/// Rights: PATH_SYMLINK on `fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: either string is outside memory, holds a NUL, is not UTF-8.
/// * `PERM`: the target is absolute (L2; the spec's "not permitted", as uvwasi).
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NOTDIR`, `NAMETOOLONG`: resolution of the link's parent
///   (§4.5); `NOENT` also for an empty target (Linux).
/// * `EXIST`: the name exists (a dangling link included). With a trailing `/`: `EXIST` for an
///   existing directory, `NOTDIR` for an existing non-directory, `NOENT` when nothing exists.
/// * Host errors of `symlinkat` (`ACCES`, `NOSPC`, `ROFS`).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_symlink>
/// * <https://man7.org/linux/man-pages/man2/symlinkat.2.html>
pub fn path_symlink(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    old_path: u32,
    old_path_len: u32,
    fd: u32,
    new_path: u32,
    new_path_len: u32,
) -> Result<(), Errno> {
    let dir = dir_handle(&cx.table, fd, Rights::PATH_SYMLINK)?;
    let target = mem.path(old_path, old_path_len)?;
    let link = mem.path(new_path, new_path_len)?;
    if target.starts_with('/') {
        return Err(Errno::Perm);
    }
    match cx.resolver.symlink(target, dir, link) {
        Ok(()) => Ok(()),
        Err(e) => {
            let errno = Errno::from(e);
            // `name/` on an existing non-directory: NOTDIR (L2; the kernel says EEXIST, and
            // the suite accepts both). As in a lookup, the slash follows a final link. Only
            // the errno is refined; nothing else happens.
            if errno == Errno::Exist
                && link.ends_with('/')
                && let Err(e) = cx.resolver.stat(dir, link, Follow::Yes)
                && Errno::from(e) == Errno::Notdir
            {
                return Err(Errno::Notdir);
            }
            Err(errno)
        }
    }
}

/// `path_unlink_file(fd, path, path_len)`: removes the non-directory `path` beneath the
/// directory `fd`; a final symlink is removed itself, never followed (L5).
///
/// Rights: PATH_UNLINK_FILE on `fd`.
///
/// # Errors
/// * `BADF`, `NOTDIR`, `NOTCAPABLE`: `fd` is not open, not a directory, or lacks the right.
/// * `OVERFLOW`, `INVAL`, `ILSEQ`: the path is outside memory, holds a NUL, is not UTF-8 (M6).
/// * `NOENT`, `NOTCAPABLE`, `LOOP`, `NAMETOOLONG`: resolution of the parent (§4.5).
/// * `ISDIR`: the object is a directory (Linux; also `dir/`, and a path ending in `.`).
/// * `NOTDIR`: `name/` where `name` is not a directory.
/// * Other host errors of `unlinkat` (`ACCES`, `PERM`, `BUSY`, `ROFS`).
///
/// # References
/// * <https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#path_unlink_file>
/// * <https://man7.org/linux/man-pages/man2/unlinkat.2.html>
pub fn path_unlink_file(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    let dir = dir_handle(&cx.table, fd, Rights::PATH_UNLINK_FILE)?;
    let path = mem.path(path, path_len)?;
    cx.resolver.unlink_file(dir, path)?;
    Ok(())
}

/// The `filestat` of `path` beneath the directory `fd` (shared by both ABIs); needs
/// PATH_FILESTAT_GET. `flags` is `lookupflags`: SYMLINK_FOLLOW follows a final link, 0
/// describes it (`lstat`).
///
/// # Errors
/// As `path_filestat_get`, except that nothing is written.
pub(crate) fn path_filestat(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    flags: u32,
    path: u32,
    path_len: u32,
) -> Result<Filestat, Errno> {
    let follow = lookup_follow(flags)?;
    let dir = dir_handle(&cx.table, fd, Rights::PATH_FILESTAT_GET)?;
    let path = mem.path(path, path_len)?;
    let stat = cx.resolver.stat(dir, path, follow)?;
    Ok(Filestat::from_host(&stat))
}
