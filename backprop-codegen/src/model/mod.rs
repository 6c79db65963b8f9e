//! Stage 3: the validated network, the one value that [`crate::program`] lowers and
//! [`crate::expand`] reads. Everything here has been checked: shapes fit, names are unique, the
//! activation and loss fit together.

mod shape;

pub use crate::builtins::{Activation, Loss};
pub use shape::{Index, Shape, array_type, counted};

use crate::layers::Kind;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Attribute, Ident, Path, Visibility};

/// A checked `network!` spec.
pub struct Network {
    /// Doc comments and attributes of the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The struct's name.
    pub name: Ident,
    /// `f32`, `f64` or `I16F16`.
    pub scalar: ScalarType,
    /// What one sample is.
    pub input: Shape,
    /// The layers in order; the last one is the output. Never empty.
    pub layers: Vec<Layer>,
    /// The loss on the last layer's activations.
    pub loss: Loss,
    /// How the code is written out.
    pub form: Form,
    /// `quantize: int8`: also generate `{Name}Int8` and `quantize`.
    pub int8: bool,
}

/// One layer: its name, what it reads and writes, and what its kind computes.
pub struct Layer {
    /// The layer's name, which becomes a field of the struct.
    pub name: Ident,
    /// What it reads: the net's input, or the layer before's output.
    pub input: Shape,
    /// What it writes.
    pub output: Shape,
    /// Its kind (`dense`, ...), with the options the spec gave it.
    pub kind: Box<dyn Kind>,
    /// What it applies to its kind's output: its kind's activation, or the identity.
    pub applied: Activation,
}

impl Layer {
    /// The activation applied to the layer's pre-activations, if its kind has one.
    pub fn activation(&self) -> Option<&Activation> {
        self.kind.activation()
    }

    /// Whether the layer's output is its pre-activation unchanged: no activation, or the
    /// identity.
    pub fn is_unchanged(&self) -> bool {
        self.activation().is_none_or(Activation::is_unchanged)
    }

    /// Whether the layer has an activation that changes its pre-activations (so the program
    /// binds `z` and `a` apart).
    pub fn has_activation(&self) -> bool {
        self.activation().is_some()
    }

    /// Every parameter of the layer.
    pub fn parameters(&self) -> usize {
        self.kind
            .tensors()
            .iter()
            .map(|tensor| tensor.dims.iter().product::<usize>())
            .sum()
    }
}

/// How the generated code is written out. Both forms compute the same bits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    /// Every scalar a named local, one line per parameter derivative: reads like the notebook.
    Unrolled,
    /// The same math as whole-layer operations: compile time grows with the number of layers,
    /// not of parameters.
    Looped,
}

impl Form {
    /// Nets with at most this many parameters are unrolled when the spec does not say (and at
    /// most [`Form::UNROLLED_FLOPS_PER_PARAMETER`] operations per parameter in their forward pass).
    pub const UNROLLED_UP_TO: usize = 256;

    /// The most parameters a net may have when the spec asks for `form: unrolled`: one line per
    /// parameter, and past this rustc slows to a crawl and the binary bloats. Sixteen times the
    /// default's limit, so a spec may unroll a net somewhat larger than the default would.
    pub const UNROLLED_AT_MOST: usize = 16 * Self::UNROLLED_UP_TO;

    /// A dense layer's forward pass costs at most two operations per parameter; a layer that
    /// reuses its weights along a signal (a convolution, a recurrent cell) costs more per
    /// parameter, and its unrolled code grows with that work, not with its parameters. Both limits
    /// above also bound the forward operations, at this many per parameter allowed.
    pub const UNROLLED_FLOPS_PER_PARAMETER: usize = 2;

    /// The form of a net with `parameters` parameters and `flops` forward operations whose
    /// spec does not choose one.
    pub fn choose(parameters: usize, flops: usize) -> Form {
        let most = Self::UNROLLED_UP_TO;
        if parameters <= most && flops <= Self::UNROLLED_FLOPS_PER_PARAMETER * most {
            Form::Unrolled
        } else {
            Form::Looped
        }
    }
}

/// The number type of every parameter and value.
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

    /// Whether it is fixed point (integer arithmetic, saturating).
    pub fn is_fixed(self) -> bool {
        self == ScalarType::I16F16
    }

    /// Its name in the spec.
    pub fn name(self) -> &'static str {
        match self {
            ScalarType::F32 => "f32",
            ScalarType::F64 => "f64",
            ScalarType::I16F16 => "I16F16",
        }
    }

    /// Its type in generated code: `::core::primitive::f64` (or `f32`), never a user's type of
    /// the same name, or `::backprop_core::fixed::I16F16`.
    pub fn path(self) -> TokenStream {
        match self {
            ScalarType::F32 => quote!(::core::primitive::f32),
            ScalarType::F64 => quote!(::core::primitive::f64),
            ScalarType::I16F16 => quote!(::backprop_core::fixed::I16F16),
        }
    }

    /// The scalar a spec's `scalar` entry names, if it names one.
    pub fn named(name: &str) -> Option<Self> {
        [ScalarType::F32, ScalarType::F64, ScalarType::I16F16]
            .into_iter()
            .find(|scalar| scalar.name() == name)
    }
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
    /// A layer-wide activation with any other loss, through its Jacobian:
    /// `delta_o = y_o (dL/dy_o - sum_k dL/dy_k y_k)`.
    LayerJacobian,
}

impl Network {
    /// Number of outputs: the width of the last layer.
    pub fn outputs(&self) -> usize {
        self.output_layer().output.len()
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

    /// The activation of the last layer (check guarantees it has one).
    pub fn output_activation(&self) -> &Activation {
        &self.output_layer().applied
    }

    /// Total number of parameters.
    pub fn parameters(&self) -> usize {
        self.layers.iter().map(Layer::parameters).sum()
    }

    /// How the output deltas are formed (the loss's row knows its fusions).
    pub fn output_rule(&self) -> OutputRule {
        self.loss.output_rule(self.output_activation())
    }

    /// What layer `layer` reads: the input, or the layer before's output.
    pub fn layer_input(&self, layer: usize) -> Shape {
        self.layers[layer].input
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
