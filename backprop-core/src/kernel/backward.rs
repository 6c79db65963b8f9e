//! The backward kernel: `upstream_i = sum_j w_ji delta_j`, over `j` in order from the first
//! term, for a batch of samples (one sample is a batch of one).
//!
//! A tile of `S` samples and `W` columns keeps its `S * W` sums in registers and walks down the
//! rows: per row it loads `W` weights once for the `S` samples, and each sum grows term by term
//! in row order, so vectorising along the columns changes no sum's order.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::LANES;
use super::dispatch::{Arch, Isa, Kernel, run};
use crate::{Dense, Scalar};

/// `upstream[s] = sum_j weights[j] * deltas[s][j]` for every sample. A layer with no nodes gives
/// zeros.
///
/// # Panics
///
/// If `deltas` and `upstream` differ in length.
#[inline]
pub(super) fn batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    deltas: &[[T; O]],
    upstream: &mut [[T; I]],
) {
    assert_eq!(deltas.len(), upstream.len(), "one upstream slope per delta");
    if O == 0 {
        upstream.fill([T::ZERO; I]);
        return;
    }
    run(
        isa,
        Backward {
            weights: &layer.weights,
            deltas,
            upstream,
        },
    );
}

/// The arguments of [`batch`].
struct Backward<'a, T, const I: usize, const O: usize> {
    weights: &'a [[T; I]; O],
    deltas: &'a [[T; O]],
    upstream: &'a mut [[T; I]],
}

impl<T: Scalar, const I: usize, const O: usize> Kernel for Backward<'_, T, I, O> {
    type Output = ();

    #[inline(always)]
    fn run<A: Arch>(mut self, arch: A) {
        // 12 sums of 256 bits in registers: 3 samples x 32 columns of f32, 3 x 16 of f64. One
        // sample: 64 columns of f32, 32 of f64.
        let f32 = size_of::<T>() == 4;
        if let ([delta], [upstream]) = (self.deltas, &mut *self.upstream) {
            let delta = core::array::from_ref(delta);
            if f32 {
                columns::<T, I, O, 1, 32>(arch, self.weights, delta, [upstream]);
            } else {
                columns::<T, I, O, 1, 16>(arch, self.weights, delta, [upstream]);
            }
        } else if f32 {
            samples::<T, I, O, 3, 32>(arch, &mut self);
        } else {
            samples::<T, I, O, 3, 16>(arch, &mut self);
        }
    }
}

/// The batch, `S` samples at a time, the samples left over one at a time.
#[inline(always)]
fn samples<T: Scalar, const I: usize, const O: usize, const S: usize, const W: usize>(
    arch: impl Arch,
    backward: &mut Backward<'_, T, I, O>,
) {
    let (delta_blocks, delta_rest) = backward.deltas.as_chunks::<S>();
    let (upstream_blocks, upstream_rest) = backward.upstream.as_chunks_mut::<S>();
    for (deltas, upstream) in delta_blocks.iter().zip(upstream_blocks) {
        columns::<T, I, O, S, W>(arch, backward.weights, deltas, upstream.each_mut());
    }
    for (delta, upstream) in delta_rest.iter().zip(upstream_rest) {
        let delta = core::array::from_ref(delta);
        columns::<T, I, O, 1, W>(arch, backward.weights, delta, [upstream]);
    }
}

/// `S` samples, `W` columns at a time, then `LANES`, then one.
#[inline(always)]
fn columns<T: Scalar, const I: usize, const O: usize, const S: usize, const W: usize>(
    arch: impl Arch,
    weights: &[[T; I]; O],
    deltas: &[[T; O]; S],
    mut upstream: [&mut [T; I]; S],
) {
    let mut start = 0;
    while start + W <= I {
        store(
            &mut upstream,
            start,
            tile::<T, I, O, S, W>(arch, weights, deltas, start),
        );
        start += W;
    }
    while start + LANES <= I {
        store(
            &mut upstream,
            start,
            tile::<T, I, O, S, LANES>(arch, weights, deltas, start),
        );
        start += LANES;
    }
    while start < I {
        store(
            &mut upstream,
            start,
            tile::<T, I, O, S, 1>(arch, weights, deltas, start),
        );
        start += 1;
    }
}

/// The sums of columns `start..start + W` for `S` samples, each over the rows in order. Each
/// starts at `-0.0`, which adding the first term turns into exactly that term.
#[inline(always)]
fn tile<T: Scalar, const I: usize, const O: usize, const S: usize, const W: usize>(
    arch: impl Arch,
    weights: &[[T; I]; O],
    deltas: &[[T; O]; S],
    start: usize,
) -> [[T; W]; S] {
    if let Some(sums) = arch.backward_tile(weights, deltas, start) {
        return sums;
    }
    let mut sums = [[-T::ZERO; W]; S];
    for (j, row) in weights.iter().enumerate() {
        let row = window::<T, W>(row, start);
        for (sums, delta) in sums.iter_mut().zip(deltas) {
            let delta_j = delta[j];
            for (sum, &weight) in sums.iter_mut().zip(row) {
                *sum += weight * delta_j;
            }
        }
    }
    sums
}

/// Writes a tile's sums to columns `start..start + W` of each sample.
#[inline(always)]
fn store<T: Scalar, const I: usize, const S: usize, const W: usize>(
    upstream: &mut [&mut [T; I]; S],
    start: usize,
    sums: [[T; W]; S],
) {
    for (upstream, sums) in upstream.iter_mut().zip(sums) {
        upstream[start..start + W].copy_from_slice(&sums);
    }
}

/// `row[start..start + W]` as an array.
#[inline(always)]
pub(super) fn window<T, const W: usize>(row: &[T], start: usize) -> &[T; W] {
    row[start..]
        .first_chunk()
        .expect("the window lies inside the row")
}
