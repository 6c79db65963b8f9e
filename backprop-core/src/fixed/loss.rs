//! Losses in Q16.16, saturating, under the names of the float ones: each output's term beside its
//! derivative in [`element`], whole arrays and their gradients here.

use super::{I16F16, divide};

/// Per-output terms, each beside its derivative in the prediction.
pub mod element {
    use super::super::{I16F16, mul};

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
}

/// `sum_o (y_o - t_o)^2`, summed left to right.
#[must_use]
pub fn squared_error<const O: usize>(prediction: &[I16F16; O], target: &[I16F16; O]) -> I16F16 {
    prediction
        .iter()
        .zip(target)
        .fold(I16F16::ZERO, |sum, (&y, &t)| {
            sum.saturating_add(element::squared_error(y, t))
        })
}

/// `2 (y_o - t_o)` for each output.
#[must_use]
pub fn squared_error_gradient<const O: usize>(
    prediction: &[I16F16; O],
    target: &[I16F16; O],
) -> [I16F16; O] {
    core::array::from_fn(|o| element::squared_error_derivative(prediction[o], target[o]))
}

/// `sum_o (y_o - t_o)^2 / O`, the sum divided exactly and rounded to nearest.
#[must_use]
pub fn mean_squared_error<const O: usize>(
    prediction: &[I16F16; O],
    target: &[I16F16; O],
) -> I16F16 {
    divide(squared_error(prediction, target), O)
}

/// `2 (y_o - t_o) / O` for each output, each rounded to nearest.
#[must_use]
pub fn mean_squared_error_gradient<const O: usize>(
    prediction: &[I16F16; O],
    target: &[I16F16; O],
) -> [I16F16; O] {
    core::array::from_fn(|o| {
        divide(
            element::squared_error_derivative(prediction[o], target[o]),
            O,
        )
    })
}
