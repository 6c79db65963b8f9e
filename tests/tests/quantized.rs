//! `quantize: int8`: the generated int8 net's `i8` forward against TensorFlow Lite's integer
//! arithmetic written out here, its first layer against the quantisation formulas, its tables
//! against the activation, the int8 net against the float net it came from, and its Rust source
//! read back.

#![allow(
    clippy::float_cmp,
    reason = "the float forward is the i8 forward dequantised, exactly"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "codes and table indices, in range by construction"
)]

use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer};
use backprop_core::quant::{Clamp, QuantizedDense, Table};

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

// --- TensorFlow Lite's integer arithmetic, written out -----------------------------------------

mod tflite_reference;
use tflite_reference::{Activation, multiply_by_quantized_multiplier_once};

/// `FullyConnected` for int8 with the input offset folded into the bias (CMSIS-NN's form): a row's
/// `i32` sum of products plus its bias, requantised, plus the zero point, then the activation.
fn dense_reference<const I: usize, const O: usize, A: Activation>(
    layer: &QuantizedDense<I, O, A>,
    input: &[i8; I],
) -> [i8; O] {
    std::array::from_fn(|j| {
        let mut acc = layer.bias[j];
        for (&w, &x) in layer.weights[j].iter().zip(input) {
            acc += i32::from(w) * i32::from(x);
        }
        let q = multiply_by_quantized_multiplier_once(acc, layer.multiplier[j], layer.shift[j]);
        layer.activation.activate(q + i32::from(layer.zero_point))
    })
}

/// `round(x / scale) + zero_point`, clamped to an `i8` (halves away from zero).
fn quantize(x: f64, scale: f64, zero_point: i8) -> i8 {
    ((x / scale).round() as i32 + i32::from(zero_point)).clamp(-128, 127) as i8
}

/// `(scale, zero_point)` spreading the 256 codes over `[min, max]` widened to hold 0.
fn quantization(min: f64, max: f64) -> (f64, i8) {
    let (min, max) = (min.min(0.0), max.max(0.0));
    let scale = (max - min) / 255.0;
    (scale, (-128.0 - min / scale).round() as i8)
}

#[test]
fn forward_i8_is_tflite_fully_connected_layer_by_layer() {
    let sine = trained_sine();
    let int8 = sine.quantize(&grid(100));
    let input = int8.input_quantization;
    let output = int8.output_quantization;
    for [x] in grid(97) {
        let q = [quantize(x, input.scale, input.zero_point)];
        assert_eq!(int8.quantize_input(&[x]), q);
        let first = dense_reference(&int8.first, &q);
        let second = dense_reference(&int8.second, &first);
        let y = dense_reference(&int8.output, &second);
        assert_eq!(int8.forward_i8(&q), y, "x = {x}");
        let dequantized = output.scale * f64::from(i32::from(y[0]) - i32::from(output.zero_point));
        assert_eq!(int8.forward(&[x]), [dequantized]);
    }

    // Tables, a clamp for leaky ReLU's and identity's, and a softmax over the dequantised logits.
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(3);
    let mut draw = || std::array::from_fn(|_| (4.0 * random.next_f64() - 2.0) as f32);
    let inputs: Vec<[f32; 3]> = (0..200).map(|_| draw()).collect();
    let classifier = Classifier::xavier_uniform(5).quantize(&inputs);
    let input = classifier.input_quantization;
    let output = classifier.output_quantization;
    for x in &inputs {
        let q = x.map(|x| quantize(f64::from(x), f64::from(input.scale), input.zero_point));
        assert_eq!(classifier.quantize_input(x), q);
        let hidden = dense_reference(&classifier.hidden, &q);
        let middle = dense_reference(&classifier.middle, &hidden);
        let leaky = dense_reference(&classifier.leaky, &middle);
        let logits = dense_reference(&classifier.output, &leaky);
        assert_eq!(classifier.forward_i8(&q), logits);
        let logits = logits.map(|q| {
            f64::from(output.scale) * f64::from(i32::from(q) - i32::from(output.zero_point))
        });
        let total: f64 = logits.iter().map(|z| z.exp()).sum();
        for (p, z) in classifier.forward(x).iter().zip(logits) {
            assert!((f64::from(*p) - z.exp() / total).abs() < 1e-6);
        }
    }
}

