//! Stage 2: every rule of the spec language, one function per rule, each led by a sentence stating
//! it. Errors are collected rather than returned at the first one, so a single compile shows every
//! mistake; each error sits on the token to blame, with a hint where one helps.

mod errors;
mod fixed;
mod names;
mod quantize;

use crate::model::{Activation, Constant, Form, Layer, Loss, Network, ScalarType};
use crate::parse::{Call, Entry, Number, Spec, Value};
use errors::Errors;
use names::did_you_mean;
use quote::ToTokens;
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::{Ident, Lit};

/// The keys that configure the network rather than name a layer.
pub const KEYS: &[&str] = &["scalar", "input", "loss", "form", "quantize"];
/// The kinds of layer.
pub const LAYER_KINDS: &[&str] = &["dense"];
/// Built-in activation names.
pub const ACTIVATIONS: &[&str] = &[
    "identity",
    "relu",
    "leaky_relu",
    "elu",
    "sigmoid",
    "tanh",
    "softplus",
    "silu",
    "gelu",
    "softmax",
];
/// Built-in loss names.
pub const LOSSES: &[&str] = &[
    "squared_error",
    "mean_squared_error",
    "mean_absolute_error",
    "huber",
    "binary_cross_entropy",
    "cross_entropy",
];

/// Checks the spec and builds the model, or returns every mistake found, combined.
///
/// The rules run roughly in the order a spec is written (name, keys, settings, layers, loss), so
/// several mistakes are listed in about the order the user reads them.
///
/// # Errors
/// One combined [`syn::Error`] holding every rule the spec breaks.
pub fn check(spec: &Spec) -> syn::Result<Network> {
    let errors = Errors::default();
    check_struct_name(&errors, &spec.name);
    check_unknown_keys(&errors, spec);
    check_unique_keys(&errors, spec);
    let scalar = scalar(&errors, spec);
    let form = form(&errors, spec);
    let int8 = quantize::quantize(&errors, spec);
    let inputs = inputs(&errors, spec);
    let layers = layers(&errors, spec, scalar);
    check_at_least_one_layer(&errors, spec);
    check_softmax_is_last(&errors, &layers);
    let loss = loss(&errors, spec, scalar);
    if scalar == ScalarType::I16F16 {
        fixed::check_fixed(&errors, spec, &layers, loss.as_ref(), int8);
    }
    if let (Some(loss), Some(output)) = (&loss, layers.last()) {
        check_loss_fits_output(&errors, spec, loss, output);
    }
    let network = match (inputs, loss) {
        (Some(inputs), Some(loss)) => chain(inputs, layers)
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
        let parameters = check_size(&errors, spec, &network, form);
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

/// Settings are given at most once, and no two layers share a name (each becomes a field; `r#h`
/// and `h` are the same field). Settings and layers are apart: a layer named like a setting is
/// [`check_layer_name`]'s to report.
fn check_unique_keys(errors: &Errors, spec: &Spec) {
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

/// The struct name is a type name in `UpperCamelCase`, so the generated code raises no lint.
fn check_struct_name(errors: &Errors, name: &Ident) {
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

/// `scalar` is `f32`, `f64` or `I16F16`; `f64` when left out.
fn scalar(errors: &Errors, spec: &Spec) -> ScalarType {
    let Some(entry) = setting(spec, "scalar") else {
        return ScalarType::F64;
    };
    match bare_name(&entry.value).map(ToString::to_string).as_deref() {
        Some("f64") => ScalarType::F64,
        Some("f32") => ScalarType::F32,
        Some("I16F16") => ScalarType::I16F16,
        _ => {
            errors.at(
                &entry.value,
                format!(
                    "unsupported scalar type `{}`: expected `f32`, `f64` or `I16F16`",
                    text(&entry.value)
                ),
            );
            ScalarType::F64
        }
    }
}

/// `form` is `unrolled` or `looped`; left out, the macro picks by size (see [`Form::choose`]).
fn form(errors: &Errors, spec: &Spec) -> Option<Form> {
    let entry = setting(spec, "form")?;
    match bare_name(&entry.value).map(ToString::to_string).as_deref() {
        Some("unrolled") => Some(Form::Unrolled),
        Some("looped") => Some(Form::Looped),
        _ => {
            let hint = did_you_mean(&text(&entry.value), &["unrolled", "looped"])
                .map_or_else(String::new, |close| format!(", did you mean `{close}`?"));
            errors.at(
                &entry.value,
                format!(
                    "unknown form `{}`: expected `unrolled` or `looped`{hint}",
                    text(&entry.value)
                ),
            );
            None
        }
    }
}

/// `input` is given, and it is a positive integer: the number of inputs.
fn inputs(errors: &Errors, spec: &Spec) -> Option<usize> {
    let Some(entry) = setting(spec, "input") else {
        errors.at(
            &spec.name,
            "missing `input: N`: add the number of inputs of the network, e.g. `input: 2`",
        );
        return None;
    };
    width(errors, &entry.value, "the number of inputs")
}

/// A width is a positive integer literal (no suffix but `usize`) that fits in `usize`.
fn width(errors: &Errors, value: &Value, what: &str) -> Option<usize> {
    let parsed = match value {
        Value::Number(Number {
            minus: None,
            lit: Lit::Int(int),
        }) if matches!(int.suffix(), "" | "usize") => int.base10_parse::<usize>(),
        Value::Number(Number {
            minus: None,
            lit: Lit::Int(int),
        }) => {
            errors.at(
                value,
                format!(
                    "{what} is a `usize`: write `{}` without the suffix `{}`",
                    int.base10_digits(),
                    int.suffix()
                ),
            );
            return None;
        }
        _ => {
            errors.at(
                value,
                format!("{what} must be a positive integer, found `{}`", text(value)),
            );
            return None;
        }
    };
    match parsed {
        Ok(0) => errors.at(value, format!("{what} must be at least 1")),
        Ok(width) => return Some(width),
        Err(_) => errors.at(
            value,
            format!("{what} `{}` does not fit in `usize`", text(value)),
        ),
    }
    None
}

/// `loss` is given, and names a known loss with the right parameters.
fn loss(errors: &Errors, spec: &Spec, scalar: ScalarType) -> Option<Loss> {
    let Some(entry) = setting(spec, "loss") else {
        errors.at(
            &spec.name,
            format!("missing `loss: ...`: add one of {}", list(LOSSES)),
        );
        return None;
    };
    let (name, call) = named_call(errors, &entry.value, "loss", LOSSES)?;
    let loss = match name.as_str() {
        "squared_error" => Loss::SquaredError,
        "mean_squared_error" => Loss::MeanSquaredError,
        "mean_absolute_error" => Loss::MeanAbsoluteError,
        "binary_cross_entropy" => Loss::BinaryCrossEntropy,
        "cross_entropy" => Loss::CrossEntropy,
        "huber" => return positive_parameter(errors, call, "delta", 1.0, scalar).map(Loss::Huber),
        _ => {
            unknown(errors, call, "loss", LOSSES, "");
            return None;
        }
    };
    check_no_arguments(errors, call, "loss").then_some(loss)
}

/// Every entry that is not a setting is a layer `name: dense(width, activation)`, in order.
fn layers<'a>(errors: &Errors, spec: &'a Spec, scalar: ScalarType) -> Vec<LayerEntry<'a>> {
    spec.entries
        .iter()
        .filter(|entry| is_layer(entry))
        .map(|entry| {
            check_layer_name(errors, &entry.key);
            layer(errors, entry, scalar)
        })
        .collect()
}

/// A network has at least one layer: the last one is its output.
fn check_at_least_one_layer(errors: &Errors, spec: &Spec) {
    if spec.entries.iter().all(|entry| !is_layer(entry)) {
        errors.at(
            &spec.name,
            "a network needs at least one layer: add one, e.g. `output: dense(1, sigmoid)`",
        );
    }
}

/// Each layer's input width is the previous layer's output width (the first layer's is the
/// number of inputs); the chain exists only when every layer is valid.
fn chain(inputs: usize, entries: Vec<LayerEntry>) -> Option<Vec<Layer>> {
    let mut previous_width = inputs;
    let mut layers = Vec::new();
    for entry in entries {
        let (outputs, (activation, _)) = (entry.outputs?, entry.activation?);
        layers.push(Layer {
            name: entry.name.clone(),
            inputs: previous_width,
            outputs,
            activation,
        });
        previous_width = outputs;
    }
    Some(layers)
}

/// A layer's name becomes a public field, so it is `snake_case`, does not start with the
/// underscore that marks unused items, and is not one of the settings' keys.
fn check_layer_name(errors: &Errors, name: &Ident) {
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

/// A layer is `dense(width, activation)`: the one kind of layer, with exactly those two arguments.
fn layer<'a>(errors: &Errors, entry: &'a Entry, scalar: ScalarType) -> LayerEntry<'a> {
    let mut layer = LayerEntry {
        name: &entry.key,
        outputs: None,
        activation: None,
    };
    let Value::Call(call) = &entry.value else {
        return layer;
    };
    let kind = crate::model::path_text(&call.path);
    if !LAYER_KINDS.contains(&kind.as_str()) {
        unknown(errors, call, "layer kind", LAYER_KINDS, "");
        return layer;
    }
    let arguments = call.arguments();
    let [width_value, activation_value] = arguments[..] else {
        let found = match arguments.len() {
            0 => "none".to_string(),
            count => count.to_string(),
        };
        let at = call.args.as_ref().map_or_else(
            || call.path.segments[0].ident.span(),
            |args| args.paren.span.join(),
        );
        errors.at_span(at, format!(
            "`dense` takes two arguments, the width and the activation, as in `dense(4, relu)`; found {found}"
        ));
        return layer;
    };
    layer.outputs = width(errors, width_value, "a layer's width");
    layer.activation = activation(errors, activation_value, scalar)
        .map(|activation| (activation, activation_value));
    layer
}

/// An activation is a built-in name (with its parameter, if it takes one) or a path to a user type
/// implementing `backprop_core::Activation`; an unknown lowercase name is a typo, not a type.
fn activation(errors: &Errors, value: &Value, scalar: ScalarType) -> Option<Activation> {
    let Value::Call(call) = value else {
        errors.at(
            value,
            format!(
                "expected an activation, one of {}, or a path to a type implementing `backprop_core::Activation`; found `{}`",
                list(ACTIVATIONS),
                text(value)
            ),
        );
        return None;
    };
    if is_user_type(call) {
        return check_no_arguments(errors, call, "user-defined activation")
            .then(|| Activation::Custom(call.path.clone()));
    }
    let name = call.ident().map(ToString::to_string).unwrap_or_default();
    let activation = match name.as_str() {
        "identity" => Activation::Identity,
        "relu" => Activation::Relu,
        "sigmoid" => Activation::Sigmoid,
        "tanh" => Activation::Tanh,
        "softplus" => Activation::Softplus,
        "silu" => Activation::Silu,
        "gelu" => Activation::Gelu,
        "softmax" => Activation::Softmax,
        "leaky_relu" => {
            return parameter(errors, call, "alpha", 0.01, scalar).map(Activation::LeakyRelu);
        }
        "elu" => {
            return positive_parameter(errors, call, "alpha", 1.0, scalar).map(Activation::Elu);
        }
        _ => {
            let user_type = ", or a type implementing `backprop_core::Activation` (named in UpperCamelCase or by a path)";
            unknown(errors, call, "activation", ACTIVATIONS, user_type);
            return None;
        }
    };
    check_no_arguments(errors, call, "activation").then_some(activation)
}

/// A user type is named by a path (`my::Swish`) or an `UpperCamelCase` name (`Swish`); built-ins are
/// lowercase, so `rleu` is reported as a typo of `relu` rather than as a missing type.
fn is_user_type(call: &Call) -> bool {
    call.path.segments.len() > 1
        || call.path.leading_colon.is_some()
        || call.ident().is_some_and(|ident| {
            ident
                .to_string()
                .starts_with(|c: char| c.is_ascii_uppercase())
        })
}

/// A parameter (`alpha`, `delta`) is one number, finite in the scalar type; left out, it takes
/// its documented default.
fn parameter(
    errors: &Errors,
    call: &Call,
    what: &str,
    default: f64,
    scalar: ScalarType,
) -> Option<Constant> {
    let name = &call.path.segments[0].ident;
    let arguments = call.arguments();
    let value = match arguments[..] {
        [] => {
            return Some(Constant {
                value: default,
                span: name.span(),
            });
        }
        [value] => value,
        _ => {
            errors.at(
                &call.args.as_ref()?.values,
                format!("`{name}` takes one parameter, `{what}`, as in `{name}({default:?})`"),
            );
            return None;
        }
    };
    let Value::Number(number) = value else {
        errors.at(
            value,
            format!(
                "`{what}` of `{name}` must be a number, as in `{name}({default:?})`, found `{}`",
                text(value)
            ),
        );
        return None;
    };
    let limit = match scalar {
        ScalarType::F32 => f64::from(f32::MAX),
        ScalarType::F64 => f64::MAX,
        ScalarType::I16F16 => 32_767.0,
    };
    match number.to_f64() {
        Some(parsed) if parsed.is_finite() && parsed.abs() <= limit => Some(Constant {
            value: parsed,
            span: span_of(value),
        }),
        _ => {
            errors.at(
                value,
                format!(
                    "`{what}` of `{name}` is out of range for `{}`: `{}`",
                    scalar_name(scalar),
                    text(value)
                ),
            );
            None
        }
    }
}

/// ELU's `alpha` and Huber's `delta` scale a curve and mark a threshold: they are positive.
fn positive_parameter(
    errors: &Errors,
    call: &Call,
    what: &str,
    default: f64,
    scalar: ScalarType,
) -> Option<Constant> {
    let constant = parameter(errors, call, what, default, scalar)?;
    if constant.value > 0.0 {
        return Some(constant);
    }
    // The defaults are positive, so the constant was written.
    let written = &call.args.as_ref()?.values;
    let name = &call.path.segments[0].ident;
    errors.at(
        written,
        format!(
            "`{what}` of `{name}` must be positive, found `{}`; the default is `{name}({default:?})`",
            text(written)
        ),
    );
    None
}

/// A name that takes no parameter is written without parentheses.
fn check_no_arguments(errors: &Errors, call: &Call, what: &str) -> bool {
    let Some(args) = &call.args else { return true };
    errors.at(
        args.values
            .first()
            .map_or(&call.path as &dyn ToTokens, |value| value as &dyn ToTokens),
        format!(
            "the {what} `{name}` takes no parameter: write `{name}`",
            name = crate::model::path_text(&call.path)
        ),
    );
    false
}

/// Softmax couples all the nodes of a layer; it is only meaningful on the output layer.
fn check_softmax_is_last(errors: &Errors, layers: &[LayerEntry]) {
    for pair in layers.windows(2) {
        if let [layer, next] = pair
            && let Some((Activation::Softmax, value)) = &layer.activation
        {
            errors.at(
                value,
                format!(
                    "softmax is only allowed on the last layer, but `{}` is followed by `{}`; use an elementwise activation such as `relu` here",
                    layer.name, next.name
                ),
            );
        }
    }
}

/// Cross-entropy losses take logs of the prediction, so the output activation must produce
/// probabilities: `binary_cross_entropy` needs `sigmoid`, `cross_entropy` needs `softmax` or
/// `sigmoid`. A user-defined activation is trusted to do so.
fn check_loss_fits_output(errors: &Errors, spec: &Spec, loss: &Loss, output: &LayerEntry) {
    let Some((activation, _)) = &output.activation else {
        return;
    };
    let wanted = match (loss, activation) {
        (_, Activation::Custom(_))
        | (Loss::BinaryCrossEntropy, Activation::Sigmoid)
        | (Loss::CrossEntropy, Activation::Softmax | Activation::Sigmoid) => return,
        (Loss::BinaryCrossEntropy, _) => "`sigmoid`",
        (Loss::CrossEntropy, _) => "`softmax` (or `sigmoid`)",
        _ => return,
    };
    let Some(entry) = setting(spec, "loss") else {
        return;
    };
    errors.at(&entry.value, format!(
        "`{}` takes the log of the prediction, but the output layer `{}` uses `{}`, which can leave (0, 1); use {wanted} on the output layer",
        loss.name(),
        output.name,
        activation.name(),
    ));
}

/// The unrolled form writes one line per parameter; past this many, rustc slows to a crawl and
/// the binary bloats, so larger nets must use the looped form.
pub const MAX_UNROLLED_PARAMETERS: usize = 4096;

/// A net's parameter count fits in `usize`, its parameters fit in one value (at most `isize::MAX`
/// bytes, or rustc rejects the struct with an error inside `backprop_core`), and an explicitly
/// unrolled net stays within what the unrolled form can emit. Returns the count (`usize::MAX` when
/// it overflows).
fn check_size(errors: &Errors, spec: &Spec, network: &Network, form: Option<Form>) -> usize {
    let count = network.layers.iter().try_fold(0usize, |total, layer| {
        layer
            .inputs
            .checked_mul(layer.outputs)?
            .checked_add(layer.outputs)?
            .checked_add(total)
    });
    let scalar_bytes = match network.scalar {
        ScalarType::F32 | ScalarType::I16F16 => 4,
        ScalarType::F64 => 8,
    };
    let too_big = |count: usize| {
        count
            .checked_mul(scalar_bytes)
            .is_none_or(|bytes| bytes > isize::MAX.unsigned_abs())
    };
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
        (Some(count), Some(Form::Unrolled)) if count > MAX_UNROLLED_PARAMETERS => {
            if let Some(entry) = setting(spec, "form") {
                errors.at(&entry.value, format!(
                    "this network has {count} parameters, too many to unroll (at most {MAX_UNROLLED_PARAMETERS}, where one line per parameter still compiles quickly): write `form: looped`, or leave `form` out"
                ));
            }
        }
        _ => {}
    }
    count.unwrap_or(usize::MAX)
}

