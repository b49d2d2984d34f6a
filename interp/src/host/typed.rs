//! Rust types as wasm types: closures become host functions, exports become
//! typed functions, with the wasm signature derived from the Rust types.

use crate::error::{Error, Trap};
use crate::store::StoreId;
use crate::store::{AsContext, AsContextMut, Caller, HostFn, Instance, Store};
use crate::types::{FuncType, ValType};
use crate::value::{ExternRef, Func, Val};
use core::marker::PhantomData;
use std::sync::Arc;

/// A Rust type that is a wasm value type.
pub trait WasmTy: Copy + Send + Sync + 'static {
    /// The wasm type.
    const TY: ValType;
    /// Encodes into a stack slot of store `store`.
    ///
    /// # Errors
    /// When the value is a reference made by another store.
    #[doc(hidden)]
    fn into_slot(self, store: StoreId) -> Result<u64, Error>;
    /// Decodes from a stack slot of store `store` holding a value of type `TY`.
    #[doc(hidden)]
    fn from_slot(slot: u64, store: StoreId) -> Self;
}

macro_rules! wasm_ty {
    ($($t:ty => $vt:ident, |$v:ident| $to:expr, |$s:ident| $from:expr;)*) => {$(
        impl WasmTy for $t {
            const TY: ValType = ValType::$vt;
            #[inline(always)]
            fn into_slot(self, _store: StoreId) -> Result<u64, Error> {
                let $v = self;
                Ok($to)
            }
            #[inline(always)]
            fn from_slot($s: u64, _store: StoreId) -> Self {
                $from
            }
        }
    )*};
}
wasm_ty! {
    i32 => I32, |v| v as u32 as u64, |s| s as u32 as i32;
    u32 => I32, |v| v as u64, |s| s as u32;
    i64 => I64, |v| v as u64, |s| s as i64;
    u64 => I64, |v| v, |s| s;
    f32 => F32, |v| v.to_bits() as u64, |s| f32::from_bits(s as u32);
    f64 => F64, |v| v.to_bits(), |s| f64::from_bits(s);
}

impl WasmTy for Option<Func> {
    const TY: ValType = ValType::FuncRef;
    fn into_slot(self, store: StoreId) -> Result<u64, Error> {
        Val::FuncRef(self).to_slot(store)
    }
    fn from_slot(slot: u64, store: StoreId) -> Self {
        slot.checked_sub(1)
            .map(|i| Func::from_parts(store, i as u32))
    }
}

impl WasmTy for Option<ExternRef> {
    const TY: ValType = ValType::ExternRef;
    fn into_slot(self, store: StoreId) -> Result<u64, Error> {
        Val::ExternRef(self).to_slot(store)
    }
    fn from_slot(slot: u64, store: StoreId) -> Self {
        slot.checked_sub(1)
            .map(|i| ExternRef::from_parts(store, i as u32))
    }
}

/// Parameters of a typed call: a [`WasmTy`] or a tuple of them (up to 16).
pub trait WasmParams: Send + Sync + 'static {
    /// The wasm types, in order.
    fn types() -> Vec<ValType>;
    /// Writes into the first slots of `slots`, for store `store`.
    ///
    /// # Errors
    /// When a value is a reference made by another store.
    #[doc(hidden)]
    fn write(self, slots: &mut [u64], store: StoreId) -> Result<(), Error>;
    /// Reads from the first slots of `slots` of store `store`.
    #[doc(hidden)]
    fn read(slots: &[u64], store: StoreId) -> Self;
}

/// Results of a typed call or host function: a [`WasmTy`] or a tuple of them.
pub trait WasmResults: WasmParams {}
impl<P: WasmParams> WasmResults for P {}

impl<A: WasmTy> WasmParams for A {
    fn types() -> Vec<ValType> {
        vec![A::TY]
    }
    #[inline(always)]
    fn write(self, slots: &mut [u64], store: StoreId) -> Result<(), Error> {
        slots[0] = self.into_slot(store)?;
        Ok(())
    }
    #[inline(always)]
    fn read(slots: &[u64], store: StoreId) -> Self {
        A::from_slot(slots[0], store)
    }
}

/// What a host closure may return: results, or results-or-trap.
pub trait WasmRet: Send + Sync + 'static {
    /// The results carried.
    type Results: WasmResults;
    /// Separates results from a trap.
    fn into_result(self) -> Result<Self::Results, Trap>;
}

impl<R: WasmResults> WasmRet for R {
    type Results = R;
    #[inline(always)]
    fn into_result(self) -> Result<R, Trap> {
        Ok(self)
    }
}

impl<R: WasmResults> WasmRet for Result<R, Trap> {
    type Results = R;
    #[inline(always)]
    fn into_result(self) -> Result<R, Trap> {
        self
    }
}

/// Marks closures whose first parameter is a [`Caller`].
#[derive(Debug)]
pub struct WithCaller<P>(PhantomData<P>);

/// A Rust closure that can become a host function of type `Params -> Results`.
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    /// The wasm type and the host function on raw slots.
    #[doc(hidden)]
    fn into_func(self) -> (FuncType, HostFn<T>);
}

