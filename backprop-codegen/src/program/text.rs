//! The program printed, a line per op: the looped form's `DERIVATION` (a wide net would need a
//! line per parameter), as a jaxpr prints JAX's program. `.` is a matrix-vector product, `*`
//! elementwise, `^T` a transpose; each kind writes its own ops' lines.

use super::{Op, Program, Source};
use crate::layers::Names;
use std::fmt::Write;

impl Program<'_> {
    /// The whole program as text.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}\n(a line per layer: `.` is a matrix-vector product, `*` elementwise, `^T` a transpose)\n\nwhere\n",
            self.summary()
        );
        for line in self.legend() {
            let _ = writeln!(out, "  {line}");
        }
        let mut section = "";
        for op in &self.ops {
            let title = Self::section(op);
            if title != section {
                section = title;
                let _ = writeln!(out, "\n{section}");
            }
            for line in self.op_lines(op) {
                let _ = writeln!(out, "  {line}");
            }
        }
        out
    }

    /// The section of the derivation an op belongs to, as `DERIVATION` titles it.
    pub fn section(op: &Op) -> &'static str {
        match op {
            Op::Forward { .. } | Op::Activate { .. } => "forward pass",
            Op::Loss => "loss",
            Op::OutputDelta => "output deltas: delta = dL/dz",
            Op::Backward { layer: 0, .. } => "input derivatives",
            Op::Backward { .. } | Op::Slope { .. } | Op::Deltas { .. } => {
                "hidden deltas, back to front"
            }
            Op::Gradient { .. } => "parameter derivatives",
        }
    }

    /// `Notebook: input[2] -> hidden: dense(2, relu) -> output: dense(1, relu), loss squared_error`.
    pub fn summary(&self) -> String {
        let network = self.network;
        let mut line = format!("{}: input{}", network.name, network.input.text());
        for layer in &network.layers {
            let _ = write!(line, " -> {}: {}", layer.name, layer.kind.describe());
        }
        let _ = write!(line, ", loss {}", network.loss.name());
        line
    }

    /// The formulas of the functions the derivation calls, each value next to its derivative.
    pub fn legend(&self) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for layer in &self.network.layers {
            let scalar = self.network.scalar;
            let formulas = layer
                .activation()
                .map(|activation| activation.formula_in(scalar));
            for line in formulas.into_iter().chain(layer.kind.legend(scalar)) {
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        }
        lines.push(self.network.loss.formula(self.network.output_activation()));
        lines
    }

    /// The name of what a layer reads.
    fn source_text(&self, source: Source) -> String {
        match source {
            Source::Input => "input".to_string(),
            Source::Value(id) => self.values[id].text.clone(),
        }
    }

    /// The operands of layer `layer`'s ops, named.
    fn names(&self, layer: usize) -> Names {
        let values = &self.layers[layer];
        Names {
            layer: self.network.layers[layer].name.to_string(),
            input: self.source_text(values.input),
            output: self.values[values.written()].text.clone(),
            delta: self.values[values.delta].text.clone(),
            upstream: String::new(),
        }
    }

    /// The lines of one op, as the printed program writes them.
    pub fn op_lines(&self, op: &Op) -> Vec<String> {
        let layers = &self.network.layers;
        match *op {
            Op::Forward { layer, .. } => layers[layer].kind.forward_text(&self.names(layer)),
            Op::Activate { layer, z, a } => {
                let function = layers[layer]
                    .activation()
                    .map(super::super::builtins::Activation::function_name)
                    .unwrap_or_default();
                vec![format!(
                    "{} = {function}({})",
                    self.values[a].text, self.values[z].text
                )]
            }
            Op::Loss => vec![self.loss_text()],
            Op::OutputDelta => vec![self.output_delta_text()],
            Op::Backward {
                layer, upstream, ..
            } => {
                let mut names = self.names(layer);
                self.values[upstream].text.clone_into(&mut names.upstream);
                layers[layer].kind.backward_text(&names)
            }
            Op::Slope {
                layer,
                upstream,
                delta,
            } => vec![format!(
                "{} = {}",
                self.values[delta].text,
                self.times_slope_text(layer, &self.values[upstream].text)
            )],
            Op::Gradient { layer, .. } => layers[layer].kind.gradient_text(&self.names(layer)),
            Op::Deltas { layer } => layers[layer].kind.deltas_text(&self.names(layer)),
        }
    }
}
