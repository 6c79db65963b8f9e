//! The pools in int8: no parameters, and the output stored as the input is (the same scale and
//! zero point), as TensorFlow Lite's int8 pooling requires.
//!
//! - [`QuantizedMaxPool1d`]: the largest code of each window. Exact: a code stands for
//!   `scale (q - zero_point)` with `scale > 0`, so the largest code is the code of the largest
//!   value, and max pooling commutes with quantising;
//! - [`QuantizedAvgPool1d`], [`QuantizedGlobalAvgPool1d`]: the mean of the codes, rounded to the
//!   nearest code, halves away from zero: TensorFlow Lite's int8 `AveragePool`,
//!   `(sum + count / 2) / count` for a positive sum and `(sum - count / 2) / count` otherwise, the
//!   division truncating toward zero. The mean of the codes is the code of the mean of the values
//!   (the zero point being an integer), so the result is within half a step of the float mean of
//!   the dequantised inputs.
//!
//! Each is made from its float layer by `pass_through`, which returns the input's quantisation as
//! the output's.

use super::Quantization;
use crate::{AvgPool1d, GlobalAvgPool1d, MaxPool1d};

/// Max pooling over windows of `N` steps, `N` apart, in int8 (the tail that does not fill a
/// window dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuantizedMaxPool1d<const N: usize>;

impl<const N: usize> QuantizedMaxPool1d<N> {
    /// The largest code of each window.
    #[must_use]
    pub fn forward<const C: usize, const L: usize, const LO: usize>(
        &self,
        input: &[[i8; L]; C],
    ) -> [[i8; LO]; C] {
        const { assert!(N > 0 && LO == L / N, "LO is the number of whole windows") };
        input.map(|signal| {
            let windows = signal.as_chunks::<N>().0;
            core::array::from_fn(|t| windows[t].iter().copied().fold(i8::MIN, i8::max))
        })
    }

    /// The int8 form of `pool` reading inputs stored as `input`; its output is stored the same
    /// way. Returns the layer and its output's [`Quantization`], `input`.
    pub fn pass_through<T>(
        _pool: &MaxPool1d<N>,
        input: Quantization<T>,
    ) -> (Self, Quantization<T>) {
        (Self, input)
    }
}

/// Average pooling over windows of `N` steps, `N` apart, in int8 (the tail that does not fill a
/// window dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuantizedAvgPool1d<const N: usize>;

impl<const N: usize> QuantizedAvgPool1d<N> {
    /// The rounded mean of the codes of each window.
    #[must_use]
    pub fn forward<const C: usize, const L: usize, const LO: usize>(
        &self,
        input: &[[i8; L]; C],
    ) -> [[i8; LO]; C] {
        const {
            assert!(N > 0 && LO == L / N, "LO is the number of whole windows");
            assert!(N < 1 << 23, "the i32 sum of a window cannot overflow");
        };
        input.map(|signal| {
            let windows = signal.as_chunks::<N>().0;
            core::array::from_fn(|t| mean(&windows[t]))
        })
    }

    /// The int8 form of `pool` reading inputs stored as `input`; its output is stored the same
    /// way. Returns the layer and its output's [`Quantization`], `input`.
    pub fn pass_through<T>(
        _pool: &AvgPool1d<N>,
        input: Quantization<T>,
    ) -> (Self, Quantization<T>) {
        (Self, input)
    }
}

/// Average pooling over the whole signal in int8: `[C, L] -> [C]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QuantizedGlobalAvgPool1d;

impl QuantizedGlobalAvgPool1d {
    /// The rounded mean of the codes of each channel.
    #[must_use]
    pub fn forward<const C: usize, const L: usize>(&self, input: &[[i8; L]; C]) -> [i8; C] {
        const {
            assert!(L > 0, "a mean of at least one step");
            assert!(L < 1 << 23, "the i32 sum of a channel cannot overflow");
        };
        input.map(|signal| mean(&signal))
    }

    /// The int8 form of `pool` reading inputs stored as `input`; its output is stored the same
    /// way. Returns the layer and its output's [`Quantization`], `input`.
    pub fn pass_through<T>(
        _pool: &GlobalAvgPool1d,
        input: Quantization<T>,
    ) -> (Self, Quantization<T>) {
        (Self, input)
    }
}

/// The mean of `codes` rounded to nearest, halves away from zero, as TensorFlow Lite's int8
/// `AveragePool` computes it: `(sum + count / 2) / count` for a positive sum, else
/// `(sum - count / 2) / count`, the divisions truncating toward zero. `codes` is not empty and
/// shorter than `2^23`, so the sum, in `i32`, cannot overflow.
#[inline]
fn mean(codes: &[i8]) -> i8 {
    let sum: i32 = codes.iter().map(|&q| i32::from(q)).sum();
    #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // below 2^23
    let count = codes.len() as i32;
    let half = count / 2;
    let rounded = if sum > 0 {
        (sum + half) / count
    } else {
        (sum - half) / count
    };
    super::saturate(rounded)
}

/// A pool's source: its path, `::backprop_core::quant::QuantizedMaxPool1d` (the window is in its
/// type).
macro_rules! pool_source {
    ($($pool:ident $(<$window:ident>)?),*) => {$(
        #[cfg(feature = "std")]
        impl$(<const $window: usize>)? crate::source::Source for $pool$(<$window>)? {
            fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
                out.write_str(concat!("::backprop_core::quant::", stringify!($pool)))
            }
        }
    )*};
}

pool_source!(
    QuantizedMaxPool1d<N>,
    QuantizedAvgPool1d<N>,
    QuantizedGlobalAvgPool1d
);
