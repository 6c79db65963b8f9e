//! The signal nets' training steps, generated against hand-written Rust, in one run:
//!
//! ```sh
//! cargo bench -p backprop-benches --bench signals
//! ```
//!
//! For the conv1d net of `BasicMotions` (`motion`) and the GRU net of `JapaneseVowels` (`vowels`),
//! both `f32`: at one sample, the generated `train_step` with `Sgd` (each parameter descended as
//! its derivative is formed) against the hand-written in-place step; at 64 samples, the
//! generated `train_batch` with `Sgd` and a gradient kept between steps against the
//! hand-written per-sample gradients summed into a kept gradient, then one step along their
//! mean. Every step trains the net in place, as a training loop does. `benches/torch_signal.py`
//! times the same nets in PyTorch. The library's tests hold each hand-written step to the
//! generated one (`f64`, 1e-9).

use backprop_benches::hand::signal::HandWritten;
use backprop_benches::signal::{motion, vowels};
use backprop_core::optim::Sgd;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

/// The learning rate of every step.
const LR: f32 = 0.01;

macro_rules! signal_net {
    ($module:ident, $case:ident) => {
        mod $module {
            use super::*;

            mod one_sample {
                use super::*;

                #[divan::bench]
                fn train_step(bencher: Bencher) {
                    let (mut net, (inputs, targets)) = $case(1);
                    let mut sgd = Sgd::new(f64::from(LR));
                    bencher.bench_local(|| {
                        black_box(&mut net).train_step(
                            black_box(&inputs[0]),
                            black_box(&targets[0]),
                            &mut sgd,
                        )
                    });
                }

                #[divan::bench]
                fn hand(bencher: Bencher) {
                    let (mut net, (inputs, targets)) = $case(1);
                    bencher.bench_local(|| {
                        HandWritten::train_step(
                            black_box(net.as_mut()),
                            black_box(&inputs[0]),
                            black_box(&targets[0]),
                            LR,
                        )
                    });
                }
            }

            mod batch64 {
                use super::*;

                #[divan::bench]
                fn train_batch(bencher: Bencher) {
                    let (mut net, (inputs, targets)) = $case(64);
                    let mut gradient = net.clone();
                    let mut sgd = Sgd::new(f64::from(LR));
                    bencher.bench_local(|| {
                        black_box(&mut net).train_batch(
                            black_box(&inputs),
                            black_box(&targets),
                            &mut sgd,
                            &mut gradient,
                        )
                    });
                }

                #[divan::bench]
                fn hand(bencher: Bencher) {
                    let (mut net, (inputs, targets)) = $case(64);
                    let mut gradient = net.clone();
                    bencher.bench_local(|| {
                        black_box(net.as_mut()).batch_step(
                            &mut gradient,
                            black_box(&inputs),
                            black_box(&targets),
                            LR,
                        )
                    });
                }
            }
        }
    };
}

signal_net!(motion_conv1d, motion);
signal_net!(vowels_gru, vowels);
