//! The same training step and batched forward written with a GEMM: every layer's product over the
//! batch is one call to matrixmultiply's sgemm/dgemm (through `ndarray::linalg::general_mat_mul`,
//! safe; its own summation order, FMA where the CPU has it), the rest plain loops over the rows.
//! This is how a person writes a mini-batch step on top of a matrix crate (with the runtime's
//! `exp`, `ln` and `tanh`, as the generated code and the hand-written references use):
//!
//! - forward: `Z = X W^T + b` (the bias rows first, then `C = X W^T + C`), the activation on `Z`
//!   in place;
//! - output deltas: softmax with cross-entropy `P - T`, identity with mean squared error
//!   `2 (Y - T) / O`;
//! - backward, last layer first: `U = D W` (before the update), times the activation's slope
//!   (ReLU `a > 0`, tanh `1 - a^2`); the update fused into one call, `W = W - (lr / B) D^T X`,
//!   and the bias by hand.
//!
//! Buffers are made once by [`Gemm::new`]; no call allocates. `main` of `nets.rs` checks each
//! against the generated `train_batch` before timing.

use backprop_core::{Network, Scalar, math};
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// The hidden layers' activation.
#[derive(Debug, Clone, Copy)]
pub enum Hidden {
    Relu,
    Tanh,
}

/// The output layer and its loss.
#[derive(Debug, Clone, Copy)]
pub enum Output {
    /// Softmax, cross-entropy.
    Softmax,
    /// Identity, mean squared error.
    Identity,
}

/// A net's shape and the buffers of its batched step.
#[derive(Debug, Clone)]
pub struct Gemm<T> {
    widths: Vec<usize>,
    hidden: Hidden,
    output: Output,
    batch: usize,
    /// `activations[l]`: layer `l`'s outputs, `batch x widths[l + 1]`, row-major.
    activations: Vec<Vec<T>>,
    /// `deltas[l]`: the loss's slope at layer `l`'s pre-activations.
    deltas: Vec<Vec<T>>,
}

fn view<T>(data: &[T], rows: usize, columns: usize) -> ArrayView2<'_, T> {
    ArrayView2::from_shape((rows, columns), data).expect("the shape of the data")
}

fn view_mut<T>(data: &mut [T], rows: usize, columns: usize) -> ArrayViewMut2<'_, T> {
    ArrayViewMut2::from_shape((rows, columns), data).expect("the shape of the data")
}

impl<T: Scalar + LinalgScalar> Gemm<T> {
    /// Buffers for `batch` samples of a net with layer widths `widths` (inputs first).
    pub fn new(widths: &[usize], hidden: Hidden, output: Output, batch: usize) -> Self {
        let buffers = || {
            widths[1..]
                .iter()
                .map(|w| vec![T::ZERO; w * batch])
                .collect()
        };
        Self {
            widths: widths.to_vec(),
            hidden,
            output,
            batch,
            activations: buffers(),
            deltas: buffers(),
        }
    }

    /// The outputs for the batch (`inputs` is `batch x widths[0]`), `batch x widths[last]`.
    pub fn forward<N: Network<Scalar = T>>(&mut self, net: &N, inputs: &[T]) -> &[T] {
        let layers = self.activations.len();
        for l in 0..layers {
            let (before, after) = self.activations.split_at_mut(l);
            let x = if l == 0 { inputs } else { &before[l - 1] };
            let z = &mut after[0];
            let (fan_in, fan_out) = (self.widths[l], self.widths[l + 1]);
            let bias = net.tensor(2 * l + 1);
            for row in z.chunks_exact_mut(fan_out) {
                row.copy_from_slice(bias);
            }
            let w = view(net.tensor(2 * l), fan_out, fan_in);
            let mut c = view_mut(z, self.batch, fan_out);
            general_mat_mul(T::ONE, &view(x, self.batch, fan_in), &w.t(), T::ONE, &mut c);
            if l + 1 < layers {
                match self.hidden {
                    Hidden::Relu => z.iter_mut().for_each(|z| *z = z.max(T::ZERO)),
                    Hidden::Tanh => z.iter_mut().for_each(|z| *z = math::tanh(*z)),
                }
            } else if let Output::Softmax = self.output {
                z.chunks_exact_mut(fan_out).for_each(softmax);
            }
        }
        &self.activations[layers - 1]
    }

    /// One SGD step on the mean loss of the batch; returns the mean loss before the step.
    pub fn step<N: Network<Scalar = T>>(
        &mut self,
        net: &mut N,
        inputs: &[T],
        targets: &[T],
        learning_rate: T,
    ) -> T {
        self.forward(net, inputs);
        let loss = self.output_deltas(targets);
        let scale = T::ZERO - learning_rate / T::from_usize(self.batch);
        for l in (0..self.activations.len()).rev() {
            let (fan_in, fan_out) = (self.widths[l], self.widths[l + 1]);
            let (before, after) = self.deltas.split_at_mut(l);
            let d = view(&after[0], self.batch, fan_out);
            if l > 0 {
                let up = &mut before[l - 1];
                let w = view(net.tensor(2 * l), fan_out, fan_in);
                general_mat_mul(
                    T::ONE,
                    &d,
                    &w,
                    T::ZERO,
                    &mut view_mut(up, self.batch, fan_in),
                );
                let a = &self.activations[l - 1];
                match self.hidden {
                    Hidden::Relu => up.iter_mut().zip(a).for_each(|(u, &a)| {
                        if a <= T::ZERO {
                            *u = T::ZERO;
                        }
                    }),
                    Hidden::Tanh => up
                        .iter_mut()
                        .zip(a)
                        .for_each(|(u, &a)| *u *= T::ONE - a * a),
                }
            }
            let x = if l == 0 {
                inputs
            } else {
                &self.activations[l - 1]
            };
            let w = net.tensor_mut(2 * l);
            let mut w = view_mut(w, fan_out, fan_in);
            general_mat_mul(scale, &d.t(), &view(x, self.batch, fan_in), T::ONE, &mut w);
            let bias = net.tensor_mut(2 * l + 1);
            for row in after[0].chunks_exact(fan_out) {
                for (b, &d) in bias.iter_mut().zip(row) {
                    *b += scale * d;
                }
            }
        }
        loss
    }

    /// The output layer's deltas into `deltas[last]`; the mean loss.
    fn output_deltas(&mut self, targets: &[T]) -> T {
        let last = self.activations.len() - 1;
        let width = self.widths[last + 1];
        let (y, d) = (&self.activations[last], &mut self.deltas[last]);
        let mut loss = T::ZERO;
        for ((y, t), d) in y.iter().zip(targets).zip(d.iter_mut()) {
            match self.output {
                Output::Softmax => {
                    if *t != T::ZERO {
                        loss -= *t * math::ln(*y);
                    }
                    *d = *y - *t;
                }
                Output::Identity => {
                    let error = *y - *t;
                    loss += error * error / T::from_usize(width);
                    *d = (error + error) / T::from_usize(width);
                }
            }
        }
        loss / T::from_usize(self.batch)
    }
}

/// `z = exp(z - max) / sum`, in place.
fn softmax<T: Scalar>(z: &mut [T]) {
    let max = z.iter().fold(z[0], |m, &z| m.max(z));
    let mut sum = T::ZERO;
    for z in z.iter_mut() {
        *z = math::exp(*z - max);
        sum += *z;
    }
    for z in z.iter_mut() {
        *z /= sum;
    }
}
