//! The 8-lane [`Vector`] in explicit 256-bit registers through `pulp`'s safe AVX2 operations:
//! one `f32x8` for `f32`, two `f64x4` for `f64`. Left to the compiler, the loops over rows and
//! samples vectorise across the wrong axis and spend their time shuffling.
//!
//! Each addition and multiplication is the same IEEE operation on each lane as the portable
//! code's, so the bits are the same.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

#[cfg(target_arch = "x86")]
use core::arch::x86::{__m256, __m256d};
#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::{__m256, __m256d};

use pulp::x86::V3;
use pulp::{Simd, cast, f32x8, f64x4};

use super::LANES;
use super::dispatch::Vector;

/// AVX2, as detected at run time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avx2(pub(crate) V3);

impl Vector<f32> for Avx2 {
    type Lanes = f32x8;

    #[inline(always)]
    fn splat(self, value: f32) -> f32x8 {
        self.0.splat_f32s(value)
    }

    #[inline(always)]
    fn load(self, values: &[f32; LANES]) -> f32x8 {
        cast(*values)
    }

    #[inline(always)]
    fn store(self, lanes: f32x8) -> [f32; LANES] {
        cast(lanes)
    }

    #[inline(always)]
    fn add(self, a: f32x8, b: f32x8) -> f32x8 {
        self.0.add_f32s(a, b)
    }

    #[inline(always)]
    fn mul(self, a: f32x8, b: f32x8) -> f32x8 {
        self.0.mul_f32s(a, b)
    }

    /// Eight vectors transposed (`rows[k]` holds lane `k` of every vector; moves only, so
    /// exact), then added `rows[0] + rows[1] + ...` left to right: the eight sums side by side.
    #[inline(always)]
    fn add_lanes<const N: usize>(self, vectors: [f32x8; N]) -> [f32; N] {
        let Ok(vectors) = <[f32x8; LANES]>::try_from(&vectors[..]) else {
            return add_lanes_one_by_one(self, vectors);
        };
        let avx = self.0.avx;
        let v: [__m256; LANES] = cast(vectors);
        let t = [
            avx._mm256_unpacklo_ps(v[0], v[1]),
            avx._mm256_unpackhi_ps(v[0], v[1]),
            avx._mm256_unpacklo_ps(v[2], v[3]),
            avx._mm256_unpackhi_ps(v[2], v[3]),
            avx._mm256_unpacklo_ps(v[4], v[5]),
            avx._mm256_unpackhi_ps(v[4], v[5]),
            avx._mm256_unpacklo_ps(v[6], v[7]),
            avx._mm256_unpackhi_ps(v[6], v[7]),
        ];
        let s = [
            avx._mm256_shuffle_ps::<0x44>(t[0], t[2]),
            avx._mm256_shuffle_ps::<0xEE>(t[0], t[2]),
            avx._mm256_shuffle_ps::<0x44>(t[1], t[3]),
            avx._mm256_shuffle_ps::<0xEE>(t[1], t[3]),
            avx._mm256_shuffle_ps::<0x44>(t[4], t[6]),
            avx._mm256_shuffle_ps::<0xEE>(t[4], t[6]),
            avx._mm256_shuffle_ps::<0x44>(t[5], t[7]),
            avx._mm256_shuffle_ps::<0xEE>(t[5], t[7]),
        ];
        let rows: [f32x8; LANES] = cast([
            avx._mm256_permute2f128_ps::<0x20>(s[0], s[4]),
            avx._mm256_permute2f128_ps::<0x20>(s[1], s[5]),
            avx._mm256_permute2f128_ps::<0x20>(s[2], s[6]),
            avx._mm256_permute2f128_ps::<0x20>(s[3], s[7]),
            avx._mm256_permute2f128_ps::<0x31>(s[0], s[4]),
            avx._mm256_permute2f128_ps::<0x31>(s[1], s[5]),
            avx._mm256_permute2f128_ps::<0x31>(s[2], s[6]),
            avx._mm256_permute2f128_ps::<0x31>(s[3], s[7]),
        ]);
        let [first, rest @ ..] = rows;
        let sum = rest
            .into_iter()
            .fold(first, |sum, row| self.0.add_f32s(sum, row));
        let sums: [f32; LANES] = cast(sum);
        let mut out = [0.0; N];
        out.copy_from_slice(&sums[..N]);
        out
    }
}

