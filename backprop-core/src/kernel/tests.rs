//! The kernels against the literal order of [`dot`], bit for bit: on random layers of many shapes,
//! with the baseline and the dispatched instruction set, one sample and batches of every size.

#![allow(
    clippy::float_cmp,
    reason = "the tests compare exact values on purpose"
)]

extern crate std;

use std::boxed::Box;
use std::vec::Vec;

use super::dispatch::Element;
use super::{
    Isa, add_gradient_batch, back_propagate, back_propagate_batch, dot, dot_bias, pre_activation,
    pre_activation_batch,
};
use crate::init::Xoshiro256PlusPlus;
use crate::{Dense, Scalar};

const ISAS: [Isa; 2] = [Isa::Baseline, Isa::Best];

/// The same bits, or both NaN (a NaN's payload is not promised).
fn same<T: Scalar>(a: T, b: T) -> bool {
    if a.is_nan() {
        b.is_nan()
    } else {
        a.to_f64().to_bits() == b.to_f64().to_bits()
    }
}

fn assert_same<T: Scalar>(actual: &[T], expected: &[T], what: &str) {
    assert_eq!(actual.len(), expected.len());
    for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        assert!(same(a, e), "{what}: element {i} is {a:?}, expected {e:?}");
    }
}

/// Values whose sums depend on their order: random signs, exponents over 24 binades, and a zero
/// of either sign now and then.
fn value<T: Scalar>(rng: &mut Xoshiro256PlusPlus) -> T {
    let bits = rng.next_u64();
    let sign = if bits & 1 == 0 { 1.0 } else { -1.0 };
    if bits.is_multiple_of(23) {
        return T::from_f64(sign * 0.0);
    }
    let exponent = i32::try_from((bits >> 8) % 24).expect("small") - 12;
    T::from_f64(sign * (1.0 + rng.next_f64()) * libm::pow(2.0, f64::from(exponent)))
}

/// On the heap: a 784-input `f64` layer is large for a test thread's stack in a debug build.
#[allow(clippy::unnecessary_box_returns, reason = "see above")]
fn layer<T: Scalar, const I: usize, const O: usize>(
    rng: &mut Xoshiro256PlusPlus,
) -> Box<Dense<T, I, O>> {
    let mut layer = Box::new(Dense::ZERO);
    for weight in layer.weights.as_flattened_mut() {
        *weight = value(rng);
    }
    for bias in &mut layer.bias {
        *bias = value(rng);
    }
    layer
}

fn samples<T: Scalar, const N: usize>(rng: &mut Xoshiro256PlusPlus, count: usize) -> Vec<[T; N]> {
    (0..count)
        .map(|_| core::array::from_fn(|_| value(rng)))
        .collect()
}

/// The forward pass written out with [`dot_bias`].
fn forward_reference<T: Scalar, const I: usize, const O: usize>(
    layer: &Dense<T, I, O>,
    input: &[T; I],
) -> [T; O] {
    core::array::from_fn(|j| dot_bias(&layer.weights[j], input, layer.bias[j]))
}

/// `sum_j w_ji delta_j` from the first term, in row order; zeros with no rows.
fn backward_reference<T: Scalar, const I: usize, const O: usize>(
    layer: &Dense<T, I, O>,
    delta: &[T; O],
) -> [T; I] {
    core::array::from_fn(|i| {
        let terms = layer.weights.iter().zip(delta).map(|(row, &d)| row[i] * d);
        terms.reduce(|sum, term| sum + term).unwrap_or(T::ZERO)
    })
}

/// `g_ji += delta_j a_i`, `g_j += delta_j`, one sample at a time.
fn gradient_reference<T: Scalar, const I: usize, const O: usize>(
    gradient: &mut Dense<T, I, O>,
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    for (delta, input) in deltas.iter().zip(inputs) {
        for (row, &d) in gradient.weights.iter_mut().zip(delta) {
            for (slope, &a) in row.iter_mut().zip(input) {
                *slope += d * a;
            }
        }
        for (bias, &d) in gradient.bias.iter_mut().zip(delta) {
            *bias += d;
        }
    }
}

