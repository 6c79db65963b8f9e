//! The hyperbolic tangent: `tanh(x) = sign(x) e / (e + 2)` with `e = e^(2|x|) - 1` from the
//! [`super::exp_m1`] core, and `|x|` clamped to 20 (10 for `f32`), past which `tanh` rounds to 1.

use super::exp::reduce;
use super::exp_m1::{ExpM1, scale_m1};
use super::width::at_most;

/// Where `tanh` rounds to 1, per width.
pub trait Tanh: ExpM1 {
    /// Past this `|x|`, `tanh` rounds to 1.
    const SATURATES: Self;
}

impl Tanh for f64 {
    /// `1 - tanh(20)` is below 2^-55.
    const SATURATES: f64 = 20.0;
}

impl Tanh for f32 {
    /// `1 - tanh(10)` is below 2^-27.
    const SATURATES: f32 = 10.0;
}

/// The hyperbolic tangent.
#[inline]
pub fn tanh<F: Tanh>(x: F) -> F {
    let a = at_most(x.abs(), F::SATURATES);
    let (k, r, r_low) = reduce(F::TWO * a);
    let e = scale_m1(k, r, r_low);
    (e / (e + F::TWO)).with_sign_of(x)
}
