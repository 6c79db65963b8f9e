//! The hand-written signal nets compute what the generated ones compute: in `f64`, every loss,
//! derivative and updated parameter within 1e-9 of the generated value (relative, against the
//! largest of its tensor), after one-sample steps and mini-batch steps.

use crate::hand::signal::HandWritten;
use crate::signal::{Motion64, Vowels64, motion64, vowels64};
use backprop_core::Network;
use backprop_core::optim::Sgd;

const TOLERANCE: f64 = 1e-9;
const LR: f64 = 0.05;

/// Every tensor of `a` within [`TOLERANCE`] of `b`'s, relative to the tensor's largest value.
fn assert_close<N: Network<Scalar = f64>>(a: &N, b: &N, what: &str) {
    for (k, info) in N::TENSORS.iter().enumerate() {
        let (a, b) = (a.tensor(k), b.tensor(k));
        let scale = b.iter().fold(f64::MIN_POSITIVE, |m, x| m.max(x.abs()));
        for (index, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(
                (x - y).abs() <= TOLERANCE * scale,
                "{what}: {}[{index}]: {x} against {y}",
                info.name
            );
        }
    }
}

fn assert_loss(a: f64, b: f64) {
    assert!((a - b).abs() <= TOLERANCE * b.abs(), "loss {a} against {b}");
}

/// A net's hand-written gradient, one-sample steps and mini-batch steps against the generated
/// `gradient_into`, `train_step` and `train_batch` (with `Sgd`).
macro_rules! check {
    ($net:ty, $net_value:expr, $inputs:expr, $targets:expr) => {{
        let (net, inputs, targets): (&$net, &[_], &[_]) = ($net_value, $inputs, $targets);
        for (x, t) in inputs.iter().zip(targets) {
            let (mut generated, mut by_hand) = (<$net>::zeroed(), <$net>::zeroed());
            let loss = net.gradient_into(x, t, &mut generated);
            assert_loss(net.clone().accumulate(x, t, &mut by_hand), loss);
            assert_close(&by_hand, &generated, "gradient");
        }
        let (mut generated, mut by_hand) = (net.clone(), net.clone());
        let mut sgd = Sgd::new(LR);
        for (x, t) in inputs.iter().zip(targets) {
            let loss = generated.train_step(x, t, &mut sgd);
            assert_loss(HandWritten::train_step(&mut by_hand, x, t, LR), loss);
            assert_close(&by_hand, &generated, "train_step");
        }
        let (mut gradient, mut scratch) = (<$net>::zeroed(), <$net>::zeroed());
        for _ in 0..2 {
            let loss = generated.train_batch(inputs, targets, &mut sgd, &mut gradient);
            assert_loss(by_hand.batch_step(&mut scratch, inputs, targets, LR), loss);
            assert_close(&by_hand, &generated, "train_batch");
        }
    }};
}

#[test]
fn motion_by_hand() {
    let (net, (inputs, targets)) = motion64(5);
    check!(Motion64, &net, &inputs, &targets);
}

#[test]
fn vowels_by_hand() {
    let (net, (inputs, targets)) = vowels64(5);
    check!(Vowels64, &net, &inputs, &targets);
}
