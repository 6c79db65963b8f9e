//! Stage 3: the validated network, the one value that [`crate::derive`] and [`crate::expand`]
//! read. Everything here has been checked: widths are positive, names are unique, the activation
//! and loss fit together.

mod costs;

pub use crate::builtins::{Activation, Loss};
use proc_macro2::Span;
use syn::{Attribute, Ident, Path, Visibility};

/// A checked `network!` spec.
pub struct Network {
    /// Doc comments and attributes of the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name.
    pub name: Ident,
    /// `f32` or `f64`.
    pub scalar: ScalarType,
    /// Number of inputs.
    pub inputs: usize,
    /// The layers in order; the last one is the output. Never empty.
    pub layers: Vec<Layer>,
    /// The loss on the last layer's activations.
    pub loss: Loss,
    /// How the code is written out.
    pub form: Form,
    /// `quantize: int8`: also generate `{Name}Int8` and `quantize`.
    pub int8: bool,
}

/// How the generated code is written out. Both forms compute the same bits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    /// Every scalar a named local, one line per parameter derivative: reads like the notebook.
    Unrolled,
    /// The same math as loops over the weight arrays: compile time grows with the number of
    /// layers, not of parameters.
    Looped,
}

impl Form {
    /// Nets with at most this many parameters are unrolled when the spec does not say.
    pub const UNROLLED_UP_TO: usize = 256;

    /// The most parameters a net may have when the spec asks for `form: unrolled`: one line per
    /// parameter, and past this rustc slows to a crawl and the binary bloats. Sixteen times the
    /// default's limit, so a spec may unroll a net somewhat larger than the default would.
    pub const UNROLLED_AT_MOST: usize = 16 * Self::UNROLLED_UP_TO;

    /// The form of a net with `parameters` parameters whose spec does not choose one.
    pub fn choose(parameters: usize) -> Form {
        if parameters <= Self::UNROLLED_UP_TO {
            Form::Unrolled
        } else {
            Form::Looped
        }
    }
}

/// The floating-point type of every parameter and value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScalarType {
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Q16.16 fixed point, `backprop_core::fixed::I16F16` (the runtime's feature `fixed`).
    I16F16,
}

impl ScalarType {
    /// The size of one value in bytes.
    pub fn bytes(self) -> usize {
        match self {
            ScalarType::F32 | ScalarType::I16F16 => 4,
            ScalarType::F64 => 8,
        }
    }
}

/// One dense layer: `z_j = sum_i weights[j][i] * a_i + bias[j]`, `a_j = activation(z_j)`.
pub struct Layer {
    /// The layer's name, which becomes a field of the struct.
    pub name: Ident,
    /// Width of the layer before it (or the number of inputs).
    pub inputs: usize,
    /// Number of nodes.
    pub outputs: usize,
    /// The activation applied to each pre-activation.
    pub activation: Activation,
}

/// A number written in the spec, kept as written so that it is emitted without a second rounding.
#[derive(Clone, Debug)]
pub struct Constant {
    /// The value.
    pub value: f64,
    /// Where it was written (or the name it defaults for).
    pub span: Span,
}

/// How the output deltas `dL/dz` are formed from the loss and the last activation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OutputRule {
    /// `delta_o = act'(z_o) * dL/dy_o`: every output on its own.
    Elementwise,
    /// A fusion whose delta is the activation minus the target: `delta_o = (y_o - t_o) / O`, the
    /// loss from the logits (sigmoid with binary cross-entropy, in the catalogue).
    ActivationMinusTarget,
    /// A fusion over a normalised layer: `delta_o = y_o sum(t) - t_o`, the loss by log-sum-exp
    /// (softmax with cross-entropy).
    NormalisedLogits,
    /// A fusion whose delta is the fused element derivative of the activation and target,
    /// `delta_o = t_o (y_o - 1)`, the loss from the logit (sigmoid with cross-entropy).
    FusedSlope,
    /// A layer-wide activation with any other loss, through its Jacobian:
    /// `delta_o = y_o (dL/dy_o - sum_k dL/dy_k y_k)`.
    LayerJacobian,
}

impl Network {
    /// Number of outputs: the width of the last layer.
    pub fn outputs(&self) -> usize {
        self.output_layer().outputs
    }

    /// The last layer.
    ///
    /// # Panics
    /// Never for a network built by [`crate::check::check`], which has at least one layer.
    pub fn output_layer(&self) -> &Layer {
        self.layers
            .last()
            .expect("check guarantees at least one layer")
    }

    /// Total number of weights and biases.
    pub fn parameters(&self) -> usize {
        self.layers.iter().map(Layer::parameters).sum()
    }

    /// How the output deltas are formed (the loss's row knows its fusions).
    pub fn output_rule(&self) -> OutputRule {
        self.loss.output_rule(&self.output_layer().activation)
    }
}

impl Layer {
    /// Weights and biases of this layer.
    pub fn parameters(&self) -> usize {
        self.inputs * self.outputs + self.outputs
    }
}

/// A path as the user wrote it, `a::b::C`, for messages and derivation text.
pub fn path_text(path: &Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let prefix = if path.leading_colon.is_some() {
        "::"
    } else {
        ""
    };
    format!("{prefix}{}", segments.join("::"))
}
