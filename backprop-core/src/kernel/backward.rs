//! The backward kernel: `upstream_i = sum_j w_ji delta_j`, over `j` in order from the first
//! term, for a batch of samples (one sample is a batch of one).
//!
//! A tile of `S` samples and `W` columns keeps its `S * W` sums in registers and walks down the
//! rows: per row it loads `W` weights once for the `S` samples, and each sum grows term by term
//! in row order, so vectorising along the columns changes no sum's order. The batch is walked a
//! strip of `W` columns at a time, every sample within a strip, so that the strip's weights are
//! read from memory once per batch.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::dispatch::{Element, Isa, Kernel, TILES, Vector};
use super::walk::{Steps, walk};
use super::{LANES, split};
use crate::Scalar;

/// [`transposed`](super::transposed): `upstream[s][i] = sum_j weights[j][i] * deltas[s][j]`.
/// No rows give zeros.
#[inline(always)]
pub(super) fn transposed<T: Element>(
    isa: Isa,
    weights: &[T],
    columns: usize,
    deltas: &[T],
    upstream: &mut [T],
) {
    if columns == 0 {
        assert!(weights.is_empty(), "no weights without columns");
        assert!(upstream.is_empty(), "no upstream slopes without columns");
        return;
    }
    // One sample needs no division.
    let (rows, samples) = if upstream.len() == columns {
        assert!(
            weights.len() == deltas.len() * columns,
            "one upstream slope per delta"
        );
        (deltas.len(), 1)
    } else {
        assert!(
            upstream.len().is_multiple_of(columns),
            "whole samples of upstream slopes"
        );
        assert!(
            weights.len().is_multiple_of(columns),
            "whole rows of weights"
        );
        let (rows, samples) = (weights.len() / columns, upstream.len() / columns);
        assert!(
            deltas.len() == samples * rows,
            "one upstream slope per delta"
        );
        (rows, samples)
    };
    if rows == 0 {
        upstream.fill(T::ZERO);
    } else if TILES {
        tiles(isa, weights, columns, rows, samples, deltas, upstream);
    } else {
        row_by_row(weights, columns, rows, deltas, upstream);
    }
}

/// [`transposed`] in tiles of 8-lane vectors, with at least one row and one column: where the
/// target has a vector unit, and in the tests everywhere, against [`row_by_row`].
#[inline(always)]
pub(super) fn tiles<T: Element>(
    isa: Isa,
    weights: &[T],
    columns: usize,
    rows: usize,
    samples: usize,
    deltas: &[T],
    upstream: &mut [T],
) {
    T::run(
        isa,
        Backward {
            weights,
            columns,
            rows,
            samples,
            deltas,
            upstream,
        },
    );
}

/// [`transposed`] without tiles, for cores with no vector unit: each sample's sums grown row by
/// row in place, the order of the definition. Each starts at `-0.0`, which adding the first term
/// turns into exactly that term, as in the tiles. At least one row and one column.
pub(super) fn row_by_row<T: Scalar>(
    weights: &[T],
    columns: usize,
    rows: usize,
    deltas: &[T],
    upstream: &mut [T],
) {
    let each = upstream
        .chunks_exact_mut(columns)
        .zip(deltas.chunks_exact(rows));
    for (upstream, delta) in each {
        upstream.fill(-T::ZERO);
        for (row, &delta_j) in weights.chunks_exact(columns).zip(delta) {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                *sum += weight * delta_j;
            }
        }
    }
}

/// The arguments of [`transposed`], with at least one row and one column.
struct Backward<'a, T> {
    weights: &'a [T],
    columns: usize,
    rows: usize,
    samples: usize,
    deltas: &'a [T],
    upstream: &'a mut [T],
}

impl<T: Scalar> Kernel<T> for Backward<'_, T> {
    type Output = ();

    /// A strip of columns at a time, and in each strip every sample, a few at a time: the
    /// strip's weights (`rows x W`) then stay in the first-level cache for the whole batch,
    /// read from memory once per batch instead of once per block of samples. The tiles keep
    /// their sums, the strip's weights of one row, a broadcast delta and a product in the 16
    /// registers of 256 bits without spilling: 3 samples x 24 columns of `f32`, 2 x 16 of
    /// `f64`; one sample: 32 columns of `f32`, 16 of `f64` (wider strips leave narrow layers to
    /// one vector at a time).
    #[inline(always)]
    fn run<A: Vector<T>>(self, arch: A) {
        let (f32, columns) = (size_of::<T>() == 4, self.columns);
        let mut steps = Strips {
            arch,
            backward: self,
        };
        if !f32 {
            walk::<16, LANES>(columns, &mut steps);
        } else if steps.backward.samples == 1 {
            walk::<32, LANES>(columns, &mut steps);
        } else {
            walk::<24, LANES>(columns, &mut steps);
        }
    }
}

