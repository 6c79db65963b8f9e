//! The `JapaneseVowels` GRU net ([`crate::signal::Vowels`]), written out by hand: the
//! input read as one row per step, each step's gates as dot products, what backpropagation
//! through time needs kept per step; backward from the last step, the slope carried to the step
//! before as `W_hh^T` times the gate deltas (row by row, so the innermost loop is contiguous),
//! each weight's derivative summed over the steps in a local gradient and applied once at the
//! end (the weights are read at every step back). The same formulas and runtime functions
//! (`sigmoid`, `tanh`, softmax cross-entropy) as the generated code; sums in the order that is
//! fastest here, so equal to it up to rounding.

use super::signal::{HandWritten, affine, back, descend, dot, outer};
use crate::signal::{Vowels, Vowels64};
use backprop_core::activation::{sigmoid, tanh};
use backprop_core::loss::{
    softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_gradient,
};
use backprop_core::{Dense, Gru, Scalar};

/// Features, units, steps, classes.
const C: usize = 12;
const H: usize = 24;
const L: usize = 29;
const K: usize = 9;

/// The parameters of one [`Vowels`] net (or of its gradient), borrowed layer by layer.
pub struct Layers<'a, T> {
    gru: &'a mut Gru<T, C, H>,
    output: &'a mut Dense<T, H, K>,
}

/// What one step of the forward pass keeps for the way back.
#[derive(Clone, Copy)]
struct Step<T> {
    /// r, z, n.
    gates: [[T; H]; 3],
    /// `W_hn h_(t-1) + b_hn`.
    hidden_n: [T; H],
    /// `h_t`.
    state: [T; H],
}

/// One sample through the net and back: returns the loss, hands every derivative to `apply`
/// with its slot, in `into` if given, else in `net` itself (plain SGD in place).
#[allow(
    clippy::many_single_char_names,
    clippy::too_many_lines,
    clippy::needless_range_loop,
    reason = "the math's names and indices (step t, gate g, unit j), one pass forward and back"
)]
fn pass<T: Scalar>(
    net: Layers<'_, T>,
    mut into: Option<Layers<'_, T>>,
    input: &[[T; L]; C],
    target: &[T; K],
    apply: impl Fn(&mut T, T) + Copy,
) -> T {
    let gru = &*net.gru;
    let x: [[T; C]; L] = core::array::from_fn(|t| core::array::from_fn(|c| input[c][t]));
    let zero = Step {
        gates: [[T::ZERO; H]; 3],
        hidden_n: [T::ZERO; H],
        state: [T::ZERO; H],
    };
    let mut steps = [zero; L];
    for t in 0..L {
        let (before, rest) = steps.split_at_mut(t);
        let h = before.last().map(|step| &step.state);
        let step = &mut rest[0];
        for j in 0..H {
            let gate = |g: usize| {
                let from_input = dot(&gru.weight_ih[g][j], &x[t]) + gru.bias_ih[g][j];
                let from_hidden = h.map_or(T::ZERO, |h| dot(&gru.weight_hh[g][j], h));
                (from_input, from_hidden + gru.bias_hh[g][j])
            };
            let ((ir, hr), (iz, hz), (inn, hn)) = (gate(0), gate(1), gate(2));
            let r = sigmoid(ir + hr);
            let z = sigmoid(iz + hz);
            let n = tanh(inn + r * hn);
            let previous = h.map_or(T::ZERO, |h| h[j]);
            step.gates[0][j] = r;
            step.gates[1][j] = z;
            step.gates[2][j] = n;
            step.hidden_n[j] = hn;
            step.state[j] = (T::ONE - z) * n + z * previous;
        }
    }
    let last = &steps[L - 1].state;
    let logits = affine(&net.output.weights, &net.output.bias, last);
    let loss = softmax_cross_entropy_with_logits(&logits, target);
    let d_out = softmax_cross_entropy_with_logits_gradient(&logits, target);
    let mut dh = back(&net.output.weights, &d_out);
    let output = into.as_mut().map_or(&mut *net.output, |g| &mut *g.output);
    outer(&mut output.weights, &mut output.bias, &d_out, last, apply);

    // The GRU's derivatives, summed over the steps.
    let mut d = Gru::<T, C, H>::ZERO;
    for t in (0..L).rev() {
        let Step {
            gates: [r, z, n],
            hidden_n,
            ..
        } = &steps[t];
        let zeros = [T::ZERO; H];
        let h = if t > 0 { &steps[t - 1].state } else { &zeros };
        let mut di = [[T::ZERO; H]; 3];
        let mut dhh = [[T::ZERO; H]; 3];
        for j in 0..H {
            let dn = dh[j] * (T::ONE - z[j]) * (T::ONE - n[j] * n[j]);
            let dr = dn * hidden_n[j] * (r[j] * (T::ONE - r[j]));
            let dz = dh[j] * (h[j] - n[j]) * (z[j] * (T::ONE - z[j]));
            di[0][j] = dr;
            di[1][j] = dz;
            di[2][j] = dn;
            dhh[0][j] = dr;
            dhh[1][j] = dz;
            dhh[2][j] = dn * r[j];
        }
        for g in 0..3 {
            for j in 0..H {
                for (slot, &x) in d.weight_ih[g][j].iter_mut().zip(&x[t]) {
                    *slot += di[g][j] * x;
                }
                d.bias_ih[g][j] += di[g][j];
                d.bias_hh[g][j] += dhh[g][j];
            }
        }
        if t == 0 {
            break;
        }
        // dL/dh_(t-1) = z dh + W_hh^T dhh, and h_(t-1)'s share of dW_hh.
        let mut carry: [T; H] = core::array::from_fn(|k| z[k] * dh[k]);
        for g in 0..3 {
            for j in 0..H {
                let delta = dhh[g][j];
                let slots = d.weight_hh[g][j].iter_mut().zip(h);
                for ((slot, &h), (carry, &w)) in
                    slots.zip(carry.iter_mut().zip(&gru.weight_hh[g][j]))
                {
                    *slot += delta * h;
                    *carry += w * delta;
                }
            }
        }
        dh = carry;
    }
    let into = into.map_or(net.gru, |g| g.gru);
    let tensors = [
        (
            into.weight_ih.as_flattened_mut().as_flattened_mut(),
            d.weight_ih.as_flattened().as_flattened(),
        ),
        (
            into.weight_hh.as_flattened_mut().as_flattened_mut(),
            d.weight_hh.as_flattened().as_flattened(),
        ),
        (into.bias_ih.as_flattened_mut(), d.bias_ih.as_flattened()),
        (into.bias_hh.as_flattened_mut(), d.bias_hh.as_flattened()),
    ];
    for (slots, derivatives) in tensors {
        for (slot, &derivative) in slots.iter_mut().zip(derivatives) {
            apply(slot, derivative);
        }
    }
    loss
}

