//! Functions as the store holds them: wasm or host (`FuncKind`, `FuncEntity`),
//! host closures on raw slots (`HostFn`, `HostFuncEntity`) with who defined
//! them (`Provider`), and the `Caller` a host function receives. Host code's
//! API on `Caller` and the typed wrappers are in `host`.

use super::{AsContext, AsContextMut, Instance, Store};
use crate::error::{Error, Trap};
use crate::types::FuncType;
use crate::value::Func;
use std::sync::Arc;

#[derive(Copy, Clone, Debug)]
pub(crate) enum FuncKind {
    /// Defined in `instance`: index into its module's code.
    Wasm { instance: u32, code: u32 },
    /// Index into the store's host functions.
    Host(u32),
}

#[derive(Copy, Clone, Debug)]
pub(crate) struct FuncEntity {
    /// Interned type.
    pub ty: u32,
    pub kind: FuncKind,
}

/// A host function on raw slots: the arguments are in the first slots of the
/// slice on entry; the results go in the first slots on return. The slice holds
/// `max(params, results)` slots.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &mut [u64]) -> Result<(), Trap> + Send + Sync>;

/// Who defined a host function: an opaque identity an embedder (such as
/// one WASI instance) stamps on the host functions it defines with
/// [`Linker::func_wrap_from`](crate::Linker::func_wrap_from), so that it can later check, through
/// [`Func::provider`] and [`Instance::imports`], which definitions an
/// instance was linked with.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Provider(core::num::NonZeroU64);

impl Provider {
    /// A provider identity never given out before in this process.
    pub fn fresh() -> Provider {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Provider(core::num::NonZeroU64::new(n).unwrap_or(core::num::NonZeroU64::MIN))
    }
}

/// What a host function sees of its caller: the store (and its data) and the
/// instance that called it.
///
/// ```
/// use wisp_interp::{Caller, Linker, Module, Store, Trap};
///
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "print" (func $print (param i32 i32)))
///     (memory (export "memory") 1)
///     (data (i32.const 0) "hi")
///     (func (export "run") (call $print (i32.const 0) (i32.const 2))))"#)?;
/// let mut linker = Linker::new();
/// linker.func_wrap("env", "print", |mut caller: Caller<'_, String>, ptr: u32, len: u32| {
///     let memory = caller.memory().ok_or_else(|| Trap::host("no memory"))?;
///     let (bytes, out) = memory.data_and_store_mut(&mut caller);
///     let text = bytes
///         .get(ptr as usize..(ptr as usize).saturating_add(len as usize))
///         .ok_or_else(|| Trap::host("out of bounds"))?;
///     out.push_str(&String::from_utf8_lossy(text));
///     Ok::<(), Trap>(())
/// });
/// let mut store = Store::new(String::new());
/// let instance = linker.instantiate(&mut store, &Module::new(&wasm)?)?;
/// instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
/// assert_eq!(store.data(), "hi");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Caller<'a, T> {
    pub(crate) store: &'a mut Store<T>,
    pub(crate) instance: Option<Instance>,
}

impl<T> core::fmt::Debug for Caller<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Caller")
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
}

impl<T> AsContext for Caller<'_, T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self.store
    }
}
impl<T> AsContextMut for Caller<'_, T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self.store
    }
}

pub(crate) struct HostFuncEntity<T> {
    pub func: HostFn<T>,
    pub provider: Option<Provider>,
    pub params: u32,
    pub results: u32,
    /// Interned type.
    pub ty: u32,
}

impl<T> Clone for HostFuncEntity<T> {
    fn clone(&self) -> Self {
        Self {
            func: self.func.clone(),
            provider: self.provider,
            params: self.params,
            results: self.results,
            ty: self.ty,
        }
    }
}

impl<T> Store<T> {
    pub(crate) fn alloc_host(
        &mut self,
        ty: &FuncType,
        func: HostFn<T>,
        provider: Option<Provider>,
    ) -> Func {
        let host = self.hosts.len() as u32;
        let interned = self.inner.types.intern(ty);
        Arc::make_mut(&mut self.hosts).push(HostFuncEntity {
            func,
            provider,
            params: ty.params().len() as u32,
            results: ty.results().len() as u32,
            ty: interned,
        });
        let ty = interned;
        let idx = self.inner.funcs.len() as u32;
        self.inner.funcs.push(FuncEntity {
            ty,
            kind: FuncKind::Host(host),
        });
        Func::from_parts(self.inner.id, idx)
    }

    /// The function behind `f`, or an error naming the misuse when `f` is of another store.
    pub(crate) fn func_entity(&self, f: Func) -> Result<FuncEntity, Error> {
        Ok(self.inner.funcs[f.try_idx(&self.inner)?])
    }
}

impl Func {
    /// The function's type.
    pub fn ty(&self, ctx: impl AsContext) -> FuncType {
        let store = &ctx.as_context().inner;
        let e = store.funcs[self.idx(store)];
        store.types.get(e.ty).clone()
    }

    /// Who defined this host function (see [`Provider`]); `None` for wasm
    /// functions and host functions defined without one.
    pub fn provider(&self, ctx: impl AsContext) -> Option<Provider> {
        let store = ctx.as_context();
        match store.inner.funcs[self.idx(&store.inner)].kind {
            FuncKind::Host(h) => store.hosts[h as usize].provider,
            FuncKind::Wasm { .. } => None,
        }
    }
}
