//! `WasiCtx`: what one WASI instance knows — args, env, the fd table, the
//! sandbox resolver, the bound memory — and the stdio streams that are not
//! host fds.

use crate::errno::Errno;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use wisp_fdtable::{Entry, FdRights, FdTable, Filetype, Host};
use wisp_interp::{Instance, Memory};

/// A stdio stream implemented by the embedder, plugged in with [`Stdio::Custom`].
///
/// Every method has a default, so a stream implements only the directions it serves. Guest
/// reads and writes reach it unbuffered (W1); `flush` runs when `start` or `initialize`
/// returns and before `proc_exit` leaves the process.
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use wisp_interp::{Linker, Module, Store};
/// use wisp_syscalls::{Stdio, StdioStream, Wasi, WasiVersion};
///
/// /// Counts the bytes written and discards them.
/// struct Counter(Arc<AtomicUsize>);
///
/// impl StdioStream for Counter {
///     fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
///         self.0.fetch_add(buf.len(), Ordering::Relaxed);
///         Ok(buf.len())
///     }
/// }
///
/// let written = Arc::new(AtomicUsize::new(0));
/// let module = Module::from_file("../fixtures/wasm/hello.wasm")?;
/// let mut wasi = Wasi::builder(WasiVersion::Preview1)
///     .stdout(Stdio::Custom(Box::new(Counter(written.clone()))))
///     .build()?;
/// let mut linker = Linker::new();
/// wasi.import_object().add_to_linker(&mut linker);
/// let mut store = Store::new(());
/// let instance = linker.instantiate(&mut store, &module)?;
/// wasi.start(&mut store, instance)?;
/// assert_eq!(written.load(Ordering::Relaxed), "Hello from wisp!\n".len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait StdioStream: Send {
    /// Reads into `buf`; 0 means end of input. The default is always at end.
    ///
    /// # Errors
    /// A host I/O error, reported to the guest as its errno.
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let _ = buf;
        Ok(0)
    }

    /// Writes from `buf`, returning how much was taken. The default discards.
    ///
    /// # Errors
    /// A host I/O error, reported to the guest as its errno.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }

    /// Pushes buffered output to its destination.
    ///
    /// # Errors
    /// A host I/O error.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A byte buffer shared between the embedder and a guest's stdout or stderr: clones share
/// the same bytes, so keep one and hand the other to [`Stdio::Capture`].
///
/// ```
/// use wisp_interp::{Linker, Module, Store};
/// use wisp_syscalls::{SharedBuffer, Stdio, Wasi, WasiVersion};
///
/// let out = SharedBuffer::new();
/// let module = Module::from_file("../fixtures/wasm/hello.wasm")?;
/// let mut wasi = Wasi::builder(WasiVersion::Preview1)
///     .args(["hello", "there"])
///     .stdout(Stdio::Capture(out.clone()))
///     .build()?;
/// let mut linker = Linker::new();
/// wasi.import_object().add_to_linker(&mut linker);
/// let mut store = Store::new(());
/// let instance = linker.instantiate(&mut store, &module)?;
/// wasi.start(&mut store, instance)?;
/// assert_eq!(out.contents(), b"Hello from wisp!\nthere\n");
/// assert_eq!(out.to_string_lossy().lines().count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.0.lock().map(|b| b.clone()).unwrap_or_default()
    }

    /// Everything written so far, as (lossy) UTF-8.
    pub fn to_string_lossy(&self) -> String {
        String::from_utf8_lossy(&self.contents()).into_owned()
    }

    fn append(&self, data: &[u8]) {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(data);
        }
    }
}

