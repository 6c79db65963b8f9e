//! Stage 4: the symbolic derivation, in the order a person derives backpropagation by hand:
//! pre-activations and activations layer by layer, the loss, the output deltas `dL/dz`, the hidden
//! deltas (each bound once and shared), then one closed form per parameter and per input.
//!
//! Every quantity is an [`Equation`] over an [`Expr`] tree. The same tree is rendered twice: as
//! Rust by [`crate::expand`] and as the text of `DERIVATION` by [`text`], so the code and its
//! explanation cannot drift apart. Summation order is fixed here (`canonical_sum`: eight interleaved
//! lanes, then the lanes left to right, then the bias), so every rendering computes bit-identical
//! results.

pub mod layers;
mod render;
pub mod text;

pub use render::{Operator, Syntax};

use layers::Step;

use crate::model::{Activation, Network, OutputRule};

/// A named scalar of the derivation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Quantity {
    /// `input[i]`.
    Input(usize),
    /// `target[o]`.
    Target(usize),
    /// `weights[node][from]` of a layer.
    Weight {
        /// Layer index.
        layer: usize,
        /// The node the weight feeds.
        node: usize,
        /// The input it multiplies.
        from: usize,
    },
    /// `bias[node]` of a layer.
    Bias {
        /// Layer index.
        layer: usize,
        /// The node.
        node: usize,
    },
    /// `z`: a node's weighted sum plus bias.
    PreActivation {
        /// Layer index.
        layer: usize,
        /// The node.
        node: usize,
    },
    /// `a = act(z)`: a node's output.
    Activation {
        /// Layer index.
        layer: usize,
        /// The node.
        node: usize,
    },
    /// `delta = dL/dz`, shared by every derivative that flows through the node.
    Delta {
        /// Layer index.
        layer: usize,
        /// The node.
        node: usize,
    },
    /// `dL/da` of an output, when softmax needs it for every output at once.
    LossSlope(usize),
    /// `sum_k dL/da_k * a_k`, the shared term of a layer-wide activation's Jacobian.
    JacobianDot,
    /// `ln sum_o e^z_o` of the output pre-activations.
    LogSumExp,
    /// `sum_o t_o`, which is 1 for a one-hot target.
    TargetSum,
    /// The loss `L`.
    Loss,
}

/// An expression over quantities. Sums and products associate to the left in the order given.
#[derive(Clone, PartialEq, Debug)]
pub enum Expr {
    /// A named quantity.
    Quantity(Quantity),
    /// `e_0 + e_1 + ...`, left to right.
    Sum(Vec<Expr>),
    /// `e_0 * e_1 * ...`, left to right.
    Product(Vec<Expr>),
    /// `e_0 - e_1`.
    Difference(Box<Expr>, Box<Expr>),
    /// `e / count`: the mean over the outputs.
    Mean(Box<Expr>, usize),
    /// A function of the runtime applied to arguments.
    Call(Function, Vec<Expr>),
}

/// The runtime functions a derivation calls.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Function {
    /// The activation of the given layer, of `[z]`.
    Activate(usize),
    /// The derivative of the given layer's activation, of `[z, a]`.
    Slope(usize),
    /// The layer-wide activation (softmax) of all the output pre-activations, giving all the
    /// activations.
    ActivateLayer,
    /// `ln sum e^z` of all the output pre-activations.
    LogSumExp,
    /// One output's term of the loss, of `[y, t]`.
    LossTerm,
    /// That term's derivative in `y`, of `[y, t]`.
    LossSlope,
    /// One output's fused loss term from its logit (sigmoid with binary cross-entropy or
    /// cross-entropy), of `[z, t]`.
    LogitTerm,
    /// One output's share of a fused loss by log-sum-exp (softmax with cross-entropy), of
    /// `[z, log_sum_exp, t]`.
    LogSumExpTerm,
}

/// `defines = value`. Several quantities are defined at once only by softmax, which yields a whole
/// layer.
#[derive(Clone, PartialEq, Debug)]
pub struct Equation {
    /// The quantities bound.
    pub defines: Vec<Quantity>,
    /// Their value.
    pub value: Expr,
}

/// The derivatives of one layer's parameters: `dL/dW[j][i] = delta_j a_i`, `dL/db_j = delta_j`.
pub struct LayerGradient {
    /// One row per node, one entry per input.
    pub weights: Vec<Vec<Expr>>,
    /// One entry per node.
    pub bias: Vec<Expr>,
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
    /// `dL/d input[i]`.
    pub inputs: Vec<Expr>,
}

