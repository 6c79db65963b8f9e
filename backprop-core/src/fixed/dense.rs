//! A Q16.16 [`Dense`] layer to and from `f64`: the layer itself computes through
//! [`Number`](crate::Number), like the float ones.

use super::I16F16;
use crate::Dense;

impl<const I: usize, const O: usize> Dense<I16F16, I, O> {
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
