//! Integer division and remainder by a constant, as multiplications.
//!
//! LLVM's WebAssembly target leaves `x / 10` and `x % n` (constant `n`) as
//! `div`/`rem` instructions, on the grounds that the engine will do better
//! (`isIntDivCheap` is true there): every division by a constant in compiled
//! C, C++ and Rust (number formatting, hashing modulo a table size, ring
//! buffers) reaches wisp as a hardware division, 12 to 40 cycles of latency,
//! after a dispatch for the constant. The translator computes a multiplier
//! once (`u32_magic`, `u64_magic`) and the fused op (`I32DivUSC`, ...)
//! divides by multiplying.
//!
//! - 32 bits: with `m = ceil(2^64 / d)`, `x / d` is the high half of the
//!   128-bit product `m * x`, and `x % d` is the high half of
//!   `(m * x mod 2^64) * d`, for every 32-bit `x` and `2 <= d < 2^32`
//!   (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
//! - 64 bits: Granlund and Montgomery's round-up method ("Division by
//!   invariant integers using multiplication", 1994, figure 4.1): with
//!   `l = ceil(log2 d)` and `m = floor(2^64 (2^l - d) / d) + 1`, `t = mulhi(m,
//!   x)` and `x / d = (t + ((x - t) >> 1)) >> (l - 1)` for every 64-bit `x` and
//!   `d >= 2`. A remainder is `x - (x / d) d`.
//! - Signed division works on magnitudes: wasm's `div_s` truncates toward
//!   zero and `rem_s` takes the dividend's sign, so `|x| / |d|` and
//!   `|x| % |d|` with the signs put back are exact. The translator fuses only
//!   `|d| >= 2` (`d` neither 0, which traps, nor -1, whose `MIN / -1`
//!   traps), and not `MIN` itself, whose magnitude is not a signed value.

/// The multiplier for 32-bit division by `d`, if `d >= 2`.
pub(crate) fn u32_magic(d: u32) -> Option<u64> {
    (d >= 2).then(|| u64::MAX / u64::from(d) + 1)
}

/// The multiplier and the final shift (`l - 1`) for 64-bit division by `d`,
/// if `d >= 2`.
pub(crate) fn u64_magic(d: u64) -> Option<(u64, u32)> {
    if d < 2 {
        return None;
    }
    // l = ceil(log2 d), 1 <= l <= 64
    let l = 64 - (d - 1).leading_zeros();
    // 2^l - d < d (as 2^(l-1) < d), so the quotient is below 2^64, and it
    // stays below 2^64 - 1 (2^l / d < 2): the + 1 cannot wrap.
    let m = (((1u128 << l) - u128::from(d)) << 64) / u128::from(d);
    Some((m as u64 + 1, l - 1))
}

/// The largest divisor the 64-bit remainder ops carry (beside its shift, in
/// a 32-bit field: `pack`).
pub(crate) const PACKED_MAX: u64 = (1 << 26) - 1;

/// A divisor of at most `PACKED_MAX` and its shift in one field.
pub(crate) fn pack(d: u64, shift: u32) -> Option<u32> {
    (d <= PACKED_MAX).then_some(((d as u32) << 6) | shift)
}

#[inline(always)]
fn mulhi(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) >> 64) as u64
}

/// `x / d`, `m = u32_magic(d)`.
#[inline(always)]
pub(crate) fn div_u32(x: u32, m: u64) -> u32 {
    mulhi(m, u64::from(x)) as u32
}

/// `x % d`, `m = u32_magic(d)`.
#[inline(always)]
pub(crate) fn rem_u32(x: u32, m: u64, d: u32) -> u32 {
    mulhi(m.wrapping_mul(u64::from(x)), u64::from(d)) as u32
}

/// `x / d` (wasm `div_s`), `m = u32_magic(|d|)`; only `negative`, `d`'s sign.
#[inline(always)]
pub(crate) fn div_s32(x: i32, m: u64, negative: bool) -> i32 {
    let q = div_u32(x.unsigned_abs(), m) as i32;
    // |q| <= 2^30: the negation cannot overflow
    if (x < 0) != negative { -q } else { q }
}

/// `x % d` (wasm `rem_s`), `m = u32_magic(ad)`, `ad = |d|`.
#[inline(always)]
pub(crate) fn rem_s32(x: i32, m: u64, ad: u32) -> i32 {
    let r = rem_u32(x.unsigned_abs(), m, ad) as i32;
    // |r| < |d| <= 2^31 - 1
    if x < 0 { -r } else { r }
}

/// `x / d`, `(m, shift) = u64_magic(d)`.
#[inline(always)]
pub(crate) fn div_u64(x: u64, m: u64, shift: u32) -> u64 {
    let t = mulhi(m, x);
    (t + ((x - t) >> 1)) >> shift
}

/// `x % d`, `packed = pack(d, shift)` with `(m, shift) = u64_magic(d)`.
#[inline(always)]
pub(crate) fn rem_u64(x: u64, m: u64, packed: u32) -> u64 {
    let d = u64::from(packed >> 6);
    x - div_u64(x, m, packed & 63) * d
}

/// The sign flag of a signed 64-bit division's packed shift (bit 31).
pub(crate) const NEGATIVE: u32 = 1 << 31;

/// `x / d` (wasm `div_s`), `(m, shift) = u64_magic(|d|)`, `ns = shift`, with
/// `NEGATIVE` when `d < 0`.
#[inline(always)]
pub(crate) fn div_s64(x: i64, m: u64, ns: u32) -> i64 {
    let q = div_u64(x.unsigned_abs(), m, ns & 63) as i64;
    // |q| <= 2^62: the negation cannot overflow
    if (x < 0) != (ns & NEGATIVE != 0) {
        -q
    } else {
        q
    }
}

