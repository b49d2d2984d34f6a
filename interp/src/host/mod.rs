//! The typed host-function registry: closures become host functions, the
//! `Linker` resolves imports by `(module, name)`, `Caller`'s methods give host
//! code its store data and the calling instance's memory (the type itself is
//! the store's, in `store/func.rs`), `TypedFunc` calls exports.

mod linker;
mod resumable;
mod typed;

pub use linker::Linker;
pub use resumable::{TypedResumableCall, TypedResumableInvocation};
pub use typed::{IntoFunc, TypedFunc, WasmParams, WasmResults, WasmRet, WasmTy};

use crate::error::{Error, Trap};
use crate::store::{AsContext, AsContextMut, Caller, Extern, HostFn, Instance, Memory};
use crate::types::FuncType;
use crate::value::{Func, Val};
use std::sync::Arc;

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

    /// The store's fuel left ([`Store::get_fuel`](crate::Store::get_fuel)).
    ///
    /// # Errors
    /// When the store does not consume fuel.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.store.get_fuel()
    }

    /// Sets the store's fuel ([`Store::set_fuel`](crate::Store::set_fuel)): a
    /// host function charges for its work by lowering it; the calling wasm
    /// continues with what is left.
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
