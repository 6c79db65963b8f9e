//! Gradient correctness at scale: 60 random architectures (depth 1 to 4, widths 1 to 8, every
//! activation, every loss with every output activation it accepts, both forms; written by
//! `build.rs`, seeded), each at random parameters, inputs and targets drawn by proptest. The
//! generated gradient, loss and input gradient are compared with
//! - an independent reference backprop written here, plain loops over `Vec`s, to 1e-10 relative;
//! - central finite differences of the generated loss, to 1e-6 relative (away from kinks).
//!
//! `PROPTEST_CASES=20000 cargo test --release -p backprop-tests --test architectures` runs a
//! longer campaign.

use backprop_core::{Network, network};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// An activation, as the reference computes it.
#[derive(Clone, Copy, Debug)]
enum Act {
    Identity,
    Relu,
    LeakyRelu(f64),
    Elu(f64),
    Sigmoid,
    Tanh,
    Softplus,
    Silu,
    Gelu,
    Softmax,
}

/// A loss, as the reference computes it.
#[derive(Clone, Copy, Debug)]
enum Loss {
    SquaredError,
    MeanSquaredError,
    MeanAbsoluteError,
    Huber(f64),
    BinaryCrossEntropy,
    CrossEntropy,
}

/// The generated net's loss, parameter gradient (flat, in `to_array` order) and input gradient.
type Generated = (f64, Vec<f64>, Vec<f64>);

/// One architecture: its spec, its shape for the reference, and its generated functions.
struct Architecture {
    name: &'static str,
    spec: &'static str,
    inputs: usize,
    /// `(width, activation)` of each layer, in order.
    layers: &'static [(usize, Act)],
    loss: Loss,
    gradient: fn(&[f64], &[f64], &[f64]) -> Generated,
    loss_at: fn(&[f64], &[f64], &[f64]) -> f64,
}

/// A net of type `N` with the given flat parameters.
fn net_with<N: Network<Scalar = f64>>(parameters: &[f64]) -> N {
    let mut net = N::zeroed();
    let mut source = parameters.iter();
    for tensor in 0..N::TENSORS.len() {
        for parameter in net.tensor_mut(tensor) {
            *parameter = *source.next().expect("enough parameters");
        }
    }
    assert!(source.next().is_none(), "too many parameters");
    net
}

fn generated_gradient<N, const I: usize, const O: usize>(
    parameters: &[f64],
    input: &[f64],
    target: &[f64],
) -> Generated
where
    N: Network<Scalar = f64, Input = [f64; I], Output = [f64; O]>,
{
    let net: N = net_with(parameters);
    let input: [f64; I] = input.try_into().expect("I inputs");
    let target: [f64; O] = target.try_into().expect("O targets");
    let (loss, gradient) = net.gradient(&input, &target);
    let flat = (0..N::TENSORS.len())
        .flat_map(|tensor| gradient.tensor(tensor).to_vec())
        .collect();
    (loss, flat, net.input_gradient(&input, &target).to_vec())
}

fn generated_loss<N, const I: usize, const O: usize>(
    parameters: &[f64],
    input: &[f64],
    target: &[f64],
) -> f64
where
    N: Network<Scalar = f64, Input = [f64; I], Output = [f64; O]>,
{
    let net: N = net_with(parameters);
    net.loss(
        &input.try_into().expect("I inputs"),
        &target.try_into().expect("O targets"),
    )
}

include!(concat!(env!("OUT_DIR"), "/architectures.rs"));

// ---- The reference: backpropagation as a textbook writes it, over `Vec`s. ----

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The standard normal distribution function.
fn normal_cdf(z: f64) -> f64 {
    0.5 * (1.0 + libm::erf(z / std::f64::consts::SQRT_2))
}

