//! The natural logarithm, fdlibm's method: `x = 2^k m` with `m` in `[sqrt(2)/2, sqrt(2))` read
//! from the bits (a subnormal `x` is scaled by `2^54` (`2^25`) first, chosen by a select),
//! `f = m - 1`, `s = f / (2 + f)`, and `ln(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2))`, with
//! fdlibm's minimax coefficients `Lg1..Lg7` (`Lg1..Lg4` for `f32`, from FreeBSD's `e_logf.c`).
//! It gives libm's bits exactly: the same algorithm, operation for operation, with selects for
//! its branches.

use super::width::{Width, horner};

/// The constants of the reduction and of `R`, per width.
pub trait Ln: Width {
    /// The high part of `ln 2`, with trailing zeros (fdlibm's `ln2_hi`).
    const LN2_HI: Self;
    /// `ln 2 - LN2_HI` (fdlibm's `ln2_lo`).
    const LN2_LO: Self;
    /// `Lg1, Lg3, ...`: `R(z) = z odd(w) + w even(w)`, `w = z^2`.
    const ODD: &'static [Self];
    /// `Lg2, Lg4, ...`.
    const EVEN: &'static [Self];
    /// `2^54` (`2^25`), to lift a subnormal into the normal range.
    const SUBNORMAL_SCALE: Self;
    /// `54` (`25`), its exponent.
    const SUBNORMAL_EXPONENT: Self;
}

/// fdlibm's `Lg1..Lg7` (`e_log.c`): `R(z)` for `ln(1 + f)`, `z = s^2`, `s = f / (2 + f)`.
const LG_F64: [f64; 7] = [
    f64::from_bits(0x3fe5_5555_5555_5593), // 6.666666666666735130e-01
    f64::from_bits(0x3fd9_9999_9997_fa04), // 3.999999999940941908e-01
    f64::from_bits(0x3fd2_4924_9422_9359), // 2.857142874366239149e-01
    f64::from_bits(0x3fcc_71c5_1d8e_78af), // 2.222219843214978396e-01
    f64::from_bits(0x3fc7_4664_96cb_03de), // 1.818357216161805012e-01
    f64::from_bits(0x3fc3_9a09_d078_c69f), // 1.531383769920937332e-01
    f64::from_bits(0x3fc2_f112_df3e_5244), // 1.479819860511658591e-01
];

/// fdlibm's `Lg1..Lg4` for `f32` (`e_logf.c`, error below `2^-34.24`).
const LG_F32: [f32; 4] = [
    f32::from_bits(0x3f2a_aaaa), // 0xaaaaaa.0p-24 = 0.66666662693
    f32::from_bits(0x3ecc_ce13), // 0xccce13.0p-25 = 0.40000972152
    f32::from_bits(0x3e91_e9ee), // 0x91e9ee.0p-25 = 0.28498786688
    f32::from_bits(0x3e78_9e26), // 0xf89e26.0p-26 = 0.24279078841
];

impl Ln for f64 {
    const LN2_HI: f64 = <f64 as super::exp::Exp>::LN2_HI;
    const LN2_LO: f64 = <f64 as super::exp::Exp>::LN2_LO;
    const ODD: &'static [f64] = &[LG_F64[0], LG_F64[2], LG_F64[4], LG_F64[6]];
    const EVEN: &'static [f64] = &[LG_F64[1], LG_F64[3], LG_F64[5]];
    const SUBNORMAL_SCALE: f64 = 18_014_398_509_481_984.0;
    const SUBNORMAL_EXPONENT: f64 = 54.0;
}

impl Ln for f32 {
    /// fdlibm's `ln2_hi` of `e_logf.c` (not the one `exp` reduces by).
    const LN2_HI: f32 = f32::from_bits(0x3f31_7180);
    /// fdlibm's `ln2_lo` of `e_logf.c`.
    const LN2_LO: f32 = f32::from_bits(0x3717_f7d1);
    const ODD: &'static [f32] = &[LG_F32[0], LG_F32[2]];
    const EVEN: &'static [f32] = &[LG_F32[1], LG_F32[3]];
    const SUBNORMAL_SCALE: f32 = 33_554_432.0;
    const SUBNORMAL_EXPONENT: f32 = 25.0;
}

/// `ln(2^k (1 + f)) + c`, for `1 + f` in `[sqrt(2)/2, sqrt(2))` and a small correction `c`.
#[inline]
pub fn ln_reduced<F: Ln>(f: F, k: F, c: F) -> F {
    let half_square = F::HALF * f * f;
    let s = f / (F::TWO + f);
    let z = s * s;
    let w = z * z;
    let odd = z * horner(w, F::ODD);
    let even = w * horner(w, F::EVEN);
    s * (half_square + (odd + even)) + (k * F::LN2_LO + c) - half_square + f + k * F::LN2_HI
}

/// `y` where `u` is positive and finite; otherwise `ln(u)`: `-inf` at 0, `inf` at `inf`, NaN
/// below 0 and for NaN.
#[inline]
pub fn ln_edges<F: Width>(u: F, y: F) -> F {
    let edge = if u == F::ZERO {
        F::NEG_INFINITY
    } else if u < F::ZERO {
        F::NAN
    } else {
        u
    };
    if u > F::ZERO && u < F::INFINITY {
        y
    } else {
        edge
    }
}

/// The natural logarithm: `-inf` at 0, NaN below 0.
#[inline]
pub fn ln<F: Ln>(x: F) -> F {
    let subnormal = x < F::MIN_POSITIVE;
    let (f, k) = F::split(if subnormal { x * F::SUBNORMAL_SCALE } else { x });
    let k = if subnormal {
        k - F::SUBNORMAL_EXPONENT
    } else {
        k
    };
    ln_edges(x, ln_reduced(f, k, F::ZERO))
}
