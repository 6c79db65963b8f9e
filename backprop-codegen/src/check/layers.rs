//! The layer entries: each read by its kind's grammar (its counts, its activation, its flags and
//! named options), then the chain built from the input by each kind's shape rules. A kind is
//! found by name in [`crate::layers::BUILDERS`]; a misspelt one gets a "did you mean".

use super::errors::Errors;
use super::lower::{activation, unknown, width};
use super::names::did_you_mean;
use super::{is_layer, list, rules, text};
use crate::layers::{Arguments, Builder, Grammar, Positional, Reads};
use crate::model::{Layer, ScalarType, Shape};
use crate::parse::{Call, Entry, Spec, Value};
use syn::Ident;

/// A layer entry as written, with what of it is valid.
pub(super) struct LayerEntry<'a> {
    /// The layer's name.
    pub name: &'a Ident,
    /// Its value, `dense(4, relu)`.
    pub value: &'a Value,
    /// Its kind and arguments, when they are valid.
    pub lowered: Option<(&'static dyn Builder, Arguments<'a>)>,
}

/// Every entry that is not a setting is a layer `name: kind(arguments)`, in order.
pub(super) fn entries<'a>(
    errors: &Errors,
    spec: &'a Spec,
    scalar: ScalarType,
) -> Vec<LayerEntry<'a>> {
    spec.entries
        .iter()
        .filter(|entry| is_layer(entry))
        .map(|entry| {
            rules::check_layer_name(errors, &entry.key);
            LayerEntry {
                name: &entry.key,
                value: &entry.value,
                lowered: lower(errors, entry, scalar),
            }
        })
        .collect()
}

/// A layer is one of the kinds, with the arguments its grammar takes.
fn lower<'a>(
    errors: &Errors,
    entry: &'a Entry,
    scalar: ScalarType,
) -> Option<(&'static dyn Builder, Arguments<'a>)> {
    let Value::Call(call) = &entry.value else {
        return None;
    };
    let kind = crate::model::path_text(&call.path);
    let Some(builder) = crate::layers::builder(&kind) else {
        unknown(errors, call, "layer kind", &crate::layers::names(), "");
        return None;
    };
    let arguments = arguments(errors, call, builder.grammar(), scalar)?;
    Some((builder, arguments))
}

/// `the width and the activation`: the positional arguments of a grammar, named.
fn described(grammar: &Grammar) -> String {
    let names: Vec<String> = grammar
        .positional
        .iter()
        .map(|positional| match positional {
            Positional::Count(what) => format!("the {what}"),
            Positional::Activation => "the activation".to_string(),
        })
        .collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The grammar's example, with the catalogue's example activation in it.
pub(super) fn example(grammar: &Grammar) -> String {
    grammar
        .example
        .replace("{activation}", crate::builtins::EXAMPLE_ACTIVATION)
}

/// `one`, `two`, ... for a message.
fn number(count: usize) -> String {
    match count {
        1 => "one".into(),
        2 => "two".into(),
        3 => "three".into(),
        count => count.to_string(),
    }
}

/// A layer takes its grammar's positional arguments, in order, then any of its flags, and any of
/// its named options, each once and in range.
fn arguments<'a>(
    errors: &Errors,
    call: &'a Call,
    grammar: &'static Grammar,
    scalar: ScalarType,
) -> Option<Arguments<'a>> {
    let all = call.arguments();
    let positional: Vec<&Value> = all
        .iter()
        .copied()
        .filter(|value| !matches!(value, Value::Named(_)))
        .collect();
    let required = grammar.positional.len();
    let most = required + grammar.flags.len();
    // Empty parentheses after a kind that takes no arguments are refused, as after `relu`.
    let empty = all.is_empty() && call.args.is_some() && required == 0;
    if positional.len() < required || positional.len() > most || empty {
        wrong_count(errors, call, grammar, positional.len());
        return None;
    }
    let mut arguments = Arguments {
        call,
        counts: Vec::new(),
        activation: None,
        activation_at: None,
        flags: Vec::new(),
        options: Vec::new(),
    };
    let mut valid = true;
    for (kind, value) in grammar.positional.iter().zip(&positional) {
        match kind {
            Positional::Count(what) => match width(errors, value, &format!("a layer's {what}")) {
                Some(count) => arguments.counts.push((count, *value)),
                None => valid = false,
            },
            Positional::Activation => {
                arguments.activation = activation(errors, value, scalar);
                arguments.activation_at = Some(*value);
                valid &= arguments.activation.is_some();
            }
        }
    }
    for value in &positional[required..] {
        valid &= flag(errors, value, grammar, &mut arguments.flags);
    }
    valid &= options(errors, &all, grammar, &mut arguments.options);
    valid.then_some(arguments)
}

