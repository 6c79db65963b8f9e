//! Progress of a long fit: an `indicatif` bar on a terminal; on anything else (CI logs, a pipe)
//! the bar hides itself and a plain line is printed every quarter of the run instead.

use backprop_core::fit::Epoch;
use indicatif::{ProgressBar, ProgressStyle};

/// Shows how far a fit of a known number of epochs has come.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    epochs: usize,
}

impl Progress {
    /// A bar for `epochs` epochs, drawn on standard error when it is a terminal.
    pub fn new(epochs: usize) -> Self {
        let bar = ProgressBar::new(epochs as u64);
        if let Ok(style) = ProgressStyle::with_template("[{bar:24}] epoch {pos}/{len}: {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Self { bar, epochs }
    }

    /// Reports a finished epoch: its losses on the bar, or as a line four times per run when the
    /// bar is hidden.
    pub fn epoch(&self, report: &Epoch) {
        let message = describe(report);
        if self.bar.is_hidden() {
            let every = self.epochs.div_ceil(4).max(1);
            if report.epoch.is_multiple_of(every) || report.epoch == self.epochs {
                println!("epoch {:>5}/{}: {message}", report.epoch, self.epochs);
            }
        } else {
            self.bar.set_position(report.epoch as u64);
            self.bar.set_message(message);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn describe(report: &Epoch) -> String {
    match report.validation_loss {
        Some(validation) => format!("loss {:.3e}, test {validation:.3e}", report.train_loss),
        None => format!("loss {:.3e}", report.train_loss),
    }
}
