//! The typed host-function registry: closures become host functions, the
//! `Linker` resolves imports by `(module, name)`, `Caller` gives host code its
//! store data and the calling instance's memory, `TypedFunc` calls exports.

mod linker;
mod typed;

pub use linker::Linker;
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, Extern, Instance, Memory, Store};
use crate::types::FuncType;
use crate::value::{Func, Val};
use std::sync::Arc;

/// A host function on raw slots: the arguments are in the first slots of the
/// slice on entry; the results go in the first slots on return. The slice holds
/// `max(params, results)` slots.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &mut [u64]) -> Result<(), Trap> + Send + Sync>;

/// Who defined a host function: an opaque identity an embedder (such as
/// one WASI instance) stamps on the host functions it defines with
/// [`Linker::func_wrap_from`], so that it can later check, through
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

impl<'a, T> Caller<'a, T> {
    /// The store's host data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The store's host data, writable.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The calling instance (`None` when the host called the function directly).
    pub fn instance(&self) -> Option<Instance> {
        self.instance
    }

    /// An export of the calling instance.
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance?.get_export(&*self.store, name)
    }

    /// The store's fuel left ([`Store::get_fuel`]).
    ///
    /// # Errors
    /// When the store does not consume fuel.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.store.get_fuel()
    }

    /// Sets the store's fuel ([`Store::set_fuel`]): a host function charges for
    /// its work by lowering it; the calling wasm continues with what is left.
    ///
    /// # Errors
    /// When the store does not consume fuel.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.store.set_fuel(fuel)
    }

    /// The calling instance's memory: its export `memory`, else its first memory.
    pub fn memory(&self) -> Option<Memory> {
        let inst = self.instance?;
        if let Some(Extern::Memory(m)) = inst.get_export(&*self.store, "memory") {
            return Some(m);
        }
        let store = &self.store.inner;
        store.instances[inst.idx(store)]
            .memories
            .first()
            .map(|&m| Memory::from_parts(store.id, m))
    }
}

impl Func {
    /// Wraps a Rust closure as a host function; its wasm type comes from the
    /// closure's parameter and result types. The first parameter may be a
    /// [`Caller`].
    pub fn wrap<T, Params, Results>(
        mut ctx: impl AsContextMut<Data = T>,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let (ty, func) = f.into_func();
        ctx.as_context_mut().alloc_host(&ty, func, None)
    }

    /// A host function of type `ty` on untyped values.
    pub fn new<T: 'static>(
        mut ctx: impl AsContextMut<Data = T>,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        let func = untyped_host(&ty, f);
        ctx.as_context_mut().alloc_host(&ty, func, None)
    }

    /// Calls the function with untyped values.
    ///
    /// # Errors
    /// [`ErrorKind::Type`](crate::ErrorKind::Type) when the arguments or the
    /// room for results don't match the type; [`ErrorKind::Trap`](crate::ErrorKind::Trap)
    /// when execution traps.
    pub fn call(
        &self,
        mut ctx: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<(), Error> {
        ctx.as_context_mut().call_untyped(*self, params, results)
    }

    /// This function as a typed function.
    ///
    /// # Errors
    /// When its type is not `Params -> Results`.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        ctx: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        TypedFunc::new(ctx.as_context(), *self)
    }
}

pub(crate) fn untyped_host<T: 'static>(
    ty: &FuncType,
    f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
) -> HostFn<T> {
    let params: Box<[_]> = ty.params().into();
    let results: Box<[_]> = ty.results().into();
    Arc::new(move |caller: Caller<'_, T>, io: &mut [u64]| {
        let id = caller.store.inner.id;
        let args: Vec<Val> = params
            .iter()
            .zip(io.iter())
            .map(|(t, s)| Val::from_slot(*s, *t, id))
            .collect();
        let mut outs: Vec<Val> = results.iter().map(|t| Val::default_for(*t)).collect();
        f(caller, &args, &mut outs)?;
        for (i, (v, t)) in outs.iter().zip(results.iter()).enumerate() {
            if v.ty() != *t {
                return Err(Trap::host(format!(
                    "host function result {i} is {}, expected {t}",
                    v.ty()
                )));
            }
            io[i] = v
                .to_slot(id)
                .map_err(|e| Trap::host(format!("host function result {i}: {e}")))?;
        }
        Ok(())
    })
}
