//! Loss functions and their gradients.
//!
//! With prediction `y`, target `t`, `N` outputs and error `e = y - t`:
//!
//! | Loss                     | `L`                                               | `dL/dy_o`                           |
//! |--------------------------|---------------------------------------------------|-------------------------------------|
//! | [`squared_error`]        | `sum_o e_o^2` (no 1/2, no mean)                   | `2 e_o`                             |
//! | [`mean_squared_error`]   | `sum_o e_o^2 / N`                                 | `2 e_o / N`                         |
//! | [`mean_absolute_error`]  | `sum_o abs(e_o) / N`                              | `sign(e_o) / N` (0 at `e_o = 0`)    |
//! | [`huber`]`(delta)`       | `sum_o h(e_o) / N`                                | `h'(e_o) / N`                       |
//! | [`binary_cross_entropy`] | `sum_o -(t_o ln y_o + (1 - t_o) ln(1 - y_o)) / N` | `(y_o - t_o) / (y_o (1 - y_o)) / N` |
//! | [`cross_entropy`]        | `-sum_o t_o ln y_o`                               | `-t_o / y_o`                        |
//!
//! where `h(e) = e^2 / 2` if `abs(e) <= delta`, else `delta (abs(e) - delta / 2)`, and `h'(e) = e` if
//! `abs(e) <= delta`, else `delta sign(e)`.
//!
//! When the output layer is sigmoid or softmax, the cross-entropies are computed from the logits `z`
//! (the output layer's pre-activations): they stay finite where `y` rounds to exactly 0 or 1 and
//! `ln y` or `ln(1 - y)` would be `-inf`.
//!
//! | Loss                                  | `L`                                                       | `dL/dz_o`                      |
//! |---------------------------------------|-----------------------------------------------------------|--------------------------------|
//! | [`binary_cross_entropy_with_logits`]  | `sum_o (max(z_o, 0) - z_o t_o + ln(1 + e^-abs(z_o))) / N` | `(sigmoid(z_o) - t_o) / N`     |
//! | [`softmax_cross_entropy_with_logits`] | `sum_o t_o (log_sum_exp(z) - z_o)`                        | `softmax(z)_o sum_k t_k - t_o` |
//!
//! [`element`] holds the per-output terms. The sums here run left to right from the first term
//! (`(term_0 + term_1) + ...`, not `0 + term_0 + ...`) and a mean divides the sum by `N` (not at all
//! when `N` is 1), exactly as the generated code does, so the two agree to the bit.
//!
//! The `exp`, `ln` and `ln_1p` here are the activations' (see
//! [`activation`](crate::activation#which-exp-ln-tanh-and-erf)): the branch-free
//! [`math`](crate::math) kernels by default, libm's with the feature `libm-activations`.

use crate::Scalar;
use crate::activation::{log_sum_exp, softmax};

pub mod element {
    //! Per-output loss terms, each value next to its derivative with respect to the prediction (or,
    //! for the `_with_logit` forms, the logit).
    //!
    //! Names follow one rule across the runtime: a function of one output ends its derivative in
    //! `_derivative` and takes one `_logit`; a function of a whole array (in [`loss`](super) and
    //! [`activation`](crate::activation)) ends its gradient in `_gradient` and takes `_logits`.
    //!
    //! Prediction `y`, target `t`, error `e = y - t`.

    use crate::Scalar;
    use crate::activation::sigmoid;
    use crate::math;

    /// `sign(e)`: 1 above 0, -1 below, 0 at 0, NaN for NaN.
    #[inline]
    fn sign<T: Scalar>(e: T) -> T {
        if e > T::ZERO {
            T::ONE
        } else if e < T::ZERO {
            -T::ONE
        } else if e.is_nan() {
            e
        } else {
            T::ZERO
        }
    }

