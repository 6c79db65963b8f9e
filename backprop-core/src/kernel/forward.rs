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

use super::dispatch::{Element, Isa, Kernel, TILES, Vector};
use super::walk::{Steps, walk};
use super::{LANES, split};
use crate::Scalar;

/// [`affine`](super::affine): `outputs[s][j] = weights[j] . inputs[s] + bias[j]`.
#[inline(always)]
pub(super) fn affine<T: Element>(
    isa: Isa,
    weights: &[T],
    bias: &[T],
    columns: usize,
    inputs: &[T],
    outputs: &mut [T],
) {
    let rows = bias.len();
    // `assert!`, not `assert_eq!`: no formatting of the values on a small core.
    assert!(
        weights.len() == rows * columns,
        "one row of weights per bias"
    );
    if rows == 0 {
        assert!(outputs.is_empty(), "no outputs without rows");
        return;
    }
    // One sample needs no division (a Cortex-M0 has no divider).
    let samples = if outputs.len() == rows {
        1
    } else {
        assert!(
            outputs.len().is_multiple_of(rows),
            "whole samples of outputs"
        );
        outputs.len() / rows
    };
    assert!(inputs.len() == samples * columns, "one input per output");
    if columns == 0 {
        for output in outputs.chunks_exact_mut(rows) {
            output.copy_from_slice(bias);
        }
        return;
    }
    if TILES {
        tiles(isa, weights, bias, columns, samples, inputs, outputs);
    } else {
        row_by_row(weights, bias, columns, inputs, outputs);
    }
}

/// [`affine`] in tiles of 8-lane vectors, for `samples` samples, at least one row and one column:
/// where the target has a vector unit, and in the tests everywhere, against [`row_by_row`].
#[inline(always)]
pub(super) fn tiles<T: Element>(
    isa: Isa,
    weights: &[T],
    bias: &[T],
    columns: usize,
    samples: usize,
    inputs: &[T],
    outputs: &mut [T],
) {
    let forward = Forward {
        weights,
        bias,
        rows: bias.len(),
        columns,
        samples,
        inputs,
        outputs,
    };
    T::run(isa, forward);
}

/// The arguments of [`affine`], with at least one row and one column: `rows` rows of `columns`
/// weights.
struct Forward<'a, T> {
    weights: &'a [T],
    bias: &'a [T],
    rows: usize,
    columns: usize,
    samples: usize,
    inputs: &'a [T],
    outputs: &'a mut [T],
}

impl<T: Scalar> Kernel<T> for Forward<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run<A: Vector<T>>(self, arch: A) {
        let samples = self.samples;
        let mut steps = Samples {
            arch,
            forward: self,
        };
        if size_of::<T>() == 4 {
            walk::<3, 1>(samples, &mut steps);
        } else {
            walk::<2, 1>(samples, &mut steps);
        }
    }
}

/// The walk over the samples.
struct Samples<'a, T, A> {
    arch: A,
    forward: Forward<'a, T>,
}

impl<T: Scalar, A: Vector<T>> Steps for Samples<'_, T, A> {
    /// Samples `first..first + S` through every node. The tiles keep their sums in the 16
    /// registers of 256 bits without spilling: 3 rows x 3 samples of `f32`, 2 x 2 of `f64`; one
    /// sample: 8 rows of `f32` or 4 of `f64`, enough sums in flight to hide the latency of adds,
    /// then 2 at a time (one row alone has a single chain of dependent adds).
    #[inline(always)]
    fn step<const S: usize>(&mut self, first: usize) {
        let forward = &mut self.forward;
        let (rows, columns) = (forward.rows, forward.columns);
        let mut steps = Rows::<T, A, S> {
            arch: self.arch,
            weights: forward.weights,
            bias: forward.bias,
            columns,
            inputs: split(&forward.inputs[first * columns..], columns),
            outputs: &mut forward.outputs[first * rows..(first + S) * rows],
        };
        match (size_of::<T>() == 4, S) {
            (true, 1) => walk::<8, 2>(rows, &mut steps),
            (true, _) => walk::<3, 1>(rows, &mut steps),
            (false, 1) => walk::<4, 2>(rows, &mut steps),
            (false, _) => walk::<2, 1>(rows, &mut steps),
        }
    }
}

/// The walk over the rows, for `S` samples.
struct Rows<'a, T, A, const S: usize> {
    arch: A,
    weights: &'a [T],
    bias: &'a [T],
    columns: usize,
    inputs: [&'a [T]; S],
    /// The samples' outputs one after the other.
    outputs: &'a mut [T],
}

impl<T: Scalar, A: Vector<T>, const S: usize> Steps for Rows<'_, T, A, S> {
    /// Rows `first..first + R`: their dot products with the `S` inputs, plus the biases.
    #[inline(always)]
    fn step<const R: usize>(&mut self, first: usize) {
        let columns = self.columns;
        let weights = split(&self.weights[first * columns..], columns);
        let sums = tile::<T, A, R, S>(self.arch, weights, self.inputs, columns);
        let rows = self.bias.len();
        for (r, sums) in sums.iter().enumerate() {
            let j = first + r;
            for (s, &sum) in sums.iter().enumerate() {
                self.outputs[s * rows + j] = sum + self.bias[j];
            }
        }
    }
}

