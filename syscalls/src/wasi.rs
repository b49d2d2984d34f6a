//! The `Wasi` facade: the Rust counterpart of Node's `node:wasi` `WASI` class
//! (wasi-reference §1.2): options, validation order, the v24 state machine,
//! `start`/`initialize`/`finalize_bindings`, and the import object.

use crate::ctx::{Binding, Stdio, WasiCtx, stdio_entry};
use crate::errno::Errno;
use crate::error::WasiError;
use crate::link::{self, Shared, SharedCtx};
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use wisp_fdtable::{DirPerms, Entry, FdRights, FilePerms, Filetype, Host};
use wisp_interp::{Extern, FuncType, Instance, Linker, Memory, Provider, Store};

/// Which import module the guest links against.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WasiVersion {
    /// `wasi_snapshot_preview1`.
    Preview1,
    /// `wasi_unstable` (snapshot 0), with its own ABI for the layouts that differ.
    Unstable,
}

impl WasiVersion {
    /// `"wasi_snapshot_preview1"` or `"wasi_unstable"`.
    pub fn module_name(self) -> &'static str {
        match self {
            WasiVersion::Preview1 => "wasi_snapshot_preview1",
            WasiVersion::Unstable => "wasi_unstable",
        }
    }
}

impl std::str::FromStr for WasiVersion {
    type Err = WasiError;
    /// `"preview1"` or `"unstable"`, as Node's `version` option.
    fn from_str(s: &str) -> Result<Self, WasiError> {
        match s {
            "preview1" => Ok(WasiVersion::Preview1),
            "unstable" => Ok(WasiVersion::Unstable),
            other => Err(WasiError::InvalidArgValue {
                name: "options.version".into(),
                value: other.to_string(),
                reason: "unsupported WASI version",
            }),
        }
    }
}

/// Node's constructor options. There is no `Default`: the version is always chosen.
#[derive(Debug)]
pub struct WasiOptions {
    /// The import module the guest uses.
    pub version: WasiVersion,
    /// Arguments; the first is conventionally the program name. Default none.
    pub args: Vec<String>,
    /// Environment in insertion order. Default empty; never inherited.
    pub env: Vec<(String, String)>,
    /// `(guest name, host directory)` in fd order 3, 4, ...
    pub preopens: Vec<(String, PathBuf)>,
    /// The permissions of `preopens[i]` (wisp's addition; Node has none). A preopen without
    /// an entry here is read-write, `(DirPerms::all(), FilePerms::all())`, as in Node. The
    /// rights each pair gives are [`FdRights::preopen`]'s; more entries than `preopens` is
    /// `InvalidArgValue`. Default empty.
    pub preopen_perms: Vec<(DirPerms, FilePerms)>,
    /// `proc_exit` returns to the embedder (`true`, default) or exits the process.
    pub return_on_exit: bool,
    /// Guest fd 0 (default host fd 0).
    pub stdin: Stdio,
    /// Guest fd 1 (default host fd 1).
    pub stdout: Stdio,
    /// Guest fd 2 (default host fd 2).
    pub stderr: Stdio,
}

impl WasiOptions {
    /// The defaults of Node's options for `version`.
    pub fn new(version: WasiVersion) -> Self {
        WasiOptions {
            version,
            args: Vec::new(),
            env: Vec::new(),
            preopens: Vec::new(),
            preopen_perms: Vec::new(),
            return_on_exit: true,
            stdin: Stdio::HostFd(0),
            stdout: Stdio::HostFd(1),
            stderr: Stdio::HostFd(2),
        }
    }
}