    /// `-weight * log`, but exactly 0 when `weight` is 0: a target of 0 puts nothing on its term, so
    /// a log of 0 (`-inf`) there gives 0, not NaN.
    #[inline]
    fn weighted_negative_log<T: Scalar>(weight: T, log: T) -> T {
        if weight == T::ZERO {
            T::ZERO
        } else {
            -(weight * log)
        }
    }

    /// `weight / denominator`, but exactly 0 when `weight` is 0 (so `0 / 0` is 0, not NaN).
    #[inline]
    fn weighted_reciprocal<T: Scalar>(weight: T, denominator: T) -> T {
        if weight == T::ZERO {
            T::ZERO
        } else {
            weight / denominator
        }
    }

    /// Squared error: `l = e^2 = (y - t)^2`; derivative `dl/dy = 2 (y - t)`.
    #[inline]
    pub fn squared_error<T: Scalar>(prediction: T, target: T) -> T {
        let error = prediction - target;
        error * error
    }

    /// Derivative of the squared error: `dl/dy = 2 (y - t)`; value `l = (y - t)^2`.
    #[inline]
    pub fn squared_error_derivative<T: Scalar>(prediction: T, target: T) -> T {
        T::TWO * (prediction - target)
    }

    /// Absolute error: `l = abs(y - t)`; derivative `dl/dy = sign(y - t)` (0 at `y = t`).
    #[inline]
    pub fn absolute_error<T: Scalar>(prediction: T, target: T) -> T {
        (prediction - target).abs()
    }

    /// Derivative of the absolute error: `dl/dy = sign(y - t)`, 0 at `y = t`; value
    /// `l = abs(y - t)`.
    #[inline]
    pub fn absolute_error_derivative<T: Scalar>(prediction: T, target: T) -> T {
        sign(prediction - target)
    }

    /// Huber: `l = e^2 / 2` if `abs(e) <= delta`, else `delta (abs(e) - delta / 2)`; derivative
    /// `dl/dy = e` if `abs(e) <= delta`, else `delta sign(e)`. Here `e = y - t`.
    #[inline]
    pub fn huber<T: Scalar>(prediction: T, target: T, delta: T) -> T {
        let error = prediction - target;
        let magnitude = error.abs();
        if magnitude <= delta {
            T::HALF * error * error
        } else {
            // Also the NaN branch.
            delta * (magnitude - T::HALF * delta)
        }
    }

    /// Derivative of Huber: `dl/dy = e` if `abs(e) <= delta`, else `delta sign(e)`; value
    /// `l = e^2 / 2` if `abs(e) <= delta`, else `delta (abs(e) - delta / 2)`. Here `e = y - t`.
    #[inline]
    pub fn huber_derivative<T: Scalar>(prediction: T, target: T, delta: T) -> T {
        let error = prediction - target;
        if error.abs() <= delta {
            error
        } else {
            delta * sign(error)
        }
    }

    /// Binary cross-entropy: `l = -(t ln y + (1 - t) ln(1 - y))`; derivative
    /// `dl/dy = (y - t) / (y (1 - y))`.
    ///
    /// A term whose weight (`t` or `1 - t`) is 0 counts as exactly 0, so a prediction of exactly 0
    /// or 1 that matches its target costs 0 instead of NaN.
    #[inline]
    pub fn binary_cross_entropy<T: Scalar>(prediction: T, target: T) -> T {
        // `ln_1p(-y)` keeps the digits of `ln(1 - y)` for small `y`.
        weighted_negative_log(target, math::ln(prediction))
            + weighted_negative_log(T::ONE - target, math::ln_1p(-prediction))
    }

