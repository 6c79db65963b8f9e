//! The int8 layers along a signal: each against an integer reference written out here (TensorFlow
//! Lite's `ConvPerChannel`, `DepthwiseConvPerChannel` and `AveragePool`/`MaxPool` for int8, plain
//! loops, padding skipped and the input's offset subtracted from every tap read), bit for bit;
//! their integers against the quantisation rules; their outputs against the float layers within
//! the bound of their roundings; padding exactly, by hand and against explicit padding.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::many_single_char_names,
    reason = "random codes and small indices, in range by construction"
)]
#![allow(
    clippy::needless_range_loop,
    reason = "the references index as the formulas they follow do"
)]

use super::{
    Clamp, Multiplier, Quantization, QuantizedAvgPool1d, QuantizedConv1d, QuantizedDense,
    QuantizedDepthwiseConv1d, QuantizedGlobalAvgPool1d, QuantizedMaxPool1d, Range, Table,
};
use crate::init::Xoshiro256PlusPlus;
use crate::{AvgPool1d, Conv1d, DepthwiseConv1d, GlobalAvgPool1d, MaxPool1d};

// --- The references -------------------------------------------------------------------------

/// gemmlowp's `SaturatingRoundingDoublingHighMul`: `(a b + nudge) / 2^31` in 64 bits, the nudge
/// `2^30` for a product that is not negative and `1 - 2^30` for one that is, the division
/// truncating; `i32::MIN * i32::MIN` saturates.
fn doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let product = i64::from(a) * i64::from(b);
    let nudge: i64 = if product >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    ((product + nudge) / (1_i64 << 31)) as i32
}

