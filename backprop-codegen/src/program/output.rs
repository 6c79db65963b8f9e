//! The output rule, decided once in [`super::lower`]: how the loss is computed from the last
//! layer and how its deltas `dL/dz` are formed, per scalar, as text and in operations. The
//! catalogue's fusions pick the rule ([`crate::builtins::Fusion`]).

use super::Program;
use crate::derive::{Equation, Expr, Function, Quantity, minus, times, value};
use crate::model::{Index, OutputRule};

impl Program<'_> {
    /// Whether the loss reads the logits (a fused rule) rather than the activations.
    pub fn reads_logits(&self) -> bool {
        matches!(
            self.rule,
            OutputRule::ActivationMinusTarget | OutputRule::NormalisedLogits
        )
    }

    /// Whether the loss divides by the number of outputs (a mean over more than one).
    pub fn is_mean(&self) -> bool {
        self.network.loss.is_mean() && self.network.outputs() > 1
    }

    fn mean_if(&self, expr: Expr) -> Expr {
        if self.is_mean() {
            Expr::Mean(Box::new(expr), self.network.outputs())
        } else {
            expr
        }
    }

    fn z(&self, node: usize) -> Expr {
        value(self.layers[self.last()].written(), Index::one(node))
    }

    fn a(&self, node: usize) -> Expr {
        value(self.layers[self.last()].a, Index::one(node))
    }

    fn t(node: usize) -> Expr {
        Expr::Quantity(Quantity::Target(Index::one(node)))
    }

    fn scalar(value: usize) -> Quantity {
        Quantity::Value {
            value,
            index: Index::SCALAR,
        }
    }

    /// `L`: the sum (or mean) over the outputs of each output's term, from the logits where the
    /// output activation and the loss fuse into a stable form.
    pub(crate) fn loss_scalars(&self) -> Vec<Equation> {
        let outputs = self.network.outputs();
        let term = |node| match self.rule {
            OutputRule::ActivationMinusTarget => {
                Expr::Call(Function::LogitTerm, vec![self.z(node), Self::t(node)])
            }
            OutputRule::NormalisedLogits => Expr::Call(
                Function::LogSumExpTerm,
                vec![
                    self.z(node),
                    Expr::Quantity(Self::scalar(self.loss.normaliser)),
                    Self::t(node),
                ],
            ),
            OutputRule::Elementwise | OutputRule::LayerJacobian => {
                Expr::Call(Function::LossTerm, vec![self.a(node), Self::t(node)])
            }
        };
        let mut equations = Vec::new();
        if self.rule == OutputRule::NormalisedLogits {
            equations.push(Equation::new(
                Self::scalar(self.loss.normaliser),
                Expr::Call(
                    Function::LogSumExp,
                    (0..outputs).map(|o| self.z(o)).collect(),
                ),
            ));
        }
        let total = Expr::Sum((0..outputs).map(term).collect());
        equations.push(Equation::new(
            Self::scalar(self.loss.loss),
            self.mean_if(total),
        ));
        equations
    }

    /// `delta_o = dL/dz_o` of the output layer, by the rule.
    pub(crate) fn output_delta_scalars(&self) -> Vec<Equation> {
        let last = self.last();
        let outputs = self.network.outputs();
        let delta = |node: usize, value: Expr| {
            Equation::new(
                Quantity::Value {
                    value: self.layers[last].delta,
                    index: Index::one(node),
                },
                value,
            )
        };
        let loss_slope = |node| {
            self.mean_if(Expr::Call(
                Function::LossSlope,
                vec![self.a(node), Self::t(node)],
            ))
        };
        let slope = |node| value(self.loss.slope, Index::one(node));
        match self.rule {
            OutputRule::Elementwise => (0..outputs)
                .map(|node| {
                    delta(
                        node,
                        self.times_slope(last, Index::one(node), loss_slope(node)),
                    )
                })
                .collect(),
            OutputRule::ActivationMinusTarget => (0..outputs)
                .map(|node| delta(node, self.mean_if(minus(self.a(node), Self::t(node)))))
                .collect(),
            OutputRule::NormalisedLogits => {
                let target_sum = Self::scalar(self.loss.target_sum);
                let sum = Equation::new(target_sum, Expr::Sum((0..outputs).map(Self::t).collect()));
                let deltas = (0..outputs).map(|node| {
                    let scaled = times(self.a(node), Expr::Quantity(target_sum));
                    delta(node, minus(scaled, Self::t(node)))
                });
                std::iter::once(sum).chain(deltas).collect()
            }
            OutputRule::LayerJacobian => {
                let dot = Self::scalar(self.loss.dot);
                let slopes = (0..outputs).map(|node| {
                    Equation::new(
                        Quantity::Value {
                            value: self.loss.slope,
                            index: Index::one(node),
                        },
                        loss_slope(node),
                    )
                });
                let products = (0..outputs).map(|k| times(slope(k), self.a(k))).collect();
                let sum = Equation::new(dot, Expr::Sum(products));
                let deltas = (0..outputs).map(|node| {
                    let centred = minus(slope(node), Expr::Quantity(dot));
                    delta(node, times(self.a(node), centred))
                });
                slopes.chain(std::iter::once(sum)).chain(deltas).collect()
            }
        }
    }

    /// The loss as a line of the printed program.
    pub(crate) fn loss_text(&self) -> String {
        let output = self.values[self.layers[self.last()].a].text.clone();
        let logits = self.values[self.layers[self.last()].written()].text.clone();
        let name = self.network.loss.row().element;
        let term = match self.rule {
            OutputRule::ActivationMinusTarget => {
                format!("{name}({logits}[o], target[o])")
            }
            OutputRule::NormalisedLogits => {
                let normaliser = crate::builtins::LOG_SUM_EXP;
                format!("{name}({logits}[o], {normaliser}({logits}), target[o])")
            }
            OutputRule::Elementwise | OutputRule::LayerJacobian => {
                format!("{name}({output}[o], target[o])")
            }
        };
        format!("L = (sum_o {term}){}", self.mean_text())
    }

    /// ` / O` for a mean.
    fn mean_text(&self) -> String {
        if self.is_mean() {
            format!(" / {}", self.network.outputs())
        } else {
            String::new()
        }
    }

    /// The output deltas as a line of the printed program.
    pub(crate) fn output_delta_text(&self) -> String {
        let last = self.last();
        let a = self.values[self.layers[last].a].text.clone();
        let mean = self.mean_text();
        let slope = format!("{}'({a}, target){mean}", self.network.loss.row().element);
        let delta = match self.rule {
            OutputRule::ActivationMinusTarget => format!("({a} - target){mean}"),
            OutputRule::NormalisedLogits => format!("{a} * sum(target) - target"),
            OutputRule::LayerJacobian => format!("{a} * (g - sum_k g[k] {a}[k]), g = {slope}"),
            OutputRule::Elementwise => self.times_slope_text(last, &slope),
        };
        format!("{} = {delta}", self.values[self.layers[last].delta].text)
    }

    /// `act'(z_l) * (upstream)`, or the upstream alone when the slope is 1.
    pub(crate) fn times_slope_text(&self, layer: usize, upstream: &str) -> String {
        let spec = &self.network.layers[layer];
        match spec.activation() {
            Some(activation) if !spec.is_unchanged() => format!(
                "{}'({}) * ({upstream})",
                activation.function_name(),
                self.values[self.layers[layer].written()].text
            ),
            _ => upstream.to_string(),
        }
    }

    /// Operations of the loss: a term per output, the adds between them, the division of a
    /// mean, and the log-sum-exp of a fused softmax.
    pub(crate) fn loss_flops(&self) -> usize {
        let outputs = self.network.outputs();
        let normaliser = if self.rule == OutputRule::NormalisedLogits {
            outputs
        } else {
            0
        };
        outputs + (outputs - 1) + usize::from(self.is_mean()) + normaliser
    }

    /// Operations of the output deltas.
    pub(crate) fn output_delta_flops(&self) -> usize {
        let outputs = self.network.outputs();
        let mean = usize::from(self.is_mean());
        match self.rule {
            OutputRule::Elementwise => outputs * (1 + mean + self.slope_flops(self.last())),
            OutputRule::ActivationMinusTarget => outputs * (1 + mean),
            OutputRule::NormalisedLogits => (outputs - 1) + 2 * outputs,
            OutputRule::LayerJacobian => outputs * (1 + mean) + (2 * outputs - 1) + 2 * outputs,
        }
    }

    /// One node's `act'(z) * upstream`: the derivative and the multiply, none for the identity.
    pub(crate) fn slope_flops(&self, layer: usize) -> usize {
        let spec = &self.network.layers[layer];
        match spec.activation() {
            Some(activation) if !spec.is_unchanged() => activation.flops() + 1,
            _ => 0,
        }
    }
}
