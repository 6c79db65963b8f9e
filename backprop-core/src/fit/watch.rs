//! Watching a fit: what the epoch callback does, as values that can be combined.

use super::{Control, Epoch};

/// Something told about each finished epoch: a progress bar ([`Progress`](super::Progress),
/// feature `progress`), a loss curve ([`LossCurve`](super::LossCurve)), or several of them as a
/// tuple. [`watch`] makes any of them the callback of [`Fit::run`](super::Fit::run).
pub trait Watch {
    /// Takes in one epoch's report, and says whether the fit goes on.
    fn epoch(&mut self, report: &Epoch) -> Control;
}

/// The callback of [`Fit::run`](super::Fit::run) that tells `watcher` of every epoch and stops
/// the fit when it says so:
///
/// ```
/// use backprop_core::fit::{watch, Fit, LossCurve};
/// use backprop_core::optim::Adam;
/// use backprop_core::network;
///
/// network! {
///     struct Line { input: 1, output: dense(1, identity), loss: mean_squared_error }
/// }
///
/// let inputs: Vec<[f64; 1]> = (0..16).map(|x| [f64::from(x) / 16.0]).collect();
/// let targets: Vec<[f64; 1]> = inputs.iter().map(|[x]| [2.0 * x]).collect();
/// let mut curve = LossCurve::new();
/// Fit::new(50).batch_size(4).run(
///     &mut Line::zeroed(),
///     &mut Adam::new(0.05),
///     (&inputs, &targets),
///     None,
///     watch(&mut curve),
/// );
/// assert_eq!(curve.train().len(), 50);
/// assert!(curve.train()[49] < curve.train()[0]);
/// ```
pub fn watch<N>(mut watcher: impl Watch) -> impl FnMut(&Epoch, &N) -> Control {
    move |report, _net| watcher.epoch(report)
}

impl<W: Watch + ?Sized> Watch for &mut W {
    fn epoch(&mut self, report: &Epoch) -> Control {
        (**self).epoch(report)
    }
}

/// Every watcher hears every epoch; the fit stops when any of them says so.
fn both(first: Control, second: Control) -> Control {
    if first == Control::Stop || second == Control::Stop {
        Control::Stop
    } else {
        Control::Continue
    }
}

impl<A: Watch, B: Watch> Watch for (A, B) {
    fn epoch(&mut self, report: &Epoch) -> Control {
        let first = self.0.epoch(report);
        both(first, self.1.epoch(report))
    }
}

impl<A: Watch, B: Watch, C: Watch> Watch for (A, B, C) {
    fn epoch(&mut self, report: &Epoch) -> Control {
        let first = self.0.epoch(report);
        let second = self.1.epoch(report);
        both(both(first, second), self.2.epoch(report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::LossCurve;

    /// Stops at a given epoch, and counts what it heard.
    struct StopAt(usize, usize);

    impl Watch for StopAt {
        fn epoch(&mut self, report: &Epoch) -> Control {
            self.1 += 1;
            if report.epoch >= self.0 {
                Control::Stop
            } else {
                Control::Continue
            }
        }
    }

    fn report(epoch: usize) -> Epoch {
        Epoch {
            epoch,
            train_loss: 1.0 / f64::from(u32::try_from(epoch).unwrap_or(1)),
            validation_loss: None,
        }
    }

    #[test]
    fn a_tuple_stops_when_any_member_stops_and_every_member_hears_each_epoch() {
        let (mut early, mut late, mut curve) = (StopAt(2, 0), StopAt(5, 0), LossCurve::new());
        let mut watchers = (&mut late, &mut early, &mut curve);
        assert_eq!(watchers.epoch(&report(1)), Control::Continue);
        assert_eq!(watchers.epoch(&report(2)), Control::Stop);
        assert_eq!((early.1, late.1), (2, 2));
        assert_eq!(curve.train(), [1.0, 0.5]);

        let mut pair = (StopAt(9, 0), StopAt(1, 0));
        assert_eq!(pair.epoch(&report(1)), Control::Stop);
        let mut pair = (StopAt(1, 0), StopAt(9, 0));
        assert_eq!(pair.epoch(&report(1)), Control::Stop);
        assert_eq!(pair.1.1, 1, "the second member still hears the epoch");
        let mut pair = (StopAt(9, 0), StopAt(9, 0));
        assert_eq!(pair.epoch(&report(1)), Control::Continue);
    }

    #[test]
    fn the_callback_passes_on_the_watchers_answer() {
        let mut stop = StopAt(3, 0);
        let mut callback = watch(&mut stop);
        assert_eq!(callback(&report(2), &()), Control::Continue);
        assert_eq!(callback(&report(3), &()), Control::Stop);
    }
}
