//! The [`Scalar`] trait: the arithmetic and the math functions a network needs, for `f32` and `f64`.

use core::fmt::Display;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use libm::Libm;

pub(crate) mod sealed {
    use crate::math::kernels::{Kernel, fast};

    /// Keeps [`Number`](crate::Number) to the types of this crate.
    pub trait SealedNumber {}

    impl SealedNumber for f32 {}
    impl SealedNumber for f64 {}
    #[cfg(feature = "fixed")]
    impl SealedNumber for crate::fixed::I16F16 {}

    /// Keeps [`Scalar`](super::Scalar) to `f32` and `f64`, so methods can be added without breaking
    /// anyone; it also leads generic code to the fast kernels of [`math`](crate::math), through a
    /// method no one outside the crate can call (its argument's type cannot be named there), and
    /// to the layer kernels compiled once per type in this crate (`kernel::PerScalar`).
    pub trait Sealed: Sized + crate::kernel::PerScalar {
        /// The fast kernel `kernel` at `self`.
        fn fast_kernel(self, kernel: Kernel) -> Self;
    }

    impl Sealed for f32 {
        #[inline(always)]
        #[allow(
            clippy::inline_always,
            reason = "the kernel is a constant at every call: inlined, the choice folds away and a loop of it vectorises"
        )]
        fn fast_kernel(self, kernel: Kernel) -> Self {
            fast(self, kernel)
        }
    }

    impl Sealed for f64 {
        #[inline(always)]
        #[allow(
            clippy::inline_always,
            reason = "the kernel is a constant at every call: inlined, the choice folds away and a loop of it vectorises"
        )]
        fn fast_kernel(self, kernel: Kernel) -> Self {
            fast(self, kernel)
        }
    }
}

/// A floating-point number a network computes in: `f32` or `f64`.
///
/// The math methods go through [`libm`], so they are the same on every target and need no `std`;
/// `f32` uses libm's `f32` functions (`expf`, `logf`, ...), never a round trip through `f64`. The
/// activations compute with [`math`](crate::math) instead, whose backend (branch-free kernels by
/// default, libm with the feature `libm-activations`) is chosen there (see
/// [`activation`](crate::activation#which-exp-ln-tanh-and-erf)).
///
/// The trait is sealed: it is implemented for `f32` and `f64` only.
pub trait Scalar:
    sealed::Sealed
    + crate::Number
    + Display
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Send
    + Sync
    + 'static
{
    /// `2`.
    const TWO: Self;
    /// `0.5`.
    const HALF: Self;

    /// The nearest value to `value` (exact up to 2^24 for `f32` and 2^53 for `f64`).
    fn from_usize(value: usize) -> Self;
    /// `e^self`.
    #[must_use]
    fn exp(self) -> Self;
    /// `e^self - 1`, accurate near 0.
    #[must_use]
    fn exp_m1(self) -> Self;
    /// The natural logarithm: `-inf` at 0, NaN below 0.
    #[must_use]
    fn ln(self) -> Self;
    /// `ln(1 + self)`, accurate near 0.
    #[must_use]
    fn ln_1p(self) -> Self;
    /// The square root: NaN below 0.
    #[must_use]
    fn sqrt(self) -> Self;
    /// The hyperbolic tangent.
    #[must_use]
    fn tanh(self) -> Self;
    /// The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt`.
    #[must_use]
    fn erf(self) -> Self;
    /// The absolute value.
    #[must_use]
    fn abs(self) -> Self;
    /// The larger of the two; NaN if either is NaN, so a NaN is never hidden.
    #[must_use]
    fn max(self, other: Self) -> Self;
    /// The smaller of the two; NaN if either is NaN, so a NaN is never hidden.
    #[must_use]
    fn min(self, other: Self) -> Self;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
}

