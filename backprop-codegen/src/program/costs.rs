//! What a forward pass and a gradient cost: the operations of the program's ops, summed. A
//! layer's own ops are counted by its kind, the rest here (and the tests check the sum against a
//! count of the unrolled derivation itself).
//!
//! One floating-point operation is one `+`, `-`, `*` or `/`, or one evaluation of an activation,
//! an activation's derivative, or one output's loss term or its derivative; softmax and
//! log-sum-exp of `n` values count `n`. Counts saturate at `usize::MAX` (see [`Count`](crate::layers::Count)).

use super::{Op, Program};

impl Program<'_> {
    /// Operations of one op.
    pub fn op_flops(&self, op: &Op) -> usize {
        let layers = &self.network.layers;
        match *op {
            Op::Forward { layer, .. } => layers[layer].kind.forward_flops(),
            Op::Activate { layer, .. } => {
                let activation = layers[layer]
                    .activation()
                    .map_or(0, super::super::builtins::Activation::flops);
                layers[layer].output.len().saturating_mul(activation)
            }
            Op::Loss => self.loss_flops(),
            Op::OutputDelta => self.output_delta_flops(),
            Op::Backward { layer, .. } => layers[layer].kind.backward_flops(),
            Op::Deltas { layer } => layers[layer].kind.deltas_flops(),
            Op::Slope { layer, .. } => layers[layer]
                .output
                .len()
                .saturating_mul(self.slope_flops(layer)),
            Op::Gradient { layer, .. } => layers[layer].kind.gradient_flops(),
        }
    }

    /// Operations of `forward`: each layer's op and its activation.
    pub fn forward_flops(&self) -> usize {
        self.ops
            .iter()
            .filter(|op| matches!(op, Op::Forward { .. } | Op::Activate { .. }))
            .map(|op| self.op_flops(op))
            .fold(0, usize::saturating_add)
    }

    /// Operations of `gradient`: every op it needs (not the input derivatives).
    pub fn gradient_flops(&self) -> usize {
        self.ops
            .iter()
            .filter(|op| self.in_gradient(op))
            .map(|op| self.op_flops(op))
            .fold(0, usize::saturating_add)
    }
}