/// Where a guest stdio descriptor is backed on the host (Node's
/// `stdin`/`stdout`/`stderr` options, plus in-memory streams).
///
/// The default for each is [`Stdio::HostFd`] 0, 1 or 2. In-memory streams report
/// SOCKET_STREAM with no seek rights, as a pipe does under Node (F8).
///
/// ```
/// use wisp_interp::{Linker, Module, Store};
/// use wisp_syscalls::{SharedBuffer, Stdio, Wasi, WasiVersion};
///
/// let (out, err) = (SharedBuffer::new(), SharedBuffer::new());
/// let module = Module::from_file("../fixtures/wasm/hello.wasm")?;
/// let mut wasi = Wasi::builder(WasiVersion::Preview1)
///     .stdin(Stdio::Bytes(b"never read\n".to_vec()))
///     .stdout(Stdio::Capture(out.clone()))
///     .stderr(Stdio::Capture(err.clone()))
///     .build()?;
/// let mut linker = Linker::new();
/// wasi.import_object().add_to_linker(&mut linker);
/// let mut store = Store::new(());
/// let instance = linker.instantiate(&mut store, &module)?;
/// wasi.start(&mut store, instance)?;
/// assert_eq!(out.to_string_lossy(), "Hello from wisp!\n");
/// assert!(err.contents().is_empty());
///
/// // A negative host fd is refused before anything is opened, as in Node.
/// let e = Wasi::builder(WasiVersion::Preview1).stdout(Stdio::HostFd(-1)).build().unwrap_err();
/// assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub enum Stdio {
    /// A host fd number (Node's default: 0, 1, 2). Closing the guest fd never
    /// closes the host's.
    HostFd(i32),
    /// Reads see end of input; writes are discarded.
    Null,
    /// Fixed input (stdin).
    Bytes(Vec<u8>),
    /// Output collected in memory (stdout, stderr).
    Capture(SharedBuffer),
    /// Anything implementing [`StdioStream`].
    Custom(Box<dyn StdioStream>),
}

impl core::fmt::Debug for Stdio {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Stdio::HostFd(n) => write!(f, "HostFd({n})"),
            Stdio::Null => f.write_str("Null"),
            Stdio::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Stdio::Capture(_) => f.write_str("Capture"),
            Stdio::Custom(_) => f.write_str("Custom"),
        }
    }
}

/// An in-memory stdio stream, as kept in the fd table.
pub enum Stream {
    /// Empty input, discarded output.
    Null,
    /// Fixed input and the read position.
    Bytes(std::io::Cursor<Vec<u8>>),
    /// Collected output.
    Capture(SharedBuffer),
    /// The embedder's stream.
    Custom(Box<dyn StdioStream>),
}

impl Stream {
    /// Reads into `buf`; output-only streams read as end of input.
    ///
    /// # Errors
    /// Host errors of custom streams, mapped by name.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        match self {
            Stream::Null | Stream::Capture(_) => Ok(0),
            Stream::Bytes(c) => Ok(c.read(buf).unwrap_or(0)),
            Stream::Custom(s) => s.read(buf).map_err(Errno::from),
        }
    }

    /// Writes `buf`, returning the count taken.
    ///
    /// # Errors
    /// Host errors of custom streams, mapped by name.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        match self {
            Stream::Null | Stream::Bytes(_) => Ok(buf.len()),
            Stream::Capture(b) => {
                b.append(buf);
                Ok(buf.len())
            }
            Stream::Custom(s) => s.write(buf).map_err(Errno::from),
        }
    }

    /// Bytes a read would return now (for `poll_oneoff`).
    pub fn readable(&self) -> u64 {
        match self {
            Stream::Bytes(c) => (c.get_ref().len() as u64).saturating_sub(c.position()),
            _ => 0,
        }
    }

    /// Flushes custom streams.
    pub fn flush(&mut self) {
        if let Stream::Custom(s) = self {
            let _ = s.flush();
        }
    }
}

/// The instance a context serves and the memory its calls read and write.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Binding {
    pub(crate) instance: Instance,
    pub(crate) memory: Memory,
}

/// Everything one WASI instance knows: args, env, the fd table, preopens,
/// `return_on_exit`, and the instance and memory it serves.
///
/// A `Wasi` keeps one behind a mutex; with [`add_to_linker`](crate::add_to_linker)
/// each store's data owns one, built by
/// [`WasiBuilder::build_ctx`](crate::WasiBuilder::build_ctx). `WasiCtx` is `Send`,
/// so a `Store` whose data holds it can move to another thread.
pub struct WasiCtx {
    /// Arguments, each without NUL.
    pub(crate) args: Vec<String>,
    /// Environment entries as `KEY=VALUE`.
    pub(crate) env: Vec<String>,
    /// The descriptor table.
    pub(crate) table: FdTable<Stream>,
    /// Resolves guest paths beneath directory fds.
    pub(crate) resolver: wisp_sandbox::Resolver,
    /// The instance and memory calls use: for a `Wasi`, bound by
    /// `start`/`initialize`/`finalize_bindings`; with `add_to_linker`, the last
    /// calling instance and its exported memory (a cache of the export lookup).
    pub(crate) binding: Option<Binding>,
    /// Whether `proc_exit` returns to the embedder (`true`) or exits the process.
    pub(crate) return_on_exit: bool,
    /// Whether this instance speaks snapshot 0 (`wasi_unstable`).
    pub(crate) unstable: bool,
}