/// The dot products of `R` rows with `S` inputs, each in the canonical order: the lane sums,
/// then the lanes added left to right.
#[allow(
    clippy::needless_range_loop,
    reason = "constant-count index loops over rows and samples alike"
)]
#[inline(always)]
fn tile<T: Scalar, A: Vector<T>, const R: usize, const S: usize>(
    arch: A,
    rows: [&[T]; R],
    inputs: [&[T]; S],
    columns: usize,
) -> [[T; S]; R] {
    let lanes = lanes(arch, rows, inputs, columns);
    // Each sample's `R` dot products reduced side by side (eight `f32` or four `f64` at once by a
    // transpose where the instruction set has one).
    let mut sums = [[T::ZERO; S]; R];
    for s in 0..S {
        let mut vectors = [lanes[0][s]; R];
        for r in 1..R {
            vectors[r] = lanes[r][s];
        }
        let reduced = arch.add_lanes(vectors);
        for r in 0..R {
            sums[r][s] = reduced[r];
        }
    }
    sums
}

/// The lane sums of `R` rows with `S` inputs (lane `k` of row `r` and sample `s`: the products
/// of inputs `k, k + 8, ...` in order, from `-0.0`). The last `columns % LANES` inputs make a
/// chunk of their own, padded with weights of `-0.0` and inputs of `0.0`: the padding's products
/// are `-0.0`, which leave any lane as it is, so every chunk is a whole vector and the lanes never
/// leave the registers.
#[allow(
    clippy::needless_range_loop,
    reason = "constant-count loops over rows and samples unroll, keeping every sum in a register"
)]
#[inline(always)]
fn lanes<T: Scalar, A: Vector<T>, const R: usize, const S: usize>(
    arch: A,
    rows: [&[T]; R],
    inputs: [&[T]; S],
    columns: usize,
) -> [[A::Lanes; S]; R] {
    let chunks = columns / LANES;
    let mut row_chunks: [&[[T; LANES]]; R] = [&[]; R];
    for r in 0..R {
        row_chunks[r] = &rows[r].as_chunks().0[..chunks];
    }
    let mut input_chunks: [&[[T; LANES]]; S] = [&[]; S];
    for s in 0..S {
        input_chunks[s] = &inputs[s].as_chunks().0[..chunks];
    }
    let mut lanes = [[arch.splat(-T::ZERO); S]; R];
    for chunk in 0..chunks {
        for r in 0..R {
            let w = arch.load(&row_chunks[r][chunk]);
            for s in 0..S {
                let x = arch.load(&input_chunks[s][chunk]);
                lanes[r][s] = arch.add(lanes[r][s], arch.mul(w, x));
            }
        }
    }
    let tail = chunks * LANES;
    if tail < columns {
        let mut input_tails = [[T::ZERO; LANES]; S];
        for s in 0..S {
            input_tails[s][..columns - tail].copy_from_slice(&inputs[s][tail..columns]);
        }
        for r in 0..R {
            let mut row_tail = [-T::ZERO; LANES];
            row_tail[..columns - tail].copy_from_slice(&rows[r][tail..columns]);
            let w = arch.load(&row_tail);
            for s in 0..S {
                let x = arch.load(&input_tails[s]);
                lanes[r][s] = arch.add(lanes[r][s], arch.mul(w, x));
            }
        }
    }
    lanes
}

/// [`affine`] without tiles, for cores with no vector unit: each sample through each node in
/// turn, in the canonical order as its definition reads, a lane at a time: lane 0's products
/// `0, 8, 16, ...` summed from the first, then lane 1's, added to it, and so on up to the last
/// lane that exists, then the bias. Two running sums, no array of lanes: on a Cortex-M they stay
/// in registers. At least one column; no division (a Cortex-M0 has no divider).
/// [`pre_activation`](super::pre_activation) calls [`node`] directly, where the widths are
/// constants.
pub(super) fn row_by_row<T: Scalar>(
    weights: &[T],
    bias: &[T],
    columns: usize,
    inputs: &[T],
    outputs: &mut [T],
) {
    let rows = bias.len();
    let (mut input_at, mut output_at) = (0, 0);
    while output_at < outputs.len() {
        let input = &inputs[input_at..input_at + columns];
        let output = &mut outputs[output_at..output_at + rows];
        let mut row_at = 0;
        for (output, &bias) in output.iter_mut().zip(bias) {
            *output = node(&weights[row_at..row_at + columns], input) + bias;
            row_at += columns;
        }
        input_at += columns;
        output_at += rows;
    }
}

/// `row . input` in the canonical order, a lane at a time, for at least one column.
#[allow(
    clippy::inline_always,
    reason = "one call per layer shape on a small core, where the widths then fold in"
)]
#[inline(always)]
pub(crate) fn node<T: Scalar>(row: &[T], input: &[T]) -> T {
    let input = &input[..row.len()];
    let lanes = row.len().min(LANES);
    let mut sum = lane(row, input);
    // Two lanes per turn (each still added on its own, in order): a small core without an
    // unrolling optimiser spends fewer instructions on the loop.
    let mut k = 1;
    while k + 1 < lanes {
        sum += lane(&row[k..], &input[k..]);
        sum += lane(&row[k + 1..], &input[k + 1..]);
        k += 2;
    }
    if k < lanes {
        sum += lane(&row[k..], &input[k..]);
    }
    sum
}

/// The lane that starts at the first of `row` and `input`: the products `0, 8, 16, ...`
/// summed in order from the first.
#[allow(
    clippy::inline_always,
    reason = "one call per layer shape on a small core, where the widths then fold in"
)]
#[inline(always)]
fn lane<T: Scalar>(row: &[T], input: &[T]) -> T {
    let input = &input[..row.len()];
    let mut sum = row[0] * input[0];
    let mut i = LANES;
    while i < row.len() {
        sum += row[i] * input[i];
        i += LANES;
    }
    sum
}
