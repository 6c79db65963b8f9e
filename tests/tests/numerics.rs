//! Numerics at the edges, through generated nets: the fused cross-entropies stay finite for
//! logits of +-1e4; an f32 net stays finite wherever the same f64 net does (within f32's range);
//! NaN propagates without a panic; and the gradients are the bits checked in under
//! `tests/tests/gradient_bits/`, in every build (`cargo test` runs this file in debug, `.ci/run`
//! again in release), so two builds that disagree cannot both pass.

#![allow(
    clippy::float_cmp,
    reason = "the expected values at the edges are exact on purpose"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    reason = "rounding f64 to f32 is the point of the f32 comparisons; widths are tiny"
)]

use backprop_core::{Network, Number, Scalar, network};
use std::fmt::Write as _;

/// Every value of the loss, every parameter's derivative and every input's derivative.
fn everything<N: Network>(net: &N, input: &N::Input, target: &N::Output) -> Vec<f64> {
    let (loss, gradient) = net.gradient(input, target);
    let mut values = vec![loss.to_f64(), net.loss(input, target).to_f64()];
    for tensor in 0..N::TENSORS.len() {
        values.extend(gradient.tensor(tensor).iter().map(|value| value.to_f64()));
    }
    values.extend(
        backprop_core::shape::slice(&net.input_gradient(input, target))
            .iter()
            .map(|value| value.to_f64()),
    );
    values
}

/// Sets every parameter, in flat order, from `values` (cycled).
fn set_parameters<N: Network>(net: &mut N, values: &[f64]) {
    let mut source = values.iter().cycle();
    for tensor in 0..N::TENSORS.len() {
        for parameter in net.tensor_mut(tensor) {
            *parameter = N::Scalar::from_f64(*source.next().expect("cycled"));
        }
    }
}

macro_rules! both_scalars {
    ($($name64:ident, $name32:ident: { $($spec:tt)* })*) => {$(
        network! { struct $name64 { scalar: f64, $($spec)* } }
        network! { struct $name32 { scalar: f32, $($spec)* } }
    )*};
}

both_scalars! {
    Softmax64, Softmax32: { input: 2, hidden: dense(2, tanh), output: dense(3, softmax), loss: cross_entropy }
    Binary64, Binary32: { input: 2, hidden: dense(2, tanh), output: dense(2, sigmoid), loss: binary_cross_entropy }
    Smooth64, Smooth32: { input: 2, a: dense(3, softplus), b: dense(3, gelu), output: dense(2, silu), loss: mean_squared_error }
    Kinked64, Kinked32: { input: 2, a: dense(3, elu(0.5)), b: dense(3, leaky_relu), output: dense(2, tanh), loss: huber(0.5) }
    Unfused64, Unfused32: { input: 2, a: dense(3, relu), b: dense(3, sigmoid), output: dense(3, softmax), loss: squared_error }
    Absolute64, Absolute32: { input: 2, a: dense(4, gelu), output: dense(2, identity), loss: mean_absolute_error }
    Looped64, Looped32: { form: looped, input: 2, a: dense(3, silu), output: dense(3, softmax), loss: cross_entropy }
}

/// Logits of +-1e4 (set by the output layer's bias and, in a second round, by its weights on
/// saturated tanh nodes) against right, wrong and soft targets.
fn assert_finite_at_large_logits<T, N, const O: usize>(targets: &[[f64; O]])
where
    T: Scalar,
    N: Network<Scalar = T, Input = [T; 2], Output = [T; O]>,
{
    let big = 1e4;
    for round in 0..2 {
        let mut net = N::zeroed();
        let last = N::TENSORS.len() - 1;
        let logits: Vec<f64> = (0..O).map(|o| [big, -big, 0.0][o % 3]).collect();
        if round == 0 {
            for (bias, logit) in net.tensor_mut(last).iter_mut().zip(&logits) {
                *bias = T::from_f64(*logit);
            }
        } else {
            // Hidden tanh nodes saturated at +-1 by weights of 100; the output weights scale
            // them to +-1e4.
            for tensor in 0..last - 1 {
                for (index, weight) in net.tensor_mut(tensor).iter_mut().enumerate() {
                    *weight = T::from_f64(if index % 2 == 0 { 100.0 } else { -100.0 });
                }
            }
            let inputs = N::TENSORS[last - 1].fan_in;
            for (index, weight) in net.tensor_mut(last - 1).iter_mut().enumerate() {
                *weight = T::from_f64(logits[index / inputs] / inputs as f64);
            }
        }
        let input = [T::from_f64(1.0), T::from_f64(0.5)];
        for target in targets {
            let target = target.map(T::from_f64);
            let values = everything(&net, &input, &target);
            assert!(
                values.iter().all(|value| value.is_finite()),
                "{} round {round}, target {target:?}: {values:?}",
                std::any::type_name::<N>()
            );
        }
    }
}

