//! The whole-layer loops the hand-written `f32` nets are made of, in two flavours:
//!
//! - *ordered*: every sum in the generated code's order (the runtime's canonical order: 8 lane
//!   sums, lane `k` over inputs `k, k + 8, ...`, added left to right, bias last; over a batch,
//!   sample by sample from zero), so the results are bit-identical to the generated code; made
//!   fast by running independent sums side by side (several rows, or several samples, at once),
//!   never by reordering one;
//! - *fast*: the dot products of a matrix-vector product split over `LANES` (16) partial sums
//!   added pairwise at the end: the same formula, rounded differently, so close to the
//!   generated code rather than equal to it.
//!
//! Every function takes a layer's `weights[j][i]` (one row per node) as the generated code
//! stores them.

use super::canonical;
use core::array;

/// `z_j = sum_i w[j][i] x_i + b_j`, each sum in the canonical order, as the generated code sums
/// it (bit-identical), four rows at a time ([`canonical::affine_blocked`]).
#[inline]
pub fn affine_ordered<const I: usize, const O: usize>(
    weights: &[[f32; I]; O],
    bias: &[f32; O],
    x: &[f32; I],
) -> [f32; O] {
    let mut z = [0.0; O];
    canonical::affine_blocked(weights, bias, x, &mut z);
    z
}

/// `sum_i a_i b_i` in the canonical order ([`canonical::dot`]).
#[inline]
pub fn dot_ordered<const N: usize>(a: &[f32; N], b: &[f32; N]) -> f32 {
    canonical::dot(a, b)
}

/// Partial sums of a fast dot product.
pub const LANES: usize = 16;

/// Rows of [`affine_fast`] computed together, sharing each load of `x`.
const FAST_ROWS: usize = 4;

/// `sum_i a_i b_i` over `LANES` partial sums, added pairwise at the end, then the tail.
#[inline]
pub fn dot_fast<const N: usize>(a: &[f32; N], b: &[f32; N]) -> f32 {
    let (a_chunks, a_tail) = a.as_chunks::<LANES>();
    let (b_chunks, b_tail) = b.as_chunks::<LANES>();
    let mut lanes = [0.0_f32; LANES];
    for (a, b) in a_chunks.iter().zip(b_chunks) {
        for k in 0..LANES {
            lanes[k] += a[k] * b[k];
        }
    }
    let tail = a_tail.iter().zip(b_tail).map(|(a, b)| a * b).sum::<f32>();
    reduce(lanes) + tail
}

/// The sum of the lanes, pairwise (a tree, so it vectorises too).
#[inline]
fn reduce(mut lanes: [f32; LANES]) -> f32 {
    let mut width = LANES / 2;
    while width > 0 {
        for k in 0..width {
            lanes[k] += lanes[k + width];
        }
        width /= 2;
    }
    lanes[0]
}

/// `z_j = sum_i w[j][i] x_i + b_j` with [`dot_fast`]'s partial sums, four rows at a time so each
/// chunk of `x` is loaded once for four rows.
#[inline]
pub fn affine_fast<const I: usize, const O: usize>(
    weights: &[[f32; I]; O],
    bias: &[f32; O],
    x: &[f32; I],
) -> [f32; O] {
    let mut z = *bias;
    let (x_chunks, x_tail) = x.as_chunks::<LANES>();
    let (blocks, rest) = weights.as_chunks::<FAST_ROWS>();
    let (z_blocks, z_rest) = z.as_chunks_mut::<FAST_ROWS>();
    for (rows, z) in blocks.iter().zip(z_blocks) {
        let mut lanes = [[0.0_f32; LANES]; FAST_ROWS];
        let row_chunks: [&[[f32; LANES]]; FAST_ROWS] = array::from_fn(|r| rows[r].as_chunks().0);
        for (c, x) in x_chunks.iter().enumerate() {
            for r in 0..FAST_ROWS {
                let w = &row_chunks[r][c];
                for k in 0..LANES {
                    lanes[r][k] += w[k] * x[k];
                }
            }
        }
        for r in 0..FAST_ROWS {
            let tail_start = I - x_tail.len();
            let tail = rows[r][tail_start..]
                .iter()
                .zip(x_tail)
                .map(|(w, x)| w * x)
                .sum::<f32>();
            z[r] += reduce(lanes[r]) + tail;
        }
    }
    for (row, z) in rest.iter().zip(z_rest) {
        *z += dot_fast(row, x);
    }
    z
}

