//! Registers every WASI import in an interp `Linker`. The list of names (46
//! for preview1, 45 for `wasi_unstable`) is written down once, here, generic
//! over how a call reaches its context and memory ([`Access`]): a `Wasi`'s
//! shared context and bound memory, or [`add_to_linker`]'s context in the
//! store data and the calling instance's memory.

use crate::ctx::{Binding, WasiCtx, flush_host_stdio};
use crate::errno::Errno;
use crate::error::WasiError;
use crate::guest::GuestMemory;
use crate::{args, clock, fd, path, poll, proc, random, sched, sock, unstable};
use std::sync::{Arc, Mutex, MutexGuard};
use wisp_interp::{AsContext, Caller, Extern, IntoFunc, Linker, Memory, Provider, Trap, TrapKind};

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

/// How a WASI function, on each call, reaches its context and the guest memory
/// from its `Caller`: the one thing that differs between a [`Wasi`](crate::Wasi)'s
/// functions (one shared context, one bound memory) and the functions of
/// [`add_to_linker`] (the context in the store's data, the calling instance's memory).
pub(crate) trait Access<T>: Clone + Send + Sync + 'static {
    /// Defines `module::name` as `f` in `linker`.
    fn define<P, R>(
        &self,
        linker: &mut Linker<T>,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, P, R>,
    );

    /// Runs `f` with the context and the memory this call may use; `name` is
    /// the WASI function's, for the trap message when there is none.
    fn with_memory<R>(
        &self,
        caller: &mut Caller<'_, T>,
        name: &'static str,
        f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> R,
    ) -> Result<R, Trap>;

    /// Runs `f` with the context alone (`proc_exit`, which reads no memory).
    fn with_ctx<R>(
        &self,
        caller: &mut Caller<'_, T>,
        name: &'static str,
        f: impl FnOnce(&mut WasiCtx) -> R,
    ) -> Result<R, Trap>;
}

/// The functions of one [`Wasi`](crate::Wasi): its shared context, stamped with its provider.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) ctx: SharedCtx,
    pub(crate) provider: Provider,
}

impl Shared {
    /// The bound memory, if `caller` is the instance (and store) the `Wasi` was bound to.
    fn checked<T>(cx: &WasiCtx, caller: &Caller<'_, T>, name: &str) -> Result<Memory, Trap> {
        let Some(b) = cx.binding else {
            return Err(not_started());
        };
        let store = caller.as_context().id();
        let same = match caller.instance() {
            Some(i) => i == b.instance,
            None => b.instance.belongs_to(caller),
        } && b.memory.belongs_to(caller);
        if !same {
            return Err(Trap::host(format!(
                "WASI function `{name}` of a Wasi bound to {:?} of {} was called from {} of {store}; \
                 a Wasi serves only the instance it was started with (use \
                 wisp_syscalls::add_to_linker to run many instances from one linker)",
                b.instance,
                b.instance.store_id(),
                match caller.instance() {
                    Some(i) => format!("{i:?}"),
                    None => "the host".to_string(),
                },
            )));
        }
        Ok(b.memory)
    }
}

impl<T: 'static> Access<T> for Shared {
    fn define<P, R>(
        &self,
        linker: &mut Linker<T>,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, P, R>,
    ) {
        linker.func_wrap_from(self.provider, module, name, f);
    }

    #[inline]
    fn with_memory<R>(
        &self,
        caller: &mut Caller<'_, T>,
        name: &'static str,
        f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> R,
    ) -> Result<R, Trap> {
        let mut cx = lock(&self.ctx);
        let memory = Self::checked(&cx, caller, name)?;
        let mut mem = GuestMemory::new(memory.data_mut(caller));
        Ok(f(&mut cx, &mut mem))
    }

    fn with_ctx<R>(
        &self,
        caller: &mut Caller<'_, T>,
        name: &'static str,
        f: impl FnOnce(&mut WasiCtx) -> R,
    ) -> Result<R, Trap> {
        let mut cx = lock(&self.ctx);
        Self::checked(&cx, caller, name)?;
        Ok(f(&mut cx))
    }
}