/// `x % d` (wasm `rem_s`), `packed = pack(|d|, shift)`.
#[inline(always)]
pub(crate) fn rem_s64(x: i64, m: u64, packed: u32) -> i64 {
    let r = rem_u64(x.unsigned_abs(), m, packed) as i64;
    if x < 0 { -r } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numerators that stress a divisor `d`: the edges of the type and the
    /// values around multiples of `d`.
    fn around(d: u64, max: u64) -> Vec<u64> {
        let mut v = vec![
            0,
            1,
            2,
            max,
            max - 1,
            max / 2,
            max / 2 + 1,
            d - 1,
            d,
            d.saturating_add(1).min(max),
        ];
        for k in [2u64, 3, 7, 1 << 20] {
            if let Some(p) = d.checked_mul(k).filter(|&p| p <= max) {
                v.extend([p - 1, p, p.saturating_add(1).min(max)]);
            }
        }
        let top = max / d * d;
        v.extend([top, top - 1, top.saturating_add(d - 1).min(max)]);
        v
    }

    /// Divisors: small ones, powers of two and their neighbours, the type's
    /// edges, and a spread of random ones.
    fn divisors(max: u64, seed: u64) -> Vec<u64> {
        let mut v: Vec<u64> = (2..=1000).collect();
        for k in 1..64 {
            let p = 1u64 << k;
            if p <= max {
                v.extend([p - 1, p, p.saturating_add(1).min(max)]);
            }
        }
        v.extend([
            max,
            max - 1,
            max / 2,
            max / 2 + 1,
            max / 3,
            10_000,
            100_000,
            1_000_000_007,
        ]);
        let mut s = seed;
        for _ in 0..2000 {
            // xorshift64*, then a random width so small divisors come up too
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            let r = s.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let d = (r >> (r % 63)) & max;
            if d >= 2 {
                v.push(d);
            }
        }
        v.retain(|&d| (2..=max).contains(&d));
        v
    }

    fn numerators(d: u64, max: u64, seed: &mut u64) -> Vec<u64> {
        let mut v = around(d, max);
        for _ in 0..64 {
            *seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            v.push((*seed >> (*seed % 61)) & max);
        }
        v
    }

    #[test]
    fn u32_division_and_remainder_are_exact() {
        let mut seed = 1;
        for d in divisors(u64::from(u32::MAX), 7) {
            let d = d as u32;
            let m = u32_magic(d).unwrap();
            for x in numerators(u64::from(d), u64::from(u32::MAX), &mut seed) {
                let x = x as u32;
                assert_eq!(div_u32(x, m), x / d, "{x} / {d}");
                assert_eq!(rem_u32(x, m, d), x % d, "{x} % {d}");
            }
        }
        assert_eq!(u32_magic(0), None);
        assert_eq!(u32_magic(1), None);
    }

    #[test]
    fn i32_division_and_remainder_are_exact() {
        let mut seed = 2;
        for ad in divisors(i32::MAX as u64, 11) {
            let m = u32_magic(ad as u32).unwrap();
            for d in [ad as i32, -(ad as i32)] {
                for x in numerators(ad, u64::from(u32::MAX), &mut seed) {
                    for x in [x as u32 as i32, (x as u32 as i32).wrapping_neg()] {
                        assert_eq!(div_s32(x, m, d < 0), x / d, "{x} / {d}");
                        assert_eq!(rem_s32(x, m, ad as u32), x % d, "{x} % {d}");
                    }
                }
            }
        }
        for d in [2, 3, 7, i32::MAX, -2, -3, -7, -i32::MAX] {
            let m = u32_magic(d.unsigned_abs()).unwrap();
            assert_eq!(div_s32(i32::MIN, m, d < 0), i32::MIN / d, "MIN / {d}");
            assert_eq!(
                rem_s32(i32::MIN, m, d.unsigned_abs()),
                i32::MIN % d,
                "MIN % {d}"
            );
        }
    }

    #[test]
    fn u64_division_and_remainder_are_exact() {
        let mut seed = 3;
        for d in divisors(u64::MAX, 13) {
            let (m, shift) = u64_magic(d).unwrap();
            for x in numerators(d, u64::MAX, &mut seed) {
                assert_eq!(div_u64(x, m, shift), x / d, "{x} / {d}");
                if let Some(p) = pack(d, shift) {
                    assert_eq!(rem_u64(x, m, p), x % d, "{x} % {d}");
                }
            }
        }
        assert_eq!(u64_magic(0), None);
        assert_eq!(u64_magic(1), None);
        assert_eq!(pack(PACKED_MAX + 1, 0), None);
        assert!(pack(PACKED_MAX, 25).is_some());
    }

    #[test]
    fn i64_division_and_remainder_are_exact() {
        let mut seed = 4;
        for ad in divisors(i64::MAX as u64, 17) {
            let (m, shift) = u64_magic(ad).unwrap();
            for d in [ad as i64, -(ad as i64)] {
                let ns = shift | if d < 0 { NEGATIVE } else { 0 };
                for x in numerators(ad, u64::MAX, &mut seed) {
                    for x in [x as i64, (x as i64).wrapping_neg()] {
                        assert_eq!(div_s64(x, m, ns), x.wrapping_div(d), "{x} / {d}");
                        if let Some(p) = pack(ad, shift) {
                            assert_eq!(rem_s64(x, m, p), x.wrapping_rem(d), "{x} % {d}");
                        }
                    }
                }
            }
        }
    }
}
