//! What the kinds that slide along a signal share: the geometry of their windows (as the
//! runtime's `layers/signal.rs` has it: padding contributes nothing, its products are left out),
//! and the options and shape rules of a window.

use crate::check::Errors;
use crate::layers::{Arguments, Count, Option_};
use crate::model::counted;
use std::ops::Range;

/// A window's options: `stride = 1` and `padding = 0` unless given.
pub static WINDOW_OPTIONS: &[Option_] = &[
    Option_ {
        name: "stride",
        minimum: 1,
        default: 1,
    },
    Option_ {
        name: "padding",
        minimum: 0,
        default: 0,
    },
];

/// The windows of `kernel` taps, `stride` apart, along `length` steps padded by `padding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Windows {
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
    /// The windows, when at least one fits.
    pub fn new(length: usize, kernel: usize, stride: usize, padding: usize) -> Option<Windows> {
        let padded = length.checked_add(padding.checked_mul(2)?)?;
        let count = padded.checked_sub(kernel)? / stride.max(1) + 1;
        Some(Windows {
            length,
            kernel,
            stride: stride.max(1),
            padding,
            count,
        })
    }

    /// The windows whose tap `tap` reads inside the signal, in order.
    pub fn reading(&self, tap: usize) -> Range<usize> {
        let first = self.padding.saturating_sub(tap).div_ceil(self.stride);
        let end = (self.length + self.padding)
            .checked_sub(tap)
            .map_or(0, |limit| limit.div_ceil(self.stride))
            .min(self.count);
        first..end.max(first)
    }

    /// The step tap `tap` of window `window` reads, when it is inside the signal.
    pub fn step(&self, window: usize, tap: usize) -> Option<usize> {
        (window * self.stride + tap)
            .checked_sub(self.padding)
            .filter(|&step| step < self.length)
    }

    /// The `(tap, window)` pairs that read step `step`, taps in order.
    pub fn readers(&self, step: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.kernel).filter_map(move |tap| {
            let padded = (step + self.padding).checked_sub(tap)?;
            let window = padded / self.stride;
            (padded % self.stride == 0 && window < self.count).then_some((tap, window))
        })
    }

    /// The `(window, tap)` pairs that read inside the signal: every window's taps, less those
    /// that fall in the padding on the left and on the right.
    pub fn inside(&self) -> Count {
        let all = Count(self.count) * self.kernel;
        // The last window ends within the padded signal, so this does not overflow.
        let end = (self.count - 1) * self.stride + self.kernel;
        let right = end.saturating_sub(self.padding + self.length);
        all - self.overhang(self.padding) - self.overhang(right)
    }

    /// `sum_(u < count) min(kernel, max(0, a - u stride))`: the taps in the padding, over the
    /// windows from the first (`a` the padding) or from the last (`a` its overhang), in closed
    /// form, since a signal may be too long to walk.
    fn overhang(&self, a: usize) -> Count {
        let [a, stride, kernel, count] =
            [a, self.stride, self.kernel, self.count].map(|n| n as u128);
        // Windows whose every tap is in the padding, then windows with some.
        let full = if a >= kernel {
            ((a - kernel) / stride + 1).min(count)
        } else {
            0
        };
        let end = a.div_ceil(stride).min(count).max(full);
        let partial = end - full;
        if partial == 0 {
            return Count::from(full * kernel);
        }
        // An arithmetic series, halved where it divides so that no product overflows.
        let (first, last) = (a - full * stride, a - (end - 1) * stride);
        let series = if partial % 2 == 0 {
            partial / 2 * (first + last)
        } else {
            partial * u128::midpoint(first, last)
        };
        Count::from(full * kernel) + Count::from(series)
    }

    /// The input steps some window reads.
    pub fn covered(&self) -> Count {
        if self.stride <= self.kernel {
            // Windows that touch or overlap cover one run of the padded signal from its start.
            let end =
                ((self.count - 1) * self.stride + self.kernel).min(self.padding + self.length);
            Count(end.saturating_sub(self.padding))
        } else {
            // Windows apart read each step at most once.
            self.inside()
        }
    }

    /// The taps that read inside the signal in some window.
    pub fn reading_taps(&self) -> Count {
        let (padding, length, stride) = (self.padding, self.length, self.stride);
        // A tap at or past the padding reads inside in the first window, unless past the signal.
        let right = self.kernel.min(padding + length).saturating_sub(padding);
        // Tap `padding - d` first leaves the padding in window `ceil(d / stride)`, at step
        // `(-d) mod stride`: it reads inside if that window exists and that step is in the
        // signal. Count the `d` in `1..=most` for which it does.
        let reached = |most: usize| {
            if length >= stride {
                most
            } else {
                most / stride * length + (most % stride + length).saturating_sub(stride)
            }
        };
        let most = padding.min((self.count - 1) * stride);
        let least = padding.saturating_sub(self.kernel - 1).max(1);
        let left = if most >= least {
            reached(most) - reached(least - 1)
        } else {
            0
        };
        Count(left) + right
    }

    /// ` stride 2, padding 1` as the text writes options that are not their defaults.
    pub fn options_text(&self) -> String {
        use std::fmt::Write;
        let mut text = String::new();
        if self.stride != 1 {
            let _ = write!(text, ", stride = {}", self.stride);
        }
        if self.padding != 0 {
            let _ = write!(text, ", padding = {}", self.padding);
        }
        text
    }
}