/// The sine net's first layer is the float layer quantised as the formulas say: per row `j`,
/// `scale_j = max_i |w_ji| / 127`, `q_ji = round(w_ji / scale_j)`, the bias in units of
/// `scale_in scale_j` with `zero_point_in * sum_i q_ji` taken out, and `M_j = scale_in scale_j /
/// scale_out` with one `scale_out` for every row; ReLU's output starts at 0, its lowest code.
#[test]
fn the_first_layer_is_the_float_layer_quantised_per_row() {
    let sine = trained_sine();
    let inputs = grid(100);
    let int8 = sine.quantize(&inputs);
    let (scale_in, zero_in) = quantization(0.0, inputs.iter().map(|[x]| *x).fold(0.0, f64::max));
    assert_eq!(
        (
            int8.input_quantization.scale,
            int8.input_quantization.zero_point
        ),
        (scale_in, zero_in)
    );
    assert_eq!(zero_in, -128, "the inputs are all >= 0");
    // The largest pre-activation over the calibration set sets the output scale.
    let largest = inputs
        .iter()
        .flat_map(|x| sine.first.pre_activation(x))
        .fold(0.0, f64::max);
    let (scale_out, zero_out) = quantization(0.0, largest);
    let layer = &int8.first;
    for j in 0..8 {
        let w = sine.first.weights[j][0];
        let scale = w.abs() / 127.0;
        let q = (w / scale).round() as i32;
        assert_eq!(i32::from(layer.weights[j][0]), q, "row {j}: ±127");
        let bias = (sine.first.bias[j] / (scale_in * scale)).round() as i32;
        assert_eq!(layer.bias[j], bias - i32::from(zero_in) * q, "row {j}");
        let m = f64::from(layer.multiplier[j]) * (f64::from(layer.shift[j]) - 31.0).exp2();
        let exact = scale_in * scale / scale_out;
        assert!((m - exact).abs() <= exact * 2e-9, "row {j}: M {m}, {exact}");
    }
    assert_eq!(layer.zero_point, zero_out);
    assert_eq!(
        layer.activation,
        Clamp {
            min: zero_out,
            max: 127
        }
    );
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

/// A layer worked by hand: the sums, TensorFlow Lite's two roundings (the doubling high product
/// rounds halves up, the right shift halves away from zero), the zero point and the clamp; and a
/// table read at the requantised code.
#[test]
fn a_quantized_layer_computes_what_a_hand_computes() {
    let layer: QuantizedDense<2, 3, Clamp> = QuantizedDense {
        weights: [[3, -2], [100, 100], [-1, 0]],
        bias: [10, 0, -300],
        // M = 2^30 2^-31 = 0.5 for the first two rows; 0.75 2^31 with a shift of -2 is 0.1875.
        multiplier: [1 << 30, 1 << 30, 1_610_612_736],
        shift: [0, 0, -2],
        zero_point: 5,
        activation: Clamp {
            min: -100,
            max: 120,
        },
    };
    // Row 0: 63 - 14 + 10 = 59, times 0.5 is 29.5, up to 30, plus 5. Row 1: 2,800 times 0.5,
    // clamped to 120. Row 2: -21 - 300 = -321, times 0.75 is -240.75, to -241, over 4 is -60.25,
    // to -60, plus 5.
    assert_eq!(layer.forward(&[21, 7]), [35, 120, -55]);
    // Row 0: -63 - 14 + 10 = -67, times 0.5 is -33.5, up to -33, plus 5. Row 1: -1,400 + 5,
    // clamped to -100. Row 2: 21 - 300 = -279, times 0.75 is -209.25, to -209, over 4 is -52.25,
    // to -52, plus 5.
    assert_eq!(layer.forward(&[-21, 7]), [-28, -100, -47]);
    // The two roundings at their ties, with M = 0.75 2^-2 alone: -6 times 0.75 is -4.5, up to
    // -4, over 4 exactly -1; -10 gives -7.5, up to -7, over 4 is -1.75, to -2; -14 gives -10.5,
    // up to -10, over 4 is -2.5, away from zero to -3; 14 gives 10.5, up to 11, over 4 is 2.75,
    // to 3.
    let tie: QuantizedDense<1, 1, Clamp> = QuantizedDense {
        weights: [[1]],
        bias: [0],
        multiplier: [1_610_612_736],
        shift: [-2],
        zero_point: 0,
        activation: Clamp {
            min: -128,
            max: 127,
        },
    };
    assert_eq!(tie.forward(&[-6]), [-1]);
    assert_eq!(tie.forward(&[-10]), [-2]);
    // -14 times 0.75 is -10.5, up to -10, over 4 is -2.5: away from zero, -3.
    assert_eq!(tie.forward(&[-14]), [-3]);
    assert_eq!(tie.forward(&[14]), [3]);

    // A table reversing the codes, after M = 2^30 2^(1 - 31) = 1 and a zero point of 3.
    let table: QuantizedDense<1, 1, Table> = QuantizedDense {
        weights: [[1]],
        bias: [0],
        multiplier: [1 << 30],
        shift: [1],
        zero_point: 3,
        activation: Table {
            output: std::array::from_fn(|k| (127 - k as i32) as i8),
        },
    };
    // 10 + 3 = 13 is entry 141, holding 127 - 141.
    assert_eq!(table.forward(&[10]), [-14]);
    // 127 + 3 saturates to 127, the last entry.
    assert_eq!(table.forward(&[127]), [-128]);
    assert_eq!(table.forward(&[-128]), [127 - 3]);
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
    // The table, built again from its definition: the pre-activation's codes spread over the
    // calibrated range (widened to hold 0), softsign at each code's value, the outputs spread
    // over the range of those 256 values.
    let (mut min, mut max) = (0.0_f64, 0.0_f64);
    for x in &inputs {
        for z in net.hidden.pre_activation(x) {
            (min, max) = (min.min(z), max.max(z));
        }
    }
    let (pre_scale, pre_zero) = quantization(min, max);
    assert_eq!(int8.hidden.zero_point, pre_zero);
    let values: Vec<f64> = (-128..=127)
        .map(|q| {
            let z = pre_scale * f64::from(q - i32::from(pre_zero));
            z / (1.0 + z.abs())
        })
        .collect();
    let (out_scale, out_zero) = quantization(
        values.iter().copied().fold(f64::INFINITY, f64::min),
        values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let expected: Vec<i8> = values
        .iter()
        .map(|&value| quantize(value, out_scale, out_zero))
        .collect();
    assert_eq!(int8.hidden.activation.output.to_vec(), expected);
    // Softsign rises: so do the codes, from the lowest to the highest.
    assert_eq!((expected[0], expected[255]), (-128, 127));
}
