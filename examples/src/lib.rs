//! What the training examples share: reading the data sets (the UCR/UEA time series among them),
//! seeded stratified splits, standardisation, accuracy, a progress bar, the loss-curve plot and
//! the wall clock. The examples themselves live in `examples/*.rs`; run them with
//! `cargo run --release --example NAME`, adding `--features plot` for those that train with a
//! progress bar and write a loss curve, and `--features fixed` for `fixed_point` and `sine_tiny`.
//!
//! The plotting and progress modules sit behind the `plot` feature so that the first command a
//! newcomer runs, `cargo run --example notebook`, does not build plotters and indicatif.

#[cfg(feature = "plot")]
pub mod classify;
pub mod data;
#[cfg(feature = "plot")]
pub mod plot;
#[cfg(feature = "plot")]
pub mod progress;
pub mod quantized;
pub mod ucr;

use backprop_core::Network;
use std::time::Instant;

/// The index of the largest value (the first one on a tie): the class a classifier predicts.
pub fn argmax<T: PartialOrd>(values: &[T]) -> usize {
    let mut best = 0;
    for (index, value) in values.iter().enumerate() {
        if *value > values[best] {
            best = index;
        }
    }
    best
}

/// How many of `inputs` have their label as the predicted class (the largest output).
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

/// The class `net` predicts for `input`: the index of its largest output.
pub fn predict<N: Network>(net: &N, input: &N::Input) -> usize {
    argmax(backprop_core::shape::slice(&net.forward(input)))
}

/// The fraction of `inputs` whose predicted class (the largest output) is its label.
///
/// # Panics
/// If `inputs` and `labels` differ in length.
pub fn accuracy<N: Network>(net: &N, inputs: &[N::Input], labels: &[usize]) -> f64 {
    fraction(correct(net, inputs, labels), inputs.len())
}

/// `part / whole` as a float.
#[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 samples
pub fn fraction(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

/// Prints the wall time since `start` in the examples' common format.
pub fn print_wall_time(start: Instant) {
    println!("wall time: {:.3} s", start.elapsed().as_secs_f64());
}
