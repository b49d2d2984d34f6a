//! Registers every WASI import in an interp `Linker`. The list of names (46
//! for preview1, 45 for `wasi_unstable`) is written down once, here.

use crate::ctx::{WasiCtx, flush_host_stdio};
use crate::errno::Errno;
use crate::guest::GuestMemory;
use crate::wasi::WasiError;
use crate::{args, clock, fd, path, poll, proc, random, sched, sock, unstable};
use std::sync::{Arc, Mutex, MutexGuard};
use wisp_interp::{Caller, Linker, Trap, TrapKind};

/// The names of the preview1 imports, in the order of the spec's table.
pub const PREVIEW1_FUNCTIONS: [&str; 46] = [
    "args_get",
    "args_sizes_get",
    "environ_get",
    "environ_sizes_get",
    "clock_res_get",
    "clock_time_get",
    "fd_advise",
    "fd_allocate",
    "fd_close",
    "fd_datasync",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_get",
    "fd_prestat_dir_name",
    "fd_pwrite",
    "fd_read",
    "fd_readdir",
    "fd_renumber",
    "fd_seek",
    "fd_sync",
    "fd_tell",
    "fd_write",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_open",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "poll_oneoff",
    "proc_exit",
    "proc_raise",
    "sched_yield",
    "random_get",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

pub(crate) type SharedCtx = Arc<Mutex<WasiCtx>>;

pub(crate) fn lock(ctx: &Mutex<WasiCtx>) -> MutexGuard<'_, WasiCtx> {
    // A poisoned lock only means an earlier call panicked; the table is still consistent.
    ctx.lock().unwrap_or_else(|e| e.into_inner())
}

#[cold]
fn not_started() -> Trap {
    Trap::new(TrapKind::Host(Box::new(WasiError::NotStarted)))
}

/// Runs one WASI function with the context and the bound memory; the errno
/// becomes the i32 result.
#[inline]
fn call<T>(
    ctx: &Mutex<WasiCtx>,
    caller: &mut Caller<'_, T>,
    f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> Result<(), Errno>,
) -> Result<i32, Trap> {
    let mut cx = lock(ctx);
    let Some(memory) = cx.memory else {
        return Err(not_started());
    };
    let mut mem = GuestMemory::new(memory.data_mut(caller));
    Ok(match f(&mut cx, &mut mem) {
        Ok(()) => 0,
        Err(e) => e.raw() as i32,
    })
}

macro_rules! register {
    ($linker:ident, $module:ident, $ctx:ident; $($name:literal => $f:path [$($arg:ident: $ty:ty),*];)*) => {$(
        let c = $ctx.clone();
        $linker.func_wrap($module, $name, move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> Result<i32, Trap> {
            call(&c, &mut caller, |cx, mem| $f(cx, mem, $($arg),*))
        });
    )*};
}