/// Builds [`WasiOptions`] the way a JS options object reads.
///
/// ```
/// use wisp_syscalls::{DirPerms, FilePerms, Stdio, Wasi, WasiVersion};
///
/// let tmp = std::env::temp_dir();
/// let opts = Wasi::builder(WasiVersion::Preview1)
///     .arg("app")
///     .args(["--verbose", "input.txt"])
///     .env("LANG", "C")
///     .preopen("/scratch", &tmp)
///     .preopen_read_only("/config", &tmp)
///     .stdin(Stdio::Bytes(b"input".to_vec()))
///     .stdout(Stdio::Null)
///     .options();
/// assert_eq!(opts.args, ["app", "--verbose", "input.txt"]);
/// assert_eq!(opts.preopens[1].0, "/config");
/// assert_eq!(opts.preopen_perms[1], (DirPerms::READ, FilePerms::READ));
///
/// // `build` is `Wasi::new(options)`: it validates and opens the preopens (fds 3 and 4).
/// let wasi = Wasi::new(opts)?;
/// assert_eq!(wasi.ctx().table().preopens().count(), 2);
/// # Ok::<(), wisp_syscalls::WasiError>(())
/// ```
#[derive(Debug)]
pub struct WasiBuilder {
    opts: WasiOptions,
}

