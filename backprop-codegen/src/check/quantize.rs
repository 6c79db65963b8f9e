//! The rules of `quantize: int8`.

use super::errors::Errors;
use super::lower::{bare_name, recovered};
use super::names::did_you_mean;
use super::{setting, text};
use crate::parse::{Spec, Value};

/// The fields of `{Name}Int8` beside the layers.
const FIELDS: &[&str] = &["input_quantization", "output_quantization"];

/// `quantize` is `int8` (the one format so far), and then no layer takes the name of a field of
/// `{Name}Int8` that is not a layer. Whether the spec asks for int8.
pub fn quantize(errors: &Errors, spec: &Spec) -> bool {
    let Some(entry) = setting(spec, "quantize").filter(|entry| !recovered(&entry.value)) else {
        return false;
    };
    if bare_name(&entry.value).is_none_or(|name| name != "int8") {
        let hint = did_you_mean(&text(&entry.value), &["int8"])
            .map_or_else(String::new, |close| format!(", did you mean `{close}`?"));
        errors.at(
            &entry.value,
            format!(
                "unknown quantisation `{}`: expected `int8`{hint}",
                text(&entry.value)
            ),
        );
        return false;
    }
    for layer in spec
        .entries
        .iter()
        .filter(|entry| matches!(entry.value, Value::Call(_)))
    {
        if FIELDS.iter().any(|field| layer.key == field) {
            errors.at(
                &layer.key,
                format!(
                    "`{}` is a field of the int8 net that `quantize: int8` generates: rename the \
                     layer",
                    layer.key
                ),
            );
        }
    }
    true
}

/// Every layer of an int8 net is of a kind with an int8 form.
pub fn check_kinds(errors: &Errors, spec: &Spec, layers: &[crate::model::Layer]) {
    if setting(spec, "quantize").is_none() {
        return;
    }
    for layer in layers.iter().filter(|layer| layer.kind.int8().is_none()) {
        errors.at(
            &layer.name,
            format!(
                "`{}` has no int8 form, so this net cannot be quantised: leave out `quantize: int8`",
                layer.kind.describe()
            ),
        );
    }
}