/// gemmlowp's `RoundingDivideByPOT`.
fn divide_by_power_of_two(x: i32, exponent: i32) -> i32 {
    let mask = ((1_i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + i32::from(x < 0);
    (x >> exponent) + i32::from(remainder > threshold)
}

/// TensorFlow Lite's `MultiplyByQuantizedMultiplier`.
fn multiply_by_quantized_multiplier(x: i32, multiplier: i32, shift: i8) -> i32 {
    let shift = i32::from(shift);
    let (left, right) = if shift > 0 { (shift, 0) } else { (0, -shift) };
    divide_by_power_of_two(doubling_high_mul(x * (1 << left), multiplier), right)
}

/// An activation as the references apply it to `zero_point + M acc`.
trait Reference {
    fn reference(&self, q: i32) -> i8;
}

impl Reference for Clamp {
    fn reference(&self, q: i32) -> i8 {
        q.max(i32::from(self.min)).min(i32::from(self.max)) as i8
    }
}

impl Reference for Table {
    fn reference(&self, q: i32) -> i8 {
        self.output[(q.clamp(-128, 127) + 128) as usize]
    }
}

/// The step tap `k` of window `t` reads, `None` in the padding.
fn step(t: usize, k: usize, stride: usize, padding: usize, length: usize) -> Option<usize> {
    let padded = t * stride + k;
    if padded < padding || padded - padding >= length {
        None
    } else {
        Some(padded - padding)
    }
}

/// TensorFlow Lite's `ConvPerChannel`: `acc = bias + sum over the taps inside of
/// w (x - zero_point_in)`, requantised per channel, offset, activated. Its bias is the layer's
/// with the fold undone: `bias + zero_point_in * sum w`.
fn reference_conv<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
    A: Reference,
>(
    layer: &QuantizedConv1d<IN, OUT, K, S, P, A>,
    input: &[[i8; L]; IN],
) -> [[i8; LO]; OUT] {
    let offset = i32::from(layer.input_zero_point);
    let mut output = [[0; LO]; OUT];
    for o in 0..OUT {
        let weight_sum: i32 = layer.weights[o]
            .iter()
            .flatten()
            .map(|&w| i32::from(w))
            .sum();
        for t in 0..LO {
            let mut acc = layer.bias[o] + offset * weight_sum;
            for i in 0..IN {
                for k in 0..K {
                    if let Some(s) = step(t, k, S, P, L) {
                        acc +=
                            i32::from(layer.weights[o][i][k]) * (i32::from(input[i][s]) - offset);
                    }
                }
            }
            let scaled = multiply_by_quantized_multiplier(acc, layer.multiplier[o], layer.shift[o]);
            output[o][t] = layer
                .activation
                .reference(scaled + i32::from(layer.zero_point));
        }
    }
    output
}

/// TensorFlow Lite's `DepthwiseConvPerChannel` with a depth multiplier of 1.
fn reference_depthwise<
    const C: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
    A: Reference,
>(
    layer: &QuantizedDepthwiseConv1d<C, K, S, P, A>,
    input: &[[i8; L]; C],
) -> [[i8; LO]; C] {
    let offset = i32::from(layer.input_zero_point);
    let mut output = [[0; LO]; C];
    for c in 0..C {
        let weight_sum: i32 = layer.weights[c].iter().map(|&w| i32::from(w)).sum();
        for t in 0..LO {
            let mut acc = layer.bias[c] + offset * weight_sum;
            for k in 0..K {
                if let Some(s) = step(t, k, S, P, L) {
                    acc += i32::from(layer.weights[c][k]) * (i32::from(input[c][s]) - offset);
                }
            }
            let scaled = multiply_by_quantized_multiplier(acc, layer.multiplier[c], layer.shift[c]);
            output[c][t] = layer
                .activation
                .reference(scaled + i32::from(layer.zero_point));
        }
    }
    output
}

/// TensorFlow Lite's int8 `AveragePool` over `values`: `(acc + n / 2) / n` for `acc > 0`, else
/// `(acc - n / 2) / n`, truncating.
fn reference_average(values: &[i8]) -> i8 {
    let acc: i32 = values.iter().map(|&q| i32::from(q)).sum();
    let n = values.len() as i32;
    let rounded = if acc > 0 {
        (acc + n / 2) / n
    } else {
        (acc - n / 2) / n
    };
    rounded.clamp(-128, 127) as i8
}

// --- Random layers ----------------------------------------------------------------------------

fn code(random: &mut Xoshiro256PlusPlus) -> i8 {
    (random.next_u64() >> 56) as u8 as i8
}

fn uniform(random: &mut Xoshiro256PlusPlus, scale: f64) -> f64 {
    scale * (2.0 * random.next_f64() - 1.0)
}

/// A weight code in `-127..=127`, as symmetric quantisation makes them.
fn weight(random: &mut Xoshiro256PlusPlus) -> i8 {
    code(random).max(-127)
}

/// A multiplier in `[2^30, 2^31)` and a shift, mostly a right shift as for a factor below 1.
fn multiplier(random: &mut Xoshiro256PlusPlus) -> (i32, i8) {
    let multiplier = (1 << 30) + (random.next_u64() >> 34) as i32;
    let shift = (random.next_u64() % 15) as i8 - 12;
    (multiplier, shift)
}

fn clamp(random: &mut Xoshiro256PlusPlus) -> Clamp {
    let (a, b) = (code(random), code(random));
    Clamp {
        min: a.min(b),
        max: a.max(b),
    }
}

fn table(random: &mut Xoshiro256PlusPlus) -> Table {
    Table {
        output: core::array::from_fn(|_| code(random)),
    }
}

fn random_conv<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    A,
>(
    random: &mut Xoshiro256PlusPlus,
    activation: A,
) -> QuantizedConv1d<IN, OUT, K, S, P, A> {
    let mut layer = QuantizedConv1d {
        weights: [[[0; K]; IN]; OUT],
        bias: [0; OUT],
        multiplier: [0; OUT],
        shift: [0; OUT],
        input_zero_point: code(random),
        zero_point: code(random),
        activation,
    };
    for o in 0..OUT {
        layer.weights[o] = core::array::from_fn(|_| core::array::from_fn(|_| weight(random)));
        layer.bias[o] = (random.next_u64() % 400_001) as i32 - 200_000;
        (layer.multiplier[o], layer.shift[o]) = multiplier(random);
    }
    layer
}

fn random_depthwise<const C: usize, const K: usize, const S: usize, const P: usize, A>(
    random: &mut Xoshiro256PlusPlus,
    activation: A,
) -> QuantizedDepthwiseConv1d<C, K, S, P, A> {
    let mut layer = QuantizedDepthwiseConv1d {
        weights: [[0; K]; C],
        bias: [0; C],
        multiplier: [0; C],
        shift: [0; C],
        input_zero_point: code(random),
        zero_point: code(random),
        activation,
    };
    for c in 0..C {
        layer.weights[c] = core::array::from_fn(|_| weight(random));
        layer.bias[c] = (random.next_u64() % 40_001) as i32 - 20_000;
        (layer.multiplier[c], layer.shift[c]) = multiplier(random);
    }
    layer
}

fn random_signal<const C: usize, const L: usize>(random: &mut Xoshiro256PlusPlus) -> [[i8; L]; C] {
    core::array::from_fn(|_| core::array::from_fn(|_| code(random)))
}

// --- Bit for bit against the references -------------------------------------------------------

/// 100 random layers of this shape, clamps and tables, each on 20 random signals and on the
/// extreme ones, against the reference.
fn conv_matches_reference<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
>(
    seed: u64,
) {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..100 {
        let clamp = clamp(&mut random);
        let clamped = random_conv::<IN, OUT, K, S, P, _>(&mut random, clamp);
        let table = table(&mut random);
        let tabled = random_conv::<IN, OUT, K, S, P, _>(&mut random, table);
        for n in 0..22 {
            // The extremes, then random signals.
            let x = &match n {
                0 => [[-128; L]; IN],
                1 => [[127; L]; IN],
                _ => random_signal::<IN, L>(&mut random),
            };
            let expected: [[i8; LO]; OUT] = reference_conv(&clamped, x);
            assert_eq!(
                clamped.forward::<L, LO>(x),
                expected,
                "{clamped:?} on {x:?}"
            );
            let expected: [[i8; LO]; OUT] = reference_conv(&tabled, x);
            assert_eq!(tabled.forward::<L, LO>(x), expected, "{tabled:?} on {x:?}");
        }
    }
}

#[test]
fn conv1d_is_tflites_conv_per_channel_bit_for_bit() {
    // Padding 1 on a kernel of 3; stride 2 with padding 3 on a kernel of 4; stride 3 past a kernel
    // of 2 (steps no window reads); padding 4 on a kernel of 5 over 3 steps (every window mostly
    // padding).
    conv_matches_reference::<2, 3, 3, 1, 1, 7, 7>(1);
    conv_matches_reference::<3, 2, 4, 2, 3, 9, 6>(2);
    conv_matches_reference::<1, 2, 2, 3, 0, 10, 3>(3);
    conv_matches_reference::<2, 2, 5, 1, 4, 3, 7>(4);
}

fn depthwise_matches_reference<
    const C: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LO: usize,
>(
    seed: u64,
) {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..100 {
        let clamp = clamp(&mut random);
        let clamped = random_depthwise::<C, K, S, P, _>(&mut random, clamp);
        let table = table(&mut random);
        let tabled = random_depthwise::<C, K, S, P, _>(&mut random, table);
        for n in 0..22 {
            // The extremes, then random signals.
            let x = &match n {
                0 => [[-128; L]; C],
                1 => [[127; L]; C],
                _ => random_signal::<C, L>(&mut random),
            };
            let expected: [[i8; LO]; C] = reference_depthwise(&clamped, x);
            assert_eq!(
                clamped.forward::<L, LO>(x),
                expected,
                "{clamped:?} on {x:?}"
            );
            let expected: [[i8; LO]; C] = reference_depthwise(&tabled, x);
            assert_eq!(tabled.forward::<L, LO>(x), expected, "{tabled:?} on {x:?}");
        }
    }
}

#[test]
fn depthwise_conv1d_is_tflites_depthwise_conv_per_channel_bit_for_bit() {
    depthwise_matches_reference::<3, 3, 1, 1, 6, 6>(5);
    depthwise_matches_reference::<2, 4, 2, 3, 9, 6>(6);
    depthwise_matches_reference::<2, 2, 3, 0, 10, 3>(7);
    depthwise_matches_reference::<1, 5, 1, 4, 3, 7>(8);
}

#[test]
fn pools_are_tflites_pools_bit_for_bit() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(9);
    for _ in 0..2_000 {
        let x = random_signal::<3, 11>(&mut random);
        let max: [[i8; 3]; 3] = QuantizedMaxPool1d::<3>.forward(&x);
        let average: [[i8; 5]; 3] = QuantizedAvgPool1d::<2>.forward(&x);
        let global = QuantizedGlobalAvgPool1d.forward(&x);
        for c in 0..3 {
            for t in 0..3 {
                let window = &x[c][3 * t..3 * t + 3];
                assert_eq!(max[c][t], *window.iter().max().unwrap());
            }
            for t in 0..5 {
                assert_eq!(average[c][t], reference_average(&x[c][2 * t..2 * t + 2]));
            }
            assert_eq!(global[c], reference_average(&x[c]));
        }
    }
}

// --- By hand: padding and rounding ------------------------------------------------------------

#[test]
fn a_padded_window_reads_the_input_zero_point() {
    // One channel, kernel [1, 2, 3], padding 1, input zero point 10, TensorFlow Lite's bias 100:
    // folded over the whole kernel, 100 - 10 (1 + 2 + 3) = 40. M = 1/2.
    let layer = QuantizedConv1d::<1, 1, 3, 1, 1, Clamp> {
        weights: [[[1, 2, 3]]],
        bias: [40],
        multiplier: [1 << 30],
        shift: [0],
        input_zero_point: 10,
        zero_point: 0,
        activation: Clamp {
            min: -128,
            max: 127,
        },
    };
    // Codes 12 and 14 are the real values 2 and 4 steps. Window 0 reads (padding, 12, 14):
    // 100 + 2 * 2 + 3 * 4 = 116, halved 58; window 1 reads (12, 14, padding): 100 + 1 * 2 + 2 * 4
    // = 110, halved 55. Leaving the padded taps out of the folded sum would give 106 and 100
    // (53 and 50): the zero point taken off for taps that read nothing.
    assert_eq!(layer.forward::<2, 2>(&[[12, 14]]), [[58, 55]]);
    let depthwise = QuantizedDepthwiseConv1d::<1, 3, 1, 1, Clamp> {
        weights: [[1, 2, 3]],
        bias: [40],
        multiplier: [1 << 30],
        shift: [0],
        input_zero_point: 10,
        zero_point: 0,
        activation: layer.activation,
    };
    assert_eq!(depthwise.forward::<2, 2>(&[[12, 14]]), [[58, 55]]);
}

/// A padded layer computes what the same integers compute unpadded on the signal padded with
/// the input's zero point, for every stride and padding here.
fn padding_is_explicit_padding<
    const IN: usize,
    const K: usize,
    const S: usize,
    const P: usize,
    const L: usize,
    const LP: usize,
    const LO: usize,
>(
    seed: u64,
) {
    assert_eq!(LP, L + 2 * P);
    let mut random = Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..200 {
        let clamp = clamp(&mut random);
        let padded = random_conv::<IN, 2, K, S, P, _>(&mut random, clamp);
        let unpadded = QuantizedConv1d::<IN, 2, K, S, 0, _> {
            weights: padded.weights,
            bias: padded.bias,
            multiplier: padded.multiplier,
            shift: padded.shift,
            input_zero_point: padded.input_zero_point,
            zero_point: padded.zero_point,
            activation: padded.activation,
        };
        let x = random_signal::<IN, L>(&mut random);
        let explicit: [[i8; LP]; IN] = core::array::from_fn(|i| {
            core::array::from_fn(|s| {
                if s < P || s >= P + L {
                    padded.input_zero_point
                } else {
                    x[i][s - P]
                }
            })
        });
        assert_eq!(
            padded.forward::<L, LO>(&x),
            unpadded.forward::<LP, LO>(&explicit)
        );
        let depthwise = random_depthwise::<IN, K, S, P, _>(&mut random, clamp);
        let depthwise_unpadded = QuantizedDepthwiseConv1d::<IN, K, S, 0, _> {
            weights: depthwise.weights,
            bias: depthwise.bias,
            multiplier: depthwise.multiplier,
            shift: depthwise.shift,
            input_zero_point: padded.input_zero_point,
            zero_point: depthwise.zero_point,
            activation: depthwise.activation,
        };
        let depthwise = QuantizedDepthwiseConv1d {
            input_zero_point: padded.input_zero_point,
            ..depthwise
        };
        assert_eq!(
            depthwise.forward::<L, LO>(&x),
            depthwise_unpadded.forward::<LP, LO>(&explicit)
        );
    }
}

#[test]
fn padding_is_the_input_zero_point_on_each_side() {
    padding_is_explicit_padding::<2, 3, 1, 1, 6, 8, 6>(10);
    padding_is_explicit_padding::<3, 4, 2, 3, 7, 13, 5>(11);
    padding_is_explicit_padding::<1, 5, 3, 4, 2, 10, 2>(12);
}

#[test]
fn averages_round_halves_away_from_zero() {
    let pool = QuantizedAvgPool1d::<2>;
    // 1.5 -> 2, -1.5 -> -2, 0.5 -> 1, -0.5 -> -1, 0 -> 0, and the ends of the range.
    let x = [[1, 2, -1, -2, 0, 1, 0, -1, -1, 1, 127, 127, -128, -128, 5]];
    let y: [[i8; 7]; 1] = pool.forward(&x);
    assert_eq!(y, [[2, -2, 1, -1, 0, 127, -128]]);
    // Windows of 3: 2/3 -> 1, 1/3 -> 0, -2/3 -> -1, -1/3 -> 0.
    let y: [[i8; 4]; 1] =
        QuantizedAvgPool1d::<3>.forward(&[[1, 1, 0, 1, 0, 0, -1, -1, 0, -1, 0, 0]]);
    assert_eq!(y, [[1, 0, -1, 0]]);
    assert_eq!(
        QuantizedGlobalAvgPool1d.forward(&[[-3, -4], [3, 4], [100, 101]]),
        [-4, 4, 101]
    );
    // The mean of the codes, not of the codes less the zero point: -0.5 rounds to -1 whatever
    // the zero point (TensorFlow Lite's choice).
    assert_eq!(QuantizedGlobalAvgPool1d.forward(&[[0, -1]]), [-1]);
    assert_eq!(
        QuantizedMaxPool1d::<2>
            .forward::<2, 5, 2>(&[[-128, -7, 3, 3, 127], [0, -1, -128, -128, 9]]),
        [[-7, 3], [0, -128]]
    );
}

#[test]
fn a_pool_keeps_its_input_quantization() {
    let input = Quantization::<f32> {
        scale: 0.25,
        zero_point: -7,
    };
    assert_eq!(
        QuantizedMaxPool1d::pass_through(&MaxPool1d::<2>, input),
        (QuantizedMaxPool1d::<2>, input)
    );
    assert_eq!(
        QuantizedAvgPool1d::pass_through(&AvgPool1d::<3>, input),
        (QuantizedAvgPool1d::<3>, input)
    );
    assert_eq!(
        QuantizedGlobalAvgPool1d::pass_through(&GlobalAvgPool1d, input),
        (QuantizedGlobalAvgPool1d, input)
    );
}

#[test]
fn a_dense_layer_reads_a_signal_flattened() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(13);
    let dense = QuantizedDense::<6, 2, Clamp> {
        weights: core::array::from_fn(|_| core::array::from_fn(|_| weight(&mut random))),
        bias: [1_000, -2_000],
        multiplier: [1 << 30, 3 << 29],
        shift: [-6, -7],
        zero_point: 3,
        activation: Clamp {
            min: -128,
            max: 127,
        },
    };
    for _ in 0..100 {
        let signal = random_signal::<2, 3>(&mut random);
        let flat: [i8; 6] = core::array::from_fn(|n| signal[n / 3][n % 3]);
        assert_eq!(dense.forward(&signal), dense.forward(&flat));
    }
}

