//! [`Number`]: what a layer computes with, whether a float ([`Scalar`](crate::Scalar): `f32`,
//! `f64`) or Q16.16 fixed point (`fixed::I16F16`, feature `fixed`). The layers are written once
//! over it; each number type brings its arithmetic and its own summation order: a float sums in
//! the canonical order of [`kernel`](crate::kernel), a fixed-point number exactly in 64 bits,
//! rounded once.

use crate::Dense;
use core::fmt::{self, Debug};

/// A number type of a net's parameters and values. Sealed: implemented for `f32`, `f64` and, with
/// the feature `fixed`, `fixed::I16F16`.
pub trait Number:
    crate::scalar::sealed::SealedNumber
    + Copy
    + Default
    + PartialEq
    + PartialOrd
    + Debug
    + Send
    + Sync
    + 'static
{
    /// `0`.
    const ZERO: Self;
    /// `1`.
    const ONE: Self;
    /// The type's name as written in Rust: `"f32"`, `"f64"`, `"I16F16"`.
    const NAME: &'static str;

    /// The nearest value to `value` (saturating for fixed point; for `f32`, rounded to nearest,
    /// out of range becoming infinite).
    fn from_f64(value: f64) -> Self;
    /// The value as an `f64` (exact for every type here).
    fn to_f64(self) -> f64;

    /// `self + other` (saturating for fixed point): how a gradient is accumulated.
    #[must_use]
    fn accumulate(self, other: Self) -> Self;
    /// `self * other` (rounded to nearest and saturating for fixed point).
    #[must_use]
    fn product(self, other: Self) -> Self;
    /// `self / divisor` (rounded to nearest for fixed point).
    #[must_use]
    fn quotient(self, divisor: Self) -> Self;
    /// `self - other` (saturating for fixed point).
    #[must_use]
    fn difference(self, other: Self) -> Self;
    /// `sum_i row_i input_i + bias` in this type's order for a forward dot product: the canonical
    /// order of [`kernel`](crate::kernel) for a float, exact and rounded once for fixed point.
    fn dot_plus(row: &[Self], input: &[Self], bias: Self) -> Self;
    /// The logistic function, `1 / (1 + e^-z)`: the catalogue's `sigmoid`, as a net of this type
    /// computes it.
    #[must_use]
    fn logistic(self) -> Self;
    /// Its derivative, from `z` and its value.
    fn logistic_slope(z: Self, value: Self) -> Self;
    /// The hyperbolic tangent: the catalogue's `tanh`, as a net of this type computes it.
    #[must_use]
    fn hyperbolic_tangent(self) -> Self;
    /// Its derivative, from `z` and its value.
    fn hyperbolic_tangent_slope(z: Self, value: Self) -> Self;
    /// `self / count`: a mean of `count` values (rounded to nearest for fixed point).
    #[must_use]
    fn mean_of(self, count: usize) -> Self;
    /// `self - rate * derivative`: a step of gradient descent.
    #[must_use]
    fn descend(self, rate: Self, derivative: Self) -> Self;
    /// `outputs[s][j] = dot_plus(rows[j], inputs[s], bias[j])` for every sample `s` and row `j`:
    /// `weights` row-major, `columns` wide, one row per bias; each sample's inputs and outputs
    /// contiguous. A float runs the dense layer's kernel (the same order, whole rows and samples
    /// at once, AVX2 where the CPU has it); the default is the definition.
    fn affine_rows(
        weights: &[Self],
        bias: &[Self],
        columns: usize,
        inputs: &[Self],
        outputs: &mut [Self],
    ) {
        let rows = bias.len();
        for (s, output) in outputs.chunks_exact_mut(rows.max(1)).enumerate() {
            let input = &inputs[s * columns..(s + 1) * columns];
            for (j, output) in output.iter_mut().enumerate() {
                let row = &weights[j * columns..(j + 1) * columns];
                *output = Self::dot_plus(row, input, bias[j]);
            }
        }
    }
    /// `upstream[i] = sum_j weights[j][i] deltas[j]`, over `j` in order from the first term
    /// (`0` with no rows): the transposed map of [`affine_rows`](Self::affine_rows) for one
    /// sample. A float runs the dense layer's backward kernel; the default is the definition.
    fn transposed_rows(weights: &[Self], columns: usize, deltas: &[Self], upstream: &mut [Self]) {
        for (i, slope) in upstream.iter_mut().enumerate() {
            let mut sum = Self::EMPTY_SUM;
            for (j, &delta) in deltas.iter().enumerate() {
                sum = Self::add_product(sum, weights[j * columns + i], delta);
            }
            *slope = if deltas.is_empty() {
                Self::ZERO
            } else {
                Self::close(sum)
            };
        }
    }
    /// A sum being formed in this type's order: a float itself (summed left to right, from
    /// `-0.0`, which adding the first term turns into exactly that term), a fixed-point number's
    /// exact 64-bit sum (rounded once, when closed).
    type Sum: Copy;
    /// The sum of no terms.
    const EMPTY_SUM: Self::Sum;
    /// `sum + a b`.
    fn add_product(sum: Self::Sum, a: Self, b: Self) -> Self::Sum;
    /// `sum + term`.
    fn add_term(sum: Self::Sum, term: Self) -> Self::Sum;
    /// The value of a sum of at least one term.
    fn close(sum: Self::Sum) -> Self;
    /// The value of `sum + bias`, the bias added last.
    fn close_with(sum: Self::Sum, bias: Self) -> Self;

    /// [`Dense::pre_activation`] in this type's order.
    fn dense_forward<const I: usize, const O: usize>(
        layer: &Dense<Self, I, O>,
        input: &[Self; I],
    ) -> [Self; O];
    /// [`Dense::back_propagate`] in this type's order.
    fn dense_backward<const I: usize, const O: usize>(
        layer: &Dense<Self, I, O>,
        delta: &[Self; O],
    ) -> [Self; I];
    /// `weights[j][i] = delta_j input_i`, `bias_j = delta_j`.
    fn set_outer<const I: usize, const O: usize>(
        gradient: &mut Dense<Self, I, O>,
        delta: &[Self; O],
        input: &[Self; I],
    ) {
        for (row, &delta_j) in gradient.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope = delta_j.product(input_i);
            }
        }
        gradient.bias = *delta;
    }
    /// `weights[j][i] += delta_j input_i`, `bias_j += delta_j`.
    fn add_outer<const I: usize, const O: usize>(
        gradient: &mut Dense<Self, I, O>,
        delta: &[Self; O],
        input: &[Self; I],
    ) {
        for (row, &delta_j) in gradient.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope = slope.accumulate(delta_j.product(input_i));
            }
        }
        for (bias, &delta_j) in gradient.bias.iter_mut().zip(delta) {
            *bias = bias.accumulate(delta_j);
        }
    }

    /// The value as a Rust expression that reads back bit for bit: `0.25`, `1e-7`,
    /// `::core::primitive::f32::NAN`, `::backprop_core::fixed::I16F16::from_bits(16_384)`.
    ///
    /// # Errors
    /// When `out` does.
    fn write_literal(self, out: &mut dyn fmt::Write) -> fmt::Result;
}

