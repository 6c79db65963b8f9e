//! The layer kinds. A kind is one module here and one in the runtime: its grammar and options,
//! its shape rules, its parameter tensors, and what it computes forward and backward in each
//! syntax the macro writes (per scalar for the unrolled form and its `DERIVATION`, whole-layer
//! calls for the looped form and the batched path, a line of the printed program, its costs),
//! plus which scalars and quantisations it supports. Every stage asks the kind through [`Kind`]
//! and never names one, so adding a kind is a module here, its row in [`BUILDERS`], and its
//! runtime module.

mod context;
pub mod conv1d;
mod count;
pub mod dense;
pub mod gru;
pub mod pool;
mod signal;

pub use context::{Calls, Io, Names};
pub use count::Count;

use crate::check::Errors;
use crate::derive::{Equation, Expr};
use crate::model::{Activation, ScalarType, Shape};
use crate::parse::{Call, Value};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Every layer kind, in the order the docs list them.
pub static BUILDERS: &[&dyn Builder] = &[
    &dense::BUILDER,
    &conv1d::BUILDER,
    &conv1d::DEPTHWISE,
    &pool::MAX,
    &pool::AVERAGE,
    &pool::GLOBAL,
    &gru::BUILDER,
];

/// The names of every kind: `dense`, ...
pub fn names() -> Vec<&'static str> {
    BUILDERS
        .iter()
        .map(|builder| builder.grammar().name)
        .collect()
}

/// The kind named `name`.
pub fn builder(name: &str) -> Option<&'static dyn Builder> {
    BUILDERS
        .iter()
        .copied()
        .find(|builder| builder.grammar().name == name)
}

/// How a kind is written in a spec, and how a layer of it is built once its arguments are read.
pub trait Builder: Sync {
    /// The grammar of its entry.
    fn grammar(&self) -> &'static Grammar;

    /// The layer, from its arguments (already read by the grammar) and what it reads, or `None`
    /// after recording at `errors` each shape rule the arguments break against the input.
    fn build(&self, arguments: &Arguments, input: Shape, errors: &Errors) -> Option<Box<dyn Kind>>;
}

/// What a kind's entry takes: `dense(width, activation)`, `conv1d(out, kernel, activation,
/// stride = 2)`.
pub struct Grammar {
    /// The kind's name in the spec.
    pub name: &'static str,
    /// The positional arguments, in order.
    pub positional: &'static [Positional],
    /// Bare words that may follow them (`gru(8, sequence)`).
    pub flags: &'static [&'static str],
    /// The named options (`stride = 2`), each with its default.
    pub options: &'static [Option_],
    /// The entry as messages write it: `dense(width, activation)`.
    pub signature: &'static str,
    /// An example: `dense(4, relu)`.
    pub example: &'static str,
    /// What it may read.
    pub reads: Reads,
}

/// A positional argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Positional {
    /// A positive integer; the name messages call it by (`the width`).
    Count(&'static str),
    /// The activation.
    Activation,
}

/// A named option: `stride = 2`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Option_ {
    /// Its name.
    pub name: &'static str,
    /// The smallest value it takes.
    pub minimum: usize,
    /// Its value when left out.
    pub default: usize,
}

/// What a kind may read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reads {
    /// A vector, or a signal read flattened channel-major (`dense`).
    Anything,
    /// A signal `[C, L]` only.
    Signal,
}

/// A layer entry's arguments, read by its grammar; each keeps the tokens it came from so a shape
/// rule can point at them.
pub struct Arguments<'a> {
    /// The whole entry's value, `dense(4, relu)`.
    pub call: &'a Call,
    /// The counts, in the grammar's order, each with its tokens.
    pub counts: Vec<(usize, &'a Value)>,
    /// The activation, when the grammar takes one, and the tokens that name it.
    pub activation: Option<Activation>,
    /// The tokens that name the activation.
    pub activation_at: Option<&'a Value>,
    /// The flags given.
    pub flags: Vec<&'static str>,
    /// Every option: as given (with its tokens) or its default.
    pub options: Vec<(&'static str, usize, Option<&'a Value>)>,
}

