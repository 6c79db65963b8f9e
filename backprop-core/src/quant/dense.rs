//! [`QuantizedDense`]: one fully connected layer in int8, and how it is made from a float
//! [`Dense`].

use super::{Float, Multiplier, Quantization, Range, saturate};
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
/// `M_j` an integer [`Multiplier`] (`multiplier[j]`, `shift[j]`).
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
    /// The layer's `i8` outputs for `i8` inputs, in integer arithmetic only.
    #[inline]
    pub fn forward(&self, input: &[i8; I]) -> [i8; O] {
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

/// `M (bias + sum_i weights_i input_i)` for one row. Not generic and not inlined, so that every
/// layer of every width shares one copy of it in flash.
#[inline(never)]
fn requantized_row(weights: &[i8], input: &[i8], bias: i32, multiplier: Multiplier) -> i32 {
    let mut sum = 0_i32;
    for (&weight, &a) in weights.iter().zip(input) {
        sum += i32::from(weight) * i32::from(a);
    }
    multiplier.apply(sum.saturating_add(bias))
}

/// The integer weights, biases and multipliers of `dense` for inputs stored as `input` and results
/// stored as `result`.
fn integer_parameters<T: Float, const I: usize, const O: usize>(
    dense: &Dense<T, I, O>,
    input: Quantization<T>,
    result: Quantization<T>,
) -> ([[i8; I]; O], [i32; O], [Multiplier; O]) {
    let mut weights = [[0; I]; O];
    let mut bias = [0; O];
    let mut multiplier = [Multiplier::ZERO; O];
    let input_scale = input.scale.to_f64();
    for j in 0..O {
        let largest = dense.weights[j]
            .iter()
            .fold(0.0_f64, |largest, w| largest.max(w.to_f64().abs()));
        let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        let mut row_sum = 0_i64;
        for (q, &w) in weights[j].iter_mut().zip(&dense.weights[j]) {
            *q = saturate(T::from_f64(w.to_f64() / scale).round_to_i32());
            row_sum += i64::from(*q);
        }
        let accumulator_scale = input_scale * scale;
        let real_bias = libm::round(dense.bias[j].to_f64() / accumulator_scale);
        // Kept within 2^30 either side, so the sum of a row (under 2^30 too) cannot overflow.
        let limit = f64::from(1_u32 << 30);
        #[allow(clippy::cast_possible_truncation)] // clamped to +-2^30 first
        let real_bias = real_bias.clamp(-limit, limit) as i64;
        let folded = real_bias - i64::from(input.zero_point) * row_sum;
        #[allow(clippy::cast_possible_truncation)] // clamped to the i32 range
        let folded = folded.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        bias[j] = folded;
        multiplier[j] = Multiplier::from_f64(accumulator_scale / result.scale.to_f64());
    }
    (weights, bias, multiplier)
}

impl<const I: usize, const O: usize> QuantizedDense<I, O, Clamp> {
    /// `identity`: the output stored over the calibrated `pre_activation` range, clamped to the
    /// whole `i8` range. Returns the layer and its output's [`Quantization`].
    pub fn identity<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        let output = Quantization::from_range(pre_activation);
        Self::clamped(dense, input, output, -128)
    }

    /// `relu`: the output stored over `[0, max]` of the calibrated `pre_activation` range, so that
    /// 0 is the lowest code and ReLU is the clamp to it.
    pub fn relu<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        let output = Quantization::from_range(Range {
            min: 0.0,
            max: pre_activation.max,
        });
        Self::clamped(dense, input, output, output.zero_point)
    }

    fn clamped<T: Float>(
        dense: &Dense<T, I, O>,
        input: Quantization<T>,
        output: Quantization<T>,
        min: i8,
    ) -> (Self, Quantization<T>) {
        let (weights, bias, multipliers) = integer_parameters(dense, input, output);
        let layer = Self {
            weights,
            bias,
            multiplier: multipliers.map(|m| m.multiplier),
            shift: multipliers.map(|m| m.shift),
            zero_point: output.zero_point,
            activation: Clamp { min, max: 127 },
        };
        (layer, output)
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
        let pre = Quantization::<T>::from_range(pre_activation);
        let codes =
            core::array::from_fn::<i8, 256, _>(|k| saturate(i32::try_from(k).unwrap_or(0) - 128));
        let values = codes.map(|q| activation(pre.dequantize(q)));
        let mut range = Range::EMPTY;
        range.include(&values);
        let output = Quantization::from_range(range);
        let (weights, bias, multipliers) = integer_parameters(dense, input, pre);
        let layer = Self {
            weights,
            bias,
            multiplier: multipliers.map(|m| m.multiplier),
            shift: multipliers.map(|m| m.shift),
            zero_point: pre.zero_point,
            activation: Table {
                output: values.map(|value| output.quantize(value)),
            },
        };
        (layer, output)
    }
}
