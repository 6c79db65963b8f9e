//! [`Conv1d`]: a 1-d convolution, torch's `Conv1d` (zero padding, bias), over a signal of
//! `IN` channels.
//!
//! - forward: `z[o][t] = sum_(i, k) weights[o][i][k] x[i][t S + k - P] + bias[o]`;
//! - backward: `upstream[i][s] = sum_(o, k) weights[o][i][k] delta[o][t]` over the windows `t` whose
//!   tap `k` reads step `s`: the full convolution of the deltas with the flipped kernel;
//! - gradient: `dL/dweights[o][i][k] = sum_t delta[o][t] x[i][t S + k - P]`, the input
//!   cross-correlated with the deltas; `dL/dbias[o] = sum_t delta[o][t]`.
//!
//! # The summation order
//!
//! Every sum runs over its terms in the order written above (`(i, k)` with `i` outermost, `(o, k)`
//! with `o` outermost, `t` ascending), left to right from its first term; a tap that falls in the
//! padding adds nothing (its product is left out, not added as zero); the bias comes last. A step
//! no window reads gets a slope of `0`. The unrolled form writes these sums out in the same order,
//! so the two forms agree to the bit; a fixed-point net sums each exactly and rounds once.

use super::signal::{Windows, output_length};
use crate::store::Store;
use crate::{Layer, Number};

/// The weights and biases of a 1-d convolution from `IN` channels to `OUT`, with kernels of `K`
/// taps, windows `STRIDE` steps apart and `PADDING` zeros on each side of the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conv1d<
    T,
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const STRIDE: usize,
    const PADDING: usize,
> {
    /// `weights[o][i][k]` weighs tap `k` of input channel `i` for output channel `o` (torch's
    /// `[out, in, k]`).
    pub weights: [[[T; K]; IN]; OUT],
    /// One bias per output channel.
    pub bias: [T; OUT],
}

