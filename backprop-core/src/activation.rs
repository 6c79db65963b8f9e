//! Activation functions, each value next to its derivative.
//!
//! Every activation `f` is a pair of functions: `f(z)` and `f_derivative(z, value)`, where `value` is
//! the already computed `f(z)` (sigmoid and tanh get their slope from it; the others ignore it).
//!
//! | Activation      | `f(z)`                                     | `f'(z)`                                        |
//! |-----------------|--------------------------------------------|------------------------------------------------|
//! | [`identity`]    | `z`                                        | `1`                                            |
//! | [`relu`]        | `max(z, 0)`                                | `1` if `z > 0`, else `0` (so `0` at `0`)       |
//! | [`relu6`]       | `min(max(z, 0), 6)`                        | `1` if `0 < z < 6`, else `0` (`0` at 0 and 6)  |
//! | [`hard_tanh`]   | `min(max(z, -1), 1)`                       | `1` if `-1 < z < 1`, else `0`                  |
//! | [`hard_sigmoid`]| `min(max(z + 3, 0), 6) / 6`                | `1/6` if `-3 < z < 3`, else `0`                |
//! | [`leaky_relu`]  | `z` if `z > 0`, else `alpha * z`           | `1` if `z > 0`, else `alpha`                   |
//! | [`elu`]         | `z` if `z > 0`, else `alpha * (e^z - 1)`   | `1` if `z > 0`, else `alpha * e^z`             |
//! | [`sigmoid`]     | `s(z) = 1 / (1 + e^-z)`                    | `s(z) * (1 - s(z))`                            |
//! | [`tanh`]        | `(e^z - e^-z) / (e^z + e^-z)`              | `1 - tanh(z)^2`                                |
//! | [`softplus`]    | `ln(1 + e^z)`                              | `s(z)`                                         |
//! | [`silu`]        | `z * s(z)`                                 | `s(z) * (1 + z * (1 - s(z)))`                  |
//! | [`gelu`]        | `z * Phi(z) = z/2 * (1 + erf(z / sqrt 2))` | `Phi(z) + z * phi(z)`                          |
//! | [`softmax`]     | `e^z_k / sum_j e^z_j`                      | `y_k * ([k = m] - y_m)`, with `y = softmax(z)` |
//! | [`log_sum_exp`] | `ln(sum_j e^z_j)`                          | `softmax(z)`                                   |
//!
//! `s` is the sigmoid; `Phi` and `phi` are the standard normal distribution and density:
//! `Phi(z) = (1 + erf(z / sqrt 2)) / 2`, `phi(z) = e^(-z^2 / 2) / sqrt(2 pi)`.
//!
//! All of them are finite for every finite input (no overflow of `e^z`), pass a NaN input through as
//! NaN (derivatives too), and give the mathematical limit at `+-inf` wherever that limit is finite.
//!
//! [`Activation`] lets a user define an activation of their own, for use in `network!`.
//!
//! # Which `exp`, `ln`, `tanh` and `erf`
//!
//! By default the activations here, [`softmax`], [`log_sum_exp`] and the losses of
//! [`loss`](crate::loss) that take a log or an exponential compute them with the fast kernels of
//! [`math`]: branch-free versions that LLVM vectorises over a layer, within
//! 1 ulp of libm for `exp`, `exp_m1`, `ln`, `ln_1p` and `erf` and 3 ulp for `tanh` (the bounds
//! are measured by that module's tests). That is the default because a scalar libm call costs
//! more than the rest of a small net's training step (a `tanhf` costs about as much as 100
//! multiply-adds) and a loop that calls libm cannot be vectorised, while a few ulp is far below
//! what training notices: a gradient of a 64-32-32-1 tanh net is already off from the exact one by
//! the rounding of its sums. Both forms of a net (unrolled and looped) call the same functions,
//! so they still agree to the bit, and the fast functions round the same way on every target
//! and in every build.
//!
//! With the feature `libm-activations` they use [`libm`] instead (through [`Scalar`]'s `exp`,
//! `ln`, ... methods), for results that match other libm-based code to the bit, at the cost of
//! the speed. [`LIBM`] tells which one a build uses; the backend is chosen in one place, the
//! [`math`] module, whose functions (`math::exp`, ...) code of your own can call to
//! compute as the activations do. [`Scalar`]'s methods (`exp`, ...) are always libm.

use core::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI};

use crate::{Scalar, math};

/// `1 / sqrt(2 pi)`, the peak of the standard normal density.
const FRAC_1_SQRT_2PI: f64 = FRAC_2_SQRT_PI * FRAC_1_SQRT_2 * 0.5;

/// Whether the activations and losses compute `exp`, `ln`, `tanh` and `erf` with [`libm`]
/// (see [`math::LIBM`]).
pub use crate::math::LIBM;

/// An activation function with its derivative, for a user-defined activation in `network!`.
///
/// Both are associated functions: an activation is a unit struct that carries no state.
/// `derivative` receives the already computed `value = Self::value(z)`, so an activation whose slope
/// is cheaper to get from its value (like sigmoid's `value * (1 - value)`) can use it.
///
/// ```
/// use backprop_core::{activation, Activation, Scalar};
///
/// /// Swish with beta 1: `z * sigmoid(z)`.
/// struct Swish;
///
/// impl<T: Scalar> Activation<T> for Swish {
///     /// `z * s`, with `s = sigmoid(z)`.
///     fn value(z: T) -> T {
///         z * activation::sigmoid(z)
///     }
///
///     /// `s * (1 + z * (1 - s))`.
///     fn derivative(z: T, _value: T) -> T {
///         let s = activation::sigmoid(z);
///         s * (T::ONE + z * (T::ONE - s))
///     }
/// }
///
/// let z = 0.5_f64;
/// let value = Swish::value(z);
/// assert!((value - activation::silu(z)).abs() < 1e-15);
/// assert!((Swish::derivative(z, value) - activation::silu_derivative(z, value)).abs() < 1e-15);
/// ```
pub trait Activation<T: Scalar> {
    /// The activation `f(z)`.
    fn value(z: T) -> T;
    /// The derivative `f'(z)`; `value` is `f(z)`, already computed.
    fn derivative(z: T, value: T) -> T;
}

