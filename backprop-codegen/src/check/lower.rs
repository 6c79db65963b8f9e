//! Lowering: each entry's names and numbers to the model's values. A built-in is found by its row
//! in [`crate::builtins`], which gives its parameter and default; a name other libraries use gets
//! a hint naming ours, a misspelt one a "did you mean".

use super::errors::Errors;
use super::names::did_you_mean;
use super::{list, setting, text};
use crate::builtins::{
    ACTIVATIONS, Activation, Build, LOSSES, Loss, Parameter, Row, alias_of, names,
};
use crate::model::{Constant, Form, ScalarType, Shape};
use crate::parse::{Call, Number, Spec, Value};
use quote::ToTokens;
use syn::{Ident, Lit};

/// `scalar` is `f32`, `f64` or `I16F16`; `f64` when left out.
pub(super) fn scalar(errors: &Errors, spec: &Spec) -> ScalarType {
    let Some(entry) = setting(spec, "scalar").filter(|entry| !recovered(&entry.value)) else {
        return ScalarType::F64;
    };
    let name = bare_name(&entry.value).map(ToString::to_string);
    if let Some(scalar) = name.as_deref().and_then(ScalarType::named) {
        return scalar;
    }
    errors.at(
        &entry.value,
        format!(
            "unsupported scalar type `{}`: expected `f32`, `f64` or `I16F16`",
            text(&entry.value)
        ),
    );
    ScalarType::F64
}

/// `form` is `unrolled` or `looped`; left out, the macro picks by size (see [`Form::choose`]).
pub(super) fn form(errors: &Errors, spec: &Spec) -> Option<Form> {
    let entry = setting(spec, "form").filter(|entry| !recovered(&entry.value))?;
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

/// Whether a value stands for an entry that did not parse, which no rule questions.
pub(super) fn recovered(value: &Value) -> bool {
    matches!(value, Value::Recovered(_))
}

/// `input` is given: a positive integer, the number of inputs, or `[channels, steps]`, the shape
/// of a signal, both positive.
pub(super) fn input(errors: &Errors, spec: &Spec) -> Option<Shape> {
    let Some(entry) = setting(spec, "input") else {
        errors.at(
            &spec.name,
            "missing `input: N`: add the number of inputs of the network, e.g. `input: 2`, or the \
             shape of a signal, `input: [channels, steps]`",
        );
        return None;
    };
    match &entry.value {
        Value::Recovered(_) => None,
        Value::List(shape) => {
            let values: Vec<&Value> = shape.values.iter().collect();
            let [channels, steps] = values[..] else {
                errors.at(
                    &entry.value,
                    format!(
                        "a signal's shape is `[channels, steps]`, two numbers; found `{}`",
                        text(&entry.value)
                    ),
                );
                return None;
            };
            let channels = width(errors, channels, "a signal's number of channels");
            let length = width(errors, steps, "a signal's number of steps");
            Some(Shape::Signal {
                channels: channels?,
                length: length?,
            })
        }
        value => width(errors, value, "the number of inputs").map(Shape::Flat),
    }
}

/// A width is a positive integer literal (no suffix but `usize`) that fits in `usize`.
pub(super) fn width(errors: &Errors, value: &Value, what: &str) -> Option<usize> {
    count(errors, value, what, 1)
}

/// The value of a count as written, when it is one (an integer literal, no suffix but `usize`,
/// not negative, within `usize`); what [`count`] accepts before its minimum, without reporting.
pub(crate) fn count_literal(value: &Value) -> Option<usize> {
    match value {
        Value::Number(Number {
            minus: None,
            lit: Lit::Int(int),
        }) if matches!(int.suffix(), "" | "usize") => int.base10_parse::<usize>().ok(),
        _ => None,
    }
}

/// A count is an integer literal (no suffix but `usize`) that fits in `usize`, at least `minimum`.
pub(super) fn count(errors: &Errors, value: &Value, what: &str, minimum: usize) -> Option<usize> {
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
                format!(
                    "{what} must be {}, found `{}`",
                    if minimum == 0 {
                        "a whole number, 0 or more"
                    } else {
                        "a positive integer"
                    },
                    text(value)
                ),
            );
            return None;
        }
    };
    match parsed {
        Ok(count) if count < minimum => {
            errors.at(value, format!("{what} must be at least {minimum}"));
        }
        Ok(count) => return Some(count),
        Err(_) => errors.at(
            value,
            format!("{what} `{}` does not fit in `usize`", text(value)),
        ),
    }
    None
}

/// `loss` is given, and names a known loss with the right parameters.
pub(super) fn loss(errors: &Errors, spec: &Spec, scalar: ScalarType) -> Option<Loss> {
    let Some(entry) = setting(spec, "loss") else {
        errors.at(
            &spec.name,
            format!("missing `loss: ...`: add one of {}", list(&names(LOSSES))),
        );
        return None;
    };
    if recovered(&entry.value) {
        return None;
    }
    let call = named_call(errors, &entry.value, "loss", &names(LOSSES))?;
    builtin(errors, call, LOSSES, "loss", "", scalar)
}

