//! `quantize: int8` for nets along a signal: `conv1d`, `depthwise_conv1d`, `max_pool1d`,
//! `avg_pool1d` and `global_avg_pool1d`, with `dense` layers after them.
//!
//! - `quantize` is the runtime's constructors on the ranges one calibration pass finds;
//! - every int8 layer of the generated nets is an integer reference written out here (TensorFlow
//!   Lite's reference kernels for int8, plain loops) bit for bit, and `forward_i8` is the layers in
//!   a row;
//! - the int8 net's dequantised outputs are within an error bound of the float net's, propagated
//!   layer by layer from the roundings each layer makes (see [`Bound`]);
//! - windows that read padding read the input's zero point (the real 0);
//! - `to_rust_source` reads back to the same value;
//! - the integer forward reads no float.

#![allow(
    clippy::float_cmp,
    reason = "the float forward is the i8 forward dequantised, exactly"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    reason = "codes, small indices and small counts, in range by construction"
)]
#![allow(
    clippy::needless_range_loop,
    clippy::similar_names,
    clippy::too_many_lines,
    reason = "the references and the bound index as the formulas they follow do"
)]

use backprop_core::activation;
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer};
use backprop_core::quant::{
    Clamp, Multiplier, Quantization, QuantizedAvgPool1d, QuantizedConv1d, QuantizedDense,
    QuantizedDepthwiseConv1d, QuantizedGlobalAvgPool1d, QuantizedMaxPool1d, Range,
};
use backprop_core::shape::slice;

