//! Numeric semantics that Rust's operators don't give directly: trapping
//! division and conversions, wasm's `min`/`max`/`nearest`, bitwise float sign ops.

use super::TrapCode;

macro_rules! int_div {
    ($($div_s:ident $div_u:ident $rem_s:ident $rem_u:ident: $s:ty, $u:ty;)*) => {$(
        #[inline(always)]
        pub fn $div_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
        }
        #[inline(always)]
        pub fn $div_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero)
        }
        #[inline(always)]
        pub fn $rem_s(a: $s, b: $s) -> Result<$s, TrapCode> {
            if b == 0 {
                return Err(TrapCode::IntegerDivideByZero);
            }
            // MIN % -1 is 0 in wasm, not an overflow.
            Ok(a.wrapping_rem(b))
        }
        #[inline(always)]
        pub fn $rem_u(a: $u, b: $u) -> Result<$u, TrapCode> {
            a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero)
        }
    )*};
}
int_div! {
    i32_div_s i32_div_u i32_rem_s i32_rem_u: i32, u32;
    i64_div_s i64_div_u i64_rem_s i64_rem_u: i64, u64;
}

macro_rules! float_ops {
    ($($min:ident $max:ident $nearest:ident $abs:ident $neg:ident $copysign:ident: $f:ty, $bits:ty;)*) => {$(
        /// wasm `min`: NaN if either is NaN; -0 is less than +0.
        #[inline(always)]
        pub fn $min(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                // Equal values differ only in the sign of zero: OR keeps a negative sign.
                return <$f>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }
        /// wasm `max`: NaN if either is NaN; +0 is greater than -0.
        #[inline(always)]
        pub fn $max(a: $f, b: $f) -> $f {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$f>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }
        /// Round to nearest, ties to even.
        #[inline(always)]
        pub fn $nearest(a: $f) -> $f {
            if a.is_nan() {
                return a + a;
            }
            a.round_ties_even()
        }
        #[inline(always)]
        pub fn $abs(a: $bits) -> $bits {
            a & !(1 << (<$bits>::BITS - 1))
        }
        #[inline(always)]
        pub fn $neg(a: $bits) -> $bits {
            a ^ (1 << (<$bits>::BITS - 1))
        }
        #[inline(always)]
        pub fn $copysign(a: $bits, b: $bits) -> $bits {
            let sign = 1 << (<$bits>::BITS - 1);
            (a & !sign) | (b & sign)
        }
    )*};
}
float_ops! {
    f32_min f32_max f32_nearest f32_abs f32_neg f32_copysign: f32, u32;
    f64_min f64_max f64_nearest f64_abs f64_neg f64_copysign: f64, u64;
}

macro_rules! rounding {
    ($($name:ident = $f:ty, $bits:ty, $quiet:expr, $op:expr;)*) => {$(
        /// Rounding with a quiet NaN result for any NaN input (libm may pass a
        /// signalling NaN through unchanged; wasm requires an arithmetic NaN).
        #[inline(always)]
        pub fn $name(a: $f) -> $f {
            if a.is_nan() {
                return <$f>::from_bits(a.to_bits() | $quiet);
            }
            ($op)(a)
        }
    )*};
}
rounding! {
    f32_ceil = f32, u32, 0x0040_0000, f32::ceil;
    f32_floor = f32, u32, 0x0040_0000, f32::floor;
    f32_trunc = f32, u32, 0x0040_0000, f32::trunc;
    f32_sqrt = f32, u32, 0x0040_0000, f32::sqrt;
    f64_ceil = f64, u64, 0x0008_0000_0000_0000, f64::ceil;
    f64_floor = f64, u64, 0x0008_0000_0000_0000, f64::floor;
    f64_trunc = f64, u64, 0x0008_0000_0000_0000, f64::trunc;
    f64_sqrt = f64, u64, 0x0008_0000_0000_0000, f64::sqrt;
}