impl Vector<f64> for Avx2 {
    type Lanes = [f64x4; 2];

    #[inline(always)]
    fn splat(self, value: f64) -> [f64x4; 2] {
        [self.0.splat_f64s(value); 2]
    }

    #[inline(always)]
    fn load(self, values: &[f64; LANES]) -> [f64x4; 2] {
        cast(*values)
    }

    #[inline(always)]
    fn store(self, lanes: [f64x4; 2]) -> [f64; LANES] {
        cast(lanes)
    }

    #[inline(always)]
    fn add(self, a: [f64x4; 2], b: [f64x4; 2]) -> [f64x4; 2] {
        [self.0.add_f64s(a[0], b[0]), self.0.add_f64s(a[1], b[1])]
    }

    #[inline(always)]
    fn mul(self, a: [f64x4; 2], b: [f64x4; 2]) -> [f64x4; 2] {
        [self.0.mul_f64s(a[0], b[0]), self.0.mul_f64s(a[1], b[1])]
    }

    /// Four vectors transposed as two 4 x 4 blocks (lanes 0 to 3, then 4 to 7; moves only, so
    /// exact), then added lane after lane: the four sums side by side.
    #[inline(always)]
    fn add_lanes<const N: usize>(self, vectors: [[f64x4; 2]; N]) -> [f64; N] {
        let Ok(vectors) = <[[f64x4; 2]; 4]>::try_from(&vectors[..]) else {
            return add_lanes_one_by_one(self, vectors);
        };
        let avx = self.0.avx;
        let transpose = |v: [__m256d; 4]| -> [f64x4; 4] {
            let t = [
                avx._mm256_unpacklo_pd(v[0], v[1]),
                avx._mm256_unpackhi_pd(v[0], v[1]),
                avx._mm256_unpacklo_pd(v[2], v[3]),
                avx._mm256_unpackhi_pd(v[2], v[3]),
            ];
            cast([
                avx._mm256_permute2f128_pd::<0x20>(t[0], t[2]),
                avx._mm256_permute2f128_pd::<0x20>(t[1], t[3]),
                avx._mm256_permute2f128_pd::<0x31>(t[0], t[2]),
                avx._mm256_permute2f128_pd::<0x31>(t[1], t[3]),
            ])
        };
        let low = transpose(cast([
            vectors[0][0],
            vectors[1][0],
            vectors[2][0],
            vectors[3][0],
        ]));
        let high = transpose(cast([
            vectors[0][1],
            vectors[1][1],
            vectors[2][1],
            vectors[3][1],
        ]));
        let mut sum = low[0];
        for &row in low[1..].iter().chain(&high) {
            sum = self.0.add_f64s(sum, row);
        }
        let sums: [f64; 4] = cast(sum);
        let mut out = [0.0; N];
        out.copy_from_slice(&sums[..N]);
        out
    }
}

/// [`Vector::add_lanes`] without transposing: each vector stored, its lanes added in turn.
#[allow(
    clippy::needless_range_loop,
    reason = "each lane of every vector before the next lane, so that the sums grow side by side"
)]
#[inline(always)]
fn add_lanes_one_by_one<T: crate::Scalar, A: Vector<T>, const N: usize>(
    arch: A,
    vectors: [A::Lanes; N],
) -> [T; N] {
    let mut lanes = [[T::ZERO; LANES]; N];
    for n in 0..N {
        lanes[n] = arch.store(vectors[n]);
    }
    let mut sums = [T::ZERO; N];
    for n in 0..N {
        sums[n] = lanes[n][0];
    }
    for k in 1..LANES {
        for n in 0..N {
            sums[n] += lanes[n][k];
        }
    }
    sums
}