/// Implements [`Scalar`] for one float type; only the conversions differ between the two.
macro_rules! impl_scalar {
    (
        $float:ident,
        from_f64: |$from_f64_value:ident| $from_f64:expr,
        to_f64: |$to_f64_value:ident| $to_f64:expr,
        from_usize: |$from_usize_value:ident| $from_usize:expr $(,)?
    ) => {
        impl crate::Number for $float {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const NAME: &'static str = stringify!($float);

            #[inline]
            #[allow(
                clippy::cast_possible_truncation,
                reason = "rounding f64 to f32 is the point"
            )]
            fn from_f64($from_f64_value: f64) -> Self {
                $from_f64
            }

            #[inline]
            fn to_f64(self) -> f64 {
                let $to_f64_value = self;
                $to_f64
            }

            #[inline]
            fn accumulate(self, other: Self) -> Self {
                self + other
            }

            #[inline]
            fn product(self, other: Self) -> Self {
                self * other
            }

            #[inline]
            fn quotient(self, divisor: Self) -> Self {
                self / divisor
            }

            #[inline]
            fn difference(self, other: Self) -> Self {
                self - other
            }

            #[inline]
            fn dot_plus(row: &[Self], input: &[Self], bias: Self) -> Self {
                crate::kernel::row_plus(row, input, bias)
            }

            #[inline]
            fn affine_rows(
                weights: &[Self],
                bias: &[Self],
                columns: usize,
                inputs: &[Self],
                outputs: &mut [Self],
            ) {
                let isa = crate::kernel::Isa::for_work(
                    weights.len() * (outputs.len() / bias.len().max(1)),
                );
                crate::kernel::affine(isa, weights, bias, columns, inputs, outputs);
            }

            #[inline]
            fn transposed_rows(
                weights: &[Self],
                columns: usize,
                deltas: &[Self],
                upstream: &mut [Self],
            ) {
                let isa = crate::kernel::Isa::for_work(weights.len());
                crate::kernel::transposed(isa, weights, columns, deltas, upstream);
            }

            #[inline]
            fn logistic(self) -> Self {
                crate::activation::sigmoid(self)
            }

            #[inline]
            fn logistic_slope(z: Self, value: Self) -> Self {
                crate::activation::sigmoid_derivative(z, value)
            }

            #[inline]
            fn hyperbolic_tangent(self) -> Self {
                crate::activation::tanh(self)
            }

            #[inline]
            fn hyperbolic_tangent_slope(z: Self, value: Self) -> Self {
                crate::activation::tanh_derivative(z, value)
            }

            #[inline]
            #[allow(
                clippy::cast_precision_loss,
                reason = "window lengths are far below 2^24"
            )]
            fn mean_of(self, count: usize) -> Self {
                self / count as $float
            }

            #[inline]
            fn descend(self, rate: Self, derivative: Self) -> Self {
                self - rate * derivative
            }

            type Sum = Self;
            const EMPTY_SUM: Self = -0.0;

            #[inline]
            fn add_product(sum: Self, a: Self, b: Self) -> Self {
                sum + a * b
            }

            #[inline]
            fn add_term(sum: Self, term: Self) -> Self {
                sum + term
            }

            #[inline]
            fn close(sum: Self) -> Self {
                sum
            }

            #[inline]
            fn close_with(sum: Self, bias: Self) -> Self {
                sum + bias
            }

            #[inline]
            fn dense_forward<const I: usize, const O: usize>(
                layer: &crate::Dense<Self, I, O>,
                input: &[Self; I],
            ) -> [Self; O] {
                crate::kernel::pre_activation(crate::kernel::Isa::for_work(I * O), layer, input)
            }

            #[inline]
            fn dense_backward<const I: usize, const O: usize>(
                layer: &crate::Dense<Self, I, O>,
                delta: &[Self; O],
            ) -> [Self; I] {
                crate::kernel::back_propagate(crate::kernel::Isa::for_work(I * O), layer, delta)
            }

            #[inline]
            fn set_outer<const I: usize, const O: usize>(
                gradient: &mut crate::Dense<Self, I, O>,
                delta: &[Self; O],
                input: &[Self; I],
            ) {
                crate::kernel::set_gradient(gradient, delta, input);
            }

            #[inline]
            fn add_outer<const I: usize, const O: usize>(
                gradient: &mut crate::Dense<Self, I, O>,
                delta: &[Self; O],
                input: &[Self; I],
            ) {
                gradient.add_gradient(delta, input);
            }

            fn write_literal(self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
                if self.is_nan() {
                    write!(out, "::core::primitive::{}::NAN", stringify!($float))
                } else if self == <$float>::INFINITY {
                    write!(out, "::core::primitive::{}::INFINITY", stringify!($float))
                } else if self == <$float>::NEG_INFINITY {
                    write!(
                        out,
                        "::core::primitive::{}::NEG_INFINITY",
                        stringify!($float)
                    )
                } else {
                    crate::number::write_grouped(out, self)
                }
            }
        }

        impl Scalar for $float {
            const TWO: Self = 2.0;
            const HALF: Self = 0.5;

            #[inline]
            #[allow(
                clippy::cast_precision_loss,
                reason = "layer widths and batch sizes are far below 2^24"
            )]
            fn from_usize($from_usize_value: usize) -> Self {
                $from_usize
            }

            #[inline]
            fn exp(self) -> Self {
                Libm::<$float>::exp(self)
            }

            #[inline]
            fn exp_m1(self) -> Self {
                Libm::<$float>::expm1(self)
            }

            #[inline]
            fn ln(self) -> Self {
                Libm::<$float>::log(self)
            }

            #[inline]
            fn ln_1p(self) -> Self {
                Libm::<$float>::log1p(self)
            }

            #[inline]
            fn sqrt(self) -> Self {
                Libm::<$float>::sqrt(self)
            }

            #[inline]
            fn tanh(self) -> Self {
                Libm::<$float>::tanh(self)
            }

            #[inline]
            fn erf(self) -> Self {
                Libm::<$float>::erf(self)
            }

            #[inline]
            fn abs(self) -> Self {
                Libm::<$float>::fabs(self)
            }

            #[inline]
            fn max(self, other: Self) -> Self {
                // Unlike libm's `fmax`, which returns the other operand, NaN wins.
                if self.is_nan() || other < self {
                    self
                } else {
                    other
                }
            }

            #[inline]
            fn min(self, other: Self) -> Self {
                if self.is_nan() || other > self {
                    self
                } else {
                    other
                }
            }

            #[inline]
            fn is_nan(self) -> bool {
                <$float>::is_nan(self)
            }

            #[inline]
            fn is_finite(self) -> bool {
                <$float>::is_finite(self)
            }
        }
    };
}

