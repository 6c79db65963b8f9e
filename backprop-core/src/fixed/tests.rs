//! The fixed-point arithmetic against f64: roundings, the activations' error bounds, and a
//! two-layer net's gradient against the f64 net's on the same weights.

#![allow(clippy::float_cmp, reason = "exact values on purpose")]

use super::activation::{
    SIGMOID_ERROR, TANH_ERROR, hard_sigmoid, hard_sigmoid_derivative, hard_tanh,
    hard_tanh_derivative, identity, identity_derivative, leaky_relu, leaky_relu_derivative, relu,
    relu_derivative, sigmoid, sigmoid_derivative, tanh, tanh_derivative,
};
use super::loss::element::squared_error_derivative;
use super::loss::{mean_squared_error, mean_squared_error_gradient};
use super::{I16F16, ONE, from_wide, mul};
use crate::Layer;
use crate::init::Xoshiro256PlusPlus;
use crate::{Dense, network};

fn q(value: f64) -> I16F16 {
    I16F16::from_num(value)
}

fn f(value: I16F16) -> f64 {
    value.to_num()
}

#[test]
fn products_round_to_nearest_and_saturate() {
    let step = I16F16::DELTA;
    // 3 steps times 1/2 is 1.5 steps: rounds up to 2.
    assert_eq!(mul(step * 3, q(0.5)), step * 2);
    // -1.5 steps rounds up too (halves up), to -1.
    assert_eq!(mul(-(step * 3), q(0.5)), -step);
    assert_eq!(mul(q(1.5), q(-2.25)), q(-3.375));
    assert_eq!(mul(q(30_000.0), q(30_000.0)), I16F16::MAX);
    assert_eq!(mul(q(-30_000.0), q(30_000.0)), I16F16::MIN);
    assert_eq!(from_wide(i64::MAX), I16F16::MAX);
}

#[test]
fn the_tanh_table_is_tanh_rounded() {
    for k in 0..=96 {
        let exact = libm::round(libm::tanh(f64::from(k) / 16.0) * 65_536.0);
        assert_eq!(
            f64::from(tanh(I16F16::from_bits(k << 12)).to_bits()),
            exact,
            "k = {k}"
        );
    }
}

#[test]
fn tanh_and_sigmoid_are_within_their_bounds() {
    let (mut worst_tanh, mut worst_sigmoid) = (0.0_f64, 0.0_f64);
    // Every 2^-10 on [-10, 10], which visits every table interval at 64 points.
    for k in -10_240..=10_240 {
        let z = I16F16::from_bits(k << 6);
        worst_tanh = worst_tanh.max((f(tanh(z)) - libm::tanh(f(z))).abs());
        let logistic = 1.0 / (1.0 + libm::exp(-f(z)));
        worst_sigmoid = worst_sigmoid.max((f(sigmoid(z)) - logistic).abs());
    }
    assert!(worst_tanh <= TANH_ERROR, "tanh: {worst_tanh}");
    assert!(worst_sigmoid <= SIGMOID_ERROR, "sigmoid: {worst_sigmoid}");
    // The bounds are close to what is reached, not loose by orders of magnitude.
    assert!(worst_tanh > TANH_ERROR / 2.0, "tanh: {worst_tanh}");
    assert_eq!(tanh(I16F16::MAX), I16F16::from_bits(65_535));
    assert_eq!(tanh(I16F16::MIN), I16F16::from_bits(-65_535));
    assert_eq!(tanh(-q(0.5)), -tanh(q(0.5)));
}

#[test]
fn piecewise_linear_activations_are_exact() {
    assert_eq!(relu(q(-2.5)), I16F16::ZERO);
    assert_eq!(relu(q(2.5)), q(2.5));
    assert_eq!(leaky_relu(q(-2.0), q(0.125)), q(-0.25));
    assert_eq!(leaky_relu(q(3.0), q(0.125)), q(3.0));
    assert_eq!(hard_tanh(q(-7.0)), -ONE);
    assert_eq!(hard_tanh(q(0.25)), q(0.25));
    assert_eq!(hard_sigmoid(q(3.0)), ONE);
    assert_eq!(hard_sigmoid(q(-4.0)), I16F16::ZERO);
    assert_eq!(hard_sigmoid(q(1.5)), q(0.75));
    assert_eq!(hard_sigmoid(I16F16::ZERO), q(0.5));
    assert_eq!(hard_sigmoid(q(-1.5)), q(0.25));
    // z/6 rounds to nearest on both sides: 3 steps / 6 is half a step, away from zero.
    let step = I16F16::DELTA;
    assert_eq!(hard_sigmoid(step * 3), q(0.5) + step);
    assert_eq!(hard_sigmoid(-(step * 3)), q(0.5) - step);
    assert_eq!(hard_sigmoid(step * 2), q(0.5));
    assert_eq!(hard_sigmoid(-(step * 2)), q(0.5));
    assert!((f(hard_sigmoid_derivative(q(1.0), q(0.0))) - 1.0 / 6.0).abs() < 1e-5);
    assert_eq!(hard_sigmoid_derivative(q(3.0), q(0.0)), I16F16::ZERO);
}

