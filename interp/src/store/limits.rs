//! Resource limits an embedder sets on a store: a [`ResourceLimiter`] it
//! implements, asked before any memory or table grows and before objects are
//! made, and [`StoreLimits`], a ready-made store-wide budget.

use crate::error::Error;

/// Decides, for one store, whether memories and tables may grow and how many
/// instances, memories and tables may exist.
///
/// Install one with [`Store::set_limiter`](crate::Store::set_limiter). Growth is
/// asked of it after the type's maximum and the store's [`Config`](crate::Config)
/// limits have allowed it, so `desired` never exceeds `maximum`. Creating a
/// memory or table asks for growth from 0 to its initial size.
///
/// The answer `Ok(false)` refuses: `memory.grow`/`table.grow` return -1 inside
/// wasm, the host API and instantiation return an
/// [`ErrorKind::Limit`](crate::ErrorKind::Limit) error. `Err(e)` refuses too,
/// and inside wasm becomes a trap carrying `e`.
///
/// ```
/// use wisp_interp::{Error, Linker, Module, ResourceLimiter, Store};
///
/// /// Lets memories grow to 4 pages (256 KiB), no further.
/// struct Small;
/// impl ResourceLimiter for Small {
///     fn memory_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>)
///         -> Result<bool, Error> {
///         Ok(desired <= 4 * 65536)
///     }
///     fn table_growing(&mut self, _current: u32, _desired: u32, _max: Option<u32>)
///         -> Result<bool, Error> {
///         Ok(true)
///     }
/// }
///
/// let wasm = wat::parse_str(r#"(module (memory 1)
///     (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#)?;
/// let mut store = Store::new(());
/// store.set_limiter(Small);
/// let instance = Linker::new().instantiate(&mut store, &Module::new(&wasm)?)?;
/// let grow = instance.get_typed_func::<i32, i32>(&store, "grow")?;
/// assert_eq!(grow.call(&mut store, 3)?, 1); // 1 -> 4 pages: allowed
/// assert_eq!(grow.call(&mut store, 1)?, -1); // 5 pages: refused
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait ResourceLimiter: Send {
    /// A memory wants to grow from `current` to `desired` bytes (`maximum`:
    /// the most it may ever have, if bounded).
    ///
    /// # Errors
    /// An error refuses the growth; inside wasm it becomes a trap.
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool, Error>;

    /// A growth this limiter allowed failed anyway (the host could not map
    /// the memory): undo what `memory_growing` counted.
    fn memory_grow_failed(&mut self, current: usize, desired: usize) {
        let _ = (current, desired);
    }

    /// A table wants to grow from `current` to `desired` elements.
    ///
    /// # Errors
    /// An error refuses the growth; inside wasm it becomes a trap.
    fn table_growing(
        &mut self,
        current: u32,
        desired: u32,
        maximum: Option<u32>,
    ) -> Result<bool, Error>;

    /// A growth this limiter allowed failed anyway: undo what
    /// `table_growing` counted.
    fn table_grow_failed(&mut self, current: u32, desired: u32) {
        let _ = (current, desired);
    }

    /// The most instances the store may hold.
    fn instances(&self) -> usize {
        usize::MAX
    }

    /// The most memories the store may hold (defined and created by the host).
    fn memories(&self) -> usize {
        usize::MAX
    }

    /// The most tables the store may hold.
    fn tables(&self) -> usize {
        usize::MAX
    }
}

/// A store-wide budget: total linear-memory bytes and table elements over
/// every memory and table of the store, and counts of instances, memories and
/// tables. Built with [`StoreLimitsBuilder`]; every limit defaults to none.
///
/// ```
/// use wisp_interp::{Linker, Module, Store, StoreLimitsBuilder};
///
/// let wasm = wat::parse_str(r#"(module (memory (export "m") 2))"#)?;
/// let module = Module::new(&wasm)?;
/// let mut store = Store::new(());
/// store.set_limiter(StoreLimitsBuilder::new().memory_bytes(3 * 65536).instances(10).build());
/// Linker::new().instantiate(&mut store, &module)?; // 2 pages of 3
/// assert!(Linker::new().instantiate(&mut store, &module).is_err()); // 4 > 3
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct StoreLimits {
    memory_bytes: usize,
    table_elements: u64,
    instances: usize,
    memories: usize,
    tables: usize,
    memory_used: usize,
    table_used: u64,
}

impl StoreLimits {
    /// Linear-memory bytes in use over all memories, as counted by this limiter.
    pub fn memory_used(&self) -> usize {
        self.memory_used
    }

    /// Table elements in use over all tables, as counted by this limiter.
    pub fn table_elements_used(&self) -> u64 {
        self.table_used
    }
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits {
            memory_bytes: usize::MAX,
            table_elements: u64::MAX,
            instances: usize::MAX,
            memories: usize::MAX,
            tables: usize::MAX,
            memory_used: 0,
            table_used: 0,
        }
    }
}

