//! The store: arenas of functions, memories, tables, globals and instances,
//! addressed by typed indices; the limits; the host data.

pub(crate) mod fuel;
mod func;
mod handle;
pub(crate) mod instantiate;
pub mod limits;
pub mod memory;

use crate::error::{Error, Trap};
pub use crate::handle::{ExternRef, Func, Global, Instance, Memory, StoreId, Table};
use crate::module::ImportKind;
use crate::module::{ExportIndex, ModuleInner};
use crate::stack::Stack;
use crate::types::{FuncType, GlobalType, Mutability, TableType, ValType};
use crate::value::Val;
pub use func::{Caller, Provider};
pub(crate) use func::{FuncEntity, FuncKind, HostFn, HostFuncEntity};
use limits::ResourceLimiter;
use memory::MemoryEntity;
use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

/// Limits that protect the host from a guest (and from itself).
///
/// Exceeding one is an [`Error`] at instantiation or a [`Trap`] at run time,
/// never an abort.
///
/// ```
/// use wisp_interp::{Config, Linker, Module, Store, TrapKind};
///
/// let wasm = wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#)?;
/// let module = Module::new(&wasm)?;
/// let config = Config { consume_fuel: true, max_call_depth: 1000, ..Config::default() };
/// let mut store = Store::with_config(config, ());
/// store.set_fuel(10_000)?;
/// let instance = Linker::new().instantiate(&mut store, &module)?;
/// let spin = instance.get_typed_func::<(), ()>(&store, "spin")?;
/// let trap = spin.call(&mut store, ()).unwrap_err();
/// assert!(matches!(trap.kind(), TrapKind::OutOfFuel));
/// assert!(store.get_fuel()? < 10);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Copy, Clone, Debug)]
pub struct Config {
    /// Largest size any memory may have, in 64 KiB pages (default 65536: 4 GiB).
    pub max_memory_pages: u32,
    /// Largest number of elements any table may have (default 10 000 000).
    pub max_table_elements: u32,
    /// Deepest nesting of wasm calls (default 100 000).
    pub max_call_depth: u32,
    /// Most 64-bit value-stack slots all frames together may use (default 8 Mi: 64 MiB).
    pub max_stack_slots: u32,
    /// Deepest nesting of host→wasm re-entry (host function calling back into wasm; default 100).
    pub max_reentry: u32,
    /// Meter execution with fuel (default `false`). The store starts with no fuel:
    /// give it some with [`Store::set_fuel`]. A call that runs out stops with
    /// [`TrapKind::OutOfFuel`](crate::error::TrapKind::OutOfFuel) (or suspends, in a
    /// resumable call: [`Func::call_resumable`](crate::Func::call_resumable)).
    ///
    /// The cost model: every wasm instruction costs 1, except the structural
    /// `block`, `loop`, `end`, `else` and `nop`, which cost 0. `call`,
    /// `call_indirect` cost 1, and the callee then pays for its own
    /// instructions; a call of a host function costs just that 1, unless the
    /// host charges more itself ([`Caller::set_fuel`](crate::Caller::set_fuel)).
    /// `memory.fill`, `memory.copy` and `memory.init` of `n` bytes cost
    /// `1 + n / 64`, `table.fill`, `table.copy` and `table.init` of `n`
    /// elements `1 + n / 8`; the size-dependent part is charged before the
    /// operation does anything, so a call that cannot pay leaves memory untouched.
    ///
    /// Fuel is charged per segment, wholly at its start (the scheme of wasmi):
    /// a segment starts at the function's entry, at each loop header (so every
    /// iteration pays) and at each arm of an `if`, and holds the instructions up
    /// to the end of its construct, including the code after the blocks, loops
    /// and `if`s nested in it (which runs at most once per entry). A segment
    /// left early by a branch, a trap or a call that does not return has paid
    /// for all its instructions; so a count is exact for code that runs to the
    /// end of each construct it enters, and an upper bound otherwise. A store
    /// given less fuel than a segment costs cannot start that segment.
    ///
    /// Metering runs a separately translated variant of each function (this
    /// switch or [`interruptible`](Config::interruptible) selects it); with
    /// both off, execution is exactly as unmetered code.
    pub consume_fuel: bool,
    /// Let the host stop a running call from another thread with an
    /// [`InterruptHandle`](crate::InterruptHandle) ([`Store::interrupt_handle`]),
    /// or at a [`Deadline`](crate::Deadline) (default `false`). The call stops at
    /// its next fuel check (each function entry, loop iteration and `if` arm:
    /// see [`consume_fuel`](Config::consume_fuel)), so even `(loop (br 0))` stops.
    /// Without `consume_fuel`, fuel is unlimited.
    pub interruptible: bool,
}

