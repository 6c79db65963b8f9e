//! Training in Q16.16 fixed point, integer arithmetic only (`backprop_core::fixed`): the xor and
//! sine examples' nets, trained with plain SGD one sample at a time, to the float examples' goals:
//! xor all four right with a mean binary cross-entropy under 0.01, and the sine with a mean squared
//! error under 1e-3 on the held-out grid of 1,001 points on `[-pi, pi]`.
//!
//! `network!` does not yet write Q16.16 nets (`scalar: I16F16`), so the layers are chained here by
//! hand, with the same back-propagation the macro writes: `delta = f'(z) * upstream`, the weight
//! gradient `delta_j a_i`, the upstream `sum_j w_ji delta_j`.

use backprop_core::fixed::activation::{sigmoid, sigmoid_derivative, tanh, tanh_derivative};
use backprop_core::fixed::loss::squared_error_derivative;
use backprop_core::fixed::{I16F16, mul};
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::{Dense, network};
use backprop_examples::print_wall_time;
use std::f64::consts::PI;
use std::time::Instant;

network! {
    /// Xavier-initialised in f64, then rounded to Q16.16: the fixed-point xor's starting point.
    struct XorStart { input: 2, hidden: dense(4, tanh), output: dense(1, sigmoid), loss: squared_error }
}

network! {
    /// The same for the sine: two tanh layers of 16, as in the float sine example.
    struct SineStart {
        input: 1,
        first: dense(16, tanh),
        second: dense(16, tanh),
        output: dense(1, identity),
        loss: squared_error,
    }
}

/// An activation and its derivative (from `z` and the activation's value).
type Activation = (fn(I16F16) -> I16F16, fn(I16F16, I16F16) -> I16F16);

/// One Q16.16 layer and its activation.
struct Layer<const I: usize, const O: usize> {
    dense: Dense<I16F16, I, O>,
    activation: fn(I16F16) -> I16F16,
    derivative: fn(I16F16, I16F16) -> I16F16,
}

impl<const I: usize, const O: usize> Layer<I, O> {
    fn new(layer: &Dense<f64, I, O>, kind: Activation) -> Self {
        Self {
            dense: Dense::from_f64(layer),
            activation: kind.0,
            derivative: kind.1,
        }
    }

    /// `(z, a)`.
    fn forward(&self, input: &[I16F16; I]) -> ([I16F16; O], [I16F16; O]) {
        let z = self.dense.pre_activation(input);
        (z, z.map(self.activation))
    }

    /// `delta_j = f'(z_j) upstream_j`; then one SGD step on this layer, and the upstream of the
    /// layer below (computed with the weights before the step).
    fn backward(
        &mut self,
        (input, z, a): (&[I16F16; I], &[I16F16; O], &[I16F16; O]),
        upstream: &[I16F16; O],
        learning_rate: I16F16,
    ) -> [I16F16; I] {
        let delta: [I16F16; O] =
            std::array::from_fn(|j| mul((self.derivative)(z[j], a[j]), upstream[j]));
        let below = self.dense.back_propagate(&delta);
        let mut gradient = Dense::ZERO_FIXED;
        gradient.set_gradient(&delta, input);
        self.dense.sgd_step(&gradient, learning_rate);
        below
    }
}

fn identity(z: I16F16) -> I16F16 {
    z
}

fn one(_z: I16F16, _a: I16F16) -> I16F16 {
    I16F16::ONE
}

fn main() {
    let start = Instant::now();
    xor();
    sine();
    print_wall_time(start);
}