impl WasiBuilder {
    /// Appends one argument.
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.opts.args.push(arg.into());
        self
    }
    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.opts.args.extend(args.into_iter().map(Into::into));
        self
    }
    /// Adds one environment entry.
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.opts.env.push((key.into(), value.into()));
        self
    }
    /// Adds environment entries (e.g. `std::env::vars()`, as an explicit opt-in).
    pub fn envs<I: IntoIterator<Item = (K, V)>, K: Into<String>, V: Into<String>>(
        mut self,
        vars: I,
    ) -> Self {
        self.opts
            .env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }
    /// Preopens host directory `host` as guest directory `guest`, read-write (as Node does):
    /// [`preopen_with`](Self::preopen_with) with [`DirPerms::all()`] and
    /// [`FilePerms::all()`].
    pub fn preopen(self, guest: impl Into<String>, host: impl Into<PathBuf>) -> Self {
        self.preopen_with(guest, host, DirPerms::all(), FilePerms::all())
    }

    /// Preopens host directory `host` as guest directory `guest` with permissions
    /// `dir_perms` for it and the directories beneath, and `file_perms` for the files opened
    /// beneath (wasmtime's `preopened_dir`).
    ///
    /// The preopen holds [`FdRights::preopen`]`(dir_perms, file_perms)`, which
    /// `fd_fdstat_get` reports. What a missing permission withholds is refused like any
    /// missing right, with `NOTCAPABLE` (76), before anything is touched: without
    /// [`DirPerms::MUTATE`], `path_create_directory`, `path_open` with CREAT or TRUNC,
    /// `path_link`, `path_rename` (either side), `path_symlink`, `path_unlink_file`,
    /// `path_remove_directory`, `path_filestat_set_times` and `fd_filestat_set_times`;
    /// without [`FilePerms::WRITE`], any `path_open` asking for FD_WRITE, FD_ALLOCATE,
    /// FD_FILESTAT_SET_SIZE, FD_FILESTAT_SET_TIMES, FD_DATASYNC or FD_SYNC (or DSYNC, RSYNC,
    /// SYNC fdflags), so no host file beneath is ever opened for writing. wasi-libc asks only
    /// for the rights the directory passes on, so its `open(path, O_WRONLY)` succeeds with a
    /// read-only fd and the `write` fails with `ENOTCAPABLE`. Descriptors opened beneath
    /// inherit the narrowing (`..`, symlinks and subdirectories never widen it), and
    /// `fd_fdstat_set_rights` cannot widen it.
    ///
    /// Permissions belong to the descriptor, not to the host files: another preopen of the
    /// same host tree (or an ancestor) keeps its own rights.
    ///
    /// ```
    /// use wisp_interp::{Linker, Module, Store};
    /// use wisp_syscalls::{DirPerms, FilePerms, Wasi, WasiVersion};
    ///
    /// let dir = tempfile::tempdir()?;
    /// // The guest creates the directory `new` in its preopen (fd 3) and exits with the errno.
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "wasi_snapshot_preview1" "path_create_directory"
    ///         (func $mkdir (param i32 i32 i32) (result i32)))
    ///     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    ///     (memory (export "memory") 1)
    ///     (data (i32.const 0) "new")
    ///     (func (export "_start")
    ///         (call $exit (call $mkdir (i32.const 3) (i32.const 0) (i32.const 3)))))"#)?;
    /// let module = Module::new(&wasm)?;
    /// let run = |dir_perms, file_perms| -> Result<i32, Box<dyn std::error::Error>> {
    ///     let mut wasi = Wasi::builder(WasiVersion::Preview1)
    ///         .preopen_with("/data", dir.path(), dir_perms, file_perms)
    ///         .build()?;
    ///     let mut linker = Linker::new();
    ///     wasi.import_object().add_to_linker(&mut linker);
    ///     let mut store = Store::new(());
    ///     let instance = linker.instantiate(&mut store, &module)?;
    ///     Ok(wasi.start(&mut store, instance)?)
    /// };
    ///
    /// assert_eq!(run(DirPerms::READ, FilePerms::READ)?, 76); // NOTCAPABLE
    /// assert!(!dir.path().join("new").exists());
    /// assert_eq!(run(DirPerms::all(), FilePerms::all())?, 0);
    /// assert!(dir.path().join("new").is_dir());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn preopen_with(
        mut self,
        guest: impl Into<String>,
        host: impl Into<PathBuf>,
        dir_perms: DirPerms,
        file_perms: FilePerms,
    ) -> Self {
        // `preopen_perms[i]` belongs to `preopens[i]`; the builder keeps them the same length.
        self.opts.preopens.push((guest.into(), host.into()));
        self.opts.preopen_perms.push((dir_perms, file_perms));
        self
    }

    /// Preopens host directory `host` as guest directory `guest`, read-only:
    /// [`preopen_with`](Self::preopen_with) with [`DirPerms::READ`] and
    /// [`FilePerms::READ`].
    pub fn preopen_read_only(self, guest: impl Into<String>, host: impl Into<PathBuf>) -> Self {
        self.preopen_with(guest, host, DirPerms::READ, FilePerms::READ)
    }
    /// Whether `proc_exit` returns to the embedder.
    pub fn return_on_exit(mut self, yes: bool) -> Self {
        self.opts.return_on_exit = yes;
        self
    }
    /// Guest stdin.
    pub fn stdin(mut self, s: Stdio) -> Self {
        self.opts.stdin = s;
        self
    }
    /// Guest stdout.
    pub fn stdout(mut self, s: Stdio) -> Self {
        self.opts.stdout = s;
        self
    }
    /// Guest stderr.
    pub fn stderr(mut self, s: Stdio) -> Self {
        self.opts.stderr = s;
        self
    }
    /// The options built so far.
    pub fn options(self) -> WasiOptions {
        self.opts
    }
    /// Validates the options and builds the instance.
    ///
    /// # Errors
    /// As [`Wasi::new`].
    pub fn build(self) -> Result<Wasi, WasiError> {
        Wasi::new(self.opts)
    }

    /// Validates the options and builds a bare [`WasiCtx`] for
    /// [`add_to_linker`](crate::add_to_linker), one per store: the same
    /// validation, in the same order, and the same fd table as [`build`](Self::build)
    /// (see [`WasiCtx::from_options`]). `return_on_exit` is the context's own;
    /// the version does not matter there, as `add_to_linker` defines both ABIs.
    ///
    /// ```
    /// use wisp_interp::{Linker, Module, Store};
    /// use wisp_syscalls::{Wasi, WasiCtx, WasiVersion};
    ///
    /// // The guest exits with status 7.
    /// let wasm = wat::parse_str(r#"(module
    ///     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    ///     (memory (export "memory") 1)
    ///     (func (export "_start") (call $exit (i32.const 7))))"#)?;
    /// let module = Module::new(&wasm)?;
    /// let mut linker = Linker::new();
    /// wisp_syscalls::add_to_linker(&mut linker, |cx: &mut WasiCtx| cx);
    ///
    /// let ctx = Wasi::builder(WasiVersion::Preview1).arg("app").build_ctx()?;
    /// let mut store = Store::new(ctx);
    /// let instance = linker.instantiate(&mut store, &module)?;
    /// let trap = instance
    ///     .get_typed_func::<(), ()>(&store, "_start")?
    ///     .call(&mut store, ())
    ///     .unwrap_err();
    /// assert_eq!(trap.exit_status(), Some(7));
    ///
    /// // The options are checked exactly as `build` checks them.
    /// let e = Wasi::builder(WasiVersion::Preview1).arg("a\0b").build_ctx().unwrap_err();
    /// assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Wasi::new`].
    pub fn build_ctx(self) -> Result<WasiCtx, WasiError> {
        WasiCtx::from_options(self.opts)
    }
}