/// `positive` for `z > 0`, `non_positive` for `z <= 0`, and NaN for NaN (never hide a NaN).
#[inline]
fn by_sign<T: Scalar>(z: T, positive: T, non_positive: T) -> T {
    if z > T::ZERO {
        positive
    } else if z.is_nan() {
        z
    } else {
        non_positive
    }
}

/// `z * p` for a factor `p` that vanishes faster than `z` grows; exactly 0 when `p` is 0, which is the
/// limit the product has at infinite `z`, where `z * p` alone would be `inf * 0 = NaN`.
#[inline]
fn times_vanishing<T: Scalar>(z: T, p: T) -> T {
    if p == T::ZERO { p } else { z * p }
}

/// Identity: `f(z) = z`; derivative `f'(z) = 1`.
#[inline]
pub fn identity<T: Scalar>(z: T) -> T {
    z
}

/// Derivative of identity: `f'(z) = 1` (NaN for NaN); value `f(z) = z`.
#[inline]
pub fn identity_derivative<T: Scalar>(z: T, _value: T) -> T {
    if z.is_nan() { z } else { T::ONE }
}

/// `f` applied to every value of a layer: `z.map(f)`, written as a loop over `z` in place. The
/// looped form applies activations through it because rustc inlines `f` into this loop, where
/// through `map`'s closure it sometimes calls `f` out of line, once per value (a fifth of a
/// tanh net's training step).
#[inline]
pub fn apply<T: Copy, F: Fn(T) -> T, const N: usize>(mut z: [T; N], f: F) -> [T; N] {
    for value in &mut z {
        *value = f(*value);
    }
    z
}

/// [`apply`] for a signal layer, `z[c][t]`: one loop over every value in place.
#[inline]
pub fn apply_signal<T: Copy, F: Fn(T) -> T, const L: usize, const C: usize>(
    mut z: [[T; L]; C],
    f: F,
) -> [[T; L]; C] {
    for value in z.as_flattened_mut() {
        *value = f(*value);
    }
    z
}

/// `ReLU`: `f(z) = max(z, 0)`; derivative `f'(z) = 1` if `z > 0`, else `0`.
#[inline]
pub fn relu<T: Scalar>(z: T) -> T {
    // Written as a comparison so a NaN falls through to `z`.
    if z < T::ZERO { T::ZERO } else { z }
}

/// Derivative of `ReLU`: `f'(z) = 1` if `z > 0`, else `0` (so `0` at exactly 0, as in the notebook);
/// value `f(z) = max(z, 0)`.
#[inline]
pub fn relu_derivative<T: Scalar>(z: T, _value: T) -> T {
    by_sign(z, T::ONE, T::ZERO)
}

/// `ReLU6`: `f(z) = min(max(z, 0), 6)`; derivative `f'(z) = 1` if `0 < z < 6`, else `0`.
///
/// The bounded `ReLU` of mobile and microcontroller nets: its output fits a fixed-point range.
#[inline]
pub fn relu6<T: Scalar>(z: T) -> T {
    // Written as comparisons so a NaN falls through to `z`, and so the generated `const fn
    // forward` can write the same comparisons inline.
    let six = T::from_f64(6.0);
    if z < T::ZERO {
        T::ZERO
    } else if z > six {
        six
    } else {
        z
    }
}

/// Derivative of `ReLU6`: `f'(z) = 1` if `0 < z < 6`, else `0`; value `f(z) = min(max(z, 0), 6)`.
///
/// At the kinks, 0 and 6, it is 0, the slope of the flat side: the convention of [`relu`] at 0
/// (and of PyTorch's `hardtanh` backward, which `ReLU6` is built on), so a node sitting exactly
/// on a bound passes no gradient. NaN for NaN.
#[inline]
pub fn relu6_derivative<T: Scalar>(z: T, _value: T) -> T {
    let inside = if z < T::from_f64(6.0) {
        T::ONE
    } else {
        T::ZERO
    };
    by_sign(z, inside, T::ZERO)
}

/// Hard tanh (PyTorch's `Hardtanh`): `f(z) = min(max(z, -1), 1)`; derivative `f'(z) = 1` if
/// `-1 < z < 1`, else `0` (at the kinks too, as [`relu6`]'s). NaN for NaN.
#[inline]
pub fn hard_tanh<T: Scalar>(z: T) -> T {
    if z < -T::ONE {
        -T::ONE
    } else if z > T::ONE {
        T::ONE
    } else {
        z
    }
}

/// Derivative of hard tanh: `f'(z) = 1` if `-1 < z < 1`, else `0`.
#[inline]
pub fn hard_tanh_derivative<T: Scalar>(z: T, _value: T) -> T {
    let inside = if z < T::ONE && z > -T::ONE {
        T::ONE
    } else {
        T::ZERO
    };
    if z.is_nan() { z } else { inside }
}

/// Hard sigmoid (PyTorch's `Hardsigmoid`): `f(z) = min(max(z + 3, 0), 6) / 6`, the bounded `ReLU`
/// shifted and scaled to `[0, 1]`; derivative `f'(z) = 1/6` if `-3 < z < 3`, else `0`.
#[inline]
pub fn hard_sigmoid<T: Scalar>(z: T) -> T {
    relu6(z + T::from_f64(3.0)) / T::from_f64(6.0)
}

/// Derivative of hard sigmoid: `f'(z) = 1/6` if `-3 < z < 3`, else `0`.
#[inline]
pub fn hard_sigmoid_derivative<T: Scalar>(z: T, _value: T) -> T {
    let three = T::from_f64(3.0);
    let inside = if z < three && z > -three {
        T::ONE / T::from_f64(6.0)
    } else {
        T::ZERO
    };
    if z.is_nan() { z } else { inside }
}