impl Config {
    /// Whether the store runs metered code (fuel checks at segment starts).
    #[inline(always)]
    pub(crate) fn metered(&self) -> bool {
        self.consume_fuel || self.interruptible
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_memory_pages: 65536,
            max_table_elements: 10_000_000,
            max_call_depth: 100_000,
            max_stack_slots: 8 << 20,
            max_reentry: 100,
            consume_fuel: false,
            interruptible: false,
        }
    }
}

/// Interned function types, so signature checks compare integers.
#[derive(Default)]
pub(crate) struct TypeRegistry {
    types: Vec<FuncType>,
    ids: HashMap<FuncType, u32>,
}

impl TypeRegistry {
    pub fn intern(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.ids.insert(ty.clone(), id);
        id
    }

    pub fn get(&self, id: u32) -> &FuncType {
        &self.types[id as usize]
    }
}

pub(crate) struct TableEntity {
    pub ty: TableType,
    pub elems: Vec<u64>,
    pub max: u32,
}

impl TableEntity {
    /// Grows by `delta` elements set to `init`; the old size, or `None`.
    pub fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.elems.len() as u32;
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elems.try_reserve(delta as usize).ok()?;
        self.elems.resize(new as usize, init);
        self.ty.limits.min = new;
        Some(old)
    }
}

pub(crate) struct GlobalEntity {
    pub ty: GlobalType,
    pub value: u64,
}

pub(crate) struct InstanceEntity {
    pub module: Arc<ModuleInner>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Store index of the first global the module defines: they follow one
    /// another from here, in the module's order (`Cx::own_global`).
    pub global_base: u32,
    /// Interned id of each of the module's types.
    pub types: Vec<u32>,
    /// Store index of each element segment.
    pub elems: Vec<u32>,
    /// Store index of each data segment.
    pub datas: Vec<u32>,
}

/// A data segment as `memory.init` sees it: the module's bytes until dropped.
pub(crate) struct DataEntity {
    pub module: Arc<ModuleInner>,
    pub index: u32,
    pub dropped: bool,
}

impl DataEntity {
    pub fn bytes(&self) -> &[u8] {
        if self.dropped {
            &[]
        } else {
            &self.module.datas[self.index as usize].bytes
        }
    }
}

/// Everything but the host data and host closures: what the executor works on.
pub(crate) struct StoreInner {
    /// This store's identity, carried by every handle it makes.
    pub id: StoreId,
    pub config: Config,
    pub types: TypeRegistry,
    pub funcs: Vec<FuncEntity>,
    pub tables: Vec<TableEntity>,
    pub memories: Vec<MemoryEntity>,
    pub globals: Vec<GlobalEntity>,
    pub instances: Vec<InstanceEntity>,
    /// Element segments as evaluated references; dropping empties them.
    pub elems: Vec<Vec<u64>>,
    pub datas: Vec<DataEntity>,
    pub externs: Vec<Box<dyn Any + Send + Sync>>,
    /// A value stack kept for reuse between calls.
    pub spare_stack: Option<Stack>,
    /// Current host→wasm nesting.
    pub reentry: u32,
    /// The fuel left (`Config::consume_fuel`); while wasm runs, the run holds it.
    pub fuel: u64,
    /// The interruption flag, shared with interrupt handles; also the store's identity.
    pub shared: Arc<fuel::Shared>,
    /// The embedder's limiter, asked before memories and tables grow.
    pub limiter: Option<Box<dyn ResourceLimiter>>,
}

