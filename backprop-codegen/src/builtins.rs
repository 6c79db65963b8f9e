//! The catalogue of built-in activations and losses: one row per built-in, holding everything the
//! stages need to know about it, so that adding one is a row here plus its runtime functions.
//!
//! - [`crate::check`] lowers a name to a built-in by its row (the spec name, the parameter and its
//!   default, the names other libraries use, which get a hint naming ours);
//! - [`crate::model`] names it, decides the output rule from the rows' fusions, and counts its
//!   cost;
//! - [`crate::derive::text`] writes its formula into `DERIVATION`;
//! - [`crate::expand`] calls the runtime functions the row names, or inlines it in a `const fn`.
//!
//! Aliases from other libraries (`linear`, `mse`, `bce`, ...) are not accepted as spellings: they
//! are reported with a hint naming the built-in, so that a spec, its `DERIVATION` and the docs
//! use one name for one thing, and where the other library's function means something slightly
//! different (PyTorch's `CrossEntropyLoss` takes logits) the hint says what to write instead.

mod activations;
mod losses;
mod row;
mod value;

pub use row::{
    ActivationRow, Alias, Build, Fusion, Inline, Int8Form, LossRow, Parameter, Row, Shape,
    alias_of, find, listed, names,
};
pub use value::const_activations;

use activations::{
    ELU, GELU, HARD_SIGMOID, HARD_TANH, IDENTITY, LEAKY_RELU, RELU, RELU6, SIGMOID, SILU, SOFTMAX,
    SOFTPLUS, TANH,
};
use losses::{
    BINARY_CROSS_ENTROPY, CROSS_ENTROPY, HUBER, MEAN_ABSOLUTE_ERROR, MEAN_SQUARED_ERROR,
    SQUARED_ERROR,
};

use crate::model::Constant;
use syn::Path;

/// A layer's activation, as the model holds it: a built-in (with its parameter) or a user type.
#[derive(Clone)]
pub enum Activation {
    /// `a = z`.
    Identity,
    /// `a = max(z, 0)`.
    Relu,
    /// `a = min(max(z, 0), 6)`.
    Relu6,
    /// `a = min(max(z, -1), 1)`.
    HardTanh,
    /// `a = min(max(z + 3, 0), 6) / 6`.
    HardSigmoid,
    /// `a = z` for `z > 0`, else `alpha z`.
    LeakyRelu(Constant),
    /// `a = z` for `z > 0`, else `alpha (e^z - 1)`.
    Elu(Constant),
    /// `a = 1 / (1 + e^-z)`.
    Sigmoid,
    /// `a = tanh z`.
    Tanh,
    /// `a = ln(1 + e^z)`.
    Softplus,
    /// `a = z sigmoid(z)`.
    Silu,
    /// `a = z Phi(z)`.
    Gelu,
    /// `a_j = e^z_j / sum_k e^z_k`, over the whole layer.
    Softmax,
    /// A user type implementing `backprop_core::Activation`.
    Custom(Path),
}

/// The activation messages give as an example of a hidden layer's: `dense(4, relu)`.
pub const EXAMPLE_ACTIVATION: &str = "relu";
/// The activation messages give as an example of an output layer's: `dense(1, sigmoid)`.
pub const EXAMPLE_OUTPUT: &str = "sigmoid";

/// What a layer with no activation of its own (a pooling, a recurrent cell) applies: nothing.
pub fn unchanged() -> Activation {
    Activation::Identity
}

/// The runtime's `ln sum e^z` of a fused softmax, in `backprop_core::activation` and in
/// `DERIVATION`.
pub const LOG_SUM_EXP: &str = "log_sum_exp";

/// The activations a recurrent cell computes its gates with: `sigmoid` and `tanh`.
pub fn gate_activations() -> (&'static ActivationRow, &'static ActivationRow) {
    (&SIGMOID, &TANH)
}

/// Every built-in activation, in the order the docs list them.
pub static ACTIVATIONS: &[&ActivationRow] = &[
    &IDENTITY,
    &RELU,
    &RELU6,
    &HARD_TANH,
    &HARD_SIGMOID,
    &LEAKY_RELU,
    &ELU,
    &SIGMOID,
    &TANH,
    &SOFTPLUS,
    &SILU,
    &GELU,
    &SOFTMAX,
];

