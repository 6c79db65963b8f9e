//! The generated code against hand-written Rust for the same nets, in one run:
//!
//! ```sh
//! cargo bench -p backprop-benches --bench nets                                   # default target
//! RUSTFLAGS="-C target-cpu=native" cargo bench -p backprop-benches --bench nets  # this CPU's SIMD
//! ```
//!
//! (add a filter such as `-- classifier` to run a part). For each net: `forward`, and a training
//! step with SGD, generated (`gradient` + `sgd_step`, and its variants) against the references of
//! `backprop_benches::hand` (`ordered`: bit-identical to the generated code; `fast`: vectorised
//! dot products). For the 784-128-10 classifier also a mini-batch of 64: `batch_gradient` +
//! `sgd_step` against the per-sample loops (64 x `accumulate_gradient`, and the same by hand) and
//! a batched step by hand. Every step trains the net in place, as a training loop does; the
//! library's tests check that each reference computes what the generated code computes.
//!
//! `clock` times a chain of dependent `f64` adds (3 cycles each on Zen 3 and Zen 4) to estimate
//! the clock rate the other figures ran at.

#![allow(
    clippy::wildcard_imports,
    reason = "divan groups benches by module; each module uses its parent's items"
)]

use backprop_benches::hand::{classifier, notebook, regression};
use backprop_benches::{
    Classifier, LEARNING_RATE, NOTEBOOK_SAMPLE, Notebook, Regression,
    classifier as classifier_case, notebook as notebook_net, regression as regression_case,
};
use backprop_core::optim::Sgd;
use divan::{Bencher, black_box};

fn main() {
    println!(
        "target features: avx2 {}, fma {}, avx512f {}",
        cfg!(target_feature = "avx2"),
        cfg!(target_feature = "fma"),
        cfg!(target_feature = "avx512f"),
    );
    println!(
        "GRADIENT_FLOPS: notebook {}, regression {}, classifier {}; PARAMETERS: {}, {}, {}",
        Notebook::GRADIENT_FLOPS,
        Regression::GRADIENT_FLOPS,
        Classifier::GRADIENT_FLOPS,
        Notebook::PARAMETERS,
        Regression::PARAMETERS,
        Classifier::PARAMETERS,
    );
    divan::main();
}

/// The learning rate as `f32`.
#[allow(
    clippy::cast_possible_truncation,
    reason = "0.01 as f32 is what we mean"
)]
const LR32: f32 = LEARNING_RATE as f32;

/// A chain of dependent adds: 1,000 per iteration, 3 cycles each (the `addsd` latency of Zen 3
/// and Zen 4), so the clock is `3,000 cycles / time`.
#[divan::bench]
fn clock(bencher: Bencher) {
    bencher.bench_local(|| {
        let step = black_box(1e-9_f64);
        let mut sum = black_box(0.0_f64);
        for _ in 0..1000 {
            sum += step;
        }
        sum
    });
}

mod notebook_2_2_1 {
    use super::*;
    use backprop_core::{Dense, network};

    network! {
        /// The notebook's net again, declared in this crate: the library's `Notebook` is called
        /// from another crate, where methods not marked `#[inline]` are never inlined.
        #[derive(Debug, Clone)]
        pub struct Local {
            scalar: f64,
            input: 2,
            hidden: dense(2, relu),
            output: dense(1, relu),
            loss: squared_error,
        }
    }

    /// The notebook's weights in the [`Local`] net.
    fn local() -> Local {
        let net = notebook_net();
        Local {
            hidden: Dense {
                weights: net.hidden.weights,
                bias: net.hidden.bias,
            },
            output: Dense {
                weights: net.output.weights,
                bias: net.output.bias,
            },
        }
    }

    mod forward {
        use super::*;

        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (net, x) = (notebook_net(), NOTEBOOK_SAMPLE.0);
            bencher.bench_local(|| black_box(&net).forward(black_box(&x)));
        }

        /// The same net declared in this crate.
        #[divan::bench]
        fn generated_same_crate(bencher: Bencher) {
            let (net, x) = (local(), NOTEBOOK_SAMPLE.0);
            bencher.bench_local(|| black_box(&net).forward(black_box(&x)));
        }