/// The functions of [`add_to_linker`]: the context is in the store's data,
/// reached through `get`; the memory is the calling instance's export `memory`.
#[derive(Clone, Copy)]
struct Linked<G>(G);

impl<G> Linked<G> {
    /// The calling instance's exported memory, cached in the context with its instance.
    #[inline]
    fn memory<T>(&self, caller: &mut Caller<'_, T>, name: &str) -> Result<Memory, Trap>
    where
        G: Fn(&mut T) -> &mut WasiCtx,
    {
        let Some(instance) = caller.instance() else {
            return Err(Trap::host(format!(
                "WASI function `{name}` was called by the host, not by a wasm instance; \
                 functions defined by add_to_linker use the calling instance's memory"
            )));
        };
        if let Some(b) = (self.0)(caller.data_mut()).binding
            && b.instance == instance
        {
            return Ok(b.memory);
        }
        match caller.get_export("memory") {
            Some(Extern::Memory(memory)) => {
                (self.0)(caller.data_mut()).binding = Some(Binding { instance, memory });
                Ok(memory)
            }
            _ => Err(Trap::host(format!(
                "WASI function `{name}` was called from an instance without an exported \
                 memory named `memory`, which WASI needs"
            ))),
        }
    }
}

impl<T: 'static, G> Access<T> for Linked<G>
where
    G: Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
{
    fn define<P, R>(
        &self,
        linker: &mut Linker<T>,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, P, R>,
    ) {
        linker.func_wrap(module, name, f);
    }

    #[inline]
    fn with_memory<R>(
        &self,
        caller: &mut Caller<'_, T>,
        name: &'static str,
        f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> R,
    ) -> Result<R, Trap> {
        let memory = self.memory(caller, name)?;
        let (bytes, data) = memory.data_and_store_mut(caller);
        Ok(f((self.0)(data), &mut GuestMemory::new(bytes)))
    }

    fn with_ctx<R>(
        &self,
        caller: &mut Caller<'_, T>,
        _name: &'static str,
        f: impl FnOnce(&mut WasiCtx) -> R,
    ) -> Result<R, Trap> {
        Ok(f((self.0)(caller.data_mut())))
    }
}

/// Defines all of WASI in `linker` for the wasmtime pattern: one linker, many
/// stores, each store's data owning its own [`WasiCtx`], which `get` reaches.
///
/// Preview1 is defined under `wasi_snapshot_preview1` and snapshot 0 under
/// `wasi_unstable` (its converted layouts, without `sock_accept`), both from the
/// same context, whatever version the context was built for. A call uses the
/// memory the calling instance exports as `memory` (looked up once per instance
/// and cached in the context); a call from an instance without one traps,
/// naming the problem. `proc_exit` follows the context's `return_on_exit`:
/// by default it unwinds with [`Trap::exit`], whose
/// [`exit_status`](Trap::exit_status) the embedder reads.
///
/// Nothing is shared between stores: the linker holds only `get`, so a linker
/// (and the module) can serve any number of stores on any number of threads.
/// Build each context with [`WasiBuilder::build_ctx`](crate::WasiBuilder::build_ctx).
///
/// ```
/// use wisp_interp::{Linker, Module, Store};
/// use wisp_syscalls::{SharedBuffer, Stdio, Wasi, WasiCtx, WasiVersion};
///
/// struct Host {
///     wasi: WasiCtx,
/// }
///
/// // The fixture prints a greeting, then each argument after the first.
/// let module = Module::from_file("../fixtures/wasm/hello.wasm")?;
/// let mut linker = Linker::new();
/// wisp_syscalls::add_to_linker(&mut linker, |h: &mut Host| &mut h.wasi);
///
/// for tenant in ["alice", "bob"] {
///     let out = SharedBuffer::new();
///     let wasi = Wasi::builder(WasiVersion::Preview1)
///         .args(["hello", tenant])
///         .stdout(Stdio::Capture(out.clone()))
///         .build_ctx()?;
///     let mut store = Store::new(Host { wasi });
///     let instance = linker.instantiate(&mut store, &module)?;
///     let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
///     start.call(&mut store, ())?;
///     assert_eq!(out.to_string_lossy(), format!("Hello from wisp!\n{tenant}\n"));
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get: impl Fn(&mut T) -> &mut WasiCtx + Copy + Send + Sync + 'static,
) {
    let access = Linked(get);
    define_all(linker, &access, "wasi_snapshot_preview1", false);
    define_all(linker, &access, "wasi_unstable", true);
}