macro_rules! vowels {
    ($net:ty, $scalar:ty) => {
        impl HandWritten for $net {
            type Scalar = $scalar;
            type Input = [[$scalar; L]; C];
            type Target = [$scalar; K];

            fn train_step(&mut self, x: &Self::Input, t: &Self::Target, lr: $scalar) -> $scalar {
                pass(self.layers(), None, x, t, move |p, d| *p -= lr * d)
            }

            fn accumulate(
                &mut self,
                x: &Self::Input,
                t: &Self::Target,
                into: &mut Self,
            ) -> $scalar {
                pass(self.layers(), Some(into.layers()), x, t, |g, d| *g += d)
            }

            fn batch_step(
                &mut self,
                gradient: &mut Self,
                inputs: &[Self::Input],
                targets: &[Self::Target],
                lr: $scalar,
            ) -> $scalar {
                *gradient = <$net>::zeroed();
                let mut loss = 0.0;
                for (x, t) in inputs.iter().zip(targets) {
                    loss += self.accumulate(x, t, gradient);
                }
                let count = <$scalar as Scalar>::from_usize(inputs.len());
                let (net, mean) = (self.layers(), gradient.layers());
                let gru = [
                    (
                        net.gru.weight_ih.as_flattened_mut().as_flattened_mut(),
                        mean.gru.weight_ih.as_flattened().as_flattened(),
                    ),
                    (
                        net.gru.weight_hh.as_flattened_mut().as_flattened_mut(),
                        mean.gru.weight_hh.as_flattened().as_flattened(),
                    ),
                    (
                        net.gru.bias_ih.as_flattened_mut(),
                        mean.gru.bias_ih.as_flattened(),
                    ),
                    (
                        net.gru.bias_hh.as_flattened_mut(),
                        mean.gru.bias_hh.as_flattened(),
                    ),
                ];
                for (parameters, gradient) in gru {
                    descend(parameters, gradient, lr, count);
                }
                descend(
                    net.output.weights.as_flattened_mut(),
                    mean.output.weights.as_flattened(),
                    lr,
                    count,
                );
                descend(&mut net.output.bias, &mean.output.bias, lr, count);
                loss / count
            }
        }

        impl $net {
            fn layers(&mut self) -> Layers<'_, $scalar> {
                Layers {
                    gru: &mut self.gru,
                    output: &mut self.output,
                }
            }
        }
    };
}

vowels!(Vowels, f32);
vowels!(Vowels64, f64);
