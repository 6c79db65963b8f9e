//! Judging a classifier: the predicted class ([`argmax`], [`predict`]), how many samples it gets
//! right ([`correct`], [`accuracy`]) and which classes it confuses ([`ConfusionMatrix`]). All of it
//! `no_std` and without a heap: the matrix is a `[[usize; C]; C]` of counts.
//!
//! A classifier here is any [`Network`] whose outputs are class scores (logits, or the
//! probabilities of a `softmax` output), and a label is the index of the right output.

use crate::Network;
use crate::shape::slice;

/// The index of the largest value, the first one on a tie: the class a classifier predicts.
///
/// 0 for an empty slice. A NaN is never larger than anything, so it is chosen only when it comes
/// first and nothing after it is larger.
pub fn argmax<T: PartialOrd>(values: &[T]) -> usize {
    let mut best = 0;
    for (index, value) in values.iter().enumerate() {
        if *value > values[best] {
            best = index;
        }
    }
    best
}

/// The class `net` predicts for `input`: the index of its largest output.
pub fn predict<N: Network>(net: &N, input: &N::Input) -> usize {
    argmax(slice(&net.forward(input)))
}

/// How many of `inputs` have their label as the predicted class.
///
/// # Panics
/// If `inputs` and `labels` differ in length.
pub fn correct<N: Network>(net: &N, inputs: &[N::Input], labels: &[usize]) -> usize {
    assert_eq!(inputs.len(), labels.len(), "one label per input");
    inputs
        .iter()
        .zip(labels)
        .filter(|&(input, &label)| predict(net, input) == label)
        .count()
}

/// The fraction of `inputs` whose predicted class is their label; 0 when there are none.
///
/// # Panics
/// If `inputs` and `labels` differ in length.
pub fn accuracy<N: Network>(net: &N, inputs: &[N::Input], labels: &[usize]) -> f64 {
    ratio(correct(net, inputs, labels), inputs.len())
}

/// `part / whole`, 0 when `whole` is 0 (no samples: nothing right).
#[allow(clippy::cast_precision_loss)] // counts of samples, far below 2^52
fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Counts of (actual class, predicted class) pairs over `C` classes: `counts[actual][predicted]`.
/// The diagonal holds the right predictions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfusionMatrix<const C: usize> {
    /// `counts[actual][predicted]`: how many samples of class `actual` were predicted `predicted`.
    pub counts: [[usize; C]; C],
}

impl<const C: usize> Default for ConfusionMatrix<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const C: usize> ConfusionMatrix<C> {
    /// No samples yet.
    pub const fn new() -> Self {
        Self {
            counts: [[0; C]; C],
        }
    }

    /// The matrix of `net`'s predictions on `inputs` against `labels`.
    ///
    /// # Panics
    /// If `inputs` and `labels` differ in length, or a label or prediction is `C` or more.
    pub fn of<N: Network>(net: &N, inputs: &[N::Input], labels: &[usize]) -> Self {
        assert_eq!(inputs.len(), labels.len(), "one label per input");
        let mut matrix = Self::new();
        for (input, &label) in inputs.iter().zip(labels) {
            matrix.record(label, predict(net, input));
        }
        matrix
    }

    /// Counts one sample of class `actual` predicted as `predicted`.
    ///
    /// # Panics
    /// If either is `C` or more.
    pub fn record(&mut self, actual: usize, predicted: usize) {
        self.counts[actual][predicted] += 1;
    }

    /// Every sample counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// The samples predicted right: the diagonal.
    pub fn correct(&self) -> usize {
        (0..C).map(|class| self.counts[class][class]).sum()
    }

    /// The fraction predicted right; 0 with no samples.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// Of the samples of `class`, the fraction predicted `class` (its row); 0 with none.
    pub fn recall(&self, class: usize) -> f64 {
        ratio(self.counts[class][class], self.counts[class].iter().sum())
    }

    /// Of the samples predicted `class`, the fraction that are `class` (its column); 0 with none.
    pub fn precision(&self, class: usize) -> f64 {
        let predicted = self.counts.iter().map(|row| row[class]).sum();
        ratio(self.counts[class][class], predicted)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "the ratios are of small counts, exact")]

    use super::*;

    crate::network! {
        /// Two inputs straight to two outputs: with the identity weights, the class is the larger input.
        struct Pass { input: 2, output: dense(2, identity), loss: squared_error }
    }

    fn pass() -> Pass {
        Pass {
            output: crate::Dense::new([[1.0, 0.0], [0.0, 1.0]], [0.0; 2]),
        }
    }

    #[test]
    fn argmax_takes_the_first_of_the_largest() {
        assert_eq!(argmax(&[0.1, 0.7, 0.2]), 1);
        assert_eq!(argmax(&[3, 5, 5, 1]), 1);
        assert_eq!(argmax::<f64>(&[]), 0);
        assert_eq!(argmax(&[f64::NAN, 1.0, 2.0]), 0);
        assert_eq!(argmax(&[1.0, f64::NAN, 2.0]), 2);
    }

    #[test]
    fn accuracy_counts_the_predicted_labels() {
        let net = pass();
        let inputs = [[1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [5.0, 4.0]];
        assert_eq!(predict(&net, &inputs[2]), 1);
        assert_eq!(correct(&net, &inputs, &[0, 1, 0, 0]), 3);
        assert_eq!(accuracy(&net, &inputs, &[0, 1, 0, 0]), 0.75);
        assert_eq!(accuracy(&net, &[], &[]), 0.0);
    }

    #[test]
    fn the_confusion_matrix_has_actual_rows_and_predicted_columns() {
        let net = pass();
        let inputs = [[1.0, 0.0], [0.0, 1.0], [2.0, 3.0], [5.0, 4.0]];
        let matrix = ConfusionMatrix::<2>::of(&net, &inputs, &[0, 1, 0, 0]);
        assert_eq!(matrix.counts, [[2, 1], [0, 1]]);
        assert_eq!((matrix.total(), matrix.correct()), (4, 3));
        assert_eq!(matrix.accuracy(), 0.75);
        assert_eq!((matrix.recall(0), matrix.recall(1)), (2.0 / 3.0, 1.0));
        assert_eq!((matrix.precision(0), matrix.precision(1)), (1.0, 0.5));
        let empty = ConfusionMatrix::<3>::default();
        assert_eq!(
            (empty.accuracy(), empty.recall(2), empty.precision(1)),
            (0.0, 0.0, 0.0)
        );
    }
}
