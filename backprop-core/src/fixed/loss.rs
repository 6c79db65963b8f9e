//! Losses in Q16.16, each term beside its derivative; saturating.

use super::{I16F16, mul};

/// One output's squared error, `(y - t)^2`.
#[must_use]
pub fn squared_error(prediction: I16F16, target: I16F16) -> I16F16 {
    let error = prediction.saturating_sub(target);
    mul(error, error)
}

/// Its derivative in the prediction, `2 (y - t)`.
#[must_use]
pub fn squared_error_derivative(prediction: I16F16, target: I16F16) -> I16F16 {
    let error = prediction.saturating_sub(target);
    error.saturating_add(error)
}

/// `sum_o (y_o - t_o)^2`.
#[must_use]
pub fn sum_squared_error<const O: usize>(prediction: &[I16F16; O], target: &[I16F16; O]) -> I16F16 {
    prediction
        .iter()
        .zip(target)
        .fold(I16F16::ZERO, |sum, (&y, &t)| {
            sum.saturating_add(squared_error(y, t))
        })
}

/// `sum_o (y_o - t_o)^2 / O`, the sum divided exactly and rounded to nearest.
#[must_use]
pub fn mean_squared_error<const O: usize>(
    prediction: &[I16F16; O],
    target: &[I16F16; O],
) -> I16F16 {
    divide(sum_squared_error(prediction, target), O)
}

/// The derivative of the mean squared error in one prediction, `2 (y_o - t_o) / O`.
#[must_use]
pub fn mean_squared_error_derivative<const O: usize>(prediction: I16F16, target: I16F16) -> I16F16 {
    divide(squared_error_derivative(prediction, target), O)
}

/// `value / count` rounded to nearest (halves away from zero).
fn divide(value: I16F16, count: usize) -> I16F16 {
    let count = i64::try_from(count.max(1)).unwrap_or(i64::MAX);
    let bits = i64::from(value.to_bits());
    let half = count / 2;
    let quotient = if bits < 0 {
        (bits - half) / count
    } else {
        (bits + half) / count
    };
    #[allow(clippy::cast_possible_truncation)] // |quotient| <= |bits|, an i32
    I16F16::from_bits(quotient as i32)
}