#[test]
fn fused_cross_entropies_are_finite_for_logits_of_ten_thousand() {
    let three = [
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.2, 0.3, 0.5],
    ];
    let two = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [0.3, 0.7]];
    assert_finite_at_large_logits::<_, Softmax64, 3>(&three);
    assert_finite_at_large_logits::<_, Softmax32, 3>(&three);
    assert_finite_at_large_logits::<_, Looped64, 3>(&three);
    assert_finite_at_large_logits::<_, Looped32, 3>(&three);
    assert_finite_at_large_logits::<_, Binary64, 2>(&two);
    assert_finite_at_large_logits::<_, Binary32, 2>(&two);
}

#[test]
fn fused_cross_entropies_give_the_right_values_at_large_logits() {
    let mut net = Softmax64::zeroed();
    net.output.bias = [1e4, -1e4, 0.0];
    let input = [1.0, 0.5];
    // A confident right answer costs nothing; a confident wrong one costs the logits' gap.
    assert_eq!(net.loss(&input, &[1.0, 0.0, 0.0]), 0.0);
    assert_eq!(net.loss(&input, &[0.0, 1.0, 0.0]), 2e4);
    let (_, gradient) = net.gradient(&input, &[0.0, 1.0, 0.0]);
    assert_eq!(gradient.output.bias, [1.0, -1.0, 0.0]);
    let mut net = Binary32::zeroed();
    net.output.bias = [1e4, -1e4];
    assert_eq!(net.loss(&[1.0, 0.5], &[1.0, 0.0]), 0.0);
    assert_eq!(net.loss(&[1.0, 0.5], &[0.0, 1.0]), 1e4);
    let (_, gradient) = net.gradient(&[1.0, 0.5], &[0.0, 1.0]);
    assert_eq!(gradient.output.bias, [0.5, -0.5]);
}

/// Deterministic values in [-1, 1), `SplitMix64`.
fn values(seed: u64, count: usize) -> Vec<f64> {
    let mut state = seed;
    (0..count)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            #[allow(clippy::cast_precision_loss)] // 53 random bits fit an f64 exactly
            let unit = (z >> 11) as f64 / (1u64 << 53) as f64;
            2.0 * unit - 1.0
        })
        .collect()
}

/// The same spec in f64 and f32, at the same parameters (rounded to f32), over parameter scales
/// up to 1e3 and inputs up to 1e4: wherever f64 gives values that are finite and within f32's
/// range (below 1e30, with room for the f32 rounding), f32's are finite too. Returns how many
/// points were compared.
fn assert_f32_finite_where_f64_is<N64, N32, const O: usize>() -> usize
where
    N64: Network<Scalar = f64, Input = [f64; 2], Output = [f64; O]>,
    N32: Network<Scalar = f32, Input = [f32; 2], Output = [f32; O]>,
{
    let mut compared = 0;
    for (seed, parameter_scale) in [1.0, 10.0, 100.0, 1e3].into_iter().enumerate() {
        let parameters: Vec<f64> = values(seed as u64, N64::PARAMETERS)
            .into_iter()
            .map(|value| value * parameter_scale)
            .map(|value| f64::from(value as f32))
            .collect();
        let (mut net64, mut net32) = (N64::zeroed(), N32::zeroed());
        set_parameters(&mut net64, &parameters);
        set_parameters(&mut net32, &parameters);
        for input_scale in [0.0, 1e-30, 1.0, 1e2, 1e4] {
            for (sample, target) in [
                [0.0; O],
                [1.0; O],
                core::array::from_fn(|o| [0.2, 0.5, 0.3][o % 3]),
            ]
            .into_iter()
            .enumerate()
            {
                let raw = values(100 + sample as u64, 2);
                let input64 =
                    [raw[0] * input_scale, raw[1] * input_scale].map(|x| f64::from(x as f32));
                let input32 = input64.map(|x| x as f32);
                let f64_values = everything(&net64, &input64, &target);
                if !f64_values
                    .iter()
                    .all(|value| value.is_finite() && value.abs() < 1e30)
                {
                    continue;
                }
                let f32_values = everything(&net32, &input32, &target.map(|t| t as f32));
                assert!(
                    f32_values.iter().all(|value| value.is_finite()),
                    "{}: parameters x{parameter_scale}, input {input64:?}, target {target:?}\nf64 {f64_values:?}\nf32 {f32_values:?}",
                    std::any::type_name::<N32>()
                );
                compared += 1;
            }
        }
    }
    compared
}