/// The walk over the strips of columns.
struct Strips<'a, T, A> {
    arch: A,
    backward: Backward<'a, T>,
}

impl<T: Scalar, A: Vector<T>> Steps for Strips<'_, T, A> {
    /// Columns `start..start + W` of every sample.
    #[inline(always)]
    fn step<const W: usize>(&mut self, start: usize) {
        let backward = &mut self.backward;
        let samples = backward.samples;
        let mut steps = Samples::<T, A, W> {
            arch: self.arch,
            backward,
            start,
        };
        if size_of::<T>() == 4 {
            walk::<3, 1>(samples, &mut steps);
        } else {
            walk::<2, 1>(samples, &mut steps);
        }
    }
}

/// The walk over the samples, for columns `start..start + W`.
struct Samples<'a, 'b, T, A, const W: usize> {
    arch: A,
    backward: &'a mut Backward<'b, T>,
    start: usize,
}

impl<T: Scalar, A: Vector<T>, const W: usize> Steps for Samples<'_, '_, T, A, W> {
    /// Samples `first..first + S`.
    #[inline(always)]
    fn step<const S: usize>(&mut self, first: usize) {
        let backward = &mut *self.backward;
        let (rows, columns, start) = (backward.rows, backward.columns, self.start);
        let deltas = split::<T, S>(&backward.deltas[first * rows..], rows);
        let sums = tile::<T, A, S, W>(self.arch, backward.weights, columns, deltas, start);
        let upstream = &mut backward.upstream[first * columns..];
        for (s, sums) in sums.iter().enumerate() {
            upstream[s * columns + start..][..W].copy_from_slice(sums);
        }
    }
}

/// The most 8-lane chunks of columns a backward or gradient tile holds per row or sample.
pub(super) const VECTORS: usize = 4;

/// The sums of columns `start..start + W` for `S` samples, each over the rows in order. Each
/// starts at `-0.0`, which adding the first term turns into exactly that term. `W` is a multiple
/// of [`LANES`] up to `VECTORS * LANES` (vectors of lanes), or less than [`LANES`] (plain
/// scalars).
#[allow(
    clippy::needless_range_loop,
    reason = "constant-count loops over samples and vectors unroll, keeping every sum in a register"
)]
#[inline(always)]
fn tile<T: Scalar, A: Vector<T>, const S: usize, const W: usize>(
    arch: A,
    weights: &[T],
    columns: usize,
    deltas: [&[T]; S],
    start: usize,
) -> [[T; W]; S] {
    let rows = weights.chunks_exact(columns);
    let mut out = [[-T::ZERO; W]; S];
    if W < LANES {
        for (j, row) in rows.enumerate() {
            let row = window::<T, W>(row, start);
            for (sums, delta) in out.iter_mut().zip(deltas) {
                let delta_j = delta[j];
                for (sum, &weight) in sums.iter_mut().zip(row) {
                    *sum += weight * delta_j;
                }
            }
        }
        return out;
    }
    let vectors = W / LANES;
    assert!(
        W.is_multiple_of(LANES) && vectors <= VECTORS,
        "a tile of whole vectors"
    );
    let mut sums = [[arch.splat(-T::ZERO); VECTORS]; S];
    for (j, row) in rows.enumerate() {
        let row = window::<T, W>(row, start).as_chunks::<LANES>().0;
        let mut w = [arch.splat(T::ZERO); VECTORS];
        for v in 0..vectors {
            w[v] = arch.load(&row[v]);
        }
        for s in 0..S {
            let delta = arch.splat(deltas[s][j]);
            for v in 0..vectors {
                sums[s][v] = arch.add(sums[s][v], arch.mul(w[v], delta));
            }
        }
    }
    for s in 0..S {
        let out = out[s].as_chunks_mut::<LANES>().0;
        for v in 0..vectors {
            out[v] = arch.store(sums[s][v]);
        }
    }
    out
}

/// `row[start..start + W]` as an array.
#[inline(always)]
pub(super) fn window<T, const W: usize>(row: &[T], start: usize) -> &[T; W] {
    row[start..]
        .first_chunk()
        .expect("the window lies inside the row")
}
