//! [`Gru`]: a gated recurrent unit, torch's `nn.GRU` (one layer, biases, `h_0 = 0`), over a
//! signal `[C, L]` read as `L` steps of `C` features, with backpropagation through the whole
//! window: every step's values are kept ([`GruSteps`], on the stack), nothing is truncated.
//!
//! Forward, step `t` (gates r, z, n in torch's order; `W_i*` of `weight_ih`, `W_h*` of `weight_hh`):
//!
//! ```text
//! r = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)
//! z = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)
//! n = tanh(W_in x_t + b_in + r * (W_hn h_(t-1) + b_hn))
//! h_t = (1 - z) * n + z * h_(t-1)
//! ```
//!
//! Backward, from `t = L - 1` down to 0, with `dh` the slope of the loss for `h_t` (the output's
//! delta at that step plus what flows back from step `t + 1`):
//!
//! ```text
//! dpre_n = tanh'(pre_n) * (dh * (1 - z))
//! dpre_r = sigmoid'(pre_r) * (dpre_n * (W_hn h_(t-1) + b_hn))
//! dpre_z = sigmoid'(pre_z) * (dh * (h_(t-1) - n))
//! dL/dh_(t-1) = z * dh + sum_(g, j) W_h[g][j] * [dpre_r, dpre_z, dpre_n * r][g][j]
//! dL/dx_t = sum_(g, j) W_i[g][j] * [dpre_r, dpre_z, dpre_n][g][j]
//! ```
//!
//! and each parameter's derivative is its sum over the steps (`dL/dW_i[g][j][c] = sum_t
//! dgi[t][g][j] x_t[c]`, the hidden weights from `t = 1`, since `h_0 = 0`).
//!
//! # The summation order
//!
//! The gate sums `W x + b` and `W h + b` each follow the canonical order of a forward dot product
//! ([`kernel`](crate::kernel)); at `t = 0` the hidden sum is its bias alone and `h_0`'s term
//! `z * h_(-1)` is left out, as `h_(-1) = 0`. The backward sums run over `(g, j)` with the gate
//! outermost, the parameter sums over `t` ascending, each left to right from its first term. The
//! unrolled form writes exactly these expressions, so the two forms agree to the bit.

use crate::store::Store;
use crate::{Layer, Number};

/// The weights and biases of a GRU from `C` features to `H` hidden units, each tensor's gates
/// stacked as torch stacks them: reset (`[0]`), update (`[1]`), new (`[2]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gru<T, const C: usize, const H: usize> {
    /// `weight_ih[g][j][c]`: torch's `weight_ih_l0`, `[3 H, C]`.
    pub weight_ih: [[[T; C]; H]; 3],
    /// `weight_hh[g][j][k]`: torch's `weight_hh_l0`, `[3 H, H]`.
    pub weight_hh: [[[T; H]; H]; 3],
    /// `bias_ih[g][j]`: torch's `bias_ih_l0`, `[3 H]`.
    pub bias_ih: [[T; H]; 3],
    /// `bias_hh[g][j]`: torch's `bias_hh_l0`, `[3 H]`.
    pub bias_hh: [[T; H]; 3],
}

/// Every step's values of a GRU's forward pass, and its step deltas once the backward pass has
/// run: what backpropagation through the window reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GruSteps<T, const H: usize, const L: usize> {
    /// The pre-activations of r, z and n at each step.
    pub pre: [[[T; H]; 3]; L],
    /// r, z and n at each step.
    pub gates: [[[T; H]; 3]; L],
    /// `W_hn h_(t-1) + b_hn` at each step.
    pub hidden_n: [[T; H]; L],
    /// `h_t`.
    pub states: [[T; H]; L],
    /// `dL/d(W_i x_t + b_i)` of each gate: `[dpre_r, dpre_z, dpre_n]`.
    pub input_deltas: [[[T; H]; 3]; L],
    /// `dL/d(W_h h_(t-1) + b_h)` of each gate: `[dpre_r, dpre_z, dpre_n * r]`.
    pub hidden_deltas: [[[T; H]; 3]; L],
}