        #[divan::bench]
        fn hand(bencher: Bencher) {
            let (net, x) = (notebook_net(), NOTEBOOK_SAMPLE.0);
            bencher.bench_local(|| notebook::forward(black_box(&net), black_box(&x)));
        }
    }

    mod step {
        use super::*;

        /// `gradient` + `sgd_step`.
        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (mut net, (x, t)) = (notebook_net(), NOTEBOOK_SAMPLE);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.gradient(black_box(&x), black_box(&t));
                net.sgd_step(&gradient, LEARNING_RATE);
                loss
            });
        }

        /// `gradient` + `sgd_step` on the same net declared in this crate.
        #[divan::bench]
        fn generated_same_crate(bencher: Bencher) {
            let (mut net, (x, t)) = (local(), NOTEBOOK_SAMPLE);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.gradient(black_box(&x), black_box(&t));
                net.sgd_step(&gradient, LEARNING_RATE);
                loss
            });
        }

        /// `train_step` with `Sgd`.
        #[divan::bench]
        fn generated_train_step(bencher: Bencher) {
            let (mut net, (x, t)) = (notebook_net(), NOTEBOOK_SAMPLE);
            let mut sgd = Sgd::new(LEARNING_RATE);
            bencher.bench_local(|| {
                black_box(&mut net).train_step(black_box(&x), black_box(&t), &mut sgd)
            });
        }

        #[divan::bench]
        fn hand(bencher: Bencher) {
            let (mut net, (x, t)) = (notebook_net(), NOTEBOOK_SAMPLE);
            bencher.bench_local(|| {
                notebook::train_step(
                    black_box(&mut net),
                    black_box(&x),
                    black_box(&t),
                    LEARNING_RATE,
                )
            });
        }
    }
}

mod regression_64_32_32_1 {
    use super::*;

    mod forward {
        use super::*;

        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (net, inputs, _) = regression_case(1);
            bencher.bench_local(|| black_box(&net).forward(black_box(&inputs[0])));
        }

        #[divan::bench]
        fn hand_ordered(bencher: Bencher) {
            let (net, inputs, _) = regression_case(1);
            bencher.bench_local(|| {
                regression::forward_ordered(black_box(&net), black_box(&inputs[0]))
            });
        }

        #[divan::bench]
        fn hand_fast(bencher: Bencher) {
            let (net, inputs, _) = regression_case(1);
            bencher
                .bench_local(|| regression::forward_fast(black_box(&net), black_box(&inputs[0])));
        }
    }

    mod step {
        use super::*;

        /// `gradient` + `sgd_step`.
        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(1);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.gradient(black_box(&inputs[0]), black_box(&targets[0]));
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// `gradient_into` a reused gradient + `sgd_step`.
        #[divan::bench]
        fn generated_into(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(1);
            let mut gradient = Box::new(Regression::zeroed());
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let loss =
                    net.gradient_into(black_box(&inputs[0]), black_box(&targets[0]), &mut gradient);
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// `train_step` with `Sgd`.
        #[divan::bench]
        fn generated_train_step(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(1);
            let mut sgd = Sgd::new(LEARNING_RATE);
            bencher.bench_local(|| {
                black_box(&mut net).train_step(
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    &mut sgd,
                )
            });
        }

        #[divan::bench]
        fn hand_ordered(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(1);
            bencher.bench_local(|| {
                regression::train_step_ordered(
                    black_box(&mut net),
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    LR32,
                )
            });
        }

        #[divan::bench]
        fn hand_fast(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(1);
            bencher.bench_local(|| {
                regression::train_step_fast(
                    black_box(&mut net),
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    LR32,
                )
            });
        }
    }

    /// 64 samples: `batch_gradient` + `sgd_step` against the per-sample loop.
    mod batch64 {
        use super::*;

        #[divan::bench]
        fn batch_gradient(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(64);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.batch_gradient(black_box(&inputs), black_box(&targets));
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// 64 x `accumulate_gradient` into a zeroed gradient, the mean, `sgd_step`.
        #[divan::bench]
        fn generated_per_sample(bencher: Bencher) {
            let (mut net, inputs, targets) = regression_case(64);
            let mut gradient = Box::new(Regression::zeroed());
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                *gradient = Regression::zeroed();
                let mut loss = 0.0;
                for (x, t) in black_box(&inputs).iter().zip(black_box(&targets)) {
                    loss += net.accumulate_gradient(x, t, &mut gradient);
                }
                gradient.first /= 64.0;
                gradient.second /= 64.0;
                gradient.output /= 64.0;
                net.sgd_step(&gradient, LR32);
                loss / 64.0
            });
        }
    }
}

mod classifier_784_128_10 {
    use super::*;

    /// A batch of inputs and targets as arrays.
    type Batch<const B: usize> = (Box<[[f32; 784]; B]>, Box<[[f32; 10]; B]>);

    /// The inputs and targets of a batch as arrays.
    fn batch<const B: usize>(inputs: &[[f32; 784]], targets: &[[f32; 10]]) -> Batch<B> {
        (
            inputs
                .to_vec()
                .into_boxed_slice()
                .try_into()
                .expect("B inputs"),
            targets
                .to_vec()
                .into_boxed_slice()
                .try_into()
                .expect("B targets"),
        )
    }

    mod forward {
        use super::*;

        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (net, inputs, _) = classifier_case(1);
            bencher.bench_local(|| black_box(&net).forward(black_box(&inputs[0])));
        }