// --- Quantising a float layer -----------------------------------------------------------------

/// `q = round(w / scale)` with `scale = max |w| / 127`, and the bias folded, for one channel.
fn expected_channel<const N: usize>(
    weights: &[f64; N],
    bias: f64,
    input: Quantization<f64>,
) -> ([i8; N], i32, f64) {
    let scale = weights.iter().fold(0.0_f64, |m, w| m.max(w.abs())) / 127.0;
    let codes = weights.map(|w| libm::round(w / scale) as i8);
    let code_sum: i32 = codes.iter().map(|&q| i32::from(q)).sum();
    let bias =
        libm::round(bias / (input.scale * scale)) as i32 - i32::from(input.zero_point) * code_sum;
    (codes, bias, scale)
}

fn random_float_conv(random: &mut Xoshiro256PlusPlus) -> Conv1d<f64, 2, 3, 3, 2, 1> {
    Conv1d {
        weights: core::array::from_fn(|o| {
            // Channels of different sizes, so that one scale per channel matters.
            let size = 0.2 + o as f64;
            core::array::from_fn(|_| core::array::from_fn(|_| uniform(random, size)))
        }),
        bias: core::array::from_fn(|_| uniform(random, 0.5)),
    }
}

/// Inputs stored over `[-0.3, 2]`: a zero point far from 0 (-95), so that padding read as 0
/// rather than as the zero point would be off by many steps.
fn skewed_input() -> Quantization<f64> {
    Quantization::from_range(Range {
        min: -0.3,
        max: 2.0,
    })
}

