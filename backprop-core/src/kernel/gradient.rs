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
use super::backward::window;
use super::dispatch::{Arch, Isa, Kernel, run};
use crate::{Dense, Scalar};

/// Adds every sample's gradient to `gradient`, in order.
///
/// # Panics
///
/// If `deltas` and `inputs` differ in length.
#[inline]
pub(super) fn batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    gradient: &mut Dense<T, I, O>,
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    assert_eq!(deltas.len(), inputs.len(), "one delta per input");
    run(
        isa,
        Gradient {
            sum: gradient,
            deltas,
            inputs,
        },
    );
}

/// The arguments of [`batch`].
struct Gradient<'a, T, const I: usize, const O: usize> {
    sum: &'a mut Dense<T, I, O>,
    deltas: &'a [[T; O]],
    inputs: &'a [[T; I]],
}

impl<T: Scalar, const I: usize, const O: usize> Kernel for Gradient<'_, T, I, O> {
    type Output = ();

    #[inline(always)]
    fn run<A: Arch>(self, arch: A) {
        // 12 sums of 256 bits in registers: 3 rows x 32 columns of f32, 3 x 16 of f64. One
        // sample: each row streamed once, as `add_gradient` always did.
        if let ([delta], [input]) = (self.deltas, self.inputs) {
            for (row, &delta_j) in self.sum.weights.iter_mut().zip(delta) {
                for (slope, &value) in row.iter_mut().zip(input) {
                    *slope += delta_j * value;
                }
            }
        } else if size_of::<T>() == 4 {
            rows::<T, I, O, 3, 32>(arch, &mut self.sum.weights, self.deltas, self.inputs);
        } else {
            rows::<T, I, O, 3, 16>(arch, &mut self.sum.weights, self.deltas, self.inputs);
        }
        for delta in self.deltas {
            for (bias, &delta_j) in self.sum.bias.iter_mut().zip(delta) {
                *bias += delta_j;
            }
        }
    }
}

/// The weights, `W` columns at a time, then `LANES`, then one; for each block of columns (whose
/// inputs then stay in cache), `R` rows at a time, the rows left over one at a time.
#[inline(always)]
fn rows<T: Scalar, const I: usize, const O: usize, const R: usize, const W: usize>(
    arch: impl Arch,
    weights: &mut [[T; I]; O],
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    let mut start = 0;
    columns::<T, I, O, R, W>(arch, weights, deltas, inputs, &mut start);
    columns::<T, I, O, R, LANES>(arch, weights, deltas, inputs, &mut start);
    columns::<T, I, O, R, 1>(arch, weights, deltas, inputs, &mut start);
}

/// Columns `start..` of every row, `W` at a time while `W` are left.
#[inline(always)]
fn columns<T: Scalar, const I: usize, const O: usize, const R: usize, const W: usize>(
    arch: impl Arch,
    weights: &mut [[T; I]; O],
    deltas: &[[T; O]],
    inputs: &[[T; I]],
    start: &mut usize,
) {
    while *start + W <= I {
        let (blocks, rest) = weights.as_chunks_mut::<R>();
        let first = blocks.len() * R;
        for (block, rows) in blocks.iter_mut().enumerate() {
            tile::<T, I, O, R, W>(arch, rows, block * R, *start, deltas, inputs);
        }
        for (r, row) in rest.iter_mut().enumerate() {
            let row = core::array::from_mut(row);
            tile::<T, I, O, 1, W>(arch, row, first + r, *start, deltas, inputs);
        }
        *start += W;
    }
}

/// Columns `start..start + W` of rows `first..first + R`: every sample's `delta_j a_i` added in
/// sample order.
#[inline(always)]
fn tile<T: Scalar, const I: usize, const O: usize, const R: usize, const W: usize>(
    arch: impl Arch,
    rows: &mut [[T; I]; R],
    first: usize,
    start: usize,
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    if arch.gradient_tile::<T, I, O, R, W>(rows, first, start, deltas, inputs) {
        return;
    }
    let mut sums: [[T; W]; R] = core::array::from_fn(|r| *window(&rows[r], start));
    for (delta, input) in deltas.iter().zip(inputs) {
        let input = window::<T, W>(input, start);
        for (r, sums) in sums.iter_mut().enumerate() {
            let delta_j = delta[first + r];
            for (sum, &value) in sums.iter_mut().zip(input) {
                *sum += delta_j * value;
            }
        }
    }
    for (row, sums) in rows.iter_mut().zip(sums) {
        row[start..start + W].copy_from_slice(&sums);
    }
}
