//! Stage 2: from the spec as written to the [`Network`] model, in two parts, as thiserror keeps
//! `ast.rs` and `valid.rs` apart: `lower` turns each entry's names into the model's values (a
//! built-in by its row in [`crate::builtins`], a width, a parameter), and `rules` checks what
//! spans entries (unique names, the loss fits the output layer, the size). Errors are collected
//! rather than returned at the first one, so a single compile shows every mistake; each error
//! sits on the token to blame, with a hint where one helps.

mod errors;
mod fixed;
mod lower;
mod names;
mod quantize;
mod rules;

use crate::model::{Activation, Form, Network};
use crate::parse::{Entry, Spec, Value};
use errors::Errors;
use quote::ToTokens;
use syn::Ident;

/// The keys that configure the network rather than name a layer.
pub const KEYS: &[&str] = &["scalar", "input", "loss", "form", "quantize"];
/// The kinds of layer.
pub const LAYER_KINDS: &[&str] = &["dense"];

/// Checks the spec and builds the model, or returns every mistake found, combined.
///
/// The rules run roughly in the order a spec is written (name, keys, settings, layers, loss), so
/// several mistakes are listed in about the order the user reads them.
///
/// # Errors
/// One combined [`syn::Error`] holding every rule the spec breaks.
pub fn check(spec: &Spec) -> syn::Result<Network> {
    let errors = Errors::default();
    rules::check_struct_name(&errors, &spec.name);
    rules::check_unknown_keys(&errors, spec);
    rules::check_unique_keys(&errors, spec);
    let scalar = lower::scalar(&errors, spec);
    let form = lower::form(&errors, spec);
    let int8 = quantize::quantize(&errors, spec);
    let inputs = lower::inputs(&errors, spec);
    let layers = lower::layers(&errors, spec, scalar);
    rules::check_at_least_one_layer(&errors, spec);
    rules::check_layer_wide_is_last(&errors, &layers);
    let loss = lower::loss(&errors, spec, scalar);
    if scalar == crate::model::ScalarType::I16F16 {
        fixed::check_fixed(&errors, spec, &layers, loss.as_ref(), int8);
    }
    if let (Some(loss), Some(output)) = (&loss, layers.last()) {
        rules::check_loss_fits_output(&errors, spec, loss, output);
    }
    let network = match (inputs, loss) {
        (Some(inputs), Some(loss)) => lower::chain(inputs, layers)
            .filter(|layers| !layers.is_empty())
            .map(|layers| Network {
                attrs: spec.attrs.clone(),
                vis: spec.vis.clone(),
                name: spec.name.clone(),
                scalar,
                inputs,
                layers,
                loss,
                form: Form::Unrolled,
                int8,
            }),
        _ => None,
    };
    let network = network.map(|mut network| {
        let parameters = rules::check_size(&errors, spec, &network, form);
        network.form = form.unwrap_or_else(|| Form::choose(parameters));
        network
    });
    errors.finish()?;
    // Every path that leaves the network unset records an error, so this is only a safety net.
    network.ok_or_else(|| syn::Error::new(spec.name.span(), "invalid network"))
}

/// A layer entry as written, with the parts of it that are valid.
struct LayerEntry<'a> {
    /// The layer's name.
    name: &'a Ident,
    /// Its width, when valid.
    outputs: Option<usize>,
    /// Its activation, when valid, and the tokens that name it.
    activation: Option<(Activation, &'a Value)>,
}

/// The entry for a setting, the first one when it is duplicated (a layer named like a setting is
/// reported as a layer, not read as the setting).
fn setting<'a>(spec: &'a Spec, key: &str) -> Option<&'a Entry> {
    spec.entries
        .iter()
        .find(|entry| entry.key == key && !is_layer(entry))
}

/// Whether the entry is a setting (`scalar`, `input`, `loss`) and not a layer.
fn is_setting(entry: &Entry) -> bool {
    KEYS.contains(&entry.key.to_string().as_str())
}

/// Whether the entry declares a layer: its value is a layer kind (`dense`, with or without
/// arguments), or a non-setting key's value has arguments (a misspelt `dens(2, relu)`).
fn is_layer(entry: &Entry) -> bool {
    let Value::Call(call) = &entry.value else {
        return false;
    };
    let kind = call.ident().map(ToString::to_string).unwrap_or_default();
    LAYER_KINDS.contains(&kind.as_str()) || (call.args.is_some() && !is_setting(entry))
}

/// The tokens as the user wrote them (spacing normalised), for messages.
fn text(tokens: &dyn ToTokens) -> String {
    tokens
        .to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace("- ", "-")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
}

/// `a`, `b` or `c`, each in backticks.
fn list(names: &[&str]) -> String {
    crate::builtins::listed(names)
}
