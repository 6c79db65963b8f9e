//! What the fast kernels need of a float width beyond arithmetic: its bit layout (sign, exponent,
//! mantissa), written once per width, and the selects and polynomials every kernel shares.

/// An `f32` or `f64`, as the kernels see it: arithmetic, and the bit-level steps of a range
/// reduction. Implemented for the two widths by one macro; the algorithms are written once,
/// generic over it.
pub trait Width:
    Copy
    + 'static
    + PartialOrd
    + core::ops::Add<Output = Self>
    + core::ops::Sub<Output = Self>
    + core::ops::Mul<Output = Self>
    + core::ops::Div<Output = Self>
    + core::ops::Neg<Output = Self>
{
    /// The signed integer of the same width, which holds `k` of `2^k`.
    type Int: Copy + core::ops::Sub<Output = Self::Int> + core::ops::Shr<u32, Output = Self::Int>;

    /// `0`, `0.5`, `1`, `2`.
    const ZERO: Self;
    /// `0.5`.
    const HALF: Self;
    /// `1`.
    const ONE: Self;
    /// `2`.
    const TWO: Self;
    /// `1` as the integer.
    const INT_ONE: Self::Int;
    /// `inf`.
    const INFINITY: Self;
    /// `-inf`.
    const NEG_INFINITY: Self;
    /// A NaN.
    const NAN: Self;
    /// The smallest positive normal number.
    const MIN_POSITIVE: Self;
    /// Below this `|x|`, `exp_m1(x)` and `ln_1p(x)` round to `x`: `2^-54` (`2^-25` for `f32`).
    const TINY: Self;

    /// `|x|`, by clearing the sign bit.
    fn abs(self) -> Self;
    /// `self` (not negative, or NaN) with the sign of `sign`.
    fn with_sign_of(self, sign: Self) -> Self;
    /// `2^k`, for `k` in the normal exponent range, by writing the exponent bits.
    fn power_of_two(k: Self::Int) -> Self;
    /// The integer `k` that adding `shift` (`1.5 * 2^52`, `1.5 * 2^23`) left in the low bits of
    /// `shifted`: `k` in two's complement.
    fn low_bits_integer(shifted: Self, shift: Self) -> Self::Int;
    /// `(m - 1, k)` for `u = 2^k m` with `m` in `[sqrt(2)/2, sqrt(2))`, `u` positive and normal,
    /// read from the bits (fdlibm's reduction for `ln`).
    fn split(u: Self) -> (Self, Self);
}

