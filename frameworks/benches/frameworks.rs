//! Forward pass and one training step, ours against dfdx, candle and burn (Flex, autodiff), on
//! the same nets, weights and batches. Run with
//! `cargo bench --bench frameworks` in `frameworks/` (add `-- notebook` to filter).
//!
//! Ours: `forward` (once per sample), `gradient` + `sgd_step` at batch 1, `batch_gradient` +
//! `sgd_step` at batch 64. Theirs: `Trainer::forward` (inference, outputs read back into a
//! `Vec`) and `Trainer::step` (forward with the tape, loss read back, backward, SGD update), with
//! the batch already in their tensors. Every step trains the net in place, as a training loop
//! does.

use backprop_core::{Network, Scalar};
#[cfg(feature = "burn")]
use backprop_frameworks::burn::Burn;
#[cfg(feature = "candle")]
use backprop_frameworks::candle::Candle;
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

                #[divan::bench]
                fn ours(bencher: Bencher) {
                    let case = $case;
                    let net: Box<$net> = case.net.clone();
                    let inputs = case.inputs.clone();
                    let mut outputs: Vec<_> = inputs.iter().map(|x| net.forward(x)).collect();
                    bencher.bench_local(|| {
                        let net = black_box(&net);
                        for (output, input) in outputs.iter_mut().zip(black_box(&inputs)) {
                            *output = net.forward(input);
                        }
                        black_box(&outputs);
                    });
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

                #[divan::bench]
                fn ours(bencher: Bencher) {
                    let case = $case;
                    let mut net: Box<$net> = case.net.clone();
                    let rate = <$net as Network>::Scalar::from_f64(case.learning_rate);
                    let (inputs, targets) = (case.inputs.clone(), case.targets.clone());
                    if let ([input], [target]) = (&inputs[..], &targets[..]) {
                        bencher.bench_local(|| {
                            let (loss, gradient) = net.gradient(black_box(input), target);
                            net.sgd_step(&gradient, rate);
                            loss
                        });
                    } else {
                        bencher.bench_local(|| {
                            let (loss, gradient) = net.batch_gradient(black_box(&inputs), &targets);
                            net.sgd_step(&gradient, rate);
                            loss
                        });
                    }
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
