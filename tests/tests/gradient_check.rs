//! The closed-form gradients agree with central finite differences, in f64, for every activation
//! and every loss, on random nets of several shapes: for every parameter and every input.
//!
//! Each point is checked to a relative error of 1e-6, measured against the larger of the two
//! values and 1e-4 (so that a derivative of 1e-12 is not held to 1e-18). Central differences with
//! h = 1e-5 are accurate to about 1e-10 on these smooth nets, far inside that bound. Random points
//! land on a `relu` or absolute-value kink with probability about 1e-5 per node, and a fixed seed
//! per net keeps every run the same.

use backprop_core::{Activation, Network, Scalar, network};

/// Step of the central differences.
const STEP: f64 = 1e-5;
/// Largest relative error accepted.
const TOLERANCE: f64 = 1e-6;
/// Samples checked per net.
const SAMPLES: usize = 3;

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

/// What targets a loss accepts.
#[derive(Clone, Copy)]
enum Targets {
    /// Any real number.
    Real,
    /// Probabilities in (0, 1), one per output.
    Probabilities,
    /// A probability distribution over the outputs (summing to 1, not one-hot).
    Distribution,
}

fn relative_error(closed_form: f64, numeric: f64) -> f64 {
    (closed_form - numeric).abs() / closed_form.abs().max(numeric.abs()).max(1e-4)
}

/// Checks every parameter and input derivative of random nets of type `N` against central
/// differences; returns how many derivatives were checked.
fn check<N, const I: usize, const O: usize>(seed: u64, targets: Targets) -> usize
where
    N: Network<Scalar = f64, Input = [f64; I], Output = [f64; O]>,
{
    let mut random = Random::new(seed);
    let mut checked = 0;
    for _ in 0..SAMPLES {
        let mut net = N::zeroed();
        for tensor in 0..N::TENSORS.len() {
            net.tensor_mut(tensor)
                .iter_mut()
                .for_each(|parameter| *parameter = random.uniform(-1.0, 1.0));
        }
        let input: [f64; I] = core::array::from_fn(|_| random.uniform(-2.0, 2.0));
        let target = random_target::<O>(&mut random, targets);
        checked += check_parameters(&mut net, &input, &target);
        checked += check_inputs(&net, &input, &target);
    }
    checked
}

fn random_target<const O: usize>(random: &mut Random, targets: Targets) -> [f64; O] {
    match targets {
        Targets::Real => core::array::from_fn(|_| random.uniform(-1.0, 1.0)),
        Targets::Probabilities => core::array::from_fn(|_| random.uniform(0.05, 0.95)),
        Targets::Distribution => {
            let weights: [f64; O] = core::array::from_fn(|_| random.uniform(0.1, 1.0));
            let total: f64 = weights.iter().sum();
            weights.map(|weight| weight / total)
        }
    }
}

fn check_parameters<N: Network<Scalar = f64>>(
    net: &mut N,
    input: &N::Input,
    target: &N::Output,
) -> usize {
    let (loss, gradient) = net.gradient(input, target);
    assert_eq!(
        loss.to_bits(),
        net.loss(input, target).to_bits(),
        "gradient and loss disagree on the loss"
    );
    let mut checked = 0;
    for tensor in 0..N::TENSORS.len() {
        for index in 0..net.tensor(tensor).len() {
            let numeric = central_difference(|shift| {
                let original = net.tensor(tensor)[index];
                net.tensor_mut(tensor)[index] = original + shift;
                let loss = net.loss(input, target);
                net.tensor_mut(tensor)[index] = original;
                loss
            });
            let closed_form = gradient.tensor(tensor)[index];
            let error = relative_error(closed_form, numeric);
            assert!(
                error <= TOLERANCE,
                "tensor {tensor}[{index}]: closed form {closed_form}, finite difference {numeric}, relative error {error:e}"
            );
            checked += 1;
        }
    }
    checked
}

fn check_inputs<N: Network<Scalar = f64>>(net: &N, input: &N::Input, target: &N::Output) -> usize {
    let gradient = net.input_gradient(input, target);
    for (index, &closed_form) in backprop_core::shape::slice(&gradient).iter().enumerate() {
        let numeric = central_difference(|shift| {
            let mut shifted = *input;
            backprop_core::shape::slice_mut(&mut shifted)[index] += shift;
            net.loss(&shifted, target)
        });
        let error = relative_error(closed_form, numeric);
        assert!(
            error <= TOLERANCE,
            "input[{index}]: closed form {closed_form}, finite difference {numeric}, relative error {error:e}"
        );
    }
    backprop_core::shape::slice(&gradient).len()
}

fn central_difference(mut loss_at: impl FnMut(f64) -> f64) -> f64 {
    (loss_at(STEP) - loss_at(-STEP)) / (2.0 * STEP)
}

/// Softsign, `z / (1 + |z|)`: a user-defined activation, checked like the built-ins.
struct Softsign;

impl<T: Scalar> Activation<T> for Softsign {
    fn value(z: T) -> T {
        z / (T::ONE + z.abs())
    }

    fn derivative(z: T, _value: T) -> T {
        let denominator = T::ONE + z.abs();
        T::ONE / (denominator * denominator)
    }
}

/// The logistic function written by a user: it sends `binary_cross_entropy` down its unfused
/// path, which the built-in sigmoid would fuse, and `cross_entropy` down the general one (a user
/// type is trusted to output probabilities; the built-in sigmoid is refused there).
struct Logistic;

impl<T: Scalar> Activation<T> for Logistic {
    fn value(z: T) -> T {
        backprop_core::activation::sigmoid(z)
    }