        #[divan::bench]
        fn hand_ordered(bencher: Bencher) {
            let (net, inputs, _) = classifier_case(1);
            bencher.bench_local(|| {
                classifier::forward_ordered(black_box(&net), black_box(&inputs[0]))
            });
        }

        #[divan::bench]
        fn hand_fast(bencher: Bencher) {
            let (net, inputs, _) = classifier_case(1);
            bencher
                .bench_local(|| classifier::forward_fast(black_box(&net), black_box(&inputs[0])));
        }
    }

    /// The generated gradient alone (no update), for the FLOP bound.
    #[divan::bench]
    fn gradient_into(bencher: Bencher) {
        let (net, inputs, targets) = classifier_case(1);
        let mut gradient = Box::new(Classifier::zeroed());
        bencher.bench_local(|| {
            black_box(&net).gradient_into(
                black_box(&inputs[0]),
                black_box(&targets[0]),
                black_box(&mut gradient),
            )
        });
    }

    /// The update alone: `sgd_step` with a gradient, against the same update as plain loops.
    mod sgd_step {
        use super::*;

        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            let (_, gradient) = net.gradient(&inputs[0], &targets[0]);
            bencher.bench_local(|| black_box(&mut net).sgd_step(black_box(&gradient), LR32));
        }

        #[divan::bench]
        fn hand(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            let (_, gradient) = net.gradient(&inputs[0], &targets[0]);
            bencher.bench_local(|| {
                classifier::sgd_step(black_box(&mut net), black_box(&gradient), LR32);
            });
        }
    }

    mod step {
        use super::*;

        /// `gradient` + `sgd_step`.
        #[divan::bench]
        fn generated(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.gradient(black_box(&inputs[0]), black_box(&targets[0]));
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// `gradient_into` a reused gradient + `sgd_step`.
        #[divan::bench]
        fn generated_into(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            let mut gradient = Box::new(Classifier::zeroed());
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let loss =
                    net.gradient_into(black_box(&inputs[0]), black_box(&targets[0]), &mut gradient);
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// `train_step` with `Sgd`.
        #[divan::bench]
        fn generated_train_step(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            let mut sgd = Sgd::new(LEARNING_RATE);
            bencher.bench_local(|| {
                black_box(&mut net).train_step(
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    &mut sgd,
                )
            });
        }

        #[divan::bench]
        fn hand_ordered(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            bencher.bench_local(|| {
                classifier::train_step_ordered(
                    black_box(&mut net),
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    LR32,
                )
            });
        }

        #[divan::bench]
        fn hand_fast(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(1);
            bencher.bench_local(|| {
                classifier::train_step_fast(
                    black_box(&mut net),
                    black_box(&inputs[0]),
                    black_box(&targets[0]),
                    LR32,
                )
            });
        }
    }

    /// 64 samples: one SGD step on the mean gradient.
    mod batch64 {
        use super::*;

        /// `batch_gradient` + `sgd_step`.
        #[divan::bench]
        fn batch_gradient(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(64);
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                let (loss, gradient) = net.batch_gradient(black_box(&inputs), black_box(&targets));
                net.sgd_step(&gradient, LR32);
                loss
            });
        }

        /// 64 x `accumulate_gradient` into a zeroed gradient, the mean, `sgd_step`.
        #[divan::bench]
        fn generated_per_sample(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(64);
            let mut gradient = Box::new(Classifier::zeroed());
            bencher.bench_local(|| {
                let net = black_box(&mut net);
                *gradient = Classifier::zeroed();
                let mut loss = 0.0;
                for (x, t) in black_box(&inputs).iter().zip(black_box(&targets)) {
                    loss += net.accumulate_gradient(x, t, &mut gradient);
                }
                gradient.hidden /= 64.0;
                gradient.output /= 64.0;
                net.sgd_step(&gradient, LR32);
                loss / 64.0
            });
        }

        /// The per-sample loop by hand (vectorised dot products).
        #[divan::bench]
        fn hand_per_sample(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(64);
            let (inputs, targets) = batch::<64>(&inputs, &targets);
            let mut gradient = Box::new(Classifier::zeroed());
            bencher.bench_local(|| {
                classifier::batch_step_per_sample(
                    black_box(&mut net),
                    &mut gradient,
                    black_box(&inputs),
                    black_box(&targets),
                    LR32,
                )
            });
        }

        /// Batched by hand: blocked matrix products over the batch, bit-identical to the
        /// generated per-sample loop.
        #[divan::bench]
        fn hand_batched(bencher: Bencher) {
            let (mut net, inputs, targets) = classifier_case(64);
            let (inputs, targets) = batch::<64>(&inputs, &targets);
            let mut scratch = classifier::BatchScratch::<64>::new();
            bencher.bench_local(|| {
                classifier::batch_step(
                    black_box(&mut net),
                    &mut scratch,
                    black_box(&inputs),
                    black_box(&targets),
                    LR32,
                )
            });
        }
    }
}
