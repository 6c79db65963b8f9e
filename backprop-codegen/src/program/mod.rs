//! Stage 4: the layer-level program. A checked net is lowered once into ops that carry their
//! operands, in the order a person derives backpropagation: each layer forward (its kind's op,
//! then its activation), the loss, the output deltas by the output rule decided here once, the
//! deltas back through each layer (its kind's backward op, then the slope of the activation
//! below), each layer's parameter derivatives, and the input derivatives.
//!
//! Every form renders this one program: [`crate::derive`] expands each op per scalar (the unrolled
//! form and its `DERIVATION`); the looped form and the batched path render each op as whole-layer
//! calls; [`text`] prints it (the looped form's `DERIVATION`, as a jaxpr prints JAX's program);
//! [`costs`] sums the operations of its ops; int8 and Q16.16 render the same ops.

pub mod costs;
pub mod output;
mod scalars;
pub mod text;

use crate::builtins::LOG_SUM_EXP;
use crate::model::{Network, OutputRule, Shape};

/// A value the program binds: an index into [`Program::values`].
pub type ValueId = usize;

/// What an op reads: the net's input, or a value of the program.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// The net's input.
    Input,
    /// A value bound before.
    Value(ValueId),
}

/// A named array the program binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// Its name in the code: `z_hidden`, `loss`; an element of it is `z_hidden_0` when unrolled.
    pub name: String,
    /// Its name in the derivation text: `z_hidden`, `L`.
    pub text: String,
    /// Its extents, outermost first; none for a scalar.
    pub dims: Vec<usize>,
}

/// One op of the program.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Op {
    /// A layer's own forward op: `output = layer(input)` (its pre-activations when it has an
    /// activation), keeping `saved` for the backward pass.
    Forward {
        /// The layer.
        layer: usize,
        /// What it reads.
        input: Source,
        /// What it writes.
        output: ValueId,
    },
    /// `a = act(z)`, elementwise or over the whole layer.
    Activate {
        /// The layer.
        layer: usize,
        /// Its pre-activations.
        z: ValueId,
        /// Its activations.
        a: ValueId,
    },
    /// The loss, by the output rule.
    Loss,
    /// The deltas of the output layer, by the output rule.
    OutputDelta,
    /// A layer's backward op: the slopes of the loss for its input, from its deltas.
    Backward {
        /// The layer.
        layer: usize,
        /// Its deltas.
        delta: ValueId,
        /// The slopes of its input: the layer below's upstream, or the input gradient.
        upstream: ValueId,
    },
    /// A layer's own deltas, from the deltas of its output, kept for its backward op and its
    /// parameter derivatives (a recurrent cell's step deltas, backpropagation through time).
    Deltas {
        /// The layer.
        layer: usize,
    },
    /// `delta = act'(z) * upstream` of a layer (just the upstream without an activation).
    Slope {
        /// The layer whose deltas these are.
        layer: usize,
        /// The slopes of its output, from the layer above.
        upstream: ValueId,
        /// Its deltas.
        delta: ValueId,
    },
    /// A layer's parameter derivatives.
    Gradient {
        /// The layer.
        layer: usize,
        /// Its deltas.
        delta: ValueId,
        /// What it read.
        input: Source,
    },
}

/// The values of one layer.
#[derive(Clone, Debug)]
pub struct LayerValues {
    /// What it reads.
    pub input: Source,
    /// Its pre-activations, when it has an activation.
    pub z: Option<ValueId>,
    /// Its output.
    pub a: ValueId,
    /// `dL/dz` (or `dL/da` without an activation).
    pub delta: ValueId,
    /// The slopes of its output from the layer above (none for the output layer).
    pub upstream: Option<ValueId>,
    /// What it keeps for the backward pass.
    pub saved: Vec<ValueId>,
}

impl LayerValues {
    /// What its own forward op writes: `z`, or `a` without an activation.
    pub fn written(&self) -> ValueId {
        self.z.unwrap_or(self.a)
    }
}

/// The values of the loss and the output rule.
#[derive(Clone, Debug)]
pub struct LossValues {
    /// `L`.
    pub loss: ValueId,
    /// `dL/dy` of each output, bound when the rule needs it apart (a layer-wide activation
    /// with another loss).
    pub slope: ValueId,
    /// `sum_k dL/dy_k y_k`.
    pub dot: ValueId,
    /// `ln sum_o e^z_o`.
    pub normaliser: ValueId,
    /// `sum_o t_o`.
    pub target_sum: ValueId,
}

/// The program of one net.
pub struct Program<'n> {
    /// The net.
    pub network: &'n Network,
    /// Every value, by id.
    pub values: Vec<Value>,
    /// The ops, in order.
    pub ops: Vec<Op>,
    /// The values of each layer.
    pub layers: Vec<LayerValues>,
    /// The values of the loss.
    pub loss: LossValues,
    /// `dL/d input`.
    pub input_gradient: ValueId,
    /// How the output deltas are formed, decided once.
    pub rule: OutputRule,
}