/// A key is `scalar`, `input`, `loss`, or the name of a layer whose value is `dense(...)`.
fn check_unknown_keys(errors: &Errors, spec: &Spec) {
    for entry in spec
        .entries
        .iter()
        .filter(|entry| !is_setting(entry) && !is_layer(entry))
    {
        let key = entry.key.to_string();
        let hint = did_you_mean(&key, KEYS).map_or_else(
            || {
                format!(
                    "; expected {}, or a layer, written `{key}: dense(width, activation)`",
                    list(KEYS)
                )
            },
            |close| format!(", did you mean `{close}`?"),
        );
        errors.at(&entry.key, format!("unknown key `{key}`{hint}"));
    }
}

/// A value that must be a known name, possibly with arguments: returns the name and the call.
fn named_call<'a>(
    errors: &Errors,
    value: &'a Value,
    what: &str,
    known: &[&str],
) -> Option<(String, &'a Call)> {
    match value {
        Value::Call(call) if call.ident().is_some() => Some((call.ident()?.to_string(), call)),
        _ => {
            errors.at(
                value,
                format!(
                    "expected a {what}, one of {}, found `{}`",
                    list(known),
                    text(value)
                ),
            );
            None
        }
    }
}

/// Records "unknown <what> `name`, did you mean ...?" at the name; with no close name, lists the
/// known ones (and `or`, the other things that are accepted).
fn unknown(errors: &Errors, call: &Call, what: &str, known: &[&str], or: &str) {
    let name = crate::model::path_text(&call.path);
    let hint = did_you_mean(&name, known).map_or_else(
        || format!("; expected one of {}{or}", list(known)),
        |close| format!(", did you mean `{close}`?"),
    );
    errors.at(&call.path, format!("unknown {what} `{name}`{hint}"));
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

/// The value, when it is one bare identifier.
fn bare_name(value: &Value) -> Option<&Ident> {
    match value {
        Value::Call(call) if call.args.is_none() => call.ident(),
        _ => None,
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
}

/// The span of the first token, for constants that remember where they were written.
fn span_of(tokens: &dyn ToTokens) -> proc_macro2::Span {
    tokens
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(proc_macro2::Span::call_site, |token| token.span())
}

/// `a`, `b` or `c`, each in backticks.
fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `f32` or `f64`, for messages.
fn scalar_name(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::F32 => "f32",
        ScalarType::F64 => "f64",
        ScalarType::I16F16 => "I16F16",
    }
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
