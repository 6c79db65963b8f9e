//! The integer arithmetic of requantisation, as TensorFlow Lite's reference kernels and CMSIS-NN
//! compute it: a real factor `M > 0` kept as a 31-bit fixed-point multiplier and a power of two,
//! applied to an `i32` accumulator with two roundings and no float.

/// A positive real factor `M = multiplier * 2^(shift - 31)`, `multiplier` in `[2^30, 2^31)` (or 0
/// for `M = 0`): TensorFlow Lite's `QuantizeMultiplier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Multiplier {
    /// The mantissa, a Q31 number in `[0.5, 1)`.
    pub multiplier: i32,
    /// The power of two: a left shift when positive, a rounding right shift when negative.
    pub shift: i8,
}

impl Multiplier {
    /// `M = 0`: every product is 0.
    pub const ZERO: Self = Self {
        multiplier: 0,
        shift: 0,
    };

    /// The multiplier and shift nearest to `real` (which is split as `q 2^e`, `q` in `[0.5, 1)`,
    /// and `q` rounded to 31 bits); 0 for `real <= 0`, NaN, or below `2^-32`, where every product
    /// of an `i32` rounds to 0 or 1; at most `2^30` (larger factors are clamped).
    #[must_use]
    pub fn from_f64(real: f64) -> Self {
        if real.is_nan() || real <= 0.0 {
            return Self::ZERO;
        }
        let (fraction, mut exponent) = libm::frexp(real.min(f64::from(1_u32 << 30)));
        #[allow(clippy::cast_possible_truncation)] // fraction * 2^31 is in [2^30, 2^31]
        let mut multiplier = libm::round(fraction * 2_147_483_648.0) as i64;
        if multiplier == 1 << 31 {
            multiplier /= 2;
            exponent += 1;
        }
        if exponent < -31 {
            return Self::ZERO;
        }
        Self {
            #[allow(clippy::cast_possible_truncation)] // in [2^30, 2^31) by construction
            multiplier: multiplier as i32,
            #[allow(clippy::cast_possible_truncation)] // in [-31, 31] by the two clamps above
            shift: exponent as i8,
        }
    }

    /// The real factor this stands for, `multiplier * 2^(shift - 31)`.
    #[must_use]
    pub fn to_f64(self) -> f64 {
        f64::from(self.multiplier) * libm::exp2(f64::from(self.shift) - 31.0)
    }

    /// `round(x * M)` in integers: `x` shifted left by a positive `shift` (saturating), the
    /// doubling high product with the multiplier rounded to nearest (halves up), then a right shift
    /// by a negative `shift` rounded to nearest (halves away from zero). Within `1/2 + 1/2^(1 - shift)` of `x * M` (two roundings, each at most
    /// half a unit of its own result); TensorFlow Lite's `MultiplyByQuantizedMultiplier`, bit for bit.
    #[inline]
    #[must_use]
    #[allow(clippy::cast_sign_loss)] // each shift is converted where it is not negative
    pub const fn apply(self, x: i32) -> i32 {
        let (left, right) = if self.shift > 0 {
            (self.shift as u32, 0)
        } else {
            (0, self.shift.unsigned_abs() as u32)
        };
        let shifted = x.saturating_mul(1 << left);
        rounding_divide_by_power_of_two(
            saturating_rounding_doubling_high_mul(shifted, self.multiplier),
            right,
        )
    }
}

impl Multiplier {
    /// `round(x * M)` with one rounding, halves up: `(x * multiplier + 2^(30 - shift)) >> (31 -
    /// shift)` in `i64`, saturated to `i32`. TensorFlow Lite's `MultiplyByQuantizedMultiplier`
    /// built with `TFLITE_SINGLE_ROUNDING`, which `LiteRT`'s `FULLY_CONNECTED` computes (its
    /// convolutions round twice, as [`Multiplier::apply`]). Within 1/2 of `x * M`.
    #[inline]
    #[must_use]
    pub const fn apply_once(self, x: i32) -> i32 {
        let total = 31 - self.shift as i64;
        if total <= 0 || total > 62 {
            return 0;
        }
        let product = x as i64 * self.multiplier as i64 + (1_i64 << (total - 1));
        let result = product >> total;
        if result > i32::MAX as i64 {
            i32::MAX
        } else if result < i32::MIN as i64 {
            i32::MIN
        } else {
            #[allow(clippy::cast_possible_truncation)] // within the i32 range, checked above
            let result = result as i32;
            result
        }
    }
}