/// Lowers a checked net into its program.
pub fn lower(network: &Network) -> Program<'_> {
    let mut lowering = Lowering::default();
    let mut layers = lowering.forward(network);
    let loss = lowering.loss(network);
    lowering.backward(network, &mut layers);
    let input_gradient = lowering.bind(
        "input_gradient".into(),
        "dL/d input".into(),
        network.input.dims(),
    );
    lowering.ops.push(Op::Backward {
        layer: 0,
        delta: layers[0].delta,
        upstream: input_gradient,
    });
    Program {
        network,
        values: lowering.values,
        ops: lowering.ops,
        layers,
        loss,
        input_gradient,
        rule: network.output_rule(),
    }
}

/// The values and ops of a program, as [`lower`] writes them.
#[derive(Default)]
struct Lowering {
    values: Vec<Value>,
    ops: Vec<Op>,
}

impl Lowering {
    /// A new value.
    fn bind(&mut self, name: String, text: String, dims: Vec<usize>) -> ValueId {
        self.values.push(Value { name, text, dims });
        self.values.len() - 1
    }

    /// Each layer's forward op, and its activation's: the layers' values.
    fn forward(&mut self, network: &Network) -> Vec<LayerValues> {
        let mut layers = Vec::new();
        let mut input = Source::Input;
        for (index, layer) in network.layers.iter().enumerate() {
            // `r#gen` is `gen` inside the names of its values.
            let name = syn::ext::IdentExt::unraw(&layer.name).to_string();
            let dims = layer.output.dims();
            let named = |prefix: &str| format!("{prefix}_{name}");
            let z = layer
                .has_activation()
                .then(|| self.bind(named("z"), named("z"), dims.clone()));
            let a = self.bind(named("a"), named("a"), dims.clone());
            let saved = layer
                .kind
                .saved()
                .into_iter()
                .map(|saved| self.bind(named(saved.prefix), named(saved.prefix), saved.dims))
                .collect();
            let delta = self.bind(named("delta"), named("delta"), dims);
            let values = LayerValues {
                input,
                z,
                a,
                delta,
                upstream: None,
                saved,
            };
            self.ops.push(Op::Forward {
                layer: index,
                input,
                output: values.written(),
            });
            if let Some(z) = z {
                self.ops.push(Op::Activate { layer: index, z, a });
            }
            input = Source::Value(a);
            layers.push(values);
        }
        layers
    }

    /// The loss's values, and its ops.
    fn loss(&mut self, network: &Network) -> LossValues {
        let output = syn::ext::IdentExt::unraw(&network.output_layer().name).to_string();
        let outputs = vec![network.outputs()];
        let function = network.output_activation().function().unwrap_or_default();
        let loss = LossValues {
            loss: self.bind("loss".into(), "L".into(), Vec::new()),
            slope: self.bind("loss_slope".into(), format!("dL/da_{output}"), outputs),
            dot: self.bind(
                format!("{function}_dot"),
                format!("{function}_dot"),
                Vec::new(),
            ),
            normaliser: self.bind(LOG_SUM_EXP.into(), LOG_SUM_EXP.into(), Vec::new()),
            target_sum: self.bind("target_sum".into(), "target_sum".into(), Vec::new()),
        };
        self.ops.extend([Op::Loss, Op::OutputDelta]);
        loss
    }

    /// The deltas back through each layer (its backward op, the slope of the layer below, that
    /// layer's own deltas when it keeps them), then each layer's parameter derivatives.
    fn backward(&mut self, network: &Network, layers: &mut [LayerValues]) {
        let deltas = |layer: usize| {
            network.layers[layer]
                .kind
                .caches()
                .then_some(Op::Deltas { layer })
        };
        self.ops.extend(deltas(network.layers.len() - 1));
        for index in (1..network.layers.len()).rev() {
            let below = syn::ext::IdentExt::unraw(&network.layers[index - 1].name).to_string();
            let upstream = self.bind(
                format!("upstream_{below}"),
                format!("upstream_{below}"),
                network.layers[index].input.dims(),
            );
            layers[index - 1].upstream = Some(upstream);
            self.ops.push(Op::Backward {
                layer: index,
                delta: layers[index].delta,
                upstream,
            });
            self.ops.push(Op::Slope {
                layer: index - 1,
                upstream,
                delta: layers[index - 1].delta,
            });
            self.ops.extend(deltas(index - 1));
        }
        for (index, values) in layers.iter().enumerate() {
            self.ops.push(Op::Gradient {
                layer: index,
                delta: values.delta,
                input: values.input,
            });
        }
    }
}

impl Program<'_> {
    /// Whether the gradient needs the op: every op but those that only carry the deltas down to
    /// layers with no parameters (and the input derivatives).
    pub fn in_gradient(&self, op: &Op) -> bool {
        let trains_below = |layer: usize| {
            self.network.layers[..layer]
                .iter()
                .any(|below| below.parameters() > 0)
        };
        match *op {
            Op::Backward { layer, .. } => trains_below(layer),
            Op::Slope { layer, .. } => trains_below(layer + 1),
            _ => true,
        }
    }

    /// The shape of what layer `layer` reads.
    pub fn input_shape(&self, layer: usize) -> Shape {
        self.network.layers[layer].input
    }

    /// The index of the output layer.
    pub fn last(&self) -> usize {
        self.network.layers.len() - 1
    }
}