impl core::fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args)
            .field("env", &self.env)
            .field("fds", &self.table.len())
            .finish_non_exhaustive()
    }
}

impl WasiCtx {
    /// An empty context: no args, no env, no descriptors.
    pub fn new() -> Self {
        WasiCtx {
            args: Vec::new(),
            env: Vec::new(),
            table: FdTable::new(),
            resolver: wisp_sandbox::Resolver::new(),
            binding: None,
            return_on_exit: true,
            unstable: false,
        }
    }

    /// The fd table.
    pub fn table(&self) -> &FdTable<Stream> {
        &self.table
    }

    /// The fd table, writable.
    pub fn table_mut(&mut self) -> &mut FdTable<Stream> {
        &mut self.table
    }

    /// Uses the manual path walk only (no `openat2` fast path), e.g. for tests
    /// that hold the fast path to the reference.
    pub fn use_manual_resolver(&mut self) {
        self.resolver = wisp_sandbox::Resolver::manual();
    }

    /// Flushes every stream-backed stdio descriptor.
    pub fn flush_stdio(&mut self) {
        for fd in 0..3 {
            if let Ok(e) = self.table.get_mut(fd, wisp_fdtable::Rights::empty())
                && let Some(s) = e.host_mut().stream_mut()
            {
                s.flush();
            }
        }
    }
}

impl Default for WasiCtx {
    fn default() -> Self {
        Self::new()
    }
}

/// Builds the entry for guest fd `fd` (0, 1 or 2) from a [`Stdio`].
pub(crate) fn stdio_entry(fd: u32, stdio: Stdio) -> Result<Entry<Stream>, Errno> {
    // In-memory streams behave like pipes: Node reports pipes as SOCKET_STREAM (F8).
    let stream = |s: Stream| {
        Entry::new(
            Host::Stream(s),
            Filetype::SocketStream,
            FdRights::for_filetype(Filetype::SocketStream, false),
        )
    };
    Ok(match stdio {
        Stdio::Null => stream(Stream::Null),
        Stdio::Bytes(b) => stream(Stream::Bytes(std::io::Cursor::new(b))),
        Stdio::Capture(b) => stream(Stream::Capture(b)),
        Stdio::Custom(s) => stream(Stream::Custom(s)),
        Stdio::HostFd(n) => {
            let host = match n {
                0 => Host::stdin(),
                1 => Host::stdout(),
                2 => Host::stderr(),
                n if n < 0 => return Err(Errno::Badf),
                // Other host fds are reopened through /proc: same file, our own handle.
                n => {
                    let path = format!("/proc/self/fd/{n}");
                    let flags = if fd == 0 {
                        rustix::fs::OFlags::RDONLY
                    } else {
                        rustix::fs::OFlags::WRONLY
                    };
                    let owned = rustix::fs::open(
                        path.as_str(),
                        flags | rustix::fs::OFlags::CLOEXEC,
                        rustix::fs::Mode::empty(),
                    )
                    .map_err(|_| Errno::Badf)?;
                    Host::Owned(owned)
                }
            };
            let Some(bfd) = host.fd() else {
                return Err(Errno::Badf);
            };
            let st = rustix::fs::fstat(bfd).map_err(|_| Errno::Badf)?;
            let filetype = Filetype::from_host(rustix::fs::FileType::from_raw_mode(st.st_mode));
            let is_tty = rustix::termios::isatty(bfd);
            Entry::new(host, filetype, FdRights::for_filetype(filetype, is_tty))
        }
    })
}

/// Standard output of the host, flushed (used before exiting the process).
pub(crate) fn flush_host_stdio() {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
}