/// The WASI functions bound to one [`Wasi`] instance (Node's `wasiImport`).
#[derive(Clone)]
pub struct WasiImport {
    access: Shared,
    version: WasiVersion,
}

impl fmt::Debug for WasiImport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WasiImport")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl WasiImport {
    /// The function names (46 for preview1, 45 for unstable, which has no `sock_accept`).
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        let unstable = self.version == WasiVersion::Unstable;
        link::PREVIEW1_FUNCTIONS
            .iter()
            .copied()
            .filter(move |n| !(unstable && *n == "sock_accept"))
    }

    /// Defines the functions in `linker` under `module`.
    pub fn add_to_linker<T: 'static>(&self, linker: &mut Linker<T>, module: &str) {
        link::define_all(
            linker,
            &self.access,
            module,
            self.version == WasiVersion::Unstable,
        );
    }

    /// The exact core type of a function, as a throwaway linker sees it.
    pub fn func_type(&self, name: &str) -> Option<FuncType> {
        let mut linker = Linker::<()>::new();
        self.add_to_linker(&mut linker, "m");
        linker.host_func_type("m", name).cloned()
    }
}

/// Node's `getImportObject()`: module name → functions; embedders add their
/// own host modules to the same linker.
#[derive(Debug, Clone)]
pub struct ImportObject {
    modules: Vec<(String, WasiImport)>,
}

impl ImportObject {
    /// The module names, e.g. `["wasi_snapshot_preview1"]`.
    pub fn module_names(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|(n, _)| n.as_str())
    }

    /// The functions of module `name`.
    pub fn get(&self, name: &str) -> Option<&WasiImport> {
        self.modules.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// Defines every module's functions in `linker`.
    pub fn add_to_linker<T: 'static>(&self, linker: &mut Linker<T>) {
        for (name, m) in &self.modules {
            m.add_to_linker(linker, name);
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum State {
    /// Options validated, nothing bound yet (a failed start before binding keeps this).
    Created,
    /// Memory bound: `start`/`initialize`/`finalize_bindings` can never run again.
    Bound,
}

/// One WASI instance: Node's `WASI` class. `Send`, so instances can run on worker threads.
///
/// ```
/// use wisp_interp::{Linker, Module, Store};
/// use wisp_syscalls::{SharedBuffer, Stdio, Wasi, WasiVersion};
///
/// // Doctests run in `syscalls/`; the fixture prints a greeting, then each argument.
/// let module = Module::from_file("../fixtures/wasm/hello.wasm")?;
/// let out = SharedBuffer::new();
/// let mut wasi = Wasi::builder(WasiVersion::Preview1)
///     .args(["hello", "world"])
///     .stdout(Stdio::Capture(out.clone()))
///     .build()?;
/// let mut linker = Linker::new();
/// wasi.import_object().add_to_linker(&mut linker);
/// let mut store = Store::new(());
/// let instance = linker.instantiate(&mut store, &module)?;
/// assert_eq!(wasi.start(&mut store, instance)?, 0);
/// assert_eq!(out.to_string_lossy(), "Hello from wisp!\nworld\n");
/// // Exactly one of start, initialize and finalize_bindings ever succeeds.
/// assert_eq!(wasi.start(&mut store, instance).unwrap_err().code(), "ERR_WASI_ALREADY_STARTED");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Wasi {
    ctx: SharedCtx,
    /// Stamped on every function this `Wasi` defines, so `start` can tell its own.
    provider: Provider,
    version: WasiVersion,
    state: State,
}

impl fmt::Debug for Wasi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wasi")
            .field("version", &self.version)
            .field("state", &self.state)
            .finish()
    }
}