    fn derivative(_z: T, value: T) -> T {
        value * (T::ONE - value)
    }
}

/// One test per spec: declares the net in the test's body and checks it.
macro_rules! gradient_checks {
    ($($test:ident ($targets:ident): { $($spec:tt)* })*) => {$(
        #[test]
        fn $test() {
            network! {
                struct Net { $($spec)* }
            }
            let seed = u64::from_le_bytes(*b"backprop") ^ stringify!($test).len() as u64;
            let checked = check::<Net, { Net::INPUTS }, { Net::OUTPUTS }>(seed, Targets::$targets);
            assert_eq!(checked, SAMPLES * (Net::PARAMETERS + Net::INPUTS));
        }
    )*};
}

gradient_checks! {
    // Every activation, on hidden layers of several shapes.
    identity (Real): { input: 3, first: dense(4, identity), output: dense(2, identity), loss: squared_error }
    relu (Real): { input: 3, first: dense(5, relu), second: dense(4, relu), output: dense(2, identity), loss: squared_error }
    // Two identity layers widen the spread of the pre-activations, so some `relu6` nodes sit
    // above 6, some between the kinks and some below 0.
    relu6 (Real): { input: 8, a: dense(8, identity), b: dense(8, identity), hidden: dense(6, relu6), output: dense(2, relu6), loss: squared_error }
    leaky_relu_default (Real): { input: 2, hidden: dense(4, leaky_relu), output: dense(1, identity), loss: squared_error }
    leaky_relu_alpha (Real): { input: 3, hidden: dense(3, leaky_relu(0.2)), output: dense(2, leaky_relu(0.3)), loss: mean_squared_error }
    elu (Real): { input: 3, hidden: dense(4, elu), output: dense(2, elu(0.5)), loss: squared_error }
    sigmoid (Real): { input: 4, first: dense(3, sigmoid), second: dense(3, sigmoid), output: dense(2, sigmoid), loss: squared_error }
    tanh (Real): { input: 2, first: dense(6, tanh), second: dense(3, tanh), output: dense(1, tanh), loss: squared_error }
    softplus (Real): { input: 3, hidden: dense(4, softplus), output: dense(2, softplus), loss: squared_error }
    silu (Real): { input: 3, hidden: dense(4, silu), output: dense(2, silu), loss: squared_error }
    gelu (Real): { input: 3, hidden: dense(4, gelu), output: dense(2, gelu), loss: squared_error }
    user_activation (Real): { input: 3, hidden: dense(4, Softsign), output: dense(2, Softsign), loss: squared_error }
    single_node (Real): { input: 1, output: dense(1, tanh), loss: squared_error }
    deep_narrow (Real): { input: 1, a: dense(2, tanh), b: dense(1, sigmoid), c: dense(2, silu), d: dense(1, identity), loss: squared_error }

    // Every loss, with the output activations it pairs with.
    mean_squared_error (Real): { input: 3, hidden: dense(4, tanh), output: dense(3, identity), loss: mean_squared_error }
    mean_absolute_error (Real): { input: 3, hidden: dense(4, tanh), output: dense(3, identity), loss: mean_absolute_error }
    huber_default (Real): { input: 3, hidden: dense(4, tanh), output: dense(3, identity), loss: huber }
    huber_small_delta (Real): { input: 3, hidden: dense(4, tanh), output: dense(3, identity), loss: huber(0.05) }
    binary_cross_entropy_fused (Probabilities): { input: 3, hidden: dense(4, tanh), output: dense(2, sigmoid), loss: binary_cross_entropy }
    binary_cross_entropy_unfused (Probabilities): { input: 3, hidden: dense(4, tanh), output: dense(2, Logistic), loss: binary_cross_entropy }
    cross_entropy_softmax (Distribution): { input: 4, hidden: dense(5, relu), output: dense(3, softmax), loss: cross_entropy }
    cross_entropy_unfused (Probabilities): { input: 3, hidden: dense(4, tanh), output: dense(2, Logistic), loss: cross_entropy }
    softmax_squared_error (Distribution): { input: 3, hidden: dense(4, tanh), output: dense(3, softmax), loss: squared_error }
    softmax_huber (Distribution): { input: 3, hidden: dense(4, tanh), output: dense(4, softmax), loss: huber(0.1) }
}

/// `relu6` on each of its pieces at once, by hand: a node above 6 and one below 0 pass no
/// gradient (exactly 0, as the finite differences agree), the one between the kinks does.
#[test]
#[allow(clippy::float_cmp, reason = "a flat side passes exactly 0")]
fn relu6_flat_above_six_and_below_zero() {
    network! {
        struct Clipped { input: 1, hidden: dense(3, relu6), output: dense(1, identity), loss: squared_error }
    }
    let mut net = Clipped {
        hidden: backprop_core::Dense {
            weights: [[4.0], [1.0], [-2.0]],
            bias: [1.0, 0.5, 0.3],
        },
        output: backprop_core::Dense {
            weights: [[0.5, -1.0, 2.0]],
            bias: [0.1],
        },
    };
    // z_hidden = [9.0, 2.5, -3.7]: above 6, between the kinks, below 0.
    let (input, target) = ([2.0], [0.3]);
    let (_, gradient) = net.gradient(&input, &target);
    assert_eq!(gradient.hidden.weights[0][0], 0.0);
    assert_eq!(gradient.hidden.weights[2][0], 0.0);
    assert_ne!(gradient.hidden.weights[1][0], 0.0);
    assert_eq!(
        check_parameters(&mut net, &input, &target),
        Clipped::PARAMETERS
    );
    assert_eq!(check_inputs(&net, &input, &target), 1);
}
