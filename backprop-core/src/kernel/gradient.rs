//! The gradient kernel: `g_ji += delta_j a_i` and `g_j += delta_j` for each sample of a batch, in
//! sample order, as one `add_gradient` per sample adds them.
//!
//! A tile of `R` rows and `W` columns of the gradient is loaded into registers once, every
//! sample's products are added to it in order, and it is stored once: the same additions in the
//! same order as sample by sample, without reading and writing the gradient once per sample.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::LANES;
use super::backward::{VECTORS, window};
use super::dispatch::{Element, Isa, Kernel, TILES, Vector};
use super::walk::{Steps, walk};
use crate::Scalar;

/// [`add_outer`](super::add_outer): every sample's `delta_j a_i` added to `gradient` and its
/// `delta_j` to `bias`, in sample order.
#[inline(always)]
pub(super) fn add_outer<T: Element>(
    isa: Isa,
    gradient: &mut [T],
    bias: &mut [T],
    columns: usize,
    deltas: &[T],
    inputs: &[T],
) {
    let rows = bias.len();
    assert_eq!(
        gradient.len(),
        rows * columns,
        "one row of the gradient per bias"
    );
    if rows == 0 {
        assert!(deltas.is_empty(), "no deltas without rows");
        return;
    }
    // One sample needs no division.
    let samples = if deltas.len() == rows {
        1
    } else {
        assert!(deltas.len().is_multiple_of(rows), "whole samples of deltas");
        deltas.len() / rows
    };
    assert!(inputs.len() == samples * columns, "one delta per input");
    if columns > 0 {
        let samples = Samples {
            rows,
            columns,
            deltas,
            inputs,
        };
        if TILES {
            tiles(isa, gradient, samples);
        } else {
            row_by_row(gradient, samples);
        }
    }
    for delta in deltas.chunks_exact(rows) {
        for (bias, &delta_j) in bias.iter_mut().zip(delta) {
            *bias += delta_j;
        }
    }
}

/// The weights' part of [`add_outer`] in tiles of 8-lane vectors: where the target has a vector
/// unit, and in the tests everywhere, against [`row_by_row`].
#[inline(always)]
pub(super) fn tiles<T: Element>(isa: Isa, weights: &mut [T], samples: Samples<'_, T>) {
    T::run(isa, Gradient { weights, samples });
}

/// The weights' part of [`add_outer`] without tiles, for cores with no vector unit: sample by
/// sample, each row of the gradient streamed once, as one `add_gradient` per sample adds it.
pub(super) fn row_by_row<T: Scalar>(weights: &mut [T], samples: Samples<'_, T>) {
    let Samples {
        rows,
        columns,
        deltas,
        inputs,
    } = samples;
    for (delta, input) in deltas.chunks_exact(rows).zip(inputs.chunks_exact(columns)) {
        for (row, &delta_j) in weights.chunks_exact_mut(columns).zip(delta) {
            for (slope, &value) in row.iter_mut().zip(input) {
                *slope += delta_j * value;
            }
        }
    }
}

/// The weights' part of [`add_outer`], as a kernel.
struct Gradient<'a, T> {
    weights: &'a mut [T],
    samples: Samples<'a, T>,
}

/// The samples of [`add_outer`], with at least one row and one column.
#[derive(Clone, Copy)]
pub(super) struct Samples<'a, T> {
    /// The gradient's rows, one delta each per sample.
    pub rows: usize,
    /// The gradient's columns, one input each per sample.
    pub columns: usize,
    /// The samples' deltas one after the other.
    pub deltas: &'a [T],
    /// The samples' inputs one after the other.
    pub inputs: &'a [T],
}

impl<T: Scalar> Kernel<T> for Gradient<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run<A: Vector<T>>(self, arch: A) {
        // One sample: each row streamed once, as `add_gradient` always did.
        let samples = self.samples;
        if samples.deltas.len() == samples.rows {
            let rows = self.weights.chunks_exact_mut(samples.columns);
            for (row, &delta_j) in rows.zip(samples.deltas) {
                for (slope, &value) in row.iter_mut().zip(samples.inputs) {
                    *slope += delta_j * value;
                }
            }
        } else {
            let mut steps = Columns {
                arch,
                weights: self.weights,
                samples,
            };
            if size_of::<T>() == 4 {
                walk::<24, LANES>(samples.columns, &mut steps);
            } else {
                walk::<16, LANES>(samples.columns, &mut steps);
            }
        }
    }
}

