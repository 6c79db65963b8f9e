//! The int8 form of a trained classifier, judged on the same test set as the float net.

use crate::fraction;
use backprop_core::data::Labelled;
use backprop_core::metrics::argmax;

/// Prints and returns the test accuracy of `int8_forward` (the int8 net's float forward) beside
/// the float net's `float_accuracy`.
pub fn int8_accuracy<const I: usize, const O: usize>(
    int8_forward: impl Fn(&[f64; I]) -> [f64; O],
    test: &Labelled<I>,
    float_accuracy: f64,
) -> f64 {
    let correct = test
        .inputs
        .iter()
        .zip(&test.labels)
        .filter(|&(input, &label)| argmax(&int8_forward(input)) == label)
        .count();
    let accuracy = fraction(correct, test.len());
    println!(
        "int8 test accuracy: {:.2}% ({correct} of {}), {:+.2} points from the float net",
        100.0 * accuracy,
        test.len(),
        100.0 * (accuracy - float_accuracy)
    );
    accuracy
}
