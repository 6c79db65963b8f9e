//! The rules that span entries, or name what the model cannot hold: one function per rule, each
//! led by the sentence stating it.

use super::errors::Errors;
use super::layers::LayerEntry;
use super::names::did_you_mean;
use super::{KEYS, is_layer, is_setting, list, setting};
use crate::builtins::{EXAMPLE_ACTIVATION, EXAMPLE_OUTPUT};
use crate::model::{Activation, Form, Layer, Loss, Network, Shape, counted};
use crate::parse::Spec;
use std::collections::HashSet;
use syn::Ident;
use syn::ext::IdentExt;

/// The struct name is a type name in `UpperCamelCase`, so the generated code raises no lint.
pub(super) fn check_struct_name(errors: &Errors, name: &Ident) {
    let text = name.to_string();
    let text = text.trim_start_matches("r#");
    if !text.starts_with(char::is_uppercase) || text.contains('_') {
        errors.at(
            name,
            format!(
                "the network is a type: name it in UpperCamelCase, e.g. `{}`",
                camel_case(text)
            ),
        );
    }
}

/// A key is a setting, or the name of a layer whose value is one of the layer kinds.
pub(super) fn check_unknown_keys(errors: &Errors, spec: &Spec) {
    for entry in spec
        .entries
        .iter()
        .filter(|entry| !is_setting(entry) && !is_layer(entry))
    {
        let key = entry.key.to_string();
        let hint = did_you_mean(&key, KEYS).map_or_else(
            || {
                let kinds = crate::layers::names();
                let others = match kinds.split_first() {
                    Some((_, [])) | None => String::new(),
                    Some((_, rest)) => format!(", or another kind of layer: {}", list(rest)),
                };
                format!(
                    "; expected {}, or a layer, written `{key}: {}`{others}",
                    list(KEYS),
                    crate::layers::BUILDERS[0].grammar().signature
                )
            },
            |close| format!(", did you mean `{close}`?"),
        );
        errors.at(&entry.key, format!("unknown key `{key}`{hint}"));
    }
}

/// Settings are given at most once, and no two layers share a name (each becomes a field; `r#h`
/// and `h` are the same field). Settings and layers are apart: a layer named like a setting is
/// [`check_layer_name`]'s to report.
pub(super) fn check_unique_keys(errors: &Errors, spec: &Spec) {
    let mut seen = HashSet::new();
    for entry in &spec.entries {
        if seen.insert((is_layer(entry), entry.key.unraw().to_string())) {
            continue;
        }
        let message = if is_layer(entry) {
            format!(
                "duplicate layer name `{}`: each layer becomes a field, so give it a name of its own",
                entry.key
            )
        } else {
            format!("duplicate key `{}`: give each setting once", entry.key)
        };
        errors.at(&entry.key, message);
    }
}

/// A network has at least one layer: the last one is its output.
pub(super) fn check_at_least_one_layer(errors: &Errors, spec: &Spec) {
    if spec.entries.iter().all(|entry| !is_layer(entry)) {
        errors.at(
            &spec.name,
            format!("a network needs at least one layer: add one, e.g. `output: dense(1, {EXAMPLE_OUTPUT})`"),
        );
    }
}

/// A layer's name becomes a public field, so it is `snake_case`, does not start with the
/// underscore that marks unused items, and is not one of the settings' keys.
pub(super) fn check_layer_name(errors: &Errors, name: &Ident) {
    let text = name.to_string();
    if text.starts_with('_') {
        errors.at(
            name,
            format!(
                "layer names become public fields, and a leading underscore marks an unused one: name it `{}`",
                text.trim_start_matches('_')
            ),
        );
    } else if KEYS.contains(&text.as_str()) {
        errors.at(
            name,
            format!("`{text}` is a setting, not a layer name: rename the layer"),
        );
    } else if text.chars().any(char::is_uppercase) {
        errors.at(
            name,
            format!(
                "layer names become fields: name it in snake_case, e.g. `{}`",
                snake_case(&text)
            ),
        );
    }
}

/// An activation that couples all the nodes of a layer (softmax) is only meaningful on the
/// output layer, where the output rule forms its deltas.
pub(super) fn check_layer_wide_is_last(errors: &Errors, layers: &[LayerEntry]) {
    for pair in layers.windows(2) {
        if let [layer, next] = pair
            && let Some(activation) = entry_activation(layer)
            && activation.is_layer_wide()
        {
            let at = layer
                .lowered
                .as_ref()
                .and_then(|(_, arguments)| arguments.activation_at);
            errors.at(
                at.unwrap_or(layer.value),
                format!(
                    "{} is only allowed on the last layer, but `{}` is followed by `{}`; use an elementwise activation such as `{EXAMPLE_ACTIVATION}` here",
                    activation.function_name(),
                    layer.name,
                    next.name
                ),
            );
        }
    }
}

