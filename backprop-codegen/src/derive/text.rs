//! The derivation as text, in the notebook's style: the generated `DERIVATION` constant and the
//! rustdoc of `gradient`. One line per quantity, with the layer names of the spec, e.g.
//! `delta_hidden[0] = relu'(z_hidden[0]) * (output.weights[0][0] * delta_output[0])`.

use super::{Derivation, Equation, Function, Operator, Quantity, Syntax};
use crate::model::Network;
use std::fmt::Write;

/// Renders the whole derivation of the network.
pub fn derivation(network: &Network, derivation: &Derivation) -> String {
    let text = Text { network };
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary(network));
    out.push_str("\nwhere\n");
    for line in legend(network) {
        let _ = writeln!(out, "  {line}");
    }
    section(&mut out, "forward pass", &derivation.forward, &text);
    section(&mut out, "loss", &derivation.loss, &text);
    section(
        &mut out,
        "output deltas: delta = dL/dz",
        &derivation.output_deltas,
        &text,
    );
    if !derivation.hidden_deltas.is_empty() {
        section(
            &mut out,
            "hidden deltas, back to front",
            &derivation.hidden_deltas,
            &text,
        );
    }
    out.push_str("\nparameter derivatives\n");
    for (layer, gradient) in network.layers.iter().zip(&derivation.parameters) {
        for (node, row) in gradient.weights.iter().enumerate() {
            for (from, expr) in row.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  dL/d {}.weights[{node}][{from}] = {}",
                    layer.name,
                    expr.render(&text)
                );
            }
        }
        for (node, expr) in gradient.bias.iter().enumerate() {
            let _ = writeln!(
                out,
                "  dL/d {}.bias[{node}] = {}",
                layer.name,
                expr.render(&text)
            );
        }
    }
    out.push_str("\ninput derivatives\n");
    for (input, expr) in derivation.inputs.iter().enumerate() {
        let _ = writeln!(out, "  dL/d input[{input}] = {}", expr.render(&text));
    }
    out
}

/// The per-output loss term's name in the legend.
pub(super) fn loss_term_name(network: &Network) -> String {
    network.loss.row().element.to_string()
}

/// `Notebook: input[2] -> hidden: dense(2, relu) -> output: dense(1, relu), loss squared_error`.
pub(super) fn summary(network: &Network) -> String {
    let mut line = format!("{}: input[{}]", network.name, network.inputs);
    for layer in &network.layers {
        let _ = write!(
            line,
            " -> {}: dense({}, {})",
            layer.name,
            layer.outputs,
            layer.activation.name()
        );
    }
    let _ = write!(line, ", loss {}", network.loss.name());
    line
}

fn section(out: &mut String, title: &str, equations: &[Equation], text: &Text) {
    let _ = writeln!(out, "\n{title}");
    for equation in equations {
        let _ = writeln!(
            out,
            "  {} = {}",
            defined(equation, text),
            equation.value.render(text)
        );
    }
}

/// The left-hand side: one quantity, or a list of them for softmax.
fn defined(equation: &Equation, text: &Text) -> String {
    let names: Vec<String> = equation
        .defines
        .iter()
        .map(|quantity| text.quantity(*quantity))
        .collect();
    match names.as_slice() {
        [name] => name.clone(),
        _ => format!("[{}]", names.join(", ")),
    }
}

/// The formulas of the functions the derivation calls, each value next to its derivative.
pub(super) fn legend(network: &Network) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for layer in &network.layers {
        let line = layer.activation.formula();
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines.push(network.loss.formula(&network.output_layer().activation));
    lines
}

/// The text syntax: quantities by their names in the spec.
struct Text<'a> {
    network: &'a Network,
}

impl Text<'_> {
    fn layer(&self, layer: usize) -> String {
        self.network.layers[layer].name.to_string()
    }
}

impl Syntax for Text<'_> {
    type Output = String;

    fn quantity(&self, quantity: Quantity) -> String {
        match quantity {
            Quantity::Input(index) => format!("input[{index}]"),
            Quantity::Target(index) => format!("target[{index}]"),
            Quantity::Weight { layer, node, from } => {
                format!("{}.weights[{node}][{from}]", self.layer(layer))
            }
            Quantity::Bias { layer, node } => format!("{}.bias[{node}]", self.layer(layer)),
            Quantity::PreActivation { layer, node } => format!("z_{}[{node}]", self.layer(layer)),
            Quantity::Activation { layer, node } => format!("a_{}[{node}]", self.layer(layer)),
            Quantity::Delta { layer, node } => format!("delta_{}[{node}]", self.layer(layer)),
            Quantity::LossSlope(index) => format!(
                "dL/da_{}[{index}]",
                self.layer(self.network.layers.len() - 1)
            ),
            Quantity::JacobianDot => format!(
                "{}_dot",
                self.network
                    .output_layer()
                    .activation
                    .function()
                    .unwrap_or_default()
            ),
            Quantity::LogSumExp => "log_sum_exp".into(),
            Quantity::TargetSum => "target_sum".into(),
            Quantity::Loss => "L".into(),
        }
    }

    fn call(&self, function: Function, arguments: Vec<String>) -> String {
        let loss_term = loss_term_name(self.network);
        let activation = |layer: usize| self.network.layers[layer].activation.function_name();
        let (name, arguments) = match function {
            Function::Activate(layer) => (activation(layer), arguments),
            // The derivative is written of z alone, as on paper; the code also passes `a`.
            Function::Slope(layer) => (
                activation(layer) + "'",
                arguments.into_iter().take(1).collect(),
            ),
            Function::ActivateLayer => (
                self.network.output_layer().activation.function_name(),
                arguments,
            ),
            Function::LogSumExp => ("log_sum_exp".into(), arguments),
            Function::LossTerm | Function::LogitTerm | Function::LogSumExpTerm => {
                (loss_term, arguments)
            }
            Function::LossSlope => (loss_term + "'", arguments),
        };
        format!("{name}({})", arguments.join(", "))
    }

    fn count(&self, count: usize) -> String {
        count.to_string()
    }

    fn operator(&self, left: String, operator: Operator, right: String) -> String {
        let symbol = match operator {
            Operator::Add => "+",
            Operator::Subtract => "-",
            Operator::Multiply => "*",
            Operator::Divide => "/",
        };
        format!("{left} {symbol} {right}")
    }

    fn parenthesized(&self, inner: String) -> String {
        format!("({inner})")
    }
}