/// Builds [`StoreLimits`].
#[derive(Clone, Debug, Default)]
pub struct StoreLimitsBuilder(StoreLimits);

impl StoreLimitsBuilder {
    /// No limits yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The most linear-memory bytes all memories of the store may have together.
    pub fn memory_bytes(mut self, bytes: usize) -> Self {
        self.0.memory_bytes = bytes;
        self
    }

    /// The most elements all tables of the store may have together.
    pub fn table_elements(mut self, elements: u64) -> Self {
        self.0.table_elements = elements;
        self
    }

    /// The most instances.
    pub fn instances(mut self, n: usize) -> Self {
        self.0.instances = n;
        self
    }

    /// The most memories.
    pub fn memories(mut self, n: usize) -> Self {
        self.0.memories = n;
        self
    }

    /// The most tables.
    pub fn tables(mut self, n: usize) -> Self {
        self.0.tables = n;
        self
    }

    /// The limits.
    pub fn build(self) -> StoreLimits {
        self.0
    }
}

impl ResourceLimiter for StoreLimits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, Error> {
        let more = desired.saturating_sub(current);
        match self.memory_used.checked_add(more) {
            Some(total) if total <= self.memory_bytes => {
                self.memory_used = total;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn memory_grow_failed(&mut self, current: usize, desired: usize) {
        self.memory_used = self
            .memory_used
            .saturating_sub(desired.saturating_sub(current));
    }

    fn table_growing(
        &mut self,
        current: u32,
        desired: u32,
        _maximum: Option<u32>,
    ) -> Result<bool, Error> {
        let more = u64::from(desired.saturating_sub(current));
        match self.table_used.checked_add(more) {
            Some(total) if total <= self.table_elements => {
                self.table_used = total;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn table_grow_failed(&mut self, current: u32, desired: u32) {
        self.table_used = self
            .table_used
            .saturating_sub(u64::from(desired.saturating_sub(current)));
    }

    fn instances(&self) -> usize {
        self.instances
    }

    fn memories(&self) -> usize {
        self.memories
    }

    fn tables(&self) -> usize {
        self.tables
    }
}

/// Asks `limiter` (if any) before a memory grows from `current` to `desired`
/// pages of at most `max` pages; `Ok(false)` refuses.
pub(crate) fn allow_memory(
    limiter: &mut Option<Box<dyn ResourceLimiter>>,
    current: u32,
    desired: u32,
    max: Option<u32>,
) -> Result<bool, Error> {
    const PAGE: usize = crate::store::memory::PAGE_SIZE;
    match limiter {
        None => Ok(true),
        Some(l) => l.memory_growing(
            current as usize * PAGE,
            desired as usize * PAGE,
            max.map(|m| m as usize * PAGE),
        ),
    }
}

/// As [`allow_memory`], for a table.
pub(crate) fn allow_table(
    limiter: &mut Option<Box<dyn ResourceLimiter>>,
    current: u32,
    desired: u32,
    max: Option<u32>,
) -> Result<bool, Error> {
    match limiter {
        None => Ok(true),
        Some(l) => l.table_growing(current, desired, max),
    }
}

/// Grows memory `m` by `delta` pages if its maximum and `limiter` allow: the
/// old size in pages, or `Ok(None)` when refused.
///
/// # Errors
/// The limiter's own error.
pub(crate) fn grow_memory(
    m: &mut crate::store::memory::MemoryEntity,
    limiter: &mut Option<Box<dyn ResourceLimiter>>,
    delta: u32,
) -> Result<Option<u32>, Error> {
    let old = m.pages();
    let Some(new) = old.checked_add(delta).filter(|&n| n <= m.max_pages()) else {
        return Ok(None);
    };
    if delta == 0 {
        return Ok(Some(old));
    }
    if !allow_memory(limiter, old, new, Some(m.max_pages()))? {
        return Ok(None);
    }
    let grown = m.grow(delta);
    if grown.is_none()
        && let Some(l) = limiter
    {
        const PAGE: usize = crate::store::memory::PAGE_SIZE;
        l.memory_grow_failed(old as usize * PAGE, new as usize * PAGE);
    }
    Ok(grown)
}

/// Grows table `t` by `delta` elements set to `init` if its maximum and
/// `limiter` allow: the old size, or `Ok(None)` when refused.
///
/// # Errors
/// The limiter's own error.
pub(crate) fn grow_table(
    t: &mut crate::store::TableEntity,
    limiter: &mut Option<Box<dyn ResourceLimiter>>,
    delta: u32,
    init: u64,
) -> Result<Option<u32>, Error> {
    let old = t.elems.len() as u32;
    let Some(new) = old.checked_add(delta).filter(|&n| n <= t.max) else {
        return Ok(None);
    };
    if delta == 0 {
        return Ok(Some(old));
    }
    if !allow_table(limiter, old, new, Some(t.max))? {
        return Ok(None);
    }
    let grown = t.grow(delta, init);
    if grown.is_none()
        && let Some(l) = limiter
    {
        l.table_grow_failed(old, new);
    }
    Ok(grown)
}