#[test]
fn f32_nets_stay_finite_where_f64_ones_do() {
    let compared = assert_f32_finite_where_f64_is::<Softmax64, Softmax32, 3>()
        + assert_f32_finite_where_f64_is::<Binary64, Binary32, 2>()
        + assert_f32_finite_where_f64_is::<Smooth64, Smooth32, 2>()
        + assert_f32_finite_where_f64_is::<Kinked64, Kinked32, 2>()
        + assert_f32_finite_where_f64_is::<Unfused64, Unfused32, 3>()
        + assert_f32_finite_where_f64_is::<Absolute64, Absolute32, 2>()
        + assert_f32_finite_where_f64_is::<Looped64, Looped32, 3>();
    // 8 nets x 4 parameter scales x 5 input scales x 3 targets, less the points where f64 itself
    // leaves f32's range.
    assert!(compared > 300, "only {compared} points compared");
}

#[test]
fn nan_inputs_propagate_without_a_panic() {
    let mut net = Smooth64::zeroed();
    set_parameters(&mut net, &values(7, Smooth64::PARAMETERS));
    let values = everything(&net, &[f64::NAN, 1.0], &[0.5, 0.5]);
    assert!(
        values[0].is_nan(),
        "the loss of a NaN input is NaN: {values:?}"
    );
    let mut net = Softmax32::zeroed();
    set_parameters(&mut net, &[0.5, -0.25, 1.0]);
    assert!(net.forward(&[f32::NAN, 0.0]).iter().all(|y| y.is_nan()));
    assert!(everything(&net, &[0.0, 1.0], &[f32::NAN, 0.0, 1.0])[0].is_nan());
}

/// The loss and every derivative of a few nets, f64 and f32, unrolled and looped, as bits: one
/// line per value.
fn gradient_bits() -> String {
    fn lines<T: Scalar, N: Network<Scalar = T, Input = [T; 2]>>(
        out: &mut String,
        name: &str,
        target: &N::Output,
    ) {
        let mut net = N::zeroed();
        set_parameters(&mut net, &values(42, 64));
        let input = [T::from_f64(0.75), T::from_f64(-1.25)];
        for (index, value) in everything(&net, &input, target).iter().enumerate() {
            writeln!(out, "{name} {index} {:016x}", value.to_bits()).expect("write to a string");
        }
    }
    let mut out = String::new();
    lines::<_, Softmax64>(&mut out, "softmax64", &[0.2, 0.3, 0.5]);
    lines::<_, Softmax32>(&mut out, "softmax32", &[0.2, 0.3, 0.5]);
    lines::<_, Binary64>(&mut out, "binary64", &[1.0, 0.0]);
    lines::<_, Smooth64>(&mut out, "smooth64", &[0.5, -0.5]);
    lines::<_, Kinked32>(&mut out, "kinked32", &[0.5, -0.5]);
    lines::<_, Unfused64>(&mut out, "unfused64", &[0.0, 1.0, 0.0]);
    lines::<_, Looped64>(&mut out, "looped64", &[0.2, 0.3, 0.5]);
    out
}

/// The checked-in bits for the math backend of this build: the fast kernels by default, libm
/// with the feature `libm-activations`.
fn pinned_bits_path() -> std::path::PathBuf {
    let backend = if backprop_core::math::LIBM {
        "libm"
    } else {
        "fast"
    };
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/gradient_bits")
        .join(format!("{backend}.txt"))
}

/// Every build computes the checked-in gradients, bit for bit: debug under `cargo test`, release
/// in `.ci/run`, and any other target or profile that runs it. Rust never fuses or reorders float
/// operations at any opt-level, and both math backends use plain `+`, `-`, `*`, `/`, so they
/// agree; a change that moves a bit (of the derivation's summation order, or of a kernel) fails
/// here. After a deliberate change, `UPDATE_GRADIENT_BITS=1 cargo test -p backprop-tests --test
/// numerics` rewrites the file (and the same with `--features backprop-core/libm-activations`
/// for the libm one); read the diff.
#[test]
fn gradients_are_the_checked_in_bits_in_every_build() {
    let actual = gradient_bits();
    assert_eq!(actual, gradient_bits(), "two evaluations differ");
    let path = pinned_bits_path();
    if std::env::var_os("UPDATE_GRADIENT_BITS").is_some() {
        std::fs::write(&path, &actual).expect("write the bits");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let differences: Vec<(&str, &str)> = expected
        .lines()
        .zip(actual.lines())
        .filter(|(expected, actual)| expected != actual)
        .collect();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    assert!(
        differences.is_empty() && expected.lines().count() == actual.lines().count(),
        "this {profile} build's gradients differ from {} in {} lines: {differences:#?}",
        path.display(),
        differences.len(),
    );
}
