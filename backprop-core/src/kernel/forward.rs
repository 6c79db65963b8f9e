//! The forward kernel: `z_j = sum_i w_ji a_i + b_j` in the canonical order, for a batch of
//! samples (one sample is a batch of one).
//!
//! A tile of `R` rows and `S` samples keeps its `R * S` dot products as `[T; LANES]` lane sums
//! (one or two vector registers each): per chunk of 8 inputs it loads `R` chunks of weights and
//! `S` chunks of inputs and adds the `R * S` products lane by lane. Lane `k` of a dot product then
//! holds exactly the canonical lane `k`, whatever the tile or the vector width.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::dispatch::{Isa, Kernel, run};
use super::{LANES, add_lanes};
use crate::{Dense, Scalar};

/// `outputs[s] = layer(inputs[s])` for every sample.
///
/// # Panics
///
/// If `inputs` and `outputs` differ in length.
#[inline]
pub(super) fn batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    inputs: &[[T; I]],
    outputs: &mut [[T; O]],
) {
    assert_eq!(inputs.len(), outputs.len(), "one output per input");
    run(
        isa,
        Forward {
            layer,
            inputs,
            outputs,
        },
    );
}

/// The arguments of [`batch`].
struct Forward<'a, T, const I: usize, const O: usize> {
    layer: &'a Dense<T, I, O>,
    inputs: &'a [[T; I]],
    outputs: &'a mut [[T; O]],
}

impl<T: Scalar, const I: usize, const O: usize> Kernel for Forward<'_, T, I, O> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        // 12 lane sums of 256 bits in registers: 4 rows x 3 samples of f32, 2 x 3 of f64. One
        // sample: 8 rows of f32 or 4 of f64, enough sums in flight to hide the latency of adds.
        let f32 = size_of::<T>() == 4;
        if let ([input], [output]) = (self.inputs, &mut *self.outputs) {
            if f32 {
                rows::<T, I, O, 8, 1>(self.layer, [input], [output]);
            } else {
                rows::<T, I, O, 4, 1>(self.layer, [input], [output]);
            }
        } else if f32 {
            samples::<T, I, O, 4, 3>(self);
        } else {
            samples::<T, I, O, 2, 3>(self);
        }
    }
}

/// The batch, `S` samples at a time, the samples left over one at a time.
#[inline(always)]
fn samples<T: Scalar, const I: usize, const O: usize, const R: usize, const S: usize>(
    forward: Forward<'_, T, I, O>,
) {
    let (input_blocks, input_rest) = forward.inputs.as_chunks::<S>();
    let (output_blocks, output_rest) = forward.outputs.as_chunks_mut::<S>();
    for (inputs, outputs) in input_blocks.iter().zip(output_blocks) {
        rows::<T, I, O, R, S>(forward.layer, inputs.each_ref(), outputs.each_mut());
    }
    for (input, output) in input_rest.iter().zip(output_rest) {
        rows::<T, I, O, R, 1>(forward.layer, [input], [output]);
    }
}

/// `S` samples through every node, `R` rows at a time, the rows left over one at a time.
#[inline(always)]
fn rows<T: Scalar, const I: usize, const O: usize, const R: usize, const S: usize>(
    layer: &Dense<T, I, O>,
    inputs: [&[T; I]; S],
    mut outputs: [&mut [T; O]; S],
) {
    let (blocks, rest) = layer.weights.as_chunks::<R>();
    let (bias_blocks, bias_rest) = layer.bias.as_chunks::<R>();
    for (block, (rows, biases)) in blocks.iter().zip(bias_blocks).enumerate() {
        let sums = tile::<T, I, R, S>(rows.each_ref(), inputs);
        for (r, (sums, &bias)) in sums.iter().zip(biases).enumerate() {
            for (output, &sum) in outputs.iter_mut().zip(sums) {
                output[block * R + r] = sum + bias;
            }
        }
    }
    let first = blocks.len() * R;
    for (r, (row, &bias)) in rest.iter().zip(bias_rest).enumerate() {
        let [sums] = tile::<T, I, 1, S>([row], inputs);
        for (output, sum) in outputs.iter_mut().zip(sums) {
            output[first + r] = sum + bias;
        }
    }
}

/// The dot products of `R` rows with `S` inputs, each in the canonical order. Every lane starts
/// at `-0.0`, which adding the first product turns into exactly that product.
#[inline(always)]
fn tile<T: Scalar, const I: usize, const R: usize, const S: usize>(
    rows: [&[T; I]; R],
    inputs: [&[T; I]; S],
) -> [[T; S]; R] {
    let mut lanes = [[[-T::ZERO; LANES]; S]; R];
    let rows = rows.map(|row| row.as_chunks::<LANES>());
    let inputs = inputs.map(|input| input.as_chunks::<LANES>());
    for chunk in 0..I / LANES {
        for (lanes, (row, _)) in lanes.iter_mut().zip(&rows) {
            for (lanes, (input, _)) in lanes.iter_mut().zip(&inputs) {
                for ((sum, &weight), &value) in lanes.iter_mut().zip(&row[chunk]).zip(&input[chunk]) {
                    *sum += weight * value;
                }
            }
        }
    }
    // The last `I % LANES` inputs go to the first lanes.
    for (lanes, (_, row_tail)) in lanes.iter_mut().zip(&rows) {
        for (lanes, (_, input_tail)) in lanes.iter_mut().zip(&inputs) {
            for ((sum, &weight), &value) in lanes.iter_mut().zip(*row_tail).zip(*input_tail) {
                *sum += weight * value;
            }
        }
    }
    lanes.map(|row| row.map(add_lanes))
}
