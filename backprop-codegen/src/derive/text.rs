//! The derivation as text, in the notebook's style: the unrolled form's `DERIVATION` and the
//! rustdoc of `gradient`. One line per quantity, with the layer names of the spec, e.g.
//! `delta_hidden[0] = relu'(z_hidden[0]) * (output.weights[0][0] * delta_output[0])`.

use super::{Derivation, Equation, Function, Operator, Quantity, Syntax};
use crate::model::Index;
use crate::program::Program;
use std::fmt::Write;

/// Renders the whole derivation of the network.
pub fn derivation(program: &Program, derivation: &Derivation) -> String {
    let text = Text::new(program);
    let mut out = String::new();
    let _ = writeln!(out, "{}", program.summary());
    out.push_str("\nwhere\n");
    for line in program.legend() {
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
    for (layer, gradient) in derivation.parameters.iter().enumerate() {
        for (tensor, exprs) in gradient.tensors.iter().enumerate() {
            let dims = &text.tensors[layer][tensor].1;
            for (flat, expr) in exprs.iter().enumerate() {
                let name = text.parameter(layer, tensor, Index::of_flat(flat, dims));
                let _ = writeln!(out, "  dL/d {name} = {}", expr.render(&text));
            }
        }
    }
    out.push_str("\ninput derivatives\n");
    let dims = program.network.input.dims();
    for (flat, expr) in derivation.inputs.iter().enumerate() {
        let index = subscripts(Index::of_flat(flat, &dims));
        let _ = writeln!(out, "  dL/d input{index} = {}", expr.render(&text));
    }
    out
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

/// `[i][j]`.
pub fn subscripts(index: Index) -> String {
    index.indices().fold(String::new(), |mut out, i| {
        let _ = write!(out, "[{i}]");
        out
    })
}

/// The text syntax: quantities by their names in the spec.
pub struct Text<'a> {
    program: &'a Program<'a>,
    /// Each layer's tensors: field name and extents.
    tensors: Vec<Vec<(&'static str, Vec<usize>)>>,
}

impl<'a> Text<'a> {
    /// The text syntax of a program's quantities.
    pub fn new(program: &'a Program<'a>) -> Self {
        let tensors = program
            .network
            .layers
            .iter()
            .map(|layer| {
                let tensors = layer.kind.tensors().into_iter();
                tensors.map(|tensor| (tensor.field, tensor.dims)).collect()
            })
            .collect();
        Text { program, tensors }
    }

    /// `hidden.weights[0][1]`.
    fn parameter(&self, layer: usize, tensor: usize, index: Index) -> String {
        format!(
            "{}.{}{}",
            self.program.network.layers[layer].name,
            self.tensors[layer][tensor].0,
            subscripts(index)
        )
    }
}

impl Syntax for Text<'_> {
    type Output = String;

    fn quantity(&self, quantity: Quantity) -> String {
        match quantity {
            Quantity::Input(index) => format!("input{}", subscripts(index)),
            Quantity::Target(index) => format!("target{}", subscripts(index)),
            Quantity::Parameter {
                layer,
                tensor,
                index,
            } => self.parameter(layer, tensor, index),
            Quantity::Value { value, index } => {
                format!("{}{}", self.program.values[value].text, subscripts(index))
            }
        }
    }

    fn call(&self, function: Function, arguments: Vec<String>) -> String {
        let network = self.program.network;
        let loss_term = network.loss.row().element.to_string();
        let activation = |layer: usize| {
            network.layers[layer]
                .activation()
                .map(super::super::builtins::Activation::function_name)
                .unwrap_or_default()
        };
        let (name, arguments) = match function {
            Function::Activate(layer) => (activation(layer), arguments),
            // The derivative is written of z alone, as on paper; the code also passes `a`.
            Function::Slope(layer) => (activation(layer) + "'", first(arguments)),
            Function::Builtin(row) => (row.name.to_string(), arguments),
            Function::BuiltinSlope(row) => (format!("{}'", row.name), first(arguments)),
            Function::ActivateLayer => (activation(network.layers.len() - 1), arguments),
            Function::LogSumExp => (crate::builtins::LOG_SUM_EXP.into(), arguments),
            Function::LossTerm | Function::LogitTerm | Function::LogSumExpTerm => {
                (loss_term, arguments)
            }
            Function::LossSlope => (loss_term + "'", arguments),
            Function::Runtime(runtime) => (runtime.name.to_string(), arguments),
        };
        format!("{name}({})", arguments.join(", "))
    }

    fn count(&self, count: usize) -> String {
        count.to_string()
    }

    fn constant(&self, value: f64) -> String {
        format!("{value}")
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

/// The first argument alone: a derivative is written of `z`, though the code passes `a` too.
fn first(arguments: Vec<String>) -> Vec<String> {
    arguments.into_iter().take(1).collect()
}