/// A window's shape rules: the padding is smaller than the kernel (so every window reads the
/// signal), and the kernel fits the padded signal. The windows, when the rules hold.
pub fn windows(
    errors: &Errors,
    arguments: &Arguments,
    kernel: usize,
    length: usize,
) -> Option<Windows> {
    let (stride, padding) = (arguments.option("stride"), arguments.option("padding"));
    let kernel_at = arguments
        .counts
        .iter()
        .rev()
        .find(|(count, _)| *count == kernel)
        .map(|(_, at)| *at);
    let padding_at = arguments
        .options
        .iter()
        .find(|(name, ..)| *name == "padding")
        .and_then(|(.., at)| *at);
    let mut valid = true;
    if padding >= kernel {
        valid = false;
        let message = format!(
            "`padding = {padding}` must be smaller than the kernel size {kernel}, so that every \
             window reads the signal: use at most `padding = {}`",
            kernel - 1
        );
        match padding_at {
            Some(at) => errors.at(at, message),
            None => errors.at(&arguments.call.path, message),
        }
    }
    let fits = Windows::new(length, kernel, stride, padding);
    if fits.is_none() {
        valid = false;
        // In u128: a padding refused above may be near `usize::MAX`.
        let longest = length as u128 + 2 * padding as u128;
        let reads = counted(length as u128, "step");
        let message = if padding > 0 {
            format!(
                "the kernel of {kernel} steps is longer than the {reads} it reads ({longest} with \
                 `padding = {padding}` on each side): use a kernel of at most {longest} steps"
            )
        } else {
            format!(
                "the kernel of {kernel} steps is longer than the {reads} it reads: use a kernel \
                 of at most {length} steps, or pad the signal"
            )
        };
        match kernel_at {
            Some(at) => errors.at(at, message),
            None => errors.at(&arguments.call.path, message),
        }
    }
    fits.filter(|_| valid)
}

#[cfg(test)]
mod tests {
    use super::Windows;

    #[test]
    fn the_geometry_is_the_runtimes() {
        let windows = Windows::new(5, 3, 2, 1).unwrap();
        assert_eq!(windows.count, 3);
        assert_eq!(windows.reading(0), 1..3);
        assert_eq!(windows.reading(2), 0..2);
        assert_eq!(windows.step(0, 0), None);
        assert_eq!(windows.readers(1).collect::<Vec<_>>(), [(0, 1), (2, 0)]);
        assert!(Windows::new(2, 3, 1, 0).is_none());
    }

    /// The closed forms against a walk over every window and tap, on every small geometry.
    #[test]
    fn the_counts_are_the_walks() {
        for length in 1..14 {
            for kernel in 1..9 {
                for stride in 1..6 {
                    for padding in 0..kernel + 2 {
                        let Some(windows) = Windows::new(length, kernel, stride, padding) else {
                            continue;
                        };
                        let at = format!("{length} {kernel} {stride} {padding}");
                        let inside: usize = (0..kernel).map(|k| windows.reading(k).len()).sum();
                        let covered = (0..length)
                            .filter(|&s| windows.readers(s).next().is_some())
                            .count();
                        let taps = (0..kernel)
                            .filter(|&k| !windows.reading(k).is_empty())
                            .count();
                        assert_eq!(windows.inside().get(), inside, "{at}");
                        assert_eq!(windows.covered().get(), covered, "{at}");
                        assert_eq!(windows.reading_taps().get(), taps, "{at}");
                    }
                }
            }
        }
    }

    /// A signal too long to walk is counted at once.
    #[test]
    fn a_long_signal_is_counted_without_walking_it() {
        let windows = Windows::new(1_000_000_000_000, 3, 1, 1).unwrap();
        assert_eq!(windows.inside().get(), 3 * 1_000_000_000_000 - 2);
        assert_eq!(windows.covered().get(), 1_000_000_000_000);
        assert_eq!(windows.reading_taps().get(), 3);
        let huge = Windows::new(usize::MAX / 4, usize::MAX / 4, 1, 0).unwrap();
        assert_eq!(huge.inside().get(), usize::MAX / 4);
    }
}