impl StoreInner {
    /// Checks that `n` more memories fit the limiter's count.
    pub(crate) fn admit_memories(&self, n: usize) -> Result<(), Error> {
        let max = self.limiter.as_ref().map_or(usize::MAX, |l| l.memories());
        if self.memories.len().saturating_add(n) > max {
            return Err(Error::limit(format!(
                "the store may hold at most {max} memories"
            )));
        }
        Ok(())
    }

    /// Checks that `n` more tables fit the limiter's count.
    pub(crate) fn admit_tables(&self, n: usize) -> Result<(), Error> {
        let max = self.limiter.as_ref().map_or(usize::MAX, |l| l.tables());
        if self.tables.len().saturating_add(n) > max {
            return Err(Error::limit(format!(
                "the store may hold at most {max} tables"
            )));
        }
        Ok(())
    }

    /// Checks that one more instance fits the limiter's count.
    pub(crate) fn admit_instance(&self) -> Result<(), Error> {
        let max = self.limiter.as_ref().map_or(usize::MAX, |l| l.instances());
        if self.instances.len() >= max {
            return Err(Error::limit(format!(
                "the store may hold at most {max} instances"
            )));
        }
        Ok(())
    }

    /// A new memory of type `ty`, if the limits and the limiter allow it.
    pub(crate) fn new_memory(
        &mut self,
        ty: crate::types::MemoryType,
    ) -> Result<MemoryEntity, Error> {
        let m = MemoryEntity::new(ty, self.config.max_memory_pages)?;
        let min = ty.limits.min;
        if min > 0 && !limits::allow_memory(&mut self.limiter, 0, min, Some(m.max_pages()))? {
            return Err(Error::limit(format!(
                "the store's limiter refused a memory of {min} pages"
            )));
        }
        Ok(m)
    }

    /// A new table of type `ty` filled with `init`, if the limits and the limiter allow it.
    pub(crate) fn new_table(&mut self, ty: TableType, init: u64) -> Result<TableEntity, Error> {
        let t = instantiate::new_table(&self.config, ty, init)?;
        let min = ty.limits.min;
        if min > 0 && !limits::allow_table(&mut self.limiter, 0, min, Some(t.max))? {
            return Err(Error::limit(format!(
                "the store's limiter refused a table of {min} elements"
            )));
        }
        Ok(t)
    }
}

/// Owns all runtime objects and the embedder's data `T`.
///
/// Handles ([`Func`], [`Memory`], [`Instance`], ...) point into one store and
/// carry its identity: used with another store they are refused by name
/// (see [`ErrorKind::ForeignHandle`](crate::ErrorKind::ForeignHandle)).
/// A store is `Send` when `T` is, so it can move to a worker thread, live in
/// a pool or be held across an `.await`; one thread uses it at a time.
///
/// ```
/// use wisp_interp::{Linker, Module, Store};
///
/// let wasm = wat::parse_str(r#"(module
///     (global $n (mut i32) (i32.const 0))
///     (func (export "next") (result i32)
///         (global.set $n (i32.add (global.get $n) (i32.const 1)))
///         (global.get $n)))"#)?;
/// let module = Module::new(&wasm)?;
/// // The store's data is the embedder's: here, a tenant's name.
/// let mut store = Store::new(String::from("tenant-7"));
/// let instance = Linker::new().instantiate(&mut store, &module)?;
/// let next = instance.get_typed_func::<(), i32>(&store, "next")?;
/// assert_eq!(next.call(&mut store, ())?, 1);
/// // The live store moves to another thread and keeps its state.
/// let mut store = std::thread::spawn(move || {
///     assert_eq!(next.call(&mut store, ()).unwrap(), 2);
///     store
/// }).join().unwrap();
/// assert_eq!(next.call(&mut store, ())?, 3);
/// assert_eq!(store.data(), "tenant-7");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    /// Host functions; shared so the executor can call one while lending the store out.
    pub(crate) hosts: Arc<Vec<HostFuncEntity<T>>>,
    data: T,
}

