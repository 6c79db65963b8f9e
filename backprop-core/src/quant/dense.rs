//! [`QuantizedDense`]: one fully connected layer in int8, and how it is made from a float
//! [`Dense`].

use super::channel::{Channels, Outputs, quantize_channels};
use super::{Codes, Float, Multiplier, Quantization, Range, saturate};
use crate::Dense;

/// The activation of an int8 layer, applied to the requantised accumulator `q` (an `i32` already
/// offset by the zero point, not yet clamped).
pub trait Int8Activation {
    /// The layer's `i8` output for `q`.
    fn apply(&self, q: i32) -> i8;
}

/// `identity` and `relu`: the requantised value clamped to `min..=max` (ReLU's `min` is the code
/// of 0, which calibration makes the output's lowest code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clamp {
    /// The lowest code.
    pub min: i8,
    /// The highest code.
    pub max: i8,
}

impl Int8Activation for Clamp {
    #[inline]
    fn apply(&self, q: i32) -> i8 {
        saturate(q.clamp(i32::from(self.min), i32::from(self.max)))
    }
}

/// Any elementwise activation: `output[q + 128]` for the pre-activation's code `q`, the float
/// activation evaluated once per code when the layer was quantised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// The output code of each pre-activation code `-128..=127`, in that order.
    pub output: [i8; 256],
}

impl Int8Activation for Table {
    #[inline]
    fn apply(&self, q: i32) -> i8 {
        #[allow(clippy::cast_sign_loss)] // saturate(q) + 128 is in 0..=255
        self.output[(i32::from(saturate(q)) + 128) as usize]
    }
}

/// One fully connected layer in int8: node `j` computes
/// `activation(zero_point + M_j (bias_j + sum_i weights[j][i] * input_i))` with an `i32` sum, and
/// `M_j` an integer [`Multiplier`] (`multiplier[j]`, `shift[j]`) applied with one rounding
/// ([`Multiplier::apply_once`], `LiteRT`'s `FULLY_CONNECTED`).
///
/// `bias_j` is the float bias in units of `scale_in * scale_j`, minus
/// `zero_point_in * sum_i weights[j][i]`: the input's zero point, folded in once here instead of
/// subtracted from every input. The products are at most `127 * 128`, so the sum of a row cannot
/// overflow below 2^17 inputs; adding the bias saturates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantizedDense<const I: usize, const O: usize, A> {
    /// `weights[j][i] = round(w_ji / scale_j)`, `scale_j = max_i |w_ji| / 127`.
    pub weights: [[i8; I]; O],
    /// The bias of each row with the input's zero point folded in, in accumulator units.
    pub bias: [i32; O],
    /// The mantissa of `M_j = scale_in * scale_j / scale_out` of each row, a [`Multiplier`]'s.
    pub multiplier: [i32; O],
    /// The power of two of each row's `M_j` (kept apart from the mantissa, so the two arrays
    /// take 5 bytes a row in flash rather than a padded 8).
    pub shift: [i8; O],
    /// The code of 0 in the requantised result (the output's, or the pre-activation's for a
    /// [`Table`]).
    pub zero_point: i8,
    /// Clamp or table.
    pub activation: A,
}

impl<const I: usize, const O: usize, A: Int8Activation> QuantizedDense<I, O, A> {
    /// The layer's `i8` outputs for `i8` inputs, in integer arithmetic only: a vector `[i8; I]`,
    /// or a signal `[[i8; L]; C]` read flattened channel-major ([`Codes`]).
    #[inline]
    pub fn forward(&self, input: &impl Codes<I>) -> [i8; O] {
        let input = input.flat();
        let mut output = [0; O];
        for (j, output_j) in output.iter_mut().enumerate() {
            let multiplier = Multiplier {
                multiplier: self.multiplier[j],
                shift: self.shift[j],
            };
            let q = requantized_row(&self.weights[j], input, self.bias[j], multiplier);
            *output_j = self
                .activation
                .apply(q.saturating_add(i32::from(self.zero_point)));
        }
        output
    }
}

