//! The machine's AVX2 peak, the FLOP bound of the benchmarks: 12 independent chains of
//! `acc = acc * m + c` in 256-bit vectors (pulp's safe AVX2 operations, chosen at run time),
//! `no_fma` with the multiply and the add separate (the kernels' instructions: the ceiling of
//! any kernel in the canonical order) and `fma` as fused multiply-adds (the machine's peak).

use divan::{Bencher, black_box};

/// 12 independent chains of `acc = acc * m + c` in 256-bit vectors, 1,000 steps: 192,000 `f32`
/// flops with AVX2. `FUSED`: one FMA per step (the machine's peak); otherwise the multiply and
/// the add separate, as in the kernels (the ceiling of any kernel in the canonical order).
struct Chains<const FUSED: bool>(f32, f32);

impl<const FUSED: bool> pulp::WithSimd for Chains<FUSED> {
    type Output = f32;

    #[allow(
        clippy::inline_always,
        reason = "the loop must be inlined into the function compiled with AVX2"
    )]
    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) -> f32 {
        let (m, c) = (simd.splat_f32s(self.0), simd.splat_f32s(self.1));
        let mut chains = [simd.splat_f32s(1.0); 12];
        for _ in 0..1000 {
            for chain in &mut chains {
                *chain = if FUSED {
                    simd.mul_add_f32s(*chain, m, c)
                } else {
                    simd.add_f32s(simd.mul_f32s(*chain, m), c)
                };
            }
        }
        let sum = chains.into_iter().reduce(|a, b| simd.add_f32s(a, b));
        simd.reduce_sum_f32s(sum.expect("12 chains"))
    }
}

/// The peak without FMA: 192,000 flops per iteration.
#[divan::bench]
fn no_fma(bencher: Bencher) {
    let arch = pulp::Arch::new();
    bencher.bench_local(|| arch.dispatch(Chains::<false>(black_box(0.999), black_box(1e-3))));
}

/// The peak with FMA: 192,000 flops per iteration.
#[divan::bench]
fn fma(bencher: Bencher) {
    let arch = pulp::Arch::new();
    bencher.bench_local(|| arch.dispatch(Chains::<true>(black_box(0.999), black_box(1e-3))));
}
