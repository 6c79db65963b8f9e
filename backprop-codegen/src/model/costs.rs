//! What a forward pass and a gradient cost, counted from the model in closed form (and checked
//! against a count of the derivation itself in the tests).
//!
//! One floating-point operation is one `+`, `-`, `*` or `/`, or one evaluation of an activation,
//! an activation's derivative, or one output's loss term or its derivative; softmax and
//! log-sum-exp of `n` values count `n`.

use super::{Layer, Network, OutputRule};

impl Network {
    /// Operations of `forward`: per layer, `inputs` multiplies and `inputs` adds (the last one
    /// the bias) per node, and one activation per node (none for the identity).
    pub fn forward_flops(&self) -> usize {
        self.layers.iter().map(Layer::forward_flops).sum()
    }

    /// Operations of `gradient`: the forward pass, the loss, the output deltas, the hidden deltas
    /// and one multiply per weight (a bias's derivative is its delta, for free).
    pub fn gradient_flops(&self) -> usize {
        let hidden_deltas: usize = self
            .layers
            .windows(2)
            .map(|pair| hidden_delta_flops(&pair[0], &pair[1]))
            .sum();
        let weights: usize = self
            .layers
            .iter()
            .map(|layer| layer.inputs * layer.outputs)
            .sum();
        self.forward_flops()
            + self.loss_flops()
            + self.output_delta_flops()
            + hidden_deltas
            + weights
    }

    /// The loss: a term per output, the adds between them, the division of a mean, and the
    /// log-sum-exp of a fused softmax.
    fn loss_flops(&self) -> usize {
        let outputs = self.outputs();
        let log_sum_exp = if self.output_rule() == OutputRule::NormalisedLogits {
            outputs
        } else {
            0
        };
        outputs + (outputs - 1) + self.mean_division() + log_sum_exp
    }

    /// 1 when the loss divides by the number of outputs.
    fn mean_division(&self) -> usize {
        usize::from(self.loss.is_mean() && self.outputs() > 1)
    }

    fn output_delta_flops(&self) -> usize {
        let outputs = self.outputs();
        let slope = 1 + self.mean_division();
        match self.output_rule() {
            OutputRule::Elementwise => outputs * (slope + self.output_layer().slope_flops()),
            OutputRule::ActivationMinusTarget => outputs * (1 + self.mean_division()),
            OutputRule::NormalisedLogits => (outputs - 1) + 2 * outputs,
            OutputRule::FusedSlope => outputs,
            OutputRule::LayerJacobian => outputs * slope + (2 * outputs - 1) + 2 * outputs,
        }
    }
}

impl Layer {
    fn forward_flops(&self) -> usize {
        2 * self.inputs * self.outputs + self.outputs * self.activation.flops()
    }

    /// One node's `act'(z) * upstream`: the derivative and the multiply, none for the identity.
    fn slope_flops(&self) -> usize {
        self.activation.flops() + usize::from(!self.is_unchanged())
    }

    /// Whether the activation is the identity, which costs nothing either way.
    pub fn is_unchanged(&self) -> bool {
        self.activation.is_unchanged()
    }
}

/// `delta_j = act'(z_j) * sum_k w_kj delta_k` for each node of `layer`, `next` after it.
fn hidden_delta_flops(layer: &Layer, next: &Layer) -> usize {
    let sum = 2 * next.outputs - 1;
    layer.outputs * (sum + layer.slope_flops())
}