    /// Derivative of binary cross-entropy: `dl/dy = (y - t) / (y (1 - y))`; value
    /// `l = -(t ln y + (1 - t) ln(1 - y))`.
    ///
    /// At `y = 0` or `y = 1`, where that is `0 / 0` or `x / 0`, it is computed as the equal
    /// `-t / y + (1 - t) / (1 - y)` with a zero-weight term counted as 0: finite when the prediction
    /// matches its target (`1` at `y = t = 0`, `-1` at `y = t = 1`), infinite otherwise.
    #[inline]
    pub fn binary_cross_entropy_derivative<T: Scalar>(prediction: T, target: T) -> T {
        let denominator = prediction * (T::ONE - prediction);
        if denominator == T::ZERO {
            weighted_reciprocal(T::ONE - target, T::ONE - prediction)
                - weighted_reciprocal(target, prediction)
        } else {
            (prediction - target) / denominator
        }
    }

    /// Binary cross-entropy of `y = sigmoid(z)`, from the logit `z`:
    /// `l = max(z, 0) - z t + ln(1 + e^-abs(z))`; derivative `dl/dz = sigmoid(z) - t`.
    ///
    /// Equal to `-(t ln y + (1 - t) ln(1 - y))`, but `e^-abs(z)` never overflows and no `ln` of 0
    /// is taken.
    #[inline]
    pub fn binary_cross_entropy_with_logit<T: Scalar>(logit: T, target: T) -> T {
        logit.max(T::ZERO) - logit * target + math::ln_1p(math::exp(-logit.abs()))
    }

    /// Derivative of binary cross-entropy with respect to the logit: `dl/dz = sigmoid(z) - t`; value
    /// `l = max(z, 0) - z t + ln(1 + e^-abs(z))`.
    #[inline]
    pub fn binary_cross_entropy_with_logit_derivative<T: Scalar>(logit: T, target: T) -> T {
        sigmoid(logit) - target
    }

    /// Cross-entropy term: `l = -t ln y`, exactly 0 when `t = 0` (so `y = 0` there is not NaN);
    /// derivative `dl/dy = -t / y` (0 when `t = 0`).
    #[inline]
    pub fn cross_entropy<T: Scalar>(prediction: T, target: T) -> T {
        weighted_negative_log(target, math::ln(prediction))
    }

    /// Derivative of the cross-entropy term: `dl/dy = -t / y`, exactly 0 when `t = 0`; value
    /// `l = -t ln y`.
    #[inline]
    pub fn cross_entropy_derivative<T: Scalar>(prediction: T, target: T) -> T {
        -weighted_reciprocal(target, prediction)
    }

    /// One output's share of softmax cross-entropy, from its logit `z` and the layer's
    /// `log_sum_exp = ln(sum_k e^z_k)`: `l = t (log_sum_exp - z)`, which is `-t ln softmax(z)`
    /// without taking a log of 0; exactly 0 when `t = 0`.
    ///
    /// The derivative couples the outputs (`dL/dz_o = softmax(z)_o sum_k t_k - t_o`), so it lives
    /// in [`softmax_cross_entropy_with_logits_gradient`](super::softmax_cross_entropy_with_logits_gradient).
    #[inline]
    pub fn softmax_cross_entropy_with_logit<T: Scalar>(logit: T, log_sum_exp: T, target: T) -> T {
        if target == T::ZERO {
            T::ZERO
        } else {
            target * (log_sum_exp - logit)
        }
    }
}

/// The sum of the terms, left to right from the first (`(term_0 + term_1) + ...`, not
/// `0 + term_0 + ...`), the order the generated code uses; 0 when there are none.
#[inline]
fn sum_in_order<T: Scalar>(terms: impl Iterator<Item = T>) -> T {
    terms.reduce(|sum, term| sum + term).unwrap_or(T::ZERO)
}

/// `sum_o term(y_o, t_o)`, in order.
#[inline]
fn sum<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
    term: impl Fn(T, T) -> T,
) -> T {
    sum_in_order(prediction.iter().zip(target).map(|(&y, &t)| term(y, t)))
}

/// `value / N`, with no division at all for a single output (so its mean is its term, bit for bit).
#[inline]
fn per_output<T: Scalar, const N: usize>(value: T) -> T {
    if N == 1 {
        value
    } else {
        value / T::from_usize(N)
    }
}

