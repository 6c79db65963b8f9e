//! The losses of a run, epoch by epoch, and (feature `plot`) their curve as an SVG.

use super::watch::Watch;
use super::{Control, Epoch};
use std::vec::Vec;

/// The training and held-out losses of every epoch, in order: a [`Watch`] of a fit, or filled by
/// hand with [`LossCurve::push`] from a loop of one's own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LossCurve {
    train: Vec<f64>,
    validation: Vec<f64>,
}

impl LossCurve {
    /// An empty curve.
    #[must_use]
    pub const fn new() -> Self {
        LossCurve {
            train: Vec::new(),
            validation: Vec::new(),
        }
    }

    /// Adds an epoch: its training loss, and its held-out loss when there is one (a missing one
    /// is kept as NaN, so that both series stay aligned by epoch).
    pub fn push(&mut self, train_loss: f64, validation_loss: Option<f64>) {
        self.train.push(train_loss);
        self.validation.push(validation_loss.unwrap_or(f64::NAN));
    }

    /// The training loss of each epoch, the first epoch first.
    #[must_use]
    pub fn train(&self) -> &[f64] {
        &self.train
    }

    /// The held-out loss of each epoch (NaN where there was none).
    #[must_use]
    pub fn validation(&self) -> &[f64] {
        &self.validation
    }

    /// Whether any epoch had a held-out loss.
    #[must_use]
    pub fn has_validation(&self) -> bool {
        self.validation.iter().any(|loss| !loss.is_nan())
    }
}

impl Watch for LossCurve {
    fn epoch(&mut self, report: &Epoch) -> Control {
        self.push(report.train_loss, report.validation_loss);
        Control::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_without_a_held_out_loss_keep_the_series_aligned() {
        let mut curve = LossCurve::new();
        assert!(!curve.has_validation());
        curve.push(2.0, None);
        assert!(!curve.has_validation());
        let report = Epoch {
            epoch: 2,
            train_loss: 1.0,
            validation_loss: Some(1.5),
        };
        assert_eq!(curve.epoch(&report), Control::Continue);
        assert_eq!(curve.train(), [2.0, 1.0]);
        assert!(curve.validation()[0].is_nan());
        assert_eq!(curve.validation()[1].to_bits(), 1.5_f64.to_bits());
        assert!(curve.has_validation());
    }
}
