//! [`QuantizedConv1d`]: a 1-d convolution in int8, and how it is made from a float [`Conv1d`].

use super::channel::{Channels, Outputs, padded_code, quantize_channels, requantize};
use super::{Clamp, Float, Int8Activation, Quantization, Range, Table};
use crate::Conv1d;
use crate::layers::output_length;

/// A 1-d convolution from `IN` channels to `OUT` in int8, kernels of `K` taps, windows `STRIDE`
/// steps apart over the input padded by `PADDING` steps on each side. Output channel `o` of
/// window `t` is
///
/// `activation(zero_point + M_o (bias[o] + sum_(i, k) weights[o][i][k] * x[i][t STRIDE + k - PADDING]))`
///
/// with an `i32` sum over every tap, `M_o` an integer [`Multiplier`](super::Multiplier)
/// (`multiplier[o]`, `shift[o]`), and a tap in the padding reading `input_zero_point`, the code
/// of the real 0: TensorFlow Lite's `ConvPerChannel`, which pads with the input's zero point.
///
/// `bias[o]` is the float bias in units of `scale_in * scale_o`, minus
/// `input_zero_point * sum_(i, k) weights[o][i][k]`: the input's zero point folded in over the
/// whole kernel. A window that reads padding then sums exactly what TensorFlow Lite sums,
/// `sum over taps inside of weights (x - input_zero_point)`: each padded tap adds
/// `weights * input_zero_point`, which the fold takes away again. (Leaving the padded taps out of
/// the sum, as the float layer does, would be off by `-input_zero_point * weights` for each of
/// them, the fold taking away a zero point that was never added; folding in only the taps that
/// read inside would take a bias per window.)
///
/// Each product is at most `127 * 128` in size, so the sum cannot overflow for `IN * K` up to
/// `2^17` (checked when compiled); adding the bias saturates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantizedConv1d<
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const STRIDE: usize,
    const PADDING: usize,
    A,
> {
    /// `weights[o][i][k] = round(w / scale_o)`, `scale_o = max_(i, k) |w[o][i][k]| / 127`.
    pub weights: [[[i8; K]; IN]; OUT],
    /// The bias of each output channel with the input's zero point folded in, in accumulator
    /// units.
    pub bias: [i32; OUT],
    /// The mantissa of `M_o = scale_in * scale_o / scale_out` of each output channel.
    pub multiplier: [i32; OUT],
    /// The power of two of each output channel's `M_o`.
    pub shift: [i8; OUT],
    /// The input's zero point: what a tap in the padding reads.
    pub input_zero_point: i8,
    /// The code of 0 in the requantised result (the output's, or the pre-activation's for a
    /// [`Table`]).
    pub zero_point: i8,
    /// Clamp or table.
    pub activation: A,
}

impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, A>
    QuantizedConv1d<IN, OUT, K, S, P, A>
where
    A: Int8Activation,
{
    /// The `i8` outputs of every output channel and window for an `i8` signal of `L` steps
    /// (`LO` windows, checked when compiled), in integer arithmetic only.
    #[must_use]
    pub fn forward<const L: usize, const LO: usize>(
        &self,
        input: &[[i8; L]; IN],
    ) -> [[i8; LO]; OUT] {
        const {
            assert!(
                LO == output_length(L, K, S, P),
                "LO is the number of windows"
            );
            assert!(IN * K <= 1 << 17, "the i32 sum of a window cannot overflow");
        };
        let mut output = [[0; LO]; OUT];
        for (o, row) in output.iter_mut().enumerate() {
            for (t, out) in row.iter_mut().enumerate() {
                let mut sum = 0_i32;
                for (signal, taps) in input.iter().zip(&self.weights[o]) {
                    for (k, &weight) in taps.iter().enumerate() {
                        let x = padded_code(signal, t * S + k, P, self.input_zero_point);
                        sum += i32::from(weight) * i32::from(x);
                    }
                }
                *out = requantize(
                    sum,
                    self.bias[o],
                    self.multiplier[o],
                    self.shift[o],
                    self.zero_point,
                    &self.activation,
                );
            }
        }
        output
    }
}

impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, A>
    QuantizedConv1d<IN, OUT, K, S, P, A>
{
    /// `conv` in integers for inputs stored as `input`, each output channel by
    /// [`quantize_channels`], its sums becoming outputs as `outputs` says.
    fn quantized<T: Float>(
        conv: &Conv1d<T, IN, OUT, K, S, P>,
        input: Quantization<T>,
        outputs: Outputs<T, A>,
    ) -> (Self, Quantization<T>) {
        let mut weights = [[[0; K]; IN]; OUT];
        let Channels {
            bias,
            multiplier,
            shift,
        } = quantize_channels(
            conv.weights.as_flattened().as_flattened(),
            weights.as_flattened_mut().as_flattened_mut(),
            &conv.bias,
            input,
            outputs.target,
        );
        let layer = Self {
            weights,
            bias,
            multiplier,
            shift,
            input_zero_point: input.zero_point,
            zero_point: outputs.target.zero_point,
            activation: outputs.activation,
        };
        (layer, outputs.output)
    }
}

impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize>
    QuantizedConv1d<IN, OUT, K, S, P, Clamp>
{
    /// `identity`: the output stored over the calibrated `pre_activation` range, clamped to the
    /// whole `i8` range. Returns the layer and its output's [`Quantization`].
    pub fn identity<T: Float>(
        conv: &Conv1d<T, IN, OUT, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::identity(pre_activation))
    }

    /// `relu`: the output stored over `[0, max]` of the calibrated `pre_activation` range, so that
    /// 0 is the lowest code and ReLU is the clamp to it.
    pub fn relu<T: Float>(
        conv: &Conv1d<T, IN, OUT, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::relu(pre_activation))
    }
}

impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize>
    QuantizedConv1d<IN, OUT, K, S, P, Table>
{
    /// Any elementwise `activation`, as a table from the pre-activation's codes (stored over its
    /// calibrated range) to the output's. Returns the layer and its output's [`Quantization`].
    pub fn table<T: Float>(
        conv: &Conv1d<T, IN, OUT, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
        activation: impl Fn(T) -> T,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::table(pre_activation, activation))
    }
}

/// `::backprop_core::quant::QuantizedConv1d { weights: .., bias: .., ... }`, every integer
/// written out, digits grouped in threes.
#[cfg(feature = "std")]
impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, A>
    crate::source::Source for QuantizedConv1d<IN, OUT, K, S, P, A>
where
    A: crate::source::Source,
{
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::quant::QuantizedConv1d {\n        weights: [")?;
        for (index, plane) in self.weights.iter().enumerate() {
            if index > 0 {
                out.write_str(", ")?;
            }
            super::write_integer_rows(out, plane)?;
        }
        out.write_str("],\n        bias: ")?;
        super::write_integers(out, &self.bias)?;
        out.write_str(",\n        multiplier: ")?;
        super::write_integers(out, &self.multiplier)?;
        out.write_str(",\n        shift: ")?;
        super::write_integers(out, &self.shift)?;
        write!(
            out,
            ",\n        input_zero_point: {},\n        zero_point: {},\n        activation: ",
            self.input_zero_point, self.zero_point
        )?;
        self.activation.write_source(out)?;
        out.write_str(",\n    }")
    }
}
