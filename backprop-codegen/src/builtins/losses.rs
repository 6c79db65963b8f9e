//! The rows of the built-in losses, one each: its spec name, the names other libraries use, its
//! parameter, whether it is a mean, its runtime functions, its `DERIVATION` formula, what output it
//! needs and the activations it fuses with, and its Q16.16 form.

use super::activations::{SIGMOID, SOFTMAX};
use super::{Alias, Build, Fusion, Loss, LossRow, Parameter};
use crate::model::OutputRule;

/// The formula of both squared errors.
const SQUARED_ERROR_FORMULA: &str =
    "squared_error(y, t) = (y - t)^2; squared_error'(y, t) = 2 (y - t)";

pub(super) static SQUARED_ERROR: LossRow = LossRow {
    name: "squared_error",
    aliases: &[Alias::same("sse"), Alias::same("sum_squared_error")],
    build: Build::Bare(|| Loss::SquaredError),
    mean: false,
    element: "squared_error",
    array: "squared_error",
    formula: SQUARED_ERROR_FORMULA,
    needs_probabilities: false,
    fusions: &[],
    fixed: true,
};

pub(super) static MEAN_SQUARED_ERROR: LossRow = LossRow {
    name: "mean_squared_error",
    aliases: &[Alias::same("mse")],
    build: Build::Bare(|| Loss::MeanSquaredError),
    mean: true,
    element: "squared_error",
    array: "mean_squared_error",
    formula: SQUARED_ERROR_FORMULA,
    needs_probabilities: false,
    fusions: &[],
    fixed: true,
};

pub(super) static MEAN_ABSOLUTE_ERROR: LossRow = LossRow {
    name: "mean_absolute_error",
    aliases: &[Alias::same("mae"), Alias::same("l1")],
    build: Build::Bare(|| Loss::MeanAbsoluteError),
    mean: true,
    element: "absolute_error",
    array: "mean_absolute_error",
    formula: "absolute_error(y, t) = |y - t|; absolute_error'(y, t) = sign(y - t), 0 at 0",
    needs_probabilities: false,
    fusions: &[],
    fixed: false,
};

pub(super) static HUBER: LossRow = LossRow {
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
    fixed: false,
};

/// Said of the names for a loss on logits: here the output layer's sigmoid is written out.
const ON_SIGMOID_LOGITS: &str =
    "; put `sigmoid` on the output layer, and the loss is computed from its logits";

pub(super) static BINARY_CROSS_ENTROPY: LossRow = LossRow {
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
    fixed: false,
};

/// Said of the names for a loss on logits: here the output layer's softmax is written out.
const ON_SOFTMAX_LOGITS: &str =
    "; put `softmax` on the output layer, and the loss is computed from its logits";

pub(super) static CROSS_ENTROPY: LossRow = LossRow {
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
    fusions: &[Fusion {
        activation: &SOFTMAX,
        rule: OutputRule::NormalisedLogits,
        element: "softmax_cross_entropy_with_logit",
        array: "softmax_cross_entropy_with_logits",
        formula: "cross_entropy(z, log_sum_exp, t) = t (log_sum_exp - z), from the logits; log_sum_exp = ln sum_k e^z_k",
    }],
    fixed: false,
};
