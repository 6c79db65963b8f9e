//! `e^x`: Cody–Waite reduction `x = k ln 2 + r`, `|r| <= ln 2 / 2` (`k` by the round-to-nearest
//! of adding `1.5 * 2^52`; `ln 2` split in a high part with trailing zeros, so `k * ln2_hi` is
//! exact, and a low part: fdlibm's `ln2_hi`/`ln2_lo` for `f64`, Cephes' `0.693359375` and
//! `-2.12194440e-4` for `f32`; the rounding error of `r` is kept, by a fast two-sum, as a
//! correction `r_low`). Then `e^r = 1 + (r + r^2 q(r))`, with `q` the Taylor polynomial of
//! `(e^r - 1 - r) / r^2`: coefficients `1/n!` for `n = 2..=13` in `f64`, `2..=8` in `f32`,
//! computed exactly by the compiler; the first term left out is below `2^-56` (`2^-30` for
//! `f32`) of `r` on `|r| <= ln 2 / 2`. The result is `e^r * 2^(k/2) * 2^(k - k/2)`, two exact
//! scalings, so results that overflow become infinite and results in the subnormal range are
//! rounded once, as they should be.

use super::width::{Width, clamp, horner};

/// The constants of the reduction and the polynomial, per width.
pub trait Exp: Width {
    /// `log2(e)`.
    const LOG2_E: Self;
    /// The high part of `ln 2`: its trailing bits are 0, so `k * LN2_HI` is exact.
    const LN2_HI: Self;
    /// `ln 2 - LN2_HI`.
    const LN2_LO: Self;
    /// `1.5 * 2^52` (`2^23`): adding it rounds to an integer, which then sits in the low bits.
    const SHIFT: Self;
    /// `1/n!` from `n = 2`: the Taylor coefficients of `(e^r - 1 - r) / r^2`.
    const TAYLOR: &'static [Self];
    /// Below this the result rounds to 0, above `HIGH` to inf; the clamp keeps `k` in range.
    const LOW: Self;
    /// See [`Exp::LOW`].
    const HIGH: Self;
}

impl Exp for f64 {
    const LOG2_E: f64 = core::f64::consts::LOG2_E;
    /// fdlibm's `ln2_hi`: its last 21 bits are 0, so `k * LN2_HI` is exact for `|k| < 2^21`.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    /// fdlibm's `ln2_lo`.
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    const TAYLOR: &'static [f64] = &[
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];
    const LOW: f64 = -746.0;
    const HIGH: f64 = 710.0;
}

impl Exp for f32 {
    const LOG2_E: f32 = core::f32::consts::LOG2_E;
    /// Cephes' `C1`, `355/512`.
    const LN2_HI: f32 = 355.0 / 512.0;
    /// Cephes' `C2`.
    const LN2_LO: f32 = -2.121_944_4e-4;
    const SHIFT: f32 = 12_582_912.0;
    const TAYLOR: &'static [f32] = &[
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
    ];
    const LOW: f32 = -104.0;
    const HIGH: f32 = 89.0;
}

/// `x = k ln 2 + r` with `|r| <= ln 2 / 2` (a hair more where `k` rounds twice): `(k, r, r_low)`,
/// for `|x|` below `2^50` (`2^21`).
#[inline]
pub fn reduce<F: Exp>(x: F) -> (F::Int, F, F) {
    let shifted = x * F::LOG2_E + F::SHIFT;
    let k = shifted - F::SHIFT;
    // `high` is exact; `r + r_low = high - low` exactly (fast two-sum).
    let (high, low) = (x - k * F::LN2_HI, k * F::LN2_LO);
    let r = high - low;
    let r_low = (high - r) - low;
    (F::low_bits_integer(shifted, F::SHIFT), r, r_low)
}

/// `e^(r + r_low)` for `|r| <= ln 2 / 2` and a tiny `r_low`.
#[inline]
fn exp_reduced<F: Exp>(r: F, r_low: F) -> F {
    F::ONE + (r + (r * r * horner(r, F::TAYLOR) + r_low * (F::ONE + r)))
}

/// `e^x`.
#[inline]
pub fn exp<F: Exp>(x: F) -> F {
    let (k, r, r_low) = reduce(clamp(x, F::LOW, F::HIGH));
    let k_half = k >> 1;
    exp_reduced(r, r_low) * F::power_of_two(k_half) * F::power_of_two(k - k_half)
}