fn normal_density(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

impl Act {
    fn value(self, z: f64) -> f64 {
        match self {
            Act::Identity => z,
            Act::Relu => z.max(0.0),
            Act::LeakyRelu(alpha) => {
                if z > 0.0 {
                    z
                } else {
                    alpha * z
                }
            }
            Act::Elu(alpha) => {
                if z > 0.0 {
                    z
                } else {
                    alpha * (z.exp() - 1.0)
                }
            }
            Act::Sigmoid => sigmoid(z),
            Act::Tanh => z.tanh(),
            Act::Softplus => (1.0 + z.exp()).ln(),
            Act::Silu => z * sigmoid(z),
            Act::Gelu => z * normal_cdf(z),
            Act::Softmax => unreachable!("softmax is applied to the layer"),
        }
    }

    fn slope(self, z: f64) -> f64 {
        match self {
            Act::Identity => 1.0,
            Act::Relu => f64::from(u8::from(z > 0.0)),
            Act::LeakyRelu(alpha) => {
                if z > 0.0 {
                    1.0
                } else {
                    alpha
                }
            }
            Act::Elu(alpha) => {
                if z > 0.0 {
                    1.0
                } else {
                    alpha * z.exp()
                }
            }
            Act::Sigmoid => sigmoid(z) * (1.0 - sigmoid(z)),
            Act::Tanh => 1.0 - z.tanh().powi(2),
            Act::Softplus => sigmoid(z),
            Act::Silu => sigmoid(z) + z * sigmoid(z) * (1.0 - sigmoid(z)),
            Act::Gelu => normal_cdf(z) + z * normal_density(z),
            Act::Softmax => unreachable!("softmax is applied to the layer"),
        }
    }

    /// Whether the activation has a kink (a jump of the slope) at 0.
    fn kinked(self) -> bool {
        matches!(self, Act::Relu | Act::LeakyRelu(_) | Act::Elu(_))
    }
}

/// The reference's results, and whether some quantity sits within `1e-4` of a kink (where finite
/// differences straddle it and disagree with any derivative).
struct Reference {
    loss: f64,
    gradient: Vec<f64>,
    input_gradient: Vec<f64>,
    near_kink: bool,
}

#[allow(clippy::too_many_lines)] // one function, in the order of the math
#[allow(clippy::cast_precision_loss)] // widths are at most 8
fn reference(
    architecture: &Architecture,
    parameters: &[f64],
    input: &[f64],
    target: &[f64],
) -> Reference {
    let mut near_kink = false;
    // Forward: every layer's weights (row by row), biases, pre-activations and activations.
    let mut activations: Vec<Vec<f64>> = vec![input.to_vec()];
    let mut pre_activations: Vec<Vec<f64>> = Vec::new();
    let mut weights: Vec<Vec<Vec<f64>>> = Vec::new();
    let mut offset = 0;
    for &(width, activation) in architecture.layers {
        let previous = activations.last().expect("the input");
        let inputs = previous.len();
        let layer_weights: Vec<Vec<f64>> = (0..width)
            .map(|j| parameters[offset + j * inputs..offset + (j + 1) * inputs].to_vec())
            .collect();
        let bias = &parameters[offset + width * inputs..offset + width * inputs + width];
        offset += width * inputs + width;
        let z: Vec<f64> = (0..width)
            .map(|j| {
                let mut sum = layer_weights[j][0] * previous[0];
                for i in 1..inputs {
                    sum += layer_weights[j][i] * previous[i];
                }
                sum + bias[j]
            })
            .collect();
        let a = if let Act::Softmax = activation {
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let exponentials: Vec<f64> = z.iter().map(|z_k| (z_k - max).exp()).collect();
            let total: f64 = exponentials.iter().sum();
            exponentials.iter().map(|e| e / total).collect()
        } else {
            near_kink |= activation.kinked() && z.iter().any(|z_j| z_j.abs() < 1e-4);
            z.iter().map(|&z_j| activation.value(z_j)).collect()
        };
        weights.push(layer_weights);
        pre_activations.push(z);
        activations.push(a);
    }
    assert_eq!(offset, parameters.len());
    // The loss and its slope with respect to each output.
    let y = activations.last().expect("an output").clone();
    let outputs = y.len() as f64;
    let errors: Vec<f64> = y.iter().zip(target).map(|(y, t)| y - t).collect();
    let (loss, slopes): (f64, Vec<f64>) = match architecture.loss {
        Loss::SquaredError => (
            errors.iter().map(|e| e * e).sum(),
            errors.iter().map(|e| 2.0 * e).collect(),
        ),
        Loss::MeanSquaredError => (
            errors.iter().map(|e| e * e).sum::<f64>() / outputs,
            errors.iter().map(|e| 2.0 * e / outputs).collect(),
        ),
        Loss::MeanAbsoluteError => {
            near_kink |= errors.iter().any(|e| e.abs() < 1e-4);
            (
                errors.iter().map(|e| e.abs()).sum::<f64>() / outputs,
                errors.iter().map(|e| e.signum() / outputs).collect(),
            )
        }
        Loss::Huber(delta) => {
            near_kink |= errors.iter().any(|e| (e.abs() - delta).abs() < 1e-4);
            (
                errors
                    .iter()
                    .map(|e| {
                        if e.abs() <= delta {
                            0.5 * e * e
                        } else {
                            delta * (e.abs() - 0.5 * delta)
                        }
                    })
                    .sum::<f64>()
                    / outputs,
                errors
                    .iter()
                    .map(|e| e.clamp(-delta, delta) / outputs)
                    .collect(),
            )
        }
        Loss::BinaryCrossEntropy => (
            y.iter()
                .zip(target)
                .map(|(y, t)| -(t * y.ln() + (1.0 - t) * (1.0 - y).ln()))
                .sum::<f64>()
                / outputs,
            y.iter()
                .zip(target)
                .map(|(y, t)| (y - t) / (y * (1.0 - y)) / outputs)
                .collect(),
        ),
        Loss::CrossEntropy => (
            -y.iter().zip(target).map(|(y, t)| t * y.ln()).sum::<f64>(),
            y.iter().zip(target).map(|(y, t)| -t / y).collect(),
        ),
    };
    // Backward: the output deltas through the output activation (softmax's Jacobian, or each
    // node's slope), then each layer's deltas from the next one's, back to the input.
    let depth = architecture.layers.len();
    let mut deltas: Vec<Vec<f64>> = vec![Vec::new(); depth];
    let (_, output_activation) = architecture.layers[depth - 1];
    deltas[depth - 1] = if let Act::Softmax = output_activation {
        let dot: f64 = slopes.iter().zip(&y).map(|(g, y)| g * y).sum();
        y.iter().zip(&slopes).map(|(y, g)| y * (g - dot)).collect()
    } else {
        pre_activations[depth - 1]
            .iter()
            .zip(&slopes)
            .map(|(&z, g)| output_activation.slope(z) * g)
            .collect()
    };
    for layer in (0..depth - 1).rev() {
        let (_, activation) = architecture.layers[layer];
        let next_weights = &weights[layer + 1];
        deltas[layer] = pre_activations[layer]
            .iter()
            .enumerate()
            .map(|(i, &z)| {
                let back: f64 = next_weights
                    .iter()
                    .zip(&deltas[layer + 1])
                    .map(|(row, delta)| row[i] * delta)
                    .sum();
                activation.slope(z) * back
            })
            .collect();
    }
    // dL/dW[j][i] = delta_j * a_i, dL/db_j = delta_j; dL/dinput_i = sum_j W[j][i] delta_j.
    let mut gradient = Vec::with_capacity(parameters.len());
    for layer in 0..depth {
        for delta in &deltas[layer] {
            gradient.extend(activations[layer].iter().map(|a| delta * a));
        }
        gradient.extend(&deltas[layer]);
    }
    let input_gradient = (0..architecture.inputs)
        .map(|i| {
            weights[0]
                .iter()
                .zip(&deltas[0])
                .map(|(row, delta)| row[i] * delta)
                .sum()
        })
        .collect();
    Reference {
        loss,
        gradient,
        input_gradient,
        near_kink,
    }
}

// ---- The property. ----

/// Uniform draws from the runtime's own seeded generator, so every run sees the same nets.
struct Random(backprop_core::init::Xoshiro256PlusPlus);

impl Random {
    fn new(seed: u64) -> Self {
        Random(backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// Uniform in `[low, high)`.
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.0.next_f64()
    }
}

/// A target the loss accepts: any number for the regression losses, probabilities for binary
/// cross-entropy, and for cross-entropy a distribution (softmax) or probabilities (sigmoid).
fn random_target(architecture: &Architecture, random: &mut Random) -> Vec<f64> {
    let &(outputs, activation) = architecture.layers.last().expect("an output layer");
    match (architecture.loss, activation) {
        (Loss::CrossEntropy, Act::Softmax) => {
            let weights: Vec<f64> = (0..outputs).map(|_| random.uniform(0.1, 1.0)).collect();
            let total: f64 = weights.iter().sum();
            weights.iter().map(|weight| weight / total).collect()
        }
        (Loss::CrossEntropy | Loss::BinaryCrossEntropy, _) => {
            (0..outputs).map(|_| random.uniform(0.05, 0.95)).collect()
        }
        _ => (0..outputs).map(|_| random.uniform(-1.0, 1.0)).collect(),
    }
}

/// `|a - b|` relative to the larger of them, and to `floor` for values near 0.
fn relative_error(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor).max(f64::MIN_POSITIVE)
}

/// The generated loss and derivatives agree with the reference to 1e-10 relative, and with
/// central differences of the generated loss to 1e-6; returns whether the finite differences
/// were checked (not near a kink).
fn check(architecture: &Architecture, seed: u64) -> bool {
    let mut random = Random::new(seed);
    let parameter_count: usize = {
        let mut inputs = architecture.inputs;
        architecture
            .layers
            .iter()
            .map(|&(width, _)| {
                let count = width * inputs + width;
                inputs = width;
                count
            })
            .sum()
    };
    let parameters: Vec<f64> = (0..parameter_count)
        .map(|_| random.uniform(-1.0, 1.0))
        .collect();
    let input: Vec<f64> = (0..architecture.inputs)
        .map(|_| random.uniform(-2.0, 2.0))
        .collect();
    let target = random_target(architecture, &mut random);
    let (loss, gradient, input_gradient) = (architecture.gradient)(&parameters, &input, &target);
    let expected = reference(architecture, &parameters, &input, &target);
    let context = format!("{} {{ {} }}", architecture.name, architecture.spec);
    // The reference sums in another order in places (softmax's dot product, the fused
    // cross-entropies), so values that cancel to near 0 are compared against the scale of the
    // vector they belong to: 1e-10 of the largest derivative.
    let tolerance = 1e-10;
    assert!(
        relative_error(loss, expected.loss, 1e-300) <= tolerance,
        "{context}: loss {loss} vs reference {}",
        expected.loss
    );
    for (what, generated, reference) in [
        ("parameter", &gradient, &expected.gradient),
        ("input", &input_gradient, &expected.input_gradient),
    ] {
        assert_eq!(generated.len(), reference.len(), "{context}: {what} count");
        let scale = reference
            .iter()
            .fold(0.0_f64, |max, value| max.max(value.abs()));
        for (index, (g, r)) in generated.iter().zip(reference.iter()).enumerate() {
            let error = relative_error(*g, *r, scale * 1e-3);
            assert!(
                error <= tolerance,
                "{context}: d{what}[{index}] = {g}, reference {r}, relative error {error:e}"
            );
        }
    }
    if expected.near_kink {
        return false;
    }
    // Central differences are off by about `1e-16 |L| / step` of rounding, and by truncation
    // of order `step^2` times the third derivative, which grows with the loss too: a derivative
    // much smaller than the loss is compared against `1e-4 |L|`.
    let floor = 1e-4 * loss.abs().max(1.0);
    let step = 1e-5;
    let mut shifted = parameters.clone();
    for (index, &closed_form) in gradient.iter().enumerate() {
        shifted[index] = parameters[index] + step;
        let up = (architecture.loss_at)(&shifted, &input, &target);
        shifted[index] = parameters[index] - step;
        let down = (architecture.loss_at)(&shifted, &input, &target);
        shifted[index] = parameters[index];
        let numeric = (up - down) / (2.0 * step);
        let error = relative_error(closed_form, numeric, floor);
        assert!(
            error <= 1e-6,
            "{context}: dparameter[{index}] = {closed_form}, central difference {numeric}, relative error {error:e}"
        );
    }
    true
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1200);
    let mut config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x6772_6164_6965_6e74);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_gradients_match_the_reference_and_finite_differences(
        index in 0..ARCHITECTURES.len(),
        seed in any::<u64>(),
    ) {
        check(&ARCHITECTURES[index], seed);
    }
}