#[test]
fn quantising_a_conv_follows_the_rules_channel_by_channel() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(14);
    let input = skewed_input();
    assert_eq!(input.zero_point, -95);
    for _ in 0..50 {
        let conv = random_float_conv(&mut random);
        let range = Range {
            min: -3.0,
            max: 5.0,
        };
        let (identity, output) = QuantizedConv1d::identity(&conv, input, range);
        let (relu, relu_output) = QuantizedConv1d::relu(&conv, input, range);
        let (tanh, tanh_output) = QuantizedConv1d::table(&conv, input, range, libm::tanh);
        assert_eq!(output, Quantization::from_range(range));
        assert_eq!(
            relu_output,
            Quantization::from_range(Range { min: 0.0, max: 5.0 })
        );
        assert_eq!(
            identity.activation,
            Clamp {
                min: -128,
                max: 127
            }
        );
        assert_eq!(
            relu.activation,
            Clamp {
                min: relu_output.zero_point,
                max: 127
            }
        );
        let pre = Quantization::<f64>::from_range(range);
        for (q, entry) in tanh.activation.output.iter().enumerate() {
            let z = pre.dequantize((q as i32 - 128) as i8);
            assert_eq!(*entry, tanh_output.quantize(libm::tanh(z)));
        }
        for (layer_bias, layer_multiplier, layer_shift, layer_weights, target, zero_point) in [
            (
                identity.bias,
                identity.multiplier,
                identity.shift,
                identity.weights,
                output,
                identity.zero_point,
            ),
            (
                relu.bias,
                relu.multiplier,
                relu.shift,
                relu.weights,
                relu_output,
                relu.zero_point,
            ),
            (
                tanh.bias,
                tanh.multiplier,
                tanh.shift,
                tanh.weights,
                pre,
                tanh.zero_point,
            ),
        ] {
            assert_eq!(zero_point, target.zero_point);
            for o in 0..3 {
                let weights: &[f64; 6] = conv.weights[o].as_flattened().try_into().unwrap();
                let (codes, bias, scale) = expected_channel(weights, conv.bias[o], input);
                assert_eq!(layer_weights[o].as_flattened(), &codes);
                assert_eq!(layer_bias[o], bias);
                let m = Multiplier::from_f64(input.scale * scale / target.scale);
                assert_eq!(
                    (layer_multiplier[o], layer_shift[o]),
                    (m.multiplier, m.shift)
                );
            }
        }
        assert_eq!(identity.input_zero_point, -95);
    }
}