/// Writes `value`'s shortest round-trip form (its `Debug`) with the digits in groups of three
/// (`0.339_455_978_994_217_7`), as `clippy::unreadable_literal` asks of code a reviewer reads;
/// underscores do not change the value.
pub(crate) fn write_grouped(out: &mut dyn fmt::Write, value: impl Debug) -> fmt::Result {
    let mut buffer = Buffer::default();
    fmt::write(&mut buffer, format_args!("{value:?}"))?;
    write_grouped_text(out, buffer.text())
}

/// [`write_grouped`] of a number already written out.
pub(crate) fn write_grouped_text(out: &mut dyn fmt::Write, literal: &str) -> fmt::Result {
    let (mantissa, exponent) = literal
        .split_once('e')
        .map_or((literal, None), |(mantissa, exponent)| {
            (mantissa, Some(exponent))
        });
    let (sign, digits) = mantissa
        .strip_prefix('-')
        .map_or(("", mantissa), |digits| ("-", digits));
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    out.write_str(sign)?;
    let lead = integer.len() % 3;
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (index + 3 - lead) % 3 == 0 {
            out.write_char('_')?;
        }
        out.write_char(digit)?;
    }
    if !fraction.is_empty() {
        out.write_char('.')?;
        for (index, digit) in fraction.chars().enumerate() {
            if index > 0 && index % 3 == 0 {
                out.write_char('_')?;
            }
            out.write_char(digit)?;
        }
    }
    if let Some(exponent) = exponent {
        write!(out, "e{exponent}")?;
    }
    Ok(())
}

/// Enough room for any number's `Debug` form, on the stack.
struct Buffer {
    bytes: [u8; 64],
    length: usize,
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer {
            bytes: [0; 64],
            length: 0,
        }
    }
}

impl Buffer {
    fn text(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.length]).unwrap_or_default()
    }
}

impl fmt::Write for Buffer {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.length + text.len();
        let slot = self.bytes.get_mut(self.length..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(text.as_bytes());
        self.length = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::{Number, write_grouped_text};

    fn grouped(text: &str) -> String {
        let mut out = String::new();
        write_grouped_text(&mut out, text).unwrap();
        out
    }

    extern crate std;
    use std::string::String;

    #[test]
    fn groups_digits_in_threes_from_the_point() {
        assert_eq!(grouped("0.3394559789942177"), "0.339_455_978_994_217_7");
        assert_eq!(grouped("-1234567.5"), "-1_234_567.5");
        assert_eq!(grouped("123"), "123");
        assert_eq!(grouped("1234e-7"), "1_234e-7");
        assert_eq!(grouped("12"), "12");
    }

    #[test]
    fn literals_read_back_bit_for_bit() {
        for value in [0.1_f32, -3.5e-8, 1.0, f32::MIN_POSITIVE, 16_777_216.0] {
            let mut out = String::new();
            value.write_literal(&mut out).unwrap();
            let read: f32 = out.replace('_', "").parse().unwrap();
            assert_eq!(read.to_bits(), value.to_bits(), "{out}");
        }
        let mut out = String::new();
        f64::NAN.write_literal(&mut out).unwrap();
        assert_eq!(out, "::core::primitive::f64::NAN");
        assert_eq!(<f64 as Number>::to_f64(0.5), 0.5);
    }
}
