//! `ln(1 + x)`, accurate near 0: `u = 1 + x`, rounded, and its exact rounding error `c` (Knuth's
//! two-sum), then `ln(1 + x) = ln(u) + c / u` with `ln(u)` as in [`super::ln`]; `x` itself for
//! `|x|` below `2^-54` (`2^-25`).

use super::ln::{Ln, ln_edges, ln_reduced};

/// `ln(1 + x)`, accurate near 0: `-inf` at -1, NaN below -1.
#[inline]
pub fn ln_1p<F: Ln>(x: F) -> F {
    let u = F::ONE + x;
    // The rounding error of `1 + x`, exactly (two-sum).
    let v = u - x;
    let c = (F::ONE - v) + (x - (u - v));
    let (f, k) = F::split(u);
    let y = ln_reduced(f, k, c / u);
    let y = if x.abs() < F::TINY { x } else { y };
    ln_edges(u, y)
}