#[test]
fn quantising_a_depthwise_conv_follows_the_rules_channel_by_channel() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(15);
    let input = skewed_input();
    for _ in 0..50 {
        let conv = DepthwiseConv1d::<f64, 3, 4, 1, 2> {
            weights: core::array::from_fn(|c| {
                core::array::from_fn(|_| uniform(&mut random, 0.1 + c as f64))
            }),
            bias: core::array::from_fn(|_| uniform(&mut random, 0.5)),
        };
        let range = Range {
            min: -1.0,
            max: 4.0,
        };
        let (identity, output) = QuantizedDepthwiseConv1d::identity(&conv, input, range);
        let (relu, relu_output) = QuantizedDepthwiseConv1d::relu(&conv, input, range);
        let (sigmoid, _) = QuantizedDepthwiseConv1d::table(&conv, input, range, |z: f64| {
            1.0 / (1.0 + libm::exp(-z))
        });
        assert_eq!(output, Quantization::from_range(range));
        assert_eq!(relu.activation.min, relu_output.zero_point);
        assert_eq!(identity.input_zero_point, input.zero_point);
        assert_eq!(relu.input_zero_point, input.zero_point);
        assert_eq!(sigmoid.input_zero_point, input.zero_point);
        for (layer, target) in [(identity, output), (relu, relu_output)] {
            assert_eq!(layer.zero_point, target.zero_point);
            for c in 0..3 {
                let (codes, bias, scale) = expected_channel(&conv.weights[c], conv.bias[c], input);
                assert_eq!(layer.weights[c], codes);
                assert_eq!(layer.bias[c], bias);
                let m = Multiplier::from_f64(input.scale * scale / target.scale);
                assert_eq!(
                    (layer.multiplier[c], layer.shift[c]),
                    (m.multiplier, m.shift)
                );
            }
        }
        assert_eq!(sigmoid.weights, identity.weights);
        assert_eq!(
            sigmoid.zero_point,
            Quantization::<f64>::from_range(range).zero_point
        );
    }
}

