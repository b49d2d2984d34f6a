//! Values as the host sees them, and their untyped 64-bit slot encoding.

use crate::types::ValType;

use crate::error::Error;
use crate::handle::StoreId;
pub use crate::handle::{ExternRef, Func};

/// A WebAssembly value.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Val {
    /// An `i32` (also the bits of a `u32`).
    I32(i32),
    /// An `i64` (also the bits of a `u64`).
    I64(i64),
    /// An `f32`; its bit pattern, NaN payload included, is preserved.
    F32(f32),
    /// An `f64`; its bit pattern, NaN payload included, is preserved.
    F64(f64),
    /// A nullable function reference.
    FuncRef(Option<Func>),
    /// A nullable host reference.
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value of a type (null for references).
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0.0),
            ValType::F64 => Val::F64(0.0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The slot encoding in store `store`: references are the store index + 1
    /// (0 is null).
    ///
    /// # Errors
    /// When the value is a reference made by another store.
    pub(crate) fn to_slot(self, store: StoreId) -> Result<u64, Error> {
        Ok(match self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v.to_bits() as u64,
            Val::F64(v) => v.to_bits(),
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(f)) if f.store == store => f.index as u64 + 1,
            Val::ExternRef(Some(e)) if e.store == store => e.index as u64 + 1,
            Val::FuncRef(Some(f)) => {
                return Err(crate::handle::foreign_error("Func", f.store, store));
            }
            Val::ExternRef(Some(e)) => {
                return Err(crate::handle::foreign_error("ExternRef", e.store, store));
            }
        })
    }

    /// The value of type `ty` in `slot` of store `store`.
    pub(crate) fn from_slot(slot: u64, ty: ValType, store: StoreId) -> Val {
        match ty {
            ValType::I32 => Val::I32(slot as u32 as i32),
            ValType::I64 => Val::I64(slot as i64),
            ValType::F32 => Val::F32(f32::from_bits(slot as u32)),
            ValType::F64 => Val::F64(f64::from_bits(slot)),
            ValType::FuncRef => Val::FuncRef(
                slot.checked_sub(1)
                    .map(|i| Func::from_parts(store, i as u32)),
            ),
            ValType::ExternRef => Val::ExternRef(
                slot.checked_sub(1)
                    .map(|i| ExternRef::from_parts(store, i as u32)),
            ),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Self {
        Val::F32(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::F64(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_round_trip_every_type_and_nan_payloads() {
        let nan = f32::from_bits(0x7fa0_0001);
        let id = StoreId::fresh();
        for v in [
            Val::I32(-5),
            Val::I64(i64::MIN),
            Val::F32(-0.0),
            Val::F64(1.5),
            Val::FuncRef(None),
            Val::FuncRef(Some(Func::from_parts(id, 7))),
            Val::ExternRef(Some(ExternRef::from_parts(id, 0))),
            Val::ExternRef(None),
        ] {
            assert_eq!(Val::from_slot(v.to_slot(id).unwrap(), v.ty(), id), v);
        }
        let back = Val::from_slot(Val::F32(nan).to_slot(id).unwrap(), ValType::F32, id);
        assert_eq!(back.f32().unwrap().to_bits(), 0x7fa0_0001);
    }

    #[test]
    fn a_reference_of_another_store_has_no_slot() {
        let (a, b) = (StoreId::fresh(), StoreId::fresh());
        let f = Val::FuncRef(Some(Func::from_parts(a, 0)));
        let e = f.to_slot(b).unwrap_err();
        assert!(e.to_string().contains("wrong store"), "{e}");
        assert_eq!(Val::FuncRef(None).to_slot(b).unwrap(), 0);
        let x = Val::ExternRef(Some(ExternRef::from_parts(b, 3)));
        assert!(x.to_slot(a).is_err());
        assert_eq!(x.to_slot(b).unwrap(), 4);
    }
}
