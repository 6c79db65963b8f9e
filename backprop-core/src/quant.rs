//! int8 inference from a trained float net: post-training quantisation as TensorFlow Lite and
//! CMSIS-NN do it, with integer arithmetic only between the quantised input and the quantised
//! output.
//!
//! - A value `x` of one tensor is stored as `q = round(x / scale) + zero_point`, an `i8`
//!   ([`Quantization`]); the range `[min, max]` seen on a calibration set (widened to hold 0, so
//!   that 0 and ReLU's floor are exact) is spread over the 256 codes.
//! - Weights are symmetric, one scale per output row: `w = scale_j * q_w`, `q_w` in `-127..=127`.
//! - A layer sums `q_w * q_a` in an `i32` accumulator, with the bias (in the accumulator's units
//!   `scale_in * scale_j`) and the input's zero point folded into one `i32` per row; the sum is
//!   brought to the output's scale by an integer [`Multiplier`] and shift per row, TensorFlow Lite's
//!   `MultiplyByQuantizedMultiplier`, and clamped: the whole of `identity` and `relu`. A dense
//!   layer rounds once ([`Multiplier::apply_once`]), as `LiteRT`'s reference `FULLY_CONNECTED`
//!   does; the convolutions twice ([`Multiplier::apply`], gemmlowp's), as its `CONV_2D` and
//!   `DEPTHWISE_CONV_2D` do (both checked bit for bit against `LiteRT` on MLPerf Tiny's models).
//! - Any other elementwise activation is a [`Table`] of 256 `i8`s, the activation evaluated once
//!   per code of the pre-activation when the net is quantised.
//!
//! - Along a signal, [`QuantizedConv1d`] and [`QuantizedDepthwiseConv1d`] are such layers with one
//!   scale per output channel; their padding reads the input's zero point (the real 0), as
//!   TensorFlow Lite pads. The pools keep their input's quantisation: [`QuantizedMaxPool1d`] takes
//!   the largest code (exact, the codes being in the values' order), [`QuantizedAvgPool1d`] and
//!   [`QuantizedGlobalAvgPool1d`] the mean of the codes rounded to nearest, halves away from zero
//!   (TensorFlow Lite's int8 `AveragePool`).
//!
//! [`QuantizedDense`] is one such layer; `network!` with `quantize: int8` generates `{Name}Int8`
//! from them and `quantize(&calibration_inputs)` on the float net.

mod channel;
mod conv1d;
mod dense;
mod depthwise;
mod parts;
mod pool;
mod requantize;
#[cfg(test)]
mod signal_tests;
#[cfg(test)]
mod tests;

pub use conv1d::QuantizedConv1d;
pub use dense::{Clamp, Int8Activation, QuantizedDense, Table};
pub use depthwise::QuantizedDepthwiseConv1d;
pub use parts::{
    ActivationMut, ActivationParts, Int8Layer, Int8Network, Int8Parts, Weighted, zero_quantization,
};
pub use pool::{QuantizedAvgPool1d, QuantizedGlobalAvgPool1d, QuantizedMaxPool1d};
pub use requantize::{
    Multiplier, rounding_divide_by_power_of_two, saturating_rounding_doubling_high_mul,
};

use crate::Scalar;

/// The float types a net quantises from: `f32` and `f64`, with the two conversions to and from
/// integers that quantising needs (which [`Scalar`] does not offer).
pub trait Float: Scalar {
    /// The nearest integer, halves away from zero; saturates at the ends of `i32`, NaN gives 0.
    fn round_to_i32(self) -> i32;
    /// The integer as a float (exact for every `i8`, `i16` and accumulator this module makes).
    fn from_i32(value: i32) -> Self;
}

macro_rules! impl_float {
    ($float:ident) => {
        impl Float for $float {
            #[inline]
            fn round_to_i32(self) -> i32 {
                // `as` saturates and sends NaN to 0; the half is added away from zero.
                #[allow(clippy::cast_possible_truncation)]
                if self < 0.0 {
                    (self - 0.5) as i32
                } else {
                    (self + 0.5) as i32
                }
            }

            #[inline]
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)] // exact below 2^24, all it needs
            fn from_i32(value: i32) -> Self {
                value as $float
            }
        }
    };
}

impl_float!(f32);
impl_float!(f64);

