//! Fuel and interruption: the store's fuel, the handle that interrupts a
//! running call from another thread, and deadlines built on it. The checks
//! themselves are the `Fuel` ops of metered code (`exec`, `translate`).

use super::Store;
use crate::error::Error;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// No interruption is pending.
pub(crate) const NO_REQUEST: u8 = 0;
/// [`InterruptHandle::interrupt`] was called.
pub(crate) const INTERRUPT: u8 = 1;
/// A [`Deadline`] passed.
pub(crate) const DEADLINE: u8 = 2;

/// What a store shares with its interrupt handles and its suspended
/// invocations. One allocation per store, so its address is also the store's
/// identity (a suspended invocation keeps it alive, so no other store can
/// have it meanwhile).
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// The pending interruption: `NO_REQUEST`, `INTERRUPT` or `DEADLINE`. The
    /// `Fuel` op that stops a run because of it resets it.
    pub interrupt: AtomicU8,
}

/// Stops the calls of one store from any thread: see [`Store::interrupt_handle`].
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    shared: Arc<Shared>,
}

impl InterruptHandle {
    /// Asks the store's running call to stop at its next fuel check (each
    /// function entry, loop iteration and `if` arm), with
    /// [`TrapKind::Interrupted`](crate::TrapKind::Interrupted) (a plain call)
    /// or as [`SuspendReason::Interrupted`](crate::SuspendReason::Interrupted)
    /// (a resumable one). When no call is running, the next call stops at its
    /// first check. The request is consumed by the run it stops; a request
    /// already pending (another interrupt or a passed deadline) is kept as it is.
    pub fn interrupt(&self) {
        request(&self.shared, INTERRUPT);
    }

    /// Starts a timer that interrupts the store after `after`, stopping its
    /// running (or next) call with
    /// [`TrapKind::DeadlineExceeded`](crate::TrapKind::DeadlineExceeded),
    /// unless the returned guard is dropped first. The timer is a small thread
    /// that sleeps until then; dropping the guard wakes and joins it.
    ///
    /// # Errors
    /// [`ErrorKind::Io`](crate::ErrorKind::Io) when the timer thread cannot be started.
    pub fn deadline(&self, after: Duration) -> Result<Deadline, Error> {
        let state = Arc::new(DeadlineState {
            shared: self.shared.clone(),
            cancelled: AtomicBool::new(false),
            fired: AtomicBool::new(false),
        });
        // A deadline beyond what `Instant` can express never passes.
        let Some(at) = Instant::now().checked_add(after) else {
            return Ok(Deadline {
                state,
                thread: None,
            });
        };
        let timer = state.clone();
        let thread = std::thread::Builder::new()
            .name("wisp-deadline".into())
            .spawn(move || timer.run(at))?;
        Ok(Deadline {
            state,
            thread: Some(thread),
        })
    }
}

/// Sets `reason` as the pending interruption unless one is already pending;
/// whether it did.
fn request(shared: &Shared, reason: u8) -> bool {
    shared
        .interrupt
        .compare_exchange(NO_REQUEST, reason, Ordering::Relaxed, Ordering::Relaxed)
        .is_ok()
}

struct DeadlineState {
    shared: Arc<Shared>,
    cancelled: AtomicBool,
    /// The timer set the store's interruption.
    fired: AtomicBool,
}

impl DeadlineState {
    /// The timer thread: sleeps until `at` or until cancelled.
    fn run(&self, at: Instant) {
        loop {
            if self.cancelled.load(Ordering::Acquire) {
                return;
            }
            let now = Instant::now();
            if now >= at {
                if request(&self.shared, DEADLINE) {
                    self.fired.store(true, Ordering::Release);
                }
                return;
            }
            // Wakes early when the guard is dropped (or spuriously: the loop re-checks).
            std::thread::park_timeout(at - now);
        }
    }
}

/// A pending deadline ([`InterruptHandle::deadline`]). Dropping it cancels the
/// timer; a deadline that passed but has not stopped a run yet (the call had
/// ended) is withdrawn too, so it cannot stop a later call.
#[must_use = "dropping the guard cancels the deadline"]
pub struct Deadline {
    state: Arc<DeadlineState>,
    thread: Option<JoinHandle<()>>,
}

impl Deadline {
    /// Whether the deadline has passed (and interrupted the store).
    pub fn expired(&self) -> bool {
        self.state.fired.load(Ordering::Acquire)
    }
}

impl core::fmt::Debug for Deadline {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Deadline")
            .field("expired", &self.expired())
            .finish_non_exhaustive()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.state.cancelled.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            // The timer only loads, stores and parks: it cannot panic, and it
            // returns as soon as it sees the cancellation.
            let _ = thread.join();
        }
        if self.state.fired.load(Ordering::Acquire) {
            let _ = self.state.shared.interrupt.compare_exchange(
                DEADLINE,
                NO_REQUEST,
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
    }
}

impl<T> Store<T> {
    /// Sets the store's fuel (see [`Config::consume_fuel`](crate::Config::consume_fuel)).
    /// Fuel is only consumed while wasm runs; a call suspended for lack of
    /// fuel continues from where it stopped once refuelled and resumed.
    ///
    /// # Errors
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `consume_fuel` is off.
    pub fn set_fuel(&mut self, fuel: u64) -> Result<(), Error> {
        self.fuel_check()?;
        self.inner.fuel = fuel;
        Ok(())
    }

    /// The fuel left.
    ///
    /// # Errors
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when `consume_fuel` is off.
    pub fn get_fuel(&self) -> Result<u64, Error> {
        self.fuel_check()?;
        Ok(self.inner.fuel)
    }

    fn fuel_check(&self) -> Result<(), Error> {
        if !self.inner.config.consume_fuel {
            return Err(Error::config(
                "fuel metering is off in this store (Config::consume_fuel)",
            ));
        }
        Ok(())
    }

    /// A handle that stops this store's calls from any thread: see
    /// [`InterruptHandle::interrupt`] and [`InterruptHandle::deadline`].
    ///
    /// # Errors
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when
    /// [`Config::interruptible`](crate::Config::interruptible) is off.
    pub fn interrupt_handle(&self) -> Result<InterruptHandle, Error> {
        if !self.inner.config.interruptible {
            return Err(Error::config(
                "interruption is off in this store (Config::interruptible)",
            ));
        }
        Ok(InterruptHandle {
            shared: self.inner.shared.clone(),
        })
    }
}
