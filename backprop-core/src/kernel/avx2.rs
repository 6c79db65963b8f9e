//! The forward lane sums in explicit 256-bit vectors, for `f32` and `f64` (through `pulp`'s safe
//! AVX2 operations): left to the compiler, the loops over rows and samples vectorise across the
//! wrong axis and spend their time shuffling.
//!
//! A lane chunk of 8 `f32` is one vector, of 8 `f64` two; each addition and multiplication is the
//! same IEEE operation on each lane as the portable code's, so the bits are the same.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]
#![allow(
    clippy::needless_range_loop,
    reason = "constant-count loops over rows and samples unroll, keeping every sum in a register"
)]

use core::any::Any;

use pulp::x86::V3;
use pulp::{Simd, cast, f32x8, f64x4};

use super::LANES;
use super::dispatch::{Arch, Portable};
use crate::Scalar;

/// AVX2, as detected at run time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2(pub(crate) V3);

impl Arch for Avx2 {
    #[inline(always)]
    fn forward_lanes<T: Scalar, const I: usize, const R: usize, const S: usize>(
        self,
        rows: &[[T; I]; R],
        inputs: &[[T; I]; S],
    ) -> [[[T; LANES]; S]; R] {
        // `T` is `f32` or `f64` (`Scalar` is sealed); the checks fold away at compile time.
        if let (Some(rows), Some(inputs)) = (same(rows), same(inputs))
            && let Some(&lanes) = same(&lanes_f32::<I, R, S>(self.0, rows, inputs))
        {
            return lanes;
        }
        if let (Some(rows), Some(inputs)) = (same(rows), same(inputs))
            && let Some(&lanes) = same(&lanes_f64::<I, R, S>(self.0, rows, inputs))
        {
            return lanes;
        }
        Portable.forward_lanes(rows, inputs)
    }

    #[inline(always)]
    fn backward_tile<T: Scalar, const I: usize, const O: usize, const S: usize, const W: usize>(
        self,
        weights: &[[T; I]; O],
        deltas: &[[T; O]; S],
        start: usize,
    ) -> Option<[[T; W]; S]> {
        if !W.is_multiple_of(LANES) || W > VECTORS * LANES {
            return None;
        }
        if let (Some(weights), Some(deltas)) = (same(weights), same(deltas)) {
            return same(&backward_f32::<I, O, S, W>(self.0, weights, deltas, start)).copied();
        }
        if let (Some(weights), Some(deltas)) = (same(weights), same(deltas)) {
            return same(&backward_f64::<I, O, S, W>(self.0, weights, deltas, start)).copied();
        }
        None
    }

    #[inline(always)]
    fn gradient_tile<T: Scalar, const I: usize, const O: usize, const R: usize, const W: usize>(
        self,
        rows: &mut [[T; I]; R],
        first: usize,
        start: usize,
        deltas: &[[T; O]],
        inputs: &[[T; I]],
    ) -> bool {
        if !W.is_multiple_of(LANES) || W > VECTORS * LANES {
            return false;
        }
        if let Some(rows) = same_mut::<_, [[f32; I]; R]>(rows) {
            let samples = deltas
                .iter()
                .zip(inputs)
                .filter_map(|(d, x)| same(d).zip(same(x)));
            gradient_f32::<I, O, R, W>(self.0, rows, first, start, samples);
            return true;
        }
        if let Some(rows) = same_mut::<_, [[f64; I]; R]>(rows) {
            let samples = deltas
                .iter()
                .zip(inputs)
                .filter_map(|(d, x)| same(d).zip(same(x)));
            gradient_f64::<I, O, R, W>(self.0, rows, first, start, samples);
            return true;
        }
        false
    }
}

/// The most 8-lane chunks of columns a backward or gradient tile holds per row or sample.
const VECTORS: usize = 4;

/// `value` as a `B`, if `A` is `B`.
#[inline(always)]
fn same_mut<A: 'static, B: 'static>(value: &mut A) -> Option<&mut B> {
    (value as &mut dyn Any).downcast_mut()
}

