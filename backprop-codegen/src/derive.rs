//! Stage 4b: the program ([`crate::program`]) expanded scalar by scalar, for the unrolled form and
//! its `DERIVATION`: every quantity is an [`Equation`] over an [`Expr`] tree, in the order a person
//! derives them (pre-activations and activations layer by layer, the loss, the output deltas, the
//! hidden deltas bound once and shared, one closed form per parameter and per input).
//!
//! The same tree is rendered twice, as Rust by [`crate::expand`] and as text by [`text`], so the
//! code and its explanation cannot drift apart. Each op of the program expands here: the
//! activations, slopes and losses by [`crate::program`]'s own rules, a layer's forward pass,
//! backward pass and parameter derivatives by its kind ([`crate::layers::Kind`]).

mod expr;
mod render;
pub mod text;

pub use expr::{Dot, Expr, Function, Quantity, RuntimeFunction, minus, times};
pub use render::{Operator, Syntax};

use crate::model::Index;
use crate::program::{Op, Program, ValueId};

/// `defines = value`. Several quantities are defined at once only by a layer-wide activation
/// (softmax), which yields the whole layer.
#[derive(Clone, PartialEq, Debug)]
pub struct Equation {
    /// The quantities bound.
    pub defines: Vec<Quantity>,
    /// Their value.
    pub value: Expr,
}

impl Equation {
    /// `quantity = value`.
    pub fn new(quantity: Quantity, value: Expr) -> Equation {
        Equation {
            defines: vec![quantity],
            value,
        }
    }
}

/// The derivatives of one layer's parameters, tensor by tensor, each flat in row-major order.
pub struct LayerGradient {
    /// One closed form per parameter of each tensor.
    pub tensors: Vec<Vec<Expr>>,
}

/// The whole derivation of a network.
pub struct Derivation {
    /// Pre-activations and activations, layer by layer.
    pub forward: Vec<Equation>,
    /// The loss (and what it needs beyond the forward pass).
    pub loss: Vec<Equation>,
    /// `dL/dz` of the output layer.
    pub output_deltas: Vec<Equation>,
    /// `dL/dz` of the hidden layers, from the last hidden layer back to the first.
    pub hidden_deltas: Vec<Equation>,
    /// Parameter derivatives, layer by layer.
    pub parameters: Vec<LayerGradient>,
    /// `dL/d input[i]`, flat.
    pub inputs: Vec<Expr>,
}

/// Expands every op of the program into per-scalar equations.
pub fn derive(program: &Program) -> Derivation {
    let mut derivation = Derivation {
        forward: Vec::new(),
        loss: Vec::new(),
        output_deltas: Vec::new(),
        hidden_deltas: Vec::new(),
        parameters: Vec::new(),
        inputs: Vec::new(),
    };
    // The upstream slopes of the backward ops, consumed by the slope op that follows each.
    let mut upstream: Vec<Expr> = Vec::new();
    // Where the last forward op's equations start, so its activations can go node by node.
    let mut layer_start = 0;
    for op in &program.ops {
        match op {
            Op::Forward { .. } => {
                layer_start = derivation.forward.len();
                derivation.forward.extend(program.forward_scalars(op));
            }
            Op::Activate { layer, z, a } => {
                let activations = program.activation_scalars(*layer, *z, *a);
                interleave(&mut derivation.forward, layer_start, activations);
            }
            Op::Loss => derivation.loss = program.loss_scalars(),
            Op::OutputDelta => derivation.output_deltas = program.output_delta_scalars(),
            // A layer's own backward quantities (a recurrent layer's step deltas) are bound with
            // the deltas, before the parameter derivatives that read them too.
            Op::Deltas { layer } => derivation
                .hidden_deltas
                .extend(program.backward_scalars(*layer).0),
            Op::Backward { layer, .. } => {
                let (steps, values) = program.backward_scalars(*layer);
                if !program.network.layers[*layer].kind.caches() {
                    derivation.hidden_deltas.extend(steps);
                }
                if *layer == 0 {
                    derivation.inputs = values;
                } else {
                    upstream = values;
                }
            }
            Op::Slope { layer, delta, .. } => derivation
                .hidden_deltas
                .extend(program.slope_scalars(*layer, *delta, std::mem::take(&mut upstream))),
            Op::Gradient { .. } => derivation.parameters.push(LayerGradient {
                tensors: program.gradient_scalars(op),
            }),
        }
    }
    derivation
}

/// Appends a layer's activations after its pre-activations, node by node as in the notebook
/// (`z_0`, `a_0`, `z_1`, `a_1`) when there is one of each per node; a layer-wide activation comes
/// after the whole layer.
fn interleave(forward: &mut Vec<Equation>, start: usize, activations: Vec<Equation>) {
    if forward.len() - start != activations.len() {
        forward.extend(activations);
        return;
    }
    let pre_activations = forward.split_off(start);
    for (z, a) in pre_activations.into_iter().zip(activations) {
        forward.extend([z, a]);
    }
}

/// `quantity` as an expression.
pub fn quantity(quantity: Quantity) -> Expr {
    Expr::Quantity(quantity)
}

/// Element `index` of a value of the program.
pub fn value(value: ValueId, index: Index) -> Expr {
    Expr::Quantity(Quantity::Value { value, index })
}

/// The number of partial sums of a forward dot product: the same for every scalar type and every
/// machine. It must equal `backprop_core::kernel::LANES`, which the runtime's kernels follow (the
/// test suite checks that the two agree).
pub const LANES: usize = 8;

impl Derivation {
    /// Every equation, in the order a person derives them.
    pub fn equations(&self) -> impl DoubleEndedIterator<Item = &Equation> {
        self.forward
            .iter()
            .chain(&self.loss)
            .chain(&self.output_deltas)
            .chain(&self.hidden_deltas)
    }
}

/// The equations needed to compute `roots`, in derivation order: an equation is kept when a root
/// or a later kept equation reads a quantity it defines. This keeps each generated function free
/// of unused locals (and so of warnings), whatever it returns.
pub fn needed<'a>(
    equations: impl DoubleEndedIterator<Item = &'a Equation>,
    roots: &[&Expr],
) -> Vec<&'a Equation> {
    let mut live = std::collections::HashSet::new();
    for root in roots {
        root.for_each_quantity(&mut |quantity| {
            live.insert(quantity);
        });
    }
    let mut kept: Vec<&Equation> = equations
        .rev()
        .filter(|equation| {
            let needed = equation
                .defines
                .iter()
                .any(|quantity| live.contains(quantity));
            if needed {
                equation.value.for_each_quantity(&mut |quantity| {
                    live.insert(quantity);
                });
            }
            needed
        })
        .collect();
    kept.reverse();
    kept
}