impl Arguments<'_> {
    /// The value of option `name` (given or default).
    pub fn option(&self, name: &str) -> usize {
        self.options
            .iter()
            .find(|(option, ..)| *option == name)
            .map_or(0, |(_, value, _)| *value)
    }

    /// Whether flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.contains(&name)
    }
}

/// One parameter tensor of a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tensor {
    /// The field of the runtime type that holds it: `weights`.
    pub field: &'static str,
    /// Its name in PyTorch's `state_dict`, after the layer's: `weight`.
    pub torch: &'static str,
    /// The extents of its field, outermost first.
    pub dims: Vec<usize>,
    /// Its extents in PyTorch, the same values in the same row-major order (a depthwise
    /// kernel's `[C, K]` field is torch's `[C, 1, K]`).
    pub torch_dims: Vec<usize>,
    /// Inputs that feed each output it weighs (for He and Xavier initialisation).
    pub fan_in: usize,
    /// Outputs each input feeds.
    pub fan_out: usize,
    /// Whether it is a bias (initialised to zero).
    pub bias: bool,
}

/// The backward pass of a layer, per scalar: what it binds of its own, and the slope of the loss
/// for each of its inputs, flat in row-major order.
pub struct Backward {
    /// Equations the layer binds on the way back (a recurrent cell's step deltas).
    pub steps: Vec<Equation>,
    /// `dL/d input` of the layer, per input scalar.
    pub input: Vec<Expr>,
}

/// A value a layer keeps from its forward pass for its backward pass (a recurrent cell's gates).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    /// Its prefix: `r` for the reset gates, bound as `r_{layer}`.
    pub prefix: &'static str,
    /// Its extents.
    pub dims: Vec<usize>,
}

/// What a layer of some kind computes, with the options the spec gave it.
pub trait Kind {
    /// The entry as the spec wrote it, normalised: `dense(2, relu)`.
    fn describe(&self) -> String;

    /// The shape it writes.
    fn output(&self) -> Shape;

    /// What its field holds, for the field's rustdoc: `weights[j][i]` multiplies input `i` of
    /// node `j`.
    fn doc(&self) -> String;

    /// The activation of its pre-activations, if the kind has one.
    fn activation(&self) -> Option<&Activation>;

    /// Its parameter tensors, in the order of the runtime type's fields.
    fn tensors(&self) -> Vec<Tensor>;

    /// The values it keeps from the forward pass for the backward pass, per scalar (the unrolled
    /// form binds each).
    fn saved(&self) -> Vec<Saved> {
        Vec::new()
    }

    /// Whether its whole-layer calls keep a cache from the forward pass for the backward pass
    /// (a local the looped form binds and passes to both).
    fn caches(&self) -> bool {
        false
    }

    /// The runtime type of that cache, with a `ZERO` constant the looped form starts it from
    /// (named rather than `Default::default()`, so that the binding says what it holds).
    fn cache_type(&self, scalar: &TokenStream) -> TokenStream {
        let _ = scalar;
        quote!(())
    }

    /// The formulas of the functions it computes inside itself (a recurrent cell's gates), for
    /// the legend of `DERIVATION`, as a net of `scalar` computes them.
    fn legend(&self, scalar: ScalarType) -> Vec<String> {
        let _ = scalar;
        Vec::new()
    }

    /// The runtime type of its field: `::backprop_core::Dense<T, 2, 3>`.
    fn runtime_type(&self, scalar: &TokenStream) -> TokenStream;

    /// The runtime type's name, `Dense`: `::backprop_core::Dense::ZERO` is its zero layer.
    fn runtime_name(&self) -> &'static str;

    /// The forward pass per scalar: equations defining each element of its output (its
    /// pre-activations when it has an activation) and of what it saves.
    fn forward_scalars(&self, io: &Io) -> Vec<Equation>;

    /// The backward pass per scalar, from the deltas of its output.
    fn backward_scalars(&self, io: &Io) -> Backward;

    /// The derivative of the loss for each parameter, tensor by tensor, flat in row-major order.
    fn gradient_scalars(&self, io: &Io) -> Vec<Vec<Expr>>;