/// Every architecture, at fixed points, with the finite differences checked on most of them: the
/// property above draws architectures at random, this makes sure none is left out.
#[test]
fn every_architecture_at_fixed_points() {
    let mut with_differences = 0;
    for architecture in ARCHITECTURES {
        for seed in 0..5 {
            with_differences += usize::from(check(architecture, seed));
        }
    }
    assert!(
        with_differences > ARCHITECTURES.len() * 4,
        "{with_differences}"
    );
}

/// The architectures cover what they claim: every activation, every loss with every output
/// activation it accepts, depths 1 to 4 and both forms.
#[test]
fn the_architectures_cover_every_activation_and_pairing() {
    assert_eq!(ARCHITECTURES.len(), 60);
    let described = |act: &Act| format!("{act:?}");
    let mut hidden: Vec<String> = Vec::new();
    let mut pairs: Vec<String> = Vec::new();
    let mut depths = [false; 4];
    for architecture in ARCHITECTURES {
        let (last, rest) = architecture.layers.split_last().expect("a layer");
        hidden.extend(rest.iter().map(|(_, act)| described(act)));
        pairs.push(format!("{:?} {}", architecture.loss, described(&last.1)));
        depths[architecture.layers.len() - 1] = true;
    }
    for act in [
        "Identity",
        "Relu",
        "LeakyRelu(0.01)",
        "LeakyRelu(0.2)",
        "Elu(1.0)",
        "Elu(0.5)",
        "Sigmoid",
        "Tanh",
        "Softplus",
        "Silu",
        "Gelu",
    ] {
        assert!(hidden.iter().any(|h| h == act), "no hidden {act}");
    }
    for pair in ["BinaryCrossEntropy Sigmoid", "CrossEntropy Softmax"] {
        assert!(pairs.iter().any(|p| p == pair), "no {pair}: {pairs:?}");
    }
    // The regression losses, together, take every output activation; each takes several.
    let regression = [
        "SquaredError",
        "MeanSquaredError",
        "MeanAbsoluteError",
        "Huber(1.0)",
        "Huber(0.3)",
    ];
    for output in [
        "Identity",
        "Relu",
        "LeakyRelu(0.01)",
        "LeakyRelu(0.2)",
        "Elu(1.0)",
        "Elu(0.5)",
        "Sigmoid",
        "Tanh",
        "Softplus",
        "Silu",
        "Gelu",
        "Softmax",
    ] {
        assert!(
            pairs.iter().any(|p| regression
                .iter()
                .any(|loss| *p == format!("{loss} {output}"))),
            "no regression loss on a {output} output: {pairs:?}"
        );
    }
    for loss in regression {
        let outputs = pairs
            .iter()
            .filter(|p| p.split(' ').next() == Some(loss))
            .count();
        assert!(outputs >= 8, "{loss} has {outputs} architectures");
    }
    assert_eq!(depths, [true; 4]);
    assert!(
        ARCHITECTURES
            .iter()
            .any(|a| a.spec.starts_with("form: looped"))
    );
}
