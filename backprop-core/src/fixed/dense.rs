//! The forward pass, back-propagation, gradient and SGD step of a Q16.16 [`Dense`] layer: the same
//! formulas as the float layer's, each sum accumulated exactly in 64 bits and rounded once.

use super::{I16F16, dot, from_wide, mul, widen};
use crate::Dense;

/// The operations of a Q16.16 layer, under the names of the float [`Dense`]'s methods. A trait,
/// not inherent methods, so that code naming `Dense::pre_activation` on a layer whose scalar is
/// not yet inferred does not find two candidates; generated code calls it by path.
pub trait Layer<const I: usize, const O: usize> {
    /// `z_j = sum_i weights[j][i] * input[i] + bias[j]`, rounded once to Q16.16, saturated.
    #[must_use]
    fn pre_activation(&self, input: &[I16F16; I]) -> [I16F16; O];
    /// `upstream_i = sum_j weights[j][i] * delta_j`: the derivative of the loss with respect to
    /// input `i`, given `delta_j = dL/dz_j`; each sum exact, rounded once.
    #[must_use]
    fn back_propagate(&self, delta: &[I16F16; O]) -> [I16F16; I];
    /// Stores this layer's gradient: `dL/dweights[j][i] = delta_j * input_i` (rounded),
    /// `dL/dbias[j] = delta_j`.
    fn set_gradient(&mut self, delta: &[I16F16; O], input: &[I16F16; I]);
    /// One step of gradient descent, `p = p - learning_rate * dL/dp`, each product rounded and
    /// each difference saturated. A step smaller than half of `2^-16` rounds to no step at all:
    /// the learning rate times the gradient must stay above that for the net to learn.
    fn sgd_step(&mut self, gradient: &Self, learning_rate: I16F16);
}

impl<const I: usize, const O: usize> Layer<I, O> for Dense<I16F16, I, O> {
    fn pre_activation(&self, input: &[I16F16; I]) -> [I16F16; O] {
        let mut z = [I16F16::ZERO; O];
        for ((z_j, row), &bias) in z.iter_mut().zip(&self.weights).zip(&self.bias) {
            *z_j = from_wide(dot(row, input).saturating_add(widen(bias)));
        }
        z
    }

    fn back_propagate(&self, delta: &[I16F16; O]) -> [I16F16; I] {
        let mut upstream = [0_i64; I];
        for (row, &delta_j) in self.weights.iter().zip(delta) {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                *sum =
                    sum.saturating_add(i64::from(weight.to_bits()) * i64::from(delta_j.to_bits()));
            }
        }
        upstream.map(from_wide)
    }

    fn set_gradient(&mut self, delta: &[I16F16; O], input: &[I16F16; I]) {
        for (row, &delta_j) in self.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope = mul(delta_j, input_i);
            }
        }
        self.bias = *delta;
    }

    fn sgd_step(&mut self, gradient: &Self, learning_rate: I16F16) {
        let parameters = self
            .weights
            .as_flattened_mut()
            .iter_mut()
            .chain(&mut self.bias);
        let slopes = gradient.weights.as_flattened().iter().chain(&gradient.bias);
        for (parameter, &slope) in parameters.zip(slopes) {
            *parameter = parameter.saturating_sub(mul(learning_rate, slope));
        }
    }
}

impl<const I: usize, const O: usize> Dense<I16F16, I, O> {
    /// A layer whose weights and biases are all zero.
    pub const ZERO_FIXED: Self = Self {
        weights: [[I16F16::ZERO; I]; O],
        bias: [I16F16::ZERO; O],
    };

    /// The layer with every parameter converted from `f64` to the nearest Q16.16 (saturated).
    #[must_use]
    pub fn from_f64(layer: &Dense<f64, I, O>) -> Self {
        let convert = |value: f64| I16F16::saturating_from_num(value);
        Self {
            weights: layer.weights.map(|row| row.map(convert)),
            bias: layer.bias.map(convert),
        }
    }

    /// The layer with every parameter converted to `f64` (exactly).
    #[must_use]
    pub fn to_f64(&self) -> Dense<f64, I, O> {
        let convert = |value: I16F16| value.to_num::<f64>();
        Dense {
            weights: self.weights.map(|row| row.map(convert)),
            bias: self.bias.map(convert),
        }
    }
}

/// `Dense { weights: [[I16F16::from_bits(..), ..], ..], bias: [..] }` (feature `std`): a Q16.16
/// layer as a Rust expression that reads back bit for bit, for a `const` in firmware (with
/// `I16F16` and `Dense` in scope).
#[cfg(feature = "std")]
#[must_use]
pub fn to_rust_source<const I: usize, const O: usize>(
    layer: &Dense<I16F16, I, O>,
) -> std::string::String {
    use std::string::String;
    use std::vec::Vec;
    let numbers = |values: &[I16F16]| -> String {
        let literals: Vec<String> = values
            .iter()
            .map(|value| {
                std::format!(
                    "I16F16::from_bits({})",
                    crate::source::grouped(&std::format!("{}", value.to_bits()))
                )
            })
            .collect();
        literals.join(", ")
    };
    let rows: Vec<String> = layer
        .weights
        .iter()
        .map(|row| std::format!("[{}]", numbers(row)))
        .collect();
    std::format!(
        "Dense {{ weights: [{}], bias: [{}] }}",
        rows.join(", "),
        numbers(&layer.bias)
    )
}