/// Every kernel of one shape against the references, with both instruction sets.
fn check_shape<T: Scalar, const I: usize, const O: usize>(seed: u64) {
    const SAMPLES: usize = 11;
    let rng = &mut Xoshiro256PlusPlus::seed_from_u64(seed);
    let layer = layer::<T, I, O>(rng);
    let mut inputs = samples::<T, I>(rng, SAMPLES);
    let deltas = samples::<T, O>(rng, SAMPLES);
    // Infinities and NaNs pass through.
    if I > 0 {
        inputs[1][I / 2] = T::from_f64(f64::INFINITY);
        inputs[2][I - 1] = T::from_f64(f64::NAN);
        inputs[3][0] = T::from_f64(f64::NEG_INFINITY);
    }
    let expected: Vec<[T; O]> = inputs
        .iter()
        .map(|x| forward_reference(&layer, x))
        .collect();
    let upstream_expected: Vec<[T; I]> = deltas
        .iter()
        .map(|d| backward_reference(&layer, d))
        .collect();
    let mut gradient_expected = layer.clone();
    gradient_reference(&mut gradient_expected, &deltas, &inputs);
    if I > 0 && O > 0 {
        // The small cores' forward, run here too.
        let mut outputs = std::vec![[T::ZERO; O]; SAMPLES];
        let (weights, bias) = (layer.weights.as_flattened(), &layer.bias);
        let (inputs, outputs_flat) = (inputs.as_flattened(), outputs.as_flattened_mut());
        super::forward::row_by_row(weights, bias, I, inputs, outputs_flat);
        assert_same(
            outputs.as_flattened(),
            expected.as_flattened(),
            "row by row",
        );
    }
    for isa in ISAS {
        for (s, (input, delta)) in inputs.iter().zip(&deltas).enumerate() {
            let what = std::format!("{isa:?} {I}x{O} sample {s}");
            assert_same(&pre_activation(isa, &layer, input), &expected[s], &what);
            assert_same(
                &back_propagate(isa, &layer, delta),
                &upstream_expected[s],
                &what,
            );
        }
        let mut outputs = std::vec![[T::ZERO; O]; SAMPLES];
        pre_activation_batch(isa, &layer, &inputs, &mut outputs);
        assert_same(
            outputs.as_flattened(),
            expected.as_flattened(),
            "forward batch",
        );
        let mut upstream = std::vec![[T::ZERO; I]; SAMPLES];
        back_propagate_batch(isa, &layer, &deltas, &mut upstream);
        assert_same(
            upstream.as_flattened(),
            upstream_expected.as_flattened(),
            "backward batch",
        );
        let mut gradient = layer.clone();
        add_gradient_batch(isa, &mut gradient, &deltas, &inputs);
        let weights = gradient.weights.as_flattened();
        assert_same(
            weights,
            gradient_expected.weights.as_flattened(),
            "gradient batch",
        );
        assert_same(
            &gradient.bias,
            &gradient_expected.bias,
            "gradient batch, bias",
        );
    }
}

macro_rules! shapes {
    ($($name:ident: $inputs:literal x $outputs:literal;)*) => {
        $(
            #[test]
            fn $name() {
                check_shape::<f32, $inputs, $outputs>($inputs * 1000 + $outputs);
                check_shape::<f64, $inputs, $outputs>($inputs * 1000 + $outputs + 1);
            }
        )*
    };
}

shapes! {
    inputs_0: 0 x 3;
    inputs_1: 1 x 1;
    inputs_7: 7 x 5;
    inputs_8: 8 x 8;
    inputs_9: 9 x 3;
    inputs_15: 15 x 9;
    inputs_16: 16 x 1;
    inputs_17: 17 x 13;
    inputs_63: 63 x 2;
    inputs_64: 64 x 7;
    inputs_65: 65 x 11;
    inputs_128: 128 x 10;
    inputs_784: 784 x 5;
    no_outputs: 5 x 0;
}