/// Chunk `v` of columns `start..` of `row`, as 8 lanes.
#[inline(always)]
fn chunk<T: Copy, const I: usize>(row: &[T; I], start: usize, v: usize) -> [T; LANES] {
    *row[start + v * LANES..]
        .first_chunk()
        .expect("the chunk lies inside the row")
}

/// [`Arch::backward_tile`] for `f32`: `W / 8` vectors per sample.
#[inline(always)]
fn backward_f32<const I: usize, const O: usize, const S: usize, const W: usize>(
    simd: V3,
    weights: &[[f32; I]; O],
    deltas: &[[f32; O]; S],
    start: usize,
) -> [[f32; W]; S] {
    let vectors = W / LANES;
    let mut sums = [[simd.splat_f32s(-0.0); VECTORS]; S];
    for (j, row) in weights.iter().enumerate() {
        let mut w = [simd.splat_f32s(0.0); VECTORS];
        for v in 0..vectors {
            w[v] = cast::<[f32; LANES], f32x8>(chunk(row, start, v));
        }
        for s in 0..S {
            let delta = simd.splat_f32s(deltas[s][j]);
            for v in 0..vectors {
                sums[s][v] = simd.add_f32s(sums[s][v], simd.mul_f32s(w[v], delta));
            }
        }
    }
    let mut out = [[0.0; W]; S];
    for s in 0..S {
        for v in 0..vectors {
            let lanes: [f32; LANES] = cast(sums[s][v]);
            out[s][v * LANES..(v + 1) * LANES].copy_from_slice(&lanes);
        }
    }
    out
}

/// [`Arch::backward_tile`] for `f64`: `W / 4` vectors per sample.
#[inline(always)]
fn backward_f64<const I: usize, const O: usize, const S: usize, const W: usize>(
    simd: V3,
    weights: &[[f64; I]; O],
    deltas: &[[f64; O]; S],
    start: usize,
) -> [[f64; W]; S] {
    let vectors = W / LANES;
    let mut sums = [[[simd.splat_f64s(-0.0); 2]; VECTORS]; S];
    for (j, row) in weights.iter().enumerate() {
        let mut w = [[simd.splat_f64s(0.0); 2]; VECTORS];
        for v in 0..vectors {
            w[v] = cast::<[f64; LANES], [f64x4; 2]>(chunk(row, start, v));
        }
        for s in 0..S {
            let delta = simd.splat_f64s(deltas[s][j]);
            for v in 0..vectors {
                for half in 0..2 {
                    let product = simd.mul_f64s(w[v][half], delta);
                    sums[s][v][half] = simd.add_f64s(sums[s][v][half], product);
                }
            }
        }
    }
    let mut out = [[0.0; W]; S];
    for s in 0..S {
        for v in 0..vectors {
            let lanes: [f64; LANES] = cast(sums[s][v]);
            out[s][v * LANES..(v + 1) * LANES].copy_from_slice(&lanes);
        }
    }
    out
}

/// [`Arch::gradient_tile`] for `f32`.
#[inline(always)]
fn gradient_f32<'a, const I: usize, const O: usize, const R: usize, const W: usize>(
    simd: V3,
    rows: &mut [[f32; I]; R],
    first: usize,
    start: usize,
    samples: impl Iterator<Item = (&'a [f32; O], &'a [f32; I])>,
) {
    let vectors = W / LANES;
    let mut sums = [[simd.splat_f32s(0.0); VECTORS]; R];
    for r in 0..R {
        for v in 0..vectors {
            sums[r][v] = cast::<[f32; LANES], f32x8>(chunk(&rows[r], start, v));
        }
    }
    for (delta, input) in samples {
        let mut x = [simd.splat_f32s(0.0); VECTORS];
        for v in 0..vectors {
            x[v] = cast::<[f32; LANES], f32x8>(chunk(input, start, v));
        }
        for r in 0..R {
            let delta_j = simd.splat_f32s(delta[first + r]);
            for v in 0..vectors {
                sums[r][v] = simd.add_f32s(sums[r][v], simd.mul_f32s(delta_j, x[v]));
            }
        }
    }
    for r in 0..R {
        for v in 0..vectors {
            let lanes: [f32; LANES] = cast(sums[r][v]);
            let at = start + v * LANES;
            rows[r][at..at + LANES].copy_from_slice(&lanes);
        }
    }
}