/// Derives the forward pass and every derivative of the network's loss: each step of the layer-level
/// derivation ([`layers::steps`]) expanded into one equation per scalar.
pub fn derive(network: &Network) -> Derivation {
    let mut derivation = Derivation {
        forward: Vec::new(),
        loss: Vec::new(),
        output_deltas: Vec::new(),
        hidden_deltas: Vec::new(),
        parameters: Vec::new(),
        inputs: Vec::new(),
    };
    for step in layers::steps(network) {
        match step {
            Step::Forward(layer) => derivation.forward.extend(forward(network, layer)),
            Step::Loss => derivation.loss = loss(network),
            Step::OutputDelta => derivation.output_deltas = output_deltas(network),
            Step::HiddenDelta(layer) => derivation
                .hidden_deltas
                .extend(hidden_deltas(network, layer)),
            Step::Gradient(layer) => derivation.parameters.push(layer_gradient(network, layer)),
            Step::InputGradient => {
                derivation.inputs = (0..network.inputs)
                    .map(|input| back_through(network, 0, input))
                    .collect();
            }
        }
    }
    derivation
}

fn quantity(quantity: Quantity) -> Expr {
    Expr::Quantity(quantity)
}

/// The `i`-th input of a layer: the network's input for the first layer, else the activation of
/// the layer before.
fn layer_input(layer: usize, index: usize) -> Expr {
    match layer {
        0 => quantity(Quantity::Input(index)),
        _ => quantity(Quantity::Activation {
            layer: layer - 1,
            node: index,
        }),
    }
}

/// `z_j = w_j0 a_0 + w_j1 a_1 + ... + b_j` and `a_j = act(z_j)` for every node of a layer.
fn forward(network: &Network, layer: usize) -> Vec<Equation> {
    let mut equations = Vec::new();
    let spec = &network.layers[layer];
    let layer_wide = spec.activation.is_layer_wide();
    for node in 0..spec.outputs {
        let products = (0..spec.inputs).map(|from| {
            Expr::Product(vec![
                quantity(Quantity::Weight { layer, node, from }),
                layer_input(layer, from),
            ])
        });
        equations.push(Equation {
            defines: vec![Quantity::PreActivation { layer, node }],
            value: canonical_sum(products.collect(), quantity(Quantity::Bias { layer, node })),
        });
        // Node by node, as in the notebook; softmax needs the whole layer first.
        if !layer_wide {
            equations.push(activation(layer, node, &spec.activation));
        }
    }
    if layer_wide {
        equations.push(Equation {
            defines: (0..spec.outputs)
                .map(|node| Quantity::Activation { layer, node })
                .collect(),
            value: Expr::Call(
                Function::ActivateLayer,
                (0..spec.outputs)
                    .map(|node| quantity(Quantity::PreActivation { layer, node }))
                    .collect(),
            ),
        });
    }
    equations
}

/// The number of partial sums of a forward dot product: the same for every scalar type and every
/// machine. It must equal `backprop_core::kernel::LANES`, which the runtime's kernels follow (the
/// test suite checks that the two agree).
pub const LANES: usize = 8;

/// `sum_i product_i + bias` in the canonical order every form and kernel follows: lane `k` sums
/// the products `k, k + LANES, k + 2 LANES, ...` in order from its first, the lanes are added left
/// to right, then the bias. With `LANES` or fewer products this is plain left to right, bias last.
/// The order lets SIMD keep `LANES` independent sums in flight, yet fixes every rounding, so the
/// unrolled form, the looped form, the batched path and every instruction set give the same bits.
fn canonical_sum(products: Vec<Expr>, bias: Expr) -> Expr {
    let mut terms = if products.len() <= LANES {
        products
    } else {
        let mut lanes: Vec<Vec<Expr>> = vec![Vec::new(); LANES];
        for (index, product) in products.into_iter().enumerate() {
            lanes[index % LANES].push(product);
        }
        lanes
            .into_iter()
            .map(|mut lane| match lane.len() {
                1 => lane.remove(0),
                _ => Expr::Sum(lane),
            })
            .collect()
    };
    terms.push(bias);
    Expr::Sum(terms)
}

