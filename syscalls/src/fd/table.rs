//! The descriptor table itself (§4.3): `fd_close` and `fd_renumber` free and move numbers,
//! and `fd_prestat_get` and `fd_prestat_dir_name` describe the preopens (F3–F7).

use wisp_fdtable::{Entry, Host};

use crate::ctx::{Stream, WasiCtx};
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// `fd_close(fd)`: removes `fd` from the table and closes what backs it. Closing 0, 1 or
/// 2 never closes the host's stdio (F3); embedder streams are flushed, then dropped.
///
/// Rights: none.
///
/// # Errors
/// - `BADF`: `fd` is not open, including a second close (F3).
///
/// # References
/// - [preview1 `fd_close`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_close)
/// - [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html)
pub fn fd_close(cx: &mut WasiCtx, _mem: &mut GuestMemory<'_>, fd: u32) -> Result<(), Errno> {
    let entry = cx.table.close(fd)?;
    retire(entry);
    Ok(())
}

/// `fd_prestat_get(fd, buf)`: writes the 8-byte `prestat` of a preopened directory: tag
/// 0 (`dir`) and the length of its name (F5).
///
/// Rights: none.
///
/// # Errors
/// - `OVERFLOW`: the 8 bytes at `buf` are not all inside memory; nothing is written.
/// - `BADF`: `fd` is not open, or is open but not a preopen. wasi-libc scans fds from 3
///   up to the first `BADF`, so no other errno may end the scan (F5).
/// - `NAMETOOLONG`: the name is longer than a u32 can say.
///
/// # References
/// - [preview1 `fd_prestat_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_prestat_get)
pub fn fd_prestat_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    buf: u32,
) -> Result<(), Errno> {
    mem.check(buf, 8)?;
    let name = cx.table.preopen_name(fd)?;
    let len = u32::try_from(name.len()).map_err(|_| Errno::Nametoolong)?;
    let mut prestat = [0u8; 8];
    // Tag 0 (`preopentype::dir`) at 0, padding at 1..4, `pr_name_len` at 4.
    prestat[4..].copy_from_slice(&len.to_le_bytes());
    mem.write(buf, &prestat)
}

/// `fd_prestat_dir_name(fd, path, path_len)`: writes the preopen's name, exactly as
/// configured (F7), without a NUL (F6).
///
/// Rights: none.
///
/// # Errors
/// - `OVERFLOW`: `[path, path + path_len)` is not inside memory; nothing is written.
/// - `BADF`: `fd` is not open, or is not a preopen (F6).
/// - `NAMETOOLONG`: `path_len` is shorter than the name (F6; Node's `NOBUFS` fails the
///   suite).
///
/// # References
/// - [preview1 `fd_prestat_dir_name`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_prestat_dir_name)
pub fn fd_prestat_dir_name(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    fd: u32,
    path: u32,
    path_len: u32,
) -> Result<(), Errno> {
    mem.check(path, u64::from(path_len))?;
    let name = cx.table.preopen_name(fd)?;
    if name.len() > path_len as usize {
        return Err(Errno::Nametoolong);
    }
    mem.write(path, name.as_bytes())
}

/// `fd_renumber(fd, to)`: moves `fd`'s entry (rights, flags, offset, preopen name) to
/// number `to`, closing what was there first with `fd_close`'s rules, and frees `fd`
/// (F4). `fd == to` changes nothing. Renumbering onto a preopen replaces it.
///
/// Rights: none.
///
/// # Errors
/// - `BADF`: `fd` or `to` is not open (F4).
///
/// # References
/// - [preview1 `fd_renumber`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#fd_renumber)
/// - [`close(2)`](https://man7.org/linux/man-pages/man2/close.2.html) (of the entry
///   replaced at `to`)
pub fn fd_renumber(
    cx: &mut WasiCtx,
    _mem: &mut GuestMemory<'_>,
    fd: u32,
    to: u32,
) -> Result<(), Errno> {
    if let Some(replaced) = cx.table.renumber(fd, to)? {
        retire(replaced);
    }
    Ok(())
}

/// Flushes an entry leaving the table (closed or replaced), then drops it, which closes an
/// owned host fd and never a borrowed one (F3).
fn retire(mut entry: Entry<Stream>) {
    if let Host::Stream(stream) = entry.host_mut() {
        stream.flush();
    }
    drop(entry);
}