macro_rules! tuples {
    ($($n:literal: ($($a:ident $i:tt),*);)*) => {$(
        impl<$($a: WasmTy),*> WasmParams for ($($a,)*) {
            fn types() -> Vec<ValType> {
                vec![$($a::TY),*]
            }
            #[inline(always)]
            #[allow(unused_variables)]
            fn write(self, slots: &mut [u64], store: StoreId) -> Result<(), Error> {
                $(slots[$i] = self.$i.into_slot(store)?;)*
                Ok(())
            }
            #[inline(always)]
            #[allow(unused_variables, clippy::unused_unit)]
            fn read(slots: &[u64], store: StoreId) -> Self {
                ($($a::from_slot(slots[$i], store),)*)
            }
        }

        impl<T, F, R, $($a),*> IntoFunc<T, ($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
            $($a: WasmTy,)*
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new(<($($a,)*) as WasmParams>::types(), R::Results::types());
                let f: HostFn<T> = Arc::new(move |caller: Caller<'_, T>, io: &mut [u64]| {
                    let id = caller.store.inner.id;
                    let ($($a,)*) = <($($a,)*) as WasmParams>::read(io, id);
                    let r = (self)($($a),*).into_result()?;
                    r.write(io, id).map_err(foreign_result)
                });
                (ty, f)
            }
        }

        impl<T, F, R, $($a),*> IntoFunc<T, WithCaller<($($a,)*)>, R> for F
        where
            F: Fn(Caller<'_, T>, $($a),*) -> R + Send + Sync + 'static,
            R: WasmRet,
            $($a: WasmTy,)*
        {
            #[allow(non_snake_case)]
            fn into_func(self) -> (FuncType, HostFn<T>) {
                let ty = FuncType::new(<($($a,)*) as WasmParams>::types(), R::Results::types());
                let f: HostFn<T> = Arc::new(move |caller: Caller<'_, T>, io: &mut [u64]| {
                    let id = caller.store.inner.id;
                    let ($($a,)*) = <($($a,)*) as WasmParams>::read(io, id);
                    let r = (self)(caller, $($a),*).into_result()?;
                    r.write(io, id).map_err(foreign_result)
                });
                (ty, f)
            }
        }
    )*};
}
tuples! {
    0: ();
    1: (A0 0);
    2: (A0 0, A1 1);
    3: (A0 0, A1 1, A2 2);
    4: (A0 0, A1 1, A2 2, A3 3);
    5: (A0 0, A1 1, A2 2, A3 3, A4 4);
    6: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
    7: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
    8: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);
    9: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8);
    10: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9);
    11: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10);
    12: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11);
    13: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12);
    14: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13);
    15: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14);
    16: (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15);
}

/// A host function returned a reference of another store.
#[cold]
fn foreign_result(e: Error) -> Trap {
    Trap::new(crate::error::TrapKind::Host(
        format!("host function result: {e}").into(),
    ))
}

/// A function whose type was checked once, called without per-call checks.
///
/// ```
/// use wisp_interp::{Func, Linker, Module, Store, Val};
///
/// let wasm = wat::parse_str(r#"(module (func (export "div") (param i32 i32) (result i32)
///     (i32.div_s (local.get 0) (local.get 1))))"#)?;
/// let mut store = Store::new(());
/// let instance = Linker::new().instantiate(&mut store, &Module::new(&wasm)?)?;
/// // Typed: the signature is checked once, here.
/// let div = instance.get_typed_func::<(i32, i32), i32>(&store, "div")?;
/// assert_eq!(div.call(&mut store, (84, 2))?, 42);
/// assert!(div.call(&mut store, (1, 0)).is_err()); // a trap: division by zero
/// // Untyped: `Func::call` checks the values on every call.
/// let f: Func = div.func();
/// let mut out = [Val::I32(0)];
/// f.call(&mut store, &[Val::I32(9), Val::I32(3)], &mut out)?;
/// assert_eq!(out[0], Val::I32(3));
/// assert!(f.call(&mut store, &[Val::I64(9), Val::I32(3)], &mut out).is_err());
/// // A host closure is a `Func` too.
/// let double = Func::wrap(&mut store, |x: i32| x * 2);
/// assert_eq!(double.typed::<i32, i32>(&store)?.call(&mut store, 21)?, 42);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TypedFunc<Params, Results> {
    func: Func,
    _marker: PhantomData<fn(Params) -> Results>,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, R> Copy for TypedFunc<P, R> {}

impl<P, R> core::fmt::Debug for TypedFunc<P, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TypedFunc").field(&self.func).finish()
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    pub(crate) fn new<T>(store: &Store<T>, func: Func) -> Result<Self, Error> {
        func.try_idx(&store.inner)?;
        let actual = func.ty(store);
        let want = FuncType::new(Params::types(), Results::types());
        if actual != want {
            return Err(Error::ty(format!("function is {actual}, not {want}")));
        }
        Ok(Self {
            func,
            _marker: PhantomData,
        })
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }

    /// Calls the function.
    ///
    /// # Errors
    /// The trap, when execution traps (including a WASI exit request).
    pub fn call(&self, mut ctx: impl AsContextMut, params: Params) -> Result<Results, Trap> {
        let store = ctx.as_context_mut();
        let id = store.inner.id;
        let mut io = [0u64; 16];
        params
            .write(&mut io, id)
            .map_err(|e| Trap::new(crate::error::TrapKind::Host(e.to_string().into())))?;
        store.call_raw(self.func, &mut io)?;
        Ok(Results::read(&io, id))
    }
}

impl Instance {
    /// The exported function `name` as a typed function.
    ///
    /// # Errors
    /// When there is no such function export, its type is not
    /// `Params -> Results`, or the instance belongs to another store.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        ctx: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>, Error> {
        let store = ctx.as_context();
        self.try_idx(&store.inner)?;
        let f = self
            .get_func(store, name)
            .ok_or_else(|| Error::export(format!("no function export named `{name}`")))?;
        f.typed(store)
    }
}