impl<T> core::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("instances", &self.inner.instances.len())
            .field("funcs", &self.inner.funcs.len())
            .finish_non_exhaustive()
    }
}

impl<T> Store<T> {
    /// A store with default limits.
    pub fn new(data: T) -> Self {
        Self::with_config(Config::default(), data)
    }

    /// A store with the given limits.
    pub fn with_config(config: Config, data: T) -> Self {
        Store {
            inner: StoreInner {
                id: StoreId::fresh(),
                config,
                types: TypeRegistry::default(),
                funcs: Vec::new(),
                tables: Vec::new(),
                memories: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                elems: Vec::new(),
                datas: Vec::new(),
                externs: Vec::new(),
                spare_stack: None,
                reentry: 0,
                limiter: None,
                fuel: 0,
                shared: Arc::default(),
            },
            hosts: Arc::new(Vec::new()),
            data,
        }
    }

    /// The limits.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The embedder's data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The embedder's data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    /// Consumes the store, giving back the embedder's data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// This store's identity, which every handle it makes carries.
    pub fn id(&self) -> StoreId {
        self.inner.id
    }

    /// Installs `limiter`, asked before any memory or table of this store
    /// grows or is made and before instances are added (see
    /// [`ResourceLimiter`]); replaces any earlier one.
    pub fn set_limiter(&mut self, limiter: impl ResourceLimiter + 'static) {
        self.inner.limiter = Some(Box::new(limiter));
    }

    /// The installed limiter, if any.
    pub fn limiter_mut(&mut self) -> Option<&mut (dyn ResourceLimiter + 'static)> {
        self.inner.limiter.as_deref_mut()
    }
}

/// Gives shared access to a store: implemented by [`Store`], [`Caller`] and references to them.
pub trait AsContext {
    /// The store's host data type.
    type Data;
    /// The store.
    fn as_context(&self) -> &Store<Self::Data>;
}

/// Gives exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// The store.
    fn as_context_mut(&mut self) -> &mut Store<Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self
    }
}
impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self
    }
}
impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> &Store<C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> &Store<C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> &mut Store<C::Data> {
        (**self).as_context_mut()
    }
}

/// Anything that can be imported or exported.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The identity of the store the object belongs to.
    pub fn store_id(&self) -> StoreId {
        match self {
            Extern::Func(f) => f.store,
            Extern::Table(t) => t.store,
            Extern::Memory(m) => m.store,
            Extern::Global(g) => g.store,
        }
    }

    /// The function, if this is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }
    /// The memory, if this is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }
    /// The table, if this is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }
    /// The global, if this is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

impl Memory {
    /// Creates a standalone memory (to pass as an import).
    ///
    /// # Errors
    /// When the minimum exceeds the store's `max_memory_pages`, the store's
    /// limiter refuses it, or it cannot be mapped.
    pub fn new(mut ctx: impl AsContextMut, ty: crate::types::MemoryType) -> Result<Memory, Error> {
        let store = &mut ctx.as_context_mut().inner;
        store.admit_memories(1)?;
        let m = store.new_memory(ty)?;
        store.memories.push(m);
        Ok(Memory::from_parts(
            store.id,
            store.memories.len() as u32 - 1,
        ))
    }

    /// The memory's current type (its minimum is the current size).
    pub fn ty(&self, ctx: impl AsContext) -> crate::types::MemoryType {
        let store = &ctx.as_context().inner;
        store.memories[self.idx(store)].ty
    }

    /// Current size in pages.
    pub fn size(&self, ctx: impl AsContext) -> u32 {
        let store = &ctx.as_context().inner;
        store.memories[self.idx(store)].pages()
    }