/// An activation is a built-in name (with its parameter, if it takes one) or a path to a user type
/// implementing `backprop_core::Activation`; an unknown lowercase name is a typo, not a type.
pub(super) fn activation(errors: &Errors, value: &Value, scalar: ScalarType) -> Option<Activation> {
    let Value::Call(call) = value else {
        errors.at(
            value,
            format!(
                "expected an activation, one of {}, or a path to a type implementing `backprop_core::Activation`; found `{}`",
                list(&names(ACTIVATIONS)),
                text(value)
            ),
        );
        return None;
    };
    if is_user_type(call) {
        return check_no_arguments(errors, call, "user-defined activation")
            .then(|| Activation::Custom(call.path.clone()));
    }
    let user_type = ", or a type implementing `backprop_core::Activation` (named in UpperCamelCase or by a path)";
    builtin(errors, call, ACTIVATIONS, "activation", user_type, scalar)
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

/// A built-in is one of its catalogue's names, bare or with its one parameter; another name is
/// reported with the built-in it stands for elsewhere, or the closest one (`or` says what else is
/// accepted).
fn builtin<R: Row>(
    errors: &Errors,
    call: &Call,
    rows: &[&'static R],
    what: &str,
    or: &str,
    scalar: ScalarType,
) -> Option<R::Value> {
    let name = call.ident().map(ToString::to_string).unwrap_or_default();
    let Some(row) = crate::builtins::find(&name, rows) else {
        unknown_builtin(errors, call, rows, what, or);
        return None;
    };
    if !positional(errors, call) {
        return None;
    }
    match row.build() {
        Build::Bare(build) => check_no_arguments(errors, call, what).then(build),
        Build::Parameter(parameter, build) => {
            self::parameter(errors, call, parameter, scalar).map(build)
        }
    }
}

/// A built-in's parameters are positional: `name = value`, the habit of other libraries, is
/// reported with the call written as it should be.
fn positional(errors: &Errors, call: &Call) -> bool {
    let mut valid = true;
    for value in call.arguments() {
        let Value::Named(named) = value else { continue };
        valid = false;
        errors.at(
            &named.name,
            format!(
                "parameters are positional: write `{}({})`, without `{} =`",
                crate::model::path_text(&call.path),
                text(&named.value),
                named.name
            ),
        );
    }
    valid
}

/// A parameter (`alpha`, `delta`) is one number, finite in the scalar type, and positive where it
/// scales a curve or marks a threshold (ELU's `alpha`, Huber's `delta`); left out, it takes its
/// documented default.
fn parameter(
    errors: &Errors,
    call: &Call,
    parameter: &Parameter,
    scalar: ScalarType,
) -> Option<Constant> {
    let constant = any_parameter(errors, call, parameter, scalar)?;
    if !parameter.positive || constant.value > 0.0 {
        return Some(constant);
    }
    // The defaults are positive, so the constant was written.
    let written = &call.args.as_ref()?.values;
    let (name, what, default) = (
        &call.path.segments[0].ident,
        parameter.name,
        parameter.default,
    );
    errors.at(
        written,
        format!(
            "`{what}` of `{name}` must be positive, found `{}`; the default is `{name}({default:?})`",
            text(written)
        ),
    );
    None
}

/// The parameter as a number in range for the scalar type, or its default when left out.
fn any_parameter(
    errors: &Errors,
    call: &Call,
    parameter: &Parameter,
    scalar: ScalarType,
) -> Option<Constant> {
    let (what, default) = (parameter.name, parameter.default);
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
                    scalar.name(),
                    text(value)
                ),
            );
            None
        }
    }
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

/// A value that must be a known name, possibly with arguments: returns the call.
fn named_call<'a>(
    errors: &Errors,
    value: &'a Value,
    what: &str,
    known: &[&str],
) -> Option<&'a Call> {
    match value {
        Value::Call(call) if call.ident().is_some() => Some(call),
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

/// Records, at a name that is no built-in: the built-in it stands for in other libraries ("write
/// `mean_squared_error`" for `mse`), else the closest built-in, else the list of them.
fn unknown_builtin<R: Row>(
    errors: &Errors,
    call: &Call,
    rows: &[&'static R],
    what: &str,
    or: &str,
) {
    let name = crate::model::path_text(&call.path);
    match alias_of(&name, rows) {
        Some((row, alias)) => errors.at(
            &call.path,
            format!(
                "unknown {what} `{name}`: write `{}`, its name here{}",
                row.name(),
                alias.note
            ),
        ),
        None => unknown(errors, call, what, &names(rows), or),
    }
}

/// Records "unknown <what> `name`, did you mean ...?" at the name; with no close name, lists the
/// known ones (and `or`, the other things that are accepted).
pub(super) fn unknown(errors: &Errors, call: &Call, what: &str, known: &[&str], or: &str) {
    let name = crate::model::path_text(&call.path);
    let hint = did_you_mean(&name, known).map_or_else(
        || format!("; expected one of {}{or}", list(known)),
        |close| format!(", did you mean `{close}`?"),
    );
    errors.at(&call.path, format!("unknown {what} `{name}`{hint}"));
}

/// The value, when it is one bare identifier.
pub(super) fn bare_name(value: &Value) -> Option<&Ident> {
    match value {
        Value::Call(call) if call.args.is_none() => call.ident(),
        _ => None,
    }
}

/// The span of the first token, for constants that remember where they were written.
fn span_of(tokens: &dyn ToTokens) -> proc_macro2::Span {
    tokens
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(proc_macro2::Span::call_site, |token| token.span())
}
