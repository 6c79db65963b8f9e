#![allow(
    clippy::float_cmp,
    reason = "the tests compare exact values on purpose"
)]

use super::{he_normal, he_uniform, xavier_normal, xavier_uniform};
use crate::Number;
use crate::{Network, Scalar, network};

network! {
    #[derive(Debug, Clone, PartialEq)]
    struct Small {
        input: 2,
        hidden: dense(3, tanh),
        output: dense(1, identity),
        loss: squared_error,
    }
}

network! {
    #[derive(Debug, Clone, PartialEq)]
    struct Small32 {
        scalar: f32,
        input: 2,
        hidden: dense(3, tanh),
        output: dense(1, identity),
        loss: squared_error,
    }
}

network! {
    /// Fan-ins 24 and 32, fan-outs 32 and 8: 1024 weights.
    struct Wide {
        input: 24,
        hidden: dense(32, relu),
        output: dense(8, identity),
        loss: squared_error,
    }
}

/// An initialisation scheme.
type Scheme<N> = fn(u64) -> N;

/// The four schemes, by name.
fn schemes<N: Network>() -> [(&'static str, Scheme<N>); 4] {
    [
        ("he_uniform", he_uniform::<N>),
        ("he_normal", he_normal::<N>),
        ("xavier_uniform", xavier_uniform::<N>),
        ("xavier_normal", xavier_normal::<N>),
    ]
}

/// Every parameter's bits, tensor by tensor.
fn bits<N: Network>(net: &N) -> impl Iterator<Item = u64> + '_ {
    (0..N::TENSORS.len())
        .flat_map(|k| net.tensor(k))
        .map(|p| p.to_f64().to_bits())
}

/// The weights of layer `layer`.
fn weights<N: Network>(net: &N, layer: usize) -> impl Iterator<Item = f64> + Clone + '_ {
    net.tensor(2 * layer).iter().map(|w| w.to_f64())
}

#[test]
fn he_uniform_gives_the_reference_weights() {
    // Computed independently (Python, from the reference algorithms): xoshiro256++ seeded by
    // splitmix64(42), u = (x >> 11) 2^-53, w = sqrt(6 / fan_in) (2 u - 1).
    let net: Small = he_uniform(42);
    let hidden = [
        [1.088_784_960_866_378_2, -0.627_622_327_751_378_2],
        [1.676_258_569_539_379, 0.696_754_150_360_305_1],
        [1.016_729_376_791_301, 0.305_182_039_981_432_45],
    ];
    assert_eq!(net.hidden.weights, hidden);
    assert_eq!(
        net.output.weights,
        [[
            -1.059_663_315_089_660_2,
            0.297_331_185_201_685_6,
            -0.826_700_679_878_132_7
        ]]
    );
    let net32: Small32 = he_uniform(42);
    assert_eq!(net32.hidden.weights[0], hidden[0].map(f32::from_f64));
}

#[test]
fn he_normal_gives_the_reference_weights() {
    // Computed independently (Python, with the platform's log and cos), as above with
    // w = sqrt(2 / fan_in) sqrt(-2 ln(1 - u1)) cos(2 pi u2); libm may differ in the last bit.
    let net: Small = he_normal(42);
    let hidden = [
        -0.768_993_053_821_006_1,
        -0.868_446_107_470_245_4,
        -1.510_974_983_000_670_7,
    ];
    let output = [
        1.116_822_188_467_130_8,
        -0.795_017_450_948_983_2,
        0.536_836_412_633_364,
    ];
    let close = |(a, b): (f64, &f64)| (a - b).abs() <= 1e-15 * b.abs();
    assert!(
        weights(&net, 0).zip(&hidden).all(close),
        "{:?}",
        net.hidden.weights
    );
    assert!(
        weights(&net, 1).zip(&output).all(close),
        "{:?}",
        net.output.weights
    );
}

#[test]
fn one_seed_gives_bit_identical_nets() {
    for (name, scheme) in schemes::<Small>() {
        assert!(bits(&scheme(7)).eq(bits(&scheme(7))), "{name}");
    }
    for (name, scheme) in schemes::<Small32>() {
        assert!(bits(&scheme(7)).eq(bits(&scheme(7))), "{name}");
    }
}

#[test]
fn different_seeds_give_different_nets() {
    for (name, scheme) in schemes::<Small>() {
        assert_ne!(scheme(0), scheme(1), "{name}");
        assert_ne!(scheme(1), scheme(u64::MAX), "{name}");
    }
}

#[test]
fn biases_are_zero() {
    for (name, scheme) in schemes::<Wide>() {
        let net = scheme(3);
        assert!(
            net.hidden
                .bias
                .iter()
                .chain(&net.output.bias)
                .all(|&b| b == 0.0),
            "{name}"
        );
    }
}

#[test]
fn uniform_weights_stay_within_their_bounds() {
    // he: a = sqrt(6 / 24) = 0.5, sqrt(6 / 32); xavier: sqrt(6 / 56), sqrt(6 / 40).
    let bounds = [
        (
            he_uniform::<Wide> as Scheme<Wide>,
            [0.5, libm::sqrt(6.0 / 32.0)],
        ),
        (
            xavier_uniform::<Wide>,
            [libm::sqrt(6.0 / 56.0), libm::sqrt(6.0 / 40.0)],
        ),
    ];
    for (scheme, bounds) in bounds {
        let net = scheme(11);
        for (layer, a) in bounds.into_iter().enumerate() {
            let largest = weights(&net, layer).map(f64::abs).fold(0.0, f64::max);
            // With 768 or 256 draws, the largest |w| comes within 2% of a (chance 0.98^256 < 1%).
            assert!(
                largest <= a && largest > 0.98 * a,
                "layer {layer}: {largest} vs {a}"
            );
        }
    }
}

/// The mean and the standard deviation of `values`.
fn mean_and_deviation(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let count = f64::from_usize(values.clone().count());
    let mean = values.clone().sum::<f64>() / count;
    let variance = values.map(|x| (x - mean) * (x - mean)).sum::<f64>() / count;
    (mean, libm::sqrt(variance))
}

#[test]
fn normal_weights_have_their_standard_deviation() {
    // The hidden layer's 768 weights: he s = sqrt(2 / 24), xavier s = sqrt(2 / 56). The standard
    // error of the sample deviation is s / sqrt(2 * 768) = 2.6% of s; allow 10%.
    let cases = [
        (he_normal::<Wide> as Scheme<Wide>, 2.0 / 24.0),
        (xavier_normal::<Wide>, 2.0 / 56.0),
    ];
    for (scheme, variance) in cases {
        let s = libm::sqrt(variance);
        let (mean, deviation) = mean_and_deviation(weights(&scheme(5), 0));
        assert!(mean.abs() < 0.15 * s, "mean {mean}");
        assert!(
            (deviation / s - 1.0).abs() < 0.1,
            "deviation {deviation} vs {s}"
        );
    }
}

#[test]
fn schemes_share_the_draws_and_differ_in_scale() {
    // Same seed, same uniform draws: he / xavier = sqrt(6 / 2) / sqrt(6 / 5) = sqrt(5 / 2) for the
    // hidden layer (fan_in 2, fan_out 3).
    let (he, xavier): (Small, Small) = (he_uniform(9), xavier_uniform(9));
    for (h, x) in weights(&he, 0).zip(weights(&xavier, 0)) {
        assert!((h / x - libm::sqrt(2.5)).abs() < 1e-12);
    }
}
