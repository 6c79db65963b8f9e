//! The rules of `scalar: I16F16`, Q16.16 fixed point: only what the runtime's `fixed` module
//! computes in integers.

use super::errors::Errors;
use super::{LayerEntry, setting};
use crate::model::{Activation, Loss};
use crate::parse::Spec;

/// A fixed-point net's activations are `identity`, `relu`, `leaky_relu`, `tanh` or `sigmoid`
/// (those with a Q16.16 form), its loss `squared_error` or `mean_squared_error`, and it is not
/// also quantised to int8 (it is already integer).
pub fn check_fixed(
    errors: &Errors,
    spec: &Spec,
    layers: &[LayerEntry],
    loss: Option<&Loss>,
    int8: bool,
) {
    for (activation, value) in layers.iter().filter_map(|layer| layer.activation.as_ref()) {
        if !matches!(
            activation,
            Activation::Identity
                | Activation::Relu
                | Activation::LeakyRelu(_)
                | Activation::Tanh
                | Activation::Sigmoid
        ) {
            errors.at(
                *value,
                "`scalar: I16F16` has no fixed-point form of this activation: use `identity`, \
                 `relu`, `leaky_relu`, `tanh` or `sigmoid`",
            );
        }
    }
    let squared = matches!(loss, Some(Loss::SquaredError | Loss::MeanSquaredError));
    if let (Some(_), false, Some(entry)) = (loss, squared, setting(spec, "loss")) {
        errors.at(
            &entry.value,
            "`scalar: I16F16` has no fixed-point form of this loss: use `squared_error` or \
             `mean_squared_error`",
        );
    }
    if let (true, Some(entry)) = (int8, setting(spec, "quantize")) {
        errors.at(
            &entry.value,
            "`scalar: I16F16` nets are integer already: leave out `quantize`",
        );
    }
}
