//! Handles: what the host holds of a store's objects. Each carries the
//! identity of the store that made it, so that using it with another store is
//! caught and named instead of reaching that store's object at the same index.
//! The handles are plain data, below the values that hold them and the store
//! they point into; the checks against a store are the store's
//! (`store/handle.rs`).

use crate::error::Error;
use core::fmt;
use core::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// The identity of one [`Store`](crate::Store), unique in the process.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct StoreId(NonZeroU64);

impl StoreId {
    /// A fresh identity, never given out before in this process.
    pub(crate) fn fresh() -> StoreId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // 2^64 stores cannot be made in a process's lifetime; wrapping to 0
        // would take centuries at a billion stores a second.
        StoreId(NonZeroU64::new(n).unwrap_or(NonZeroU64::MIN))
    }
}

impl fmt::Debug for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreId({})", self.0)
    }
}

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "store #{}", self.0)
    }
}

/// The message of a handle used with a store that did not make it.
#[cold]
fn foreign_message(what: &str, made_by: StoreId, used_with: StoreId) -> String {
    format!("a {what} handle of {made_by} was used with {used_with}, which did not make it")
}

/// Panics naming a handle used with the wrong store.
#[cold]
#[inline(never)]
#[track_caller]
pub(crate) fn foreign_panic(what: &str, made_by: StoreId, used_with: StoreId) -> ! {
    panic!("wisp: {}", foreign_message(what, made_by, used_with))
}

/// The error for a handle used with the wrong store.
#[cold]
pub(crate) fn foreign_error(what: &str, made_by: StoreId, used_with: StoreId) -> Error {
    Error::foreign(foreign_message(what, made_by, used_with))
}

macro_rules! handles {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// A handle is `Copy`, `Send` and `Sync`: it is two numbers, the
        /// identity of the store that made it and an index into that store.
        /// Using it with any other store is detected: calls that return a
        /// `Result` give an [`ErrorKind::ForeignHandle`](crate::ErrorKind::ForeignHandle)
        /// error, the others panic with a message naming the misuse.
        #[derive(Copy, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) store: StoreId,
            pub(crate) index: u32,
        }

        impl $name {
            #[inline(always)]
            pub(crate) fn from_parts(store: StoreId, index: u32) -> Self {
                Self { store, index }
            }

            /// The identity of the store that made this handle.
            pub fn store_id(&self) -> StoreId {
                self.store
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({}#{})", stringify!($name), self.store.0, self.index)
            }
        }
    )*};
}

handles! {
    /// A function of a store: a wasm function of an instance, or a host function.
    Func;
    /// A host reference (`externref`): a value the store keeps for the host.
    ExternRef;
    /// A linear memory of a store.
    Memory;
    /// A table of a store.
    Table;
    /// A global of a store.
    Global;
    /// An instance of a module in a store.
    Instance;
}