/// How one tensor's values are stored as `i8`: `x = scale * (q - zero_point)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantization<T> {
    /// The value of one step of `q`.
    pub scale: T,
    /// The code of the value 0.
    pub zero_point: i8,
}

impl<T: Float> Quantization<T> {
    /// The codes `-128..=127` spread over `range` widened to hold 0 (and to a width of at least
    /// `f32::EPSILON`, so a constant tensor still gets a positive scale).
    #[must_use]
    pub fn from_range(range: Range) -> Self {
        let (min, max) = (range.min.min(0.0), range.max.max(0.0));
        let scale = ((max - min) / 255.0).max(f64::from(f32::EPSILON));
        let zero_point = libm::round(-128.0 - min / scale).clamp(-128.0, 127.0);
        #[allow(clippy::cast_possible_truncation)] // rounded and clamped to the i8 range
        Self {
            scale: T::from_f64(scale),
            zero_point: zero_point as i8,
        }
    }

    /// `q = round(x / scale) + zero_point`, saturated to `i8`.
    #[inline]
    #[must_use]
    pub fn quantize(&self, x: T) -> i8 {
        saturate(
            (x / self.scale)
                .round_to_i32()
                .saturating_add(i32::from(self.zero_point)),
        )
    }

    /// `x = scale * (q - zero_point)`.
    #[inline]
    #[must_use]
    pub fn dequantize(&self, q: i8) -> T {
        self.scale * T::from_i32(i32::from(q) - i32::from(self.zero_point))
    }
}

/// The `i8` nearest to `value`: `value` clamped to `-128..=127`.
#[inline]
#[must_use]
pub const fn saturate(value: i32) -> i8 {
    #[allow(clippy::cast_possible_truncation)] // clamped first
    if value < -128 {
        -128
    } else if value > 127 {
        127
    } else {
        value as i8
    }
}

/// What a layer that reads a vector takes: `[i8; N]`, or a signal `[[i8; L]; C]` with `C * L = N`
/// read flattened channel-major (`flat[c * L + t] = signal[c][t]`), as a `dense` layer reads a
/// signal (torch's `Flatten`). A view, not a copy.
pub trait Codes<const N: usize> {
    /// The codes as one vector.
    fn flat(&self) -> &[i8; N];
}

impl<const N: usize> Codes<N> for [i8; N] {
    #[inline]
    fn flat(&self) -> &[i8; N] {
        self
    }
}

impl<const C: usize, const L: usize, const N: usize> Codes<N> for [[i8; L]; C] {
    #[inline]
    fn flat(&self) -> &[i8; N] {
        crate::shape::flatten(self)
    }
}

/// The smallest and largest value seen, in `f64`: what calibration records per tensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// The smallest value seen.
    pub min: f64,
    /// The largest value seen.
    pub max: f64,
}

impl Range {
    /// Nothing seen yet: `min` is `+inf`, `max` is `-inf`.
    pub const EMPTY: Self = Self {
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };

    /// Widens the range to hold every one of `values` (NaN is ignored).
    pub fn include<T: Scalar>(&mut self, values: &[T]) {
        for value in values {
            let value = value.to_f64();
            self.min = self.min.min(value);
            self.max = self.max.max(value);
        }
    }
}

/// `::backprop_core::quant::Quantization { scale: .., zero_point: .. }`.
#[cfg(feature = "std")]
impl<T: crate::Number> crate::source::Source for Quantization<T> {
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::quant::Quantization { scale: ")?;
        self.scale.write_literal(out)?;
        write!(out, ", zero_point: {} }}", self.zero_point)
    }
}

/// `[a, b, c]`, each integer with its digits grouped in threes.
#[cfg(feature = "std")]
fn write_integers<T: core::fmt::Debug>(
    out: &mut dyn core::fmt::Write,
    values: &[T],
) -> core::fmt::Result {
    out.write_char('[')?;
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        crate::number::write_grouped(out, value)?;
    }
    out.write_char(']')
}

/// `[[a, b], [c, d]]`: rows of integers.
#[cfg(feature = "std")]
fn write_integer_rows<T: core::fmt::Debug, const N: usize>(
    out: &mut dyn core::fmt::Write,
    rows: &[[T; N]],
) -> core::fmt::Result {
    out.write_char('[')?;
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        write_integers(out, row)?;
    }
    out.write_char(']')
}
