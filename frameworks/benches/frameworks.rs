//! Forward pass and one training step, ours against dfdx, candle and burn (Flex, autodiff), on
//! the same nets, weights and batches. Run with
//! `cargo bench --bench frameworks` in `frameworks/` (add `-- notebook` to filter).
//!
//! Ours (`backprop_frameworks::ours`): `forward_batch` into an output buffer kept between calls;
//! `train_step` with `Sgd` at batch 1, `train_batch` with `Sgd` and a gradient kept between
//! steps at batch 64. Theirs: `Trainer::forward` (inference, outputs read back into a
//! `Vec`) and `Trainer::step` (forward with the tape, loss read back, backward, SGD update), with
//! the batch already in their tensors. Every step trains the net in place, as a training loop
//! does.

#[cfg(feature = "burn")]
use backprop_frameworks::burn::Burn;
#[cfg(feature = "candle")]
use backprop_frameworks::candle::Candle;
use backprop_frameworks::ours::Ours;
use backprop_frameworks::{Classifier, Notebook, Regression, Trainer};
#[allow(unused_imports)]
use backprop_frameworks::{classifier, notebook, regression};
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

#[allow(dead_code)]
fn forward<T: Trainer>(bencher: Bencher, mut trainer: T) {
    bencher.bench_local(|| trainer.forward());
}

#[allow(dead_code)]
fn step<T: Trainer>(bencher: Bencher, mut trainer: T) {
    bencher.bench_local(|| trainer.step());
}

macro_rules! case {
    ($module:ident, $net:ty, $case:expr, $dfdx:path) => {
        mod $module {
            use super::*;

            mod forward {
                use super::*;

                /// `forward_batch` into a buffer kept between calls.
                #[divan::bench]
                fn ours(bencher: Bencher) {
                    let mut ours = Ours::<$net>::new(&$case);
                    bencher.bench_local(|| black_box(black_box(&mut ours).forward_batch()).len());
                }

                #[cfg(feature = "dfdx")]
                #[divan::bench]
                fn dfdx(bencher: Bencher) {
                    forward(bencher, $dfdx(&$case));
                }

                #[cfg(feature = "candle")]
                #[divan::bench]
                fn candle(bencher: Bencher) {
                    forward(bencher, Candle::new(&$case));
                }

                #[cfg(feature = "burn")]
                #[divan::bench]
                fn burn(bencher: Bencher) {
                    let inference = Burn::new(&$case).inference();
                    bencher.bench_local(|| inference.forward());
                }
            }

            mod step {
                use super::*;

                /// `train_step` with `Sgd` at batch 1, `train_batch` with `Sgd` and a kept
                /// gradient at batch 64.
                #[divan::bench]
                fn ours(bencher: Bencher) {
                    let mut ours = Ours::<$net>::new(&$case);
                    bencher.bench_local(|| black_box(&mut ours).train());
                }

                #[cfg(feature = "dfdx")]
                #[divan::bench]
                fn dfdx(bencher: Bencher) {
                    step(bencher, $dfdx(&$case));
                }

                #[cfg(feature = "candle")]
                #[divan::bench]
                fn candle(bencher: Bencher) {
                    step(bencher, Candle::new(&$case));
                }

                #[cfg(feature = "burn")]
                #[divan::bench]
                fn burn(bencher: Bencher) {
                    step(bencher, Burn::new(&$case));
                }
            }
        }
    };
}

case!(
    notebook_1,
    Notebook,
    notebook(),
    backprop_frameworks::dfdx::notebook
);
case!(
    regression_1,
    Regression,
    regression(1),
    backprop_frameworks::dfdx::regression
);
case!(
    regression_64,
    Regression,
    regression(64),
    backprop_frameworks::dfdx::regression
);
case!(
    classifier_1,
    Classifier,
    classifier(1),
    backprop_frameworks::dfdx::classifier
);
case!(
    classifier_64,
    Classifier,
    classifier(64),
    backprop_frameworks::dfdx::classifier
);

/// The signal nets (`backprop_frameworks::signal`): the training step only, ours against candle
/// and burn (dfdx has no GRU).
macro_rules! signal_case {
    ($module:ident, $case:expr, $candle:path, $burn:path) => {
        mod $module {
            use super::*;
            use backprop_frameworks::signal::OursSignal;

            mod step {
                use super::*;

                /// `train_step` with `Sgd` at batch 1, `train_batch` with `Sgd` and a kept
                /// gradient at batch 64.
                #[divan::bench]
                fn ours(bencher: Bencher) {
                    let mut ours = OursSignal::new(&$case);
                    bencher.bench_local(|| black_box(&mut ours).step());
                }

                #[cfg(feature = "candle")]
                #[divan::bench]
                fn candle(bencher: Bencher) {
                    let mut candle = $candle(&$case);
                    bencher.bench_local(|| candle.step());
                }

                #[cfg(feature = "burn")]
                #[divan::bench]
                fn burn(bencher: Bencher) {
                    let mut burn = $burn(&$case);
                    bencher.bench_local(|| burn.step());
                }
            }
        }
    };
}

signal_case!(
    motion_1,
    backprop_frameworks::signal::motion(1),
    backprop_frameworks::signal::candle::CandleSignal::motion,
    backprop_frameworks::signal::burn::BurnSignal::motion
);
signal_case!(
    motion_64,
    backprop_frameworks::signal::motion(64),
    backprop_frameworks::signal::candle::CandleSignal::motion,
    backprop_frameworks::signal::burn::BurnSignal::motion
);
signal_case!(
    vowels_1,
    backprop_frameworks::signal::vowels(1),
    backprop_frameworks::signal::candle::CandleSignal::vowels,
    backprop_frameworks::signal::burn::BurnSignal::vowels
);
signal_case!(
    vowels_64,
    backprop_frameworks::signal::vowels(64),
    backprop_frameworks::signal::candle::CandleSignal::vowels,
    backprop_frameworks::signal::burn::BurnSignal::vowels
);
