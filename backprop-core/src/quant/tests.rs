//! The int8 layer against the float layer it came from: the error bound its roundings allow,
//! on random layers and inputs, for the clamp and the table.

#![allow(clippy::float_cmp, reason = "exact values on purpose")]

use super::{Clamp, Quantization, QuantizedDense, Range, Table};
use crate::Dense;
use crate::init::Xoshiro256PlusPlus;

const I: usize = 6;
const O: usize = 5;

fn uniform(random: &mut Xoshiro256PlusPlus, scale: f64) -> f64 {
    scale * (2.0 * random.next_f64() - 1.0)
}

fn random_layer(random: &mut Xoshiro256PlusPlus) -> Dense<f64, I, O> {
    Dense {
        weights: core::array::from_fn(|_| core::array::from_fn(|_| uniform(random, 1.5))),
        bias: core::array::from_fn(|_| uniform(random, 0.5)),
    }
}

/// An input already on the input's grid (so only the layer's own roundings count), as codes.
fn random_codes(random: &mut Xoshiro256PlusPlus) -> [i8; I] {
    #[allow(clippy::cast_possible_truncation)] // in -128..=127
    core::array::from_fn(|_| (256.0 * random.next_f64() - 128.0).floor() as i8)
}

/// How far the int8 result may be from the float layer's: the weights rounded to half a step of
/// their row's scale (times the inputs' sizes), the bias to half a step of the accumulator, and
/// the result to 3/4 of a step of the output (the requantisation's two roundings).
fn bound(dense: &Dense<f64, I, O>, input: &[f64; I], scale_in: f64, scale_out: f64) -> [f64; O] {
    core::array::from_fn(|j| {
        let largest = dense.weights[j].iter().fold(0.0_f64, |m, w| m.max(w.abs()));
        let weight_step = largest / 127.0;
        let sum: f64 = input.iter().map(|a| a.abs()).sum();
        weight_step / 2.0 * (sum + scale_in) + 0.75 * scale_out + 1e-12
    })
}

/// Runs `check` on 200 random layers, each with 50 random inputs.
fn for_random_layers(mut check: impl FnMut(&Dense<f64, I, O>, Quantization<f64>, [i8; I])) {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(3);
    for _ in 0..200 {
        let dense = random_layer(&mut random);
        let input = Quantization::<f64>::from_range(Range {
            min: uniform(&mut random, 2.0).min(-0.1),
            max: 2.0,
        });
        for _ in 0..50 {
            check(&dense, input, random_codes(&mut random));
        }
    }
}

/// The pre-activation range calibration would find for this layer: over every input in range.
fn full_range(dense: &Dense<f64, I, O>, input: Quantization<f64>) -> Range {
    let lowest = input.dequantize(-128);
    let highest = input.dequantize(127);
    let mut range = Range::EMPTY;
    for j in 0..O {
        let (mut min, mut max) = (dense.bias[j], dense.bias[j]);
        for &w in &dense.weights[j] {
            min += (w * lowest).min(w * highest);
            max += (w * lowest).max(w * highest);
        }
        range.include(&[min, max]);
    }
    range
}

#[test]
fn identity_and_relu_are_within_the_rounding_bound() {
    for_random_layers(|dense, input, codes| {
        let x = codes.map(|q| input.dequantize(q));
        let z = dense.pre_activation(&x);
        let range = full_range(dense, input);
        let (identity, output) = QuantizedDense::<I, O, Clamp>::identity(dense, input, range);
        let (relu, relu_output) = QuantizedDense::<I, O, Clamp>::relu(dense, input, range);
        let b = bound(dense, &x, input.scale, output.scale);
        let b_relu = bound(dense, &x, input.scale, relu_output.scale);
        let (y, y_relu) = (identity.forward(&codes), relu.forward(&codes));
        for j in 0..O {
            let error = (output.dequantize(y[j]) - z[j]).abs();
            assert!(error <= b[j], "identity {j}: {error} > {}", b[j]);
            let error = (relu_output.dequantize(y_relu[j]) - z[j].max(0.0)).abs();
            assert!(error <= b_relu[j], "relu {j}: {error} > {}", b_relu[j]);
        }
    });
}

