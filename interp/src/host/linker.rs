//! The registry of importable definitions, keyed by `(module, name)`.

use super::typed::IntoFunc;
use super::untyped_host;
use crate::error::{Error, Trap};
use crate::module::{ImportKind, Module};
use crate::store::{AsContext, AsContextMut, Caller, Extern, HostFn, Instance, Provider};
use crate::types::FuncType;
use crate::value::Val;
use std::collections::HashMap;

enum Definition<T> {
    Extern(Extern),
    /// Allocated into the store at each instantiation that imports it.
    Host {
        ty: FuncType,
        func: HostFn<T>,
        provider: Option<Provider>,
    },
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host { ty, func, provider } => Definition::Host {
                ty: ty.clone(),
                func: func.clone(),
                provider: *provider,
            },
        }
    }
}

/// Resolves a module's imports by `(module, name)` and instantiates it.
///
/// Host functions are checked against each import's type once, at link time:
/// a mismatch is an error naming the import and both types. A later
/// definition under the same name replaces the earlier one, as spreading
/// objects does in a JS import object.
///
/// A linker holds definitions, not instances: one linker can instantiate
/// modules in any number of stores (host functions are allocated anew in each),
/// and it is `Send + Sync`, so threads can share it.
///
/// ```
/// use wisp_interp::{Caller, Linker, Module, Store};
///
/// let wasm = wat::parse_str(r#"(module
///     (import "env" "log" (func $log (param i32)))
///     (func (export "run") (call $log (i32.const 42))))"#)?;
/// let module = Module::new(&wasm)?;
/// let mut linker = Linker::new();
/// linker.func_wrap("env", "log", |mut caller: Caller<'_, Vec<i32>>, x: i32| {
///     caller.data_mut().push(x);
/// });
/// // Two stores from one linker: each host call sees its own store's data.
/// for _ in 0..2 {
///     let mut store = Store::new(Vec::new());
///     let instance = linker.instantiate(&mut store, &module)?;
///     instance.get_typed_func::<(), ()>(&store, "run")?.call(&mut store, ())?;
///     assert_eq!(store.data(), &[42]);
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Linker<T> {
    defs: HashMap<(String, String), Definition<T>>,
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Self {
            defs: self.defs.clone(),
        }
    }
}

impl<T> Default for Linker<T> {
    fn default() -> Self {
        Self {
            defs: HashMap::new(),
        }
    }
}

impl<T> core::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut names: Vec<_> = self.defs.keys().map(|(m, n)| format!("{m}::{n}")).collect();
        names.sort();
        f.debug_struct("Linker")
            .field("definitions", &names)
            .finish()
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new() -> Self {
        Self::default()
    }

    /// Defines `module::name` as an existing store object.
    pub fn define(&mut self, module: &str, name: &str, item: impl Into<Extern>) -> &mut Self {
        self.defs.insert(
            (module.to_string(), name.to_string()),
            Definition::Extern(item.into()),
        );
        self
    }

    /// Defines `module::name` as a Rust closure; its wasm type comes from its
    /// parameter and result types (the first parameter may be a [`Caller`]).
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> &mut Self {
        let (ty, func) = f.into_func();
        self.define_host(module, name, ty, func, None)
    }

    /// As [`func_wrap`](Self::func_wrap), stamping the function with
    /// `provider`, which [`Func::provider`](crate::Func::provider) gives back
    /// for every function instantiated from this definition.
    pub fn func_wrap_from<Params, Results>(
        &mut self,
        provider: Provider,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> &mut Self {
        let (ty, func) = f.into_func();
        self.define_host(module, name, ty, func, Some(provider))
    }

    fn define_host(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: HostFn<T>,
        provider: Option<Provider>,
    ) -> &mut Self {
        self.defs.insert(
            (module.to_string(), name.to_string()),
            Definition::Host { ty, func, provider },
        );
        self
    }

    /// Defines `module::name` as a host function of type `ty` on untyped values.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> &mut Self {
        let func = untyped_host(&ty, f);
        self.define_host(module, name, ty, func, None)
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(
        &mut self,
        ctx: impl AsContext<Data = T>,
        module: &str,
        instance: Instance,
    ) -> &mut Self {
        let store = ctx.as_context();
        for (name, ext) in instance.exports(&store) {
            self.defs.insert(
                (module.to_string(), name.to_string()),
                Definition::Extern(ext),
            );
        }
        self
    }

    /// Whether `module::name` is defined.
    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.defs
            .contains_key(&(module.to_string(), name.to_string()))
    }

    /// The type of a host function definition, if `module::name` is one.
    pub fn host_func_type(&self, module: &str, name: &str) -> Option<&FuncType> {
        match self.defs.get(&(module.to_string(), name.to_string()))? {
            Definition::Host { ty, .. } => Some(ty),
            Definition::Extern(_) => None,
        }
    }

    /// Resolves `module::name` to a store object, allocating a host function if needed.
    pub fn get(
        &self,
        mut ctx: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        let store = ctx.as_context_mut();
        match self.defs.get(&(module.to_string(), name.to_string()))? {
            Definition::Extern(e) => {
                if e.store_id() != store.id() {
                    crate::handle::foreign_panic("Extern", e.store_id(), store.id());
                }
                Some(*e)
            }
            Definition::Host { ty, func, provider } => {
                Some(Extern::Func(store.alloc_host(ty, func.clone(), *provider)))
            }
        }
    }

    /// Resolves the module's imports, then instantiates it: allocates its
    /// objects, initialises segments and runs its start function.
    ///
    /// # Errors
    /// [`ErrorKind::Link`](crate::ErrorKind::Link) for a missing or mistyped
    /// import (naming it and both types); [`ErrorKind::Limit`](crate::ErrorKind::Limit)
    /// when a store limit would be exceeded; [`ErrorKind::Trap`](crate::ErrorKind::Trap)
    /// when segment initialisation or the start function traps.
    pub fn instantiate(
        &self,
        mut ctx: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance, Error> {
        let store = ctx.as_context_mut();
        let mut externs = Vec::with_capacity(module.inner.imports.len());
        for imp in &module.inner.imports {
            let def = self
                .defs
                .get(&(imp.module.clone(), imp.name.clone()))
                .ok_or_else(|| Error::link(&imp.module, &imp.name, "unknown import"))?;
            let ext = match (def, &imp.kind) {
                (Definition::Extern(e), _) => *e,
                (Definition::Host { ty, func, provider }, ImportKind::Func(t)) => {
                    let want = &module.inner.types[*t as usize];
                    if ty != want {
                        return Err(Error::link(
                            &imp.module,
                            &imp.name,
                            format!("incompatible import type: expected {want}, found {ty}"),
                        ));
                    }
                    Extern::Func(store.alloc_host(ty, func.clone(), *provider))
                }
                (Definition::Host { ty, .. }, kind) => {
                    return Err(Error::link(
                        &imp.module,
                        &imp.name,
                        format!("incompatible import type: expected {kind:?}, found {ty}"),
                    ));
                }
            };
            externs.push(ext);
        }
        let (instance, start) = store.instantiate_with(module, &externs)?;
        if let Some(start) = start {
            store.call_untyped(start, &[], &mut [])?;
        }
        Ok(instance)
    }
}