/// How the loss flows back through a layer: `up_i = sum_j w[j][i] delta_j`, over `j` in order
/// from the first term (the generated code's order). The inner loop walks a row, so it
/// vectorises without reordering anything. `O` must not be 0.
#[inline]
pub fn back<const I: usize, const O: usize>(weights: &[[f32; I]; O], delta: &[f32; O]) -> [f32; I] {
    let mut up = weights[0].map(|w| w * delta[0]);
    for (row, &delta) in weights.iter().zip(delta).skip(1) {
        for (up, &w) in up.iter_mut().zip(row) {
            *up += w * delta;
        }
    }
    up
}

/// One step of gradient descent fused with the gradient's outer product, never storing the
/// gradient: `w[j][i] -= lr * (delta_j * x_i)`, `b_j -= lr * delta_j`. The same numbers as a
/// gradient followed by a step.
#[inline]
pub fn descend_outer<const I: usize, const O: usize>(
    weights: &mut [[f32; I]; O],
    bias: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
    learning_rate: f32,
) {
    for (row, &delta) in weights.iter_mut().zip(delta) {
        for (w, &x) in row.iter_mut().zip(x) {
            *w -= learning_rate * (delta * x);
        }
    }
    for (b, &delta) in bias.iter_mut().zip(delta) {
        *b -= learning_rate * delta;
    }
}

/// Adds one sample's outer product to a gradient: `g[j][i] += delta_j * x_i`, `gb_j += delta_j`.
#[inline]
pub fn accumulate_outer<const I: usize, const O: usize>(
    weights: &mut [[f32; I]; O],
    bias: &mut [f32; O],
    delta: &[f32; O],
    x: &[f32; I],
) {
    for (row, &delta) in weights.iter_mut().zip(delta) {
        for (g, &x) in row.iter_mut().zip(x) {
            *g += delta * x;
        }
    }
    for (b, &delta) in bias.iter_mut().zip(delta) {
        *b += delta;
    }
}

/// Samples of a batch whose sums run side by side in [`affine_batch`], as the lanes of a vector.
pub const BATCH_LANES: usize = 8;

/// Rows of [`affine_batch`] computed together.
const BATCH_ROWS: usize = 4;

/// `z[s][j] = sum_i w[j][i] x[s][i] + b_j` for `BATCH_LANES` samples at once, every sum in the
/// canonical order (bit-identical to [`affine_ordered`] per sample): the samples, not the terms
/// of one sum, are what runs in parallel. `x` is transposed first (`x_t[i][s]`), so the inner
/// loop is one weight times a contiguous vector of samples, added to lane `i % 8` of each sample,
/// for `BATCH_ROWS` rows at once.
#[inline]
pub fn affine_batch<const I: usize, const O: usize>(
    weights: &[[f32; I]; O],
    bias: &[f32; O],
    x_t: &[[f32; BATCH_LANES]; I],
    z: &mut [[f32; O]; BATCH_LANES],
) {
    let (blocks, rest) = weights.as_chunks::<BATCH_ROWS>();
    for (block, rows) in blocks.iter().enumerate() {
        let mut lanes = [[[-0.0_f32; BATCH_LANES]; canonical::LANES]; BATCH_ROWS];
        for (i, x) in x_t.iter().enumerate() {
            for (lanes, row) in lanes.iter_mut().zip(rows) {
                axpy(&mut lanes[i % canonical::LANES], row[i], x);
            }
        }
        for (r, lanes) in lanes.iter().enumerate() {
            let j = block * BATCH_ROWS + r;
            for (s, z) in z.iter_mut().enumerate() {
                z[j] = add_lanes(lanes, s) + bias[j];
            }
        }
    }
    for (r, row) in rest.iter().enumerate() {
        let j = blocks.len() * BATCH_ROWS + r;
        let mut lanes = [[-0.0_f32; BATCH_LANES]; canonical::LANES];
        for (i, x) in x_t.iter().enumerate() {
            axpy(&mut lanes[i % canonical::LANES], row[i], x);
        }
        for (s, z) in z.iter_mut().enumerate() {
            z[j] = add_lanes(&lanes, s) + bias[j];
        }
    }
}