impl<T: Number, const H: usize, const L: usize> GruSteps<T, H, L> {
    /// Every value zero: where a forward pass starts writing.
    pub const ZERO: Self = GruSteps {
        pre: [[[T::ZERO; H]; 3]; L],
        gates: [[[T::ZERO; H]; 3]; L],
        hidden_n: [[T::ZERO; H]; L],
        states: [[T::ZERO; H]; L],
        input_deltas: [[[T::ZERO; H]; 3]; L],
        hidden_deltas: [[[T::ZERO; H]; 3]; L],
    };
}

impl<T: Number, const H: usize, const L: usize> Default for GruSteps<T, H, L> {
    fn default() -> Self {
        Self::ZERO
    }
}

/// The gates, by index in each tensor.
const R: usize = 0;
const Z: usize = 1;
const N: usize = 2;

impl<T: Number, const C: usize, const H: usize> Gru<T, C, H> {
    /// A GRU whose every parameter is zero.
    pub const ZERO: Self = Self {
        weight_ih: [[[T::ZERO; C]; H]; 3],
        weight_hh: [[[T::ZERO; H]; H]; 3],
        bias_ih: [[T::ZERO; H]; 3],
        bias_hh: [[T::ZERO; H]; 3],
    };

    /// Runs every step, keeping each one's values in `steps`.
    #[allow(
        clippy::many_single_char_names,
        clippy::needless_range_loop,
        reason = "the math's names (r, z, n, x, h) and its step index t"
    )]
    fn run<const L: usize>(&self, input: &[[T; L]; C], steps: &mut GruSteps<T, H, L>) {
        // Every step's input sums `W_i x_t + b_i` at once, the steps as the samples of one
        // dense map (they do not wait on the state), kept in `pre` until each step replaces
        // them with its gates' sums.
        let xs = steps_of(input);
        T::affine_rows(
            self.weight_ih.as_flattened().as_flattened(),
            self.bias_ih.as_flattened(),
            C,
            xs.as_flattened(),
            steps.pre.as_flattened_mut().as_flattened_mut(),
        );
        for t in 0..L {
            let previous = t.checked_sub(1).map(|before| steps.states[before]);
            let hidden = match &previous {
                Some(h) => {
                    let mut sums = [[T::ZERO; H]; 3];
                    T::affine_rows(
                        self.weight_hh.as_flattened().as_flattened(),
                        self.bias_hh.as_flattened(),
                        H,
                        h,
                        sums.as_flattened_mut(),
                    );
                    sums
                }
                None => self.bias_hh,
            };
            for j in 0..H {
                let [input_r, input_z, input_n] = [R, Z, N].map(|g| steps.pre[t][g][j]);
                let pre_r = input_r.accumulate(hidden[R][j]);
                let r = pre_r.logistic();
                let pre_z = input_z.accumulate(hidden[Z][j]);
                let z = pre_z.logistic();
                let hidden_n = hidden[N][j];
                let pre_n = input_n.accumulate(r.product(hidden_n));
                let n = pre_n.hyperbolic_tangent();
                let kept = T::ONE.difference(z).product(n);
                steps.states[t][j] = match &previous {
                    Some(h) => kept.accumulate(z.product(h[j])),
                    None => kept,
                };
                steps.pre[t][R][j] = pre_r;
                steps.pre[t][Z][j] = pre_z;
                steps.pre[t][N][j] = pre_n;
                steps.gates[t][R][j] = r;
                steps.gates[t][Z][j] = z;
                steps.gates[t][N][j] = n;
                steps.hidden_n[t][j] = hidden_n;
            }
        }
    }

    /// The last hidden state, `h_(L-1)`, every step kept in `steps`.
    pub fn forward<const L: usize>(
        &self,
        input: &[[T; L]; C],
        steps: &mut GruSteps<T, H, L>,
    ) -> [T; H] {
        self.run(input, steps);
        steps.states[L - 1]
    }

    /// Every hidden state, `[H, L]` (unit-major, a signal of `H` channels), every step kept in
    /// `steps`.
    pub fn forward_sequence<const L: usize>(
        &self,
        input: &[[T; L]; C],
        steps: &mut GruSteps<T, H, L>,
    ) -> [[T; L]; H] {
        self.run(input, steps);
        core::array::from_fn(|j| core::array::from_fn(|t| steps.states[t][j]))
    }

    /// Backpropagation through the window from `dL/dh_(L-1) = delta`: each step's gate deltas into
    /// `steps`.
    pub fn deltas<const L: usize>(&self, delta: &[T; H], steps: &mut GruSteps<T, H, L>) {
        self.back_through_time(steps, |t, j| (t == L - 1).then_some(delta[j]));
    }

    /// Backpropagation through the window from `dL/dh_t = delta[j][t]` at every step.
    pub fn deltas_sequence<const L: usize>(
        &self,
        delta: &[[T; L]; H],
        steps: &mut GruSteps<T, H, L>,
    ) {
        self.back_through_time(steps, |t, j| Some(delta[j][t]));
    }

    /// The steps from the last back to the first: `dh` of each step from the output's delta there
    /// (`delta_at`, first) and what flows back from the step after, then the gate deltas.
    fn back_through_time<const L: usize>(
        &self,
        steps: &mut GruSteps<T, H, L>,
        delta_at: impl Fn(usize, usize) -> Option<T>,
    ) {
        let mut carry: Option<[T; H]> = None;
        for t in (0..L).rev() {
            let slope: [T; H] = core::array::from_fn(|j| match (delta_at(t, j), carry) {
                (Some(delta), Some(carry)) => delta.accumulate(carry[j]),
                (Some(delta), None) => delta,
                (None, Some(carry)) => carry[j],
                (None, None) => T::ZERO,
            });
            for (j, &dh) in slope.iter().enumerate() {
                let [r, z, n] = [R, Z, N].map(|g| steps.gates[t][g][j]);
                let [pre_r, pre_z, pre_n] = [R, Z, N].map(|g| steps.pre[t][g][j]);
                let dpre_n =
                    T::hyperbolic_tangent_slope(pre_n, n).product(dh.product(T::ONE.difference(z)));
                let dpre_r =
                    T::logistic_slope(pre_r, r).product(dpre_n.product(steps.hidden_n[t][j]));
                let previous = t
                    .checked_sub(1)
                    .map_or(T::ZERO, |before| steps.states[before][j]);
                let dpre_z =
                    T::logistic_slope(pre_z, z).product(dh.product(previous.difference(n)));
                steps.input_deltas[t][R][j] = dpre_r;
                steps.input_deltas[t][Z][j] = dpre_z;
                steps.input_deltas[t][N][j] = dpre_n;
                steps.hidden_deltas[t][R][j] = dpre_r;
                steps.hidden_deltas[t][Z][j] = dpre_z;
                steps.hidden_deltas[t][N][j] = dpre_n.product(r);
            }
            carry = (t > 0).then(|| {
                // `W_h^T` times the gate deltas: the dense backward map, the gates' rows in order.
                let mut sums = [T::ZERO; H];
                T::transposed_rows(
                    self.weight_hh.as_flattened().as_flattened(),
                    H,
                    steps.hidden_deltas[t].as_flattened(),
                    &mut sums,
                );
                core::array::from_fn(|k| steps.gates[t][Z][k].product(slope[k]).accumulate(sums[k]))
            });
        }
    }

    /// The slopes of the loss for the input, `dL/dx[c][t]`, from the step deltas.
    #[must_use]
    pub fn backward<const L: usize>(&self, steps: &GruSteps<T, H, L>) -> [[T; L]; C] {
        let mut slopes = [[T::ZERO; C]; L];
        for (slopes, deltas) in slopes.iter_mut().zip(&steps.input_deltas) {
            T::transposed_rows(
                self.weight_ih.as_flattened().as_flattened(),
                C,
                deltas.as_flattened(),
                slopes,
            );
        }
        core::array::from_fn(|c| core::array::from_fn(|t| slopes[t][c]))
    }

    /// The derivatives of the loss for every weight and bias, each a sum over the steps, stored
    /// into `self` (a gradient, or the layer itself when descending) by `store`.
    #[allow(
        clippy::needless_range_loop,
        reason = "the gate g, unit j and feature c index three tensors alike"
    )]
    pub fn store_gradient<const L: usize, St: Store<T>>(
        &mut self,
        store: &St,
        input: &[[T; L]; C],
        steps: &GruSteps<T, H, L>,
    ) {
        // Each derivative is a sum over the steps in order. One row of a gate at a time, the
        // steps outermost and the row's columns innermost, so the sums of a row advance side by
        // side (they vectorise) rather than each one a chain of dependent adds.
        let xs = steps_of(input);
        for g in 0..3 {
            for j in 0..H {
                let mut inputs = [T::EMPTY_SUM; C];
                let mut hidden = [T::EMPTY_SUM; H];
                let (mut bias_i, mut bias_h) = (T::EMPTY_SUM, T::EMPTY_SUM);
                for t in 0..L {
                    let delta = steps.input_deltas[t][g][j];
                    for (sum, &x) in inputs.iter_mut().zip(&xs[t]) {
                        *sum = T::add_product(*sum, delta, x);
                    }
                    bias_i = T::add_term(bias_i, delta);
                    let delta = steps.hidden_deltas[t][g][j];
                    if t > 0 {
                        for (sum, &h) in hidden.iter_mut().zip(&steps.states[t - 1]) {
                            *sum = T::add_product(*sum, delta, h);
                        }
                    }
                    bias_h = T::add_term(bias_h, delta);
                }
                for (slot, &sum) in self.weight_ih[g][j].iter_mut().zip(&inputs) {
                    store.store(slot, T::close(sum));
                }
                // `h_0 = 0`: with one step, no term at all.
                for (slot, &sum) in self.weight_hh[g][j].iter_mut().zip(&hidden) {
                    store.store(slot, if L > 1 { T::close(sum) } else { T::ZERO });
                }
                store.store(&mut self.bias_ih[g][j], T::close(bias_i));
                store.store(&mut self.bias_hh[g][j], T::close(bias_h));
            }
        }
    }
}

