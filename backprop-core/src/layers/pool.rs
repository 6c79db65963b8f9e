//! Pooling along a signal, channel by channel, with no parameters: [`MaxPool1d`] and
//! [`AvgPool1d`] over windows of `N` steps, `N` apart (the tail that does not fill a window
//! dropped, as torch's `MaxPool1d(N)` and `AvgPool1d(N)`), and [`GlobalAvgPool1d`] over the whole
//! signal, `[C, L] -> [C]`.
//!
//! - max: `y[c][t] = max_j x[c][t N + j]`; its slope routes each delta to the window's first
//!   maximum: `upstream[c][t N + j] = first_maximum(window)[j] * delta[c][t]`, which is `delta`
//!   there and `0 * delta` elsewhere;
//! - average: `y[c][t] = (sum_j x[c][t N + j]) / N` (the sum left to right, then one division);
//!   `upstream[c][t N + j] = delta[c][t] / N`;
//! - global average: `y[c] = (sum_t x[c][t]) / L`; `upstream[c][t] = delta[c] / L`.
//!
//! A step in the dropped tail gets a slope of `0`.

use crate::{Layer, Number};

/// The largest of the values, the first one under `>` (a NaN never replaces a value before it).
#[must_use]
pub fn maximum<T: Number, const N: usize>(window: [T; N]) -> T {
    window[index_of_first_maximum(&window)]
}

/// `1` at the first maximum of the window and `0` elsewhere: the slope of [`maximum`] for each of
/// its inputs.
#[must_use]
pub fn first_maximum<T: Number, const N: usize>(window: [T; N]) -> [T; N] {
    let first = index_of_first_maximum(&window);
    core::array::from_fn(|j| if j == first { T::ONE } else { T::ZERO })
}

fn index_of_first_maximum<T: Number>(window: &[T]) -> usize {
    let mut best = 0;
    for (index, value) in window.iter().enumerate() {
        if *value > window[best] {
            best = index;
        }
    }
    best
}

/// Checks, when compiled, that `LO` is the number of whole windows of `N` steps in `L`.
const fn whole_windows<const N: usize, const L: usize, const LO: usize>() {
    const {
        assert!(N > 0 && LO == L / N, "LO is the number of whole windows");
    };
}

/// Each channel's whole windows of `N` steps, each reduced to one value (the tail dropped).
fn pool<T: Number, const N: usize, const C: usize, const L: usize, const LO: usize>(
    input: &[[T; L]; C],
    reduce: impl Fn(&[T; N]) -> T,
) -> [[T; LO]; C] {
    whole_windows::<N, L, LO>();
    input.map(|signal| {
        let windows = signal.as_chunks::<N>().0;
        core::array::from_fn(|t| reduce(&windows[t]))
    })
}

/// Max pooling over windows of `N` steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MaxPool1d<const N: usize>;

impl<const N: usize> MaxPool1d<N> {
    /// The layer (it has no parameters).
    pub const ZERO: Self = MaxPool1d;

    /// Each window's maximum.
    #[must_use]
    pub fn forward<T: Number, const C: usize, const L: usize, const LO: usize>(
        &self,
        input: &[[T; L]; C],
    ) -> [[T; LO]; C] {
        pool::<T, N, C, L, LO>(input, |window| maximum(*window))
    }

    /// The slopes of the loss for the input: each delta routed to its window's first maximum.
    #[must_use]
    pub fn backward<T: Number, const C: usize, const L: usize, const LO: usize>(
        &self,
        delta: &[[T; LO]; C],
        input: &[[T; L]; C],
    ) -> [[T; L]; C] {
        whole_windows::<N, L, LO>();
        let mut upstream = [[T::ZERO; L]; C];
        for ((row, signal), deltas) in upstream.iter_mut().zip(input).zip(delta) {
            let windows = signal.as_chunks::<N>().0;
            let slopes = row.as_chunks_mut::<N>().0;
            for ((slopes, window), &delta) in slopes.iter_mut().zip(windows).zip(deltas) {
                for (slope, route) in slopes.iter_mut().zip(first_maximum(*window)) {
                    *slope = route.product(delta);
                }
            }
        }
        upstream
    }
}

/// Average pooling over windows of `N` steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AvgPool1d<const N: usize>;

impl<const N: usize> AvgPool1d<N> {
    /// The layer (it has no parameters).
    pub const ZERO: Self = AvgPool1d;

    /// Each window's mean.
    #[must_use]
    pub fn forward<T: Number, const C: usize, const L: usize, const LO: usize>(
        &self,
        input: &[[T; L]; C],
    ) -> [[T; LO]; C] {
        pool::<T, N, C, L, LO>(input, |window| mean(window))
    }

