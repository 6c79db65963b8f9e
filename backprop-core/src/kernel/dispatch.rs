//! Which instruction set a kernel runs with.
//!
//! A kernel is a struct implementing [`Kernel`], whose `run` and everything it calls are
//! `#[inline(always)]`: run through [`pulp`], the whole body is then compiled once more inside a
//! function built with AVX2 enabled, and plain loops over `[T; 8]` become 256-bit vector code.
//! The results are the same bits either way (the order is in the code, not in the instruction
//! set), so choosing is a matter of speed only.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

/// The instruction set a kernel runs with. Not part of the API: the tests run both in one
/// process and check that they give the same bits.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Isa {
    /// The compile-time target's (SSE2 on the default `x86_64` target).
    Baseline,
    /// The best this CPU has, chosen at run time (AVX2 where there is one); the baseline without
    /// the `std` feature or on other architectures.
    Best,
}

use super::LANES;
use crate::Scalar;

/// Work (multiplications) below which choosing the instruction set at run time costs more than
/// it saves: the kernel then runs inline, with the baseline.
const DISPATCH_MIN_WORK: usize = 512;

impl Isa {
    /// [`Isa::Best`] for `work` multiplications or more, [`Isa::Baseline`] below.
    pub(crate) const fn for_work(work: usize) -> Self {
        if work >= DISPATCH_MIN_WORK {
            Self::Best
        } else {
            Self::Baseline
        }
    }
}

/// A kernel: its arguments as fields, its body as `run`.
pub(crate) trait Kernel {
    /// What the kernel returns.
    type Output;
    /// The body, with the instruction set `arch`; `#[inline(always)]` in every implementation,
    /// down to the loops.
    fn run<A: Arch>(self, arch: A) -> Self::Output;
}

/// The parts of a kernel written for one instruction set. Everything else is plain Rust, which
/// the compiler vectorises along the loops as they are written.
pub(crate) trait Arch: Copy {
    /// The lane sums of `R` rows with `S` inputs over the whole chunks of [`LANES`] inputs
    /// (lane `k` of row `r` and sample `s`: the products of inputs `k, k + 8, ...` in order, from
    /// `-0.0`); the last `I % LANES` inputs are left to the caller.
    fn forward_lanes<T: Scalar, const I: usize, const R: usize, const S: usize>(
        self,
        rows: &[[T; I]; R],
        inputs: &[[T; I]; S],
    ) -> [[[T; LANES]; S]; R];

    /// The backward sums of columns `start..start + W` for `S` samples (each over the rows in
    /// order, from `-0.0`), if this instruction set has its own code for them.
    #[inline(always)]
    fn backward_tile<T: Scalar, const I: usize, const O: usize, const S: usize, const W: usize>(
        self,
        _weights: &[[T; I]; O],
        _deltas: &[[T; O]; S],
        _start: usize,
    ) -> Option<[[T; W]; S]> {
        None
    }

    /// Adds every sample's `delta_j a_i` in order to columns `start..start + W` of the rows
    /// `first..first + R`, if this instruction set has its own code for it (then `true`).
    #[inline(always)]
    fn gradient_tile<T: Scalar, const I: usize, const O: usize, const R: usize, const W: usize>(
        self,
        _rows: &mut [[T; I]; R],
        _first: usize,
        _start: usize,
        _deltas: &[[T; O]],
        _inputs: &[[T; I]],
    ) -> bool {
        false
    }
}

/// Portable code: the compile-time target's instruction set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Portable;

impl Arch for Portable {
    #[allow(
        clippy::needless_range_loop,
        reason = "the same loops as the vector version, indexing rows and samples alike"
    )]
    #[inline(always)]
    fn forward_lanes<T: Scalar, const I: usize, const R: usize, const S: usize>(
        self,
        rows: &[[T; I]; R],
        inputs: &[[T; I]; S],
    ) -> [[[T; LANES]; S]; R] {
        let mut lanes = [[[-T::ZERO; LANES]; S]; R];
        for chunk in 0..I / LANES {
            for r in 0..R {
                let weights = &rows[r].as_chunks::<LANES>().0[chunk];
                for s in 0..S {
                    let input = &inputs[s].as_chunks::<LANES>().0[chunk];
                    for k in 0..LANES {
                        lanes[r][s][k] += weights[k] * input[k];
                    }
                }
            }
        }
        lanes
    }
}

/// Runs `kernel` with the instruction set `isa`.
#[inline(always)]
pub(crate) fn run<K: Kernel>(isa: Isa, kernel: K) -> K::Output {
    match isa {
        Isa::Baseline => kernel.run(Portable),
        Isa::Best => best(kernel),
    }
}

/// Runs `kernel` with AVX2 if the CPU and the OS support it (`std` detects both), else portable.
#[cfg(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64")))]
#[inline(always)]
fn best<K: Kernel>(kernel: K) -> K::Output {
    /// `kernel` as a `pulp` operation.
    struct Operation<K>(K, pulp::x86::V3);

    impl<K: Kernel> pulp::WithSimd for Operation<K> {
        type Output = K::Output;

        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) -> K::Output {
            self.0.run(super::avx2::Avx2(self.1))
        }
    }

    match pulp::Arch::new() {
        pulp::Arch::V3(simd) => pulp::Simd::vectorize(simd, Operation(kernel, simd)),
        _ => kernel.run(Portable),
    }
}

/// Without `std`, or off x86, the compile-time instruction set.
#[cfg(not(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64"))))]
#[inline(always)]
fn best<K: Kernel>(kernel: K) -> K::Output {
    kernel.run(Portable)
}
