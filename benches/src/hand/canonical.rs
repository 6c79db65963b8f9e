//! A layer's three operations written the way a person would write them in plain Rust (no SIMD
//! intrinsics, no `unsafe`), in the runtime's canonical summation order, so they compute the bits
//! `backprop_core::Dense` computes: the references of `benches/kernels.rs`.
//!
//! The forward dot products keep 8 partial sums (lane `k` adds inputs `k, k + 8, ...` in order,
//! from `-0.0`, which adding the first product turns into exactly it), then add the lanes left to
//! right, then the bias: in two forms, one row at a time and four rows at a time (each chunk of
//! the input loaded once for four rows). The backward pass adds whole rows of weights times a
//! delta, row by row; the gradient adds each sample's outer product in sample order.

#![allow(
    clippy::needless_range_loop,
    reason = "index loops over rows and lanes, as a person writes a kernel"
)]

use backprop_core::Scalar;

/// Partial sums of a forward dot product: `backprop_core::kernel::LANES`.
pub const LANES: usize = 8;

/// Rows of [`affine_blocked`] summed together.
const ROWS: usize = 4;

/// `sum_i w_i x_i` in the canonical order, without the bias.
#[inline]
pub fn dot<T: Scalar, const I: usize>(w: &[T; I], x: &[T; I]) -> T {
    let mut lanes = [-T::ZERO; LANES];
    let (w_chunks, w_tail) = w.as_chunks::<LANES>();
    let (x_chunks, x_tail) = x.as_chunks::<LANES>();
    for (w, x) in w_chunks.iter().zip(x_chunks) {
        for k in 0..LANES {
            lanes[k] += w[k] * x[k];
        }
    }
    for (k, (&w, &x)) in w_tail.iter().zip(x_tail).enumerate() {
        lanes[k] += w * x;
    }
    let [first, rest @ ..] = lanes;
    rest.into_iter().fold(first, |sum, lane| sum + lane)
}

/// `z_j = sum_i w[j][i] x_i + b_j`, one row at a time.
#[inline]
pub fn affine_per_row<T: Scalar, const I: usize, const O: usize>(
    weights: &[[T; I]; O],
    bias: &[T; O],
    x: &[T; I],
    z: &mut [T; O],
) {
    for j in 0..O {
        z[j] = dot(&weights[j], x) + bias[j];
    }
}

/// `z_j = sum_i w[j][i] x_i + b_j`, four rows at a time sharing each chunk of `x`.
#[inline]
pub fn affine_blocked<T: Scalar, const I: usize, const O: usize>(
    weights: &[[T; I]; O],
    bias: &[T; O],
    x: &[T; I],
    z: &mut [T; O],
) {
    let (blocks, rest) = weights.as_chunks::<ROWS>();
    let (x_chunks, x_tail) = x.as_chunks::<LANES>();
    let tail = I - x_tail.len();
    for (b, rows) in blocks.iter().enumerate() {
        let mut lanes = [[-T::ZERO; LANES]; ROWS];
        for (c, x) in x_chunks.iter().enumerate() {
            for r in 0..ROWS {
                let w = &rows[r].as_chunks::<LANES>().0[c];
                for k in 0..LANES {
                    lanes[r][k] += w[k] * x[k];
                }
            }
        }
        for r in 0..ROWS {
            for (k, &x) in x_tail.iter().enumerate() {
                lanes[r][k] += rows[r][tail + k] * x;
            }
            let [first, rest @ ..] = lanes[r];
            let j = b * ROWS + r;
            z[j] = rest.into_iter().fold(first, |sum, lane| sum + lane) + bias[j];
        }
    }
    let first = blocks.len() * ROWS;
    for (r, row) in rest.iter().enumerate() {
        z[first + r] = dot(row, x) + bias[first + r];
    }
}

/// `up_i = sum_j w[j][i] delta_j`, row by row from the first (the sums vectorise along `i`).
#[inline]
pub fn back<T: Scalar, const I: usize, const O: usize>(
    weights: &[[T; I]; O],
    delta: &[T; O],
    up: &mut [T; I],
) {
    *up = [-T::ZERO; I];
    for (row, &delta) in weights.iter().zip(delta) {
        for (up, &w) in up.iter_mut().zip(row) {
            *up += w * delta;
        }
    }
}

/// Adds one sample's gradient: `g[j][i] += delta_j x_i`, `gb_j += delta_j`.
#[inline]
pub fn accumulate<T: Scalar, const I: usize, const O: usize>(
    weights: &mut [[T; I]; O],
    bias: &mut [T; O],
    delta: &[T; O],
    x: &[T; I],
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
