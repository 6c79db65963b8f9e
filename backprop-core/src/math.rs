//! The math the activations and losses compute with: `exp`, `exp_m1`, `ln`, `ln_1p`, `tanh` and
//! `erf`, generic over the [`Scalar`] type, from one of two backends chosen here, once, by `cfg`
//! (as glam and `rust-lang/libm` choose theirs):
//!
//! - the default, branch-free kernels written so that LLVM vectorises a loop that calls them,
//!   one file per function, each written once for `f32` and `f64` over the width's bit layout
//!   (`math/width.rs`), with its constants beside it;
//! - with the feature `libm-activations`, [`libm`], through [`Scalar`]'s `exp`, `ln`, ... methods
//!   (which are always libm's), for results that match other libm-based code to the bit.
//!
//! [`LIBM`] tells which one a build uses. Both round the same way on every target and in every
//! build (no `mul_add`, no fast-math flags), so the unrolled and looped forms of a net, in debug
//! and release, compute the same bits.
//!
//! # The fast kernels
//!
//! A scalar call into [`libm`] (about 14 ns for `tanhf` here) costs more than all the arithmetic of
//! a training step of a small net, and it cannot be vectorised: libm branches on the argument and
//! reads tables. The kernels here branch on nothing. Special inputs are handled by computing the
//! ordinary path anyway and choosing the answer with a comparison (a `select`), arguments are
//! clamped with comparisons that let a NaN through, and the power of two of a range reduction is
//! made by writing the exponent bits (`from_bits`/`to_bits`, integer shifts and adds), so LLVM
//! turns a loop over an array into SIMD code. They use plain `+`, `-`, `*`, `/` (no `mul_add`), so
//! they round the same way on every target, with and without FMA, in every build. Each file says
//! its method: `exp.rs`, `exp_m1.rs`, `ln.rs`, `ln_1p.rs`, `tanh.rs`, `erf.rs`.
//!
//! fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. "Permission to use, copy, modify, and
//! distribute this software is freely granted, provided that this notice is preserved." The
//! constants come from the FreeBSD msun sources as ported to Rust by the [`libm`] crate.
//!
//! # Accuracy
//!
//! The largest error seen, in units in the last place (ulp). Against [`libm`] (the functions the
//! feature `libm-activations` uses; they are fdlibm's, which documents `exp`, `expm1`, `log`,
//! `log1p` and `erf` below 1 ulp from the exact result): the distance between the two results
//! over every `f32`, and over 2^26 `f64`s spread over every binade and, densely, over the range
//! where the function is not constant. Against the exact value: for `f32`, every `f32` against
//! `f64` libm (exact to 2^-29 ulp); for `f64`, 20,000 samples per function against `mpmath` at
//! 200 bits (a one-off check, not in the test suite), where libm's own error is shown too.
//!
//! | function | `f64` vs libm | `f64` vs exact (libm's) | `f32` vs libm | `f32` vs exact (libm's) |
//! |----------|---------------|-------------------------|---------------|-------------------------|
//! | `exp`    | 1             | 0.77 (0.81)             | 1             | 0.82                    |
//! | `exp_m1` | 1             | 0.99 (0.74)             | 1             | 1.04                    |
//! | `ln`     | 0             | 0.74 (0.74)             | 0             | 0.84                    |
//! | `ln_1p`  | 1             | 0.72 (0.72)             | 1             | 0.86                    |
//! | `tanh`   | 3             | 1.71 (1.69)             | 3             | 2.42 (1.84)             |
//! | `erf`    | 1             | 0.86 (0.86)             | 1             | 1.00 (0.97)             |
//!
//! `ln` gives libm's bits exactly (it is fdlibm's algorithm, operation for operation, with selects
//! for its branches). `tanh` is the least accurate: `e / (e + 2)` rounds three times; libm's
//! `tanhf` is itself up to 1.84 ulp off, so the two can be 3 ulp apart. The unit tests (`math/tests.rs`) check
//! these bounds on a sample of 2^19 inputs per function and type (and the edges below) in every
//! `cargo test`; the ignored tests run every `f32` and 2^26 `f64`s (`cargo test --release -p
//! backprop-core math -- --ignored --nocapture`, about 20 minutes on 2 cores).
//!
//! Every limit is exact:
//! `exp` overflows to `inf` and underflows to 0 where the true result does, `exp_m1(-inf) = -1`,
//! `tanh(+-inf) = +-1` (and exactly 1 wherever the true value rounds to it), `erf(+-inf) = +-1`,
//! `ln(0) = -inf`, `ln` of a negative number is NaN, `ln_1p(-1) = -inf`, signed zeros are kept,
//! and a NaN in gives a NaN out.