// --- Against the float layers -----------------------------------------------------------------

/// The pre-activation range calibration would find over every input in range: per output, the
/// sum over the taps inside of the larger of `w * lowest` and `w * highest`.
fn full_range(conv: &Conv1d<f64, 2, 3, 3, 2, 1>, input: Quantization<f64>) -> Range {
    let (lowest, highest) = (input.dequantize(-128), input.dequantize(127));
    let mut range = Range::EMPTY;
    for o in 0..3 {
        let (mut min, mut max) = (conv.bias[o], conv.bias[o]);
        for &w in conv.weights[o].as_flattened() {
            min += (w * lowest).min(w * highest).min(0.0);
            max += (w * lowest).max(w * highest).max(0.0);
        }
        range.include(&[min, max]);
    }
    range
}

/// Every output of the int8 conv, padded windows included, is within its rounding bound of the
/// float conv (which pads with zeros) on inputs on the input's grid: half a weight step times the
/// inputs' sizes, half an accumulator step for the bias, one output step for the requantisation
/// (two roundings, `1/2 + 2^(shift - 1)` at most). Padding read as 0 instead of the zero point
/// (-95) would be off by `95 * |w|` input steps at the first and last windows.
#[test]
fn the_int8_conv_is_within_its_rounding_bound_of_the_float_conv() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(16);
    let input = skewed_input();
    for _ in 0..100 {
        let conv = random_float_conv(&mut random);
        let range = full_range(&conv, input);
        let (layer, output) = QuantizedConv1d::identity(&conv, input, range);
        for _ in 0..20 {
            let codes = random_signal::<2, 7>(&mut random);
            let x = codes.map(|row| row.map(|q| input.dequantize(q)));
            let z: [[f64; 4]; 3] = conv.forward(&x);
            let y = layer.forward::<7, 4>(&codes);
            for o in 0..3 {
                let weight_step = conv.weights[o]
                    .as_flattened()
                    .iter()
                    .fold(0.0_f64, |m, w| m.max(w.abs()))
                    / 127.0;
                for t in 0..4 {
                    let inputs: f64 = (0..2)
                        .flat_map(|i| (0..3).filter_map(move |k| Some((i, step(t, k, 2, 1, 7)?))))
                        .map(|(i, s)| x[i][s].abs())
                        .sum();
                    let bound = weight_step / 2.0 * (inputs + input.scale) + output.scale + 1e-12;
                    let error = (output.dequantize(y[o][t]) - z[o][t]).abs();
                    assert!(error <= bound, "[{o}][{t}]: {error} > {bound}");
                }
            }
        }
    }
}

