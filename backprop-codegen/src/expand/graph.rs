//! The net as a Graphviz DOT graph: the forward dataflow in black, from the inputs through every
//! layer to the loss, and the backward dataflow of the deltas in dashed red, from the loss back
//! to the inputs. Small nets show every node and every connection their kinds list; wider ones a
//! node per layer, so the text stays small whatever the net's size.

use crate::program::{Op, Program};
use std::fmt::Write;

/// Nets with at most this many nodes (inputs included) are drawn node by node.
const NODES_DRAWN: usize = 48;

/// `digraph Name { ... }`.
pub fn dot(program: &Program) -> String {
    let network = program.network;
    let widths: Vec<usize> = std::iter::once(network.input.len())
        .chain(network.layers.iter().map(|layer| layer.output.len()))
        .collect();
    let names: Vec<String> = std::iter::once("input".to_string())
        .chain(network.layers.iter().map(|layer| layer.name.to_string()))
        .collect();
    let mut out = format!(
        "digraph {} {{\n  rankdir=LR;\n  node [shape=circle, fontsize=10];\n  edge [fontsize=8];\n",
        network.name
    );
    let _ = writeln!(
        out,
        "  loss [shape=box, label=\"L = {}\"];",
        network.loss.name()
    );
    if widths.iter().sum::<usize>() <= NODES_DRAWN {
        node_by_node(&mut out, program, &names, &widths);
    } else {
        layer_by_layer(&mut out, program, &names, &widths);
    }
    out.push_str("}\n");
    out
}

/// What a layer box or cluster is labelled: `input`, `hidden: relu`.
fn label(program: &Program, layer: usize) -> String {
    let spec = &program.network.layers[layer];
    match spec.activation() {
        Some(activation) => format!("{}: {}", spec.name, activation.name()),
        None => format!("{}: {}", spec.name, spec.kind.describe()),
    }
}

/// A cluster per layer with a circle per node; an edge per connection forward, per delta backward.
fn node_by_node(out: &mut String, program: &Program, names: &[String], widths: &[usize]) {
    for (position, (name, &width)) in names.iter().zip(widths).enumerate() {
        let label = match position {
            0 => "input".to_string(),
            layer => label(program, layer - 1),
        };
        let _ = writeln!(out, "  subgraph cluster_{name} {{\n    label=\"{label}\";");
        for node in 0..width {
            let _ = writeln!(out, "    {name}_{node} [label=\"{node}\"];");
        }
        out.push_str("  }\n");
    }
    for (layer, spec) in program.network.layers.iter().enumerate() {
        for (node, from, weight) in spec.kind.edges() {
            let (to, source) = (
                format!("{}_{node}", names[layer + 1]),
                format!("{}_{from}", names[layer]),
            );
            let _ = writeln!(out, "  {source} -> {to} [label=\"{weight}\"];");
            let _ = writeln!(
                out,
                "  {to} -> {source} [style=dashed, color=red, constraint=false];"
            );
        }
    }
    let last = names.len() - 1;
    for node in 0..widths[last] {
        let _ = writeln!(out, "  {}_{node} -> loss;", names[last]);
        let _ = writeln!(
            out,
            "  loss -> {}_{node} [style=dashed, color=red, constraint=false, label=\"delta\"];",
            names[last]
        );
    }
}

/// A box per layer, labelled with its width; an edge per layer, labelled with its first tensor
/// forward and with its backward op's formula backward.
fn layer_by_layer(out: &mut String, program: &Program, names: &[String], widths: &[usize]) {
    for (position, (name, width)) in names.iter().zip(widths).enumerate() {
        let label = match position {
            0 => "input".to_string(),
            layer => label(program, layer - 1),
        };
        let _ = writeln!(
            out,
            "  {name} [shape=box, label=\"{label}\\n{width} nodes\"];"
        );
    }
    for (layer, spec) in program.network.layers.iter().enumerate() {
        let (to, from) = (&names[layer + 1], &names[layer]);
        let forward = spec.kind.tensors().first().map_or_else(
            || spec.kind.describe(),
            |tensor| {
                let dims: Vec<String> = tensor.dims.iter().map(ToString::to_string).collect();
                format!("{to}.{} {}", tensor.field, dims.join("x"))
            },
        );
        let _ = writeln!(out, "  {from} -> {to} [label=\"{forward}\"];");
        let backward = backward_formula(program, layer);
        let _ = writeln!(
            out,
            "  {to} -> {from} [style=dashed, color=red, constraint=false, label=\"{backward}\"];"
        );
    }
    let last = &names[names.len() - 1];
    let _ = writeln!(
        out,
        "  {last} -> loss;\n  loss -> {last} [style=dashed, color=red, constraint=false, label=\"delta_{last}\"];"
    );
}

/// The right-hand side of a layer's backward op as the printed program writes it:
/// `output.weights^T . delta_output`.
fn backward_formula(program: &Program, layer: usize) -> String {
    let lines = program
        .ops
        .iter()
        .find(|op| matches!(op, Op::Backward { layer: l, .. } if *l == layer))
        .map(|op| program.op_lines(op))
        .unwrap_or_default();
    lines
        .first()
        .and_then(|line| line.split_once(" = "))
        .map(|(_, formula)| formula.to_string())
        .unwrap_or_default()
}