/// `a_j = act(z_j)` of one node (just `z_j` for the identity).
fn activation(layer: usize, node: usize, activation: &Activation) -> Equation {
    let pre_activation = quantity(Quantity::PreActivation { layer, node });
    Equation {
        defines: vec![Quantity::Activation { layer, node }],
        value: if activation.is_unchanged() {
            pre_activation
        } else {
            Expr::Call(Function::Activate(layer), vec![pre_activation])
        },
    }
}

/// `L`: the sum (or mean) over the outputs of each output's term, from the logits where the
/// output activation and the loss fuse into a stable form.
fn loss(network: &Network) -> Vec<Equation> {
    let last = network.layers.len() - 1;
    let outputs = network.outputs();
    let z = |node| quantity(Quantity::PreActivation { layer: last, node });
    let a = |node| quantity(Quantity::Activation { layer: last, node });
    let t = |node| quantity(Quantity::Target(node));
    let mut equations = Vec::new();
    let term = |node| match network.output_rule() {
        OutputRule::ActivationMinusTarget | OutputRule::FusedSlope => {
            Expr::Call(Function::LogitTerm, vec![z(node), t(node)])
        }
        OutputRule::NormalisedLogits => Expr::Call(
            Function::LogSumExpTerm,
            vec![z(node), quantity(Quantity::LogSumExp), t(node)],
        ),
        OutputRule::Elementwise | OutputRule::LayerJacobian => {
            Expr::Call(Function::LossTerm, vec![a(node), t(node)])
        }
    };
    if network.output_rule() == OutputRule::NormalisedLogits {
        equations.push(Equation {
            defines: vec![Quantity::LogSumExp],
            value: Expr::Call(Function::LogSumExp, (0..outputs).map(z).collect()),
        });
    }
    let total = Expr::Sum((0..outputs).map(term).collect());
    equations.push(Equation {
        defines: vec![Quantity::Loss],
        value: mean_if(network, total),
    });
    equations
}

/// Divides by the number of outputs when the loss is a mean (and there is more than one).
fn mean_if(network: &Network, expr: Expr) -> Expr {
    match network.outputs() {
        count if network.loss.is_mean() && count > 1 => Expr::Mean(Box::new(expr), count),
        _ => expr,
    }
}

/// `delta_o = dL/dz_o` of the output layer, by the rule that fits its activation and loss.
fn output_deltas(network: &Network) -> Vec<Equation> {
    let layer = network.layers.len() - 1;
    let outputs = network.outputs();
    let a = |node| quantity(Quantity::Activation { layer, node });
    let t = |node| quantity(Quantity::Target(node));
    let delta = |node, value| Equation {
        defines: vec![Quantity::Delta { layer, node }],
        value,
    };
    let loss_slope = |node| {
        mean_if(
            network,
            Expr::Call(Function::LossSlope, vec![a(node), t(node)]),
        )
    };
    match network.output_rule() {
        OutputRule::Elementwise => (0..outputs)
            .map(|node| delta(node, times_slope(network, layer, node, loss_slope(node))))
            .collect(),
        // `t (y - 1)`, from the sigmoid's value: finite where `act' * dL/dy = y (1 - y) * -t / y`
        // would divide by an underflowed `y`.
        OutputRule::FusedSlope => (0..outputs)
            .map(|node| {
                delta(
                    node,
                    Expr::Call(Function::LossSlope, vec![a(node), t(node)]),
                )
            })
            .collect(),
        OutputRule::ActivationMinusTarget => (0..outputs)
            .map(|node| {
                delta(
                    node,
                    mean_if(
                        network,
                        Expr::Difference(Box::new(a(node)), Box::new(t(node))),
                    ),
                )
            })
            .collect(),
        OutputRule::NormalisedLogits => {
            let target_sum = Equation {
                defines: vec![Quantity::TargetSum],
                value: Expr::Sum((0..outputs).map(t).collect()),
            };
            let deltas = (0..outputs).map(|node| {
                let scaled = Expr::Product(vec![a(node), quantity(Quantity::TargetSum)]);
                delta(node, Expr::Difference(Box::new(scaled), Box::new(t(node))))
            });
            std::iter::once(target_sum).chain(deltas).collect()
        }
        OutputRule::LayerJacobian => {
            let slopes = (0..outputs).map(|node| Equation {
                defines: vec![Quantity::LossSlope(node)],
                value: loss_slope(node),
            });
            let dot = Equation {
                defines: vec![Quantity::JacobianDot],
                value: Expr::Sum(
                    (0..outputs)
                        .map(|k| Expr::Product(vec![quantity(Quantity::LossSlope(k)), a(k)]))
                        .collect(),
                ),
            };
            let deltas = (0..outputs).map(|node| {
                let centred = Expr::Difference(
                    Box::new(quantity(Quantity::LossSlope(node))),
                    Box::new(quantity(Quantity::JacobianDot)),
                );
                delta(node, Expr::Product(vec![a(node), centred]))
            });
            slopes.chain(std::iter::once(dot)).chain(deltas).collect()
        }
    }
}