macro_rules! trunc {
    ($($name:ident: $f:ty => $i:ty, $lo:expr, $hi:expr;)*) => {$(
        /// Truncating conversion: traps on NaN and on values out of range.
        /// The bounds are exclusive and exactly representable in the source type.
        #[inline(always)]
        pub fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::InvalidConversionToInteger);
            }
            if x > $lo && x < $hi {
                Ok(x as $i)
            } else {
                Err(TrapCode::IntegerOverflow)
            }
        }
    )*};
}
trunc! {
    i32_trunc_f32_s: f32 => i32, -2147483904.0_f32, 2147483648.0_f32;
    i32_trunc_f32_u: f32 => u32, -1.0_f32, 4294967296.0_f32;
    i32_trunc_f64_s: f64 => i32, -2147483649.0_f64, 2147483648.0_f64;
    i32_trunc_f64_u: f64 => u32, -1.0_f64, 4294967296.0_f64;
    i64_trunc_f32_s: f32 => i64, -9223373136366403584.0_f32, 9223372036854775808.0_f32;
    i64_trunc_f32_u: f32 => u64, -1.0_f32, 18446744073709551616.0_f32;
    i64_trunc_f64_s: f64 => i64, -9223372036854777856.0_f64, 9223372036854775808.0_f64;
    i64_trunc_f64_u: f64 => u64, -1.0_f64, 18446744073709551616.0_f64;
}

