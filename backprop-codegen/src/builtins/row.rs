//! The shape of the catalogue: what a row holds, and how rows are looked up.

use super::{Activation, Loss};
use crate::model::{Constant, OutputRule, ScalarType};
use proc_macro2::TokenStream;

/// A parameter a built-in takes, written positionally: `leaky_relu(0.2)`, `huber(0.5)`.
pub struct Parameter {
    /// Its name in the docs and messages: `alpha`, `delta`.
    pub name: &'static str,
    /// Its value when the built-in is written bare.
    pub default: f64,
    /// Whether it must be positive (it scales a curve or marks a threshold).
    pub positive: bool,
}

/// How a row builds the model's value from what the spec wrote.
pub enum Build<T: 'static> {
    /// Written bare: `relu`.
    Bare(fn() -> T),
    /// With one positional parameter, or bare for its default: `leaky_relu(0.2)`, `leaky_relu`.
    Parameter(Parameter, fn(Constant) -> T),
}

impl<T> Build<T> {
    /// The parameter, if the built-in takes one.
    pub fn parameter(&self) -> Option<&Parameter> {
        match self {
            Build::Bare(_) => None,
            Build::Parameter(parameter, _) => Some(parameter),
        }
    }
}

/// A name another library uses for a built-in, and what to tell its user.
pub struct Alias {
    /// The other library's name: `mse`, `linear`.
    pub name: &'static str,
    /// Said after "write `<built-in>`", where the meaning differs; empty when it is the same.
    pub note: &'static str,
}

impl Alias {
    /// A name that means the same as the built-in.
    pub(super) const fn same(name: &'static str) -> Alias {
        Alias { name, note: "" }
    }

    /// A name whose user needs to be told more: `note` starts with `; `.
    pub(super) const fn noting(name: &'static str, note: &'static str) -> Alias {
        Alias { name, note }
    }
}

/// What the checks need of either kind of row.
pub trait Row: 'static {
    /// What the row builds: an [`Activation`] or a [`Loss`].
    type Value: 'static;
    /// The name in the spec.
    fn name(&self) -> &'static str;
    /// Names other libraries use for it.
    fn aliases(&self) -> &'static [Alias];
    /// How the value is built from what the spec wrote.
    fn build(&self) -> &Build<Self::Value>;
}

