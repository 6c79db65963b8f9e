//! The one-weight nets and helpers the optimizer tests share, and training tests across modules.

#![allow(
    clippy::float_cmp,
    reason = "the tests compare exact values on purpose"
)]

use super::{Adam, Optimizer};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Scalar, init, network};

network! {
    /// `y = w x + b`, the smallest net: tensor 0 is `[w]`, tensor 1 is `[b]`.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Tiny {
        input: 1,
        output: dense(1, identity),
        loss: squared_error,
    }
}

network! {
    /// [`Tiny`] in `f32`.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Tiny32 {
        scalar: f32,
        input: 1,
        output: dense(1, identity),
        loss: squared_error,
    }
}

/// The parameters `(w, b)` before the first step.
pub(crate) const P0: [f64; 2] = [1.0, 0.5];
/// The gradient `(dL/dw, dL/db)` of the first step.
pub(crate) const G1: [f64; 2] = [1.0, -2.0];
/// The gradient of the second step.
pub(crate) const G2: [f64; 2] = [0.5, 1.0];

/// The one-weight net with `w` and `b`.
pub(crate) fn tiny<N: Network<Scalar: Scalar>>([w, b]: [f64; 2]) -> N {
    let mut net = N::zeroed();
    net.tensor_mut(0)[0] = N::Scalar::from_f64(w);
    net.tensor_mut(1)[0] = N::Scalar::from_f64(b);
    net
}

/// `(w, b)` of a one-weight net.
pub(crate) fn parameters<N: Network<Scalar: Scalar>>(net: &N) -> [f64; 2] {
    [net.tensor(0)[0].to_f64(), net.tensor(1)[0].to_f64()]
}

/// The parameters after each of two steps of `optimizer` from `p0`, with gradients `g1`, `g2`.
pub(crate) fn two_steps<N: Network<Scalar: Scalar>, O: Optimizer<N>>(
    optimizer: &mut O,
    p0: [f64; 2],
    g1: [f64; 2],
    g2: [f64; 2],
) -> [[f64; 2]; 2] {
    let mut net: N = tiny(p0);
    optimizer.step(&mut net, &tiny(g1));
    let p1 = parameters(&net);
    optimizer.step(&mut net, &tiny(g2));
    [p1, parameters(&net)]
}

/// Asserts the two parameters equal the expected ones exactly.
pub(crate) fn assert_exact(actual: [f64; 2], expected: [f64; 2]) {
    assert_eq!(actual, expected);
}

/// Asserts the two parameters are within `1e-15` of the expected ones (a few rounding errors).
pub(crate) fn assert_close(actual: [f64; 2], expected: [f64; 2]) {
    for (a, e) in actual.into_iter().zip(expected) {
        assert!((a - e).abs() <= 1e-15, "{actual:?} != {expected:?}");
    }
}

network! {
    /// A 1-8-1 regression net.
    struct Regression {
        input: 1,
        hidden: dense(8, tanh),
        output: dense(1, identity),
        loss: squared_error,
    }
}

/// The sum of the losses of `net` over points of `y = x^2` on `[-1, 1]`.
fn total_loss(net: &Regression) -> f64 {
    (0..=8)
        .map(|i| f64::from(i) / 4.0 - 1.0)
        .map(|x| net.loss(&[x], &[x * x]))
        .sum()
}

#[test]
fn adam_fits_a_parabola() {
    let mut net: Regression = init::xavier_uniform(1);
    let mut adam = Adam::new(0.01);
    let before = total_loss(&net);
    for _ in 0..300 {
        for i in 0..=8 {
            let x = f64::from(i) / 4.0 - 1.0;
            let (_, gradient) = net.gradient(&[x], &[x * x]);
            adam.step(&mut net, &gradient);
        }
    }
    let after = total_loss(&net);
    assert!(after < before / 20.0, "loss {before} -> {after}");
}

#[test]
fn optimizers_work_through_a_mutable_reference() {
    let mut adam = Adam::<Tiny>::new(0.1);
    let mut by_value: Tiny = tiny(P0);
    adam.clone().step(&mut by_value, &tiny(G1));
    let mut by_reference: Tiny = tiny(P0);
    step_with(&mut adam, &mut by_reference, &tiny(G1));
    assert_eq!(by_value, by_reference);
}

/// One step of `optimizer`, taken by value.
fn step_with<O: Optimizer<Tiny>>(mut optimizer: O, net: &mut Tiny, gradient: &Tiny) {
    optimizer.step(net, gradient);
}
