//! The derivation a layer at a time: the steps a person writes with vectors and matrices
//! (`z = W . x + b`, `delta = act'(z) * (W_next^T . delta_next)`, `dL/dW = outer(delta, x)`).
//!
//! This is the one derivation every form renders. [`super::derive`] expands each step into the
//! per-scalar equations of the unrolled form; the looped form and the batched path render each
//! step as one whole-layer call of the runtime; [`text`] renders the steps as the looped form's
//! `DERIVATION`, one line per step.

use super::text::{legend, loss_term_name, summary};
use crate::model::{Network, OutputRule};
use std::fmt::Write;

/// One step of the derivation, over whole layers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    /// `z_l = l.weights . x_l + l.bias` (in the canonical summation order), then
    /// `a_l = act(z_l)` elementwise (softmax over the whole layer).
    Forward(usize),
    /// `L`: the sum (or mean) of the per-output loss terms.
    Loss,
    /// `delta = dL/dz` of the output layer, by the rule that fits its activation and loss.
    OutputDelta,
    /// `delta_l = act'(z_l) * (next.weights^T . delta_next)` of a hidden layer.
    HiddenDelta(usize),
    /// `dL/d l.weights = outer(delta_l, x_l)` and `dL/d l.bias = delta_l`.
    Gradient(usize),
    /// `dL/d input = first.weights^T . delta_first`.
    InputGradient,
}

impl Step {
    /// The section of the derivation the step belongs to, as `DERIVATION` titles it.
    pub fn section(self) -> &'static str {
        match self {
            Step::Forward(_) => "forward pass",
            Step::Loss => "loss",
            Step::OutputDelta => "output deltas: delta = dL/dz",
            Step::HiddenDelta(_) => "hidden deltas, back to front",
            Step::Gradient(_) => "parameter derivatives",
            Step::InputGradient => "input derivatives",
        }
    }
}

/// Every step, in the order a person derives them: the layers forward, the loss, the output
/// deltas, the hidden deltas from the last hidden layer back to the first, each layer's
/// parameter derivatives, the input derivatives.
pub fn steps(network: &Network) -> Vec<Step> {
    let layers = network.layers.len();
    let mut steps: Vec<Step> = (0..layers).map(Step::Forward).collect();
    steps.extend([Step::Loss, Step::OutputDelta]);
    steps.extend((0..layers - 1).rev().map(Step::HiddenDelta));
    steps.extend((0..layers).map(Step::Gradient));
    steps.push(Step::InputGradient);
    steps
}

/// The steps as text, a line per quantity of a whole layer: the looped form's `DERIVATION` (a
/// wide net would need a line per parameter): `.` is a matrix-vector product, `*` elementwise,
/// `^T` a transpose.
pub fn text(network: &Network) -> String {
    let mut out = format!(
        "{}\n(a line per layer: `.` is a matrix-vector product, `*` elementwise, `^T` a transpose)\n\nwhere\n",
        summary(network)
    );
    for line in legend(network) {
        let _ = writeln!(out, "  {line}");
    }
    let mut section = "";
    for step in steps(network) {
        if step.section() != section {
            section = step.section();
            let _ = writeln!(out, "\n{section}");
        }
        for line in lines(network, step) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// The lines of one step.
fn lines(network: &Network, step: Step) -> Vec<String> {
    let name = |layer: usize| network.layers[layer].name.to_string();
    let last = network.layers.len() - 1;
    let (output, count) = (name(last), network.outputs());
    let mean = if network.loss.is_mean() && count > 1 {
        format!(" / {count}")
    } else {
        String::new()
    };
    match step {
        Step::Forward(layer) => vec![
            format!(
                "z_{0} = {0}.weights . {1} + {0}.bias",
                name(layer),
                input(network, layer)
            ),
            format!(
                "a_{0} = {1}(z_{0})",
                name(layer),
                network.layers[layer].activation.function_name()
            ),
        ],
        Step::Loss => {
            let term_name = loss_term_name(network);
            let term = match network.output_rule() {
                OutputRule::ActivationMinusTarget | OutputRule::FusedSlope => {
                    format!("{term_name}(z_{output}[o], target[o])")
                }
                OutputRule::NormalisedLogits => {
                    format!("{term_name}(z_{output}[o], log_sum_exp(z_{output}), target[o])")
                }
                OutputRule::Elementwise | OutputRule::LayerJacobian => {
                    format!("{term_name}(a_{output}[o], target[o])")
                }
            };
            vec![format!("L = (sum_o {term}){mean}")]
        }
        Step::OutputDelta => {
            let slope = format!("{}'(a_{output}, target){mean}", loss_term_name(network));
            let delta = match network.output_rule() {
                OutputRule::ActivationMinusTarget => format!("(a_{output} - target){mean}"),
                OutputRule::NormalisedLogits => format!("a_{output} * sum(target) - target"),
                OutputRule::FusedSlope => format!("target * (a_{output} - 1)"),
                OutputRule::LayerJacobian => {
                    format!("a_{output} * (g - sum_k g[k] a_{output}[k]), g = {slope}")
                }
                OutputRule::Elementwise => times_slope(network, last, &slope),
            };
            vec![format!("delta_{output} = {delta}")]
        }
        Step::HiddenDelta(layer) => {
            let upstream = format!("{}.weights^T . delta_{}", name(layer + 1), name(layer + 1));
            vec![format!(
                "delta_{} = {}",
                name(layer),
                times_slope(network, layer, &upstream)
            )]
        }
        Step::Gradient(layer) => vec![
            format!(
                "dL/d {0}.weights = outer(delta_{0}, {1})",
                name(layer),
                input(network, layer)
            ),
            format!("dL/d {0}.bias = delta_{0}", name(layer)),
        ],
        Step::InputGradient => vec![format!(
            "dL/d input = {}.weights^T . delta_{}",
            name(0),
            name(0)
        )],
    }
}

/// What a layer reads: `input`, or the activations of the layer before.
fn input(network: &Network, layer: usize) -> String {
    match layer {
        0 => "input".to_string(),
        _ => format!("a_{}", network.layers[layer - 1].name),
    }
}

/// `act'(z_l) * (upstream)`, or the upstream alone for the identity.
fn times_slope(network: &Network, layer: usize, upstream: &str) -> String {
    let spec = &network.layers[layer];
    if spec.is_unchanged() {
        upstream.to_string()
    } else {
        format!(
            "{}'(z_{}) * ({upstream})",
            spec.activation.function_name(),
            spec.name
        )
    }
}