network! {
    /// Every kind along a signal, in f64: a padded ReLU convolution, a max pool, a strided and
    /// padded tanh depthwise convolution (a table), an average pool dropping a tail, the global
    /// average, a dense output.
    #[derive(Clone)]
    pub struct Signals {
        input: [2, 16],
        conv: conv1d(4, 3, relu, padding = 1),
        max: max_pool1d(2),
        depthwise: depthwise_conv1d(3, tanh, stride = 2, padding = 2),
        average: avg_pool1d(2),
        global: global_avg_pool1d,
        output: dense(3, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// In f32: a leaky ReLU convolution (a table) with stride 2 and padding 3, a max pool, an
    /// identity depthwise convolution with padding, an average pool, and a softmax dense layer
    /// reading the signal flattened.
    pub struct Flattened {
        scalar: f32,
        input: [3, 12],
        conv: conv1d(5, 4, leaky_relu(0.1), stride = 2, padding = 3),
        max: max_pool1d(2),
        depthwise: depthwise_conv1d(2, identity, padding = 1),
        average: avg_pool1d(2),
        output: dense(4, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

network! {
    /// A pool as the output layer: its output stored as the convolution's is.
    pub struct Pooled {
        input: [3, 8],
        conv: conv1d(2, 3, relu6),
        global: global_avg_pool1d,
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// Pools only: nothing to calibrate but the input.
    pub struct Averaged {
        input: [2, 8],
        average: avg_pool1d(2),
        global: global_avg_pool1d,
        loss: mean_squared_error,
        quantize: int8,
    }
}

// --- Integer references: TensorFlow Lite's int8 reference kernels, written out ----------------

mod tflite_reference;
use tflite_reference::{
    Activation, multiply_by_quantized_multiplier, multiply_by_quantized_multiplier_once,
};

/// The step tap `k` of window `t` reads, `None` in the padding.
fn tap(t: usize, k: usize, stride: usize, padding: usize, length: usize) -> Option<usize> {
    (t * stride + k)
        .checked_sub(padding)
        .filter(|&step| step < length)
}

/// `ConvPerChannel`: `acc = bias + sum over the taps inside of w (x + input_offset)`, the offset
/// `-zero_point_in`, then requantised per channel, offset by the output's zero point, activated.
/// Its bias is the layer's with the zero point's fold undone.
fn conv_reference<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
    A: Activation,
>(
    layer: &QuantizedConv1d<IN, OUT, K, S, P, A>,
    input: &[[i8; L]; IN],
) -> [[i8; LO]; OUT] {
    let input_offset = -i32::from(layer.input_zero_point);
    let mut output = [[0; LO]; OUT];
    for o in 0..OUT {
        let mut bias = layer.bias[o];
        for i in 0..IN {
            for k in 0..K {
                bias -= input_offset * i32::from(layer.weights[o][i][k]);
            }
        }
        for t in 0..LO {
            let mut acc = 0;
            for i in 0..IN {
                for k in 0..K {
                    if let Some(s) = tap(t, k, S, P, L) {
                        acc += i32::from(layer.weights[o][i][k])
                            * (i32::from(input[i][s]) + input_offset);
                    }
                }
            }
            acc += bias;
            acc = multiply_by_quantized_multiplier(acc, layer.multiplier[o], layer.shift[o]);
            output[o][t] = layer.activation.activate(acc + i32::from(layer.zero_point));
        }
    }
    output
}

/// `DepthwiseConvPerChannel`, a depth multiplier of 1.
fn depthwise_reference<
    const C: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
    A: Activation,
>(
    layer: &QuantizedDepthwiseConv1d<C, K, S, P, A>,
    input: &[[i8; L]; C],
) -> [[i8; LO]; C] {
    let input_offset = -i32::from(layer.input_zero_point);
    let mut output = [[0; LO]; C];
    for c in 0..C {
        let mut bias = layer.bias[c];
        for k in 0..K {
            bias -= input_offset * i32::from(layer.weights[c][k]);
        }
        for t in 0..LO {
            let mut acc = 0;
            for k in 0..K {
                if let Some(s) = tap(t, k, S, P, L) {
                    acc += i32::from(layer.weights[c][k]) * (i32::from(input[c][s]) + input_offset);
                }
            }
            acc += bias;
            acc = multiply_by_quantized_multiplier(acc, layer.multiplier[c], layer.shift[c]);
            output[c][t] = layer.activation.activate(acc + i32::from(layer.zero_point));
        }
    }
    output
}

/// `FullyConnected` for int8, over the inputs flattened channel-major.
fn dense_reference<const I: usize, const O: usize, A: Activation>(
    layer: &QuantizedDense<I, O, A>,
    input: &[i8],
    input_zero_point: i8,
) -> [i8; O] {
    assert_eq!(input.len(), I);
    let input_offset = -i32::from(input_zero_point);
    let mut output = [0; O];
    for j in 0..O {
        let mut bias = layer.bias[j];
        let mut acc = 0;
        for i in 0..I {
            bias -= input_offset * i32::from(layer.weights[j][i]);
            acc += i32::from(layer.weights[j][i]) * (i32::from(input[i]) + input_offset);
        }
        acc += bias;
        acc = multiply_by_quantized_multiplier_once(acc, layer.multiplier[j], layer.shift[j]);
        output[j] = layer.activation.activate(acc + i32::from(layer.zero_point));
    }
    output
}

/// `MaxPool` for int8: the largest code of each window of `n`.
fn max_pool_reference<const C: usize, const L: usize, const LO: usize>(
    input: &[[i8; L]; C],
    n: usize,
) -> [[i8; LO]; C] {
    let mut output = [[0; LO]; C];
    for c in 0..C {
        for t in 0..LO {
            let mut max = i8::MIN;
            for j in 0..n {
                max = max.max(input[c][t * n + j]);
            }
            output[c][t] = max;
        }
    }
    output
}

/// `AveragePool` for int8 over `values`: `acc > 0 ? (acc + n / 2) / n : (acc - n / 2) / n`, C's
/// division truncating toward zero.
fn average_reference(values: &[i8]) -> i8 {
    let acc: i32 = values.iter().map(|&q| i32::from(q)).sum();
    let n = values.len() as i32;
    let acc = if acc > 0 {
        (acc + n / 2) / n
    } else {
        (acc - n / 2) / n
    };
    acc.clamp(-128, 127) as i8
}

fn average_pool_reference<const C: usize, const L: usize, const LO: usize>(
    input: &[[i8; L]; C],
    n: usize,
) -> [[i8; LO]; C] {
    core::array::from_fn(|c| {
        core::array::from_fn(|t| average_reference(&input[c][t * n..t * n + n]))
    })
}

// --- The error bound --------------------------------------------------------------------------

/// How far an int8 value, dequantised, may be from the float net's, layer by layer, for inputs the
/// net was calibrated on (so every float value lies in its tensor's calibrated range).
///
/// A layer with weights reads `x^` (its int8 input dequantised) where the float layer reads `x`,
/// `|x^ - x| <= e_in`, and computes in integers exactly `sum w^ x^ + b^`, with each weight
/// `w^ = step_j round(w / step_j)` within half a step (`step_j = max |w_j| / 127`) and the bias
/// within half an accumulator step (`scale_in step_j / 2`). So before requantisation output `j`
/// is within
///
/// `linear_j = sum |w| e_in + (step_j / 2) sum |x^| + scale_in step_j / 2`
///
/// (sums over the taps inside the signal: a padded tap reads 0 in both nets) of the float
/// pre-activation. Requantising to a grid of step `s` rounds twice (`1/2 + 2^(shift - 1)`, at most
/// one step), and the grid, its zero point rounded, may end up to half a step inside the
/// calibrated range, where a value is clamped: `linear_j + 1.5 s` after `identity` or `relu`
/// (1-Lipschitz). A table reads the pre-activation so requantised (step `s_pre`) and stores the
/// activation rounded to the output grid: `slope (linear_j + 1.5 s_pre) + s_out / 2`. A max pool
/// is exact on codes and 1-Lipschitz: `e_in`. An average rounds the mean of the codes to the grid:
/// `e_in + s / 2`. A softmax moves each probability by at most half the largest move of a logit.
struct Bound;

impl Bound {
    /// `linear_j` for the `(w, x^)` pairs output `j` sums, its weights' `step`.
    fn linear(pairs: impl Iterator<Item = (f64, f64)>, step: f64, e_in: f64, scale_in: f64) -> f64 {
        let (mut weights, mut inputs) = (0.0, 0.0);
        for (w, x) in pairs {
            weights += w.abs();
            inputs += x.abs();
        }
        weights * e_in + step / 2.0 * inputs + scale_in * step / 2.0
    }

    /// `max |w| / 127`.
    fn step(weights: impl Iterator<Item = f64>) -> f64 {
        weights.fold(0.0, |m: f64, w| m.max(w.abs())) / 127.0
    }

    /// After `identity` or `relu`, requantised to a grid of step `scale`.
    fn clamped(linear: f64, scale: f64) -> f64 {
        linear + 1.5 * scale + 1e-9 * scale
    }

    /// After a table of an activation of slope at most `slope`.
    fn tabled(linear: f64, pre: f64, slope: f64, output: f64) -> f64 {
        slope * (linear + 1.5 * pre + 1e-9 * pre) + output / 2.0
    }

    /// The conv's `linear` bound at every output.
    fn conv<const IN: usize, const OUT: usize, const K: usize, const L: usize, const LO: usize>(
        weights: &[[[f64; K]; IN]; OUT],
        (stride, padding): (usize, usize),
        input: &[[f64; L]; IN],
        e_in: f64,
        scale_in: f64,
    ) -> [[f64; LO]; OUT] {
        core::array::from_fn(|o| {
            let step = Self::step(weights[o].iter().flatten().copied());
            core::array::from_fn(|t| {
                let pairs = (0..IN).flat_map(|i| {
                    (0..K).filter_map(move |k| {
                        tap(t, k, stride, padding, L).map(|s| (weights[o][i][k], input[i][s]))
                    })
                });
                Self::linear(pairs, step, e_in, scale_in)
            })
        })
    }

    /// The depthwise conv's `linear` bound at every output.
    fn depthwise<const C: usize, const K: usize, const L: usize, const LO: usize>(
        weights: &[[f64; K]; C],
        (stride, padding): (usize, usize),
        input: &[[f64; L]; C],
        e_in: f64,
        scale_in: f64,
    ) -> [[f64; LO]; C] {
        core::array::from_fn(|c| {
            let step = Self::step(weights[c].iter().copied());
            core::array::from_fn(|t| {
                let pairs = (0..K).filter_map(|k| {
                    tap(t, k, stride, padding, L).map(|s| (weights[c][k], input[c][s]))
                });
                Self::linear(pairs, step, e_in, scale_in)
            })
        })
    }

    /// The dense layer's `linear` bound at every output, over its inputs flattened.
    fn dense<const I: usize, const O: usize>(
        weights: &[[f64; I]; O],
        input: &[f64],
        e_in: f64,
        scale_in: f64,
    ) -> [f64; O] {
        core::array::from_fn(|j| {
            let step = Self::step(weights[j].iter().copied());
            let pairs = weights[j].iter().copied().zip(input.iter().copied());
            Self::linear(pairs, step, e_in, scale_in)
        })
    }
}

/// The largest of `values`.
fn largest(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

fn dequantized<const C: usize, const L: usize>(
    codes: &[[i8; L]; C],
    quantization: Quantization<f64>,
) -> [[f64; L]; C] {
    codes.map(|row| row.map(|q| quantization.dequantize(q)))
}

fn widen<const C: usize, const L: usize>(signal: &[[f32; L]; C]) -> [[f64; L]; C] {
    signal.map(|row| row.map(f64::from))
}

fn widened(quantization: Quantization<f32>) -> Quantization<f64> {
    Quantization {
        scale: f64::from(quantization.scale),
        zero_point: quantization.zero_point,
    }
}

// --- The nets ---------------------------------------------------------------------------------

/// `count` signals of `C` channels, uniform on `[-1, 2]`: skewed, so the input's zero point is far
/// from 0 (-43), and padding read as the code 0 would show.
fn signals<const C: usize, const L: usize>(seed: u64, count: usize) -> Vec<[[f64; L]; C]> {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..count)
        .map(|_| core::array::from_fn(|_| core::array::from_fn(|_| 3.0 * random.next_f64() - 1.0)))
        .collect()
}

/// Targets a little like what such a net computes: a channel's mean, the other's largest value,
/// their mean product.
fn targets(inputs: &[[[f64; 16]; 2]]) -> Vec<[f64; 3]> {
    inputs
        .iter()
        .map(|[a, b]| {
            let mean = a.iter().sum::<f64>() / 16.0;
            let max = b.iter().copied().fold(f64::MIN, f64::max);
            let product = a.iter().zip(b).map(|(a, b)| a * b).sum::<f64>() / 16.0;
            [mean, max, product]
        })
        .collect()
}

/// A `Signals` net trained for 300 full-batch Adam steps on 64 signals, its loss at least halved:
/// trained-ish weights, some large, some near zero. Trained once for every test.
fn trained_signals() -> &'static Signals {
    static NET: std::sync::OnceLock<Signals> = std::sync::OnceLock::new();
    NET.get_or_init(train_signals)
}

fn train_signals() -> Signals {
    let mut net = Signals::he_uniform(21);
    let inputs = signals::<2, 16>(22, 64);
    let targets = targets(&inputs);
    let (start, _) = net.batch_gradient(&inputs, &targets);
    let mut adam = Adam::new(0.01);
    for _ in 0..300 {
        let (_, gradient) = net.batch_gradient(&inputs, &targets);
        adam.step(&mut net, &gradient);
    }
    let (loss, _) = net.batch_gradient(&inputs, &targets);
    assert!(
        loss < start / 2.0,
        "the net did not train: {start} -> {loss}"
    );
    net
}

/// A random `Flattened` net and f32 signals on `[-1, 2]`.
fn flattened() -> (Flattened, Vec<[[f32; 12]; 3]>) {
    let net = Flattened::he_uniform(23);
    let inputs = signals::<3, 12>(24, 200)
        .iter()
        .map(|x| x.map(|row| row.map(|x| x as f32)))
        .collect();
    (net, inputs)
}

// --- quantize ---------------------------------------------------------------------------------

/// The float net's values for one input, layer by layer, as the float forward computes them.
struct SignalsValues {
    conv: [[f64; 16]; 4],
    conv_z: [[f64; 16]; 4],
    max: [[f64; 8]; 4],
    depthwise: [[f64; 5]; 4],
    depthwise_z: [[f64; 5]; 4],
    average: [[f64; 2]; 4],
    global: [f64; 4],
    output: [f64; 3],
}

fn signals_values(net: &Signals, x: &[[f64; 16]; 2]) -> SignalsValues {
    let conv_z = net.conv.forward::<16, 16>(x);
    let conv = conv_z.map(|row| row.map(activation::relu));
    let max = net.max.forward(&conv);
    let depthwise_z = net.depthwise.forward::<8, 5>(&max);
    let depthwise = depthwise_z.map(|row| row.map(activation::tanh));
    let average = net.average.forward(&depthwise);
    let global = net.global.forward(&average);
    let output = net.output.pre_activation(&global);
    SignalsValues {
        conv,
        conv_z,
        max,
        depthwise,
        depthwise_z,
        average,
        global,
        output,
    }
}

/// The quantisations of the values between the layers of `Signals` (not fields of the int8 net):
/// the conv's output, the tanh table's pre-activation and output.
fn signals_quantizations(
    net: &Signals,
    inputs: &[[[f64; 16]; 2]],
) -> (Quantization<f64>, Quantization<f64>, Quantization<f64>) {
    let (mut input, mut conv, mut depthwise) = (Range::EMPTY, Range::EMPTY, Range::EMPTY);
    for x in inputs {
        let values = signals_values(net, x);
        input.include(slice::<f64, _>(x));
        conv.include(slice::<f64, _>(&values.conv_z));
        depthwise.include(slice::<f64, _>(&values.depthwise_z));
    }
    let (_, q_conv) = QuantizedConv1d::relu(&net.conv, Quantization::from_range(input), conv);
    let (_, q_depthwise) =
        QuantizedDepthwiseConv1d::table(&net.depthwise, q_conv, depthwise, activation::tanh);
    (q_conv, Quantization::from_range(depthwise), q_depthwise)
}

#[test]
fn quantize_is_the_runtime_constructors_on_the_calibrated_ranges() {
    let net = trained_signals();
    let inputs = signals::<2, 16>(25, 100);
    let int8 = net.quantize(&inputs);
    // One calibration pass: the input's range, and the pre-activations' of each layer with an
    // activation; the pools have none.
    let (mut input, mut conv, mut depthwise, mut output) =
        (Range::EMPTY, Range::EMPTY, Range::EMPTY, Range::EMPTY);
    for x in &inputs {
        let values = signals_values(net, x);
        assert_eq!(
            net.forward(x),
            values.output,
            "the float net, layer by layer"
        );
        input.include(slice::<f64, _>(x));
        conv.include(slice::<f64, _>(&values.conv_z));
        depthwise.include(slice::<f64, _>(&values.depthwise_z));
        output.include(&values.output);
    }
    let q_input = Quantization::from_range(input);
    let (q_conv_layer, q_conv) = QuantizedConv1d::relu(&net.conv, q_input, conv);
    let (max, q_max) = QuantizedMaxPool1d::pass_through(&net.max, q_conv);
    let (depthwise, q_depthwise) =
        QuantizedDepthwiseConv1d::table(&net.depthwise, q_max, depthwise, activation::tanh);
    let (average, q_average) = QuantizedAvgPool1d::pass_through(&net.average, q_depthwise);
    let (global, q_global) = QuantizedGlobalAvgPool1d::pass_through(&net.global, q_average);
    let (dense, q_output) = QuantizedDense::identity(&net.output, q_global, output);
    assert_eq!(int8.input_quantization, q_input);
    assert_eq!(int8.conv, q_conv_layer);
    assert_eq!(int8.max, max);
    assert_eq!(int8.depthwise, depthwise);
    assert_eq!(int8.average, average);
    assert_eq!(int8.global, global);
    assert_eq!(int8.output, dense);
    assert_eq!(int8.output_quantization, q_output);
    // The pools keep the quantisation they read: the dense layer reads the tanh table's codes.
    assert_eq!(q_global, q_depthwise);
    assert_eq!(int8.conv.input_zero_point, q_input.zero_point);
    assert_eq!(q_input.zero_point, -43);
    assert_eq!(int8.depthwise.input_zero_point, q_conv.zero_point);
}

// --- Bit for bit ------------------------------------------------------------------------------

#[test]
fn every_layer_is_its_integer_reference_bit_for_bit() {
    let net = trained_signals();
    let inputs = signals::<2, 16>(26, 200);
    let int8 = net.quantize(&inputs);
    // The dense layer reads the codes of the tanh table, which both pools keep.
    let (_, _, q_depthwise) = signals_quantizations(net, &inputs);
    for x in &inputs {
        let codes = int8.quantize_input(x);
        let conv: [[i8; 16]; 4] = int8.conv.forward::<16, 16>(&codes);
        assert_eq!(conv, conv_reference(&int8.conv, &codes));
        let max: [[i8; 8]; 4] = int8.max.forward::<4, 16, 8>(&conv);
        assert_eq!(max, max_pool_reference(&conv, 2));
        let depthwise: [[i8; 5]; 4] = int8.depthwise.forward::<8, 5>(&max);
        assert_eq!(depthwise, depthwise_reference(&int8.depthwise, &max));
        let average: [[i8; 2]; 4] = int8.average.forward::<4, 5, 2>(&depthwise);
        assert_eq!(average, average_pool_reference(&depthwise, 2));
        let global = int8.global.forward::<4, 2>(&average);
        assert_eq!(global, average.map(|row| average_reference(&row)));
        let output = int8.output.forward(&global);
        assert_eq!(
            output,
            dense_reference(&int8.output, &global, q_depthwise.zero_point)
        );
        assert_eq!(int8.forward_i8(&codes), output);
    }
    // f32, a table of leaky ReLU with stride 2 and padding 3, and a dense layer reading a signal.
    let (net, inputs) = flattened();
    let int8 = net.quantize(&inputs);
    for x in &inputs {
        let codes = int8.quantize_input(x);
        let conv: [[i8; 8]; 5] = int8.conv.forward::<12, 8>(&codes);
        assert_eq!(conv, conv_reference(&int8.conv, &codes));
        let max: [[i8; 4]; 5] = int8.max.forward::<5, 8, 4>(&conv);
        assert_eq!(max, max_pool_reference(&conv, 2));
        let depthwise: [[i8; 5]; 5] = int8.depthwise.forward::<4, 5>(&max);
        assert_eq!(depthwise, depthwise_reference(&int8.depthwise, &max));
        let average: [[i8; 2]; 5] = int8.average.forward::<5, 5, 2>(&depthwise);
        assert_eq!(average, average_pool_reference(&depthwise, 2));
        let output = int8.output.forward(&average);
        let zero_point = int8.depthwise.zero_point;
        assert_eq!(
            output,
            dense_reference(&int8.output, average.as_flattened(), zero_point)
        );
        assert_eq!(int8.forward_i8(&codes), output);
    }
}

// --- Against the float net --------------------------------------------------------------------

/// One layer's int8 values, dequantised: within `own` of the float layer on the same input
/// (`local`: the int8 layer's input, dequantised) and within `bound` of the float net (`float`).
/// The largest of `bound`, the next layer's `e_in`.
fn check(
    layer: &str,
    got: &[f64],
    (local, own): (&[f64], &[f64]),
    (float, bound): (&[f64], &[f64]),
) -> f64 {
    for (n, &got) in got.iter().enumerate() {
        let error = (got - local[n]).abs();
        assert!(
            error <= own[n],
            "{layer}[{n}]: {got} is {error} from the float layer's {}, its own bound {}",
            local[n],
            own[n]
        );
        let error = (got - float[n]).abs();
        assert!(
            error <= bound[n],
            "{layer}[{n}]: {got} is {error} from the float net's {}, the bound {}",
            float[n],
            bound[n]
        );
    }
    largest(bound)
}

/// The trained `Signals` net, calibrated on the inputs it is measured on (so that every float
/// value lies in its tensor's calibrated range), layer by layer:
///
/// - each int8 layer, dequantised, within its own roundings ([`Bound`] with `e_in = 0`) of the
///   float layer applied to the same input (the int8 layer's, dequantised): a few steps of its
///   output, and exact for the max pool;
/// - and within [`Bound`] propagated from the input's rounding through every layer, of the float
///   net's own values, and so the output. Rigorous, and loose: every rounding at its worst at
///   once, each sum's errors all of one sign; 50 output steps for this seed where the net moves by
///   2.5.
///
/// And, measured rather than derived: the output within 5 of its steps (2.5 for this seed), which
/// a wrong zero point, multiplier or table would break.
#[test]
fn the_int8_net_is_within_its_error_bound_of_the_float_net() {
    let net = trained_signals();
    let inputs = signals::<2, 16>(27, 300);
    let int8 = net.quantize(&inputs);
    let (q_conv, pre, q_depthwise) = signals_quantizations(net, &inputs);
    let (q_input, q_output) = (int8.input_quantization, int8.output_quantization);
    assert_eq!(pre.zero_point, int8.depthwise.zero_point);
    let clamped = |scale: f64| move |linear: f64| Bound::clamped(linear, scale);
    let tabled = move |linear: f64| Bound::tabled(linear, pre.scale, 1.0, q_depthwise.scale);
    let (mut largest_error, mut largest_bound) = (0.0_f64, 0.0_f64);
    let (mut local_error, mut local_bound) = (0.0_f64, 0.0_f64);
    for x in &inputs {
        let float = signals_values(net, x);
        let codes = int8.quantize_input(x);
        let x_hat = dequantized(&codes, q_input);
        let e_input = largest(&std::array::from_fn::<f64, 32, _>(|n| {
            (x_hat[n / 16][n % 16] - x[n / 16][n % 16]).abs()
        }));
        assert!(e_input <= q_input.scale / 2.0 + 1e-12);
        // conv, relu.
        let conv = int8.conv.forward::<16, 16>(&codes);
        let conv_hat = dequantized(&conv, q_conv);
        let local = net
            .conv
            .forward::<16, 16>(&x_hat)
            .map(|row| row.map(activation::relu));
        let weights = &net.conv.weights;
        let own: [[f64; 16]; 4] = Bound::conv(weights, (1, 1), &x_hat, 0.0, q_input.scale);
        let all: [[f64; 16]; 4] = Bound::conv(weights, (1, 1), &x_hat, e_input, q_input.scale);
        let (own, all) = (
            own.map(|r| r.map(clamped(q_conv.scale))),
            all.map(|r| r.map(clamped(q_conv.scale))),
        );
        let e_conv = check(
            "conv",
            conv_hat.as_flattened(),
            (local.as_flattened(), own.as_flattened()),
            (float.conv.as_flattened(), all.as_flattened()),
        );
        // max pool: exact on codes.
        let max = int8.max.forward::<4, 16, 8>(&conv);
        let max_hat = dequantized(&max, q_conv);
        let local: [[f64; 8]; 4] = net.max.forward(&conv_hat);
        let e_max = check(
            "max",
            max_hat.as_flattened(),
            (local.as_flattened(), &[0.0; 32]),
            (float.max.as_flattened(), &[e_conv; 32]),
        );
        // depthwise, tanh (slope at most 1) by a table.
        let depthwise = int8.depthwise.forward::<8, 5>(&max);
        let depthwise_hat = dequantized(&depthwise, q_depthwise);
        let local = net
            .depthwise
            .forward::<8, 5>(&max_hat)
            .map(|row| row.map(activation::tanh));
        let weights = &net.depthwise.weights;
        let own: [[f64; 5]; 4] = Bound::depthwise(weights, (2, 2), &max_hat, 0.0, q_conv.scale);
        let all: [[f64; 5]; 4] = Bound::depthwise(weights, (2, 2), &max_hat, e_max, q_conv.scale);
        let e_depthwise = check(
            "depthwise",
            depthwise_hat.as_flattened(),
            (
                local.as_flattened(),
                own.map(|r| r.map(tabled)).as_flattened(),
            ),
            (
                float.depthwise.as_flattened(),
                all.map(|r| r.map(tabled)).as_flattened(),
            ),
        );
        // average pool, then the global average: half a step each (a mean of two codes is often
        // a tie; 1e-12 for the f64 roundings of dequantising).
        let half = q_depthwise.scale / 2.0 + 1e-12;
        let average = int8.average.forward::<4, 5, 2>(&depthwise);
        let average_hat = dequantized(&average, q_depthwise);
        let local: [[f64; 2]; 4] = net.average.forward(&depthwise_hat);
        let e_average = check(
            "average",
            average_hat.as_flattened(),
            (local.as_flattened(), &[half; 8]),
            (float.average.as_flattened(), &[e_depthwise + half; 8]),
        );
        let global = int8.global.forward::<4, 2>(&average);
        let global_hat = global.map(|q| q_depthwise.dequantize(q));
        let local = net.global.forward(&average_hat);
        let e_global = check(
            "global",
            &global_hat,
            (&local, &[half; 4]),
            (&float.global, &[e_average + half; 4]),
        );
        // dense, identity.
        let output = int8.output.forward(&global);
        let output_hat = output.map(|q| q_output.dequantize(q));
        let local = net.output.pre_activation(&global_hat);
        let weights = &net.output.weights;
        let own =
            Bound::dense(weights, &global_hat, 0.0, q_depthwise.scale).map(clamped(q_output.scale));
        let all = Bound::dense(weights, &global_hat, e_global, q_depthwise.scale)
            .map(clamped(q_output.scale));
        let e_output = check("output", &output_hat, (&local, &own), (&float.output, &all));
        for j in 0..3 {
            local_error = local_error.max((output_hat[j] - local[j]).abs());
        }
        local_bound = local_bound.max(largest(&own));
        // The generated forward is these layers in a row, between quantise and dequantise.
        assert_eq!(int8.forward_i8(&codes), output);
        assert_eq!(int8.forward(x), output_hat);
        for (got, want) in output_hat.iter().zip(&float.output) {
            largest_error = largest_error.max((got - want).abs());
        }
        largest_bound = largest_bound.max(e_output);
    }
    let steps = |value: f64| value / q_output.scale;
    println!(
        "Signals: output error {:.2} steps, bound {:.1}; the output layer's own error {:.2} steps, \
         its own bound {:.2}",
        steps(largest_error),
        steps(largest_bound),
        steps(local_error),
        steps(local_bound)
    );
    assert!(largest_error > 0.0, "nothing was quantised");
    assert!(
        steps(largest_error) < 5.0,
        "{} output steps",
        steps(largest_error)
    );
}

/// The random f32 `Flattened` net, as [`the_int8_net_is_within_its_error_bound_of_the_float_net`]
/// checks `Signals`: a leaky ReLU table (slope at most 1), an identity depthwise convolution, a
/// dense layer reading the signal flattened, and softmax (each probability moves by at most half
/// the largest move of a logit: `sum_j |dp_i / dz_j| = 2 p_i (1 - p_i) <= 1/2`). The float net's
/// own f32 roundings add a slack of `1e-5`.
#[test]
fn the_f32_net_with_a_softmax_is_within_its_error_bound() {
    let (net, inputs) = flattened();
    let int8 = net.quantize(&inputs);
    let slack = 1e-5;
    let leaky = |z: f32| activation::leaky_relu(z, 0.1);
    let (mut conv_range, mut depthwise_range) = (Range::EMPTY, Range::EMPTY);
    for x in &inputs {
        let conv = net.conv.forward::<12, 8>(x);
        conv_range.include(slice::<f32, _>(&conv));
        let max: [[f32; 4]; 5] = net.max.forward(&conv.map(|row| row.map(leaky)));
        depthwise_range.include(slice::<f32, _>(&net.depthwise.forward::<4, 5>(&max)));
    }
    let q_input = int8.input_quantization;
    let pre = widened(Quantization::<f32>::from_range(conv_range));
    let (_, q_conv) = QuantizedConv1d::table(&net.conv, q_input, conv_range, leaky);
    let (_, q_depthwise) =
        QuantizedDepthwiseConv1d::identity(&net.depthwise, q_conv, depthwise_range);
    let (s_input, s_conv, s_depthwise) = (
        f64::from(q_input.scale),
        f64::from(q_conv.scale),
        f64::from(q_depthwise.scale),
    );
    let s_output = f64::from(int8.output_quantization.scale);
    let conv_weights = net.conv.weights.map(|o| o.map(|i| i.map(f64::from)));
    let depthwise_weights = net.depthwise.weights.map(|c| c.map(f64::from));
    let output_weights = net.output.weights.map(|j| j.map(f64::from));
    let tabled = |linear: f64| Bound::tabled(linear, pre.scale, 1.0, s_conv) + slack;
    let clamped = |scale: f64| move |linear: f64| Bound::clamped(linear, scale) + slack;
    let mut largest_error = 0.0_f64;
    for x in &inputs {
        // The float net, layer by layer.
        let conv_f = net.conv.forward::<12, 8>(x).map(|row| row.map(leaky));
        let max_f: [[f32; 4]; 5] = net.max.forward(&conv_f);
        let depthwise_f = net.depthwise.forward::<4, 5>(&max_f);
        let average_f: [[f32; 2]; 5] = net.average.forward(&depthwise_f);
        let logits_f = net
            .output
            .pre_activation(backprop_core::shape::flatten(&average_f));
        assert_eq!(
            net.forward(x),
            activation::softmax(logits_f),
            "the float net, layer by layer"
        );
        // The int8 net, each layer against the float layer on its input and against the float net.
        let codes = int8.quantize_input(x);
        let x_hat = codes.map(|row| row.map(|q| q_input.dequantize(q)));
        let e_input = s_input / 2.0 + slack;
        let conv = int8.conv.forward::<12, 8>(&codes);
        let conv_hat = conv.map(|row| row.map(|q| q_conv.dequantize(q)));
        let local = net.conv.forward::<12, 8>(&x_hat).map(|row| row.map(leaky));
        let own: [[f64; 8]; 5] = Bound::conv(&conv_weights, (2, 3), &widen(&x_hat), 0.0, s_input);
        let all: [[f64; 8]; 5] =
            Bound::conv(&conv_weights, (2, 3), &widen(&x_hat), e_input, s_input);
        let e_conv = check(
            "conv",
            widen(&conv_hat).as_flattened(),
            (
                widen(&local).as_flattened(),
                own.map(|r| r.map(tabled)).as_flattened(),
            ),
            (
                widen(&conv_f).as_flattened(),
                all.map(|r| r.map(tabled)).as_flattened(),
            ),
        );
        let max = int8.max.forward::<5, 8, 4>(&conv);
        let max_hat = max.map(|row| row.map(|q| q_conv.dequantize(q)));
        let local: [[f32; 4]; 5] = net.max.forward(&conv_hat);
        let e_max = check(
            "max",
            widen(&max_hat).as_flattened(),
            (widen(&local).as_flattened(), &[slack; 20]),
            (widen(&max_f).as_flattened(), &[e_conv; 20]),
        );
        let depthwise = int8.depthwise.forward::<4, 5>(&max);
        let depthwise_hat = depthwise.map(|row| row.map(|q| q_depthwise.dequantize(q)));
        let local = net.depthwise.forward::<4, 5>(&max_hat);
        let own: [[f64; 5]; 5] =
            Bound::depthwise(&depthwise_weights, (1, 1), &widen(&max_hat), 0.0, s_conv);
        let all: [[f64; 5]; 5] =
            Bound::depthwise(&depthwise_weights, (1, 1), &widen(&max_hat), e_max, s_conv);
        let e_depthwise = check(
            "depthwise",
            widen(&depthwise_hat).as_flattened(),
            (
                widen(&local).as_flattened(),
                own.map(|r| r.map(clamped(s_depthwise))).as_flattened(),
            ),
            (
                widen(&depthwise_f).as_flattened(),
                all.map(|r| r.map(clamped(s_depthwise))).as_flattened(),
            ),
        );
        let half = s_depthwise / 2.0 + slack;
        let average = int8.average.forward::<5, 5, 2>(&depthwise);
        let average_hat = average.map(|row| row.map(|q| q_depthwise.dequantize(q)));
        let local: [[f32; 2]; 5] = net.average.forward(&depthwise_hat);
        let e_average = check(
            "average",
            widen(&average_hat).as_flattened(),
            (widen(&local).as_flattened(), &[half; 10]),
            (widen(&average_f).as_flattened(), &[e_depthwise + half; 10]),
        );
        let logits = int8.output.forward(&average);
        let logits_hat = logits.map(|q| f64::from(int8.output_quantization.dequantize(q)));
        let local = net
            .output
            .pre_activation(backprop_core::shape::flatten(&average_hat));
        let input = widen(&average_hat);
        let own = Bound::dense(&output_weights, input.as_flattened(), 0.0, s_depthwise)
            .map(clamped(s_output));
        let all = Bound::dense(
            &output_weights,
            input.as_flattened(),
            e_average,
            s_depthwise,
        )
        .map(clamped(s_output));
        let e_logits = check(
            "logits",
            &logits_hat,
            (&local.map(f64::from), &own),
            (&logits_f.map(f64::from), &all),
        );
        // softmax.
        let probabilities = int8.forward(x).map(f64::from);
        let local = activation::softmax(local).map(f64::from);
        let float = net.forward(x).map(f64::from);
        let own = largest(&own) / 2.0 + slack;
        check(
            "softmax",
            &probabilities,
            (&local, &[own; 4]),
            (&float, &[e_logits / 2.0 + slack; 4]),
        );
        for (got, want) in probabilities.iter().zip(&float) {
            largest_error = largest_error.max((got - want).abs());
        }
    }
    assert!(largest_error > 0.0, "nothing was quantised");
}

// --- Padding ----------------------------------------------------------------------------------

/// The windows that read padding: the int8 conv reads the input's zero point there, the real 0
/// the float conv pads with, so those windows are as close to the float net as the others; the
/// fold of the zero point over the whole kernel with the padded taps left out of the sum instead
/// (what the float layer's loop does) would be off by `zero_point_in * w` per padded tap, past the
/// bound. Checked on the first conv of both nets (padding 1, and padding 3 with stride 2).
#[test]
fn padded_windows_read_the_input_zero_point() {
    let net = trained_signals();
    let inputs = signals::<2, 16>(28, 100);
    let int8 = net.quantize(&inputs);
    let q_input = int8.input_quantization;
    let mut conv_range = Range::EMPTY;
    for x in &inputs {
        conv_range.include(slice::<f64, _>(&net.conv.forward::<16, 16>(x)));
    }
    let (_, q_conv) = QuantizedConv1d::relu(&net.conv, q_input, conv_range);
    let mut naive_beyond = 0;
    for x in &inputs {
        let codes = int8.quantize_input(x);
        let x_hat = dequantized(&codes, q_input);
        let z = net
            .conv
            .forward::<16, 16>(x)
            .map(|row| row.map(activation::relu));
        let e_input = q_input.scale / 2.0;
        let linear: [[f64; 16]; 4] =
            Bound::conv(&net.conv.weights, (1, 1), &x_hat, e_input, q_input.scale);
        let conv = int8.conv.forward::<16, 16>(&codes);
        let naive = naive_conv(&int8.conv, &codes);
        for o in 0..4 {
            // Windows 0 and 15 read one padded step each.
            for t in [0, 15] {
                let bound = Bound::clamped(linear[o][t], q_conv.scale);
                let error = (q_conv.dequantize(conv[o][t]) - z[o][t]).abs();
                assert!(
                    error <= bound,
                    "window {t} of channel {o}: {error} > {bound}"
                );
                let naive_error = (q_conv.dequantize(naive[o][t]) - z[o][t]).abs();
                naive_beyond += usize::from(naive_error > bound);
            }
        }
    }
    // Padding read as nothing breaks the bound in 316 of the 800 padded windows for this seed
    // (in the others ReLU hides it, or the padded tap's weight is small).
    assert!(naive_beyond > 200, "{naive_beyond} of 800 padded windows");
}

/// The conv with its padded taps left out of the sum while its bias keeps the zero point folded
/// over the whole kernel: the mistake the runtime avoids.
fn naive_conv<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
>(
    layer: &QuantizedConv1d<IN, OUT, K, S, P, Clamp>,
    input: &[[i8; L]; IN],
) -> [[i8; L]; OUT] {
    core::array::from_fn(|o| {
        core::array::from_fn(|t| {
            let mut acc = layer.bias[o];
            for i in 0..IN {
                for k in 0..K {
                    if let Some(s) = tap(t, k, S, P, L) {
                        acc += i32::from(layer.weights[o][i][k]) * i32::from(input[i][s]);
                    }
                }
            }
            let m = Multiplier {
                multiplier: layer.multiplier[o],
                shift: layer.shift[o],
            };
            layer
                .activation
                .activate(m.apply(acc) + i32::from(layer.zero_point))
        })
    })
}

// --- Pools as the output, and the float forward ------------------------------------------------

#[test]
fn a_pool_as_the_output_keeps_the_convolutions_quantization() {
    let net = Pooled::he_uniform(29);
    let inputs = signals::<3, 8>(30, 100);
    let int8 = net.quantize(&inputs);
    let mut range = Range::EMPTY;
    for x in &inputs {
        range.include(slice::<f64, _>(&net.conv.forward::<8, 6>(x)));
    }
    let relu6 = |z: f64| activation::relu6(z);
    let (conv, q_conv) = QuantizedConv1d::table(&net.conv, int8.input_quantization, range, relu6);
    assert_eq!(int8.conv, conv);
    assert_eq!(int8.output_quantization, q_conv);
    for x in &inputs {
        let codes = int8.quantize_input(x);
        let conv = int8.conv.forward::<8, 6>(&codes);
        let y = int8.forward_i8(&codes);
        assert_eq!(y, conv.map(|row| average_reference(&row)));
        assert_eq!(int8.forward(x), y.map(|q| q_conv.dequantize(q)));
    }
}

#[test]
fn a_net_of_pools_keeps_the_inputs_quantization_throughout() {
    let net = Averaged {
        average: backprop_core::AvgPool1d,
        global: backprop_core::GlobalAvgPool1d,
    };
    let inputs = signals::<2, 8>(32, 50);
    let int8 = net.quantize(&inputs);
    let mut range = Range::EMPTY;
    for x in &inputs {
        range.include(slice::<f64, _>(x));
    }
    let q = Quantization::from_range(range);
    assert_eq!((int8.input_quantization, int8.output_quantization), (q, q));
    for x in &inputs {
        let codes = int8.quantize_input(x);
        let average: [[i8; 4]; 2] = average_pool_reference(&codes, 2);
        let y = int8.forward_i8(&codes);
        assert_eq!(y, average.map(|row| average_reference(&row)));
        // Two roundings to the grid, half a step each, and the input's.
        let float = net.forward(x);
        for (got, want) in int8.forward(x).iter().zip(float) {
            assert!((got - want).abs() <= 1.5 * q.scale + 1e-12, "{got} {want}");
        }
    }
}

#[test]
fn the_float_forward_is_forward_i8_between_quantize_and_dequantize() {
    let (net, inputs) = flattened();
    let int8 = net.quantize(&inputs);
    for x in &inputs {
        let codes = int8.quantize_input(x);
        assert_eq!(
            codes,
            x.map(|row| row.map(|x| int8.input_quantization.quantize(x)))
        );
        let logits = int8
            .forward_i8(&codes)
            .map(|q| int8.output_quantization.dequantize(q));
        assert_eq!(int8.forward(x), activation::softmax(logits));
    }
}

// --- Rust source ------------------------------------------------------------------------------

// What `to_rust_source` printed for the random `Flattened` and `Pooled` nets below, compiled back
// in (after a deliberate change: `UPDATE_FIXTURES=1 cargo test -p backprop-tests --test
// quantized_signals`). Their quantisation computes nothing transcendental (leaky ReLU and ReLU6
// tables), so every math backend prints the same source.
include!("../fixtures/signals_int8.rs");

#[test]
fn the_int8_nets_read_back_from_their_rust_source() {
    let (net, inputs) = flattened();
    let flattened = net.quantize(&inputs);
    let pooled = Pooled::he_uniform(29).quantize(&signals::<3, 8>(30, 100));
    let source = flattened.to_rust_source("FLATTENED_INT8") + &pooled.to_rust_source("POOLED_INT8");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/signals_int8.rs");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &source).expect("write the fixture");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("the fixture"), source);
    assert_eq!(FLATTENED_INT8, flattened);
    assert_eq!(POOLED_INT8, pooled);
}

// --- Integers only ----------------------------------------------------------------------------

/// Only integer types: no float field (`f32` and `f64` are not `Eq`).
fn integers_only<T: Eq>(_: &T) {}

/// `forward_i8` reads no float: the int8 layers hold integers only, and with the two float fields
/// of the net (its input's and output's quantisations) made NaN it computes the same codes.
#[test]
fn forward_i8_reads_no_float() {
    let net = trained_signals();
    let inputs = signals::<2, 16>(31, 50);
    let int8 = net.quantize(&inputs);
    integers_only(&int8.conv);
    integers_only(&int8.max);
    integers_only(&int8.depthwise);
    integers_only(&int8.average);
    integers_only(&int8.global);
    integers_only(&int8.output);
    let mut poisoned = int8;
    poisoned.input_quantization.scale = f64::NAN;
    poisoned.output_quantization.scale = f64::NAN;
    for x in &inputs {
        let codes = int8.quantize_input(x);
        assert_eq!(poisoned.forward_i8(&codes), int8.forward_i8(&codes));
    }
}

/// The runtime functions the integer forward runs are written without a float: no float type,
/// literal, conversion or quantisation in their bodies.
#[test]
fn the_integer_forward_is_written_without_a_float() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../backprop-core/src");
    let functions: &[(&str, &[&str])] = &[
        ("quant/conv1d.rs", &["pub fn forward"]),
        ("quant/depthwise.rs", &["pub fn forward"]),
        ("quant/pool.rs", &["pub fn forward", "fn mean("]),
        ("quant/channel.rs", &["fn requantize", "fn padded_code"]),
        (
            "quant/dense.rs",
            &["pub fn forward", "fn requantized_row", "fn apply("],
        ),
        (
            "quant/requantize.rs",
            &[
                "pub const fn apply",
                "pub const fn saturating_rounding_doubling_high_mul",
                "pub const fn rounding_divide_by_power_of_two",
            ],
        ),
        ("quant.rs", &["pub const fn saturate", "fn flat("]),
    ];
    for (file, names) in functions {
        let text = std::fs::read_to_string(root.join(file)).expect("the runtime's source");
        for name in *names {
            let mut found = 0;
            for (at, _) in text.match_indices(name) {
                let body = body_at(&text[at..]);
                for float in [
                    "f32",
                    "f64",
                    "Float",
                    "libm",
                    "T::",
                    " as f",
                    "dequantize",
                    "scale",
                ] {
                    assert!(
                        !body.contains(float),
                        "{file}: `{name}` has `{float}`:\n{body}"
                    );
                }
                let bytes = body.as_bytes();
                let literal = bytes
                    .windows(3)
                    .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
                assert!(!literal, "{file}: `{name}` has a float literal:\n{body}");
                found += 1;
            }
            assert!(found > 0, "{file}: no `{name}`");
        }
    }
}

/// The body of the function whose signature `text` starts with: from its first `{` to the one
/// that closes it, comments left out.
fn body_at(text: &str) -> String {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let start = code.find('{').expect("a body");
    let mut depth = 0;
    for (at, c) in code[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return code[start..=start + at].to_string();
                }
            }
            _ => {}
        }
    }
    panic!("an unclosed body")
}