impl Activation {
    /// The built-in's row; `None` for a user type.
    pub fn row(&self) -> Option<&'static ActivationRow> {
        Some(match self {
            Activation::Identity => &IDENTITY,
            Activation::Relu => &RELU,
            Activation::Relu6 => &RELU6,
            Activation::HardTanh => &HARD_TANH,
            Activation::HardSigmoid => &HARD_SIGMOID,
            Activation::LeakyRelu(_) => &LEAKY_RELU,
            Activation::Elu(_) => &ELU,
            Activation::Sigmoid => &SIGMOID,
            Activation::Tanh => &TANH,
            Activation::Softplus => &SOFTPLUS,
            Activation::Silu => &SILU,
            Activation::Gelu => &GELU,
            Activation::Softmax => &SOFTMAX,
            Activation::Custom(_) => return None,
        })
    }

    /// The parameter as written (or its default), if the activation takes one.
    pub fn parameter(&self) -> Option<&Constant> {
        match self {
            Activation::LeakyRelu(constant) | Activation::Elu(constant) => Some(constant),
            _ => None,
        }
    }
}

/// The loss on the last layer's activations `y` and the target `t`, as the model holds it.
pub enum Loss {
    /// `sum_o (y_o - t_o)^2`.
    SquaredError,
    /// `sum_o (y_o - t_o)^2 / O`.
    MeanSquaredError,
    /// `sum_o |y_o - t_o| / O`.
    MeanAbsoluteError,
    /// Mean of `0.5 e^2` for `|e| <= delta`, else `delta (|e| - 0.5 delta)`.
    Huber(Constant),
    /// Mean of `-(t ln y + (1 - t) ln(1 - y))`.
    BinaryCrossEntropy,
    /// `-sum_o t_o ln y_o`.
    CrossEntropy,
}

/// Every built-in loss, in the order the docs list them.
pub static LOSSES: &[&LossRow] = &[
    &SQUARED_ERROR,
    &MEAN_SQUARED_ERROR,
    &MEAN_ABSOLUTE_ERROR,
    &HUBER,
    &BINARY_CROSS_ENTROPY,
    &CROSS_ENTROPY,
];

impl Loss {
    /// The built-in's row.
    pub fn row(&self) -> &'static LossRow {
        match self {
            Loss::SquaredError => &SQUARED_ERROR,
            Loss::MeanSquaredError => &MEAN_SQUARED_ERROR,
            Loss::MeanAbsoluteError => &MEAN_ABSOLUTE_ERROR,
            Loss::Huber(_) => &HUBER,
            Loss::BinaryCrossEntropy => &BINARY_CROSS_ENTROPY,
            Loss::CrossEntropy => &CROSS_ENTROPY,
        }
    }

    /// The parameter as written (or its default), if the loss takes one.
    pub fn parameter(&self) -> Option<&Constant> {
        match self {
            Loss::Huber(delta) => Some(delta),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ACTIVATIONS, Build, LOSSES, Row, alias_of};
    use crate::model::Constant;

    fn constant(value: f64) -> Constant {
        Constant {
            value,
            span: proc_macro2::Span::call_site(),
        }
    }

    #[test]
    fn every_row_builds_a_value_whose_row_is_itself() {
        for row in ACTIVATIONS {
            let built = match &row.build {
                Build::Bare(build) => build(),
                Build::Parameter(parameter, build) => build(constant(parameter.default)),
            };
            assert!(
                core::ptr::eq(built.row().expect("a built-in"), *row),
                "{}",
                row.name
            );
        }
        for row in LOSSES {
            let built = match &row.build {
                Build::Bare(build) => build(),
                Build::Parameter(parameter, build) => build(constant(parameter.default)),
            };
            assert!(core::ptr::eq(built.row(), *row), "{}", row.name);
        }
    }

    #[test]
    fn names_and_aliases_are_unique() {
        let mut seen = std::collections::HashSet::new();
        let activations = ACTIVATIONS.iter().map(|row| (row.name(), row.aliases()));
        let losses = LOSSES.iter().map(|row| (row.name(), row.aliases()));
        for (name, aliases) in activations.chain(losses) {
            assert!(seen.insert(name), "{name} twice");
            for alias in aliases {
                assert!(seen.insert(alias.name), "{} twice", alias.name);
            }
        }
    }

    #[test]
    fn aliases_lead_to_their_row() {
        assert_eq!(
            alias_of("linear", ACTIVATIONS).map(|(row, _)| row.name),
            Some("identity")
        );
        assert_eq!(
            alias_of("mse", LOSSES).map(|(row, _)| row.name),
            Some("mean_squared_error")
        );
        assert!(alias_of("relu", ACTIVATIONS).is_none());
    }
}
