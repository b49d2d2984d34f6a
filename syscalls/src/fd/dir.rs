//! `fd_readdir` (§4.8): a snapshot of the directory's entries taken at cookie 0 and kept
//! on the fd, and the packing of its entries as `dirent` records into the guest's buffer.

use std::os::fd::BorrowedFd;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use wisp_fdtable::{DirSnapshot, Dirent, Filetype, Rights};

use super::io::count;
use crate::abi::DIRENT_SIZE;
use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `fd_readdir(fd, buf, buf_len, cookie, bufused)`: fills `buf` with directory entries
/// from position `cookie` on (§4.8).
///
/// The listing is `.` (cookie 1), `..` (cookie 2), then the directory's entries in host
/// order, skipping names that are not UTF-8 (D1, D6); each entry's `d_next` is the index
/// of the one after it. Inodes and types come from `lstat`, so symlinks report
/// SYMBOLIC_LINK and `.` its own inode (D4, D5). A read at cookie 0 takes a fresh
/// snapshot and keeps it on the fd; later cookies index that snapshot, so they stay
/// valid while the directory changes (D3). Entries are packed back to back as a 24-byte
/// header and the name; the last one is cut to fill `buf` exactly, and `bufused <
/// buf_len` only at the end of the directory (D2). A cookie past the end gives
/// `bufused = 0`.
///
/// Rights: FD_READDIR on `fd`.
///
/// # Errors
/// - `OVERFLOW`: `[buf, buf + buf_len)` or the 4 bytes at `bufused` are not inside
///   memory; nothing is written.
/// - `BADF`: `fd` is not open.
/// - `NOTDIR`: `fd` is not a directory (D7, R6).
/// - `NOTCAPABLE`: `fd` lacks FD_READDIR.
/// - any host error of `openat`, `getdents64` or `fstatat`, mapped by name.
///
/// # References
/// - [preview1 `fd_readdir`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_readdir)
/// - [`openat(2)`](https://man7.org/linux/man-pages/man2/openat.2.html),
///   [`getdents64(2)`](https://man7.org/linux/man-pages/man2/getdents64.2.html),
///   [`fstatat(2)`](https://man7.org/linux/man-pages/man2/fstatat.2.html)
pub fn fd_readdir(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
    buf_len: u32,
    cookie: u64,
    bufused: u32,
) -> Result<(), Errno> {
    mem.check(buf, u64::from(buf_len))?;
    mem.check(bufused, 4)?;
    let entry = cx.table.get_dir(fd, Rights::FD_READDIR)?;
    if cookie == 0 || entry.readdir().is_none() {
        let snapshot = dir_snapshot(entry.fd().ok_or(Errno::Notdir)?)?;
        cx.table
            .get_mut(fd, Rights::FD_READDIR)?
            .set_readdir(snapshot);
    }
    let entry = cx.table.get_dir(fd, Rights::FD_READDIR)?;
    let Some(snapshot) = entry.readdir() else {
        unreachable!("a readdir snapshot was stored just above")
    };
    let out = pack_dirents(snapshot, cookie, buf_len as usize);
    mem.write(buf, &out)?;
    mem.write_u32(bufused, count(out.len()))
}

/// Lists a directory for `fd_readdir` (D1, D4–D6): `.` and `..` first, then every entry
/// with a UTF-8 name, each with its `lstat` inode and type.
///
/// The listing reads from a fresh `openat(dir, ".")` handle, so the entry's own handle
/// (and its offset) is untouched.
#[allow(clippy::unnecessary_cast)] // `st_ino` is not u64 on every target.
fn dir_snapshot(dir: BorrowedFd<'_>) -> Result<DirSnapshot, Errno> {
    let handle = rustix::fs::openat(
        dir,
        ".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let own = rustix::fs::fstat(&handle)?.st_ino as u64;
    // The parent of a preopen lies outside the sandbox, but its inode is only a number;
    // if it cannot be read, `.`'s keeps `d_ino` non-zero (D4).
    let parent = rustix::fs::statat(&handle, "..", AtFlags::SYMLINK_NOFOLLOW)
        .map(|st| st.st_ino as u64)
        .ok()
        .filter(|&ino| ino != 0)
        .unwrap_or(own);
    let dirent = |ino, filetype, name: &str| Dirent {
        ino,
        filetype,
        name: name.to_owned(),
    };
    let mut entries = vec![
        dirent(own, Filetype::Directory, "."),
        dirent(parent, Filetype::Directory, ".."),
    ];
    let mut listing = rustix::fs::Dir::new(handle)?;
    while let Some(item) = listing.read() {
        let item = item?;
        let raw = item.file_name();
        let Ok(name) = core::str::from_utf8(raw.to_bytes()) else {
            continue; // D6: guest names are UTF-8.
        };
        if name == "." || name == ".." {
            continue;
        }
        let (ino, filetype) =
            match rustix::fs::statat(listing.fd()?, raw, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => (
                    st.st_ino as u64,
                    Filetype::from_host(FileType::from_raw_mode(st.st_mode)),
                ),
                // Removed since it was listed: it is no longer in the directory.
                Err(rustix::io::Errno::NOENT) => continue,
                // Otherwise fall back to what the listing itself says.
                Err(_) => (item.ino(), Filetype::from_host(item.file_type())),
            };
        entries.push(dirent(ino, filetype, name));
    }
    Ok(DirSnapshot::new(entries))
}

/// Packs the snapshot's entries from `cookie` on as `dirent` headers and names, back to
/// back, cut at `buf_len` bytes (D2).
fn pack_dirents(snapshot: &DirSnapshot, cookie: u64, buf_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(buf_len.min(1 << 16));
    for (d_next, dirent) in snapshot.from_cookie(cookie) {
        if out.len() >= buf_len {
            break;
        }
        let Ok(d_namlen) = u32::try_from(dirent.name.len()) else {
            continue;
        };
        let mut header = [0u8; DIRENT_SIZE as usize];
        header[0..8].copy_from_slice(&d_next.to_le_bytes());
        header[8..16].copy_from_slice(&dirent.ino.to_le_bytes());
        header[16..20].copy_from_slice(&d_namlen.to_le_bytes());
        header[20] = dirent.filetype.raw();
        out.extend_from_slice(&header);
        out.extend_from_slice(dirent.name.as_bytes());
    }
    out.truncate(buf_len);
    out
}