/// Batches of 1 to 70 samples, and the same samples split into several batches at random
/// points, compute what one sample at a time computes.
fn check_batches<T: Scalar, const I: usize, const O: usize>(seed: u64) {
    const MOST: usize = 70;
    let rng = &mut Xoshiro256PlusPlus::seed_from_u64(seed);
    let layer = layer::<T, I, O>(rng);
    let inputs = samples::<T, I>(rng, MOST);
    let deltas = samples::<T, O>(rng, MOST);
    for count in 1..=MOST {
        let (inputs, deltas) = (&inputs[..count], &deltas[..count]);
        let isa = if count.is_multiple_of(2) {
            Isa::Best
        } else {
            Isa::Baseline
        };
        let mut outputs = std::vec![[T::ZERO; O]; count];
        pre_activation_batch(isa, &layer, inputs, &mut outputs);
        let mut upstream = std::vec![[T::ZERO; I]; count];
        back_propagate_batch(isa, &layer, deltas, &mut upstream);
        let mut one_by_one = layer.clone();
        for (s, (input, delta)) in inputs.iter().zip(deltas).enumerate() {
            assert_same(
                &outputs[s],
                &pre_activation(Isa::Baseline, &layer, input),
                "forward",
            );
            assert_same(
                &upstream[s],
                &back_propagate(Isa::Baseline, &layer, delta),
                "backward",
            );
            add_gradient_batch(Isa::Baseline, &mut one_by_one, &[*delta], &[*input]);
        }
        let mut split = layer.clone();
        let mut start = 0;
        while start < count {
            let end = (start + 1 + usize::try_from(rng.next_u64() % 23).expect("small")).min(count);
            let isa = if rng.next_u64().is_multiple_of(2) {
                Isa::Best
            } else {
                Isa::Baseline
            };
            add_gradient_batch(isa, &mut split, &deltas[start..end], &inputs[start..end]);
            start = end;
        }
        assert_same(
            split.weights.as_flattened(),
            one_by_one.weights.as_flattened(),
            "split",
        );
        assert_same(&split.bias, &one_by_one.bias, "split, bias");
    }
}

#[test]
fn every_batch_size_and_split() {
    check_batches::<f32, 17, 5>(1);
    check_batches::<f64, 65, 10>(2);
    check_batches::<f32, 130, 3>(3);
}

#[test]
fn the_reference_is_left_to_right_up_to_eight_inputs() {
    let rng = &mut Xoshiro256PlusPlus::seed_from_u64(7);
    for n in 1..=8 {
        for _ in 0..100 {
            let weights = samples::<f64, 8>(rng, 1)[0];
            let input = samples::<f64, 8>(rng, 1)[0];
            let products = weights[..n].iter().zip(&input[..n]).map(|(w, a)| w * a);
            let left_to_right = products.reduce(|sum, p| sum + p).expect("n > 0");
            assert_eq!(
                dot(&weights[..n], &input[..n]).to_bits(),
                left_to_right.to_bits()
            );
        }
    }
}

