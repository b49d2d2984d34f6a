//! Typed resumable calls: `TypedFunc::call_resumable` and the typed suspended
//! invocation, built on the untyped ones of `exec/resumable.rs` (the same
//! suspension, with results read as Rust types).

use super::{TypedFunc, WasmParams, WasmResults};
use crate::error::Error;
use crate::exec::{Left, ResumableInvocation, SuspendReason};
use crate::store::{AsContextMut, StoreId};
use crate::value::Val;
use core::marker::PhantomData;

/// How a typed resumable call ([`TypedFunc::call_resumable`]) left off.
#[derive(Debug)]
pub enum TypedResumableCall<Results> {
    /// The function returned these results.
    Finished(Results),
    /// The call stopped and can be resumed.
    Suspended(TypedResumableInvocation<Results>),
}

/// A suspended typed call: see [`ResumableInvocation`].
pub struct TypedResumableInvocation<Results> {
    call: ResumableInvocation,
    _results: PhantomData<fn() -> Results>,
}

impl<R> core::fmt::Debug for TypedResumableInvocation<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("TypedResumableInvocation")
            .field(self.call.invocation())
            .finish()
    }
}

impl<Results: WasmResults> TypedResumableInvocation<Results> {
    /// Why the call is suspended.
    pub fn reason(&self) -> SuspendReason {
        self.call.reason()
    }

    /// Continues the call: see [`ResumableInvocation::resume`].
    ///
    /// # Errors
    /// As [`ResumableInvocation::resume`].
    pub fn resume(
        self,
        mut ctx: impl AsContextMut,
        host_results: &[Val],
    ) -> Result<TypedResumableCall<Results>, Error> {
        let mut io = [0u64; 16];
        let store = ctx.as_context_mut();
        let id = store.id();
        let left = self.call.resume_slots(store, host_results, &mut io)?;
        Ok(typed(left, &io, id))
    }
}

/// The typed form of how a call left off.
fn typed<Results: WasmResults>(left: Left, io: &[u64], id: StoreId) -> TypedResumableCall<Results> {
    match left {
        Left::Finished => TypedResumableCall::Finished(Results::read(io, id)),
        Left::Suspended(call) => TypedResumableCall::Suspended(TypedResumableInvocation {
            call,
            _results: PhantomData,
        }),
    }
}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function, as [`TypedFunc::call`], but resumably: see
    /// [`Func::call_resumable`](crate::Func::call_resumable).
    ///
    /// # Errors
    /// The trap, when execution traps.
    pub fn call_resumable(
        &self,
        mut ctx: impl AsContextMut,
        params: Params,
    ) -> Result<TypedResumableCall<Results>, Error> {
        let mut io = [0u64; 16];
        let store = ctx.as_context_mut();
        let id = store.id();
        params.write(&mut io, id)?;
        let left = self.func().call_resumable_slots(store, &mut io)?;
        Ok(typed(left, &io, id))
    }
}