#[test]
fn derivatives_of_the_piecewise_linear_activations() {
    let (minus, zero, plus) = (q(-1.5), I16F16::ZERO, q(0.75));
    assert_eq!(identity(minus), minus);
    assert_eq!(identity_derivative(minus, minus), ONE);
    // ReLU's slope is 0 at 0 and below, 1 above.
    assert_eq!(relu_derivative(minus, zero), zero);
    assert_eq!(relu_derivative(zero, zero), zero);
    assert_eq!(relu_derivative(plus, plus), ONE);
    let alpha = q(0.125);
    assert_eq!(leaky_relu_derivative(minus, zero, alpha), alpha);
    assert_eq!(leaky_relu_derivative(zero, zero, alpha), alpha);
    assert_eq!(leaky_relu_derivative(plus, plus, alpha), ONE);
    assert_eq!(hard_tanh_derivative(plus, plus), ONE);
    assert_eq!(hard_tanh_derivative(-ONE, -ONE), zero);
    assert_eq!(hard_tanh_derivative(ONE, ONE), zero);
    assert_eq!(hard_tanh_derivative(q(2.0), ONE), zero);
    assert_eq!(hard_sigmoid_derivative(q(-3.0), zero), zero);
}

#[test]
fn derivatives_of_tanh_and_sigmoid_from_their_values() {
    // 1 - 0.5^2 and 0.5 (1 - 0.5), exactly.
    assert_eq!(tanh_derivative(zero(), q(0.5)), q(0.75));
    assert_eq!(sigmoid_derivative(zero(), q(0.5)), q(0.25));
    assert_eq!(sigmoid_derivative(zero(), ONE), I16F16::ZERO);
    assert_eq!(sigmoid(I16F16::ZERO), q(0.5));
}

fn zero() -> I16F16 {
    I16F16::ZERO
}

#[test]
fn tanh_interpolates_with_rounding_to_nearest() {
    // Halfway through each interval: low + (high - low)/2, halves rounded up.
    for k in 0..96 {
        let (low, high) = (
            tanh(I16F16::from_bits(k << 12)),
            tanh(I16F16::from_bits((k + 1) << 12)),
        );
        let (low, high) = (low.to_bits(), high.to_bits());
        let middle = tanh(I16F16::from_bits((k << 12) + 2048)).to_bits();
        assert_eq!(middle, low + (high - low + 1) / 2, "interval {k}");
    }
}

#[test]
fn sgd_steps_each_parameter_by_the_rounded_product() {
    let mut layer = Dense::<I16F16, 2, 1> {
        weights: [[q(1.0), q(-2.0)]],
        bias: [q(0.5)],
    };
    let gradient = Dense {
        weights: [[q(4.0), q(-1.0)]],
        bias: [q(2.0)],
    };
    layer.sgd_step(&gradient, q(0.25));
    assert_eq!(layer.weights, [[q(0.0), q(-1.75)]]);
    assert_eq!(layer.bias, [q(0.0)]);
    // Saturates instead of wrapping.
    let mut layer = Dense::<I16F16, 1, 1> {
        weights: [[I16F16::MIN]],
        bias: [I16F16::MAX],
    };
    let gradient = Dense {
        weights: [[q(1000.0)]],
        bias: [q(-1000.0)],
    };
    layer.sgd_step(&gradient, q(10.0));
    assert_eq!(
        (layer.weights[0][0], layer.bias[0]),
        (I16F16::MIN, I16F16::MAX)
    );
}

#[test]
fn losses_and_their_derivatives() {
    let (y, t) = ([q(1.5), q(-0.5)], [q(0.5), q(0.5)]);
    assert_eq!(mean_squared_error(&y, &t), ONE);
    assert_eq!(squared_error_derivative(y[0], t[0]), q(2.0));
    assert_eq!(mean_squared_error_gradient(&y, &t)[1], -ONE);
    assert_eq!(
        mean_squared_error(&[I16F16::MAX], &[I16F16::MIN]),
        I16F16::MAX
    );
}

