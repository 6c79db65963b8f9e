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
        if let (Some(rows), Some(inputs)) = (same(rows), same(inputs)) {
            if let Some(&lanes) = same(&lanes_f32::<I, R, S>(self.0, rows, inputs)) {
                return lanes;
            }
        }
        if let (Some(rows), Some(inputs)) = (same(rows), same(inputs)) {
            if let Some(&lanes) = same(&lanes_f64::<I, R, S>(self.0, rows, inputs)) {
                return lanes;
            }
        }
        Portable.forward_lanes(rows, inputs)
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