/// An errno result as the i32 the guest sees.
#[inline(always)]
fn errno(r: Result<(), Errno>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => e.raw() as i32,
    }
}

macro_rules! register {
    ($linker:ident, $module:ident, $access:ident; $($name:literal => $f:path [$($arg:ident: $ty:ty),*];)*) => {$(
        let a = $access.clone();
        $access.define($linker, $module, $name, move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> Result<i32, Trap> {
            a.with_memory(&mut caller, $name, |cx, mem| errno($f(cx, mem, $($arg),*)))
        });
    )*};
}

/// Like `register!`, for the functions whose snapshot-0 layouts differ: each entry names
/// the preview1 function, then its `wasi_unstable` converter (same arguments), and
/// `$unstable_abi` picks which one is defined.
macro_rules! register_by_abi {
    ($linker:ident, $module:ident, $access:ident, $unstable_abi:ident;
     $($name:literal => $preview1:path, $unstable:path [$($arg:ident: $ty:ty),*];)*) => {$(
        if $unstable_abi {
            register! { $linker, $module, $access; $name => $unstable [$($arg: $ty),*]; }
        } else {
            register! { $linker, $module, $access; $name => $preview1 [$($arg: $ty),*]; }
        }
    )*};
}

/// Defines the WASI imports under `module` in `linker`, each reaching its
/// context and memory through `access`.
pub(crate) fn define_all<T: 'static, A: Access<T>>(
    linker: &mut Linker<T>,
    access: &A,
    module: &str,
    unstable_abi: bool,
) {
    register! { linker, module, access;
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
    // The functions whose layouts differ: for snapshot 0 their layouts are converted,
    // then the preview1 code runs.
    register_by_abi! { linker, module, access, unstable_abi;
        "fd_fdstat_get" => fd::fd_fdstat_get, unstable::fd_fdstat_get [fd: u32, stat: u32];
        "fd_filestat_get" => fd::fd_filestat_get, unstable::fd_filestat_get [fd: u32, buf: u32];
        "fd_seek" => fd::fd_seek, unstable::fd_seek [fd: u32, offset: u64, whence: u32, newoffset: u32];
        "path_filestat_get" => path::path_filestat_get, unstable::path_filestat_get
            [fd: u32, flags: u32, path: u32, path_len: u32, buf: u32];
        "poll_oneoff" => poll::poll_oneoff, unstable::poll_oneoff
            [in_: u32, out: u32, nsubscriptions: u32, nevents: u32];
    }
    if !unstable_abi {
        // Snapshot 0 has no `sock_accept`.
        register! { linker, module, access;
            "sock_accept" => sock::sock_accept [fd: u32, flags: u32, fd_out: u32];
        }
    }
    let a = access.clone();
    access.define(
        linker,
        module,
        "proc_exit",
        move |mut caller: Caller<'_, T>, code: i32| -> Result<(), Trap> {
            let return_on_exit = a.with_ctx(&mut caller, "proc_exit", |cx| {
                cx.flush_stdio();
                cx.return_on_exit
            })?;
            flush_host_stdio();
            if !return_on_exit {
                std::process::exit(code);
            }
            Err(Trap::exit(code))
        },
    );
}