#[test]
fn a_table_is_within_the_bound_times_the_slope_plus_its_own_step() {
    for_random_layers(|dense, input, codes| {
        let x = codes.map(|q| input.dequantize(q));
        let z = dense.pre_activation(&x);
        let (layer, output) = QuantizedDense::<I, O, Table>::table(
            dense,
            input,
            full_range(dense, input),
            libm::tanh,
        );
        let pre = Quantization::<f64>::from_range(full_range(dense, input));
        let b = bound(dense, &x, input.scale, pre.scale);
        let y = layer.forward(&codes);
        for j in 0..O {
            // tanh has slope at most 1; the table's entry is rounded to half an output step.
            let allowed = b[j] + output.scale / 2.0 + 1e-12;
            let error = (output.dequantize(y[j]) - libm::tanh(z[j])).abs();
            assert!(error <= allowed, "tanh {j}: {error} > {allowed}");
        }
    });
}

#[test]
fn a_hand_computed_layer() {
    // Inputs in [0, 2.55]: scale 0.01, zero point -128. One row, weights 1.27 and -0.635: the row's
    // scale is 0.01, so the codes are 127 and -64 (-63.5 rounds away from zero).
    let input = Quantization::<f64>::from_range(Range {
        min: 0.0,
        max: 2.55,
    });
    assert_eq!(input.zero_point, -128);
    assert!((input.scale - 0.01).abs() < 1e-15);
    let dense = Dense::new([[1.27, -0.635]], [0.5]);
    let (layer, output) = QuantizedDense::<2, 1, Clamp>::relu(
        &dense,
        input,
        Range {
            min: -1.0,
            max: 2.55,
        },
    );
    assert_eq!(layer.weights, [[127, -64]]);
    // bias 0.5 / (0.01 * 0.01) = 5000, minus the zero point -128 times (127 - 64) = 63.
    assert_eq!(layer.bias, [5000 + 128 * 63]);
    assert_eq!(output.zero_point, -128);
    assert_eq!(
        layer.activation,
        Clamp {
            min: -128,
            max: 127
        }
    );
    // x = (1.0, 0.5): codes -28 and -78; z = 1.27 - 0.3175 + 0.5 = 1.4525 -> 145.25 steps -> 17.
    let x = [1.0, 0.5].map(|x| input.quantize(x));
    assert_eq!(x, [-28, -78]);
    assert_eq!(layer.forward(&x), [17]);
    // A negative pre-activation is ReLU's 0: the lowest code.
    assert_eq!(layer.forward(&[-128, 127]), [-128]);
}

#[test]
fn quantize_rounds_and_saturates() {
    let q = Quantization::<f32> {
        scale: 0.5,
        zero_point: 10,
    };
    assert_eq!(q.quantize(0.0), 10);
    assert_eq!(q.quantize(0.25), 11);
    assert_eq!(q.quantize(-0.25), 9);
    assert_eq!(q.quantize(1000.0), 127);
    assert_eq!(q.quantize(-1000.0), -128);
    assert_eq!(q.quantize(f32::NAN), 10);
    assert_eq!(q.dequantize(12), 1.0);
    assert_eq!(q.dequantize(-128), -69.0);
}

#[test]
fn range_holds_zero_and_a_constant_still_gets_a_scale() {
    let q = Quantization::<f64>::from_range(Range {
        min: 1.0,
        max: 3.55,
    });
    assert_eq!(q.zero_point, -128);
    assert!((q.scale - 3.55 / 255.0).abs() < 1e-15);
    let q = Quantization::<f64>::from_range(Range {
        min: -2.55,
        max: -1.0,
    });
    assert_eq!(q.zero_point, 127);
    let q = Quantization::<f64>::from_range(Range { min: 0.0, max: 0.0 });
    assert!(q.scale > 0.0);
}

#[test]
fn a_row_of_zero_weights_still_carries_its_bias() {
    let input = Quantization::<f64>::from_range(Range {
        min: -1.0,
        max: 1.0,
    });
    let dense = Dense::new([[0.0, 0.0], [0.5, -0.25]], [0.75, 0.0]);
    let (layer, output) = QuantizedDense::<2, 2, Clamp>::identity(
        &dense,
        input,
        Range {
            min: -1.0,
            max: 1.0,
        },
    );
    for codes in [[-128, 127], [0, 0], [100, -3]] {
        let y = layer.forward(&codes);
        assert!(
            (output.dequantize(y[0]) - 0.75).abs() <= output.scale,
            "{y:?}"
        );
    }
}