    /// The forward pass as an expression of the runtime: its output array.
    fn forward_call(&self, calls: &Calls) -> TokenStream;

    /// The backward pass as an expression of the runtime: the slopes of its input, an array.
    fn backward_call(&self, calls: &Calls) -> TokenStream;

    /// The parameter derivatives stored through `store` into `calls.gradient`: statements.
    fn gradient_call(&self, calls: &Calls) -> TokenStream;

    /// A caching kind's own deltas into its cache, from the deltas of its output: statements.
    fn deltas_call(&self, _calls: &Calls) -> TokenStream {
        TokenStream::new()
    }

    /// Those deltas as lines of the printed program.
    fn deltas_text(&self, _names: &Names) -> Vec<String> {
        Vec::new()
    }

    /// Operations of those deltas.
    fn deltas_flops(&self) -> usize {
        0
    }

    /// The forward pass as lines of the printed program.
    fn forward_text(&self, names: &Names) -> Vec<String>;

    /// The backward pass as lines of the printed program: the slopes of its input.
    fn backward_text(&self, names: &Names) -> Vec<String>;

    /// The parameter derivatives as lines of the printed program.
    fn gradient_text(&self, names: &Names) -> Vec<String>;

    /// Operations of its forward pass (an activation counts apart).
    fn forward_flops(&self) -> usize;

    /// Operations of its backward pass, to the slopes of its input.
    fn backward_flops(&self) -> usize;

    /// Operations of its parameter derivatives.
    fn gradient_flops(&self) -> usize;

    /// Whether its forward pass per scalar is plain arithmetic, which a `const fn` can compute.
    fn const_forward(&self) -> bool {
        false
    }

    /// Whether a `scalar: I16F16` net may hold it.
    fn fixed_point(&self) -> bool;

    /// Its whole-block kernels, if it has them; a net of kinds that all do runs its batched path
    /// through blocks of samples, any other sample by sample.
    fn batch(&self) -> Option<&dyn Batch> {
        None
    }

    /// Its int8 form, if `quantize: int8` may hold it.
    fn int8(&self) -> Option<&dyn Int8> {
        None
    }

    /// The edges of the graph drawn node by node, `(to, from, label)`, for small nets.
    fn edges(&self) -> Vec<(usize, usize, String)>;
}

/// A layer kind's kernels over a block of samples (rows of `calls.input`, `calls.delta`).
pub trait Batch {
    /// The forward pass of a block: statements writing `calls.outputs` (rows).
    fn forward_batch_call(&self, calls: &Calls) -> TokenStream;

    /// The backward pass of a block: statements writing the input slopes `calls.outputs`.
    fn backward_batch_call(&self, calls: &Calls) -> TokenStream;

    /// The parameter derivatives of a block added to `calls.gradient`, sample after sample.
    fn gradient_batch_call(&self, calls: &Calls) -> TokenStream;
}

/// A layer kind's int8 form (`quantize: int8`): its type, forward pass and quantisation.
pub trait Int8 {
    /// The runtime type of its int8 field, given the int8 form of its activation (`Clamp`).
    fn int8_type(&self, activation: &TokenStream) -> TokenStream;

    /// Its int8 forward pass of `input` (an `&[i8; N]`-like expression): its output codes.
    fn int8_forward(&self, field: &TokenStream, input: &TokenStream) -> TokenStream;

    /// The call of its int8 type's `constructor` (the activation's int8 strategy, from the
    /// catalogue) that quantises it, with `arguments`: the layer and the quantisations.
    fn int8_quantize(&self, constructor: &TokenStream, arguments: &TokenStream) -> TokenStream;
}

/// `::backprop_core::#name`: a runtime type.
pub fn runtime_path(name: &str) -> TokenStream {
    let name = Ident::new(name, proc_macro2::Span::call_site());
    quote!(::backprop_core::#name)
}

/// `::backprop_core::Dense::ZERO`: a kind's zero layer, its generic arguments inferred.
pub fn zero(kind: &dyn Kind) -> TokenStream {
    let path = runtime_path(kind.runtime_name());
    quote!(#path::ZERO)
}
