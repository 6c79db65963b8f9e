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
//! [`Dense`]: crate::Dense

pub mod activation;
mod dense;
pub use dense::Layer;
#[cfg(feature = "std")]
pub use dense::to_rust_source;
pub mod loss;
#[cfg(test)]
mod tests;

pub use fixed::types::I16F16;

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
