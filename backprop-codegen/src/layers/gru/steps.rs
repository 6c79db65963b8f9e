//! The GRU per scalar: each step's equations forward and backward, as the unrolled form writes
//! them and the runtime's `Gru` computes them, and each parameter's sum over the steps.

use super::Gru;
use crate::builtins::{ActivationRow, gate_activations};
use crate::derive::{Dot, Equation, Expr, Function, minus, times};
use crate::layers::{Backward, Io};
use crate::model::Index;

/// The values a GRU binds per scalar, in the order of [`Kind::saved`], each `[L, H]`.
pub(super) const VALUES: [&str; 13] = [
    "pre_reset",
    "pre_update",
    "pre_new",
    "reset",
    "update",
    "new",
    "hidden_new",
    "h",
    "dh",
    "dpre_reset",
    "dpre_update",
    "dpre_new",
    "dhidden_new",
];

/// Where each value is in [`VALUES`].
#[derive(Clone, Copy)]
enum Value {
    PreReset,
    PreUpdate,
    PreNew,
    Reset,
    Update,
    New,
    HiddenNew,
    State,
    Slope,
    DpreReset,
    DpreUpdate,
    DpreNew,
    DhiddenNew,
}

/// The tensors, in torch's order.
const WEIGHT_IH: usize = 0;
const WEIGHT_HH: usize = 1;
const BIAS_IH: usize = 2;
const BIAS_HH: usize = 3;

impl Gru {
    /// Element `[t][j]` of one of its values.
    fn value(io: &Io, value: Value, t: usize, j: usize) -> Expr {
        Expr::Quantity(io.saved(value as usize, Index::two(t, j)))
    }

    /// `W x_t + b` of gate `g`, unit `j`: the canonical order of a forward dot product.
    fn input_sum(&self, io: &Io, g: usize, j: usize, t: usize) -> Expr {
        let products = (0..self.features)
            .map(|c| {
                let weight = io.parameter(WEIGHT_IH, Index::three(g, j, c));
                times(weight, io.input(Index::two(c, t)))
            })
            .collect();
        Dot::forward(products, io.parameter(BIAS_IH, Index::two(g, j)))
    }

    /// `W h_(t-1) + b` of gate `g`, unit `j`: the bias alone at `t = 0`, as `h_(-1) = 0`.
    fn hidden_sum(&self, io: &Io, g: usize, j: usize, t: usize) -> Expr {
        let bias = io.parameter(BIAS_HH, Index::two(g, j));
        let Some(before) = t.checked_sub(1) else {
            return bias;
        };
        let products = (0..self.hidden)
            .map(|k| {
                let weight = io.parameter(WEIGHT_HH, Index::three(g, j, k));
                times(weight, Self::value(io, Value::State, before, k))
            })
            .collect();
        Dot::forward(products, bias)
    }

    /// `gate(pre)` through the catalogue's function, bound as `value`.
    fn gate(
        io: &Io,
        row: &'static ActivationRow,
        pre: Value,
        value: Value,
        t: usize,
        j: usize,
    ) -> Equation {
        let call = Expr::Call(Function::Builtin(row), vec![Self::value(io, pre, t, j)]);
        Equation::new(io.saved(value as usize, Index::two(t, j)), call)
    }

    /// The equations of step `t`, unit `j`, forward.
    fn forward_step(&self, io: &Io, t: usize, j: usize) -> Vec<Equation> {
        let (gate, candidate) = gate_activations();
        let bind = |value: Value, expr: Expr| {
            Equation::new(io.saved(value as usize, Index::two(t, j)), expr)
        };
        let value = |value: Value| Self::value(io, value, t, j);
        let sum = |a: Expr, b: Expr| Expr::Sum(vec![a, b]);
        let mut state = times(
            minus(Expr::Constant(1.0), value(Value::Update)),
            value(Value::New),
        );
        if let Some(before) = t.checked_sub(1) {
            state = sum(
                state,
                times(
                    value(Value::Update),
                    Self::value(io, Value::State, before, j),
                ),
            );
        }
        vec![
            bind(
                Value::PreReset,
                sum(self.input_sum(io, 0, j, t), self.hidden_sum(io, 0, j, t)),
            ),
            Self::gate(io, gate, Value::PreReset, Value::Reset, t, j),
            bind(
                Value::PreUpdate,
                sum(self.input_sum(io, 1, j, t), self.hidden_sum(io, 1, j, t)),
            ),
            Self::gate(io, gate, Value::PreUpdate, Value::Update, t, j),
            bind(Value::HiddenNew, self.hidden_sum(io, 2, j, t)),
            bind(
                Value::PreNew,
                sum(
                    self.input_sum(io, 2, j, t),
                    times(value(Value::Reset), value(Value::HiddenNew)),
                ),
            ),
            Self::gate(io, candidate, Value::PreNew, Value::New, t, j),
            bind(Value::State, state),
        ]
    }