/// Leaky `ReLU`: `f(z) = z` if `z > 0`, else `alpha * z`; derivative `f'(z) = 1` if `z > 0`, else
/// `alpha`.
#[inline]
pub fn leaky_relu<T: Scalar>(z: T, alpha: T) -> T {
    if z > T::ZERO { z } else { alpha * z }
}

/// Derivative of leaky `ReLU`: `f'(z) = 1` if `z > 0`, else `alpha`; value `f(z) = z` if `z > 0`,
/// else `alpha * z`.
#[inline]
pub fn leaky_relu_derivative<T: Scalar>(z: T, _value: T, alpha: T) -> T {
    by_sign(z, T::ONE, alpha)
}

/// ELU: `f(z) = z` if `z > 0`, else `alpha * (e^z - 1)`; derivative `f'(z) = 1` if `z > 0`, else
/// `alpha * e^z`.
#[inline]
pub fn elu<T: Scalar>(z: T, alpha: T) -> T {
    // `exp_m1` keeps the digits that `e^z - 1` loses near 0. Both sides are computed and one is
    // chosen, so a loop of this vectorises.
    let negative = alpha * math::exp_m1(z);
    if z > T::ZERO { z } else { negative }
}

/// Derivative of ELU: `f'(z) = 1` if `z > 0`, else `alpha * e^z`; value `f(z) = z` if `z > 0`, else
/// `alpha * (e^z - 1)`.
#[inline]
pub fn elu_derivative<T: Scalar>(z: T, _value: T, alpha: T) -> T {
    let negative = alpha * math::exp(z);
    if z > T::ZERO { T::ONE } else { negative }
}

/// Sigmoid: `s(z) = 1 / (1 + e^-z)`; derivative `s'(z) = s(z) * (1 - s(z))`.
///
/// Computed from `e = e^-|z|`, which never overflows: `1 / (1 + e)` for `z >= 0`, `e / (1 + e)`
/// for negative `z` (one `exp`, no branch, so a loop of it vectorises).
#[inline]
pub fn sigmoid<T: Scalar>(z: T) -> T {
    let e = math::exp(-z.abs());
    // A NaN `z` takes `e`, which is NaN.
    let numerator = if z >= T::ZERO { T::ONE } else { e };
    numerator / (T::ONE + e)
}

/// Derivative of sigmoid: `s'(z) = value * (1 - value)`, with `value = s(z) = 1 / (1 + e^-z)`.
#[inline]
pub fn sigmoid_derivative<T: Scalar>(_z: T, value: T) -> T {
    value * (T::ONE - value)
}

/// Tanh: `f(z) = (e^z - e^-z) / (e^z + e^-z)`; derivative `f'(z) = 1 - tanh(z)^2`.
#[inline]
pub fn tanh<T: Scalar>(z: T) -> T {
    math::tanh(z)
}

/// Derivative of tanh: `f'(z) = 1 - value^2`, with `value = tanh(z)`.
#[inline]
pub fn tanh_derivative<T: Scalar>(_z: T, value: T) -> T {
    T::ONE - value * value
}

/// Softplus: `f(z) = ln(1 + e^z)`; derivative `f'(z) = sigmoid(z)`.
///
/// Computed as `max(z, 0) + ln(1 + e^-|z|)`, so `e^z` never overflows.
#[inline]
pub fn softplus<T: Scalar>(z: T) -> T {
    z.max(T::ZERO) + math::ln_1p(math::exp(-z.abs()))
}

/// Derivative of softplus: `f'(z) = sigmoid(z) = 1 / (1 + e^-z)`; value `f(z) = ln(1 + e^z)`.
#[inline]
pub fn softplus_derivative<T: Scalar>(z: T, _value: T) -> T {
    sigmoid(z)
}

/// `SiLU` (swish): `f(z) = z * s`; derivative `f'(z) = s * (1 + z * (1 - s))`, with `s = sigmoid(z)`.
#[inline]
pub fn silu<T: Scalar>(z: T) -> T {
    times_vanishing(z, sigmoid(z))
}

/// Derivative of `SiLU`: `f'(z) = s * (1 + z * (1 - s))`, with `s = sigmoid(z)`; value `f(z) = z * s`.
#[inline]
pub fn silu_derivative<T: Scalar>(z: T, _value: T) -> T {
    // The same as `s + z * (s * (1 - s))`, with `1 - s` taken as `sigmoid(-z)` (accurate where
    // `1 - s` would cancel); written so the product vanishes at both infinities, not `inf * 0`.
    let s = sigmoid(z);
    s + times_vanishing(z, s * sigmoid(-z))
}

/// The standard normal distribution `Phi(z) = (1 + erf(z / sqrt 2)) / 2`.
#[inline]
fn normal_cdf<T: Scalar>(z: T) -> T {
    T::HALF * (T::ONE + math::erf(z * T::from_f64(FRAC_1_SQRT_2)))
}

/// The standard normal density `phi(z) = e^(-z^2 / 2) / sqrt(2 pi)`.
#[inline]
fn normal_pdf<T: Scalar>(z: T) -> T {
    math::exp(-T::HALF * z * z) * T::from_f64(FRAC_1_SQRT_2PI)
}

/// GELU (exact, with erf): `f(z) = z * Phi(z) = z/2 * (1 + erf(z / sqrt 2))`; derivative
/// `f'(z) = Phi(z) + z * phi(z)`, with `phi(z) = e^(-z^2 / 2) / sqrt(2 pi)`.
#[inline]
pub fn gelu<T: Scalar>(z: T) -> T {
    times_vanishing(z, normal_cdf(z))
}