// --- As Rust source ---------------------------------------------------------------------------

#[cfg(feature = "std")]
#[test]
fn the_layers_print_as_the_rust_that_builds_them() {
    use crate::source::Source;
    use std::string::String;

    fn source(value: &dyn Source) -> String {
        let mut text = String::new();
        value.write_source(&mut text).unwrap();
        text
    }

    let clamp = Clamp {
        min: -128,
        max: 127,
    };
    let conv = QuantizedConv1d::<2, 2, 2, 1, 0, Clamp> {
        weights: [[[1, -2], [3, 127]], [[-127, 0], [5, 6]]],
        bias: [-12_345, 7],
        multiplier: [1_234_567_890, 1 << 30],
        shift: [-9, 1],
        input_zero_point: -95,
        zero_point: 7,
        activation: clamp,
    };
    assert_eq!(
        source(&conv),
        "::backprop_core::quant::QuantizedConv1d {
        weights: [[[1, -2], [3, 127]], [[-127, 0], [5, 6]]],
        bias: [-12_345, 7],
        multiplier: [1_234_567_890, 1_073_741_824],
        shift: [-9, 1],
        input_zero_point: -95,
        zero_point: 7,
        activation: ::backprop_core::quant::Clamp { min: -128, max: 127 },
    }"
    );
    let depthwise = QuantizedDepthwiseConv1d::<2, 2, 1, 1, Clamp> {
        weights: [[1, -2], [3, 4]],
        bias: [100, -100],
        multiplier: [1 << 30, 1 << 30],
        shift: [0, -1],
        input_zero_point: 3,
        zero_point: -4,
        activation: clamp,
    };
    assert_eq!(
        source(&depthwise),
        "::backprop_core::quant::QuantizedDepthwiseConv1d {
        weights: [[1, -2], [3, 4]],
        bias: [100, -100],
        multiplier: [1_073_741_824, 1_073_741_824],
        shift: [0, -1],
        input_zero_point: 3,
        zero_point: -4,
        activation: ::backprop_core::quant::Clamp { min: -128, max: 127 },
    }"
    );
    assert_eq!(
        source(&QuantizedMaxPool1d::<2>),
        "::backprop_core::quant::QuantizedMaxPool1d"
    );
    assert_eq!(
        source(&QuantizedAvgPool1d::<3>),
        "::backprop_core::quant::QuantizedAvgPool1d"
    );
    assert_eq!(
        source(&QuantizedGlobalAvgPool1d),
        "::backprop_core::quant::QuantizedGlobalAvgPool1d"
    );
}
