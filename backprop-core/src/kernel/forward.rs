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

use super::dispatch::{Arch, Isa, Kernel, run};
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
    fn run<A: Arch>(mut self, arch: A) {
        // 12 lane sums of 256 bits in registers: 4 rows x 3 samples of f32, 2 x 3 of f64. One
        // sample: 8 rows of f32 or 4 of f64, enough sums in flight to hide the latency of adds.
        let f32 = size_of::<T>() == 4;
        if let ([input], [output]) = (self.inputs, &mut *self.outputs) {
            let (input, output) = (core::array::from_ref(input), core::array::from_mut(output));
            if f32 {
                rows::<T, I, O, 8, 1>(arch, self.layer, input, output);
            } else {
                rows::<T, I, O, 4, 1>(arch, self.layer, input, output);
            }
        } else if f32 {
            samples::<T, I, O, 4, 3>(arch, &mut self);
        } else {
            samples::<T, I, O, 2, 3>(arch, &mut self);
        }
    }
}

/// The batch, `S` samples at a time, the samples left over one at a time.
#[inline(always)]
fn samples<T: Scalar, const I: usize, const O: usize, const R: usize, const S: usize>(
    arch: impl Arch,
    forward: &mut Forward<'_, T, I, O>,
) {
    let (input_blocks, input_rest) = forward.inputs.as_chunks::<S>();
    let (output_blocks, output_rest) = forward.outputs.as_chunks_mut::<S>();
    for (inputs, outputs) in input_blocks.iter().zip(output_blocks) {
        rows::<T, I, O, R, S>(arch, forward.layer, inputs, outputs);
    }
    for (input, output) in input_rest.iter().zip(output_rest) {
        let (input, output) = (core::array::from_ref(input), core::array::from_mut(output));
        rows::<T, I, O, R, 1>(arch, forward.layer, input, output);
    }
}

/// `S` samples through every node, `R` rows at a time, the rows left over one at a time.
#[inline(always)]
fn rows<T: Scalar, const I: usize, const O: usize, const R: usize, const S: usize>(
    arch: impl Arch,
    layer: &Dense<T, I, O>,
    inputs: &[[T; I]; S],
    outputs: &mut [[T; O]; S],
) {
    let (blocks, rest) = layer.weights.as_chunks::<R>();
    for (block, rows) in blocks.iter().enumerate() {
        let sums = tile::<T, I, R, S>(arch, rows, inputs);
        for (r, sums) in sums.iter().enumerate() {
            let j = block * R + r;
            for (output, &sum) in outputs.iter_mut().zip(sums) {
                output[j] = sum + layer.bias[j];
            }
        }
    }
    let first = blocks.len() * R;
    for (r, row) in rest.iter().enumerate() {
        let [sums] = tile::<T, I, 1, S>(arch, core::array::from_ref(row), inputs);
        let j = first + r;
        for (output, sum) in outputs.iter_mut().zip(sums) {
            output[j] = sum + layer.bias[j];
        }
    }
}

/// The dot products of `R` rows with `S` inputs, each in the canonical order: the lane sums of
/// the whole chunks from `arch`, then the last `I % LANES` products into the first lanes, then
/// the lanes added left to right.
#[allow(
    clippy::needless_range_loop,
    reason = "constant-count index loops over rows and samples alike"
)]
#[inline(always)]
fn tile<T: Scalar, const I: usize, const R: usize, const S: usize>(
    arch: impl Arch,
    rows: &[[T; I]; R],
    inputs: &[[T; I]; S],
) -> [[T; S]; R] {
    let mut lanes = arch.forward_lanes(rows, inputs);
    let tail = I / LANES * LANES;
    let mut sums = [[T::ZERO; S]; R];
    for r in 0..R {
        for s in 0..S {
            for k in 0..I % LANES {
                lanes[r][s][k] += rows[r][tail + k] * inputs[s][tail + k];
            }
            sums[r][s] = add_lanes(lanes[r][s]);
        }
    }
    sums
}