/// Cross-entropy losses take logs of the prediction, so the output activation must produce
/// probabilities: one the loss fuses with (`binary_cross_entropy` needs `sigmoid`,
/// `cross_entropy` needs `softmax`). A user-defined activation is trusted to do so. An output
/// that another loss fuses with is refused with that loss as the hint: `cross_entropy` on a
/// `sigmoid` would be `-t ln y` alone, which rewards every output for rising, so independent
/// per-output probabilities take `binary_cross_entropy`.
/// A pool keeps its input's range, so past output layers that pool, the layer they read is
/// asked; an output layer without an activation that does not pool (a `gru`'s state) is refused.
pub(super) fn check_loss_fits_output(
    errors: &Errors,
    spec: &Spec,
    loss: &Loss,
    entries: &[LayerEntry],
    layers: Option<&[Layer]>,
) {
    let (Some(wanted), Some(setting), Some(output)) =
        (loss.wanted_outputs(), setting(spec, "loss"), entries.last())
    else {
        return;
    };
    let mut index = entries.len() - 1;
    let what = loop {
        if let Some(activation) = entry_activation(&entries[index]) {
            if activation.row().is_none() || loss.fusion(activation).is_some() {
                return;
            }
            if let Some(other) = Loss::fusing_with(activation) {
                errors.at(&setting.value, format!(
                    "`{}` needs {wanted} on the output layer, but `{}` uses `{}`; with a `{}` output, use `{other}`",
                    loss.name(),
                    output.name,
                    activation.name(),
                    activation.name(),
                ));
                return;
            }
            break format!("uses `{}`", activation.name());
        }
        // Without the built layers (a broken chain, already reported) nothing more is known.
        let Some(layer) = layers.and_then(|layers| layers.get(index)) else {
            return;
        };
        if !layer.kind.tensors().is_empty() || index == 0 {
            break format!("writes `{}`", layer.kind.describe());
        }
        index -= 1;
    };
    let through = if index + 1 == entries.len() {
        String::new()
    } else {
        let name = &entries[index].name;
        format!(" pools `{name}`, and `{name}`")
    };
    errors.at(&setting.value, format!(
        "`{}` takes the log of the prediction, but the output layer `{}`{through} {what}, which can leave (0, 1); use {wanted} on the output layer",
        loss.name(),
        output.name,
    ));
}

/// The activation of a layer entry, when it is valid and its kind has one.
fn entry_activation<'a>(entry: &'a LayerEntry) -> Option<&'a Activation> {
    entry.lowered.as_ref()?.1.activation.as_ref()
}

/// The output layer writes a vector, which the loss compares with the target: a signal is
/// flattened or pooled first.
pub(super) fn check_output_is_flat(errors: &Errors, layers: &[Layer]) {
    let Some(output) = layers.last() else { return };
    if let Shape::Signal { channels, length } = output.output {
        errors.at(
            &output.name,
            format!(
                "the output layer `{}` writes a signal of {} x {}, but the loss needs a vector: \
                 end the net with a layer that writes one, such as `dense` or \
                 `global_avg_pool1d`",
                output.name,
                counted(channels as u128, "channel"),
                counted(length as u128, "step"),
            ),
        );
    }
}

/// A net's parameter count fits in `usize`, its parameters fit in one value (at most `isize::MAX`
/// bytes, or rustc rejects the struct with an error inside `backprop_core`), and an explicitly
/// unrolled net stays within what the unrolled form can emit ([`Form::UNROLLED_AT_MOST`]).
/// Returns the count (`usize::MAX` when it overflows).
pub(super) fn check_size(
    errors: &Errors,
    spec: &Spec,
    network: &Network,
    form: Option<Form>,
) -> (usize, usize) {
    let count = network.layers.iter().try_fold(0usize, |total, layer| {
        layer
            .kind
            .tensors()
            .iter()
            .try_fold(total, |total, tensor| {
                let size = tensor
                    .dims
                    .iter()
                    .try_fold(1usize, |size, &extent| size.checked_mul(extent))?;
                total.checked_add(size)
            })
    });
    let flops = network.layers.iter().fold(0usize, |total, layer| {
        let activation = layer.activation().map_or(0, Activation::flops);
        total
            .saturating_add(layer.kind.forward_flops())
            .saturating_add(layer.output.len().saturating_mul(activation))
    });
    let scalar_bytes = network.scalar.bytes();
    let too_big = |count: usize| {
        count
            .checked_mul(scalar_bytes)
            .is_none_or(|bytes| bytes > isize::MAX.unsigned_abs())
    };
    let most = Form::UNROLLED_AT_MOST;
    match (count, form) {
        (None, _) => errors.at(
            &network.name,
            "this network's parameter count overflows `usize`",
        ),
        (Some(count), _) if too_big(count) => errors.at(
            &network.name,
            format!(
                "this network's {count} parameters take more than `isize::MAX` bytes, more than any value can hold: make the layers narrower"
            ),
        ),
        (Some(count), Some(Form::Unrolled)) if count > most => {
            if let Some(entry) = setting(spec, "form") {
                errors.at(&entry.value, format!(
                    "this network has {count} parameters, too many to unroll (at most {most}, where one line per parameter still compiles quickly): write `form: looped`, or leave `form` out"
                ));
            }
        }
        (Some(_), Some(Form::Unrolled)) if flops > Form::UNROLLED_FLOPS_PER_PARAMETER * most => {
            if let Some(entry) = setting(spec, "form") {
                errors.at(&entry.value, format!(
                    "this network's forward pass takes {flops} operations, too many to unroll (at most {}, where one line per operation still compiles quickly): write `form: looped`, or leave `form` out",
                    Form::UNROLLED_FLOPS_PER_PARAMETER * most
                ));
            }
        }
        _ => {}
    }
    (count.unwrap_or(usize::MAX), flops)
}

/// `HiddenLayer` -> `hidden_layer`, `MLPHidden` -> `mlp_hidden`, for the layer-name hint.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut snake = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let starts_word = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if starts_word {
            snake.push('_');
        }
        snake.extend(c.to_lowercase());
    }
    snake
}

/// `my_net` -> `MyNet`, for the struct-name hint.
fn camel_case(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