/// `sum_o term(y_o, t_o) / N`, in order.
#[inline]
fn mean<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
    term: impl Fn(T, T) -> T,
) -> T {
    per_output::<T, N>(sum(prediction, target, term))
}

/// `[derivative(y_o, t_o) for each o]`.
#[inline]
fn each<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
    derivative: impl Fn(T, T) -> T,
) -> [T; N] {
    core::array::from_fn(|o| derivative(prediction[o], target[o]))
}

/// Squared error `L = sum_o (y_o - t_o)^2` (no 1/2, no mean); gradient `dL/dy_o = 2 (y_o - t_o)`.
#[inline]
pub fn squared_error<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    sum(prediction, target, element::squared_error)
}

/// Gradient of the squared error: `dL/dy_o = 2 (y_o - t_o)`; loss `L = sum_o (y_o - t_o)^2`.
#[inline]
pub fn squared_error_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(prediction, target, element::squared_error_derivative)
}

/// Mean squared error `L = sum_o (y_o - t_o)^2 / N`; gradient `dL/dy_o = 2 (y_o - t_o) / N`.
#[inline]
pub fn mean_squared_error<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    mean(prediction, target, element::squared_error)
}

/// Gradient of the mean squared error: `dL/dy_o = 2 (y_o - t_o) / N`; loss
/// `L = sum_o (y_o - t_o)^2 / N`.
#[inline]
pub fn mean_squared_error_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(prediction, target, |y, t| {
        per_output::<T, N>(element::squared_error_derivative(y, t))
    })
}

/// Mean absolute error `L = sum_o abs(y_o - t_o) / N`; gradient `dL/dy_o = sign(y_o - t_o) / N`
/// (0 at `y_o = t_o`).
#[inline]
pub fn mean_absolute_error<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    mean(prediction, target, element::absolute_error)
}

/// Gradient of the mean absolute error: `dL/dy_o = sign(y_o - t_o) / N` (0 at `y_o = t_o`); loss
/// `L = sum_o abs(y_o - t_o) / N`.
#[inline]
pub fn mean_absolute_error_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(prediction, target, |y, t| {
        per_output::<T, N>(element::absolute_error_derivative(y, t))
    })
}

/// Huber loss `L = sum_o h(e_o) / N`, with `e = y - t` and `h(e) = e^2 / 2` if `abs(e) <= delta`,
/// else `delta (abs(e) - delta / 2)`; gradient `dL/dy_o = h'(e_o) / N`, with `h'(e) = e` if
/// `abs(e) <= delta`, else `delta sign(e)`.
#[inline]
pub fn huber<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N], delta: T) -> T {
    mean(prediction, target, |y, t| element::huber(y, t, delta))
}

/// Gradient of the Huber loss: `dL/dy_o = h'(e_o) / N`, with `e = y - t` and `h'(e) = e` if
/// `abs(e) <= delta`, else `delta sign(e)`; loss `L = sum_o h(e_o) / N`.
#[inline]
pub fn huber_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
    delta: T,
) -> [T; N] {
    each(prediction, target, |y, t| {
        per_output::<T, N>(element::huber_derivative(y, t, delta))
    })
}

/// Binary cross-entropy `L = sum_o -(t_o ln y_o + (1 - t_o) ln(1 - y_o)) / N`; gradient
/// `dL/dy_o = (y_o - t_o) / (y_o (1 - y_o)) / N`.
///
/// For a sigmoid output, [`binary_cross_entropy_with_logits`] is the stable form.
#[inline]
pub fn binary_cross_entropy<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    mean(prediction, target, element::binary_cross_entropy)
}