/// Derivative of GELU: `f'(z) = Phi(z) + z * phi(z)`, with `Phi(z) = (1 + erf(z / sqrt 2)) / 2` and
/// `phi(z) = e^(-z^2 / 2) / sqrt(2 pi)`; value `f(z) = z * Phi(z)`.
#[inline]
pub fn gelu_derivative<T: Scalar>(z: T, _value: T) -> T {
    normal_cdf(z) + times_vanishing(z, normal_pdf(z))
}

/// `z_k - max`, but 0 for the maximum itself, so an infinite maximum gives 0 instead of
/// `inf - inf = NaN`.
#[inline]
fn shifted<T: Scalar>(z_k: T, max: T) -> T {
    if z_k == max { T::ZERO } else { z_k - max }
}

/// The largest element (NaN if any is NaN), or `None` for an empty array.
#[inline]
fn maximum<T: Scalar>(z: &[T]) -> Option<T> {
    z.iter().copied().reduce(Scalar::max)
}

/// Sum of `e^(z_k - max)`, left to right from the first term, and the terms themselves.
#[inline]
fn shifted_exponentials<T: Scalar, const N: usize>(z: &[T; N], max: T) -> ([T; N], T) {
    let exponentials = z.map(|z_k| math::exp(shifted(z_k, max)));
    let sum = exponentials
        .iter()
        .copied()
        .reduce(|sum, e| sum + e)
        .unwrap_or(T::ZERO);
    (exponentials, sum)
}

/// Softmax: `y_k = e^z_k / sum_j e^z_j`; derivative `dy_k/dz_m = y_k * ([k = m] - y_m)`.
///
/// The maximum is subtracted from every `z_k` first, so no `e^z` overflows; the result sums to 1.
#[inline]
pub fn softmax<T: Scalar, const N: usize>(z: [T; N]) -> [T; N] {
    let Some(max) = maximum(&z) else { return z };
    let (exponentials, sum) = shifted_exponentials(&z, max);
    exponentials.map(|e| e / sum)
}

/// Softmax's backward pass: given `a = softmax(z)` and the loss slopes `g_k = dL/da_k`, the deltas
/// `dL/dz_j = a_j (g_j - sum_k g_k a_k)` (the Jacobian `a_j (1[j = k] - a_k)` applied to `g`).
/// The sum runs over `k` in order from the first term.
#[inline]
pub fn softmax_backward<T: Scalar, const N: usize>(value: &[T; N], slope: &[T; N]) -> [T; N] {
    let mut products = slope.iter().zip(value).map(|(&g, &a)| g * a);
    let first = products.next().unwrap_or(T::ZERO);
    let dot = products.fold(first, |sum, product| sum + product);
    core::array::from_fn(|j| value[j] * (slope[j] - dot))
}

/// Log-sum-exp: `f(z) = ln(sum_k e^z_k)`; derivative `df/dz_k = softmax(z)_k`.
///
/// Computed as `max + ln(sum_k e^(z_k - max))`, so no `e^z` overflows. An empty array gives `-inf`.
#[inline]
pub fn log_sum_exp<T: Scalar, const N: usize>(z: [T; N]) -> T {
    let Some(max) = maximum(&z) else {
        return T::from_f64(f64::NEG_INFINITY);
    };
    max + math::ln(shifted_exponentials(&z, max).1)
}