    /// The memory's bytes.
    ///
    /// ```
    /// use wisp_interp::{Linker, Module, Store};
    ///
    /// let wasm = wat::parse_str(r#"(module (memory (export "memory") 1)
    ///     (data (i32.const 8) "wisp"))"#)?;
    /// let mut store = Store::new(());
    /// let instance = Linker::new().instantiate(&mut store, &Module::new(&wasm)?)?;
    /// let memory = instance.get_memory(&store, "memory").unwrap();
    /// assert_eq!(&memory.data(&store)[8..12], b"wisp");
    /// memory.data_mut(&mut store)[0] = 42;
    /// assert_eq!(memory.grow(&mut store, 1)?, 1);
    /// assert_eq!(memory.size(&store), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data<'a, T: 'a>(&self, ctx: &'a impl AsContext<Data = T>) -> &'a [u8] {
        let store = &ctx.as_context().inner;
        store.memories[self.idx(store)].data()
    }

    /// The memory's bytes, writable.
    pub fn data_mut<'a, T: 'a>(&self, ctx: &'a mut impl AsContextMut<Data = T>) -> &'a mut [u8] {
        let store = &mut ctx.as_context_mut().inner;
        let i = self.idx(store);
        store.memories[i].data_mut()
    }

    /// The memory's bytes and the store's host data, both writable at once.
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        ctx: &'a mut impl AsContextMut<Data = T>,
    ) -> (&'a mut [u8], &'a mut T) {
        let store = ctx.as_context_mut();
        let i = self.idx(&store.inner);
        (store.inner.memories[i].data_mut(), &mut store.data)
    }

    /// Grows by `delta` pages, giving the old size.
    ///
    /// # Errors
    /// When the maximum (or the store's limit) would be exceeded, the store's
    /// limiter refuses, or the memory belongs to another store.
    pub fn grow(&self, mut ctx: impl AsContextMut, delta: u32) -> Result<u32, Error> {
        let store = &mut ctx.as_context_mut().inner;
        let i = self.try_idx(store)?;
        limits::grow_memory(&mut store.memories[i], &mut store.limiter, delta)?
            .ok_or_else(|| Error::limit(format!("cannot grow memory by {delta} pages")))
    }
}

impl Table {
    /// Creates a standalone table filled with `init`.
    ///
    /// # Errors
    /// When `init` is not of the element type or comes from another store, or
    /// the size exceeds the store's limit or its limiter refuses it.
    pub fn new(mut ctx: impl AsContextMut, ty: TableType, init: Val) -> Result<Table, Error> {
        let store = &mut ctx.as_context_mut().inner;
        if init.ty() != ty.element {
            return Err(Error::ty(format!(
                "table init value of type {} for {}",
                init.ty(),
                ty
            )));
        }
        let init = init.to_slot(store.id)?;
        store.admit_tables(1)?;
        let t = store.new_table(ty, init)?;
        store.tables.push(t);
        Ok(Table::from_parts(store.id, store.tables.len() as u32 - 1))
    }

    /// The table's current type (its minimum is the current size).
    pub fn ty(&self, ctx: impl AsContext) -> TableType {
        let store = &ctx.as_context().inner;
        store.tables[self.idx(store)].ty
    }

    /// Current size in elements.
    pub fn size(&self, ctx: impl AsContext) -> u32 {
        let store = &ctx.as_context().inner;
        store.tables[self.idx(store)].elems.len() as u32
    }

    /// The element at `index`, if in bounds.
    pub fn get(&self, ctx: impl AsContext, index: u32) -> Option<Val> {
        let store = &ctx.as_context().inner;
        let t = &store.tables[self.idx(store)];
        t.elems
            .get(index as usize)
            .map(|&s| Val::from_slot(s, t.ty.element, store.id))
    }

