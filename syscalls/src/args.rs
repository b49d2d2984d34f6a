//! `args_*` and `environ_*`: the program's arguments and environment (§4.2).

use crate::ctx::WasiCtx;
use crate::errno::Errno;
use crate::guest::GuestMemory;

/// Writes NUL-terminated `strings` back to back at `buf` and their addresses at `ptrs` (A2).
fn write_strings(
    mem: &mut GuestMemory<'_>,
    strings: &[String],
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let total: u64 = strings.iter().map(|s| s.len() as u64 + 1).sum();
    mem.check(ptrs, strings.len() as u64 * 4)?;
    mem.check(buf, total)?;
    let mut at = buf;
    for (i, s) in strings.iter().enumerate() {
        mem.write_u32(ptrs + i as u32 * 4, at)?;
        mem.write(at, s.as_bytes())?;
        mem.write_u8(at + s.len() as u32, 0)?;
        at += s.len() as u32 + 1;
    }
    Ok(())
}

fn write_sizes(
    mem: &mut GuestMemory<'_>,
    strings: &[String],
    count: u32,
    size: u32,
) -> Result<(), Errno> {
    let total: u64 = strings.iter().map(|s| s.len() as u64 + 1).sum();
    let total = u32::try_from(total).map_err(|_| Errno::Overflow)?;
    mem.check(count, 4)?;
    mem.check(size, 4)?;
    mem.write_u32(count, strings.len() as u32)?;
    mem.write_u32(size, total)
}

/// `args_get(argv, argv_buf)`: the arguments as NUL-terminated strings (A2).
/// Needs no rights.
///
/// # Errors
/// `OVERFLOW` for pointers outside memory (nothing is written then, M7).
///
/// # References
/// - [preview1 `args_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#args_get)
pub fn args_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    argv: u32,
    argv_buf: u32,
) -> Result<(), Errno> {
    write_strings(mem, &cx.args, argv, argv_buf)
}

/// `args_sizes_get(argc, argv_buf_size)`: count and total bytes with NULs (A1).
///
/// # Errors
/// `OVERFLOW` for pointers outside memory.
///
/// # References
/// - [preview1 `args_sizes_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#args_sizes_get)
pub fn args_sizes_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    argc: u32,
    argv_buf_size: u32,
) -> Result<(), Errno> {
    write_sizes(mem, &cx.args, argc, argv_buf_size)
}

/// `environ_get(environ, environ_buf)`: `KEY=VALUE` strings in insertion order (A3).
///
/// # Errors
/// `OVERFLOW` for pointers outside memory.
///
/// # References
/// - [preview1 `environ_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#environ_get)
pub fn environ_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    environ: u32,
    environ_buf: u32,
) -> Result<(), Errno> {
    write_strings(mem, &cx.env, environ, environ_buf)
}

/// `environ_sizes_get(environc, environ_buf_size)`.
///
/// # Errors
/// `OVERFLOW` for pointers outside memory.
///
/// # References
/// - [preview1 `environ_sizes_get`](https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md#environ_sizes_get)
pub fn environ_sizes_get(
    cx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    environc: u32,
    environ_buf_size: u32,
) -> Result<(), Errno> {
    write_sizes(mem, &cx.env, environc, environ_buf_size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_count_nul_terminators() {
        let mut cx = WasiCtx::new();
        cx.args = vec!["prog".into(), "a b".into(), "ü".into()];
        let mut bytes = vec![0u8; 64];
        let mut mem = GuestMemory::new(&mut bytes);
        args_sizes_get(&mut cx, &mut mem, 0, 4).unwrap();
        assert_eq!(mem.read_u32(0).unwrap(), 3);
        assert_eq!(mem.read_u32(4).unwrap(), 12);
        args_get(&mut cx, &mut mem, 8, 20).unwrap();
        assert_eq!(mem.read_u32(12).unwrap(), 25);
        assert_eq!(mem.slice(20, 12).unwrap(), b"prog\0a b\0\xc3\xbc\0");
    }

    #[test]
    fn out_of_bounds_writes_nothing() {
        let mut cx = WasiCtx::new();
        cx.env = vec!["K=V".into()];
        let mut bytes = vec![0u8; 16];
        let mut mem = GuestMemory::new(&mut bytes);
        assert_eq!(environ_get(&mut cx, &mut mem, 0, 14), Err(Errno::Overflow));
        assert_eq!(bytes, vec![0u8; 16]);
    }
}