/// [`Arch::gradient_tile`] for `f64`.
#[inline(always)]
fn gradient_f64<'a, const I: usize, const O: usize, const R: usize, const W: usize>(
    simd: V3,
    rows: &mut [[f64; I]; R],
    first: usize,
    start: usize,
    samples: impl Iterator<Item = (&'a [f64; O], &'a [f64; I])>,
) {
    let vectors = W / LANES;
    let mut sums = [[[simd.splat_f64s(0.0); 2]; VECTORS]; R];
    for r in 0..R {
        for v in 0..vectors {
            sums[r][v] = cast::<[f64; LANES], [f64x4; 2]>(chunk(&rows[r], start, v));
        }
    }
    for (delta, input) in samples {
        let mut x = [[simd.splat_f64s(0.0); 2]; VECTORS];
        for v in 0..vectors {
            x[v] = cast::<[f64; LANES], [f64x4; 2]>(chunk(input, start, v));
        }
        for r in 0..R {
            let delta_j = simd.splat_f64s(delta[first + r]);
            for v in 0..vectors {
                for half in 0..2 {
                    let product = simd.mul_f64s(delta_j, x[v][half]);
                    sums[r][v][half] = simd.add_f64s(sums[r][v][half], product);
                }
            }
        }
    }
    for r in 0..R {
        for v in 0..vectors {
            let lanes: [f64; LANES] = cast(sums[r][v]);
            let at = start + v * LANES;
            rows[r][at..at + LANES].copy_from_slice(&lanes);
        }
    }
}

/// `value` as a `B`, if `A` is `B`.
#[inline(always)]
fn same<A: 'static, B: 'static>(value: &A) -> Option<&B> {
    (value as &dyn Any).downcast_ref()
}

/// [`Arch::forward_lanes`] for `f32`: one vector per lane chunk.
#[inline(always)]
fn lanes_f32<const I: usize, const R: usize, const S: usize>(
    simd: V3,
    rows: &[[f32; I]; R],
    inputs: &[[f32; I]; S],
) -> [[[f32; LANES]; S]; R] {
    let mut lanes = [[simd.splat_f32s(-0.0); S]; R];
    for chunk in 0..I / LANES {
        let mut x = [simd.splat_f32s(0.0); S];
        for s in 0..S {
            x[s] = cast::<[f32; LANES], f32x8>(inputs[s].as_chunks().0[chunk]);
        }
        for r in 0..R {
            let w = cast::<[f32; LANES], f32x8>(rows[r].as_chunks().0[chunk]);
            for s in 0..S {
                lanes[r][s] = simd.add_f32s(lanes[r][s], simd.mul_f32s(w, x[s]));
            }
        }
    }
    let mut out = [[[0.0; LANES]; S]; R];
    for r in 0..R {
        for s in 0..S {
            out[r][s] = cast(lanes[r][s]);
        }
    }
    out
}

/// [`Arch::forward_lanes`] for `f64`: two vectors per lane chunk.
#[inline(always)]
fn lanes_f64<const I: usize, const R: usize, const S: usize>(
    simd: V3,
    rows: &[[f64; I]; R],
    inputs: &[[f64; I]; S],
) -> [[[f64; LANES]; S]; R] {
    let mut lanes = [[[simd.splat_f64s(-0.0); 2]; S]; R];
    for chunk in 0..I / LANES {
        let mut x = [[simd.splat_f64s(0.0); 2]; S];
        for s in 0..S {
            x[s] = cast::<[f64; LANES], [f64x4; 2]>(inputs[s].as_chunks().0[chunk]);
        }
        for r in 0..R {
            let w = cast::<[f64; LANES], [f64x4; 2]>(rows[r].as_chunks().0[chunk]);
            for s in 0..S {
                for half in 0..2 {
                    let product = simd.mul_f64s(w[half], x[s][half]);
                    lanes[r][s][half] = simd.add_f64s(lanes[r][s][half], product);
                }
            }
        }
    }
    let mut out = [[[0.0; LANES]; S]; R];
    for r in 0..R {
        for s in 0..S {
            out[r][s] = cast(lanes[r][s]);
        }
    }
    out
}