    /// The slopes of the loss for the input: each delta spread as `1/N` over its window.
    #[must_use]
    pub fn backward<T: Number, const C: usize, const L: usize, const LO: usize>(
        &self,
        delta: &[[T; LO]; C],
    ) -> [[T; L]; C] {
        whole_windows::<N, L, LO>();
        let mut upstream = [[T::ZERO; L]; C];
        for (row, deltas) in upstream.iter_mut().zip(delta) {
            for (slopes, &delta) in row.as_chunks_mut::<N>().0.iter_mut().zip(deltas) {
                slopes.fill(delta.mean_of(N));
            }
        }
        upstream
    }
}

/// Average pooling over the whole signal: `[C, L] -> [C]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GlobalAvgPool1d;

impl GlobalAvgPool1d {
    /// The layer (it has no parameters).
    pub const ZERO: Self = GlobalAvgPool1d;

    /// Each channel's mean.
    #[must_use]
    pub fn forward<T: Number, const C: usize, const L: usize>(
        &self,
        input: &[[T; L]; C],
    ) -> [T; C] {
        input.map(|signal| mean(&signal))
    }

    /// The slopes of the loss for the input: each channel's delta spread as `1/L`.
    #[must_use]
    pub fn backward<T: Number, const C: usize, const L: usize>(
        &self,
        delta: &[T; C],
    ) -> [[T; L]; C] {
        delta.map(|delta| [delta.mean_of(L); L])
    }
}

/// `(x_0 + x_1 + ...) / n`: the sum left to right, then one division.
fn mean<T: Number>(values: &[T]) -> T {
    let sum = values
        .iter()
        .fold(T::EMPTY_SUM, |sum, &x| T::add_term(sum, x));
    T::close(sum).mean_of(values.len())
}

/// A pooling layer: no parameters.
macro_rules! no_parameters {
    ($($layer:ty $(, $generic:ident)?;)*) => {$(
        impl<T: Number $(, const $generic: usize)?> Layer<T> for $layer {
            const TENSORS: usize = 0;

            fn tensor(&self, _index: usize) -> &[T] {
                &[]
            }

            fn tensor_mut(&mut self, _index: usize) -> &mut [T] {
                &mut []
            }
        }

        #[cfg(feature = "std")]
        impl$(<const $generic: usize>)? crate::source::Source for $layer {
            fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
                let name = core::any::type_name::<Self>();
                let name = name.split('<').next().unwrap_or(name).rsplit("::").next().unwrap_or(name);
                write!(out, "::backprop_core::{name}")
            }
        }
    )*};
}

no_parameters! {
    MaxPool1d<N>, N;
    AvgPool1d<N>, N;
    GlobalAvgPool1d;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::{AvgPool1d, GlobalAvgPool1d, MaxPool1d, first_maximum, maximum};

    #[test]
    fn max_routes_to_the_first_maximum() {
        assert_eq!(maximum([1.0, 3.0, 3.0, 2.0]), 3.0);
        assert_eq!(first_maximum([1.0, 3.0, 3.0, 2.0]), [0.0, 1.0, 0.0, 0.0]);
        let x = [[1.0_f64, 5.0, 2.0, 2.0, 9.0]];
        let y: [[f64; 2]; 1] = MaxPool1d::<2>.forward(&x);
        assert_eq!(y, [[5.0, 2.0]]);
        let upstream: [[f64; 5]; 1] = MaxPool1d::<2>.backward(&[[-1.0, 4.0]], &x);
        assert_eq!(upstream, [[-0.0, -1.0, 4.0, 0.0, 0.0]]);
        // The slope of a position that is not the maximum is 0 * delta: -0 for a negative delta.
        assert!(upstream[0][0].is_sign_negative() && upstream[0][4].is_sign_positive());
    }

    #[test]
    fn averages_spread_the_delta() {
        let x = [[1.0_f64, 2.0, 4.0, 8.0, 16.0]];
        let y: [[f64; 2]; 1] = AvgPool1d::<2>.forward(&x);
        assert_eq!(y, [[1.5, 6.0]]);
        let upstream: [[f64; 5]; 1] = AvgPool1d::<2>.backward(&[[1.0, -2.0]]);
        assert_eq!(upstream, [[0.5, 0.5, -1.0, -1.0, 0.0]]);
        assert_eq!(GlobalAvgPool1d.forward(&x), [6.2]);
        assert_eq!(GlobalAvgPool1d.backward::<f64, 1, 5>(&[5.0]), [[1.0; 5]]);
    }
}
