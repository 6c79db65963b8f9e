//! `quantize: int8`: the generated int8 net against the float net it came from, its `i8` forward
//! against its float forward, tables and softmax, and its Rust source read back.

#![allow(
    clippy::float_cmp,
    reason = "the float forward is the i8 forward dequantised, exactly"
)]

use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer};
use backprop_core::quant::{Clamp, Quantization, QuantizedDense, Table};

network! {
    /// A small sine regressor (ReLU, so clamps only).
    #[derive(Clone)]
    pub struct Sine {
        input: 1,
        first: dense(8, relu),
        second: dense(8, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// tanh, sigmoid and leaky ReLU hidden layers (tables), a softmax output, in f32.
    pub struct Classifier {
        scalar: f32,
        input: 3,
        hidden: dense(6, tanh),
        middle: dense(5, sigmoid),
        leaky: dense(4, leaky_relu(0.1)),
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

/// A grid of `n` points on `[0, 2 pi]`.
fn grid(n: u32) -> Vec<[f64; 1]> {
    (0..n)
        .map(|k| [std::f64::consts::TAU * f64::from(k) / f64::from(n)])
        .collect()
}

/// A sine net trained for 4,000 full-batch Adam steps, to a grid MSE under 0.01.
fn trained_sine() -> Sine {
    let mut net = Sine::he_uniform(4);
    let inputs = grid(64);
    let targets: Vec<[f64; 1]> = inputs.iter().map(|[x]| [x.sin()]).collect();
    let mut adam = Adam::new(0.01);
    for _ in 0..4_000 {
        let (_, gradient) = net.batch_gradient(&inputs, &targets);
        adam.step(&mut net, &gradient);
    }
    let (loss, _) = net.batch_gradient(&inputs, &targets);
    assert!(loss < 0.01, "the sine net did not train: {loss}");
    net
}

#[test]
fn the_float_forward_is_the_i8_forward_between_quantise_and_dequantise() {
    let net = trained_sine();
    let int8 = net.quantize(&grid(100));
    for [x] in grid(37) {
        let q = int8.quantize_input(&[x]);
        assert_eq!(q, [int8.input_quantization.quantize(x)]);
        let y = int8.forward_i8(&q);
        assert_eq!(
            int8.forward(&[x]),
            [int8.output_quantization.dequantize(y[0])]
        );
    }
}

#[test]
fn the_int8_sine_stays_close_to_the_float_one() {
    let net = trained_sine();
    let points = grid(1_000);
    let int8 = net.quantize(&points);
    let differences: Vec<f64> = points
        .iter()
        .map(|x| (int8.forward(x)[0] - net.forward(x)[0]).abs())
        .collect();
    let largest = differences.iter().copied().fold(0.0, f64::max);
    let mean_squared = differences.iter().map(|d| d * d).sum::<f64>() / 1_000.0;
    // Each layer is within its rounding bound (the runtime's tests); through a hidden layer whose
    // activations span 0 to 16 (one step 0.06, times output weights up to 1.7), this seed's net
    // moves by at most 0.18, 3.4e-3 in mean square, with no bias (mean difference 2e-3). The
    // bounds leave room for other seeds, not for a broken layer (a wrong zero point or multiplier
    // moves the output by whole units).
    assert!(largest < 0.25, "largest difference {largest}");
    assert!(
        mean_squared < 5e-3,
        "mean squared difference {mean_squared}"
    );
    assert!(largest > 0.0, "nothing was quantised");
}

#[test]
fn tables_and_softmax_follow_the_float_classifier() {
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(9);
    let net = Classifier::xavier_uniform(5);
    #[allow(clippy::cast_possible_truncation)]
    let inputs: Vec<[f32; 3]> = (0..500)
        .map(|_| std::array::from_fn(|_| (4.0 * random.next_f64() - 2.0) as f32))
        .collect();
    let int8 = net.quantize(&inputs);
    let mut largest = 0.0_f32;
    for x in &inputs {
        let (p, q) = (net.forward(x), int8.forward(x));
        assert!(
            (q.iter().sum::<f32>() - 1.0).abs() < 1e-5,
            "a softmax output"
        );
        for (p, q) in p.iter().zip(q) {
            largest = largest.max((p - q).abs());
        }
    }
    assert!(largest < 0.03, "largest probability difference {largest}");
}

// What `to_rust_source` printed for the int8 sine net of `trained_sine`, compiled back in (after
// a deliberate change: `UPDATE_FIXTURES=1 cargo test -p backprop-tests --test quantized`).
include!("../fixtures/sine_int8.rs");

#[test]
fn the_int8_net_reads_back_from_its_rust_source() {
    let int8 = trained_sine().quantize(&grid(100));
    let source = int8.to_rust_source("SINE_INT8");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sine_int8.rs");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &source).expect("write the fixture");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("the fixture"), source);
    assert_eq!(SINE_INT8, int8);
}

/// The types the printed source names are the ones `quant` exports.
#[test]
fn the_source_names_the_runtime_types() {
    let layer: QuantizedDense<1, 1, Clamp> = QuantizedDense {
        weights: [[1]],
        bias: [0],
        multiplier: [0],
        shift: [0],
        zero_point: 0,
        activation: Clamp {
            min: -128,
            max: 127,
        },
    };
    let _: Quantization<f32> = Quantization {
        scale: 1.0,
        zero_point: 0,
    };
    let _ = Table { output: [0; 256] };
    assert_eq!(layer.forward(&[5]), [0]);
}

/// A user activation, `z / (1 + |z|)`: quantised through a table like the built-in ones.
struct Softsign;

impl<T: backprop_core::Scalar> backprop_core::Activation<T> for Softsign {
    fn value(z: T) -> T {
        z / (T::ONE + z.abs())
    }

    fn derivative(z: T, _value: T) -> T {
        let denominator = T::ONE + z.abs();
        T::ONE / (denominator * denominator)
    }
}

network! {
    /// A user activation in a hidden layer, quantised to int8.
    pub struct Custom {
        input: 2,
        hidden: dense(6, Softsign),
        output: dense(1, identity),
        loss: squared_error,
        quantize: int8,
    }
}

#[test]
fn a_user_activation_becomes_a_table() {
    let net = Custom::xavier_uniform(2);
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(4);
    let inputs: Vec<[f64; 2]> = (0..300)
        .map(|_| [4.0 * random.next_f64() - 2.0, 4.0 * random.next_f64() - 2.0])
        .collect();
    let int8 = net.quantize(&inputs);
    let largest = inputs
        .iter()
        .map(|x| (int8.forward(x)[0] - net.forward(x)[0]).abs())
        .fold(0.0, f64::max);
    // One output step is 0.0039 here; the table's rounding and the two layers' (measured 2.8
    // steps at most) stay within 4 steps, where a wrong table index would be off by many.
    let step = int8.output_quantization.scale;
    assert!(
        largest < 4.0 * step,
        "largest difference {largest}, step {step}"
    );
    assert_eq!(int8.hidden.activation.output.len(), 256);
}
