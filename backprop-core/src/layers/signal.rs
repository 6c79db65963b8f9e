//! The geometry of a window sliding along a signal: which input step each tap of each window
//! reads, with zero padding on both sides that contributes nothing (its products are left out,
//! not added as zeros, so a sum's first term is its first real product).

use core::ops::Range;

use crate::Number;
use crate::store::Store;

/// The number of windows of `kernel` taps, `stride` apart, along `length` steps padded by
/// `padding` on each side: `(length + 2 padding - kernel) / stride + 1` (0 when the kernel is
/// longer than the padded signal).
#[must_use]
pub const fn output_length(length: usize, kernel: usize, stride: usize, padding: usize) -> usize {
    let padded = length + 2 * padding;
    if kernel > padded || stride == 0 {
        0
    } else {
        (padded - kernel) / stride + 1
    }
}

/// One signal's windows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Windows {
    /// Input steps.
    pub length: usize,
    /// Taps per window.
    pub kernel: usize,
    /// Steps between windows.
    pub stride: usize,
    /// Zeros on each side.
    pub padding: usize,
    /// Windows.
    pub count: usize,
}

impl Windows {
    pub(crate) const fn new(length: usize, kernel: usize, stride: usize, padding: usize) -> Self {
        Windows {
            length,
            kernel,
            stride,
            padding,
            count: output_length(length, kernel, stride, padding),
        }
    }

    /// The windows whose tap `tap` reads inside the signal, in order (a contiguous range).
    pub(crate) fn reading(&self, tap: usize) -> Range<usize> {
        // Window t's tap reads step t stride + tap - padding, inside when in [0, length).
        let first = self.padding.saturating_sub(tap).div_ceil(self.stride);
        let end = (self.length + self.padding)
            .checked_sub(tap)
            .map_or(0, |limit| limit.div_ceil(self.stride))
            .min(self.count);
        first..end.max(first)
    }

    /// Whether some window reads input step `step`.
    pub(crate) fn covers(&self, step: usize) -> bool {
        (0..self.kernel).any(|tap| {
            let padded = step + self.padding;
            padded >= tap
                && (padded - tap).is_multiple_of(self.stride)
                && (padded - tap) / self.stride < self.count
        })
    }

    /// The input step that tap `tap` of window `window` reads (inside the signal).
    fn step(&self, window: usize, tap: usize) -> usize {
        window * self.stride + tap - self.padding
    }

    /// Adds to the window sums the products of one filter's taps with the signal it reads, tap
    /// by tap (the forward pass of one pair of channels).
    pub(crate) fn add_filtered<T: Number>(&self, sums: &mut [T::Sum], taps: &[T], signal: &[T]) {
        for (tap, &weight) in taps.iter().enumerate() {
            let reading = self.reading(tap);
            if reading.is_empty() {
                continue;
            }
            let steps = signal[self.step(reading.start, tap)..]
                .iter()
                .step_by(self.stride);
            for (sum, &x) in sums[reading].iter_mut().zip(steps) {
                *sum = T::add_product(*sum, weight, x);
            }
        }
    }

    /// Adds to the step sums each window's delta weighed by the tap that read the step, tap by
    /// tap (the backward pass of one pair of channels).
    pub(crate) fn add_spread<T: Number>(&self, sums: &mut [T::Sum], taps: &[T], deltas: &[T]) {
        for (tap, &weight) in taps.iter().enumerate() {
            let reading = self.reading(tap);
            if reading.is_empty() {
                continue;
            }
            let steps = sums[self.step(reading.start, tap)..]
                .iter_mut()
                .step_by(self.stride);
            for (sum, &delta) in steps.zip(&deltas[reading]) {
                *sum = T::add_product(*sum, weight, delta);
            }
        }
    }

    /// The step sums closed, `0` at a step no window reads.
    pub(crate) fn close_read<T: Number, const L: usize>(&self, sums: &[T::Sum; L]) -> [T; L] {
        core::array::from_fn(|s| {
            if self.covers(s) {
                T::close(sums[s])
            } else {
                T::ZERO
            }
        })
    }

    /// Stores each tap's derivative, `sum_t delta[t] x[t S + k - P]` over the windows that read
    /// inside the signal (`0` for a tap that only ever reads padding).
    pub(crate) fn store_taps<T: Number, St: Store<T>>(
        &self,
        store: &St,
        taps: &mut [T],
        deltas: &[T],
        signal: &[T],
    ) {
        for (tap, weight) in taps.iter_mut().enumerate() {
            let reading = self.reading(tap);
            if reading.is_empty() {
                store.store(weight, T::ZERO);
                continue;
            }
            let steps = signal[self.step(reading.start, tap)..]
                .iter()
                .step_by(self.stride);
            let sum = deltas[reading]
                .iter()
                .zip(steps)
                .fold(T::EMPTY_SUM, |sum, (&delta, &x)| {
                    T::add_product(sum, delta, x)
                });
            store.store(weight, T::close(sum));
        }
    }
}

/// Stores each channel's bias derivative, the sum of its deltas over the windows.
pub(crate) fn store_bias<T: Number, St: Store<T>, const LO: usize>(
    store: &St,
    bias: &mut [T],
    delta: &[[T; LO]],
) {
    for (bias, deltas) in bias.iter_mut().zip(delta) {
        let sum = deltas
            .iter()
            .fold(T::EMPTY_SUM, |sum, &delta| T::add_term(sum, delta));
        store.store(bias, T::close(sum));
    }
}

#[cfg(test)]
mod tests {
    use super::{Windows, output_length};

    #[test]
    fn windows_read_inside_the_signal_only() {
        // 5 steps, kernel 3, stride 2, padding 1: windows read steps -1..=1, 1..=3, 3..=5.
        let windows = Windows::new(5, 3, 2, 1);
        assert_eq!(windows.count, 3);
        assert_eq!(windows.reading(0), 1..3);
        assert_eq!(windows.reading(1), 0..3);
        assert_eq!(windows.reading(2), 0..2);
        assert!((0..5).all(|step| windows.covers(step)));
        // Stride 3 past a kernel of 2 skips every third step.
        let sparse = Windows::new(7, 2, 3, 0);
        assert_eq!(sparse.count, 2);
        assert!(sparse.covers(4) && !sparse.covers(2) && !sparse.covers(6));
        assert_eq!(output_length(3, 5, 1, 0), 0);
        assert_eq!(output_length(100, 5, 1, 0), 96);
    }
}