    /// The equations of step `t`, unit `j`, backward: `dh` and the gate deltas.
    fn backward_step(&self, io: &Io, t: usize, j: usize) -> Vec<Equation> {
        let (gate, candidate) = gate_activations();
        let bind = |value: Value, expr: Expr| {
            Equation::new(io.saved(value as usize, Index::two(t, j)), expr)
        };
        let value = |value: Value| Self::value(io, value, t, j);
        let slope = |row: &'static ActivationRow, pre: Value, of: Value| {
            Expr::Call(Function::BuiltinSlope(row), vec![value(pre), value(of)])
        };
        let dh = value(Value::Slope);
        let previous = t.checked_sub(1).map_or(Expr::Constant(0.0), |before| {
            Self::value(io, Value::State, before, j)
        });
        let dn = times(dh.clone(), minus(Expr::Constant(1.0), value(Value::Update)));
        vec![
            bind(Value::Slope, self.step_slope(io, t, j)),
            bind(
                Value::DpreNew,
                times(slope(candidate, Value::PreNew, Value::New), dn),
            ),
            bind(
                Value::DhiddenNew,
                times(value(Value::DpreNew), value(Value::Reset)),
            ),
            bind(
                Value::DpreReset,
                times(
                    slope(gate, Value::PreReset, Value::Reset),
                    times(value(Value::DpreNew), value(Value::HiddenNew)),
                ),
            ),
            bind(
                Value::DpreUpdate,
                times(
                    slope(gate, Value::PreUpdate, Value::Update),
                    times(dh, minus(previous, value(Value::New))),
                ),
            ),
        ]
    }

    /// The deltas of gate `g` at step `t`: of `W x + b` (`hidden` unset) or of `W h + b`.
    fn gate_delta(io: &Io, g: usize, t: usize, j: usize, hidden: bool) -> Expr {
        let value = match (g, hidden) {
            (0, _) => Value::DpreReset,
            (1, _) => Value::DpreUpdate,
            (_, false) => Value::DpreNew,
            (_, true) => Value::DhiddenNew,
        };
        Self::value(io, value, t, j)
    }

    /// `dh[t][j]`: the output's delta at step `t` (first), plus, before the last step, `z * dh`
    /// and the hidden weights' transposed product of step `t + 1`'s gate deltas.
    fn step_slope(&self, io: &Io, t: usize, j: usize) -> Expr {
        let last = self.steps - 1;
        let delta = match (self.sequence, t == last) {
            (true, _) => Some(io.delta(Index::two(j, t))),
            (false, true) => Some(io.delta(Index::one(j))),
            (false, false) => None,
        };
        let carry = (t < last).then(|| {
            let products = (0..3)
                .flat_map(|g| (0..self.hidden).map(move |i| (g, i)))
                .map(|(g, i)| {
                    let weight = io.parameter(WEIGHT_HH, Index::three(g, i, j));
                    times(weight, Self::gate_delta(io, g, t + 1, i, true))
                })
                .collect();
            let direct = times(
                Self::value(io, Value::Update, t + 1, j),
                Self::value(io, Value::Slope, t + 1, j),
            );
            Expr::Sum(vec![direct, Dot::in_order(products)])
        });
        match (delta, carry) {
            (Some(delta), Some(carry)) => Expr::Sum(vec![delta, carry]),
            (Some(only), None) | (None, Some(only)) => only,
            (None, None) => Expr::Constant(0.0),
        }
    }

    /// Every step forward, then the output: the last state, or every state.
    pub(super) fn scalar_forward(&self, io: &Io) -> Vec<Equation> {
        let mut equations = Vec::new();
        for t in 0..self.steps {
            for j in 0..self.hidden {
                equations.extend(self.forward_step(io, t, j));
            }
        }
        let last = self.steps - 1;
        for j in 0..self.hidden {
            if self.sequence {
                for t in 0..self.steps {
                    let state = Self::value(io, Value::State, t, j);
                    equations.push(Equation::new(io.output(Index::two(j, t)), state));
                }
            } else {
                let state = Self::value(io, Value::State, last, j);
                equations.push(Equation::new(io.output(Index::one(j)), state));
            }
        }
        equations
    }

    /// Backpropagation through the window, then `dL/dx[c][t]`.
    pub(super) fn scalar_backward(&self, io: &Io) -> Backward {
        let mut steps = Vec::new();
        for t in (0..self.steps).rev() {
            for j in 0..self.hidden {
                steps.extend(self.backward_step(io, t, j));
            }
        }
        let mut input = Vec::new();
        for c in 0..self.features {
            for t in 0..self.steps {
                let products = (0..3)
                    .flat_map(|g| (0..self.hidden).map(move |j| (g, j)))
                    .map(|(g, j)| {
                        let weight = io.parameter(WEIGHT_IH, Index::three(g, j, c));
                        times(weight, Self::gate_delta(io, g, t, j, false))
                    })
                    .collect();
                input.push(Dot::in_order(products));
            }
        }
        Backward { steps, input }
    }

    /// Each parameter's derivative, its sum over the steps (the hidden weights' from `t = 1`).
    pub(super) fn scalar_gradient(&self, io: &Io) -> Vec<Vec<Expr>> {
        let (c_count, h_count) = (self.features, self.hidden);
        let mut tensors = vec![Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        for g in 0..3 {
            for j in 0..h_count {
                for c in 0..c_count {
                    let products = (0..self.steps)
                        .map(|t| {
                            times(
                                Self::gate_delta(io, g, t, j, false),
                                io.input(Index::two(c, t)),
                            )
                        })
                        .collect();
                    tensors[WEIGHT_IH].push(Dot::in_order(products));
                }
                for k in 0..h_count {
                    let products: Vec<Expr> = (1..self.steps)
                        .map(|t| {
                            times(
                                Self::gate_delta(io, g, t, j, true),
                                Self::value(io, Value::State, t - 1, k),
                            )
                        })
                        .collect();
                    tensors[WEIGHT_HH].push(crate::layers::conv1d::in_order_or_zero(products));
                }
                let sum = |hidden| {
                    let terms = (0..self.steps).map(|t| Self::gate_delta(io, g, t, j, hidden));
                    Dot::in_order(terms.collect())
                };
                tensors[BIAS_IH].push(sum(false));
                tensors[BIAS_HH].push(sum(true));
            }
        }
        tensors
    }
}
