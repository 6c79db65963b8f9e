//! The net as a Graphviz DOT graph: the forward dataflow in black, from the inputs through every
//! layer to the loss, and the backward dataflow of the deltas in dashed red, from the loss back
//! to the inputs. Small nets show every node and weight; wider ones a node per layer, so the
//! text stays small whatever the net's size.

use crate::model::Network;
use std::fmt::Write;

/// Nets with at most this many nodes (inputs included) are drawn node by node.
const NODES_DRAWN: usize = 48;

/// `digraph Name { ... }`.
pub fn dot(network: &Network) -> String {
    let nodes = network.inputs
        + network
            .layers
            .iter()
            .map(|layer| layer.outputs)
            .sum::<usize>();
    let mut out = format!(
        "digraph {} {{\n  rankdir=LR;\n  node [shape=circle, fontsize=10];\n  edge [fontsize=8];\n",
        network.name
    );
    let widths: Vec<usize> = std::iter::once(network.inputs)
        .chain(network.layers.iter().map(|layer| layer.outputs))
        .collect();
    let names: Vec<String> = std::iter::once("input".to_string())
        .chain(network.layers.iter().map(|layer| layer.name.to_string()))
        .collect();
    let labels: Vec<String> = std::iter::once("input".to_string())
        .chain(
            network
                .layers
                .iter()
                .map(|layer| format!("{}: {}", layer.name, layer.activation.name())),
        )
        .collect();
    let _ = writeln!(
        out,
        "  loss [shape=box, label=\"L = {}\"];",
        network.loss.name()
    );
    if nodes <= NODES_DRAWN {
        node_by_node(&mut out, &names, &labels, &widths);
    } else {
        layer_by_layer(&mut out, &names, &labels, &widths);
    }
    out.push_str("}\n");
    out
}

/// A cluster per layer with a circle per node; an edge per weight forward, per delta backward.
fn node_by_node(out: &mut String, names: &[String], labels: &[String], widths: &[usize]) {
    for ((name, label), &width) in names.iter().zip(labels).zip(widths) {
        let _ = writeln!(out, "  subgraph cluster_{name} {{\n    label=\"{label}\";");
        for node in 0..width {
            let _ = writeln!(out, "    {name}_{node} [label=\"{node}\"];");
        }
        out.push_str("  }\n");
    }
    for layer in 1..names.len() {
        for node in 0..widths[layer] {
            for from in 0..widths[layer - 1] {
                let (to, source) = (
                    format!("{}_{node}", names[layer]),
                    format!("{}_{from}", names[layer - 1]),
                );
                let _ = writeln!(out, "  {source} -> {to} [label=\"w[{node}][{from}]\"];");
                let _ = writeln!(
                    out,
                    "  {to} -> {source} [style=dashed, color=red, constraint=false];"
                );
            }
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

/// A box per layer, labelled with its width; an edge per weight matrix.
fn layer_by_layer(out: &mut String, names: &[String], labels: &[String], widths: &[usize]) {
    for ((name, label), width) in names.iter().zip(labels).zip(widths) {
        let _ = writeln!(
            out,
            "  {name} [shape=box, label=\"{label}\\n{width} nodes\"];"
        );
    }
    for layer in 1..names.len() {
        let (to, from) = (&names[layer], &names[layer - 1]);
        let _ = writeln!(
            out,
            "  {from} -> {to} [label=\"{to}.weights {}x{}\"];",
            widths[layer],
            widths[layer - 1]
        );
        let _ = writeln!(
            out,
            "  {to} -> {from} [style=dashed, color=red, constraint=false, label=\"{to}.weights^T . delta_{to}\"];"
        );
    }
    let last = &names[names.len() - 1];
    let _ = writeln!(
        out,
        "  {last} -> loss;\n  loss -> {last} [style=dashed, color=red, constraint=false, label=\"delta_{last}\"];"
    );
}