#[test]
fn the_reference_sums_eight_lanes_then_adds_them_left_to_right() {
    // Lane 0 is 1e16 + -1e16 = 0 (inputs 0 and 8), so the 1 of input 1 survives; left to right,
    // 1e16 + 1 would round it away.
    let weights = [1e16, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1e16];
    assert_eq!(dot(&weights, &[1.0; 9]), 1.0);
    // The lanes 1e16, 0, 1, 1 added left to right: 1e16 + 1 rounds to 1e16, twice; a tree would
    // add 1 + 1 first and give 1e16 + 2.
    let weights = [1e16, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    assert_eq!(dot(&weights, &[1.0; 10]), 1e16);
}

#[test]
fn the_reference_of_no_inputs() {
    assert!(dot::<f64>(&[], &[]).is_sign_negative());
    assert_eq!(dot::<f64>(&[], &[]), 0.0);
    assert!(dot_bias::<f32>(&[], &[], 0.0).is_sign_positive());
    assert_eq!(dot_bias::<f32>(&[], &[], -3.5), -3.5);
}

#[test]
fn negative_zero_survives_every_path() {
    fn check<const I: usize>() {
        let layer = Dense::<f64, I, 3>::new([[1.0; I]; 3], [-0.0; 3]);
        for isa in ISAS {
            let z = pre_activation(isa, &layer, &[-0.0; I]);
            assert!(
                z.iter().all(|z| *z == 0.0 && z.is_sign_negative()),
                "{I}: {z:?}"
            );
            let mut batch = [[1.0; 3]; 4];
            pre_activation_batch(isa, &layer, &[[-0.0; I]; 4], &mut batch);
            assert!(batch.as_flattened().iter().all(|z| z.is_sign_negative()));
            let up = back_propagate(isa, &layer, &[-0.0; 3]);
            assert!(up.iter().all(|u| *u == 0.0 && u.is_sign_negative()));
        }
    }
    check::<3>();
    check::<9>();
    check::<20>();
}

#[test]
fn the_kernels_sum_across_lanes_in_the_canonical_order() {
    // The cancellation of `the_reference_sums_eight_lanes...` through the kernels, one row and
    // twelve, one sample and a batch.
    let mut row = [0.0; 9];
    row[0] = 1e16;
    row[1] = 1.0;
    row[8] = -1e16;
    let layer = Dense::<f64, 9, 12>::new([row; 12], [0.0; 12]);
    for isa in ISAS {
        assert_eq!(pre_activation(isa, &layer, &[1.0; 9]), [1.0; 12]);
        let mut batch = [[0.0; 12]; 5];
        pre_activation_batch(isa, &layer, &[[1.0; 9]; 5], &mut batch);
        assert_eq!(batch, [[1.0; 12]; 5]);
    }
}

#[test]
#[should_panic(expected = "one output per input")]
fn a_batch_needs_one_output_per_input() {
    let layer = Dense::<f32, 2, 2>::ZERO;
    pre_activation_batch(Isa::Best, &layer, &[[0.0; 2]; 3], &mut [[0.0; 2]; 2]);
}

#[test]
fn elementwise_operations_of_a_wide_layer() {
    // 40 x 20 weights: wide enough to run with the dispatched instruction set.
    let rng = &mut Xoshiro256PlusPlus::seed_from_u64(11);
    let (layer, other) = (layer::<f32, 40, 20>(rng), layer::<f32, 40, 20>(rng));
    let pairs = || {
        let weights = layer.weights.as_flattened().iter();
        let parameters = weights.chain(&layer.bias);
        let others = other.weights.as_flattened().iter().chain(&other.bias);
        parameters.copied().zip(others.copied())
    };
    let parameters = |layer: &Dense<f32, 40, 20>| -> Vec<f32> {
        let weights = layer.weights.as_flattened().iter();
        weights.chain(&layer.bias).copied().collect()
    };
    let mut sum = layer.clone();
    *sum += &*other;
    let expected: Vec<f32> = pairs().map(|(p, q)| p + q).collect();
    assert_same(&parameters(&sum), &expected, "+=");
    let mut mean = layer.clone();
    *mean /= 3.0;
    let expected: Vec<f32> = pairs().map(|(p, _)| p / 3.0).collect();
    assert_same(&parameters(&mean), &expected, "/=");
    let mut stepped = layer.clone();
    stepped.sgd_step(&other, 0.1);
    let expected: Vec<f32> = pairs().map(|(p, g)| p - 0.1 * g).collect();
    assert_same(&parameters(&stepped), &expected, "sgd_step");
    let (delta, input) = (other.bias, other.weights[0]);
    let mut outer = layer.clone();
    outer.set_gradient(&delta, &input);
    for (j, row) in outer.weights.iter().enumerate() {
        let expected: Vec<f32> = input.iter().map(|a| delta[j] * a).collect();
        assert_same(row, &expected, "set_gradient");
    }
    assert_eq!(outer.bias, delta);
}

#[test]
fn the_slice_entry_points_at_their_edges() {
    use super::{add_outer, affine, transposed};
    for isa in ISAS {
        // No columns: every output is its bias; no upstream slopes; only the biases grow.
        let mut z = [9.0_f64; 4];
        affine(isa, &[], &[1.5, -2.0], 0, &[], &mut z);
        assert_eq!(z, [1.5, -2.0, 1.5, -2.0]);
        let mut upstream: [f32; 0] = [];
        transposed(isa, &[], 0, &[1.0, 2.0], &mut upstream);
        let mut bias = [1.0_f32, 2.0];
        add_outer(isa, &mut [], &mut bias, 0, &[0.5, 0.25, 1.0, 1.0], &[]);
        assert_eq!(bias, [2.5, 3.25]);
        add_outer(isa, &mut [], &mut bias, 0, &[0.5, 0.25], &[]);
        assert_eq!(bias, [3.0, 3.5]);
        // No rows: no outputs, zeros upstream, nothing to add.
        affine::<f32>(isa, &[], &[], 3, &[], &mut []);
        let mut upstream = [7.0_f64; 6];
        transposed(isa, &[], 3, &[], &mut upstream);
        assert!(upstream.iter().all(|u| *u == 0.0 && u.is_sign_positive()));
        add_outer::<f64>(isa, &mut [], &mut [], 3, &[], &[]);
        // Two samples of a 3-input, 2-node layer, through the slices directly.
        let weights = [1.0_f32, 2.0, 3.0, -1.0, 0.5, 0.25];
        let mut z = [0.0; 4];
        affine(
            isa,
            &weights,
            &[0.5, 1.0],
            3,
            &[1.0, 1.0, 1.0, 2.0, 0.0, -2.0],
            &mut z,
        );
        assert_eq!(z, [6.5, 0.75, -3.5, -1.5]);
        let mut upstream = [0.0; 6];
        transposed(isa, &weights, 3, &[1.0, 2.0, -1.0, 0.0], &mut upstream);
        assert_eq!(upstream, [-1.0, 3.0, 3.5, -1.0, -2.0, -3.0]);
        let (mut gradient, mut bias) = ([0.0_f32; 6], [0.0; 2]);
        let (deltas, inputs) = ([1.0, 2.0, -1.0, 0.0], [1.0, 1.0, 1.0, 2.0, 0.0, -2.0]);
        add_outer(isa, &mut gradient, &mut bias, 3, &deltas, &inputs);
        assert_eq!(gradient, [-1.0, 1.0, 3.0, 2.0, 2.0, 2.0]);
        assert_eq!(bias, [0.0, 2.0]);
    }
}

#[test]
#[should_panic(expected = "one row of weights per bias")]
fn affine_needs_one_row_per_bias() {
    super::affine::<f32>(Isa::Best, &[1.0; 5], &[0.0; 2], 3, &[0.0; 3], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "one input per output")]
fn affine_needs_one_input_per_output() {
    super::affine::<f32>(Isa::Best, &[1.0; 6], &[0.0; 2], 3, &[0.0; 4], &mut [0.0; 2]);
}

#[test]
#[should_panic(expected = "whole samples of outputs")]
fn affine_needs_whole_samples() {
    super::affine::<f64>(Isa::Best, &[1.0; 6], &[0.0; 2], 3, &[0.0; 6], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "one upstream slope per delta")]
fn transposed_needs_one_delta_per_row_and_sample() {
    super::transposed::<f32>(Isa::Best, &[1.0; 6], 3, &[0.0; 3], &mut [0.0; 3]);
}

#[test]
#[should_panic(expected = "one delta per input")]
fn add_outer_needs_one_input_per_sample() {
    super::add_outer::<f64>(
        Isa::Best,
        &mut [0.0; 6],
        &mut [0.0; 2],
        3,
        &[0.0; 4],
        &[0.0; 3],
    );
}

#[test]
fn wide_batches_take_every_tile_and_walk() {
    // Widths that take every step of the walks (64, 32, 24, 16, 8, 1 columns; 8, 4, 3, 2, 1 rows;
    // 3, 2, 1 samples), f32 and f64, against one sample at a time with the baseline.
    check_batches::<f32, 101, 19>(4);
    check_batches::<f64, 93, 9>(5);
}

#[test]
fn one_row_at_a_time_is_the_reference() {
    fn check<T: Scalar>(seed: u64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        for columns in 0..40 {
            let row: Vec<T> = (0..columns).map(|_| value(&mut rng)).collect();
            let input: Vec<T> = (0..columns).map(|_| value(&mut rng)).collect();
            for bias in [value(&mut rng), T::ZERO, -T::ZERO] {
                let expected = dot_bias(&row, &input, bias);
                let actual = super::row_plus(&row, &input, bias);
                assert!(
                    same(actual, expected),
                    "{columns} columns: {actual:?}, expected {expected:?}"
                );
            }
        }
    }
    check::<f32>(7);
    check::<f64>(8);
}

/// A random layer on slices: `rows` rows of `columns` weights, and `samples` samples.
struct Shape<T> {
    rows: usize,
    columns: usize,
    samples: usize,
    weights: Vec<T>,
    bias: Vec<T>,
    inputs: Vec<T>,
    deltas: Vec<T>,
}

impl<T: Scalar> Shape<T> {
    /// Up to 20 rows, 70 columns and 7 samples, each at least one; now and then an infinity or a
    /// NaN among the inputs, which pass through every path.
    fn random(rng: &mut Xoshiro256PlusPlus) -> Self {
        let (rows, columns, samples) = (width(rng, 20), width(rng, 70), width(rng, 7));
        let mut values = |count: usize| -> Vec<T> { (0..count).map(|_| value(rng)).collect() };
        let (weights, bias) = (values(rows * columns), values(rows));
        let (mut inputs, deltas) = (values(samples * columns), values(samples * rows));
        let special = [f64::INFINITY, f64::NEG_INFINITY, f64::NAN][(columns + rows) % 3];
        if samples > 1 {
            inputs[columns + rows % columns] = T::from_f64(special);
        }
        Self {
            rows,
            columns,
            samples,
            weights,
            bias,
            inputs,
            deltas,
        }
    }

    fn describe(&self) -> std::string::String {
        let Self {
            rows,
            columns,
            samples,
            ..
        } = self;
        std::format!("{rows} rows of {columns} columns, {samples} samples")
    }

    fn samples(&self) -> super::gradient::Samples<'_, T> {
        super::gradient::Samples {
            rows: self.rows,
            columns: self.columns,
            deltas: &self.deltas,
            inputs: &self.inputs,
        }
    }
}

