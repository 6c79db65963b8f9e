//! Training in Q16.16 fixed point, integer arithmetic only (`backprop_core::fixed`): the xor and
//! sine examples' nets, trained with plain SGD one sample at a time, to the float examples' goals:
//! xor all four right with a mean binary cross-entropy under 0.01, and the sine with a mean squared
//! error under 1e-3 on the held-out grid of 1,001 points on `[-pi, pi]`.
//!
//! The nets are `network!`s with `scalar: I16F16`, started from the f64 nets' seeded initialisers
//! rounded to Q16.16, and trained with their `train_step`.

use backprop_core::fixed::I16F16;
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

network! {
    /// XOR in Q16.16.
    struct FixedXor {
        scalar: I16F16,
        input: 2,
        hidden: dense(4, tanh),
        output: dense(1, sigmoid),
        loss: squared_error,
    }
}

network! {
    /// The sine in Q16.16.
    struct FixedSine {
        scalar: I16F16,
        input: 1,
        first: dense(16, tanh),
        second: dense(16, tanh),
        output: dense(1, identity),
        loss: squared_error,
    }
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
    let mut net = FixedXor {
        hidden: Dense::from_f64(&start.hidden),
        output: Dense::from_f64(&start.output),
    };
    let learning_rate = I16F16::from_num(0.5);
    let predict =
        |net: &FixedXor, x: &[f64; 2]| net.forward(&x.map(I16F16::from_num))[0].to_num::<f64>();
    let mut epochs = 0;
    let cross_entropy = loop {
        let predictions = INPUTS.map(|x| predict(&net, &x));
        let cross_entropy = binary_cross_entropy(&predictions, &TARGETS);
        if cross_entropy < 0.01 || epochs == 20_000 {
            break cross_entropy;
        }
        for (x, t) in INPUTS.iter().zip(TARGETS) {
            net.train_step(
                &x.map(I16F16::from_num),
                &[I16F16::from_num(t)],
                learning_rate,
            );
        }
        epochs += 1;
    };
    let correct = INPUTS
        .iter()
        .zip(TARGETS)
        .filter(|&(x, t)| (predict(&net, x) > 0.5) == (t > 0.5))
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
    let mut net = FixedSine {
        first: Dense::from_f64(&start.first),
        second: Dense::from_f64(&start.second),
        output: Dense::from_f64(&start.output),
    };
    let mut order: Vec<usize> = (0..SAMPLES).collect();
    for epoch in 0..EPOCHS {
        // From 0.02 down to 0.002: small steps late, but never under the 2^-16 a step must reach.
        #[allow(clippy::cast_precision_loss)]
        let learning_rate = I16F16::from_num(0.02 - 0.018 * epoch as f64 / EPOCHS as f64);
        backprop_core::fit::shuffle(&mut order, &mut random);
        for &k in &order {
            let (x, t) = (train[k], train[k].sin());
            net.train_step(
                &[I16F16::from_num(x)],
                &[I16F16::from_num(t)],
                learning_rate,
            );
        }
    }
    let squared: f64 = grid
        .iter()
        .map(|&x| {
            let y = net.forward(&[I16F16::from_num(x)])[0].to_num::<f64>();
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
