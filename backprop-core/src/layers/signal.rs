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
    #[inline]
    pub(crate) fn reading(&self, tap: usize) -> Range<usize> {
        // Window t's tap reads step t stride + tap - padding, inside when in [0, length).
        let first = self.padding.saturating_sub(tap).div_ceil(self.stride);
        let end = (self.length + self.padding)
            .checked_sub(tap)
            .map_or(0, |limit| limit.div_ceil(self.stride))
            .min(self.count);
        first..end.max(first)
    }

    /// Whether some window reads input step `step` (the definition [`Self::covered`] is tested
    /// against).
    #[cfg(test)]
    pub(crate) fn covers(&self, step: usize) -> bool {
        (0..self.kernel).any(|tap| {
            let padded = step + self.padding;
            padded >= tap
                && (padded - tap).is_multiple_of(self.stride)
                && (padded - tap) / self.stride < self.count
        })
    }

    /// The input step that tap `tap` of window `window` reads (inside the signal).
    #[inline]
    pub(crate) fn step(&self, window: usize, tap: usize) -> usize {
        window * self.stride + tap - self.padding
    }

    /// Adds to the window sums the products of one filter's taps with the signal it reads, tap
    /// by tap (the forward pass of one pair of channels). Each window's sum gets its terms in tap
    /// order; the loop runs along the windows, so it vectorises (contiguous reads at stride 1).
    #[inline]
    pub(crate) fn add_filtered<T: Number>(&self, sums: &mut [T::Sum], taps: &[T], signal: &[T]) {
        for (tap, &weight) in taps.iter().enumerate() {
            let reading = self.reading(tap);
            if reading.is_empty() {
                continue;
            }
            let first = self.step(reading.start, tap);
            let sums = &mut sums[reading];
            let count = sums.len();
            if self.stride == 1 {
                for (sum, &x) in sums.iter_mut().zip(&signal[first..first + count]) {
                    *sum = T::add_product(*sum, weight, x);
                }
            } else {
                let steps = &signal[first..=first + (count - 1) * self.stride];
                for (n, sum) in sums.iter_mut().enumerate() {
                    *sum = T::add_product(*sum, weight, steps[n * self.stride]);
                }
            }
        }
    }

    /// Adds to the step sums each window's delta weighed by the tap that read the step, tap by
    /// tap (the backward pass of one pair of channels). Each step's sum gets its terms in tap
    /// order; the loop runs along the windows, so it vectorises (contiguous at stride 1).
    #[inline]
    pub(crate) fn add_spread<T: Number>(&self, sums: &mut [T::Sum], taps: &[T], deltas: &[T]) {
        for (tap, &weight) in taps.iter().enumerate() {
            let reading = self.reading(tap);
            if reading.is_empty() {
                continue;
            }
            let first = self.step(reading.start, tap);
            let deltas = &deltas[reading];
            if self.stride == 1 {
                for (sum, &delta) in sums[first..first + deltas.len()].iter_mut().zip(deltas) {
                    *sum = T::add_product(*sum, weight, delta);
                }
            } else {
                let steps = &mut sums[first..=first + (deltas.len() - 1) * self.stride];
                for (n, &delta) in deltas.iter().enumerate() {
                    let sum = &mut steps[n * self.stride];
                    *sum = T::add_product(*sum, weight, delta);
                }
            }
        }
    }

    /// Which of `L` input steps some window reads: marked tap by tap, once per pass rather than
    /// asked step by step.
    #[inline]
    pub(crate) fn covered<const L: usize>(&self) -> [bool; L] {
        let mut covered = [false; L];
        for tap in 0..self.kernel {
            let reading = self.reading(tap);
            if !reading.is_empty() {
                let first = self.step(reading.start, tap);
                for n in 0..reading.len() {
                    covered[first + n * self.stride] = true;
                }
            }
        }
        covered
    }

    /// The step sums closed, `0` at a step no window reads (`covered`, from [`Self::covered`]).
    #[inline]
    pub(crate) fn close_read<T: Number, const L: usize>(
        sums: &[T::Sum; L],
        covered: &[bool; L],
    ) -> [T; L] {
        core::array::from_fn(|s| {
            if covered[s] {
                T::close(sums[s])
            } else {
                T::ZERO
            }
        })
    }

    /// Stores each tap's derivative, `sum_t delta[t] x[t S + k - P]` over the windows that read
    /// inside the signal (`0` for a tap that only ever reads padding).
    #[inline]
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

    /// Tap `tap`'s derivative for every output channel at once,
    /// `sum_t delta[o][t] x[t S + tap - P]`, from the deltas laid out window by window (`across[t][o]`); `None` for a tap that
    /// only ever reads padding. Each sum still runs over the windows in order from its first
    /// term; the sums of all output channels advance together, one lane each, so the adds
    /// vectorise and no sum waits on another (one chain of dependent adds per tap, as
    /// [`store_taps`](Self::store_taps) forms them, was most of a conv net's training step).
    #[inline]
    pub(crate) fn tap_sums<T: Number, const OUT: usize>(
        &self,
        tap: usize,
        across: &[[T; OUT]],
        signal: &[T],
    ) -> Option<[T; OUT]> {
        let reading = self.reading(tap);
        if reading.is_empty() {
            return None;
        }
        let first = self.step(reading.start, tap);
        let steps = &signal[first..=first + (reading.len() - 1) * self.stride];
        let mut sums = [T::EMPTY_SUM; OUT];
        for (n, deltas) in across[reading].iter().enumerate() {
            let x = steps[n * self.stride];
            for (sum, &delta) in sums.iter_mut().zip(deltas) {
                *sum = T::add_product(*sum, delta, x);
            }
        }
        Some(sums.map(T::close))
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
        assert_eq!(windows.covered::<5>(), [true; 5]);
        // Stride 3 past a kernel of 2 skips every third step.
        let sparse = Windows::new(7, 2, 3, 0);
        assert_eq!(sparse.count, 2);
        assert!(sparse.covers(4) && !sparse.covers(2) && !sparse.covers(6));
        let covered = sparse.covered::<7>();
        assert_eq!(covered, core::array::from_fn(|step| sparse.covers(step)));
        assert_eq!(output_length(3, 5, 1, 0), 0);
        assert_eq!(output_length(100, 5, 1, 0), 96);
    }
}
