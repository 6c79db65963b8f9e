//! A fit's progress (feature `progress`): an `indicatif` bar on a terminal; anywhere else (CI
//! logs, a pipe) the bar hides itself and a plain line goes to standard error four times a run.

use super::watch::Watch;
use super::{Control, Epoch};
use indicatif::{ProgressBar, ProgressStyle};
use std::format;
use std::string::String;

/// Shows how far a fit of a known number of epochs has come, with its latest losses; a
/// [`Watch`]. The bar is cleared when the fit reaches its last epoch or the `Progress` is
/// dropped (after early stopping).
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    epochs: usize,
}

impl Progress {
    /// A bar for `epochs` epochs, drawn on standard error when that is a terminal.
    #[must_use]
    pub fn new(epochs: usize) -> Self {
        let bar = ProgressBar::new(epochs as u64);
        if let Ok(style) = ProgressStyle::with_template("[{bar:24}] epoch {pos}/{len}: {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress { bar, epochs }
    }

    /// Whether `epoch` is one of the four a hidden bar reports as a line: each quarter's last,
    /// and the run's last.
    fn reports_line(&self, epoch: usize) -> bool {
        let every = self.epochs.div_ceil(4).max(1);
        epoch.is_multiple_of(every) || epoch == self.epochs
    }
}

impl Watch for Progress {
    fn epoch(&mut self, report: &Epoch) -> Control {
        let message = describe(report);
        if self.bar.is_hidden() {
            if self.reports_line(report.epoch) {
                std::eprintln!("epoch {:>5}/{}: {message}", report.epoch, self.epochs);
            }
        } else {
            self.bar.set_position(report.epoch as u64);
            self.bar.set_message(message);
            if report.epoch >= self.epochs {
                self.bar.finish_and_clear();
            }
        }
        Control::Continue
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// An epoch's losses as the bar shows them.
fn describe(report: &Epoch) -> String {
    match report.validation_loss {
        Some(validation) => format!("loss {:.3e}, held out {validation:.3e}", report.train_loss),
        None => format!("loss {:.3e}", report.train_loss),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(epoch: usize, validation_loss: Option<f64>) -> Epoch {
        Epoch {
            epoch,
            train_loss: 0.25,
            validation_loss,
        }
    }

    #[test]
    fn a_hidden_bar_reports_each_quarter_and_the_last_epoch() {
        let progress = Progress::new(10);
        let lines: std::vec::Vec<usize> = (1..=10)
            .filter(|&epoch| progress.reports_line(epoch))
            .collect();
        assert_eq!(lines, [3, 6, 9, 10]);
        assert!(Progress::new(1).reports_line(1));
    }

    #[test]
    fn the_message_names_both_losses() {
        assert_eq!(describe(&report(1, None)), "loss 2.500e-1");
        assert_eq!(
            describe(&report(1, Some(0.5))),
            "loss 2.500e-1, held out 5.000e-1"
        );
    }

    #[test]
    fn progress_never_stops_a_fit() {
        let mut progress = Progress::new(3);
        for epoch in 1..=3 {
            assert_eq!(progress.epoch(&report(epoch, Some(1.0))), Control::Continue);
        }
    }
}
