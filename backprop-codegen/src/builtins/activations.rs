//! The rows of the built-in activations, one each: its spec name, the names other libraries use,
//! its parameter, how it is applied, its runtime function, its `DERIVATION` formula, its cost, how
//! a `const fn` writes it, its Q16.16 form and its int8 form.

use super::{Activation, ActivationRow, Alias, Build, Int8Form, Parameter, Shape};
use quote::quote;

pub(super) static IDENTITY: ActivationRow = ActivationRow {
    name: "identity",
    aliases: &[Alias::same("linear"), Alias::same("none")],
    build: Build::Bare(|| Activation::Identity),
    shape: Shape::Unchanged,
    function: "identity",
    formula: "identity(z) = z; identity'(z) = 1",
    flops: 0,
    inline: None,
    fixed: true,
    fixed_method: None,
    int8: Int8Form::Clamp,
};

pub(super) static RELU: ActivationRow = ActivationRow {
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
    fixed: true,
    fixed_method: None,
    int8: Int8Form::ClampAtZero,
};

pub(super) static RELU6: ActivationRow = ActivationRow {
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
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static HARD_TANH: ActivationRow = ActivationRow {
    name: "hard_tanh",
    aliases: &[Alias::same("hardtanh")],
    build: Build::Bare(|| Activation::HardTanh),
    shape: Shape::Elementwise,
    function: "hard_tanh",
    formula: "hard_tanh(z) = min(max(z, -1), 1); hard_tanh'(z) = 1 if -1 < z < 1, else 0",
    flops: 1,
    inline: Some(|z, _, float| {
        let (low, high) = (float(-1.0), float(1.0));
        quote!(if #z < #low { #low } else if #z > #high { #high } else { #z })
    }),
    fixed: true,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static HARD_SIGMOID: ActivationRow = ActivationRow {
    name: "hard_sigmoid",
    aliases: &[Alias::same("hardsigmoid")],
    build: Build::Bare(|| Activation::HardSigmoid),
    shape: Shape::Elementwise,
    function: "hard_sigmoid",
    formula: "hard_sigmoid(z) = min(max(z + 3, 0), 6) / 6; hard_sigmoid'(z) = 1/6 if -3 < z < 3, else 0",
    flops: 1,
    inline: Some(|z, _, float| {
        let (zero, three, six) = (float(0.0), float(3.0), float(6.0));
        quote!({
            let shifted = #z + #three;
            (if shifted < #zero { #zero } else if shifted > #six { #six } else { shifted }) / #six
        })
    }),
    fixed: true,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static LEAKY_RELU: ActivationRow = ActivationRow {
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
    fixed: true,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static ELU: ActivationRow = ActivationRow {
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
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Table,
};

/// The sigmoid, which the cross-entropies fuse with (see [`super::losses`]).
pub(super) static SIGMOID: ActivationRow = ActivationRow {
    name: "sigmoid",
    aliases: &[Alias::same("logistic")],
    build: Build::Bare(|| Activation::Sigmoid),
    shape: Shape::Elementwise,
    function: "sigmoid",
    formula: "sigmoid(z) = 1 / (1 + e^-z); sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))",
    flops: 1,
    inline: None,
    fixed: true,
    fixed_method: Some(
        "sigmoid(z) = (1 + tanh(z/2)) / 2, in Q16.16 with tanh by its table; sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))",
    ),
    int8: Int8Form::Table,
};

pub(super) static TANH: ActivationRow = ActivationRow {
    name: "tanh",
    aliases: &[],
    build: Build::Bare(|| Activation::Tanh),
    shape: Shape::Elementwise,
    function: "tanh",
    formula: "tanh(z) = (e^z - e^-z) / (e^z + e^-z); tanh'(z) = 1 - tanh(z)^2",
    flops: 1,
    inline: None,
    fixed: true,
    fixed_method: Some(
        "tanh(z) in Q16.16: a table of tanh(k/16), k = 0..=96, interpolated linearly (odd; the last entry beyond 6); tanh'(z) = 1 - tanh(z)^2",
    ),
    int8: Int8Form::Table,
};

pub(super) static SOFTPLUS: ActivationRow = ActivationRow {
    name: "softplus",
    aliases: &[],
    build: Build::Bare(|| Activation::Softplus),
    shape: Shape::Elementwise,
    function: "softplus",
    formula: "softplus(z) = ln(1 + e^z); softplus'(z) = sigmoid(z)",
    flops: 1,
    inline: None,
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static SILU: ActivationRow = ActivationRow {
    name: "silu",
    aliases: &[Alias::same("swish")],
    build: Build::Bare(|| Activation::Silu),
    shape: Shape::Elementwise,
    function: "silu",
    formula: "silu(z) = z sigmoid(z); silu'(z) = sigmoid(z) (1 + z (1 - sigmoid(z)))",
    flops: 1,
    inline: None,
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Table,
};

pub(super) static GELU: ActivationRow = ActivationRow {
    name: "gelu",
    aliases: &[],
    build: Build::Bare(|| Activation::Gelu),
    shape: Shape::Elementwise,
    function: "gelu",
    formula: "gelu(z) = z Phi(z), Phi(z) = (1 + erf(z / sqrt 2)) / 2; gelu'(z) = Phi(z) + z phi(z)",
    flops: 1,
    inline: None,
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Table,
};

/// Softmax, which cross-entropy fuses with (see [`super::losses`]).
pub(super) static SOFTMAX: ActivationRow = ActivationRow {
    name: "softmax",
    aliases: &[],
    build: Build::Bare(|| Activation::Softmax),
    shape: Shape::Layer,
    function: "softmax",
    formula: "softmax(z)_j = e^z_j / sum_k e^z_k; d softmax_j / dz_k = softmax_j (1[j = k] - softmax_k)",
    flops: 1,
    inline: None,
    fixed: false,
    fixed_method: None,
    int8: Int8Form::Logits,
};