/// The walk over the columns.
struct Columns<'a, T, A> {
    arch: A,
    weights: &'a mut [T],
    samples: Samples<'a, T>,
}

impl<T: Scalar, A: Vector<T>> Steps for Columns<'_, T, A> {
    /// Columns `start..start + W` of every row (whose inputs then stay in cache), a block of
    /// rows at a time. The sums, one sample's inputs of the strip, a broadcast delta and a
    /// product fit the 16 registers of 256 bits without spilling: 3 rows x 24 columns of `f32`,
    /// 2 x 16 of `f64`.
    #[inline(always)]
    fn step<const W: usize>(&mut self, start: usize) {
        let mut steps = Rows::<T, A, W> {
            arch: self.arch,
            weights: &mut *self.weights,
            samples: self.samples,
            start,
        };
        if size_of::<T>() == 4 {
            walk::<3, 1>(self.samples.rows, &mut steps);
        } else {
            walk::<2, 1>(self.samples.rows, &mut steps);
        }
    }
}

/// The walk over the rows, for columns `start..start + W`.
struct Rows<'a, T, A, const W: usize> {
    arch: A,
    weights: &'a mut [T],
    samples: Samples<'a, T>,
    start: usize,
}

impl<T: Scalar, A: Vector<T>, const W: usize> Steps for Rows<'_, T, A, W> {
    /// Rows `first..first + R`.
    #[inline(always)]
    fn step<const R: usize>(&mut self, first: usize) {
        let columns = self.samples.columns;
        let block = &mut self.weights[first * columns..(first + R) * columns];
        tile::<T, A, R, W>(self.arch, block, self.samples, first, self.start);
    }
}

/// Columns `start..start + W` of the `R` rows of `block`, rows `first..first + R` of the
/// gradient: every sample's `delta_j a_i` added in sample order. `W` is a multiple of [`LANES`]
/// up to `VECTORS * LANES` (vectors of lanes), or less than [`LANES`] (plain scalars).
#[allow(
    clippy::needless_range_loop,
    reason = "constant-count loops over rows and vectors unroll, keeping every sum in a register"
)]
#[inline(always)]
fn tile<T: Scalar, A: Vector<T>, const R: usize, const W: usize>(
    arch: A,
    block: &mut [T],
    samples: Samples<'_, T>,
    first: usize,
    start: usize,
) {
    let (rows, columns) = (samples.rows, samples.columns);
    let each = samples
        .deltas
        .chunks_exact(rows)
        .zip(samples.inputs.chunks_exact(columns));
    if W < LANES {
        let mut sums = [[T::ZERO; W]; R];
        for (r, sums) in sums.iter_mut().enumerate() {
            *sums = *window(&block[r * columns..], start);
        }
        for (delta, input) in each {
            let input = window::<T, W>(input, start);
            for (r, sums) in sums.iter_mut().enumerate() {
                let delta_j = delta[first + r];
                for (sum, &value) in sums.iter_mut().zip(input) {
                    *sum += delta_j * value;
                }
            }
        }
        for (r, sums) in sums.iter().enumerate() {
            block[r * columns + start..][..W].copy_from_slice(sums);
        }
        return;
    }
    let vectors = W / LANES;
    assert!(
        W.is_multiple_of(LANES) && vectors <= VECTORS,
        "a tile of whole vectors"
    );
    let mut sums = [[arch.splat(T::ZERO); VECTORS]; R];
    for r in 0..R {
        let row = window::<T, W>(&block[r * columns..], start)
            .as_chunks::<LANES>()
            .0;
        for v in 0..vectors {
            sums[r][v] = arch.load(&row[v]);
        }
    }
    for (delta, input) in each {
        let input = window::<T, W>(input, start).as_chunks::<LANES>().0;
        let mut x = [arch.splat(T::ZERO); VECTORS];
        for v in 0..vectors {
            x[v] = arch.load(&input[v]);
        }
        for r in 0..R {
            let delta_j = arch.splat(delta[first + r]);
            for v in 0..vectors {
                sums[r][v] = arch.add(sums[r][v], arch.mul(delta_j, x[v]));
            }
        }
    }
    for r in 0..R {
        let row = block[r * columns + start..][..W].as_chunks_mut::<LANES>().0;
        for v in 0..vectors {
            row[v] = arch.store(sums[r][v]);
        }
    }
}
