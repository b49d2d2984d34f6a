//! Resumable calls: a call that stops for fuel, an interruption or a host
//! function's yield comes back as a suspended invocation, which owns the
//! call's value stack and frames and continues where it stopped. The typed
//! form (`TypedFunc::call_resumable`) is built on this one in `host/resumable.rs`.

use super::driver::{Called, Invocation};
use crate::error::Error;
use crate::store::{AsContextMut, Store};
use crate::types::ValType;
use crate::value::{Func, Val};
use std::sync::Arc;

/// Why a resumable call is suspended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SuspendReason {
    /// The store's fuel ran out ([`Config::consume_fuel`](crate::Config::consume_fuel));
    /// refuel with [`Store::set_fuel`](crate::Store::set_fuel) before resuming.
    OutOfFuel,
    /// [`InterruptHandle::interrupt`](crate::InterruptHandle::interrupt) stopped it.
    Interrupted,
    /// A [`Deadline`](crate::Deadline) passed.
    DeadlineExceeded,
    /// A host function returned [`Trap::host_yield`](crate::Trap::host_yield):
    /// resuming gives that function's results.
    HostYield,
}

/// How a resumable call ([`Func::call_resumable`]) left off.
#[derive(Debug)]
pub enum ResumableCall {
    /// The function returned; its results were written.
    Finished,
    /// The call stopped and can be resumed.
    Suspended(ResumableInvocation),
}

/// A suspended call: its stack, its frames and where it stopped. It belongs to
/// the store that started it and may move to another thread with it.
#[derive(Debug)]
pub struct ResumableInvocation {
    call: Invocation,
    /// The function's result types.
    results: Arc<[ValType]>,
}

/// How a resumable call left off, its results still in slots: the part of
/// `Func::call_resumable` and `ResumableInvocation::resume` that the typed
/// calls reuse.
pub(crate) enum Left {
    /// The function returned; its results are in the slots.
    Finished,
    /// The call stopped and can be resumed.
    Suspended(ResumableInvocation),
}

impl ResumableInvocation {
    /// Why the call is suspended.
    pub fn reason(&self) -> SuspendReason {
        self.call.reason()
    }

    /// Continues the call where it stopped. For a [`SuspendReason::HostYield`],
    /// `host_results` become the results of the host function that yielded
    /// (they must match its result types); for the other reasons it must be
    /// empty. `results` receives the function's results when it finishes.
    /// A call that stopped for lack of fuel stops again at once unless the
    /// store was refuelled.
    ///
    /// # Errors
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `ctx` is another
    /// store than the one that started the call; [`ErrorKind::Type`](crate::ErrorKind::Type)
    /// when `host_results` or the room for `results` do not match;
    /// [`ErrorKind::Trap`](crate::ErrorKind::Trap) when execution traps. The
    /// invocation is gone in each case.
    pub fn resume(
        self,
        mut ctx: impl AsContextMut,
        host_results: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        if results.len() != self.results.len() {
            return Err(Error::ty(format!(
                "expected {} results, got room for {}",
                self.results.len(),
                results.len()
            )));
        }
        let types = self.results.clone();
        let mut io = vec![0; types.len()];
        let store = ctx.as_context_mut();
        let id = store.id();
        match self.resume_slots(store, host_results, &mut io)? {
            Left::Finished => {
                for ((r, t), s) in results.iter_mut().zip(types.iter()).zip(io) {
                    *r = Val::from_slot(s, *t, id);
                }
                Ok(ResumableCall::Finished)
            }
            Left::Suspended(call) => Ok(ResumableCall::Suspended(call)),
        }
    }

    /// `resume` on slots: a finished call's results go to the first slots of
    /// `io`, which holds at least as many as the function has results.
    pub(crate) fn resume_slots<T>(
        self,
        store: &mut Store<T>,
        host_results: &[Val],
        io: &mut [u64],
    ) -> Result<Left, Error> {
        Ok(match store.resume_raw(self.call, host_results, io)? {
            Called::Finished => Left::Finished,
            Called::Suspended(call) => Left::Suspended(ResumableInvocation {
                call,
                results: self.results,
            }),
        })
    }

    /// The suspended call itself (for the typed invocation's `Debug`).
    pub(crate) fn invocation(&self) -> &Invocation {
        &self.call
    }
}

impl Func {
    /// Calls the function with untyped values, as [`Func::call`], but a stop
    /// for fuel, an interruption or a deadline, or a host function's
    /// [`Trap::host_yield`](crate::Trap::host_yield), suspends the call
    /// instead of ending it: [`ResumableCall::Suspended`] holds it, to be
    /// resumed later. Only this call suspends: a wasm call a host function
    /// makes meanwhile ends with a trap as usual.
    ///
    /// # Errors
    /// As [`Func::call`].
    pub fn call_resumable(
        &self,
        mut ctx: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<ResumableCall, Error> {
        let store = ctx.as_context_mut();
        let mut io = store.untyped_io(*self, params, results)?;
        match self.call_resumable_slots(store, &mut io)? {
            Left::Finished => {
                store.untyped_results(*self, &io, results);
                Ok(ResumableCall::Finished)
            }
            Left::Suspended(call) => Ok(ResumableCall::Suspended(call)),
        }
    }

    /// `call_resumable` on slots (types already checked): arguments in,
    /// results out of `io`, which holds at least `max(params, results)` slots.
    pub(crate) fn call_resumable_slots<T>(
        &self,
        store: &mut Store<T>,
        io: &mut [u64],
    ) -> Result<Left, Error> {
        Ok(match store.call_raw_with(*self, io, true)? {
            Called::Finished => Left::Finished,
            Called::Suspended(call) => Left::Suspended(ResumableInvocation {
                call,
                results: self.ty(&*store).results().into(),
            }),
        })
    }
}