#![allow(
    clippy::many_single_char_names,
    reason = "the formulas' own names: x, k, r, f, s, z, w"
)]

mod erf;
mod exp;
mod exp_m1;
mod ln;
mod ln_1p;
mod tanh;
#[cfg(test)]
mod tests;
mod width;

use crate::Scalar;

/// Whether the activations and losses compute `exp`, `ln`, `tanh` and `erf` with [`libm`]
/// (`true`, with the feature `libm-activations`) or with the fast kernels (`false`, the
/// default).
pub const LIBM: bool = cfg!(feature = "libm-activations");

// The backend, chosen here and nowhere else.
#[cfg(not(feature = "libm-activations"))]
use fast_backend as backend;
#[cfg(feature = "libm-activations")]
use libm_backend as backend;

/// The fast kernels, generic over the width.
mod fast {
    pub use super::erf::erf;
    pub use super::exp::exp;
    pub use super::exp_m1::exp_m1;
    pub use super::ln::ln;
    pub use super::ln_1p::ln_1p;
    pub use super::tanh::tanh;
}

/// The fast kernels for any [`Scalar`], through its sealed supertrait.
#[cfg(not(feature = "libm-activations"))]
mod fast_backend {
    use super::kernels::Kernel;
    use crate::scalar::sealed::Sealed;

    pub fn exp<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::Exp)
    }

    pub fn exp_m1<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::ExpM1)
    }

    pub fn ln<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::Ln)
    }

    pub fn ln_1p<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::Ln1p)
    }

    pub fn tanh<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::Tanh)
    }

    pub fn erf<T: Sealed>(x: T) -> T {
        x.fast_kernel(Kernel::Erf)
    }
}

/// [`libm`], through [`Scalar`]'s methods.
#[cfg(feature = "libm-activations")]
mod libm_backend {
    use crate::Scalar;

    pub fn exp<T: Scalar>(x: T) -> T {
        x.exp()
    }

    pub fn exp_m1<T: Scalar>(x: T) -> T {
        x.exp_m1()
    }

    pub fn ln<T: Scalar>(x: T) -> T {
        x.ln()
    }

    pub fn ln_1p<T: Scalar>(x: T) -> T {
        x.ln_1p()
    }

    pub fn tanh<T: Scalar>(x: T) -> T {
        x.tanh()
    }

    pub fn erf<T: Scalar>(x: T) -> T {
        x.erf()
    }
}

/// How [`Scalar`]'s sealed supertrait reaches the kernels of its width. Not nameable outside the
/// crate.
pub(crate) mod kernels {
    /// Every kernel's constants, for one width.
    pub trait Kernels:
        super::exp::Exp + super::exp_m1::ExpM1 + super::tanh::Tanh + super::ln::Ln + super::erf::Erf
    {
    }

    impl Kernels for f32 {}
    impl Kernels for f64 {}

    /// Which kernel.
    #[derive(Clone, Copy)]
    pub enum Kernel {
        /// `e^x`.
        Exp,
        /// `e^x - 1`.
        ExpM1,
        /// `ln x`.
        Ln,
        /// `ln(1 + x)`.
        Ln1p,
        /// `tanh x`.
        Tanh,
        /// `erf x`.
        Erf,
    }

    /// The kernel at `x`; inlined with a constant `kernel`, the `match` folds away.
    #[inline(always)]
    pub fn fast<F: Kernels>(x: F, kernel: Kernel) -> F {
        use super::fast;
        match kernel {
            Kernel::Exp => fast::exp(x),
            Kernel::ExpM1 => fast::exp_m1(x),
            Kernel::Ln => fast::ln(x),
            Kernel::Ln1p => fast::ln_1p(x),
            Kernel::Tanh => fast::tanh(x),
            Kernel::Erf => fast::erf(x),
        }
    }
}

/// `e^x`.
#[inline]
pub fn exp<T: Scalar>(x: T) -> T {
    backend::exp(x)
}

/// `e^x - 1`, accurate near 0.
#[inline]
pub fn exp_m1<T: Scalar>(x: T) -> T {
    backend::exp_m1(x)
}

/// The natural logarithm: `-inf` at 0, NaN below 0.
#[inline]
pub fn ln<T: Scalar>(x: T) -> T {
    backend::ln(x)
}

/// `ln(1 + x)`, accurate near 0: `-inf` at -1, NaN below -1.
#[inline]
pub fn ln_1p<T: Scalar>(x: T) -> T {
    backend::ln_1p(x)
}

/// The hyperbolic tangent.
#[inline]
pub fn tanh<T: Scalar>(x: T) -> T {
    backend::tanh(x)
}

/// The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt`.
#[inline]
pub fn erf<T: Scalar>(x: T) -> T {
    backend::erf(x)
}