/// The row that `name` is an alias of, with the alias, among `rows`.
pub fn alias_of<R: Row>(name: &str, rows: &[&'static R]) -> Option<(&'static R, &'static Alias)> {
    rows.iter().find_map(|row| {
        row.aliases()
            .iter()
            .find(|alias| alias.name == name)
            .map(|alias| (*row, alias))
    })
}

/// The spec names of `rows`, in the catalogue's order.
pub fn names<R: Row>(rows: &[&'static R]) -> Vec<&'static str> {
    rows.iter().map(|row| row.name()).collect()
}

/// `a`, `b` or `c`, each in backticks, for messages and docs.
pub fn listed(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The row named `name` among `rows`.
pub fn find<R: Row>(name: &str, rows: &[&'static R]) -> Option<&'static R> {
    rows.iter().copied().find(|row| row.name() == name)
}

/// `template` with `{name}` replaced by the parameter's value, as the derivation text writes it.
pub(super) fn with_parameter(template: &str, parameter: Option<(&Parameter, &Constant)>) -> String {
    match parameter {
        Some((parameter, constant)) => template.replace(
            &format!("{{{}}}", parameter.name),
            &constant.value.to_string(),
        ),
        None => template.to_string(),
    }
}

/// How an activation is applied to a layer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// `a = z` (the identity): nothing is called, the derivative is 1, and both are left out of
    /// the code and of the costs.
    Unchanged,
    /// Node by node: `a_j = f(z_j)`, with the derivative `f'(z_j, a_j)`.
    Elementwise,
    /// The whole layer at once (softmax): only on the output layer, where the output rule forms
    /// the deltas.
    Layer,
}

/// The activation written out as the runtime computes it, for a `const fn forward` (the runtime's
/// generic functions cannot be `const`): of `z`, the parameter's literal, and a maker of literals
/// of the net's scalar. The same operations as the runtime's, so the same bits.
pub type Inline = fn(
    z: &TokenStream,
    parameter: Option<&TokenStream>,
    float: &dyn Fn(f64) -> TokenStream,
) -> TokenStream;

/// One built-in activation.
pub struct ActivationRow {
    /// The name in the spec and in `DERIVATION`.
    pub name: &'static str,
    /// Names other libraries use for it.
    pub aliases: &'static [Alias],
    /// Bare, or with its parameter.
    pub build: Build<Activation>,
    /// How it is applied.
    pub shape: Shape,
    /// Its function in `backprop_core::activation`; the derivative is the same name with
    /// `_derivative` (both take the parameter last, when there is one).
    pub function: &'static str,
    /// `f(z) = ...; f'(z) = ...` for the legend of `DERIVATION`, `{alpha}` standing for the
    /// parameter.
    pub formula: &'static str,
    /// Floating-point operations of one node's activation, and again of its derivative (the
    /// costs count an evaluation as one).
    pub flops: usize,
    /// How a `const fn forward` writes it, if it can.
    pub inline: Option<Inline>,
    /// Whether `backprop_core::fixed::activation` has its Q16.16 form (under the same name), so
    /// a `scalar: I16F16` net may use it.
    pub fixed: bool,
    /// How the Q16.16 form computes it, for the legend of a `scalar: I16F16` net's
    /// `DERIVATION`, when that differs from `formula` (a table rather than an exponential).
    pub fixed_method: Option<&'static str>,
    /// How an int8 layer computes it.
    pub int8: Int8Form,
}

impl ActivationRow {
    /// `formula`, or for a Q16.16 net the way its table-based form computes it.
    pub fn formula_in(&self, scalar: ScalarType) -> &'static str {
        match self.fixed_method {
            Some(method) if scalar.is_fixed() => method,
            _ => self.formula,
        }
    }
}

/// How an int8 layer (`quantize: int8`) computes an activation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Int8Form {
    /// The requantised sum clamped to the whole `i8` range: the identity.
    Clamp,
    /// Clamped below at the code of 0, which calibration makes the output's lowest: `relu`.
    ClampAtZero,
    /// A table of 256 codes, the activation evaluated once per code of the pre-activation.
    Table,
    /// Not elementwise (softmax): the logits are the int8 output, and the float `forward`
    /// applies the activation after dequantising them.
    Logits,
}

impl Int8Form {
    /// The constructor of the runtime's int8 layers that quantises a layer this way:
    /// `QuantizedDense::identity`, `relu` or `table`.
    pub fn constructor(self) -> &'static str {
        match self {
            Int8Form::Clamp | Int8Form::Logits => "identity",
            Int8Form::ClampAtZero => "relu",
            Int8Form::Table => "table",
        }
    }
}

impl PartialEq for ActivationRow {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

impl core::fmt::Debug for ActivationRow {
    fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        formatter.write_str(self.name)
    }
}

impl Row for ActivationRow {
    type Value = Activation;

    fn name(&self) -> &'static str {
        self.name
    }

    fn aliases(&self) -> &'static [Alias] {
        self.aliases
    }

    fn build(&self) -> &Build<Activation> {
        &self.build
    }
}

/// One built-in loss.
pub struct LossRow {
    /// The name in the spec and in `DERIVATION`.
    pub name: &'static str,
    /// Names other libraries use for it.
    pub aliases: &'static [Alias],
    /// Bare, or with its parameter.
    pub build: Build<Loss>,
    /// Whether it is the mean over the outputs (divided by `O`) rather than the sum.
    pub mean: bool,
    /// The per-output term in `backprop_core::loss::element` (its derivative adds
    /// `_derivative`), also its name in `DERIVATION`.
    pub element: &'static str,
    /// The whole-array function in `backprop_core::loss` (its gradient adds `_gradient`).
    pub array: &'static str,
    /// `term(y, t) = ...; term'(y, t) = ...` for the legend of `DERIVATION`, `{delta}` standing
    /// for the parameter.
    pub formula: &'static str,
    /// Whether it takes the log of the prediction, so the output activation must be one of its
    /// fusions' (or a user type, trusted to give probabilities).
    pub needs_probabilities: bool,
    /// The output activations it fuses with, and how.
    pub fusions: &'static [Fusion],
    /// Whether `backprop_core::fixed::loss` has its Q16.16 form (element and array functions under
    /// the same names), so a `scalar: I16F16` net may use it.
    pub fixed: bool,
}

/// A loss computed together with the output activation, from the logits: stable where the
/// activation rounds to 0 or 1, and with deltas that need no derivative of the activation.
pub struct Fusion {
    /// The output activation.
    pub activation: &'static ActivationRow,
    /// How the output deltas are formed.
    pub rule: OutputRule,
    /// The per-output term in `backprop_core::loss::element`, from the logit.
    pub element: &'static str,
    /// The whole-array function in `backprop_core::loss`, from the logits (its gradient adds
    /// `_gradient`).
    pub array: &'static str,
    /// The term's formula for the legend of `DERIVATION`.
    pub formula: &'static str,
}

impl Row for LossRow {
    type Value = Loss;

    fn name(&self) -> &'static str {
        self.name
    }

    fn aliases(&self) -> &'static [Alias] {
        self.aliases
    }

    fn build(&self) -> &Build<Loss> {
        &self.build
    }
}
