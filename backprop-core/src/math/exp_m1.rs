//! `e^x - 1`, accurate near 0: the reduction and polynomial of [`super::exp`], then
//! `e^x - 1 = 2 (2^(k-1) p + (2^(k-1) - 1/2))` with `p = e^r - 1`, the fdlibm way of adding the
//! `-1`, with `p` kept as two parts and the sum compensated (two-sum) where the terms cancel; `x`
//! itself for `|x|` below `2^-54` (`2^-25`), where that is the correctly rounded result.

use super::exp::{Exp, reduce};
use super::width::{clamp, horner};

/// Where `e^x - 1` rounds to -1, per width.
pub trait ExpM1: Exp {
    /// Below this the result rounds to -1.
    const LOW_M1: Self;
}

impl ExpM1 for f64 {
    const LOW_M1: f64 = -40.0;
}

impl ExpM1 for f32 {
    const LOW_M1: f32 = -18.0;
}

/// `2^k e^(r + r_low) - 1` for `|r| <= ln 2 / 2` and `k` in `-1021..=1024` (`-125..=128`), written
/// as `2 (h p + (h - 1/2))` with `h = 2^(k-1)` and `p = e^r - 1`, so that the `-1` cancels
/// without loss and the largest `k` does not overflow `2^k`. `p` is kept as `hi + lo` and the sum
/// is compensated (two-sum), so where `h p` and `h - 1/2` nearly cancel the rounding of `p` is
/// not magnified.
#[inline]
pub fn scale_m1<F: Exp>(k: F::Int, r: F, r_low: F) -> F {
    let tail = r * r * horner(r, F::TAYLOR);
    let hi = r + tail;
    let lo = (tail - (hi - r)) + r_low * (F::ONE + hi);
    let half = F::power_of_two(k - F::INT_ONE);
    let (a, b) = (half * hi, half - F::HALF);
    let sum = a + b;
    let b_part = sum - a;
    let error = (a - (sum - b_part)) + (b - b_part);
    F::TWO * (sum + (error + half * lo))
}

/// `e^x - 1`, accurate near 0.
#[inline]
pub fn exp_m1<F: ExpM1>(x: F) -> F {
    let (k, r, r_low) = reduce(clamp(x, F::LOW_M1, F::HIGH));
    let y = scale_m1(k, r, r_low);
    if x.abs() < F::TINY { x } else { y }
}
