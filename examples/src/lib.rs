//! What the training examples share beyond `backprop_core::metrics` and `backprop_core::data`: the
//! data sets (the UCR/UEA time series among them), where loss curves go, and the wall clock. The examples themselves live in `examples/*.rs`; run them with
//! `cargo run --release --example NAME`, adding `--features plot` for those that train with a
//! progress bar and write a loss curve, and `--features fixed` for `fixed_point` and `sine_tiny`.
//!
//! The progress bar and the loss-curve plot are `backprop_core::fit::{Progress, LossCurve}`,
//! behind `backprop-core`'s `progress` and `plot` features, which this package's `plot` feature
//! turns on: the first command a newcomer runs, `cargo run --example notebook`, does not build
//! plotters and indicatif.

#[cfg(feature = "plot")]
pub mod classify;
pub mod data;
#[cfg(feature = "plot")]
pub mod plot;
pub mod quantized;
pub mod ucr;

// argmax, accuracy and the confusion matrix are `backprop_core::metrics`; CSV, splits and
// standardisation are `backprop_core::data`: the examples use what a user of the library has.

use std::time::Instant;

/// `part / whole` as a float.
#[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 samples
pub fn fraction(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

/// Prints the wall time since `start` in the examples' common format.
pub fn print_wall_time(start: Instant) {
    println!("wall time: {:.3} s", start.elapsed().as_secs_f64());
}
