//! What every int8 layer with weights shares, whatever its geometry (a dense row, a convolution's
//! output channel): one output channel's weights quantised symmetrically with a scale of their own,
//! its bias in accumulator units with the input's zero point folded in, its requantisation
//! multiplier; the requantisation of one sum; and the three ways requantised sums become outputs
//! ([`Outputs`]: `identity`, `relu`, a table).

use super::{Clamp, Float, Int8Activation, Multiplier, Quantization, Range, Table, saturate};

/// One output channel in integers: `weights` (everything the channel weighs, in any order) as
/// `codes`, `q_w = round(w / scale)` with `scale = max |w| / 127` (1 for a channel of zeros), and
/// the channel's folded bias and its multiplier to `target`:
///
/// - bias: `round(bias / (scale_in * scale))` (kept within `2^30` either side), minus
///   `zero_point_in * sum q_w`: the input's zero point folded in once, so that the layer sums
///   `q_w * q_in` rather than `q_w * (q_in - zero_point_in)`; a layer whose windows read padding
///   reads it as the code `zero_point_in` (the real 0), which this fold cancels exactly;
/// - multiplier: `M = scale_in * scale / scale_target`.
pub(super) fn quantize_channel<T: Float>(
    weights: &[T],
    codes: &mut [i8],
    bias: T,
    input: Quantization<T>,
    target: Quantization<T>,
) -> (i32, Multiplier) {
    let largest = weights
        .iter()
        .fold(0.0_f64, |largest, w| largest.max(w.to_f64().abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    let mut code_sum = 0_i64;
    for (q, &w) in codes.iter_mut().zip(weights) {
        *q = saturate(T::from_f64(w.to_f64() / scale).round_to_i32());
        code_sum += i64::from(*q);
    }
    let accumulator_scale = input.scale.to_f64() * scale;
    let real_bias = libm::round(bias.to_f64() / accumulator_scale);
    // Kept within 2^30 either side, so the sum of a channel (under 2^30 too) cannot overflow.
    let limit = f64::from(1_u32 << 30);
    #[allow(clippy::cast_possible_truncation)] // clamped to +-2^30 first
    let real_bias = real_bias.clamp(-limit, limit) as i64;
    let folded = real_bias - i64::from(input.zero_point) * code_sum;
    #[allow(clippy::cast_possible_truncation)] // clamped to the i32 range
    let folded = folded.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let multiplier = Multiplier::from_f64(accumulator_scale / target.scale.to_f64());
    (folded, multiplier)
}

/// Every output channel of a layer by [`quantize_channel`]: `weights` the float weights of all
/// `C` channels, channel-major, `codes` their `i8` codes in the same layout.
pub(super) fn quantize_channels<T: Float, const C: usize>(
    weights: &[T],
    codes: &mut [i8],
    bias: &[T; C],
    input: Quantization<T>,
    target: Quantization<T>,
) -> Channels<C> {
    let per_channel = weights.len() / C.max(1);
    let mut channels = Channels {
        bias: [0; C],
        multiplier: [0; C],
        shift: [0; C],
    };
    for (c, &bias) in bias.iter().enumerate() {
        let row = c * per_channel..(c + 1) * per_channel;
        let (folded, m) =
            quantize_channel(&weights[row.clone()], &mut codes[row], bias, input, target);
        (channels.bias[c], channels.multiplier[c], channels.shift[c]) =
            (folded, m.multiplier, m.shift);
    }
    channels
}

/// What [`quantize_channels`] gives each output channel: its folded bias, multiplier and shift.
pub(super) struct Channels<const C: usize> {
    pub bias: [i32; C],
    pub multiplier: [i32; C],
    pub shift: [i8; C],
}

/// One output: `activation(zero_point + M (bias + sum))`, `M` the channel's `multiplier` and
/// `shift`; the bias is added saturating, and so is the zero point.
#[inline]
pub(super) fn requantize<A: Int8Activation>(
    sum: i32,
    bias: i32,
    multiplier: i32,
    shift: i8,
    zero_point: i8,
    activation: &A,
) -> i8 {
    let multiplier = Multiplier { multiplier, shift };
    let q = multiplier.apply(sum.saturating_add(bias));
    activation.apply(q.saturating_add(i32::from(zero_point)))
}

/// How a layer's requantised sums become its outputs.
pub(super) struct Outputs<T, A> {
    /// What the sums are requantised to: the output's quantisation, or the pre-activation's for a
    /// table.
    pub target: Quantization<T>,
    /// What is applied to the requantised sums.
    pub activation: A,
    /// How the outputs are stored.
    pub output: Quantization<T>,
}

impl<T: Float> Outputs<T, Clamp> {
    /// `identity`: the output stored over the calibrated `pre_activation` range, clamped to the
    /// whole `i8` range.
    pub(super) fn identity(pre_activation: Range) -> Self {
        let output = Quantization::from_range(pre_activation);
        Self {
            target: output,
            activation: Clamp {
                min: -128,
                max: 127,
            },
            output,
        }
    }

    /// `relu`: the output stored over `[0, max]` of the calibrated `pre_activation` range, so
    /// that 0 is the lowest code and ReLU is the clamp to it.
    pub(super) fn relu(pre_activation: Range) -> Self {
        let output = Quantization::from_range(Range {
            min: 0.0,
            max: pre_activation.max,
        });
        Self {
            target: output,
            activation: Clamp {
                min: output.zero_point,
                max: 127,
            },
            output,
        }
    }
}

impl<T: Float> Outputs<T, Table> {
    /// Any elementwise `activation`: the pre-activation stored over its calibrated range, the
    /// output over the range the activation takes on those 256 codes, and a table from one to
    /// the other.
    pub(super) fn table(pre_activation: Range, activation: impl Fn(T) -> T) -> Self {
        let pre = Quantization::<T>::from_range(pre_activation);
        let codes =
            core::array::from_fn::<i8, 256, _>(|k| saturate(i32::try_from(k).unwrap_or(0) - 128));
        let values = codes.map(|q| activation(pre.dequantize(q)));
        let mut range = Range::EMPTY;
        range.include(&values);
        let output = Quantization::from_range(range);
        Self {
            target: pre,
            activation: Table {
                output: values.map(|value| output.quantize(value)),
            },
            output,
        }
    }
}

/// The code at position `padded` of `signal` padded with `padding` codes on each side: a padded
/// position reads `zero_point`, the code of the real 0 (TensorFlow Lite's padding value).
#[inline]
pub(super) fn padded_code(signal: &[i8], padded: usize, padding: usize, zero_point: i8) -> i8 {
    padded
        .checked_sub(padding)
        .and_then(|step| signal.get(step))
        .copied()
        .unwrap_or(zero_point)
}