/// Defines the WASI imports under `module` in `linker`, bound to `ctx`.
pub(crate) fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    ctx: &SharedCtx,
    module: &str,
    unstable_abi: bool,
) {
    register! { linker, module, ctx;
        "args_get" => args::args_get [argv: u32, argv_buf: u32];
        "args_sizes_get" => args::args_sizes_get [argc: u32, argv_buf_size: u32];
        "environ_get" => args::environ_get [environ: u32, environ_buf: u32];
        "environ_sizes_get" => args::environ_sizes_get [environc: u32, environ_buf_size: u32];
        "clock_res_get" => clock::clock_res_get [id: u32, resolution: u32];
        "clock_time_get" => clock::clock_time_get [id: u32, precision: u64, time: u32];
        "fd_advise" => fd::fd_advise [fd: u32, offset: u64, len: u64, advice: u32];
        "fd_allocate" => fd::fd_allocate [fd: u32, offset: u64, len: u64];
        "fd_close" => fd::fd_close [fd: u32];
        "fd_datasync" => fd::fd_datasync [fd: u32];
        "fd_fdstat_set_flags" => fd::fd_fdstat_set_flags [fd: u32, fdflags: u32];
        "fd_fdstat_set_rights" => fd::fd_fdstat_set_rights [fd: u32, fs_rights_base: u64, fs_rights_inheriting: u64];
        "fd_filestat_set_size" => fd::fd_filestat_set_size [fd: u32, size: u64];
        "fd_filestat_set_times" => fd::fd_filestat_set_times [fd: u32, atim: u64, mtim: u64, fst_flags: u32];
        "fd_pread" => fd::fd_pread [fd: u32, iovs: u32, iovs_len: u32, offset: u64, nread: u32];
        "fd_prestat_get" => fd::fd_prestat_get [fd: u32, buf: u32];
        "fd_prestat_dir_name" => fd::fd_prestat_dir_name [fd: u32, path: u32, path_len: u32];
        "fd_pwrite" => fd::fd_pwrite [fd: u32, iovs: u32, iovs_len: u32, offset: u64, nwritten: u32];
        "fd_read" => fd::fd_read [fd: u32, iovs: u32, iovs_len: u32, nread: u32];
        "fd_readdir" => fd::fd_readdir [fd: u32, buf: u32, buf_len: u32, cookie: u64, bufused: u32];
        "fd_renumber" => fd::fd_renumber [fd: u32, to: u32];
        "fd_sync" => fd::fd_sync [fd: u32];
        "fd_tell" => fd::fd_tell [fd: u32, offset: u32];
        "fd_write" => fd::fd_write [fd: u32, iovs: u32, iovs_len: u32, nwritten: u32];
        "path_create_directory" => path::path_create_directory [fd: u32, path: u32, path_len: u32];
        "path_filestat_set_times" => path::path_filestat_set_times
            [fd: u32, flags: u32, path: u32, path_len: u32, atim: u64, mtim: u64, fst_flags: u32];
        "path_link" => path::path_link
            [old_fd: u32, old_flags: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32];
        "path_open" => path::path_open
            [fd: u32, dirflags: u32, path: u32, path_len: u32, oflags: u32, fs_rights_base: u64,
             fs_rights_inheriting: u64, fdflags: u32, opened_fd: u32];
        "path_readlink" => path::path_readlink [fd: u32, path: u32, path_len: u32, buf: u32, buf_len: u32, bufused: u32];
        "path_remove_directory" => path::path_remove_directory [fd: u32, path: u32, path_len: u32];
        "path_rename" => path::path_rename
            [fd: u32, old_path: u32, old_path_len: u32, new_fd: u32, new_path: u32, new_path_len: u32];
        "path_symlink" => path::path_symlink [old_path: u32, old_path_len: u32, fd: u32, new_path: u32, new_path_len: u32];
        "path_unlink_file" => path::path_unlink_file [fd: u32, path: u32, path_len: u32];
        "proc_raise" => proc::proc_raise [sig: u32];
        "sched_yield" => sched::sched_yield [];
        "random_get" => random::random_get [buf: u32, buf_len: u32];
        "sock_recv" => sock::sock_recv
            [fd: u32, ri_data: u32, ri_data_len: u32, ri_flags: u32, ro_datalen: u32, ro_flags: u32];
        "sock_send" => sock::sock_send [fd: u32, si_data: u32, si_data_len: u32, si_flags: u32, so_datalen: u32];
        "sock_shutdown" => sock::sock_shutdown [fd: u32, how: u32];
    }
    if unstable_abi {
        // Snapshot 0: the layouts that differ are converted, then the preview1 code runs.
        register! { linker, module, ctx;
            "fd_fdstat_get" => unstable::fd_fdstat_get [fd: u32, stat: u32];
            "fd_filestat_get" => unstable::fd_filestat_get [fd: u32, buf: u32];
            "fd_seek" => unstable::fd_seek [fd: u32, offset: u64, whence: u32, newoffset: u32];
            "path_filestat_get" => unstable::path_filestat_get [fd: u32, flags: u32, path: u32, path_len: u32, buf: u32];
            "poll_oneoff" => unstable::poll_oneoff [in_: u32, out: u32, nsubscriptions: u32, nevents: u32];
        }
    } else {
        register! { linker, module, ctx;
            "fd_fdstat_get" => fd::fd_fdstat_get [fd: u32, stat: u32];
            "fd_filestat_get" => fd::fd_filestat_get [fd: u32, buf: u32];
            "fd_seek" => fd::fd_seek [fd: u32, offset: u64, whence: u32, newoffset: u32];
            "path_filestat_get" => path::path_filestat_get [fd: u32, flags: u32, path: u32, path_len: u32, buf: u32];
            "poll_oneoff" => poll::poll_oneoff [in_: u32, out: u32, nsubscriptions: u32, nevents: u32];
            "sock_accept" => sock::sock_accept [fd: u32, flags: u32, fd_out: u32];
        }
    }
    let c = ctx.clone();
    linker.func_wrap(
        module,
        "proc_exit",
        move |_caller: Caller<'_, T>, code: i32| -> Result<(), Trap> {
            let mut cx = lock(&c);
            if cx.memory.is_none() {
                return Err(not_started());
            }
            cx.flush_stdio();
            flush_host_stdio();
            if !cx.return_on_exit {
                std::process::exit(code);
            }
            Err(Trap::exit(code))
        },
    );
}