/// Records that a layer has the wrong number of positional arguments.
fn wrong_count(errors: &Errors, call: &Call, grammar: &Grammar, found: usize) {
    let required = grammar.positional.len();
    let found = match found {
        0 if call.args.is_some() && required == 0 => "empty parentheses".to_string(),
        0 => "none".to_string(),
        count => count.to_string(),
    };
    let at = call.args.as_ref().map_or_else(
        || call.path.segments[0].ident.span(),
        |args| args.paren.span.join(),
    );
    let name = grammar.name;
    let message = if required == 0 {
        format!("`{name}` takes no arguments: write `{name}`; found {found}")
    } else {
        format!(
            "`{name}` takes {} argument{}, {}, as in `{}`; found {found}",
            number(required),
            if required == 1 { "" } else { "s" },
            described(grammar),
            example(grammar)
        )
    };
    errors.at_span(at, message);
}

/// A flag is one of the grammar's bare words.
fn flag(errors: &Errors, value: &Value, grammar: &Grammar, flags: &mut Vec<&'static str>) -> bool {
    let name = super::lower::bare_name(value).map(ToString::to_string);
    let known = name
        .as_deref()
        .and_then(|name| grammar.flags.iter().find(|flag| **flag == name));
    if let Some(known) = known {
        flags.push(known);
        return true;
    }
    let hint = name
        .as_deref()
        .and_then(|name| did_you_mean(name, grammar.flags))
        .map_or_else(
            || format!("; it takes {}", list(grammar.flags)),
            |close| format!(", did you mean `{close}`?"),
        );
    errors.at(
        value,
        format!(
            "unexpected argument `{}` of `{}`{hint}",
            text(value),
            grammar.name
        ),
    );
    false
}

/// The named options: each one of the grammar's, given once, a count at least its minimum; the
/// rest take their defaults.
fn options<'a>(
    errors: &Errors,
    all: &[&'a Value],
    grammar: &Grammar,
    options: &mut Vec<(&'static str, usize, Option<&'a Value>)>,
) -> bool {
    let mut valid = true;
    for value in all {
        let Value::Named(named) = *value else {
            continue;
        };
        let name = named.name.to_string();
        let Some(option) = grammar.options.iter().find(|option| option.name == name) else {
            valid = false;
            unknown_option(errors, &named.name, grammar);
            continue;
        };
        if options.iter().any(|(given, ..)| *given == option.name) {
            valid = false;
            errors.at(
                &named.name,
                format!("`{name}` is given twice: give it once"),
            );
            continue;
        }
        let what = format!("`{name}` of `{}`", grammar.name);
        match super::lower::count(errors, &named.value, &what, option.minimum) {
            Some(count) => options.push((option.name, count, Some(&named.value))),
            None => valid = false,
        }
    }
    for option in grammar.options {
        if !options.iter().any(|(given, ..)| *given == option.name) {
            options.push((option.name, option.default, None));
        }
    }
    valid
}

/// Records an option the kind does not take, with the closest one it does.
fn unknown_option(errors: &Errors, name: &Ident, grammar: &Grammar) {
    let text = name.to_string();
    let names: Vec<&str> = grammar.options.iter().map(|option| option.name).collect();
    let message = match did_you_mean(&text, &names) {
        _ if grammar.flags.contains(&text.as_str()) => format!(
            "`{text}` is a flag of `{}`, without a value: write `{text}` alone",
            grammar.name
        ),
        Some(close) => format!(
            "unknown option `{text}` of `{}`, did you mean `{close}`?",
            grammar.name
        ),
        None if names.is_empty() => format!("`{}` takes no option `{text}`", grammar.name),
        None => format!(
            "`{}` takes no option `{text}`; its options are {}",
            grammar.name,
            names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    };
    errors.at(name, message);
}

/// Each layer reads what the layer before writes (the first one the input), and its kind checks
/// that it can; the chain exists only when every layer is valid and the input is known.
pub(super) fn chain(
    errors: &Errors,
    input: Option<Shape>,
    entries: &[LayerEntry],
) -> Option<Vec<Layer>> {
    let mut reading = input;
    let mut layers = Vec::new();
    let mut complete = true;
    for entry in entries {
        let built = match (reading, &entry.lowered) {
            (Some(shape), Some((builder, arguments))) => {
                build(errors, entry, *builder, arguments, shape)
            }
            _ => None,
        };
        if let Some(layer) = built {
            reading = Some(layer.output);
            layers.push(layer);
        } else {
            reading = None;
            complete = false;
        }
    }
    complete.then_some(layers)
}

/// One layer of the chain, reading `input`: a kind that reads only signals is given one.
fn build(
    errors: &Errors,
    entry: &LayerEntry,
    builder: &'static dyn Builder,
    arguments: &Arguments,
    input: Shape,
) -> Option<Layer> {
    let grammar = builder.grammar();
    if let (Reads::Signal, Shape::Flat(width)) = (grammar.reads, input) {
        errors.at(
            &arguments.call.path,
            format!(
                "`{}` reads a signal `[channels, steps]`, but `{}` reads a vector of {width}: give \
                 the net a signal input (`input: [channels, steps]`), or put this layer before \
                 the layers that flatten it",
                grammar.name, entry.name
            ),
        );
        return None;
    }
    let kind = builder.build(arguments, input, errors)?;
    Some(Layer {
        name: entry.name.clone(),
        input,
        output: kind.output(),
        applied: kind
            .activation()
            .cloned()
            .unwrap_or_else(crate::builtins::unchanged),
        kind,
    })
}