/// `round(a * b / 2^31)`, halves up (toward +inf: the nudge is `2^30` above 0 and `2^30 - 1`
/// below, then the division truncates), saturating: `i32::MIN * i32::MIN` (the one product that
/// overflows) gives `i32::MAX`. gemmlowp's `SaturatingRoundingDoublingHighMul`, bit for bit.
#[inline]
#[must_use]
pub const fn saturating_rounding_doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let product = a as i64 * b as i64;
    let nudge = if product >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    #[allow(clippy::cast_possible_truncation)] // |a b| < 2^62, so the quotient fits
    let high = ((product + nudge) / (1 << 31)) as i32;
    high
}

/// `round(x / 2^exponent)`, halves away from zero, for `exponent` in `0..=31`. gemmlowp's
/// `RoundingDivideByPOT`.
#[inline]
#[must_use]
pub const fn rounding_divide_by_power_of_two(x: i32, exponent: u32) -> i32 {
    #[allow(clippy::cast_possible_truncation)] // at most 2^31 - 1
    let mask = ((1_i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + if x < 0 { 1 } else { 0 };
    (x >> exponent) + if remainder > threshold { 1 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::{
        Multiplier, rounding_divide_by_power_of_two, saturating_rounding_doubling_high_mul,
    };
    use crate::init::Xoshiro256PlusPlus;

    /// The exact value `x * M` of the real model, in f64 (exact: 31 + 32 bits are below 2^53 only
    /// up to scaling, so compared with a margin far below the rounding bound).
    fn real(x: i32, multiplier: Multiplier) -> f64 {
        f64::from(x) * multiplier.to_f64()
    }

    #[test]
    fn doubling_high_mul_rounds_halves_up() {
        // 2^30 * 1 / 2^31 = 0.5 -> 1; -0.5 -> 0; -1.5 -> -1; -0.75 -> -1; 0.25 -> 0.
        assert_eq!(saturating_rounding_doubling_high_mul(1 << 30, 1), 1);
        assert_eq!(saturating_rounding_doubling_high_mul(-(1 << 30), 1), 0);
        assert_eq!(saturating_rounding_doubling_high_mul(-3 << 29, 2), -1);
        assert_eq!(saturating_rounding_doubling_high_mul(-3 << 29, 1), -1);
        assert_eq!(saturating_rounding_doubling_high_mul(1 << 29, 1), 0);
        assert_eq!(
            saturating_rounding_doubling_high_mul(i32::MIN, i32::MIN),
            i32::MAX
        );
        assert_eq!(
            saturating_rounding_doubling_high_mul(i32::MAX, i32::MAX),
            i32::MAX - 1
        );
    }

    #[test]
    fn divide_by_power_of_two_rounds_halves_away_from_zero() {
        assert_eq!(rounding_divide_by_power_of_two(5, 1), 3);
        assert_eq!(rounding_divide_by_power_of_two(-5, 1), -3);
        assert_eq!(rounding_divide_by_power_of_two(7, 2), 2);
        assert_eq!(rounding_divide_by_power_of_two(-7, 2), -2);
        assert_eq!(rounding_divide_by_power_of_two(6, 2), 2);
        assert_eq!(rounding_divide_by_power_of_two(-6, 2), -2);
        assert_eq!(rounding_divide_by_power_of_two(-1, 31), 0);
        assert_eq!(rounding_divide_by_power_of_two(i32::MIN, 31), -1);
        assert_eq!(rounding_divide_by_power_of_two(12345, 0), 12345);
    }

    #[test]
    fn multiplier_splits_the_real_factor() {
        let half = Multiplier::from_f64(0.5);
        assert_eq!((half.multiplier, half.shift), (1 << 30, 0));
        let three = Multiplier::from_f64(3.0);
        assert_eq!((three.multiplier, three.shift), (3 << 29, 2));
        // Just under 1: the mantissa rounds up to 2^31 and is renormalised.
        let one = Multiplier::from_f64(1.0 - 1e-12);
        assert_eq!((one.multiplier, one.shift), (1 << 30, 1));
        assert_eq!(Multiplier::from_f64(0.0), Multiplier::ZERO);
        assert_eq!(Multiplier::from_f64(-1.0), Multiplier::ZERO);
        assert_eq!(Multiplier::from_f64(f64::NAN), Multiplier::ZERO);
        assert_eq!(Multiplier::from_f64(1e-12), Multiplier::ZERO);
        // 2^-31.5 is still kept (shift -31), 2^-32.5 is not.
        let smallest = Multiplier::from_f64(libm::exp2(-31.5));
        assert_eq!(smallest.shift, -31);
        assert!(smallest.multiplier >= 1 << 30);
        assert_eq!(Multiplier::from_f64(libm::exp2(-32.5)), Multiplier::ZERO);
        for real in [1e-9, 0.001_234, 0.3, 0.999, 1.7, 100.0] {
            let relative = (Multiplier::from_f64(real).to_f64() - real).abs() / real;
            assert!(
                relative <= 1.0 / f64::from(1_u32 << 31),
                "{real}: {relative}"
            );
        }
    }

    #[test]
    fn apply_is_within_its_rounding_bound_of_the_real_product() {
        let mut random = Xoshiro256PlusPlus::seed_from_u64(12);
        for _ in 0..100_000 {
            // Factors from 2^-20 to 2^4, accumulators of every magnitude an int8 layer reaches.
            let real_factor = libm::exp2(24.0 * random.next_f64() - 20.0);
            let multiplier = Multiplier::from_f64(real_factor);
            #[allow(clippy::cast_possible_truncation)] // in (-2^24, 2^24)
            let x = ((2.0 * random.next_f64() - 1.0) * f64::from(1 << 24)) as i32;
            let exact = real(x, multiplier);
            let bound = 0.5 + libm::exp2(f64::from(multiplier.shift.min(0)) - 1.0) + 1e-9;
            let got = f64::from(multiplier.apply(x));
            assert!(
                (got - exact).abs() <= bound,
                "{x} * {real_factor}: {got}, exact {exact}"
            );
        }
    }

    #[test]
    fn apply_rounds_exact_halves_as_tflite() {
        // M = 0.5 (shift 0): the one rounding is the high product's, halves up.
        let half = Multiplier::from_f64(0.5);
        assert_eq!(half.apply(3), 2);
        assert_eq!(half.apply(-3), -1);
        assert_eq!(half.apply(4), 2);
        // M = 0.25 (shift -1): 6/4 = 1.5 -> 2 and -6/4 -> -2 in the shift, halves away from zero;
        // 5/4 = 1.25 -> 2: the high product rounds 2.5 up to 3, and the shift 1.5 up to 2 (the
        // double rounding TensorFlow Lite has, within the bound of `apply`: 0.5 + 1/4).
        let quarter = Multiplier::from_f64(0.25);
        assert_eq!(quarter.apply(6), 2);
        assert_eq!(quarter.apply(-6), -2);
        assert_eq!(quarter.apply(5), 2);
        // M = 3: a left shift by 2 then 3/4.
        assert_eq!(Multiplier::from_f64(3.0).apply(-7), -21);
        // The left shift saturates rather than wrapping to a negative number: (2^31 - 1) * 8
        // stops at 2^31 - 1, which the mantissa 1/2 halves.
        assert_eq!(Multiplier::from_f64(4.0).apply(i32::MAX), 1 << 30);
        assert_eq!(Multiplier::ZERO.apply(123_456), 0);
    }

    #[test]
    fn apply_once_rounds_the_exact_product_halves_up() {
        let mut random = Xoshiro256PlusPlus::seed_from_u64(13);
        for _ in 0..100_000 {
            let real_factor = libm::exp2(24.0 * random.next_f64() - 20.0);
            let multiplier = Multiplier::from_f64(real_factor);
            #[allow(clippy::cast_possible_truncation)] // in (-2^24, 2^24)
            let x = ((2.0 * random.next_f64() - 1.0) * f64::from(1 << 24)) as i32;
            let exact = real(x, multiplier);
            let got = f64::from(multiplier.apply_once(x));
            assert!(
                (got - exact).abs() <= 0.5 + 1e-9,
                "{x} * {real_factor}: {got}, exact {exact}"
            );
        }
        // The case of MLPerf Tiny's autoencoder: 387 M with M = 1185020333 2^-33 is 53.39; two
        // roundings give 54 (214 after the high product, then 53.5 rounded away from zero).
        let m = Multiplier {
            multiplier: 1_185_020_333,
            shift: -2,
        };
        assert_eq!(m.apply_once(387), 53);
        assert_eq!(m.apply(387), 54);
        // Halves go up: 6/4 -> 2, -6/4 -> -1 (where `apply` gives -2).
        let quarter = Multiplier::from_f64(0.25);
        assert_eq!(quarter.apply_once(6), 2);
        assert_eq!(quarter.apply_once(-6), -1);
        assert_eq!(Multiplier::from_f64(3.0).apply_once(-7), -21);
        assert_eq!(Multiplier::ZERO.apply_once(123_456), 0);
    }
}