/// Memory bytes to slots and back, one function per load and store (named
/// after it): little-endian, sign- or zero-extended to the slot.
pub(crate) mod le {
    #[inline(always)]
    pub fn i32_load(b: [u8; 4]) -> u64 {
        u32::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i64_load(b: [u8; 8]) -> u64 {
        u64::from_le_bytes(b)
    }
    #[inline(always)]
    pub fn f32_load(b: [u8; 4]) -> u64 {
        u32::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn f64_load(b: [u8; 8]) -> u64 {
        u64::from_le_bytes(b)
    }
    #[inline(always)]
    pub fn i32_load8_s(b: [u8; 1]) -> u64 {
        i8::from_le_bytes(b) as i32 as u32 as u64
    }
    #[inline(always)]
    pub fn i32_load8_u(b: [u8; 1]) -> u64 {
        u8::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i32_load16_s(b: [u8; 2]) -> u64 {
        i16::from_le_bytes(b) as i32 as u32 as u64
    }
    #[inline(always)]
    pub fn i32_load16_u(b: [u8; 2]) -> u64 {
        u16::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i64_load8_s(b: [u8; 1]) -> u64 {
        i8::from_le_bytes(b) as i64 as u64
    }
    #[inline(always)]
    pub fn i64_load8_u(b: [u8; 1]) -> u64 {
        u8::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i64_load16_s(b: [u8; 2]) -> u64 {
        i16::from_le_bytes(b) as i64 as u64
    }
    #[inline(always)]
    pub fn i64_load16_u(b: [u8; 2]) -> u64 {
        u16::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i64_load32_s(b: [u8; 4]) -> u64 {
        i32::from_le_bytes(b) as i64 as u64
    }
    #[inline(always)]
    pub fn i64_load32_u(b: [u8; 4]) -> u64 {
        u32::from_le_bytes(b) as u64
    }
    #[inline(always)]
    pub fn i32_store(v: u64) -> [u8; 4] {
        (v as u32).to_le_bytes()
    }
    #[inline(always)]
    pub fn i64_store(v: u64) -> [u8; 8] {
        v.to_le_bytes()
    }
    #[inline(always)]
    pub fn f32_store(v: u64) -> [u8; 4] {
        (v as u32).to_le_bytes()
    }
    #[inline(always)]
    pub fn f64_store(v: u64) -> [u8; 8] {
        v.to_le_bytes()
    }
    #[inline(always)]
    pub fn i32_store8(v: u64) -> [u8; 1] {
        (v as u8).to_le_bytes()
    }
    #[inline(always)]
    pub fn i32_store16(v: u64) -> [u8; 2] {
        (v as u16).to_le_bytes()
    }
    #[inline(always)]
    pub fn i64_store8(v: u64) -> [u8; 1] {
        (v as u8).to_le_bytes()
    }
    #[inline(always)]
    pub fn i64_store16(v: u64) -> [u8; 2] {
        (v as u16).to_le_bytes()
    }
    #[inline(always)]
    pub fn i64_store32(v: u64) -> [u8; 4] {
        (v as u32).to_le_bytes()
    }
}

/// i32 operations on raw bits, shared by the fused superinstructions.
pub(crate) mod i32_bits {
    #[inline(always)]
    pub fn add(a: u32, b: u32) -> u32 {
        a.wrapping_add(b)
    }
    #[inline(always)]
    pub fn sub(a: u32, b: u32) -> u32 {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    pub fn mul(a: u32, b: u32) -> u32 {
        a.wrapping_mul(b)
    }
    #[inline(always)]
    pub fn and(a: u32, b: u32) -> u32 {
        a & b
    }
    #[inline(always)]
    pub fn or(a: u32, b: u32) -> u32 {
        a | b
    }
    #[inline(always)]
    pub fn xor(a: u32, b: u32) -> u32 {
        a ^ b
    }
    #[inline(always)]
    pub fn shl(a: u32, b: u32) -> u32 {
        a.wrapping_shl(b)
    }
    #[inline(always)]
    pub fn shr_s(a: u32, b: u32) -> u32 {
        (a as i32).wrapping_shr(b) as u32
    }
    #[inline(always)]
    pub fn shr_u(a: u32, b: u32) -> u32 {
        a.wrapping_shr(b)
    }
    #[inline(always)]
    pub fn rotl(a: u32, b: u32) -> u32 {
        a.rotate_left(b % 32)
    }
    #[inline(always)]
    pub fn rotr(a: u32, b: u32) -> u32 {
        a.rotate_right(b % 32)
    }
    #[inline(always)]
    pub fn eq(a: u32, b: u32) -> bool {
        a == b
    }
    #[inline(always)]
    pub fn ne(a: u32, b: u32) -> bool {
        a != b
    }
    #[inline(always)]
    pub fn lt_s(a: u32, b: u32) -> bool {
        (a as i32) < (b as i32)
    }
    #[inline(always)]
    pub fn lt_u(a: u32, b: u32) -> bool {
        a < b
    }
    #[inline(always)]
    pub fn gt_s(a: u32, b: u32) -> bool {
        (a as i32) > (b as i32)
    }
    #[inline(always)]
    pub fn gt_u(a: u32, b: u32) -> bool {
        a > b
    }
    #[inline(always)]
    pub fn le_s(a: u32, b: u32) -> bool {
        (a as i32) <= (b as i32)
    }
    #[inline(always)]
    pub fn le_u(a: u32, b: u32) -> bool {
        a <= b
    }
    #[inline(always)]
    pub fn ge_s(a: u32, b: u32) -> bool {
        (a as i32) >= (b as i32)
    }
    #[inline(always)]
    pub fn ge_u(a: u32, b: u32) -> bool {
        a >= b
    }
}

/// i64 operations on raw bits, shared by the fused superinstructions.
pub(crate) mod i64_bits {
    #[inline(always)]
    pub fn add(a: u64, b: u64) -> u64 {
        a.wrapping_add(b)
    }
    #[inline(always)]
    pub fn sub(a: u64, b: u64) -> u64 {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    pub fn mul(a: u64, b: u64) -> u64 {
        a.wrapping_mul(b)
    }
    #[inline(always)]
    pub fn and(a: u64, b: u64) -> u64 {
        a & b
    }
    #[inline(always)]
    pub fn or(a: u64, b: u64) -> u64 {
        a | b
    }
    #[inline(always)]
    pub fn xor(a: u64, b: u64) -> u64 {
        a ^ b
    }
    #[inline(always)]
    pub fn shl(a: u64, b: u64) -> u64 {
        a.wrapping_shl(b as u32)
    }
    #[inline(always)]
    pub fn shr_u(a: u64, b: u64) -> u64 {
        a.wrapping_shr(b as u32)
    }
    #[inline(always)]
    pub fn shr_s(a: u64, b: u64) -> u64 {
        (a as i64).wrapping_shr(b as u32) as u64
    }
    #[inline(always)]
    pub fn rotl(a: u64, b: u64) -> u64 {
        a.rotate_left((b % 64) as u32)
    }
    #[inline(always)]
    pub fn eq(a: u64, b: u64) -> bool {
        a == b
    }
    #[inline(always)]
    pub fn ne(a: u64, b: u64) -> bool {
        a != b
    }
    #[inline(always)]
    pub fn lt_s(a: u64, b: u64) -> bool {
        (a as i64) < (b as i64)
    }
    #[inline(always)]
    pub fn lt_u(a: u64, b: u64) -> bool {
        a < b
    }
    #[inline(always)]
    pub fn gt_s(a: u64, b: u64) -> bool {
        (a as i64) > (b as i64)
    }
    #[inline(always)]
    pub fn gt_u(a: u64, b: u64) -> bool {
        a > b
    }
    #[inline(always)]
    pub fn le_s(a: u64, b: u64) -> bool {
        (a as i64) <= (b as i64)
    }
    #[inline(always)]
    pub fn le_u(a: u64, b: u64) -> bool {
        a <= b
    }
    #[inline(always)]
    pub fn ge_s(a: u64, b: u64) -> bool {
        (a as i64) >= (b as i64)
    }
    #[inline(always)]
    pub fn ge_u(a: u64, b: u64) -> bool {
        a >= b
    }
}

/// The float types as the value stack holds them, so that one family of
/// shape macros (`float_ss!`, `float_scx!`, ... in `ops`) serves f32 and f64.
pub(crate) trait FloatSlot: Copy {
    /// A constant operand's bits as the op holds them.
    type Bits;
    /// The value in a slot (an f32 in its low half).
    fn from_slot(slot: u64) -> Self;
    /// The slot holding the value.
    fn to_slot(self) -> u64;
    /// The value of a constant operand.
    fn from_const(c: Self::Bits) -> Self;
}

impl FloatSlot for f32 {
    type Bits = u32;
    #[inline(always)]
    fn from_slot(slot: u64) -> f32 {
        f32::from_bits(slot as u32)
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        u64::from(self.to_bits())
    }
    #[inline(always)]
    fn from_const(c: u32) -> f32 {
        f32::from_bits(c)
    }
}

impl FloatSlot for f64 {
    type Bits = u64;
    #[inline(always)]
    fn from_slot(slot: u64) -> f64 {
        f64::from_bits(slot)
    }
    #[inline(always)]
    fn to_slot(self) -> u64 {
        self.to_bits()
    }
    #[inline(always)]
    fn from_const(c: u64) -> f64 {
        f64::from_bits(c)
    }
}

/// f32 arithmetic, shared by the fused superinstructions.
pub(crate) mod f32_ops {
    #[inline(always)]
    pub fn add(a: f32, b: f32) -> f32 {
        a + b
    }
    #[inline(always)]
    pub fn sub(a: f32, b: f32) -> f32 {
        a - b
    }
    #[inline(always)]
    pub fn mul(a: f32, b: f32) -> f32 {
        a * b
    }
    #[inline(always)]
    pub fn div(a: f32, b: f32) -> f32 {
        a / b
    }
}

/// f64 arithmetic, shared by the fused superinstructions.
pub(crate) mod f64_ops {
    #[inline(always)]
    pub fn add(a: f64, b: f64) -> f64 {
        a + b
    }
    #[inline(always)]
    pub fn sub(a: f64, b: f64) -> f64 {
        a - b
    }
    #[inline(always)]
    pub fn mul(a: f64, b: f64) -> f64 {
        a * b
    }
    #[inline(always)]
    pub fn div(a: f64, b: f64) -> f64 {
        a / b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_division_traps_exactly() {
        assert!(matches!(
            i32_div_s(1, 0),
            Err(TrapCode::IntegerDivideByZero)
        ));
        assert!(matches!(
            i32_div_s(i32::MIN, -1),
            Err(TrapCode::IntegerOverflow)
        ));
        assert_eq!(i32_rem_s(i32::MIN, -1).unwrap(), 0);
        assert_eq!(i64_div_s(-7, 2).unwrap(), -3);
        assert_eq!(i64_rem_s(-7, 2).unwrap(), -1);
    }

    #[test]
    fn min_max_order_signed_zeros_and_propagate_nan() {
        assert!(f32_min(0.0, -0.0).is_sign_negative());
        assert!(f32_max(-0.0, 0.0).is_sign_positive());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
        assert_eq!(f64_max(1.0, 2.0), 2.0);
    }

    #[test]
    fn truncation_bounds_are_exact() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0).unwrap(), i32::MIN);
        assert!(i32_trunc_f32_s(2147483648.0).is_err());
        assert_eq!(i32_trunc_f64_s(-2147483648.9).unwrap(), i32::MIN);
        assert!(i32_trunc_f64_s(-2147483649.0).is_err());
        assert_eq!(i32_trunc_f32_u(-0.9).unwrap(), 0);
        assert!(matches!(
            i64_trunc_f64_u(f64::NAN),
            Err(TrapCode::InvalidConversionToInteger)
        ));
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0).unwrap(), i64::MIN);
    }

    #[test]
    fn rounding_quiets_signalling_nans() {
        let snan = f32::from_bits(0x7fa0_0000);
        for f in [f32_ceil, f32_floor, f32_trunc, f32_sqrt, f32_nearest] {
            assert_eq!(f(snan).to_bits() & 0x0040_0000, 0x0040_0000);
        }
        assert_eq!(f64_floor(-1.5), -2.0);
    }

    #[test]
    fn sign_ops_keep_nan_payloads() {
        let nan = 0x7fc0_1234u32;
        assert_eq!(f32_neg(nan), 0xffc0_1234);
        assert_eq!(f32_abs(0xffc0_1234), nan);
        assert_eq!(f32_copysign(nan, 0x8000_0000), 0xffc0_1234);
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f64_nearest(-3.5), -4.0);
    }
}