/// Implements [`Activation`] for a unit struct by calling the pair of functions.
macro_rules! unit_activation {
    ($(#[$attribute:meta])* $name:ident => $value:ident, $derivative:ident) => {
        $(#[$attribute])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;

        impl<T: Scalar> Activation<T> for $name {
            #[inline]
            fn value(z: T) -> T {
                $value(z)
            }

            #[inline]
            fn derivative(z: T, value: T) -> T {
                $derivative(z, value)
            }
        }
    };
}

unit_activation!(
    /// [`identity`] and [`identity_derivative`] as an [`Activation`].
    Identity => identity, identity_derivative
);
unit_activation!(
    /// [`relu`] and [`relu_derivative`] as an [`Activation`].
    Relu => relu, relu_derivative
);
unit_activation!(
    /// [`relu6`] and [`relu6_derivative`] as an [`Activation`].
    Relu6 => relu6, relu6_derivative
);
unit_activation!(
    /// Hard tanh as an [`Activation`] type.
    HardTanh => hard_tanh, hard_tanh_derivative
);
unit_activation!(
    /// Hard sigmoid as an [`Activation`] type.
    HardSigmoid => hard_sigmoid, hard_sigmoid_derivative
);
unit_activation!(
    /// [`sigmoid`] and [`sigmoid_derivative`] as an [`Activation`].
    Sigmoid => sigmoid, sigmoid_derivative
);
unit_activation!(
    /// [`tanh`] and [`tanh_derivative`] as an [`Activation`].
    Tanh => tanh, tanh_derivative
);
unit_activation!(
    /// [`softplus`] and [`softplus_derivative`] as an [`Activation`].
    Softplus => softplus, softplus_derivative
);
unit_activation!(
    /// [`silu`] and [`silu_derivative`] as an [`Activation`].
    Silu => silu, silu_derivative
);
unit_activation!(
    /// [`gelu`] and [`gelu_derivative`] as an [`Activation`].
    Gelu => gelu, gelu_derivative
);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::*;
    use crate::Number;

    /// One activation, as plain function pointers over `T`, with parameters already bound.
    struct Case<T> {
        name: &'static str,
        value: fn(T) -> T,
        derivative: fn(T, T) -> T,
    }

    /// Every activation, with leaky `ReLU` and ELU at a few `alpha`s.
    fn cases<T: Scalar>() -> [Case<T>; 16] {
        [
            Case {
                name: "identity",
                value: identity,
                derivative: identity_derivative,
            },
            Case {
                name: "relu",
                value: relu,
                derivative: relu_derivative,
            },
            Case {
                name: "relu6",
                value: relu6,
                derivative: relu6_derivative,
            },
            Case {
                name: "hard_tanh",
                value: hard_tanh,
                derivative: hard_tanh_derivative,
            },
            Case {
                name: "hard_sigmoid",
                value: hard_sigmoid,
                derivative: hard_sigmoid_derivative,
            },
            Case {
                name: "leaky_relu(0.01)",
                value: |z| leaky_relu(z, T::from_f64(0.01)),
                derivative: |z, v| leaky_relu_derivative(z, v, T::from_f64(0.01)),
            },
            Case {
                name: "leaky_relu(0.3)",
                value: |z| leaky_relu(z, T::from_f64(0.3)),
                derivative: |z, v| leaky_relu_derivative(z, v, T::from_f64(0.3)),
            },
            Case {
                name: "elu(1)",
                value: |z| elu(z, T::ONE),
                derivative: |z, v| elu_derivative(z, v, T::ONE),
            },
            Case {
                name: "elu(0.5)",
                value: |z| elu(z, T::HALF),
                derivative: |z, v| elu_derivative(z, v, T::HALF),
            },
            Case {
                name: "sigmoid",
                value: sigmoid,
                derivative: sigmoid_derivative,
            },
            Case {
                name: "tanh",
                value: tanh,
                derivative: tanh_derivative,
            },
            Case {
                name: "softplus",
                value: softplus,
                derivative: softplus_derivative,
            },
            Case {
                name: "silu",
                value: silu,
                derivative: silu_derivative,
            },
            Case {
                name: "gelu",
                value: gelu,
                derivative: gelu_derivative,
            },
            Case {
                name: "Relu as Activation",
                value: <Relu as Activation<T>>::value,
                derivative: <Relu as Activation<T>>::derivative,
            },
            Case {
                name: "Gelu as Activation",
                value: <Gelu as Activation<T>>::value,
                derivative: <Gelu as Activation<T>>::derivative,
            },
        ]
    }

    /// The value and the derivative (given that value) at `z`.
    fn evaluate<T: Scalar>(case: &Case<T>, z: T) -> (T, T) {
        let value = (case.value)(z);
        (value, (case.derivative)(z, value))
    }

    fn assert_finite_at<T: Scalar>(points: &[T]) {
        for case in &cases::<T>() {
            for &z in points {
                let (value, derivative) = evaluate(case, z);
                assert!(
                    value.is_finite(),
                    "{} {}({z}) = {value}",
                    T::NAME,
                    case.name
                );
                assert!(
                    derivative.is_finite(),
                    "{} {}'({z}) = {derivative}",
                    T::NAME,
                    case.name
                );
            }
        }
    }

    #[test]
    fn finite_for_finite_inputs() {
        assert_finite_at::<f64>(&[1000.0, -1000.0, 1e30, -1e30, 0.0, -0.0, 1e-300, -1e-300]);
        assert_finite_at::<f64>(&[
            f64::MAX,
            f64::MIN,
            710.0,
            -710.0,
            745.0,
            -745.0,
            40.0,
            -40.0,
        ]);
        assert_finite_at::<f32>(&[1000.0, -1000.0, 1e30, -1e30, 0.0, 1e-30, -1e-30]);
        assert_finite_at::<f32>(&[f32::MAX, f32::MIN, 89.0, -89.0, 104.0, -104.0, 20.0, -20.0]);
    }

    fn assert_nan_passes_through<T: Scalar>() {
        let nan = T::from_f64(f64::NAN);
        for case in &cases::<T>() {
            let (value, derivative) = evaluate(case, nan);
            assert!(value.is_nan(), "{} {}(NaN) = {value}", T::NAME, case.name);
            assert!(
                derivative.is_nan(),
                "{} {}'(NaN) = {derivative}",
                T::NAME,
                case.name
            );
        }
    }

    #[test]
    fn nan_passes_through() {
        assert_nan_passes_through::<f64>();
        assert_nan_passes_through::<f32>();
    }

    #[test]
    fn limits_at_infinity() {
        // (name, f(-inf), f'(-inf), f(+inf), f'(+inf)); `inf` where the limit is infinite.
        let inf = f64::INFINITY;
        let expected = [
            ("identity", -inf, 1.0, inf, 1.0),
            ("relu", 0.0, 0.0, inf, 1.0),
            ("relu6", 0.0, 0.0, 6.0, 0.0),
            ("hard_tanh", -1.0, 0.0, 1.0, 0.0),
            ("hard_sigmoid", 0.0, 0.0, 1.0, 0.0),
            ("leaky_relu(0.01)", -inf, 0.01, inf, 1.0),
            ("leaky_relu(0.3)", -inf, 0.3, inf, 1.0),
            ("elu(1)", -1.0, 0.0, inf, 1.0),
            ("elu(0.5)", -0.5, 0.0, inf, 1.0),
            ("sigmoid", 0.0, 0.0, 1.0, 0.0),
            ("tanh", -1.0, 0.0, 1.0, 0.0),
            ("softplus", 0.0, 0.0, inf, 1.0),
            ("silu", 0.0, 0.0, inf, 1.0),
            ("gelu", 0.0, 0.0, inf, 1.0),
            ("Relu as Activation", 0.0, 0.0, inf, 1.0),
            ("Gelu as Activation", 0.0, 0.0, inf, 1.0),
        ];
        for (case, (name, value_low, slope_low, value_high, slope_high)) in
            cases::<f64>().iter().zip(expected)
        {
            assert_eq!(case.name, name);
            assert_eq!(
                evaluate(case, -inf),
                (value_low, slope_low),
                "{name} at -inf"
            );
            assert_eq!(
                evaluate(case, inf),
                (value_high, slope_high),
                "{name} at +inf"
            );
        }
    }

    /// What an activation does at the edges: its value and slopes at 0 (approached from above
    /// and from below), and, for large `|z|`, its value as `slope * z + offset` and its slope.
    struct Edges {
        name: &'static str,
        at_zero: f64,
        slope_above_zero: f64,
        slope_below_zero: f64,
        /// `(slope, offset, derivative)` for large positive `z`.
        high: (f64, f64, f64),
        /// `(slope, offset, derivative)` for large negative `z`.
        low: (f64, f64, f64),
    }

    /// The edges of each case of [`cases`], in the same order.
    const EDGES: [Edges; 16] = {
        const fn edges(
            name: &'static str,
            zero: (f64, f64, f64),
            high: (f64, f64, f64),
            low: (f64, f64, f64),
        ) -> Edges {
            Edges {
                name,
                at_zero: zero.0,
                slope_above_zero: zero.1,
                slope_below_zero: zero.2,
                high,
                low,
            }
        }
        let ln2 = core::f64::consts::LN_2;
        [
            edges(
                "identity",
                (0.0, 1.0, 1.0),
                (1.0, 0.0, 1.0),
                (1.0, 0.0, 1.0),
            ),
            edges("relu", (0.0, 1.0, 0.0), (1.0, 0.0, 1.0), (0.0, 0.0, 0.0)),
            edges("relu6", (0.0, 1.0, 0.0), (0.0, 6.0, 0.0), (0.0, 0.0, 0.0)),
            edges(
                "hard_tanh",
                (0.0, 1.0, 1.0),
                (0.0, 1.0, 0.0),
                (0.0, -1.0, 0.0),
            ),
            edges(
                "hard_sigmoid",
                (0.5, 1.0 / 6.0, 1.0 / 6.0),
                (0.0, 1.0, 0.0),
                (0.0, 0.0, 0.0),
            ),
            edges(
                "leaky_relu(0.01)",
                (0.0, 1.0, 0.01),
                (1.0, 0.0, 1.0),
                (0.01, 0.0, 0.01),
            ),
            edges(
                "leaky_relu(0.3)",
                (0.0, 1.0, 0.3),
                (1.0, 0.0, 1.0),
                (0.3, 0.0, 0.3),
            ),
            edges("elu(1)", (0.0, 1.0, 1.0), (1.0, 0.0, 1.0), (0.0, -1.0, 0.0)),
            edges(
                "elu(0.5)",
                (0.0, 1.0, 0.5),
                (1.0, 0.0, 1.0),
                (0.0, -0.5, 0.0),
            ),
            edges(
                "sigmoid",
                (0.5, 0.25, 0.25),
                (0.0, 1.0, 0.0),
                (0.0, 0.0, 0.0),
            ),
            edges("tanh", (0.0, 1.0, 1.0), (0.0, 1.0, 0.0), (0.0, -1.0, 0.0)),
            edges(
                "softplus",
                (ln2, 0.5, 0.5),
                (1.0, 0.0, 1.0),
                (0.0, 0.0, 0.0),
            ),
            edges("silu", (0.0, 0.5, 0.5), (1.0, 0.0, 1.0), (0.0, 0.0, 0.0)),
            edges("gelu", (0.0, 0.5, 0.5), (1.0, 0.0, 1.0), (0.0, 0.0, 0.0)),
            edges(
                "Relu as Activation",
                (0.0, 1.0, 0.0),
                (1.0, 0.0, 1.0),
                (0.0, 0.0, 0.0),
            ),
            edges(
                "Gelu as Activation",
                (0.0, 0.5, 0.5),
                (1.0, 0.0, 1.0),
                (0.0, 0.0, 0.0),
            ),
        ]
    };

    /// `actual` is `expected` to within a few units in the last place of `T` (exactly, for 0 and
    /// infinities).
    fn close<T: Scalar>(actual: T, expected: f64) -> bool {
        let actual = actual.to_f64();
        let epsilon = if T::NAME == "f32" {
            f64::from(f32::EPSILON)
        } else {
            f64::EPSILON
        };
        actual == expected || (actual - expected).abs() <= 4.0 * epsilon * expected.abs()
    }

    /// At `|z|` = 0, tiny, 1e3, 1e30 and infinity, on both sides: the value and the derivative
    /// are the mathematical ones (to a few ulps), so none is lost to overflow, underflow or a
    /// `0 * inf`; tiny inputs keep their digits (`gelu(1e-300)` is `5e-301`, not 0).
    fn assert_edges<T: Scalar>(tiny: f64) {
        for (case, edges) in cases::<T>().iter().zip(&EDGES) {
            assert_eq!(case.name, edges.name);
            let name = edges.name;
            for (z, slope) in [
                (0.0, edges.slope_below_zero),
                (-0.0, edges.slope_below_zero),
                (tiny, edges.slope_above_zero),
                (-tiny, edges.slope_below_zero),
            ] {
                let (value, derivative) = evaluate(case, T::from_f64(z));
                let expected = edges.at_zero + slope * T::from_f64(z).to_f64();
                assert!(
                    close(value, expected),
                    "{} {name}({z}) = {value}, not {expected}",
                    T::NAME
                );
                assert!(
                    close(derivative, slope),
                    "{} {name}'({z}) = {derivative}, not {slope}",
                    T::NAME
                );
            }
            for magnitude in [1e3, 1e30, f64::INFINITY] {
                for (z, (slope, offset, expected_derivative)) in
                    [(magnitude, edges.high), (-magnitude, edges.low)]
                {
                    let (value, derivative) = evaluate(case, T::from_f64(z));
                    let expected = if slope == 0.0 {
                        offset
                    } else {
                        slope * z + offset
                    };
                    assert!(
                        close(value, expected),
                        "{} {name}({z}) = {value}, not {expected}",
                        T::NAME
                    );
                    assert!(
                        close(derivative, expected_derivative),
                        "{} {name}'({z}) = {derivative}, not {expected_derivative}",
                        T::NAME
                    );
                }
            }
        }
    }

    #[test]
    fn values_and_derivatives_at_the_edges() {
        assert_edges::<f64>(1e-300);
        assert_edges::<f32>(1e-37);
    }

    /// Softmax and log-sum-exp at the same edges: finite and right for every finite input, the
    /// limit for infinite ones, NaN for NaN.
    #[test]
    fn softmax_and_log_sum_exp_at_the_edges() {
        for magnitude in [0.0, 1e-300, 1e3, 1e30, f64::MAX] {
            let y = softmax([magnitude, -magnitude, 0.0]);
            assert!(y.iter().all(|y_k| y_k.is_finite()), "{magnitude}: {y:?}");
            assert!(
                (y.iter().sum::<f64>() - 1.0).abs() < 1e-15,
                "{magnitude}: {y:?}"
            );
            let lse = log_sum_exp([magnitude, -magnitude, 0.0]);
            assert!(lse.is_finite() && lse >= magnitude, "{magnitude}: {lse}");
        }
        assert_eq!(softmax([1e-300, 0.0]), [0.5, 0.5]);
        assert_eq!(log_sum_exp([1e30, 1e30]), 1e30);
        assert_eq!(softmax([1e30_f32, -1e30, 0.0]), [1.0, 0.0, 0.0]);
        assert_eq!(log_sum_exp([f32::INFINITY, 0.0]), f32::INFINITY);
        assert!(softmax([0.0_f32, f32::NAN]).iter().all(|y_k| y_k.is_nan()));
        assert!(log_sum_exp([0.0_f32, f32::NAN]).is_nan());
        assert!(
            softmax([f64::INFINITY, f64::NAN])
                .iter()
                .all(|y_k| y_k.is_nan())
        );
    }

    #[test]
    fn derivatives_match_central_differences() {
        let h = 1e-6;
        let points = [-3.0, -2.0, -1.0, -0.5, -0.2, 0.2, 0.5, 1.0, 2.0, 3.0];
        // The hard curves' kinks lie on these points; their own tests check them there.
        let kink = |name: &str, z: f64| {
            (name == "hard_tanh" && z.abs() == 1.0) || (name == "hard_sigmoid" && z.abs() == 3.0)
        };
        for case in &cases::<f64>() {
            for z in points.into_iter().filter(|&z| !kink(case.name, z)) {
                let (_, derivative) = evaluate(case, z);
                let difference = ((case.value)(z + h) - (case.value)(z - h)) / (2.0 * h);
                let error = (difference - derivative).abs();
                assert!(
                    error <= 1e-6 * derivative.abs().max(difference.abs()),
                    "{}'({z}) = {derivative}, difference {difference}",
                    case.name,
                );
            }
        }
    }

    /// The hard curves on each piece and at their kinks, where the derivative is 0, as PyTorch's.
    #[test]
    fn hard_tanh_and_hard_sigmoid_pieces_and_kinks() {
        for (z, value, slope) in [
            (-2.0, -1.0, 0.0),
            (-1.0, -1.0, 0.0),
            (0.25, 0.25, 1.0),
            (1.0, 1.0, 0.0),
        ] {
            assert_eq!(hard_tanh(z), value, "hard_tanh({z})");
            assert_eq!(hard_tanh_derivative(z, value), slope, "hard_tanh'({z})");
        }
        for (z, value, slope) in [
            (-4.0, 0.0, 0.0),
            (-3.0, 0.0, 0.0),
            (1.5, 0.75, 1.0 / 6.0),
            (3.0, 1.0, 0.0),
        ] {
            assert_eq!(hard_sigmoid(z), value, "hard_sigmoid({z})");
            assert_eq!(
                hard_sigmoid_derivative(z, value),
                slope,
                "hard_sigmoid'({z})"
            );
        }
    }

    /// `ReLU6` on each of its three pieces and at both kinks, where the derivative is 0.
    #[test]
    fn relu6_pieces_and_kinks() {
        for (z, value, slope) in [
            (-1.0, 0.0, 0.0),
            (0.0, 0.0, 0.0),
            (-0.0, 0.0, 0.0),
            (1e-300, 1e-300, 1.0),
            (2.5, 2.5, 1.0),
            (5.999_999_999_999_999, 5.999_999_999_999_999, 1.0),
            (6.0, 6.0, 0.0),
            (6.000_000_000_000_001, 6.0, 0.0),
            (1e300, 6.0, 0.0),
        ] {
            assert_eq!(relu6(z), value, "relu6({z})");
            assert_eq!(relu6_derivative(z, relu6(z)), slope, "relu6'({z})");
        }
        assert_eq!(relu6(7.5_f32), 6.0);
        assert_eq!(relu6_derivative(5.5_f32, 5.5), 1.0);
        assert_eq!(<Relu6 as Activation<f64>>::value(8.0), 6.0);
        assert_eq!(<HardTanh as Activation<f64>>::value(-3.0), -1.0);
        assert_eq!(<HardSigmoid as Activation<f32>>::value(1.5), 0.75);
        for z in [7.0, 9.0, 20.0] {
            let difference = (relu6(z + 1e-6) - relu6(z - 1e-6)) / 2e-6;
            assert_eq!(difference, relu6_derivative(z, relu6(z)), "at {z}");
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(relu(-2.0), 0.0);
        assert_eq!(relu(1.5), 1.5);
        assert_eq!(relu_derivative(0.0, 0.0), 0.0);
        assert_eq!(relu_derivative(-0.0, 0.0), 0.0);
        assert_eq!(leaky_relu(-2.0, 0.5), -1.0);
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(sigmoid_derivative(0.0, 0.5), 0.25);
        assert_eq!(tanh_derivative(0.0, tanh(0.0)), 1.0);
        assert_eq!(gelu(0.0), 0.0);
        assert_eq!(gelu_derivative(0.0, 0.0), 0.5);
        assert_eq!(silu_derivative(0.0, 0.0), 0.5);
        assert!((softplus(0.0_f64) - core::f64::consts::LN_2).abs() < 1e-16);
        assert!((gelu(1.0_f64) - 0.841_344_746_068_542_9).abs() < 1e-15);
        // Softplus keeps the tiny tail that `ln(1 + e^z)` would round to 0.
        assert!((softplus(-40.0_f64) / (-40.0_f64).exp() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn sigmoid_is_stable_and_symmetric() {
        for z in [0.1_f64, 1.0, 10.0, 30.0, 700.0] {
            assert!((sigmoid(z) + sigmoid(-z) - 1.0).abs() < 1e-16, "at {z}");
        }
        assert_eq!(sigmoid(1000.0_f32), 1.0);
        assert_eq!(sigmoid(-1000.0_f32), 0.0);
    }

    /// The error of an `f32` against the exact value `reference`, in ulps of `f32` at it (in
    /// `2^-149` below the normal range).
    fn error_in_f32_ulps(actual: f32, reference: f64) -> f64 {
        let magnitude = reference.abs().max(f64::from(f32::MIN_POSITIVE));
        // The ulp of `magnitude` as an f32: 2^(its exponent - 23).
        let exponent = ((magnitude.to_bits() >> 52) & 0x7ff).cast_signed() - 1023 - 23;
        let ulp = f64::from_bits((exponent + 1023).cast_unsigned() << 52);
        (f64::from(actual) - reference).abs() / ulp
    }

    /// The distance in ulps between two finite `f64`s of the same sign.
    fn ulps_apart(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    /// Sigmoid is within 2 ulp of the exact value in `f32` (against `f64`, exact to `2^-29` of an
    /// `f32` ulp) and of libm's `1 / (1 + e^-z)` in `f64`, across the range where it is neither 0
    /// nor 1 and into both tails, whichever `exp` the build uses.
    #[test]
    fn sigmoid_is_within_two_ulp() {
        let steps = 100_000;
        let (mut worst_f32, mut worst_f64) = (0.0_f64, 0_u64);
        for step in 0..=steps {
            let z = -110.0 + 220.0 * f64::from(step) / f64::from(steps);
            let z32 = <f32 as Number>::from_f64(z);
            let exact = 1.0 / (1.0 + Scalar::exp(-f64::from(z32)));
            worst_f32 = worst_f32.max(error_in_f32_ulps(sigmoid(z32), exact));
            let z = z * 7.0;
            let e = Scalar::exp(-z.abs());
            let libm = if z >= 0.0 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            };
            worst_f64 = worst_f64.max(ulps_apart(sigmoid(z), libm));
        }
        assert!(worst_f32 <= 2.0, "f32 sigmoid is {worst_f32} ulp off");
        assert!(worst_f64 <= 2, "f64 sigmoid is {worst_f64} ulp from libm's");
    }

    fn naive_softmax<const N: usize>(z: [f64; N]) -> [f64; N] {
        let sum: f64 = z.iter().map(|z_k| z_k.exp()).sum();
        z.map(|z_k| z_k.exp() / sum)
    }

    #[test]
    fn softmax_matches_the_naive_formula_and_sums_to_one() {
        for z in [
            [0.0, 0.0, 0.0],
            [1.0, 2.0, 3.0],
            [-1.5, 0.25, 4.0],
            [10.0, -10.0, 0.5],
        ] {
            let y = softmax(z);
            assert!((y.iter().sum::<f64>() - 1.0).abs() < 1e-15, "{z:?}");
            for (y_k, naive_k) in y.iter().zip(naive_softmax(z)) {
                assert!((y_k - naive_k).abs() <= 1e-15 * naive_k, "{z:?}");
            }
        }
    }

    #[test]
    fn softmax_is_stable() {
        assert_eq!(softmax([1000.0, 1000.0]), [0.5, 0.5]);
        assert_eq!(softmax([1e30_f32, 0.0]), [1.0, 0.0]);
        let y = softmax([-1e4, 1e4, 0.0]);
        assert!(y.iter().all(|y_k| y_k.is_finite()));
        assert!((y.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert_eq!(softmax([f64::INFINITY, 0.0]), [1.0, 0.0]);
        assert_eq!(softmax([f64::NEG_INFINITY, 0.0]), [0.0, 1.0]);
        assert!(softmax([f64::NAN, 0.0]).iter().all(|y_k| y_k.is_nan()));
        assert_eq!(softmax::<f64, 0>([]), [0.0_f64; 0]);
        assert_eq!(softmax([3.5]), [1.0]);
    }

    #[test]
    fn log_sum_exp_is_stable() {
        assert_eq!(
            log_sum_exp([1000.0, 1000.0]),
            1000.0 + core::f64::consts::LN_2
        );
        assert!((log_sum_exp([1.0, 2.0, 3.0]) - 3.407_605_964_444_38).abs() < 1e-15);
        assert_eq!(log_sum_exp([-1e30_f32, 1e30]), 1e30);
        assert_eq!(
            log_sum_exp([f64::NEG_INFINITY, f64::NEG_INFINITY]),
            f64::NEG_INFINITY
        );
        assert_eq!(log_sum_exp([f64::INFINITY, 0.0]), f64::INFINITY);
        assert!(log_sum_exp([0.0, f64::NAN]).is_nan());
        assert_eq!(log_sum_exp::<f64, 0>([]), f64::NEG_INFINITY);
    }

    #[test]
    fn log_sum_exp_gradient_is_softmax() {
        let h = 1e-6;
        let z = [0.3, -1.2, 2.0];
        let y = softmax(z);
        for k in 0..3 {
            let (mut up, mut down) = (z, z);
            up[k] += h;
            down[k] -= h;
            let difference = (log_sum_exp(up) - log_sum_exp(down)) / (2.0 * h);
            assert!((difference - y[k]).abs() <= 1e-6 * y[k], "k = {k}");
        }
    }
}