/// `M (bias + sum_i weights_i input_i)` for one row, rounded once ([`Multiplier::apply_once`]), as
/// `LiteRT`'s `FULLY_CONNECTED` rounds. Not generic and not inlined, so that every
/// layer of every width shares one copy of it in flash.
#[inline(never)]
fn requantized_row(weights: &[i8], input: &[i8], bias: i32, multiplier: Multiplier) -> i32 {
    let mut sum = 0_i32;
    for (&weight, &a) in weights.iter().zip(input) {
        sum += i32::from(weight) * i32::from(a);
    }
    multiplier.apply_once(sum.saturating_add(bias))
}

impl<const I: usize, const O: usize, A> QuantizedDense<I, O, A> {
    /// `dense` in integers for inputs stored as `input`, each row by [`quantize_channels`], its
    /// sums becoming outputs as `outputs` says. The layer and its output's [`Quantization`].
    fn quantized<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        outputs: Outputs<T, A>,
    ) -> (Self, Quantization<T>) {
        let mut weights = [[0; I]; O];
        let Channels {
            bias,
            multiplier,
            shift,
        } = quantize_channels(
            dense.weights.as_flattened(),
            weights.as_flattened_mut(),
            &dense.bias,
            input,
            outputs.target,
        );
        let layer = Self {
            weights,
            bias,
            multiplier,
            shift,
            zero_point: outputs.target.zero_point,
            activation: outputs.activation,
        };
        (layer, outputs.output)
    }
}

impl<const I: usize, const O: usize> QuantizedDense<I, O, Clamp> {
    /// `identity`: the output stored over the calibrated `pre_activation` range, clamped to the
    /// whole `i8` range. Returns the layer and its output's [`Quantization`].
    pub fn identity<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(dense, input, Outputs::identity(pre_activation))
    }

    /// `relu`: the output stored over `[0, max]` of the calibrated `pre_activation` range, so that
    /// 0 is the lowest code and ReLU is the clamp to it.
    pub fn relu<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(dense, input, Outputs::relu(pre_activation))
    }
}

impl<const I: usize, const O: usize> QuantizedDense<I, O, Table> {
    /// Any elementwise `activation`: the pre-activation stored over its calibrated range, and the
    /// output over the range the activation takes on those 256 codes, then a table from one to the
    /// other. Returns the layer and its output's [`Quantization`].
    pub fn table<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        pre_activation: Range,
        activation: impl Fn(T) -> T,
    ) -> (Self, Quantization<T>) {
        Self::quantized(dense, input, Outputs::table(pre_activation, activation))
    }
}

/// `::backprop_core::quant::QuantizedDense { weights: .., bias: .., ... }`, every integer written
/// out, digits grouped in threes.
#[cfg(feature = "std")]
impl<const I: usize, const O: usize, A: crate::source::Source> crate::source::Source
    for QuantizedDense<I, O, A>
{
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::quant::QuantizedDense {\n        weights: [")?;
        for (index, row) in self.weights.iter().enumerate() {
            if index > 0 {
                out.write_str(", ")?;
            }
            super::write_integers(out, row)?;
        }
        out.write_str("],\n        bias: ")?;
        super::write_integers(out, &self.bias)?;
        out.write_str(",\n        multiplier: ")?;
        super::write_integers(out, &self.multiplier)?;
        out.write_str(",\n        shift: ")?;
        super::write_integers(out, &self.shift)?;
        write!(
            out,
            ",\n        zero_point: {},\n        activation: ",
            self.zero_point
        )?;
        self.activation.write_source(out)?;
        out.write_str(",\n    }")
    }
}

/// `::backprop_core::quant::Clamp { min: .., max: .. }`.
#[cfg(feature = "std")]
impl crate::source::Source for Clamp {
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        write!(
            out,
            "::backprop_core::quant::Clamp {{ min: {}, max: {} }}",
            self.min, self.max
        )
    }
}

/// `::backprop_core::quant::Table { output: [..] }`.
#[cfg(feature = "std")]
impl crate::source::Source for Table {
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::quant::Table { output: ")?;
        super::write_integers(out, &self.output)?;
        out.write_str(" }")
    }
}