fn check_string(name: &'static str, value: &str) -> Result<(), WasiError> {
    if value.contains('\0') {
        return Err(WasiError::InvalidArgValue {
            name: name.into(),
            value: value.replace('\0', "\\0"),
            reason: "must not contain null bytes",
        });
    }
    Ok(())
}

fn open_preopen(host: &std::path::Path) -> Result<rustix::fd::OwnedFd, WasiError> {
    use rustix::fs::{Mode, OFlags};
    let init = |errno: Errno| WasiError::Init {
        errno,
        syscall: "uvwasi_init",
        what: host.display().to_string(),
    };
    let fd = rustix::fs::open(
        host,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| init(Errno::from(e)))?;
    Ok(fd)
}

impl WasiCtx {
    /// Validates `opts` and builds the context, exactly as [`Wasi::new`] does
    /// (same checks, same order, same errors): the context the linker pattern
    /// ([`add_to_linker`](crate::add_to_linker)) keeps in each store's data.
    /// [`WasiBuilder::build_ctx`] is the same from a builder.
    ///
    /// # Errors
    /// As [`Wasi::new`].
    pub fn from_options(opts: WasiOptions) -> Result<WasiCtx, WasiError> {
        for a in &opts.args {
            check_string("options.args", a)?;
        }
        for (k, v) in &opts.env {
            check_string("options.env", k)?;
            check_string("options.env", v)?;
            if k.is_empty() {
                return Err(WasiError::InvalidArgValue {
                    name: "options.env".into(),
                    value: format!("={v}"),
                    reason: "must not have an empty key",
                });
            }
        }
        for (guest, _) in &opts.preopens {
            check_string("options.preopens", guest)?;
        }
        if opts.preopen_perms.len() > opts.preopens.len() {
            return Err(WasiError::InvalidArgValue {
                name: "options.preopen_perms".into(),
                value: format!("{} entries", opts.preopen_perms.len()),
                reason: "has more entries than options.preopens",
            });
        }
        for (name, s) in [
            ("options.stdin", &opts.stdin),
            ("options.stdout", &opts.stdout),
            ("options.stderr", &opts.stderr),
        ] {
            if let Stdio::HostFd(n) = s
                && *n < 0
            {
                return Err(WasiError::OutOfRange {
                    name: name.into(),
                    range: ">= 0 && <= 2147483647",
                    received: n.to_string(),
                });
            }
        }
        let mut cx = WasiCtx::new();
        cx.unstable = opts.version == WasiVersion::Unstable;
        cx.return_on_exit = opts.return_on_exit;
        cx.args = opts.args;
        cx.env = opts
            .env
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for (fd, (name, s)) in [
            ("options.stdin", opts.stdin),
            ("options.stdout", opts.stdout),
            ("options.stderr", opts.stderr),
        ]
        .into_iter()
        .enumerate()
        {
            let entry = stdio_entry(fd as u32, s).map_err(|errno| WasiError::Init {
                errno,
                syscall: "uvwasi_init",
                what: name.to_string(),
            })?;
            cx.table
                .insert_at(fd as u32, entry)
                .map_err(|e| WasiError::Init {
                    errno: e.into(),
                    syscall: "uvwasi_init",
                    what: name.to_string(),
                })?;
        }
        for (i, (guest, host)) in opts.preopens.iter().enumerate() {
            let dir = open_preopen(host)?;
            let (dir_perms, file_perms) = opts
                .preopen_perms
                .get(i)
                .copied()
                .unwrap_or((DirPerms::all(), FilePerms::all()));
            let rights = FdRights::preopen(dir_perms, file_perms);
            let entry = Entry::new(Host::Owned(dir), Filetype::Directory, rights)
                .with_preopen(guest.clone());
            cx.table
                .insert_at(3 + i as u32, entry)
                .map_err(|e| WasiError::Init {
                    errno: e.into(),
                    syscall: "uvwasi_init",
                    what: host.display().to_string(),
                })?;
        }
        Ok(cx)
    }
}

