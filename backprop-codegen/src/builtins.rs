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

mod row;
mod value;

pub use row::{
    ActivationRow, Alias, Build, Fusion, Inline, LossRow, Parameter, Row, Shape, alias_of, find,
    listed, names,
};
pub use value::const_activations;

use crate::model::{Constant, OutputRule};
use quote::quote;
use syn::Path;

/// A layer's activation, as the model holds it: a built-in (with its parameter) or a user type.
pub enum Activation {
    /// `a = z`.
    Identity,
    /// `a = max(z, 0)`.
    Relu,
    /// `a = min(max(z, 0), 6)`.
    Relu6,
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
/// The loss a spec's `loss:` entry stands in with when it did not parse: one every output
/// activation accepts, so the check blames nothing on it.
pub const PLACEHOLDER_LOSS: &str = "squared_error";
/// The activation messages give as an example of an output layer's: `dense(1, sigmoid)`.
pub const EXAMPLE_OUTPUT: &str = "sigmoid";

/// Every built-in activation, in the order the docs list them.
pub static ACTIVATIONS: &[&ActivationRow] = &[
    &IDENTITY,
    &RELU,
    &RELU6,
    &LEAKY_RELU,
    &ELU,
    &SIGMOID,
    &TANH,
    &SOFTPLUS,
    &SILU,
    &GELU,
    &SOFTMAX,
];

static IDENTITY: ActivationRow = ActivationRow {
    name: "identity",
    aliases: &[Alias::same("linear"), Alias::same("none")],
    build: Build::Bare(|| Activation::Identity),
    shape: Shape::Unchanged,
    function: "identity",
    formula: "identity(z) = z; identity'(z) = 1",
    flops: 0,
    inline: None,
};

static RELU: ActivationRow = ActivationRow {
    name: "relu",
    aliases: &[],
    build: Build::Bare(|| Activation::Relu),
    shape: Shape::Elementwise,
    function: "relu",
    formula: "relu(z) = max(z, 0); relu'(z) = 1 if z > 0, else 0",
    flops: 1,
    inline: Some(|z, _, float| {
        let zero = float(0.0);
        quote!(if #z < #zero { #zero } else { #z })
    }),
};

static RELU6: ActivationRow = ActivationRow {
    name: "relu6",
    aliases: &[],
    build: Build::Bare(|| Activation::Relu6),
    shape: Shape::Elementwise,
    function: "relu6",
    formula: "relu6(z) = min(max(z, 0), 6); relu6'(z) = 1 if 0 < z < 6, else 0",
    flops: 1,
    inline: Some(|z, _, float| {
        let (zero, six) = (float(0.0), float(6.0));
        quote!(if #z < #zero { #zero } else if #z > #six { #six } else { #z })
    }),
};

static LEAKY_RELU: ActivationRow = ActivationRow {
    name: "leaky_relu",
    aliases: &[Alias::same("leakyrelu"), Alias::same("lrelu")],
    build: Build::Parameter(
        Parameter {
            name: "alpha",
            default: 0.01,
            positive: false,
        },
        Activation::LeakyRelu,
    ),
    shape: Shape::Elementwise,
    function: "leaky_relu",
    formula: "leaky_relu(z) = z if z > 0, else {alpha} z; leaky_relu'(z) = 1 if z > 0, else {alpha}",
    flops: 1,
    inline: Some(|z, alpha, float| {
        let zero = float(0.0);
        quote!(if #z > #zero { #z } else { #alpha * #z })
    }),
};

static ELU: ActivationRow = ActivationRow {
    name: "elu",
    aliases: &[],
    build: Build::Parameter(
        Parameter {
            name: "alpha",
            default: 1.0,
            positive: true,
        },
        Activation::Elu,
    ),
    shape: Shape::Elementwise,
    function: "elu",
    formula: "elu(z) = z if z > 0, else {alpha} (e^z - 1); elu'(z) = 1 if z > 0, else {alpha} e^z",
    flops: 1,
    inline: None,
};

/// The sigmoid, which the cross-entropies fuse with (see [`super::losses`]).
static SIGMOID: ActivationRow = ActivationRow {
    name: "sigmoid",
    aliases: &[Alias::same("logistic")],
    build: Build::Bare(|| Activation::Sigmoid),
    shape: Shape::Elementwise,
    function: "sigmoid",
    formula: "sigmoid(z) = 1 / (1 + e^-z); sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))",
    flops: 1,
    inline: None,
};

static TANH: ActivationRow = ActivationRow {
    name: "tanh",
    aliases: &[],
    build: Build::Bare(|| Activation::Tanh),
    shape: Shape::Elementwise,
    function: "tanh",
    formula: "tanh(z) = (e^z - e^-z) / (e^z + e^-z); tanh'(z) = 1 - tanh(z)^2",
    flops: 1,
    inline: None,
};

static SOFTPLUS: ActivationRow = ActivationRow {
    name: "softplus",
    aliases: &[],
    build: Build::Bare(|| Activation::Softplus),
    shape: Shape::Elementwise,
    function: "softplus",
    formula: "softplus(z) = ln(1 + e^z); softplus'(z) = sigmoid(z)",
    flops: 1,
    inline: None,
};

static SILU: ActivationRow = ActivationRow {
    name: "silu",
    aliases: &[Alias::same("swish")],
    build: Build::Bare(|| Activation::Silu),
    shape: Shape::Elementwise,
    function: "silu",
    formula: "silu(z) = z sigmoid(z); silu'(z) = sigmoid(z) (1 + z (1 - sigmoid(z)))",
    flops: 1,
    inline: None,
};

static GELU: ActivationRow = ActivationRow {
    name: "gelu",
    aliases: &[],
    build: Build::Bare(|| Activation::Gelu),
    shape: Shape::Elementwise,
    function: "gelu",
    formula: "gelu(z) = z Phi(z), Phi(z) = (1 + erf(z / sqrt 2)) / 2; gelu'(z) = Phi(z) + z phi(z)",
    flops: 1,
    inline: None,
};

/// Softmax, which cross-entropy fuses with (see [`super::losses`]).
static SOFTMAX: ActivationRow = ActivationRow {
    name: "softmax",
    aliases: &[],
    build: Build::Bare(|| Activation::Softmax),
    shape: Shape::Layer,
    function: "softmax",
    formula: "softmax(z)_j = e^z_j / sum_k e^z_k; d softmax_j / dz_k = softmax_j (1[j = k] - softmax_k)",
    flops: 1,
    inline: None,
};

impl Activation {
    /// The built-in's row; `None` for a user type.
    pub fn row(&self) -> Option<&'static ActivationRow> {
        Some(match self {
            Activation::Identity => &IDENTITY,
            Activation::Relu => &RELU,
            Activation::Relu6 => &RELU6,
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

/// The formula of both squared errors.
const SQUARED_ERROR_FORMULA: &str =
    "squared_error(y, t) = (y - t)^2; squared_error'(y, t) = 2 (y - t)";

static SQUARED_ERROR: LossRow = LossRow {
    name: "squared_error",
    aliases: &[Alias::same("sse"), Alias::same("sum_squared_error")],
    build: Build::Bare(|| Loss::SquaredError),
    mean: false,
    element: "squared_error",
    array: "squared_error",
    formula: SQUARED_ERROR_FORMULA,
    needs_probabilities: false,
    fusions: &[],
};

static MEAN_SQUARED_ERROR: LossRow = LossRow {
    name: "mean_squared_error",
    aliases: &[Alias::same("mse")],
    build: Build::Bare(|| Loss::MeanSquaredError),
    mean: true,
    element: "squared_error",
    array: "mean_squared_error",
    formula: SQUARED_ERROR_FORMULA,
    needs_probabilities: false,
    fusions: &[],
};

static MEAN_ABSOLUTE_ERROR: LossRow = LossRow {
    name: "mean_absolute_error",
    aliases: &[Alias::same("mae"), Alias::same("l1")],
    build: Build::Bare(|| Loss::MeanAbsoluteError),
    mean: true,
    element: "absolute_error",
    array: "mean_absolute_error",
    formula: "absolute_error(y, t) = |y - t|; absolute_error'(y, t) = sign(y - t), 0 at 0",
    needs_probabilities: false,
    fusions: &[],
};

static HUBER: LossRow = LossRow {
    name: "huber",
    aliases: &[Alias::noting(
        "smooth_l1",
        "; PyTorch's `SmoothL1Loss` with `beta` 1 is `huber(1.0)`",
    )],
    build: Build::Parameter(
        Parameter {
            name: "delta",
            default: 1.0,
            positive: true,
        },
        Loss::Huber,
    ),
    mean: true,
    element: "huber",
    array: "huber",
    formula: "huber(y, t) = (y - t)^2 / 2 if |y - t| <= {delta}, else {delta} (|y - t| - {delta} / 2); huber'(y, t) = clamp(y - t, -{delta}, {delta})",
    needs_probabilities: false,
    fusions: &[],
};

/// Said of the names for a loss on logits: here the output layer's sigmoid is written out.
const ON_SIGMOID_LOGITS: &str =
    "; put `sigmoid` on the output layer, and the loss is computed from its logits";

static BINARY_CROSS_ENTROPY: LossRow = LossRow {
    name: "binary_cross_entropy",
    aliases: &[
        Alias::same("bce"),
        Alias::same("binary_crossentropy"),
        Alias::same("log_loss"),
        Alias::noting("bce_with_logits", ON_SIGMOID_LOGITS),
        Alias::noting("sigmoid_cross_entropy", ON_SIGMOID_LOGITS),
    ],
    build: Build::Bare(|| Loss::BinaryCrossEntropy),
    mean: true,
    element: "binary_cross_entropy",
    array: "binary_cross_entropy",
    formula: "binary_cross_entropy(y, t) = -(t ln y + (1 - t) ln(1 - y)); binary_cross_entropy'(y, t) = (y - t) / (y (1 - y))",
    needs_probabilities: true,
    fusions: &[Fusion {
        activation: &SIGMOID,
        rule: OutputRule::ActivationMinusTarget,
        element: "binary_cross_entropy_with_logit",
        array: "binary_cross_entropy_with_logits",
        formula: "binary_cross_entropy(z, t) = max(z, 0) - z t + ln(1 + e^-|z|), from the logit z; its dz is sigmoid(z) - t",
    }],
};

/// Said of the names for a loss on logits: here the output layer's softmax is written out.
const ON_SOFTMAX_LOGITS: &str =
    "; put `softmax` on the output layer, and the loss is computed from its logits";

static CROSS_ENTROPY: LossRow = LossRow {
    name: "cross_entropy",
    aliases: &[
        Alias::noting("ce", ON_SOFTMAX_LOGITS),
        Alias::same("categorical_crossentropy"),
        Alias::same("categorical_cross_entropy"),
        Alias::noting(
            "sparse_categorical_crossentropy",
            "; the targets are one-hot (or a distribution), not class indices",
        ),
        Alias::noting("softmax_cross_entropy", ON_SOFTMAX_LOGITS),
        Alias::noting(
            "nll",
            "; put `softmax` on the output layer: the log of the probabilities is taken here",
        ),
    ],
    build: Build::Bare(|| Loss::CrossEntropy),
    mean: false,
    element: "cross_entropy",
    array: "cross_entropy",
    formula: "cross_entropy(y, t) = -t ln y; cross_entropy'(y, t) = -t / y",
    needs_probabilities: true,
    fusions: &[
        Fusion {
            activation: &SOFTMAX,
            rule: OutputRule::NormalisedLogits,
            element: "softmax_cross_entropy_with_logit",
            array: "softmax_cross_entropy_with_logits",
            formula: "cross_entropy(z, log_sum_exp, t) = t (log_sum_exp - z), from the logits; log_sum_exp = ln sum_k e^z_k",
        },
        Fusion {
            activation: &SIGMOID,
            rule: OutputRule::FusedSlope,
            element: "sigmoid_cross_entropy_with_logit",
            array: "sigmoid_cross_entropy_with_logits",
            formula: "cross_entropy(z, t) = t softplus(-z) = -t ln sigmoid(z), from the logit z; cross_entropy'(y, t) = t (y - 1), its dz from y = sigmoid(z)",
        },
    ],
};

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
