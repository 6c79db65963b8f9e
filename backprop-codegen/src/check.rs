//! Stage 2: from the spec as written to the [`Network`] model, in parts, as thiserror keeps
//! `ast.rs` and `valid.rs` apart: `lower` turns each setting's names into the model's values (a
//! built-in by its row in [`crate::builtins`], a width, a parameter), `layers` reads each layer
//! entry by its kind's grammar and builds the chain by its kinds' shape rules, and `rules` checks
//! what spans entries (unique names, the loss fits the output layer, the size). Errors are
//! collected rather than returned at the first one, so a single compile shows every mistake; each
//! error sits on the token to blame, with a hint where one helps.

mod errors;
mod fixed;
mod layers;
mod lower;
mod names;
mod quantize;
mod rules;

pub use errors::Errors;
pub(crate) use lower::count_literal;

use crate::model::{Form, Network, ScalarType};
use crate::parse::{Entry, Spec, Value};
use quote::ToTokens;

/// The keys that configure the network rather than name a layer.
pub const KEYS: &[&str] = &["scalar", "input", "loss", "form", "quantize"];

/// Checks the spec and builds the model, or returns every mistake found, combined.
///
/// # Errors
/// One combined [`syn::Error`] holding every rule the spec breaks.
pub fn check(spec: &Spec) -> syn::Result<Network> {
    let (network, errors) = check_all(spec);
    errors.finish()?;
    // Every path that leaves the network unset records an error, so this is only a safety net.
    network.ok_or_else(|| syn::Error::new(spec.name.span(), "invalid network"))
}

/// Every rule the spec breaks, and the network when it breaks none and every entry is known (a
/// spec whose entries did not all parse has no network, and no error of its own for that).
///
/// The rules run roughly in the order a spec is written (name, keys, settings, layers, loss), so
/// several mistakes are listed in about the order the user reads them.
pub fn check_all(spec: &Spec) -> (Option<Network>, Errors) {
    let errors = Errors::default();
    rules::check_struct_name(&errors, &spec.name);
    rules::check_unknown_keys(&errors, spec);
    rules::check_unique_keys(&errors, spec);
    let scalar = lower::scalar(&errors, spec);
    let form = lower::form(&errors, spec);
    let int8 = quantize::quantize(&errors, spec);
    let input = lower::input(&errors, spec);
    let entries = layers::entries(&errors, spec, scalar);
    rules::check_at_least_one_layer(&errors, spec);
    rules::check_layer_wide_is_last(&errors, &entries);
    let loss = lower::loss(&errors, spec, scalar);
    let chain = layers::chain(&errors, input, &entries);
    if let Some(layers) = &chain {
        rules::check_output_is_flat(&errors, layers);
    }
    if scalar == ScalarType::I16F16 {
        fixed::check_fixed(
            &errors,
            spec,
            &entries,
            chain.as_deref(),
            loss.as_ref(),
            int8,
        );
    }
    if let (true, Some(layers)) = (int8, &chain) {
        quantize::check_kinds(&errors, spec, layers);
    }
    if let Some(loss) = &loss {
        rules::check_loss_fits_output(&errors, spec, loss, &entries, chain.as_deref());
    }
    let network = match (input, loss, chain) {
        (Some(input), Some(loss), Some(layers)) if !layers.is_empty() => Some(Network {
            attrs: spec.attrs.clone(),
            vis: spec.vis.clone(),
            name: spec.name.clone(),
            scalar,
            input,
            layers,
            loss,
            form: Form::Unrolled,
            int8,
        }),
        _ => None,
    };
    let network = network.map(|mut network| {
        let (parameters, flops) = rules::check_size(&errors, spec, &network, form);
        network.form = form.unwrap_or_else(|| Form::choose(parameters, flops));
        network
    });
    (network, errors)
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

/// Whether the entry declares a layer: its value is a layer kind (with or without arguments), or
/// a non-setting key's value has arguments (a misspelt `dens(2, relu)`), or it stands for a layer
/// entry that did not parse.
fn is_layer(entry: &Entry) -> bool {
    match &entry.value {
        Value::Call(call) => {
            let kind = call.ident().map(ToString::to_string).unwrap_or_default();
            crate::layers::builder(&kind).is_some() || (call.args.is_some() && !is_setting(entry))
        }
        Value::Recovered(_) => !is_setting(entry),
        _ => false,
    }
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
        .replace("[ ", "[")
        .replace(" ]", "]")
}

/// `a`, `b` or `c`, each in backticks.
fn list(names: &[&str]) -> String {
    crate::builtins::listed(names)
}