/// The signal `[C, L]` as `L` rows of `C` features: one row per step.
fn steps_of<T: Number, const C: usize, const L: usize>(input: &[[T; L]; C]) -> [[T; C]; L] {
    core::array::from_fn(|t| core::array::from_fn(|c| input[c][t]))
}

/// Four tensors, torch's order: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, each row-major
/// (torch's `[3 H, C]`, `[3 H, H]`, `[3 H]`, `[3 H]`).
impl<T: Number, const C: usize, const H: usize> Layer<T> for Gru<T, C, H> {
    const TENSORS: usize = 4;

    fn tensor(&self, index: usize) -> &[T] {
        match index {
            0 => self.weight_ih.as_flattened().as_flattened(),
            1 => self.weight_hh.as_flattened().as_flattened(),
            2 => self.bias_ih.as_flattened(),
            3 => self.bias_hh.as_flattened(),
            _ => &[],
        }
    }

    fn tensor_mut(&mut self, index: usize) -> &mut [T] {
        match index {
            0 => self.weight_ih.as_flattened_mut().as_flattened_mut(),
            1 => self.weight_hh.as_flattened_mut().as_flattened_mut(),
            2 => self.bias_ih.as_flattened_mut(),
            3 => self.bias_hh.as_flattened_mut(),
            _ => &mut [],
        }
    }
}

/// `::backprop_core::Gru { weight_ih: [..], weight_hh: [..], bias_ih: [..], bias_hh: [..] }`.
#[cfg(feature = "std")]
impl<T: Number, const C: usize, const H: usize> crate::source::Source for Gru<T, C, H> {
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::Gru {\n        weight_ih: [")?;
        crate::source::write_planes(out, &self.weight_ih)?;
        out.write_str("],\n        weight_hh: [")?;
        crate::source::write_planes(out, &self.weight_hh)?;
        out.write_str("],\n        bias_ih: [")?;
        crate::source::write_rows(out, &self.bias_ih)?;
        out.write_str("],\n        bias_hh: [")?;
        crate::source::write_rows(out, &self.bias_hh)?;
        out.write_str("],\n    }")
    }
}
