//! The store's checks of handles (`crate::handle`): whether a handle belongs
//! to a store, and its index there, refused by name when another store made it.

use super::{AsContext, StoreInner};
use crate::error::Error;
use crate::handle::{
    ExternRef, Func, Global, Instance, Memory, Table, foreign_error, foreign_panic,
};

macro_rules! checks {
    ($($name:ident => $what:literal;)*) => {$(
        impl $name {
            /// Whether this handle was made by the store `ctx` gives access to.
            pub fn belongs_to(&self, ctx: impl AsContext) -> bool {
                self.store == ctx.as_context().inner.id
            }

            /// The index into `store`; panics naming the misuse if `store` did not make it.
            #[inline(always)]
            #[track_caller]
            pub(crate) fn idx(&self, store: &StoreInner) -> usize {
                if self.store != store.id {
                    foreign_panic($what, self.store, store.id);
                }
                self.index as usize
            }

            /// The index into `store`, or an error naming the misuse.
            #[inline(always)]
            #[allow(dead_code, reason = "not every handle has a fallible use")]
            pub(crate) fn try_idx(&self, store: &StoreInner) -> Result<usize, Error> {
                if self.store != store.id {
                    return Err(foreign_error($what, self.store, store.id));
                }
                Ok(self.index as usize)
            }
        }
    )*};
}

checks! {
    Func => "Func";
    ExternRef => "ExternRef";
    Memory => "Memory";
    Table => "Table";
    Global => "Global";
    Instance => "Instance";
}
