//! Decoding guest flag words: the `from_guest` constructors of the flag sets in `flags.rs`.
//!
//! Each refuses a word with bits its spec type does not define, as checklist item M5
//! requires, so it is the one place where a flag set meets [`Error`]. Rights are decoded by
//! [`Rights::from_guest`](crate::Rights::from_guest) in `rights.rs`: unknown rights bits are
//! dropped, not refused, so that decoding cannot fail.

use crate::error::Error;
use crate::flags::{Fdflags, Fstflags, Lookupflags, Oflags};

/// Implements `from_guest` for a flag set whose spec type is `$bits` wide.
macro_rules! from_guest {
    ($ty:ident, $bits:ty, $spec:literal) => {
        impl $ty {
            #[doc = concat!("Decodes a guest's `", $spec, "` argument.")]
            ///
            /// # Errors
            ///
            /// [`Error::InvalidFlags`] (INVAL) if `raw` has a bit the spec does not define (M5).
            pub fn from_guest(raw: u32) -> Result<Self, Error> {
                <$bits>::try_from(raw)
                    .ok()
                    .and_then(Self::from_bits)
                    .ok_or_else(|| Error::invalid_flags($spec, u64::from(raw)))
            }
        }
    };
}

from_guest!(Fdflags, u16, "fdflags");
from_guest!(Oflags, u16, "oflags");
from_guest!(Lookupflags, u32, "lookupflags");
from_guest!(Fstflags, u16, "fstflags");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_guest_refuses_unknown_bits() {
        assert_eq!(
            Fdflags::from_guest(0x11),
            Ok(Fdflags::APPEND | Fdflags::SYNC)
        );
        assert_eq!(
            Fdflags::from_guest(0x20),
            Err(Error::InvalidFlags {
                name: "fdflags",
                bits: 0x20
            })
        );
        // A value wider than the u16 the spec uses is refused, not truncated.
        assert!(Fdflags::from_guest(0x1_0001).is_err());
        assert_eq!(Oflags::from_guest(0xF), Ok(Oflags::all()));
        assert!(Oflags::from_guest(0x10).is_err());
        assert_eq!(Lookupflags::from_guest(0), Ok(Lookupflags::empty()));
        assert!(Lookupflags::from_guest(2).is_err());
        assert!(Lookupflags::from_guest(u32::MAX).is_err());
        assert_eq!(
            Fstflags::from_guest(0x5),
            Ok(Fstflags::ATIM | Fstflags::MTIM)
        );
        assert!(Fstflags::from_guest(0x10).is_err());
    }
}