impl Wasi {
    /// Validates `opts` in Node's order — version, strings, stdio fds, stdio,
    /// preopens in order — and builds the fd table. The first failure wins.
    ///
    /// # Errors
    /// `InvalidArgValue` for a NUL in an argument, env entry or preopen name,
    /// an empty env key, or more `preopen_perms` than `preopens`; `OutOfRange` for a negative stdio fd; `Init` for a
    /// stdio host fd that is not open or a preopen that is missing
    /// (`NOENT`), not a directory (`NOTDIR`) or unreadable (`ACCES`).
    pub fn new(opts: WasiOptions) -> Result<Wasi, WasiError> {
        let version = opts.version;
        let cx = WasiCtx::from_options(opts)?;
        Ok(Wasi {
            ctx: Arc::new(Mutex::new(cx)),
            provider: Provider::fresh(),
            version,
            state: State::Created,
        })
    }

    /// A builder for `version`.
    pub fn builder(version: WasiVersion) -> WasiBuilder {
        WasiBuilder {
            opts: WasiOptions::new(version),
        }
    }

    /// The version chosen.
    pub fn version(&self) -> WasiVersion {
        self.version
    }

    /// The WASI functions bound to this instance (Node's `wasiImport`).
    pub fn wasi_import(&self) -> WasiImport {
        WasiImport {
            access: Shared {
                ctx: self.ctx.clone(),
                provider: self.provider,
            },
            version: self.version,
        }
    }

    /// The identity stamped on this instance's functions
    /// ([`Func::provider`](wisp_interp::Func::provider) gives it back).
    pub fn provider(&self) -> Provider {
        self.provider
    }

    /// A fresh import object with exactly one module, named by the version.
    pub fn import_object(&self) -> ImportObject {
        ImportObject {
            modules: vec![(self.version.module_name().to_string(), self.wasi_import())],
        }
    }

