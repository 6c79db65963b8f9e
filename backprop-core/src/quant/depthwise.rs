//! [`QuantizedDepthwiseConv1d`]: a depthwise 1-d convolution in int8, and how it is made from a
//! float [`DepthwiseConv1d`].

use super::channel::{Channels, Outputs, padded_code, quantize_channels, requantize};
use super::{Clamp, Float, Int8Activation, Quantization, Range, Table};
use crate::DepthwiseConv1d;
use crate::layers::output_length;

/// A depthwise 1-d convolution over `C` channels in int8, one kernel of `K` taps per channel,
/// windows `STRIDE` steps apart over the input padded by `PADDING` steps on each side. Channel `c`
/// of window `t` is
///
/// `activation(zero_point + M_c (bias[c] + sum_k weights[c][k] * x[c][t STRIDE + k - PADDING]))`
///
/// with an `i32` sum over every tap, `M_c` an integer [`Multiplier`](super::Multiplier)
/// (`multiplier[c]`, `shift[c]`), and a tap in the padding reading `input_zero_point`, the code
/// of the real 0: TensorFlow Lite's `DepthwiseConvPerChannel` with a depth multiplier of 1.
///
/// `bias[c]` is the float bias in units of `scale_in * scale_c`, minus
/// `input_zero_point * sum_k weights[c][k]`, the zero point folded in over the whole kernel,
/// which each padded tap's `weights[c][k] * input_zero_point` gives back: a window that reads
/// padding sums `sum over taps inside of weights (x - input_zero_point)`, as TensorFlow Lite does
/// (see [`QuantizedConv1d`](super::QuantizedConv1d)).
///
/// The sum of a window cannot overflow for `K` up to `2^17` (checked when compiled); adding the
/// bias saturates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuantizedDepthwiseConv1d<
    const C: usize,
    const K: usize,
    const STRIDE: usize,
    const PADDING: usize,
    A,
> {
    /// `weights[c][k] = round(w / scale_c)`, `scale_c = max_k |w[c][k]| / 127`.
    pub weights: [[i8; K]; C],
    /// The bias of each channel with the input's zero point folded in, in accumulator units.
    pub bias: [i32; C],
    /// The mantissa of `M_c = scale_in * scale_c / scale_out` of each channel.
    pub multiplier: [i32; C],
    /// The power of two of each channel's `M_c`.
    pub shift: [i8; C],
    /// The input's zero point: what a tap in the padding reads.
    pub input_zero_point: i8,
    /// The code of 0 in the requantised result (the output's, or the pre-activation's for a
    /// [`Table`]).
    pub zero_point: i8,
    /// Clamp or table.
    pub activation: A,
}

impl<const C: usize, const K: usize, const S: usize, const P: usize, A>
    QuantizedDepthwiseConv1d<C, K, S, P, A>
where
    A: Int8Activation,
{
    /// The `i8` outputs of every channel and window for an `i8` signal of `L` steps (`LO`
    /// windows, checked when compiled), in integer arithmetic only.
    #[must_use]
    pub fn forward<const L: usize, const LO: usize>(&self, input: &[[i8; L]; C]) -> [[i8; LO]; C] {
        const {
            assert!(
                LO == output_length(L, K, S, P),
                "LO is the number of windows"
            );
            assert!(K <= 1 << 17, "the i32 sum of a window cannot overflow");
        };
        let mut output = [[0; LO]; C];
        for (c, (row, signal)) in output.iter_mut().zip(input).enumerate() {
            for (t, out) in row.iter_mut().enumerate() {
                let mut sum = 0_i32;
                for (k, &weight) in self.weights[c].iter().enumerate() {
                    let x = padded_code(signal, t * S + k, P, self.input_zero_point);
                    sum += i32::from(weight) * i32::from(x);
                }
                *out = requantize(
                    sum,
                    self.bias[c],
                    self.multiplier[c],
                    self.shift[c],
                    self.zero_point,
                    &self.activation,
                );
            }
        }
        output
    }
}

impl<const C: usize, const K: usize, const S: usize, const P: usize, A>
    QuantizedDepthwiseConv1d<C, K, S, P, A>
{
    /// `conv` in integers for inputs stored as `input`, each channel by [`quantize_channels`], its
    /// sums becoming outputs as `outputs` says.
    fn quantized<T: Float>(
        conv: &DepthwiseConv1d<T, C, K, S, P>,
        input: Quantization<T>,
        outputs: Outputs<T, A>,
    ) -> (Self, Quantization<T>) {
        let mut weights = [[0; K]; C];
        let Channels {
            bias,
            multiplier,
            shift,
        } = quantize_channels(
            conv.weights.as_flattened(),
            weights.as_flattened_mut(),
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

impl<const C: usize, const K: usize, const S: usize, const P: usize>
    QuantizedDepthwiseConv1d<C, K, S, P, Clamp>
{
    /// `identity`: the output stored over the calibrated `pre_activation` range, clamped to the
    /// whole `i8` range. Returns the layer and its output's [`Quantization`].
    pub fn identity<T: Float>(
        conv: &DepthwiseConv1d<T, C, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::identity(pre_activation))
    }

    /// `relu`: the output stored over `[0, max]` of the calibrated `pre_activation` range, so that
    /// 0 is the lowest code and ReLU is the clamp to it.
    pub fn relu<T: Float>(
        conv: &DepthwiseConv1d<T, C, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::relu(pre_activation))
    }
}

impl<const C: usize, const K: usize, const S: usize, const P: usize>
    QuantizedDepthwiseConv1d<C, K, S, P, Table>
{
    /// Any elementwise `activation`, as a table from the pre-activation's codes (stored over its
    /// calibrated range) to the output's. Returns the layer and its output's [`Quantization`].
    pub fn table<T: Float>(
        conv: &DepthwiseConv1d<T, C, K, S, P>,
        input: Quantization<T>,
        pre_activation: Range,
        activation: impl Fn(T) -> T,
    ) -> (Self, Quantization<T>) {
        Self::quantized(conv, input, Outputs::table(pre_activation, activation))
    }
}

/// `::backprop_core::quant::QuantizedDepthwiseConv1d { weights: .., bias: .., ... }`, every
/// integer written out, digits grouped in threes.
#[cfg(feature = "std")]
impl<const C: usize, const K: usize, const S: usize, const P: usize, A> crate::source::Source
    for QuantizedDepthwiseConv1d<C, K, S, P, A>
where
    A: crate::source::Source,
{
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::quant::QuantizedDepthwiseConv1d {\n        weights: ")?;
        super::write_integer_rows(out, &self.weights)?;
        out.write_str(",\n        bias: ")?;
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
