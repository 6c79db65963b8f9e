//! Which instruction set a kernel runs with, and the 8-lane vector every tile is written over.
//!
//! A kernel is a struct implementing [`Kernel`], whose `run` and everything it calls are
//! `#[inline(always)]`: run through [`pulp`], the whole body is then compiled once more inside a
//! function built with AVX2 enabled. Each tile is written once, over [`Vector`]: eight lanes of
//! `f32` or `f64` (one 256-bit register of `f32`, two of `f64` with AVX2; a plain `[T; 8]` with
//! the baseline, which the compiler vectorises as it can). The results are the same bits either
//! way (the order is in the code, not in the instruction set), so choosing is a matter of speed
//! only.

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
pub(super) const DISPATCH_MIN_WORK: usize = 512;

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

/// Whether the forward, backward and gradient kernels run in tiles of 8-lane vectors (their
/// `tiles`) or row by row (their `row_by_row`), in the same orders: tiles only where the
/// compile-time target has float vectors of 128 bits or more (SSE2, NEON, wasm's `simd128`,
/// RISC-V's V, `altivec`, `lsx`). Without a vector unit the tiles' lanes cost instructions, code
/// and stack for nothing (on a Cortex-M0, a third more instructions for the sine net and three
/// times the stack: BENCHMARKS.md, "Integer nets on microcontrollers").
///
/// A list of the targets that have vectors, not of those that lack them: the cores without are
/// the many small ones (Cortex-M0 to M7, Cortex-R, AVR, MSP430, Xtensa, RISC-V without V, `aarch64`
/// built without NEON, `i586`), where code and stack are scarce, and a target missing from the
/// list only loses speed: both paths give the same bits.
pub(crate) const TILES: bool = cfg!(any(
    all(
        any(target_arch = "x86", target_arch = "x86_64"),
        target_feature = "sse2"
    ),
    all(
        any(
            target_arch = "aarch64",
            target_arch = "arm64ec",
            target_arch = "arm"
        ),
        target_feature = "neon"
    ),
    all(
        any(target_arch = "wasm32", target_arch = "wasm64"),
        target_feature = "simd128"
    ),
    all(
        any(target_arch = "riscv32", target_arch = "riscv64"),
        target_feature = "v"
    ),
    all(
        any(target_arch = "powerpc", target_arch = "powerpc64"),
        target_feature = "altivec"
    ),
    all(target_arch = "loongarch64", target_feature = "lsx"),
));

/// A kernel over scalars `T`: its arguments as fields, its body as `run`.
pub(crate) trait Kernel<T> {
    /// What the kernel returns.
    type Output;
    /// The body, with the instruction set `arch`; `#[inline(always)]` in every implementation,
    /// down to the loops.
    fn run<A: Vector<T>>(self, arch: A) -> Self::Output;
}

/// Eight lanes of `T` held in registers, and the lane-wise IEEE operations on them: each lane
/// rounds exactly as the scalar operation does, so a tile written over this trait gives the same
/// bits on every instruction set. Implemented by the instruction sets' tokens.
pub(crate) trait Vector<T>: Copy {
    /// Eight lanes.
    type Lanes: Copy;
    /// Every lane `value`.
    fn splat(self, value: T) -> Self::Lanes;
    /// The lanes of `values`.
    fn load(self, values: &[T; LANES]) -> Self::Lanes;
    /// The lanes as values.
    fn store(self, lanes: Self::Lanes) -> [T; LANES];
    /// `a + b`, lane by lane.
    fn add(self, a: Self::Lanes, b: Self::Lanes) -> Self::Lanes;
    /// `a * b`, lane by lane.
    fn mul(self, a: Self::Lanes, b: Self::Lanes) -> Self::Lanes;
    /// Each vector's lanes added left to right, `((v[0] + v[1]) + v[2]) + ... + v[7]`, for `N`
    /// vectors at once.
    #[allow(
        clippy::needless_range_loop,
        reason = "each lane of every vector before the next lane, so that the sums grow side by side"
    )]
    #[inline(always)]
    fn add_lanes<const N: usize>(self, vectors: [Self::Lanes; N]) -> [T; N]
    where
        T: Scalar,
    {
        let mut lanes = [[T::ZERO; LANES]; N];
        for n in 0..N {
            lanes[n] = self.store(vectors[n]);
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
}

/// A scalar the kernels run on: `f32` and `f64`, each with every instruction set.
pub(crate) trait Element: Scalar {
    /// Runs `kernel` with the instruction set `isa`.
    fn run<K: Kernel<Self>>(isa: Isa, kernel: K) -> K::Output;
}

/// Implements [`Element`] for one float type.
macro_rules! element {
    ($($float:ty),*) => {$(
        impl Element for $float {
            #[inline(always)]
            fn run<K: Kernel<Self>>(isa: Isa, kernel: K) -> K::Output {
                match isa {
                    Isa::Baseline => kernel.run(Portable),
                    Isa::Best => best(kernel),
                }
            }
        }
    )*};
}

element!(f32, f64);

/// Portable code: the compile-time target's instruction set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Portable;

impl<T: Scalar> Vector<T> for Portable {
    type Lanes = [T; LANES];

    #[inline(always)]
    fn splat(self, value: T) -> [T; LANES] {
        [value; LANES]
    }

    #[inline(always)]
    fn load(self, values: &[T; LANES]) -> [T; LANES] {
        *values
    }

    #[inline(always)]
    fn store(self, lanes: [T; LANES]) -> [T; LANES] {
        lanes
    }

    #[inline(always)]
    fn add(self, mut a: [T; LANES], b: [T; LANES]) -> [T; LANES] {
        for (a, b) in a.iter_mut().zip(b) {
            *a += b;
        }
        a
    }

    #[inline(always)]
    fn mul(self, mut a: [T; LANES], b: [T; LANES]) -> [T; LANES] {
        for (a, b) in a.iter_mut().zip(b) {
            *a *= b;
        }
        a
    }
}

/// Runs `kernel` with AVX2 if the CPU and the OS support it (`std` detects both), else portable.
#[cfg(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64")))]
#[inline(always)]
fn best<T, K: Kernel<T>>(kernel: K) -> K::Output
where
    super::avx2::Avx2: Vector<T>,
    Portable: Vector<T>,
{
    /// `kernel` as a `pulp` operation.
    struct Operation<T, K>(K, pulp::x86::V3, core::marker::PhantomData<T>);

    impl<T, K: Kernel<T>> pulp::WithSimd for Operation<T, K>
    where
        super::avx2::Avx2: Vector<T>,
    {
        type Output = K::Output;

        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) -> K::Output {
            self.0.run(super::avx2::Avx2(self.1))
        }
    }

    match pulp::Arch::new() {
        pulp::Arch::V3(simd) => {
            let operation = Operation(kernel, simd, core::marker::PhantomData);
            pulp::Simd::vectorize(simd, operation)
        }
        _ => kernel.run(Portable),
    }
}

/// Without `std`, or off x86, the compile-time instruction set.
#[cfg(not(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64"))))]
#[inline(always)]
fn best<T, K: Kernel<T>>(kernel: K) -> K::Output
where
    Portable: Vector<T>,
{
    kernel.run(Portable)
}
