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
    /// The body; `#[inline(always)]` in every implementation, down to the loops.
    fn run(self) -> Self::Output;
}

/// Runs `kernel` with the instruction set `isa`.
#[inline(always)]
pub(crate) fn run<K: Kernel>(isa: Isa, kernel: K) -> K::Output {
    match isa {
        Isa::Baseline => kernel.run(),
        Isa::Best => best(kernel),
    }
}

/// Runs `kernel` with the best instruction set the CPU and the OS support (`std` detects both).
#[cfg(feature = "std")]
#[inline(always)]
fn best<K: Kernel>(kernel: K) -> K::Output {
    /// `kernel` as a `pulp` operation.
    struct Operation<K>(K);

    impl<K: Kernel> pulp::WithSimd for Operation<K> {
        type Output = K::Output;

        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) -> K::Output {
            self.0.run()
        }
    }

    pulp::Arch::new().dispatch(Operation(kernel))
}

/// Without `std`, the compile-time instruction set.
#[cfg(not(feature = "std"))]
#[inline(always)]
fn best<K: Kernel>(kernel: K) -> K::Output {
    kernel.run()
}