impl<T: Number, const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize>
    Conv1d<T, IN, OUT, K, S, P>
{
    /// A convolution whose every parameter is zero.
    pub const ZERO: Self = Self {
        weights: [[[T::ZERO; K]; IN]; OUT],
        bias: [T::ZERO; OUT],
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

    /// The pre-activations `z[o][t]` of every output channel and window.
    #[must_use]
    pub fn forward<const L: usize, const LO: usize>(&self, input: &[[T; L]; IN]) -> [[T; LO]; OUT] {
        let windows = Self::windows::<L, LO>();
        let mut output = [[T::ZERO; LO]; OUT];
        for ((row, kernels), &bias) in output.iter_mut().zip(&self.weights).zip(&self.bias) {
            let mut sums = [T::EMPTY_SUM; LO];
            for (signal, taps) in input.iter().zip(kernels) {
                windows.add_filtered(&mut sums, taps, signal);
            }
            for (z, sum) in row.iter_mut().zip(sums) {
                *z = T::close_with(sum, bias);
            }
        }
        output
    }

    /// The slopes of the loss for the input, `upstream[i][s]`, from the deltas `dL/dz[o][t]`.
    #[must_use]
    pub fn backward<const L: usize, const LO: usize>(
        &self,
        delta: &[[T; LO]; OUT],
    ) -> [[T; L]; IN] {
        let windows = Self::windows::<L, LO>();
        let mut sums = [[T::EMPTY_SUM; L]; IN];
        for (deltas, kernels) in delta.iter().zip(&self.weights) {
            for (row, taps) in sums.iter_mut().zip(kernels) {
                windows.add_spread(row, taps, deltas);
            }
        }
        let covered = windows.covered::<L>();
        core::array::from_fn(|i| Windows::close_read(&sums[i], &covered))
    }

    /// The derivatives of the loss for every weight and bias, stored into `self` (a gradient, or
    /// the layer itself when descending) by `store`.
    pub fn store_gradient<const L: usize, const LO: usize, St: Store<T>>(
        &mut self,
        store: &St,
        delta: &[[T; LO]; OUT],
        input: &[[T; L]; IN],
    ) {
        let windows = Self::windows::<L, LO>();
        // The deltas window by window, across the output channels, so that the sums of one
        // tap for every output channel advance side by side (`Windows::tap_sums`).
        let across: [[T; OUT]; LO] =
            core::array::from_fn(|t| core::array::from_fn(|o| delta[o][t]));
        for (i, signal) in input.iter().enumerate() {
            for k in 0..K {
                let sums = windows.tap_sums(k, &across, signal);
                for (o, kernels) in self.weights.iter_mut().enumerate() {
                    store.store(&mut kernels[i][k], sums.map_or(T::ZERO, |sums| sums[o]));
                }
            }
        }
        // The bias sums, side by side as well.
        let mut sums = [T::EMPTY_SUM; OUT];
        for deltas in &across {
            for (sum, &delta) in sums.iter_mut().zip(deltas) {
                *sum = T::add_term(*sum, delta);
            }
        }
        for (bias, sum) in self.bias.iter_mut().zip(sums) {
            store.store(bias, T::close(sum));
        }
    }
}

/// Two tensors: the weights (`[out, in, k]`, row-major), then the bias.
impl<T: Number, const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize>
    Layer<T> for Conv1d<T, IN, OUT, K, S, P>
{
    const TENSORS: usize = 2;

    fn tensor(&self, index: usize) -> &[T] {
        match index {
            0 => self.weights.as_flattened().as_flattened(),
            1 => &self.bias,
            _ => &[],
        }
    }

    fn tensor_mut(&mut self, index: usize) -> &mut [T] {
        match index {
            0 => self.weights.as_flattened_mut().as_flattened_mut(),
            1 => &mut self.bias,
            _ => &mut [],
        }
    }
}

/// `::backprop_core::Conv1d { weights: [..], bias: [..] }`.
#[cfg(feature = "std")]
impl<T: Number, const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize>
    crate::source::Source for Conv1d<T, IN, OUT, K, S, P>
{
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::Conv1d {\n        weights: [")?;
        crate::source::write_planes(out, &self.weights)?;
        out.write_str("],\n        bias: [")?;
        crate::source::write_numbers(out, &self.bias)?;
        out.write_str("],\n    }")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::Conv1d;
    use crate::store::{Accumulate, Overwrite};

    /// A convolution checked against sums written out by hand.
    #[test]
    fn forward_backward_and_gradient_by_hand() {
        // 1 input channel of 4 steps, 1 output channel, kernel 3, stride 1, padding 1.
        let layer = Conv1d::<f64, 1, 1, 3, 1, 1> {
            weights: [[[1.0, 2.0, 3.0]]],
            bias: [0.5],
        };
        let x = [[1.0, 10.0, 100.0, 1000.0]];
        let z: [[f64; 4]; 1] = layer.forward(&x);
        // Window 0 reads (pad, 1, 10): 2 * 1 + 3 * 10; window 3 reads (100, 1000, pad).
        assert_eq!(z, [[32.5, 321.5, 3210.5, 2100.5]]);
        let delta = [[1.0, 0.0, 0.0, 2.0]];
        let upstream: [[f64; 4]; 1] = layer.backward(&delta);
        // Step 0 is read by tap 1 of window 0 and tap 0 of window 1.
        assert_eq!(upstream, [[2.0, 3.0, 2.0, 4.0]]);
        let mut gradient = Conv1d::<f64, 1, 1, 3, 1, 1>::ZERO;
        gradient.store_gradient(&Overwrite, &delta, &x);
        // Tap 0 reads steps t - 1 (windows 1..4), tap 2 steps t + 1 (windows 0..3).
        assert_eq!(gradient.weights, [[[200.0, 2001.0, 10.0]]]);
        assert_eq!(gradient.bias, [3.0]);
        gradient.store_gradient(&Accumulate, &delta, &x);
        assert_eq!(gradient.bias, [6.0]);
    }

    /// Stride 2 leaves steps that no window reads with a slope of exactly 0.
    #[test]
    fn steps_no_window_reads_get_zero() {
        let layer = Conv1d::<f32, 1, 1, 1, 2, 0> {
            weights: [[[3.0]]],
            bias: [0.0],
        };
        let upstream: [[f32; 5]; 1] = layer.backward(&[[-1.0, -1.0, -1.0]]);
        assert_eq!(upstream, [[-3.0, 0.0, -3.0, 0.0, -3.0]]);
        assert!(upstream[0][1].is_sign_positive());
    }
}