/// Gradient of the binary cross-entropy: `dL/dy_o = (y_o - t_o) / (y_o (1 - y_o)) / N`; loss
/// `L = sum_o -(t_o ln y_o + (1 - t_o) ln(1 - y_o)) / N`.
#[inline]
pub fn binary_cross_entropy_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(prediction, target, |y, t| {
        per_output::<T, N>(element::binary_cross_entropy_derivative(y, t))
    })
}

/// Cross-entropy `L = -sum_o t_o ln y_o` (a zero target contributes exactly 0); gradient
/// `dL/dy_o = -t_o / y_o`.
///
/// For a softmax output, [`softmax_cross_entropy_with_logits`] is the stable form.
#[inline]
pub fn cross_entropy<T: Scalar, const N: usize>(prediction: &[T; N], target: &[T; N]) -> T {
    sum(prediction, target, element::cross_entropy)
}

/// Gradient of the cross-entropy: `dL/dy_o = -t_o / y_o` (0 for a zero target); loss
/// `L = -sum_o t_o ln y_o`.
#[inline]
pub fn cross_entropy_gradient<T: Scalar, const N: usize>(
    prediction: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(prediction, target, element::cross_entropy_derivative)
}

/// Binary cross-entropy of `y = sigmoid(z)`, from the logits `z`:
/// `L = sum_o (max(z_o, 0) - z_o t_o + ln(1 + e^-abs(z_o))) / N`; gradient with respect to the
/// logits `dL/dz_o = (sigmoid(z_o) - t_o) / N`.
#[inline]
pub fn binary_cross_entropy_with_logits<T: Scalar, const N: usize>(
    logits: &[T; N],
    target: &[T; N],
) -> T {
    mean(logits, target, element::binary_cross_entropy_with_logit)
}

/// Gradient of the binary cross-entropy with respect to the logits:
/// `dL/dz_o = (sigmoid(z_o) - t_o) / N`; loss
/// `L = sum_o (max(z_o, 0) - z_o t_o + ln(1 + e^-abs(z_o))) / N`.
#[inline]
pub fn binary_cross_entropy_with_logits_gradient<T: Scalar, const N: usize>(
    logits: &[T; N],
    target: &[T; N],
) -> [T; N] {
    each(logits, target, |z, t| {
        per_output::<T, N>(element::binary_cross_entropy_with_logit_derivative(z, t))
    })
}

/// Cross-entropy of `y = softmax(z)`, from the logits `z`: `L = sum_o t_o (log_sum_exp(z) - z_o)`
/// (which is `-sum_o t_o ln y_o`); gradient with respect to the logits
/// `dL/dz_o = softmax(z)_o sum_k t_k - t_o`.
#[inline]
pub fn softmax_cross_entropy_with_logits<T: Scalar, const N: usize>(
    logits: &[T; N],
    target: &[T; N],
) -> T {
    let log_sum_exp = log_sum_exp(*logits);
    sum(logits, target, |z, t| {
        element::softmax_cross_entropy_with_logit(z, log_sum_exp, t)
    })
}

