//! The rules of `scalar: I16F16`, Q16.16 fixed point: only what the runtime's `fixed` module
//! computes in integers, as the catalogue's rows and the kinds say.

use super::errors::Errors;
use super::layers::LayerEntry;
use super::{list, setting};
use crate::builtins::{ACTIVATIONS, LOSSES};
use crate::model::{Layer, Loss};
use crate::parse::Spec;

/// The names of the rows with a Q16.16 form.
fn fixed_names<R>(rows: &[&R], fixed: impl Fn(&R) -> bool, name: impl Fn(&R) -> &str) -> String {
    let names: Vec<&str> = rows
        .iter()
        .filter(|row| fixed(row))
        .map(|row| name(row))
        .collect();
    list(&names)
}

/// A fixed-point net's activations and loss are built-ins whose rows have a Q16.16 form, its
/// layers of kinds that compute in Q16.16, and it is not also quantised to int8 (it is already
/// integer).
pub fn check_fixed(
    errors: &Errors,
    spec: &Spec,
    entries: &[LayerEntry],
    layers: Option<&[Layer]>,
    loss: Option<&Loss>,
    int8: bool,
) {
    for entry in entries {
        let Some((_, arguments)) = &entry.lowered else {
            continue;
        };
        let fixed = arguments
            .activation
            .as_ref()
            .is_none_or(|activation| activation.row().is_some_and(|row| row.fixed));
        if let (false, Some(at)) = (fixed, arguments.activation_at) {
            errors.at(
                at,
                format!(
                    "`scalar: I16F16` has no fixed-point form of this activation: use {}",
                    fixed_names(ACTIVATIONS, |row| row.fixed, |row| row.name)
                ),
            );
        }
    }
    for layer in layers.unwrap_or_default() {
        if !layer.kind.fixed_point() {
            errors.at(
                &layer.name,
                format!(
                    "`scalar: I16F16` has no fixed-point form of `{}`",
                    layer.kind.describe()
                ),
            );
        }
    }
    if let (Some(loss), Some(entry)) = (loss, setting(spec, "loss"))
        && !loss.row().fixed
    {
        errors.at(
            &entry.value,
            format!(
                "`scalar: I16F16` has no fixed-point form of this loss: use {}",
                fixed_names(LOSSES, |row| row.fixed, |row| row.name)
            ),
        );
    }
    if let (true, Some(entry)) = (int8, setting(spec, "quantize")) {
        errors.at(
            &entry.value,
            "`scalar: I16F16` nets are integer already: leave out `quantize`",
        );
    }
}