    /// Sets the element at `index`.
    ///
    /// # Errors
    /// When out of bounds, of the wrong type, or a handle of another store.
    pub fn set(&self, mut ctx: impl AsContextMut, index: u32, val: Val) -> Result<(), Error> {
        let store = &mut ctx.as_context_mut().inner;
        let i = self.try_idx(store)?;
        let slot_val = val.to_slot(store.id)?;
        let t = &mut store.tables[i];
        if val.ty() != t.ty.element {
            return Err(Error::ty(format!(
                "{} value for a table of {}",
                val.ty(),
                t.ty.element
            )));
        }
        let slot = t
            .elems
            .get_mut(index as usize)
            .ok_or_else(|| Error::from(Trap::new(crate::error::TrapKind::TableOutOfBounds)))?;
        *slot = slot_val;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`, giving the old size.
    ///
    /// # Errors
    /// When the maximum would be exceeded, the store's limiter refuses, `init`
    /// has the wrong type, or a handle is of another store.
    pub fn grow(&self, mut ctx: impl AsContextMut, delta: u32, init: Val) -> Result<u32, Error> {
        let store = &mut ctx.as_context_mut().inner;
        let i = self.try_idx(store)?;
        let init_slot = init.to_slot(store.id)?;
        let t = &mut store.tables[i];
        if init.ty() != t.ty.element {
            return Err(Error::ty(format!(
                "{} value for a table of {}",
                init.ty(),
                t.ty.element
            )));
        }
        limits::grow_table(t, &mut store.limiter, delta, init_slot)?
            .ok_or_else(|| Error::limit(format!("cannot grow table by {delta}")))
    }
}

impl Global {
    /// Creates a standalone global.
    ///
    /// # Panics
    /// When `val` is a reference of another store.
    pub fn new(mut ctx: impl AsContextMut, val: Val, mutability: Mutability) -> Global {
        let store = &mut ctx.as_context_mut().inner;
        let value = match val.to_slot(store.id) {
            Ok(v) => v,
            Err(e) => panic!("wisp: Global::new: {e}"),
        };
        store.globals.push(GlobalEntity {
            ty: GlobalType {
                content: val.ty(),
                mutability,
            },
            value,
        });
        Global::from_parts(store.id, store.globals.len() as u32 - 1)
    }

    /// The global's type.
    pub fn ty(&self, ctx: impl AsContext) -> GlobalType {
        let store = &ctx.as_context().inner;
        store.globals[self.idx(store)].ty
    }

    /// The current value.
    pub fn get(&self, ctx: impl AsContext) -> Val {
        let store = &ctx.as_context().inner;
        let g = &store.globals[self.idx(store)];
        Val::from_slot(g.value, g.ty.content, store.id)
    }

    /// Sets a mutable global.
    ///
    /// # Errors
    /// When the global is immutable, `val` has the wrong type, or a handle is
    /// of another store.
    pub fn set(&self, mut ctx: impl AsContextMut, val: Val) -> Result<(), Error> {
        let store = &mut ctx.as_context_mut().inner;
        let i = self.try_idx(store)?;
        let value = val.to_slot(store.id)?;
        let g = &mut store.globals[i];
        if g.ty.mutability != Mutability::Var {
            return Err(Error::ty("cannot set an immutable global"));
        }
        if val.ty() != g.ty.content {
            return Err(Error::ty(format!(
                "{} value for a global of {}",
                val.ty(),
                g.ty.content
            )));
        }
        g.value = value;
        Ok(())
    }
}

impl ExternRef {
    /// Stores a host value in the store and gives a reference to it.
    pub fn new(mut ctx: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let store = &mut ctx.as_context_mut().inner;
        store.externs.push(Box::new(value));
        ExternRef::from_parts(store.id, store.externs.len() as u32 - 1)
    }

    /// The host value behind the reference.
    pub fn data<'a, T: 'a>(
        &self,
        ctx: &'a impl AsContext<Data = T>,
    ) -> &'a (dyn Any + Send + Sync) {
        let store = &ctx.as_context().inner;
        &*store.externs[self.idx(store)]
    }
}

impl Instance {
    fn entity<'a, T>(&self, store: &'a Store<T>) -> &'a InstanceEntity {
        &store.inner.instances[self.idx(&store.inner)]
    }

    /// The export called `name`.
    pub fn get_export(&self, ctx: impl AsContext, name: &str) -> Option<Extern> {
        let store = ctx.as_context();
        let inst = self.entity(store);
        let &i = inst.module.export_map.get(name)?;
        Some(export_extern(
            store.inner.id,
            inst,
            inst.module.exports[i].1,
        ))
    }

    /// The exports, in declaration order.
    pub fn exports<'a, T: 'a>(
        &self,
        ctx: &'a impl AsContext<Data = T>,
    ) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        let store = ctx.as_context();
        let id = store.inner.id;
        let inst = self.entity(store);
        inst.module
            .exports
            .iter()
            .map(move |(n, idx)| (n.as_str(), export_extern(id, inst, *idx)))
    }

    /// What each import of the instance was satisfied with, as
    /// `(module, name, extern)` in the module's import order.
    ///
    /// ```
    /// use wisp_interp::{Linker, Module, Store};
    ///
    /// let wasm = wat::parse_str(r#"(module (import "env" "tick" (func)))"#)?;
    /// let mut store = Store::new(());
    /// let mut linker = Linker::new();
    /// linker.func_wrap("env", "tick", || {});
    /// let instance = linker.instantiate(&mut store, &Module::new(&wasm)?)?;
    /// let (module, name, ext) = instance.imports(&store).next().unwrap();
    /// assert_eq!((module, name), ("env", "tick"));
    /// assert!(ext.into_func().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn imports<'a, T: 'a>(
        &self,
        ctx: &'a impl AsContext<Data = T>,
    ) -> impl Iterator<Item = (&'a str, &'a str, Extern)> + 'a {
        let store = ctx.as_context();
        let id = store.inner.id;
        let inst = self.entity(store);
        let (mut f, mut t, mut m, mut g) = (0usize, 0usize, 0usize, 0usize);
        inst.module.imports.iter().map(move |imp| {
            let next = |n: &mut usize| {
                *n += 1;
                *n - 1
            };
            let ext = match imp.kind {
                ImportKind::Func(_) => Extern::Func(Func::from_parts(id, inst.funcs[next(&mut f)])),
                ImportKind::Table(_) => {
                    Extern::Table(Table::from_parts(id, inst.tables[next(&mut t)]))
                }
                ImportKind::Memory(_) => {
                    Extern::Memory(Memory::from_parts(id, inst.memories[next(&mut m)]))
                }
                ImportKind::Global(_) => {
                    Extern::Global(Global::from_parts(id, inst.globals[next(&mut g)]))
                }
            };
            (imp.module.as_str(), imp.name.as_str(), ext)
        })
    }

    /// The exported function `name`.
    pub fn get_func(&self, ctx: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(ctx, name)?.into_func()
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, ctx: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(ctx, name)?.into_memory()
    }

    /// The exported table `name`.
    pub fn get_table(&self, ctx: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(ctx, name)?.into_table()
    }

    /// The exported global `name`.
    pub fn get_global(&self, ctx: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(ctx, name)?.into_global()
    }
}

fn export_extern(id: StoreId, inst: &InstanceEntity, idx: ExportIndex) -> Extern {
    match idx {
        ExportIndex::Func(i) => Extern::Func(Func::from_parts(id, inst.funcs[i as usize])),
        ExportIndex::Table(i) => Extern::Table(Table::from_parts(id, inst.tables[i as usize])),
        ExportIndex::Memory(i) => Extern::Memory(Memory::from_parts(id, inst.memories[i as usize])),
        ExportIndex::Global(i) => Extern::Global(Global::from_parts(id, inst.globals[i as usize])),
    }
}

pub(crate) fn val_type_check(vals: &[Val], tys: &[ValType], what: &str) -> Result<(), Error> {
    if vals.len() != tys.len() {
        return Err(Error::ty(format!(
            "expected {} {what}, got {}",
            tys.len(),
            vals.len()
        )));
    }
    for (i, (v, t)) in vals.iter().zip(tys).enumerate() {
        if v.ty() != *t {
            return Err(Error::ty(format!(
                "{what} {i}: expected {t}, got {}",
                v.ty()
            )));
        }
    }
    Ok(())
}