/// Implements [`Width`] for one float type from its bit layout.
macro_rules! width {
    (
        $float:ident, $bits:ident, $int:ident,
        mantissa_bits: $mantissa_bits:literal,
        bias: $bias:literal,
        float_bias: $float_bias:literal,
        two_to_the_mantissa_bits: $two_to_the_mantissa_bits:literal,
        tiny: $tiny:expr,
        sqrt_half_bits: $sqrt_half_bits:literal $(,)?
    ) => {
        impl Width for $float {
            type Int = $int;

            const ZERO: Self = 0.0;
            const HALF: Self = 0.5;
            const ONE: Self = 1.0;
            const TWO: Self = 2.0;
            const INT_ONE: $int = 1;
            const INFINITY: Self = $float::INFINITY;
            const NEG_INFINITY: Self = $float::NEG_INFINITY;
            const NAN: Self = $float::NAN;
            const MIN_POSITIVE: Self = $float::MIN_POSITIVE;
            const TINY: Self = $tiny;

            #[inline]
            fn abs(self) -> Self {
                $float::from_bits(self.to_bits() & !SIGN)
            }

            #[inline]
            fn with_sign_of(self, sign: Self) -> Self {
                $float::from_bits(self.to_bits() | (sign.to_bits() & SIGN))
            }

            #[inline]
            #[allow(
                clippy::cast_sign_loss,
                reason = "the biased exponent is positive in range; out of range only for a NaN input"
            )]
            fn power_of_two(k: $int) -> Self {
                $float::from_bits((k.wrapping_add($bias) as $bits) << $mantissa_bits)
            }

            #[inline]
            #[allow(
                clippy::cast_possible_wrap,
                reason = "the difference of the bits is k, small, in two's complement"
            )]
            fn low_bits_integer(shifted: Self, shift: Self) -> $int {
                shifted.to_bits().wrapping_sub(shift.to_bits()) as $int
            }

            #[inline]
            fn split(u: Self) -> (Self, Self) {
                /// The bits of `sqrt(2)/2` (for `f64` rounded down to a whole high word, as
                /// fdlibm reduces by).
                const SQRT_HALF_BITS: $bits = $sqrt_half_bits;
                const ONE_BITS: $bits = (1.0 as $float).to_bits();
                const MANTISSA: $bits = (1 << $mantissa_bits) - 1;
                /// `2^mantissa_bits`, as bits: `from_bits(TWO_M_BITS | n) = 2^mantissa_bits + n`.
                const TWO_M_BITS: $bits = ($two_to_the_mantissa_bits as $float).to_bits();
                let bits = u.to_bits().wrapping_add(ONE_BITS - SQRT_HALF_BITS);
                let m = $float::from_bits((bits & MANTISSA) + SQRT_HALF_BITS);
                // The biased exponent `k + bias` as a float, through the bits of
                // `2^mantissa_bits + k + bias`.
                let k = $float::from_bits(TWO_M_BITS | (bits >> $mantissa_bits))
                    - ($two_to_the_mantissa_bits + $float_bias);
                (m - 1.0, k)
            }
        }
    };
}

/// The sign bit of `f64`.
const SIGN_F64: u64 = 1 << 63;
/// The sign bit of `f32`.
const SIGN_F32: u32 = 1 << 31;

mod double {
    use super::{SIGN_F64 as SIGN, Width};
    width!(
        f64, u64, i64,
        mantissa_bits: 52,
        bias: 1023,
        float_bias: 1023.0,
        two_to_the_mantissa_bits: 4_503_599_627_370_496.0,
        tiny: 1.0 / 18_014_398_509_481_984.0,
        sqrt_half_bits: 0x3fe6_a09e_0000_0000,
    );
}

mod single {
    use super::{SIGN_F32 as SIGN, Width};
    width!(
        f32, u32, i32,
        mantissa_bits: 23,
        bias: 127,
        float_bias: 127.0,
        two_to_the_mantissa_bits: 8_388_608.0,
        tiny: 1.0 / 33_554_432.0,
        sqrt_half_bits: 0x3f35_04f3,
    );
}

/// `c[0] + x (c[1] + x (c[2] + ...))`.
#[inline]
pub fn horner<F: Width>(x: F, c: &[F]) -> F {
    let last = c.len() - 1;
    let mut sum = c[last];
    for &coefficient in c[..last].iter().rev() {
        sum = coefficient + x * sum;
    }
    sum
}

/// [`horner`] with the coefficients `a` where `use_a`, else `b`, chosen one by one (so a
/// vectorised loop chooses per lane).
#[inline]
pub fn horner_either<F: Width>(x: F, use_a: bool, a: &[F], b: &[F]) -> F {
    let pick = |i: usize| if use_a { a[i] } else { b[i] };
    let last = a.len() - 1;
    let mut sum = pick(last);
    for i in (0..last).rev() {
        sum = pick(i) + x * sum;
    }
    sum
}

/// `x`, but at most `high`; a NaN stays NaN.
#[inline]
pub fn at_most<F: Width>(x: F, high: F) -> F {
    if x > high { high } else { x }
}

/// `x`, but at most `high` and at least `low`; a NaN stays NaN.
#[inline]
pub fn clamp<F: Width>(x: F, low: F, high: F) -> F {
    let x = at_most(x, high);
    if x < low { low } else { x }
}