network! {
    /// The f64 reference of the fixed-point net below.
    struct Reference { input: 2, hidden: dense(4, tanh), output: dense(1, identity), loss: squared_error }
}

/// The same net in Q16.16: hidden tanh, identity output, squared error.
struct Fixed {
    hidden: Dense<I16F16, 2, 4>,
    output: Dense<I16F16, 4, 1>,
}

impl Fixed {
    /// The loss and the gradient, by the same back-propagation the macro writes.
    #[allow(clippy::trivially_copy_pass_by_ref)] // the shape of the generated `gradient`
    fn gradient(&self, input: &[I16F16; 2], target: &[I16F16; 1]) -> (I16F16, Self) {
        let z_hidden = self.hidden.pre_activation(input);
        let a_hidden = z_hidden.map(tanh);
        let y = self.output.pre_activation(&a_hidden);
        let loss = super::loss::squared_error(&y, target);
        let delta_output = [squared_error_derivative(y[0], target[0])];
        let upstream = self.output.back_propagate(&delta_output);
        let delta_hidden: [I16F16; 4] =
            core::array::from_fn(|j| mul(upstream[j], tanh_derivative(z_hidden[j], a_hidden[j])));
        let mut gradient = Self {
            hidden: Dense::ZERO,
            output: Dense::ZERO,
        };
        gradient.hidden.set_gradient(&delta_hidden, input);
        gradient.output.set_gradient(&delta_output, &a_hidden);
        (loss, gradient)
    }
}

#[test]
fn the_gradient_matches_the_f64_net_on_the_same_weights() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(21);
    let mut worst = 0.0_f64;
    for _ in 0..200 {
        // Weights on the Q16.16 grid, so both nets hold the same numbers.
        let mut draw = || f(q(2.0 * random.next_f64() - 1.0));
        let reference = Reference {
            hidden: Dense::new(
                core::array::from_fn(|_| [draw(), draw()]),
                core::array::from_fn(|_| draw()),
            ),
            output: Dense::new([core::array::from_fn(|_| draw())], [draw()]),
        };
        let fixed = Fixed {
            hidden: Dense::from_f64(&reference.hidden),
            output: Dense::from_f64(&reference.output),
        };
        let (input, target) = ([draw() * 2.0, draw() * 2.0], [draw()]);
        let (loss, gradient) = reference.gradient(&input, &target);
        let (fixed_loss, fixed_gradient) = fixed.gradient(&input.map(q), &target.map(q));
        worst = worst.max((f(fixed_loss) - loss).abs());
        let pairs = [(fixed_gradient.hidden.to_f64(), gradient.hidden)];
        for (fixed, exact) in pairs {
            for (a, b) in fixed
                .weights
                .as_flattened()
                .iter()
                .zip(exact.weights.as_flattened())
            {
                worst = worst.max((a - b).abs());
            }
            for (a, b) in fixed.bias.iter().zip(&exact.bias) {
                worst = worst.max((a - b).abs());
            }
        }
        let output = fixed_gradient.output.to_f64();
        for (a, b) in output.weights[0].iter().zip(&gradient.output.weights[0]) {
            worst = worst.max((a - b).abs());
        }
        worst = worst.max((output.bias[0] - gradient.output.bias[0]).abs());
    }
    // The tanh table's 4e-4 (and 8e-4 in its derivative), times inputs under 2, output weights
    // under 1 and a loss slope under 12, plus roundings of 2^-16: measured 3.5e-3 over these 200
    // samples; a wrong formula or a lost rounding is off by far more.
    assert!(worst < 5e-3, "largest difference {worst}");
    assert!(worst > 0.0, "the fixed net computed nothing of its own");
}

/// `divide` rounds to nearest, halves away from zero, on both signs (raw bits: steps of 2^-16).
#[test]
fn divide_rounds_halves_away_from_zero() {
    let divided = |bits: i32, count: usize| super::divide(I16F16::from_bits(bits), count).to_bits();
    assert_eq!(divided(3, 2), 2);
    assert_eq!(divided(-3, 2), -2);
    assert_eq!(divided(-5, 4), -1);
    assert_eq!(divided(-6, 4), -2);
    assert_eq!(divided(-7, 4), -2);
    assert_eq!(divided(5, 4), 1);
    assert_eq!(divided(-9, 1), -9);
    assert_eq!(divided(-9, 0), -9, "a count of 0 divides by 1");
}