/// Sample `s`'s lanes added left to right.
#[inline]
fn add_lanes(lanes: &[[f32; BATCH_LANES]; canonical::LANES], s: usize) -> f32 {
    let mut sum = lanes[0][s];
    for lane in &lanes[1..] {
        sum += lane[s];
    }
    sum
}

/// `sums += w * x`, lane by lane.
#[inline]
fn axpy<const N: usize>(sums: &mut [f32; N], w: f32, x: &[f32; N]) {
    for (sum, x) in sums.iter_mut().zip(x) {
        *sum += w * x;
    }
}

/// `x_t[i][s] = x[s][i]`: a block of samples, transposed for [`affine_batch`].
#[inline]
pub fn transpose<const I: usize>(x: &[[f32; I]; BATCH_LANES], x_t: &mut [[f32; BATCH_LANES]; I]) {
    for (i, column) in x_t.iter_mut().enumerate() {
        for (s, value) in column.iter_mut().enumerate() {
            *value = x[s][i];
        }
    }
}

/// Columns of a gradient row that [`descend_batch_outer`] keeps in registers while it sums over
/// the samples.
const BATCH_COLUMNS: usize = 32;

/// A batch's mean outer product, fused with a step of gradient descent:
/// `w[j][i] -= lr * ((sum_s delta[s][j] x[s][i]) / count)`, the sum over the samples in order from
/// zero (as summing per-sample gradients into a zeroed gradient does), so bit-identical to the
/// generated per-sample loop. Each block of a row is summed in registers over every sample, then
/// written once.
#[inline]
pub fn descend_batch_outer<const I: usize, const O: usize>(
    weights: &mut [[f32; I]; O],
    bias: &mut [f32; O],
    deltas: &[[f32; O]],
    x: &[[f32; I]],
    learning_rate: f32,
) {
    #[allow(
        clippy::cast_precision_loss,
        reason = "a batch has far fewer than 2^24 samples"
    )]
    let count = deltas.len() as f32;
    for (j, row) in weights.iter_mut().enumerate() {
        let (chunks, tail) = row.as_chunks_mut::<BATCH_COLUMNS>();
        for (c, chunk) in chunks.iter_mut().enumerate() {
            let mut sums = [0.0_f32; BATCH_COLUMNS];
            for (delta, x) in deltas.iter().zip(x) {
                let delta = delta[j];
                let x = &x.as_chunks::<BATCH_COLUMNS>().0[c];
                for k in 0..BATCH_COLUMNS {
                    sums[k] += delta * x[k];
                }
            }
            for (w, sum) in chunk.iter_mut().zip(sums) {
                *w -= learning_rate * (sum / count);
            }
        }
        let tail_start = I - tail.len();
        for (i, w) in tail.iter_mut().enumerate() {
            let mut sum = 0.0_f32;
            for (delta, x) in deltas.iter().zip(x) {
                sum += delta[j] * x[tail_start + i];
            }
            *w -= learning_rate * (sum / count);
        }
    }
    for (j, b) in bias.iter_mut().enumerate() {
        let mut sum = 0.0_f32;
        for delta in deltas {
            sum += delta[j];
        }
        *b -= learning_rate * (sum / count);
    }
}
