//! What the stages ask of a layer's activation and of the loss, answered from their rows.

use super::row::{Fusion, Shape, with_parameter};
use super::{Activation, Loss};
use crate::model::{OutputRule, ScalarType, path_text};

impl Activation {
    /// How it is applied; a user type is applied node by node.
    pub fn shape(&self) -> Shape {
        self.row().map_or(Shape::Elementwise, |row| row.shape)
    }

    /// Whether it leaves `z` unchanged (the identity): neither called nor differentiated.
    pub fn is_unchanged(&self) -> bool {
        self.shape() == Shape::Unchanged
    }

    /// Whether it couples the whole layer (softmax).
    pub fn is_layer_wide(&self) -> bool {
        self.shape() == Shape::Layer
    }

    /// Whether a `const fn forward` can compute it: the identity, or one the row writes inline.
    pub fn is_const(&self) -> bool {
        self.row()
            .is_some_and(|row| const_activations().contains(&row.name))
    }

    /// Its function in `backprop_core::activation`; `None` for a user type.
    pub fn function(&self) -> Option<&'static str> {
        self.row().map(|row| row.function)
    }

    /// Floating-point operations of one node (and again of its derivative).
    pub fn flops(&self) -> usize {
        self.row().map_or(1, |row| row.flops)
    }

    /// The name used in the spec and in the derivation text: `leaky_relu(0.2)`.
    pub fn name(&self) -> String {
        match self.parameter() {
            Some(parameter) => format!("{}({})", self.function_name(), parameter.value),
            None => self.function_name(),
        }
    }

    /// The name without its parameter: `leaky_relu` for `leaky_relu(0.2)`; a user type's path.
    pub fn function_name(&self) -> String {
        match (self, self.row()) {
            (Activation::Custom(path), _) => path_text(path),
            (_, row) => row.map(|row| row.name).unwrap_or_default().to_string(),
        }
    }

    /// The value and derivative formulas as a net of `scalar` computes them, for the legend of
    /// `DERIVATION`: a Q16.16 net's table-based forms say so.
    pub fn formula_in(&self, scalar: ScalarType) -> String {
        match self.row() {
            Some(row) if row.fixed_method.is_some() && scalar.is_fixed() => {
                row.formula_in(scalar).to_string()
            }
            _ => self.formula(),
        }
    }

    /// The value and derivative formulas, for the legend of `DERIVATION`.
    pub fn formula(&self) -> String {
        let Some(row) = self.row() else {
            return format!(
                "{0}(z), {0}'(z): `backprop_core::Activation::value` and `derivative`",
                self.name()
            );
        };
        let parameter = row.build.parameter().zip(self.parameter());
        with_parameter(row.formula, parameter)
    }
}

/// The activations a `const fn forward` can compute, for its docs.
pub fn const_activations() -> Vec<&'static str> {
    super::ACTIVATIONS
        .iter()
        .filter(|row| row.shape == Shape::Unchanged || row.inline.is_some())
        .map(|row| row.name)
        .collect()
}

impl Loss {
    /// The name used in the spec and in the derivation text: `huber(0.5)`.
    pub fn name(&self) -> String {
        match self.parameter() {
            Some(parameter) => format!("{}({})", self.row().name, parameter.value),
            None => self.row().name.to_string(),
        }
    }

    /// Whether the loss is a mean over the outputs (divided by `O`) rather than a sum.
    pub fn is_mean(&self) -> bool {
        self.row().mean
    }

    /// How it fuses with the output activation, if it does.
    pub fn fusion(&self, output: &Activation) -> Option<&'static Fusion> {
        let output = output.row()?;
        self.row()
            .fusions
            .iter()
            .find(|fusion| core::ptr::eq(fusion.activation, output))
    }

    /// How the output deltas are formed: a fusion's rule, softmax's Jacobian with another loss,
    /// or node by node.
    pub fn output_rule(&self, output: &Activation) -> OutputRule {
        match self.fusion(output) {
            Some(fusion) => fusion.rule,
            None if output.is_layer_wide() => OutputRule::LayerJacobian,
            None => OutputRule::Elementwise,
        }
    }

    /// The per-output term's formula for the legend of `DERIVATION`, fused where it is.
    pub fn formula(&self, output: &Activation) -> String {
        if let Some(fusion) = self.fusion(output) {
            return fusion.formula.to_string();
        }
        let parameter = self.row().build.parameter().zip(self.parameter());
        with_parameter(self.row().formula, parameter)
    }

    /// The per-output function in `backprop_core::loss::element`, fused where it is.
    pub fn element_function(&self, output: &Activation) -> &'static str {
        self.fusion(output)
            .map_or(self.row().element, |fusion| fusion.element)
    }

    /// The whole-array function in `backprop_core::loss` (its gradient adds `_gradient`), fused
    /// where it is.
    pub fn array_function(&self, output: &Activation) -> &'static str {
        self.fusion(output)
            .map_or(self.row().array, |fusion| fusion.array)
    }

    /// The built-in loss that fuses with `output`, the one to suggest when another loss is given
    /// that output: `binary_cross_entropy` for `sigmoid`, `cross_entropy` for `softmax`.
    pub fn fusing_with(output: &Activation) -> Option<&'static str> {
        let output = output.row()?;
        super::LOSSES
            .iter()
            .find(|row| {
                row.fusions
                    .iter()
                    .any(|fusion| core::ptr::eq(fusion.activation, output))
            })
            .map(|row| row.name)
    }

    /// The output activations it needs, in backticks, for a message: `` `softmax` `` or `` `a` (or `b`) ``;
    /// `None` when any will do.
    pub fn wanted_outputs(&self) -> Option<String> {
        let row = self.row();
        let mut names = row
            .fusions
            .iter()
            .map(|fusion| format!("`{}`", fusion.activation.name));
        let first = names.next().filter(|_| row.needs_probabilities)?;
        let others: Vec<String> = names.collect();
        Some(if others.is_empty() {
            first
        } else {
            format!("{first} (or {})", others.join(", "))
        })
    }
}
