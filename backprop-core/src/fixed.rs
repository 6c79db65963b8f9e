//! Fixed-point nets for parts without an FPU (feature `fixed`): [`I16F16`], the `fixed` crate's
//! Q16.16 number (16 integer bits with the sign, 16 fraction bits: steps of `2^-16`, about
//! `1.5e-5`, over `[-32768, 32768)`), and the forward pass, gradient and SGD step of a [`Dense`]
//! layer, activations and losses in integer arithmetic only.
//!
//! Every operation here saturates at the ends of the range instead of wrapping, and rounds to
//! nearest: a product of two Q16.16 numbers is formed exactly in 64 bits (Q32.32), and a weighted
//! sum of a row is accumulated exactly in 64 bits too and rounded once. (The `fixed` crate's own
//! `+` and `*` wrap in release builds and panic in debug builds; code here calls the saturating
//! forms.)
//!
//! A Q16.16 net trains with plain SGD (`sgd_step`, and `train_step` with a learning rate). Adam is
//! not offered: its second moment `g^2` is below the `2^-16` step for any gradient under `2^-8`,
//! and dividing by its square root then blows the step up.
//!
//! [`Dense`]: crate::Dense

pub mod activation;
mod dense;
pub mod loss;
#[cfg(test)]
mod tests;

pub use fixed::types::I16F16;

use crate::{Dense, Number};

/// The fraction bits of [`I16F16`].
const FRACTION_BITS: u32 = 16;

/// `1` in Q16.16.
pub const ONE: I16F16 = I16F16::ONE;

/// `a * b`, rounded to nearest (halves up) and saturated.
#[inline]
#[must_use]
pub fn mul(a: I16F16, b: I16F16) -> I16F16 {
    from_wide(i64::from(a.to_bits()) * i64::from(b.to_bits()))
}

/// A Q32.32 number rounded to the nearest Q16.16 (halves up), saturated.
#[inline]
#[must_use]
pub fn from_wide(wide: i64) -> I16F16 {
    let rounded = wide.saturating_add(1 << (FRACTION_BITS - 1)) >> FRACTION_BITS;
    #[allow(clippy::cast_possible_truncation)] // clamped to the i32 range first
    I16F16::from_bits(rounded.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
}

/// `sum_i a_i b_i` exactly, as Q32.32, saturating (64 bits hold 4 products of the largest values,
/// and billions of the products a net makes).
#[inline]
#[must_use]
pub fn dot(a: &[I16F16], b: &[I16F16]) -> i64 {
    a.iter().zip(b).fold(0_i64, |sum, (a, b)| {
        sum.saturating_add(i64::from(a.to_bits()) * i64::from(b.to_bits()))
    })
}

/// A Q16.16 number widened to Q32.32, to add to a [`dot`] before it is rounded.
#[inline]
#[must_use]
pub fn widen(value: I16F16) -> i64 {
    i64::from(value.to_bits()) << FRACTION_BITS
}

/// `sum_i a_i b_i + bias`, exact in 64 bits (saturating), rounded once: how every sum of a
/// fixed-point net is taken, whatever its order.
#[inline]
#[must_use]
pub fn affine<const N: usize>(pairs: [(I16F16, I16F16); N], bias: I16F16) -> I16F16 {
    from_wide(wide_sum(pairs.into_iter()).saturating_add(widen(bias)))
}

/// `sum_i a_i b_i` exactly as Q32.32, saturating.
#[inline]
fn wide_sum(pairs: impl Iterator<Item = (I16F16, I16F16)>) -> i64 {
    pairs.fold(0_i64, |sum, (a, b)| {
        sum.saturating_add(i64::from(a.to_bits()) * i64::from(b.to_bits()))
    })
}

/// `value / count` rounded to nearest (halves away from zero): the mean of a sum of `count`.
#[must_use]
pub fn divide(value: I16F16, count: usize) -> I16F16 {
    let count = i64::try_from(count.max(1)).unwrap_or(i64::MAX);
    let bits = i64::from(value.to_bits());
    let half = count / 2;
    let quotient = if bits < 0 {
        (bits - half) / count
    } else {
        (bits + half) / count
    };
    #[allow(clippy::cast_possible_truncation)] // |quotient| <= |bits|, an i32
    I16F16::from_bits(quotient as i32)
}

/// Q16.16 as a number type of the shared forms: saturating arithmetic, products rounded to
/// nearest, every sum exact in 64 bits and rounded once.
impl Number for I16F16 {
    const ZERO: Self = I16F16::ZERO;
    const ONE: Self = I16F16::ONE;
    const NAME: &'static str = "I16F16";

    fn from_f64(value: f64) -> Self {
        I16F16::saturating_from_num(value)
    }

    fn to_f64(self) -> f64 {
        self.to_num::<f64>()
    }

    #[inline]
    fn accumulate(self, other: Self) -> Self {
        self.saturating_add(other)
    }

    #[inline]
    fn product(self, other: Self) -> Self {
        mul(self, other)
    }

    #[inline]
    fn quotient(self, divisor: Self) -> Self {
        self.saturating_div(divisor)
    }

    #[inline]
    fn mean_of(self, count: usize) -> Self {
        divide(self, count)
    }

    #[inline]
    fn difference(self, other: Self) -> Self {
        self.saturating_sub(other)
    }

    fn dot_plus(row: &[Self], input: &[Self], bias: Self) -> Self {
        let pairs = row.iter().copied().zip(input.iter().copied());
        from_wide(wide_sum(pairs).saturating_add(widen(bias)))
    }

    fn logistic(self) -> Self {
        activation::sigmoid(self)
    }

    fn logistic_slope(z: Self, value: Self) -> Self {
        activation::sigmoid_derivative(z, value)
    }

    fn hyperbolic_tangent(self) -> Self {
        activation::tanh(self)
    }

    fn hyperbolic_tangent_slope(z: Self, value: Self) -> Self {
        activation::tanh_derivative(z, value)
    }

    #[inline]
    fn descend(self, rate: Self, derivative: Self) -> Self {
        self.saturating_sub(mul(rate, derivative))
    }

    type Sum = i64;
    const EMPTY_SUM: i64 = 0;

    #[inline]
    fn add_product(sum: i64, a: Self, b: Self) -> i64 {
        sum.saturating_add(i64::from(a.to_bits()) * i64::from(b.to_bits()))
    }

    #[inline]
    fn add_term(sum: i64, term: Self) -> i64 {
        sum.saturating_add(widen(term))
    }

    #[inline]
    fn close(sum: i64) -> Self {
        from_wide(sum)
    }

    #[inline]
    fn close_with(sum: i64, bias: Self) -> Self {
        from_wide(sum.saturating_add(widen(bias)))
    }

    fn dense_forward<const I: usize, const O: usize>(
        layer: &Dense<Self, I, O>,
        input: &[Self; I],
    ) -> [Self; O] {
        core::array::from_fn(|j| {
            let pairs = layer.weights[j].iter().copied().zip(input.iter().copied());
            from_wide(wide_sum(pairs).saturating_add(widen(layer.bias[j])))
        })
    }

    fn dense_backward<const I: usize, const O: usize>(
        layer: &Dense<Self, I, O>,
        delta: &[Self; O],
    ) -> [Self; I] {
        core::array::from_fn(|i| {
            let pairs = layer
                .weights
                .iter()
                .map(|row| row[i])
                .zip(delta.iter().copied());
            from_wide(wide_sum(pairs))
        })
    }

    fn write_literal(self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::fixed::I16F16::from_bits(")?;
        crate::number::write_grouped(out, self.to_bits())?;
        out.write_char(')')
    }
}