impl_scalar!(
    f32,
    from_f64: |value| value as f32,
    to_f64: |value| f64::from(value),
    from_usize: |value| value as f32,
);

impl_scalar!(
    f64,
    from_f64: |value| value,
    to_f64: |value| value,
    from_usize: |value| value as f64,
);

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::Scalar;
    use crate::Number;

    /// Runs the same checks for both types.
    fn check_constants<T: Scalar>(name: &str) {
        assert_eq!(T::NAME, name);
        assert_eq!(T::ZERO.to_f64(), 0.0);
        assert_eq!(T::ONE.to_f64(), 1.0);
        assert_eq!(T::TWO.to_f64(), 2.0);
        assert_eq!(T::HALF.to_f64(), 0.5);
        assert_eq!(T::default(), T::ZERO);
        assert_eq!(T::HALF + T::HALF, T::ONE);
        assert_eq!(T::ONE + T::ONE, T::TWO);
    }

    #[test]
    fn constants_and_names() {
        check_constants::<f32>("f32");
        check_constants::<f64>("f64");
    }

    #[test]
    fn conversions() {
        assert_eq!(<f32 as Number>::from_f64(0.1), 0.1_f32);
        assert_eq!(<f32 as Number>::from_f64(1e300), f32::INFINITY);
        assert_eq!(<f64 as Number>::from_f64(0.1), 0.1);
        assert_eq!(Number::to_f64(0.1_f32), f64::from(0.1_f32));
        assert_eq!(Number::to_f64(0.1_f64), 0.1);
        assert_eq!(<f32 as Scalar>::from_usize(3), 3.0);
        assert_eq!(<f64 as Scalar>::from_usize(1 << 40), 1_099_511_627_776.0);
    }

    #[test]
    fn f32_math_uses_the_f32_functions() {
        let x = 0.3_f32;
        assert_eq!(Scalar::exp(x), libm::expf(x));
        assert_eq!(Scalar::exp_m1(x), libm::expm1f(x));
        assert_eq!(Scalar::ln(x), libm::logf(x));
        assert_eq!(Scalar::ln_1p(x), libm::log1pf(x));
        assert_eq!(Scalar::sqrt(x), libm::sqrtf(x));
        assert_eq!(Scalar::tanh(x), libm::tanhf(x));
        assert_eq!(Scalar::erf(x), libm::erff(x));
        assert_eq!(Scalar::abs(-x), x);
    }

    #[test]
    fn f64_math_matches_known_values() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * b.abs();
        assert!(close(Scalar::exp(1.0_f64), core::f64::consts::E));
        assert!(close(Scalar::ln(core::f64::consts::E), 1.0));
        assert!(close(Scalar::sqrt(2.0_f64), core::f64::consts::SQRT_2));
        assert!(close(Scalar::tanh(1.0_f64), 0.761_594_155_955_764_9));
        assert!(close(Scalar::erf(1.0_f64), 0.842_700_792_949_714_9));
        // The `_1p`/`_m1` forms keep the digits that `1 + x` would round away.
        assert_eq!(Scalar::ln_1p(1e-20_f64), 1e-20);
        assert_eq!(Scalar::exp_m1(1e-20_f64), 1e-20);
        assert_eq!(Scalar::abs(-0.0_f64).to_bits(), 0.0_f64.to_bits());
    }

    #[test]
    fn max_and_min_propagate_nan() {
        assert_eq!(Scalar::max(1.0_f64, 2.0), 2.0);
        assert_eq!(Scalar::max(2.0_f64, 1.0), 2.0);
        assert_eq!(Scalar::min(1.0_f32, 2.0), 1.0);
        assert_eq!(Scalar::min(2.0_f32, 1.0), 1.0);
        assert_eq!(Scalar::max(f64::NEG_INFINITY, -1e300), -1e300);
        assert!(Scalar::max(f64::NAN, 1.0).is_nan());
        assert!(Scalar::max(1.0, f64::NAN).is_nan());
        assert!(Scalar::min(f32::NAN, 1.0).is_nan());
        assert!(Scalar::min(1.0, f32::NAN).is_nan());
    }

    #[test]
    fn classification() {
        assert!(Scalar::is_nan(f32::NAN));
        assert!(!Scalar::is_nan(f64::INFINITY));
        assert!(Scalar::is_finite(1e308_f64));
        assert!(!Scalar::is_finite(f32::NEG_INFINITY));
        assert!(!Scalar::is_finite(f64::NAN));
    }
}