    /// The context (args, env, fd table), locked.
    pub fn ctx(&self) -> MutexGuard<'_, WasiCtx> {
        link::lock(&self.ctx)
    }

    /// Refuses an instance whose WASI imports are not this `Wasi`'s functions.
    fn check_imports<T>(&self, store: &Store<T>, instance: Instance) -> Result<(), WasiError> {
        if !instance.belongs_to(store) {
            return Err(type_error(
                "instance",
                "an instance of the given store",
                format!("an instance of {}", instance.store_id()),
            ));
        }
        for (module, name, ext) in instance.imports(store) {
            if module != WasiVersion::Preview1.module_name()
                && module != WasiVersion::Unstable.module_name()
            {
                continue;
            }
            if let Extern::Func(f) = ext
                && f.provider(store) != Some(self.provider)
            {
                return Err(WasiError::ForeignImports {
                    import: format!("{module}::{name}"),
                });
            }
        }
        Ok(())
    }

    /// Node's steps 1–4: not yet started, the WASI imports are ours (wisp's
    /// check), `memory` is a memory, bind it with the instance.
    fn bind<T>(
        &mut self,
        store: &Store<T>,
        instance: Instance,
        memory: Option<Memory>,
    ) -> Result<(), WasiError> {
        if self.state != State::Created {
            return Err(WasiError::AlreadyStarted);
        }
        self.check_imports(store, instance)?;
        let memory = match memory {
            Some(m) => m,
            None => match instance.get_export(store, "memory") {
                Some(Extern::Memory(m)) => m,
                other => {
                    return Err(WasiError::InvalidArgType {
                        name: "instance.exports.memory".into(),
                        expected: "WebAssembly.Memory".into(),
                        actual: describe(other),
                    });
                }
            },
        };
        link::lock(&self.ctx).binding = Some(Binding { instance, memory });
        self.state = State::Bound;
        Ok(())
    }

    /// Binds the instance's memory and runs `_start`; gives the exit code:
    /// 0 when `_start` returns, `n` on `proc_exit(n)` (signed, unmodified).
    ///
    /// # Errors
    /// `AlreadyStarted`; `ForeignImports` when a WASI import of `instance` is
    /// not this `Wasi`'s function (nothing runs, the object stays usable);
    /// `InvalidArgType` for an instance of another store or a missing `memory`
    /// (the object stays usable), a missing or mistyped `_start` or a present
    /// `_initialize` (the object stays bound); `Trap` when the guest traps.
    ///
    /// Once bound, this `Wasi`'s functions serve only `instance`: called from
    /// any other instance or store they trap, naming the misuse.
    pub fn start<T>(&mut self, store: &mut Store<T>, instance: Instance) -> Result<i32, WasiError> {
        self.bind(store, instance, None)?;
        let start = entry_point(store, instance, "_start")?
            .ok_or_else(|| type_error("instance.exports._start", "function", "undefined".into()))?;
        if instance.get_export(&*store, "_initialize").is_some() {
            return Err(type_error(
                "instance.exports._initialize",
                "undefined",
                "function".into(),
            ));
        }
        let result = start.call(&mut *store, ());
        link::lock(&self.ctx).flush_stdio();
        match result {
            Ok(()) => Ok(0),
            Err(t) => match t.exit_status() {
                Some(code) => Ok(code),
                None => Err(WasiError::from_trap(t)),
            },
        }
    }

    /// Binds the instance's memory and runs `_initialize` if it is exported.
    ///
    /// # Errors
    /// As [`Wasi::start`], with `_start` forbidden instead; `Exit` if the
    /// guest calls `proc_exit` during `_initialize`.
    pub fn initialize<T>(
        &mut self,
        store: &mut Store<T>,
        instance: Instance,
    ) -> Result<(), WasiError> {
        self.bind(store, instance, None)?;
        if instance.get_export(&*store, "_start").is_some() {
            return Err(type_error(
                "instance.exports._start",
                "undefined",
                "function".into(),
            ));
        }
        if let Some(init) = entry_point(store, instance, "_initialize")? {
            let result = init.call(&mut *store, ());
            link::lock(&self.ctx).flush_stdio();
            if let Err(t) = result {
                return Err(match t.exit_status() {
                    Some(code) => WasiError::Exit(code),
                    None => WasiError::from_trap(t),
                });
            }
        }
        Ok(())
    }

    /// Binds a memory (the given one, or the export `memory`) without running anything.
    ///
    /// # Errors
    /// `AlreadyStarted`, `ForeignImports` as in [`Wasi::start`], or
    /// `InvalidArgType` when there is no memory.
    pub fn finalize_bindings<T>(
        &mut self,
        store: &Store<T>,
        instance: Instance,
        memory: Option<Memory>,
    ) -> Result<(), WasiError> {
        self.bind(store, instance, memory)
    }
}

fn type_error(name: &'static str, expected: &'static str, actual: String) -> WasiError {
    WasiError::InvalidArgType {
        name: name.into(),
        expected: expected.into(),
        actual,
    }
}

fn describe(e: Option<Extern>) -> String {
    match e {
        None => "undefined".into(),
        Some(Extern::Func(_)) => "function".into(),
        Some(Extern::Table(_)) => "an instance of WebAssembly.Table".into(),
        Some(Extern::Memory(_)) => "an instance of WebAssembly.Memory".into(),
        Some(Extern::Global(_)) => "an instance of WebAssembly.Global".into(),
    }
}

/// `_start`/`_initialize`: absent, or a function of type `[] -> []`.
fn entry_point<T>(
    store: &Store<T>,
    instance: Instance,
    name: &'static str,
) -> Result<Option<wisp_interp::TypedFunc<(), ()>>, WasiError> {
    let full: &'static str = if name == "_start" {
        "instance.exports._start"
    } else {
        "instance.exports._initialize"
    };
    match instance.get_export(store, name) {
        None => Ok(None),
        Some(Extern::Func(f)) => f.typed::<(), ()>(store).map(Some).map_err(|_| {
            type_error(
                full,
                "function () -> ()",
                format!("function {}", f.ty(store)),
            )
        }),
        other => Err(type_error(full, "function", describe(other))),
    }
}