/// `act'(z_j) * upstream`, or just `upstream` for the identity, whose derivative is 1.
fn times_slope(network: &Network, layer: usize, node: usize, upstream: Expr) -> Expr {
    if network.layers[layer].is_unchanged() {
        return upstream;
    }
    let z = quantity(Quantity::PreActivation { layer, node });
    let a = quantity(Quantity::Activation { layer, node });
    Expr::Product(vec![
        Expr::Call(Function::Slope(layer), vec![z, a]),
        upstream,
    ])
}

/// `sum_k w_kj delta_k` over the nodes `k` of `layer`: how the loss flows back into input `from`
/// of `layer`, which is the previous layer's activation (or the network's input for layer 0).
fn back_through(network: &Network, layer: usize, from: usize) -> Expr {
    let terms = (0..network.layers[layer].outputs)
        .map(|node| {
            Expr::Product(vec![
                quantity(Quantity::Weight { layer, node, from }),
                quantity(Quantity::Delta { layer, node }),
            ])
        })
        .collect();
    Expr::Sum(terms)
}

/// `delta_j = act'(z_j) * sum_k w_kj delta_k` for every node of a hidden layer.
fn hidden_deltas(network: &Network, layer: usize) -> Vec<Equation> {
    (0..network.layers[layer].outputs)
        .map(|node| Equation {
            defines: vec![Quantity::Delta { layer, node }],
            value: times_slope(network, layer, node, back_through(network, layer + 1, node)),
        })
        .collect()
}

/// `dL/dW[j][i] = delta_j * a_i` and `dL/db_j = delta_j` for one layer.
fn layer_gradient(network: &Network, layer: usize) -> LayerGradient {
    let spec = &network.layers[layer];
    let delta = |node| quantity(Quantity::Delta { layer, node });
    LayerGradient {
        weights: (0..spec.outputs)
            .map(|node| {
                (0..spec.inputs)
                    .map(|from| Expr::Product(vec![delta(node), layer_input(layer, from)]))
                    .collect()
            })
            .collect(),
        bias: (0..spec.outputs).map(delta).collect(),
    }
}

impl Expr {
    /// Calls `visit` on every quantity the expression reads.
    pub fn for_each_quantity(&self, visit: &mut impl FnMut(Quantity)) {
        match self {
            Expr::Quantity(quantity) => visit(*quantity),
            Expr::Sum(terms) | Expr::Product(terms) | Expr::Call(_, terms) => {
                for term in terms {
                    term.for_each_quantity(visit);
                }
            }
            Expr::Difference(left, right) => {
                left.for_each_quantity(visit);
                right.for_each_quantity(visit);
            }
            Expr::Mean(inner, _) => inner.for_each_quantity(visit),
        }
    }
}

impl Expr {
    /// Floating-point operations to evaluate the expression, counted as `model`'s costs count
    /// them: one per `+ - * /` and per function call, `n` for softmax or log-sum-exp of `n` values.
    pub fn operations(&self) -> usize {
        match self {
            Expr::Quantity(_) => 0,
            Expr::Sum(terms) | Expr::Product(terms) => {
                terms.len().saturating_sub(1) + terms.iter().map(Expr::operations).sum::<usize>()
            }
            Expr::Difference(left, right) => 1 + left.operations() + right.operations(),
            Expr::Mean(inner, _) => 1 + inner.operations(),
            Expr::Call(function, arguments) => {
                let own = match function {
                    Function::ActivateLayer | Function::LogSumExp => arguments.len(),
                    _ => 1,
                };
                own + arguments.iter().map(Expr::operations).sum::<usize>()
            }
        }
    }
}

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