fn xor() {
    const INPUTS: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    const TARGETS: [f64; 4] = [0.0, 1.0, 1.0, 0.0];
    let start = XorStart::xavier_uniform(3);
    let mut hidden = Layer::new(&start.hidden, (tanh, tanh_derivative));
    let mut output = Layer::new(&start.output, (sigmoid, sigmoid_derivative));
    let learning_rate = I16F16::from_num(0.5);
    let predict = |hidden: &Layer<2, 4>, output: &Layer<4, 1>, x: &[f64; 2]| {
        output
            .forward(&hidden.forward(&x.map(I16F16::from_num)).1)
            .1[0]
            .to_num::<f64>()
    };
    let mut epochs = 0;
    let cross_entropy = loop {
        let predictions = INPUTS.map(|x| predict(&hidden, &output, &x));
        let cross_entropy = binary_cross_entropy(&predictions, &TARGETS);
        if cross_entropy < 0.01 || epochs == 20_000 {
            break cross_entropy;
        }
        for (x, t) in INPUTS.iter().zip(TARGETS) {
            let x = x.map(I16F16::from_num);
            let (z1, a1) = hidden.forward(&x);
            let (z2, a2) = output.forward(&a1);
            let slope = [squared_error_derivative(a2[0], I16F16::from_num(t))];
            let upstream = output.backward((&a1, &z2, &a2), &slope, learning_rate);
            hidden.backward((&x, &z1, &a1), &upstream, learning_rate);
        }
        epochs += 1;
    };
    let correct = INPUTS
        .iter()
        .zip(TARGETS)
        .filter(|&(x, t)| (predict(&hidden, &output, x) > 0.5) == (t > 0.5))
        .count();
    println!(
        "xor in Q16.16: {correct}/4 right, mean binary cross-entropy {cross_entropy:.5} after {epochs} epochs of SGD (goal: 4/4, under 0.01)"
    );
    assert_eq!(correct, 4, "the fixed-point xor is not solved");
    assert!(
        cross_entropy < 0.01,
        "the fixed-point xor's loss {cross_entropy} is over 0.01"
    );
}

/// The mean binary cross-entropy of probabilities against 0/1 targets, in f64 (to compare with
/// the float example's goal; the net trained on the squared error).
fn binary_cross_entropy(predictions: &[f64], targets: &[f64]) -> f64 {
    let terms = predictions.iter().zip(targets).map(|(&p, &t)| {
        let p = p.clamp(1e-7, 1.0 - 1e-7);
        -(t * p.ln() + (1.0 - t) * (1.0 - p).ln())
    });
    #[allow(clippy::cast_precision_loss)] // four samples
    let count = predictions.len() as f64;
    terms.sum::<f64>() / count
}

fn sine() {
    const SAMPLES: usize = 256;
    const EPOCHS: usize = 300;
    let mut random = Xoshiro256PlusPlus::seed_from_u64(2024);
    let train: Vec<f64> = (0..SAMPLES)
        .map(|_| PI * (2.0 * random.next_f64() - 1.0))
        .collect();
    let grid: Vec<f64> = (0..1_001)
        .map(|k| -PI + 2.0 * PI * f64::from(k) / 1_000.0)
        .collect();
    let start = SineStart::xavier_uniform(1);
    let mut first = Layer::new(&start.first, (tanh, tanh_derivative));
    let mut second = Layer::new(&start.second, (tanh, tanh_derivative));
    let mut output = Layer::new(&start.output, (identity, one));
    let mut order: Vec<usize> = (0..SAMPLES).collect();
    for epoch in 0..EPOCHS {
        // From 0.02 down to 0.002: small steps late, but never under the 2^-16 a step must reach.
        #[allow(clippy::cast_precision_loss)]
        let learning_rate = I16F16::from_num(0.02 - 0.018 * epoch as f64 / EPOCHS as f64);
        backprop_core::fit::shuffle(&mut order, &mut random);
        for &k in &order {
            let x = [I16F16::from_num(train[k])];
            let (z1, a1) = first.forward(&x);
            let (z2, a2) = second.forward(&a1);
            let (z3, y) = output.forward(&a2);
            let slope = [squared_error_derivative(
                y[0],
                I16F16::from_num(train[k].sin()),
            )];
            let upstream = output.backward((&a2, &z3, &y), &slope, learning_rate);
            let upstream = second.backward((&a1, &z2, &a2), &upstream, learning_rate);
            first.backward((&x, &z1, &a1), &upstream, learning_rate);
        }
    }
    let squared: f64 = grid
        .iter()
        .map(|&x| {
            let a = first.forward(&[I16F16::from_num(x)]).1;
            let y = output.forward(&second.forward(&a).1).1[0].to_num::<f64>();
            (y - x.sin()).powi(2)
        })
        .sum();
    let grid_error = squared / 1_001.0;
    println!(
        "sine in Q16.16: held-out grid mean squared error {grid_error:.3e} after {EPOCHS} epochs of SGD (goal: under 1e-3)"
    );
    assert!(
        grid_error < 1e-3,
        "the fixed-point sine was not learnt: MSE {grid_error}"
    );
}
