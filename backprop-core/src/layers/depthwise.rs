//! [`DepthwiseConv1d`]: one 1-d filter per channel, torch's `Conv1d` with `groups = channels`
//! (zero padding, bias).
//!
//! - forward: `z[c][t] = sum_k weights[c][k] x[c][t S + k - P] + bias[c]`;
//! - backward: `upstream[c][s] = sum_k weights[c][k] delta[c][t]` over the windows `t` whose tap
//!   `k` reads step `s`;
//! - gradient: `dL/dweights[c][k] = sum_t delta[c][t] x[c][t S + k - P]`,
//!   `dL/dbias[c] = sum_t delta[c][t]`.
//!
//! The summation order is [`Conv1d`](super::Conv1d)'s with one input channel per output channel:
//! over `k`, or over `t` ascending, left to right from the first term, padding left out, bias
//! last, a step no window reads given `0`.

use super::signal::{Windows, output_length, store_bias};
use crate::store::Store;
use crate::{Layer, Number};

/// The kernels and biases of a depthwise 1-d convolution over `C` channels, with kernels of `K`
/// taps, windows `STRIDE` steps apart and `PADDING` zeros on each side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DepthwiseConv1d<
    T,
    const C: usize,
    const K: usize,
    const STRIDE: usize,
    const PADDING: usize,
> {
    /// `weights[c][k]` weighs tap `k` of channel `c` (torch's `[channels, 1, k]`).
    pub weights: [[T; K]; C],
    /// One bias per channel.
    pub bias: [T; C],
}

impl<T: Number, const C: usize, const K: usize, const S: usize, const P: usize>
    DepthwiseConv1d<T, C, K, S, P>
{
    /// A layer whose every parameter is zero.
    pub const ZERO: Self = Self {
        weights: [[T::ZERO; K]; C],
        bias: [T::ZERO; C],
    };

    /// The windows over a signal of `L` steps, checked to be `LO` when compiled.
    const fn windows<const L: usize, const LO: usize>() -> Windows {
        const {
            assert!(
                LO == output_length(L, K, S, P),
                "LO is the number of windows"
            );
        };
        Windows::new(L, K, S, P)
    }

    /// The pre-activations `z[c][t]` of every channel and window.
    #[must_use]
    pub fn forward<const L: usize, const LO: usize>(&self, input: &[[T; L]; C]) -> [[T; LO]; C] {
        let windows = Self::windows::<L, LO>();
        let mut output = [[T::ZERO; LO]; C];
        for (((row, taps), &bias), signal) in output
            .iter_mut()
            .zip(&self.weights)
            .zip(&self.bias)
            .zip(input)
        {
            let mut sums = [T::EMPTY_SUM; LO];
            windows.add_filtered(&mut sums, taps, signal);
            for (z, sum) in row.iter_mut().zip(sums) {
                *z = T::close_with(sum, bias);
            }
        }
        output
    }

    /// The slopes of the loss for the input, from the deltas.
    #[must_use]
    pub fn backward<const L: usize, const LO: usize>(&self, delta: &[[T; LO]; C]) -> [[T; L]; C] {
        let windows = Self::windows::<L, LO>();
        let covered = windows.covered::<L>();
        core::array::from_fn(|c| {
            let mut sums = [T::EMPTY_SUM; L];
            windows.add_spread(&mut sums, &self.weights[c], &delta[c]);
            Windows::close_read(&sums, &covered)
        })
    }

    /// The derivatives of the loss for every weight and bias, stored into `self` by `store`.
    pub fn store_gradient<const L: usize, const LO: usize, St: Store<T>>(
        &mut self,
        store: &St,
        delta: &[[T; LO]; C],
        input: &[[T; L]; C],
    ) {
        let windows = Self::windows::<L, LO>();
        for ((taps, deltas), signal) in self.weights.iter_mut().zip(delta).zip(input) {
            windows.store_taps(store, taps, deltas, signal);
        }
        store_bias(store, &mut self.bias, delta);
    }
}

/// Two tensors: the weights (`[channels, 1, k]` in torch, row-major), then the bias.
impl<T: Number, const C: usize, const K: usize, const S: usize, const P: usize> Layer<T>
    for DepthwiseConv1d<T, C, K, S, P>
{
    const TENSORS: usize = 2;

    fn tensor(&self, index: usize) -> &[T] {
        match index {
            0 => self.weights.as_flattened(),
            1 => &self.bias,
            _ => &[],
        }
    }

    fn tensor_mut(&mut self, index: usize) -> &mut [T] {
        match index {
            0 => self.weights.as_flattened_mut(),
            1 => &mut self.bias,
            _ => &mut [],
        }
    }
}

/// `::backprop_core::DepthwiseConv1d { weights: [..], bias: [..] }`.
#[cfg(feature = "std")]
impl<T: Number, const C: usize, const K: usize, const S: usize, const P: usize>
    crate::source::Source for DepthwiseConv1d<T, C, K, S, P>
{
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::DepthwiseConv1d {\n        weights: [")?;
        crate::source::write_rows(out, &self.weights)?;
        out.write_str("],\n        bias: [")?;
        crate::source::write_numbers(out, &self.bias)?;
        out.write_str("],\n    }")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::DepthwiseConv1d;
    use crate::store::Overwrite;

    #[test]
    fn each_channel_is_its_own_convolution() {
        let layer = DepthwiseConv1d::<f64, 2, 2, 1, 0> {
            weights: [[1.0, 2.0], [10.0, 20.0]],
            bias: [0.0, 1.0],
        };
        let x = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]];
        let z: [[f64; 2]; 2] = layer.forward(&x);
        assert_eq!(z, [[5.0, 8.0], [141.0, 171.0]]);
        let delta = [[1.0, 1.0], [0.0, 1.0]];
        let upstream: [[f64; 3]; 2] = layer.backward(&delta);
        assert_eq!(upstream, [[1.0, 3.0, 2.0], [0.0, 10.0, 20.0]]);
        let mut gradient = DepthwiseConv1d::<f64, 2, 2, 1, 0>::ZERO;
        gradient.store_gradient(&Overwrite, &delta, &x);
        assert_eq!(gradient.weights, [[3.0, 5.0], [5.0, 6.0]]);
        assert_eq!(gradient.bias, [2.0, 1.0]);
    }
}
