//! The GRU as lines of the printed program (the looped form's `DERIVATION`): a step written once
//! with `t` free, forward and back through time.

use super::Gru;
use crate::builtins::gate_activations;
use crate::layers::Names;

impl Gru {
    /// The forward pass as lines of the printed program.
    pub(super) fn text_forward(&self, names: &Names) -> Vec<String> {
        let (gate, candidate) = gate_activations();
        let (sigma, phi) = (gate.name, candidate.name);
        let layer = &names.layer;
        let output = if self.sequence {
            format!("{} = h_{layer} for every step, [H, L]", names.output)
        } else {
            format!("{} = h_{layer}[L - 1]", names.output)
        };
        vec![
            format!(
                "for t = 0 .. L - 1, x_t = {}[.][t], h_{layer}[-1] = 0:",
                names.input
            ),
            format!(
                "  pre_reset_{layer}[t] = {layer}.weight_ih[0] . x_t + {layer}.bias_ih[0] + {layer}.weight_hh[0] . h_{layer}[t - 1] + {layer}.bias_hh[0]"
            ),
            format!("  reset_{layer}[t] = {sigma}(pre_reset_{layer}[t])"),
            format!(
                "  pre_update_{layer}[t] = {layer}.weight_ih[1] . x_t + {layer}.bias_ih[1] + {layer}.weight_hh[1] . h_{layer}[t - 1] + {layer}.bias_hh[1]"
            ),
            format!("  update_{layer}[t] = {sigma}(pre_update_{layer}[t])"),
            format!(
                "  hidden_new_{layer}[t] = {layer}.weight_hh[2] . h_{layer}[t - 1] + {layer}.bias_hh[2]"
            ),
            format!(
                "  pre_new_{layer}[t] = {layer}.weight_ih[2] . x_t + {layer}.bias_ih[2] + reset_{layer}[t] * hidden_new_{layer}[t]"
            ),
            format!("  new_{layer}[t] = {phi}(pre_new_{layer}[t])"),
            format!(
                "  h_{layer}[t] = (1 - update_{layer}[t]) * new_{layer}[t] + update_{layer}[t] * h_{layer}[t - 1]"
            ),
            output,
        ]
    }

    /// Backpropagation through time as lines of the printed program.
    pub(super) fn text_deltas(&self, names: &Names) -> Vec<String> {
        let (gate, candidate) = gate_activations();
        let (sigma, phi) = (gate.name, candidate.name);
        let layer = &names.layer;
        let delta = if self.sequence {
            format!("{}[.][t]", names.delta)
        } else {
            format!("({}, at t = L - 1)", names.delta)
        };
        vec![
            format!("for t = L - 1 .. 0 (backpropagation through time):"),
            format!(
                "  dh_{layer}[t] = {delta} + update_{layer}[t + 1] * dh_{layer}[t + 1] + {layer}.weight_hh^T . dgh_{layer}[t + 1]"
            ),
            format!(
                "  dpre_new_{layer}[t] = {phi}'(pre_new_{layer}[t]) * dh_{layer}[t] * (1 - update_{layer}[t])"
            ),
            format!("  dhidden_new_{layer}[t] = dpre_new_{layer}[t] * reset_{layer}[t]"),
            format!(
                "  dpre_reset_{layer}[t] = {sigma}'(pre_reset_{layer}[t]) * dpre_new_{layer}[t] * hidden_new_{layer}[t]"
            ),
            format!(
                "  dpre_update_{layer}[t] = {sigma}'(pre_update_{layer}[t]) * dh_{layer}[t] * (h_{layer}[t - 1] - new_{layer}[t])"
            ),
            format!(
                "  dgi_{layer}[t] = [dpre_reset, dpre_update, dpre_new]_{layer}[t]; dgh_{layer}[t] = [dpre_reset, dpre_update, dhidden_new]_{layer}[t]"
            ),
        ]
    }
}

/// The input slopes as a line of the printed program.
pub(super) fn text_backward(names: &Names) -> Vec<String> {
    vec![format!(
        "{}[.][t] = {}.weight_ih^T . dgi_{}[t]",
        names.upstream, names.layer, names.layer
    )]
}

/// The parameter derivatives as lines of the printed program.
pub(super) fn text_gradient(names: &Names) -> Vec<String> {
    let layer = &names.layer;
    vec![
        format!("dL/d {layer}.weight_ih = sum_t outer(dgi_{layer}[t], x_t)"),
        format!("dL/d {layer}.weight_hh = sum_(t >= 1) outer(dgh_{layer}[t], h_{layer}[t - 1])"),
        format!("dL/d {layer}.bias_ih = sum_t dgi_{layer}[t]"),
        format!("dL/d {layer}.bias_hh = sum_t dgh_{layer}[t]"),
    ]
}