/// Random widths: at least one, up to `most`, odd ones and multiples of 8 and neither.
fn width(rng: &mut Xoshiro256PlusPlus, most: u64) -> usize {
    usize::try_from(1 + rng.next_u64() % most).expect("small")
}

/// The small cores' kernels (each file's `row_by_row`) and the vector cores' (its `tiles`, with
/// each instruction set) on random shapes, bit for bit, and the forward against the literal
/// order: on every target the tests run on, whichever `TILES` says.
fn rows_are_the_tiles<T: Element>(seed: u64) {
    let rng = &mut Xoshiro256PlusPlus::seed_from_u64(seed);
    for _ in 0..300 {
        let shape = Shape::<T>::random(rng);
        let (rows, columns, samples) = (shape.rows, shape.columns, shape.samples);
        let (weights, bias, inputs) = (&shape.weights, &shape.bias, &shape.inputs);
        let expected: Vec<T> = inputs
            .chunks_exact(columns)
            .flat_map(|input| {
                let nodes = weights.chunks_exact(columns).zip(bias);
                nodes.map(|(row, &b)| dot_bias(row, input, b))
            })
            .collect();
        let what = shape.describe();
        let mut forward = std::vec![T::ZERO; samples * rows];
        super::forward::row_by_row(weights, bias, columns, inputs, &mut forward);
        assert_same(&forward, &expected, &std::format!("forward, {what}"));
        let mut backward = std::vec![T::ONE; samples * columns];
        super::backward::row_by_row(weights, columns, rows, &shape.deltas, &mut backward);
        let mut gradient = weights.clone();
        super::gradient::row_by_row(&mut gradient, shape.samples());
        for isa in ISAS {
            let what = std::format!("{isa:?} tiles, {what}");
            let mut tiles = std::vec![T::ZERO; samples * rows];
            super::forward::tiles(isa, weights, bias, columns, samples, inputs, &mut tiles);
            assert_same(&tiles, &forward, &std::format!("forward, {what}"));
            let mut tiles = std::vec![T::ONE; samples * columns];
            let deltas = &shape.deltas;
            super::backward::tiles(isa, weights, columns, rows, samples, deltas, &mut tiles);
            assert_same(&tiles, &backward, &std::format!("backward, {what}"));
            let mut tiles = weights.clone();
            super::gradient::tiles(isa, &mut tiles, shape.samples());
            assert_same(&tiles, &gradient, &std::format!("gradient, {what}"));
        }
    }
}

#[test]
fn row_by_row_is_the_tiles_on_random_shapes() {
    rows_are_the_tiles::<f32>(21);
    rows_are_the_tiles::<f64>(22);
}