/// Gradient of the softmax cross-entropy with respect to the logits:
/// `dL/dz_o = softmax(z)_o sum_k t_k - t_o` (`softmax(z)_o - t_o` for a target that sums to 1);
/// loss `L = sum_o t_o (log_sum_exp(z) - z_o)`.
#[inline]
pub fn softmax_cross_entropy_with_logits_gradient<T: Scalar, const N: usize>(
    logits: &[T; N],
    target: &[T; N],
) -> [T; N] {
    let total_target = sum_in_order(target.iter().copied());
    each(&softmax(*logits), target, |y, t| y * total_target - t)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::*;
    use crate::activation::sigmoid;
    use core::f64::consts::LN_2;

    /// A loss over three outputs and its gradient, as plain function pointers.
    struct Case {
        name: &'static str,
        loss: fn(&[f64; 3], &[f64; 3]) -> f64,
        gradient: fn(&[f64; 3], &[f64; 3]) -> [f64; 3],
    }

    const CASES: [Case; 9] = [
        Case {
            name: "squared_error",
            loss: squared_error,
            gradient: squared_error_gradient,
        },
        Case {
            name: "mean_squared_error",
            loss: mean_squared_error,
            gradient: mean_squared_error_gradient,
        },
        Case {
            name: "mean_absolute_error",
            loss: mean_absolute_error,
            gradient: mean_absolute_error_gradient,
        },
        Case {
            name: "huber(1)",
            loss: |y, t| huber(y, t, 1.0),
            gradient: |y, t| huber_gradient(y, t, 1.0),
        },
        Case {
            name: "huber(0.25)",
            loss: |y, t| huber(y, t, 0.25),
            gradient: |y, t| huber_gradient(y, t, 0.25),
        },
        Case {
            name: "binary_cross_entropy",
            loss: binary_cross_entropy,
            gradient: binary_cross_entropy_gradient,
        },
        Case {
            name: "cross_entropy",
            loss: cross_entropy,
            gradient: cross_entropy_gradient,
        },
        Case {
            name: "binary_cross_entropy_with_logits",
            loss: binary_cross_entropy_with_logits,
            gradient: binary_cross_entropy_with_logits_gradient,
        },
        Case {
            name: "softmax_cross_entropy_with_logits",
            loss: softmax_cross_entropy_with_logits,
            gradient: softmax_cross_entropy_with_logits_gradient,
        },
    ];

    /// Predictions in (0, 1), so every loss is defined there, with errors away from the kinks of
    /// the absolute error (0) and Huber (`+-delta`).
    const POINTS: [([f64; 3], [f64; 3]); 4] = [
        ([0.2, 0.7, 0.45], [0.0, 1.0, 0.5]),
        ([0.9, 0.1, 0.6], [1.0, 0.0, 0.0]),
        ([0.35, 0.8, 0.05], [0.3, 0.3, 0.4]),
        ([0.55, 0.15, 0.95], [0.0, 0.0, 1.0]),
    ];

    #[test]
    fn gradients_match_central_differences() {
        let h = 1e-6;
        for case in &CASES {
            for (prediction, target) in &POINTS {
                let gradient = (case.gradient)(prediction, target);
                for o in 0..3 {
                    let (mut up, mut down) = (*prediction, *prediction);
                    up[o] += h;
                    down[o] -= h;
                    let difference =
                        ((case.loss)(&up, target) - (case.loss)(&down, target)) / (2.0 * h);
                    let error = (difference - gradient[o]).abs();
                    assert!(
                        error <= 1e-6 * gradient[o].abs().max(difference.abs()),
                        "{}: dL/dy_{o} at {prediction:?} = {}, difference {difference}",
                        case.name,
                        gradient[o],
                    );
                }
            }
        }
    }

    #[test]
    fn element_derivatives_match_central_differences() {
        type Pair = (fn(f64, f64) -> f64, fn(f64, f64) -> f64);
        let pairs: [Pair; 7] = [
            (element::squared_error, element::squared_error_derivative),
            (element::absolute_error, element::absolute_error_derivative),
            (
                |y, t| element::huber(y, t, 0.5),
                |y, t| element::huber_derivative(y, t, 0.5),
            ),
            (
                element::binary_cross_entropy,
                element::binary_cross_entropy_derivative,
            ),
            (
                element::binary_cross_entropy_with_logit,
                element::binary_cross_entropy_with_logit_derivative,
            ),
            (element::cross_entropy, element::cross_entropy_derivative),
            (
                |z, t| element::softmax_cross_entropy_with_logit(z, 2.0, t),
                |_, t| -t,
            ),
        ];
        let h = 1e-6;
        for (index, (value, derivative)) in pairs.into_iter().enumerate() {
            for (y, t) in [(0.3, 0.9), (0.8, 0.1), (0.05, 0.5), (0.6, 1.0), (0.4, 0.0)] {
                let slope = derivative(y, t);
                let difference = (value(y + h, t) - value(y - h, t)) / (2.0 * h);
                assert!(
                    (difference - slope).abs() <= 1e-6 * slope.abs().max(difference.abs()),
                    "pair {index} at ({y}, {t}): {slope} vs {difference}",
                );
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(squared_error(&[2.5], &[2.0]), 0.25);
        assert_eq!(squared_error_gradient(&[2.5], &[2.0]), [1.0]);
        assert_eq!(squared_error(&[1.0, 0.0], &[0.0, 3.0]), 10.0);
        assert_eq!(mean_squared_error(&[1.0, 0.0], &[0.0, 3.0]), 5.0);
        assert_eq!(
            mean_squared_error_gradient(&[1.0, 0.0], &[0.0, 3.0]),
            [1.0, -3.0]
        );
        assert_eq!(
            mean_absolute_error(&[1.0, 0.0, 2.0], &[0.0, 3.0, 2.0]),
            4.0 / 3.0
        );
        assert_eq!(
            mean_absolute_error_gradient(&[1.0, 0.0], &[0.0, 3.0]),
            [0.5, -0.5]
        );
        assert_eq!(
            mean_absolute_error_gradient(&[2.0, 2.0], &[2.0, 2.0]),
            [0.0, 0.0]
        );
        // Mean of 1 * (3 - 1/2) (linear part) and 0.5^2 / 2 (quadratic part).
        assert_eq!(huber(&[3.0, 0.5], &[0.0, 0.0], 1.0), 1.3125);
        assert_eq!(huber_gradient(&[3.0, -0.5], &[0.0, 0.0], 1.0), [0.5, -0.25]);
        assert_eq!(binary_cross_entropy(&[0.5], &[1.0]), LN_2);
        assert_eq!(cross_entropy(&[0.25, 0.5], &[0.0, 1.0]), LN_2);
        assert_eq!(
            cross_entropy_gradient(&[0.25, 0.5], &[0.0, 1.0]),
            [0.0, -2.0]
        );
        assert_eq!(binary_cross_entropy_with_logits(&[0.0], &[1.0]), LN_2);
        assert_eq!(
            binary_cross_entropy_with_logits_gradient(&[0.0, 0.0], &[1.0, 0.0]),
            [-0.25, 0.25]
        );
        assert_eq!(
            softmax_cross_entropy_with_logits(&[0.0, 0.0], &[0.0, 1.0]),
            LN_2
        );
        assert_eq!(
            softmax_cross_entropy_with_logits_gradient(&[3.0, 3.0], &[0.0, 1.0]),
            [0.5, -0.5]
        );
    }

    #[test]
    fn zero_targets_cost_nothing() {
        assert_eq!(element::cross_entropy(0.0, 0.0), 0.0);
        assert_eq!(element::cross_entropy_derivative(0.0, 0.0), 0.0);
        assert_eq!(
            element::softmax_cross_entropy_with_logit(f64::NEG_INFINITY, 5.0, 0.0),
            0.0
        );
        assert_eq!(element::binary_cross_entropy(0.0, 0.0), 0.0);
        assert_eq!(element::binary_cross_entropy(1.0, 1.0), 0.0);
        assert_eq!(element::binary_cross_entropy_derivative(0.0, 0.0), 1.0);
        assert_eq!(element::binary_cross_entropy_derivative(1.0, 1.0), -1.0);
        assert_eq!(element::binary_cross_entropy(0.0, 1.0), f64::INFINITY);
        assert_eq!(
            element::binary_cross_entropy_derivative(0.0, 1.0),
            f64::NEG_INFINITY
        );
        assert_eq!(cross_entropy(&[0.0, 1.0], &[0.0, 1.0]), 0.0);
    }

    #[test]
    fn logit_forms_match_the_direct_forms() {
        let logits = [-2.0, 0.3, 1.7];
        let target = [0.0, 1.0, 0.25];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-14 * b.abs();
        let probabilities = logits.map(sigmoid);
        assert!(close(
            binary_cross_entropy_with_logits(&logits, &target),
            binary_cross_entropy(&probabilities, &target),
        ));
        let target = [0.2, 0.5, 0.3];
        assert!(close(
            softmax_cross_entropy_with_logits(&logits, &target),
            cross_entropy(&softmax(logits), &target),
        ));
    }

    fn assert_logit_forms_finite<T: Scalar>(scale: f64) {
        let logits = [scale, -scale, scale * 0.5].map(T::from_f64);
        for target in [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.25, 0.25]] {
            let target = target.map(T::from_f64);
            let losses = [
                binary_cross_entropy_with_logits(&logits, &target),
                softmax_cross_entropy_with_logits(&logits, &target),
            ];
            let gradients = [
                binary_cross_entropy_with_logits_gradient(&logits, &target),
                softmax_cross_entropy_with_logits_gradient(&logits, &target),
            ];
            assert!(
                losses.iter().all(|loss| loss.is_finite()),
                "{} {losses:?}",
                T::NAME
            );
            assert!(
                gradients.iter().flatten().all(|slope| slope.is_finite()),
                "{} {gradients:?}",
                T::NAME,
            );
        }
    }

    #[test]
    fn logit_forms_are_stable() {
        for scale in [1e4, 1e30] {
            assert_logit_forms_finite::<f64>(scale);
            assert_logit_forms_finite::<f32>(scale);
        }
        // The right answers, not just finite ones: a confident right guess costs ~0, a wrong one ~1e4.
        assert_eq!(binary_cross_entropy_with_logits(&[1e4], &[1.0]), 0.0);
        assert_eq!(binary_cross_entropy_with_logits(&[-1e4], &[1.0]), 1e4);
        assert_eq!(
            softmax_cross_entropy_with_logits(&[1e4, -1e4], &[1.0, 0.0]),
            0.0
        );
        assert_eq!(
            softmax_cross_entropy_with_logits(&[1e4, -1e4], &[0.0, 1.0]),
            2e4
        );
        assert_eq!(
            softmax_cross_entropy_with_logits_gradient(&[1e4, -1e4], &[0.0, 1.0]),
            [1.0, -1.0]
        );
    }

    #[test]
    fn sums_run_left_to_right_from_the_first_term() {
        // Terms 1e16, 1, 1: left to right each 1 rounds away; right to left they would add 2.
        assert_eq!(squared_error(&[1e8, 1.0, 1.0], &[0.0, 0.0, 0.0]), 1e16);
        // A single term of -0 stays -0; starting from 0 would make it +0.
        assert!(cross_entropy(&[1.0_f64], &[1.0]).is_sign_negative());
    }

    #[test]
    fn means_divide_the_sum_by_n() {
        let prediction = [0.1, 0.7, 0.3];
        let target = [0.3, 0.2, 0.9];
        let sum = squared_error(&prediction, &target);
        assert_eq!(mean_squared_error(&prediction, &target), sum / 3.0);
        let gradient = squared_error_gradient(&prediction, &target);
        assert_eq!(
            mean_squared_error_gradient(&prediction, &target),
            gradient.map(|g| g / 3.0)
        );
        // One output: no division at all.
        assert_eq!(
            mean_squared_error(&[0.1_f32], &[0.4]),
            element::squared_error(0.1, 0.4)
        );
    }

    #[test]
    fn nan_is_never_hidden() {
        let nan = f64::NAN;
        assert!(element::absolute_error_derivative(nan, 0.0).is_nan());
        assert!(element::huber(nan, 0.0, 1.0).is_nan());
        assert!(element::huber_derivative(nan, 0.0, 1.0).is_nan());
        assert!(element::cross_entropy(0.5, nan).is_nan());
        assert!(mean_absolute_error(&[nan, 0.0], &[0.0, 0.0]).is_nan());
    }
}
