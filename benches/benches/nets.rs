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

use backprop_benches::hand::{self, classifier, notebook, regression};
use backprop_benches::{
    Classifier, LEARNING_RATE, NOTEBOOK_SAMPLE, Notebook, Regression, autoencoder,
    classifier as classifier_case, classifier64, notebook as notebook_net,
    regression as regression_case, tabular,
};
use backprop_core::Network;
use backprop_core::optim::Sgd;
use gemm::{Gemm, Hidden, Output};

mod flop_bound;
mod gemm;
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
    classifier_f32::check();
    classifier_f64::check();
    regression_f32::check();
    tabular_f32::check();
    autoencoder_f32::check();
    println!("the GEMM references agree with train_batch and forward_batch");
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
}

mod classifier_784_128_10 {
    use super::*;

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
}

/// A net at batch 1 and batch 64: the generated batched forward and step against the same with a
/// GEMM (`gemm/mod.rs`), and the one-sample `train_step`; `$extra` adds the net's hand-written
/// rows at batch 64, `one_sample` at batch 1.
macro_rules! batched {
    (
        $module:ident: $net:ident, $scalar:ty, $case:path, $widths:expr, $hidden:ident,
        $output:ident { $($extra:item)* } $(one_sample { $($one:item)* })?
    ) => {
        mod $module {
            use super::*;
            use backprop_benches::$net;

            /// The learning rate in the net's scalar type.
            #[allow(clippy::cast_possible_truncation, reason = "0.01 in f32 is what we mean")]
            const RATE: $scalar = LEARNING_RATE as $scalar;

            /// The GEMM reference for `batch` samples.
            fn gemm(batch: usize) -> Gemm<$scalar> {
                Gemm::new(&$widths, Hidden::$hidden, Output::$output, batch)
            }

            /// One sample: `train_step` with `Sgd` (each parameter updated as its derivative is
            /// formed) against the same step through the GEMM at batch 1.
            mod one_sample {
                use super::*;

                #[divan::bench]
                fn train_step(bencher: Bencher) {
                    let (mut net, inputs, targets) = $case(1);
                    let mut sgd = Sgd::new(LEARNING_RATE);
                    bencher.bench_local(|| {
                        black_box(&mut net).train_step(
                            black_box(&inputs[0]),
                            black_box(&targets[0]),
                            &mut sgd,
                        )
                    });
                }

                $($($one)*)?

                #[divan::bench]
                fn gemm_step(bencher: Bencher) {
                    let (mut net, inputs, targets) = $case(1);
                    let mut gemm = gemm(1);
                    bencher.bench_local(|| {
                        gemm.step(
                            black_box(net.as_mut()),
                            black_box(inputs.as_flattened()),
                            targets.as_flattened(),
                            RATE,
                        )
                    });
                }
            }

            /// 64 samples: `forward_batch` into a kept buffer, `train_batch` with `Sgd` and a
            /// kept gradient, against the GEMM and the per-sample loops.
            mod batch64 {
                use super::*;

                #[divan::bench]
                fn forward_batch(bencher: Bencher) {
                    let (net, inputs, mut outputs) = $case(64);
                    bencher.bench_local(|| {
                        black_box(&net).forward_batch(black_box(&inputs), &mut outputs);
                        black_box(&outputs);
                    });
                }

                /// `forward` once per sample.
                #[divan::bench]
                fn forward_per_sample(bencher: Bencher) {
                    let (net, inputs, mut outputs) = $case(64);
                    bencher.bench_local(|| {
                        let net = black_box(&net);
                        for (y, x) in outputs.iter_mut().zip(black_box(&inputs)) {
                            *y = net.forward(x);
                        }
                        black_box(&outputs);
                    });
                }

                #[divan::bench]
                fn forward_gemm(bencher: Bencher) {
                    let (net, inputs, _) = $case(64);
                    let mut gemm = gemm(64);
                    bencher.bench_local(|| {
                        gemm.forward(black_box(net.as_ref()), black_box(inputs.as_flattened()))
                            .len()
                    });
                }

                #[divan::bench]
                fn train_batch(bencher: Bencher) {
                    let (mut net, inputs, targets) = $case(64);
                    let mut sgd = Sgd::new(LEARNING_RATE);
                    let mut gradient = Box::new(<$net>::zeroed());
                    bencher.bench_local(|| {
                        black_box(&mut net).train_batch(
                            black_box(&inputs),
                            black_box(&targets),
                            &mut sgd,
                            &mut gradient,
                        )
                    });
                }

                /// 64 x `train_step`: SGD one sample at a time (not the same update; the cost of
                /// the same samples without batching).
                #[divan::bench]
                fn train_step_per_sample(bencher: Bencher) {
                    let (mut net, inputs, targets) = $case(64);
                    let mut sgd = Sgd::new(LEARNING_RATE);
                    bencher.bench_local(|| {
                        let net = black_box(&mut net);
                        let mut loss = 0.0;
                        for (x, t) in black_box(&inputs).iter().zip(&targets) {
                            loss += net.train_step(x, t, &mut sgd);
                        }
                        loss
                    });
                }

                #[divan::bench]
                fn gemm_step(bencher: Bencher) {
                    let (mut net, inputs, targets) = $case(64);
                    let mut gemm = gemm(64);
                    bencher.bench_local(|| {
                        gemm.step(
                            black_box(net.as_mut()),
                            black_box(inputs.as_flattened()),
                            targets.as_flattened(),
                            RATE,
                        )
                    });
                }

                $($extra)*
            }

            /// The GEMM reference computes what the generated code computes: the same forward
            /// outputs and the same new weights after one step, to rounding.
            pub fn check() {
                let (mut net, inputs, targets) = $case(64);
                let mut theirs = net.clone();
                let mut outputs = targets.clone();
                net.forward_batch(&inputs, &mut outputs);
                let mut gemm = gemm(64);
                let forward = gemm.forward(theirs.as_ref(), inputs.as_flattened()).to_vec();
                close(outputs.as_flattened(), &forward, 1e-4, "forward_batch");
                let before = net.clone();
                let mut gradient = Box::new(<$net>::zeroed());
                net.train_batch(&inputs, &targets, &mut Sgd::new(LEARNING_RATE), &mut gradient);
                gemm.step(theirs.as_mut(), inputs.as_flattened(), targets.as_flattened(), RATE);
                for tensor in 0..<$net as Network>::TENSORS.len() {
                    let update = |after: &$net| -> Vec<f64> {
                        after.tensor(tensor).iter().zip(before.tensor(tensor))
                            .map(|(a, b)| f64::from(*a) - f64::from(*b)).collect()
                    };
                    close_f64(&update(&net), &update(&theirs), 1e-3, "train_batch's update");
                }
            }
        }
    };
}

/// `|a - b| <= tolerance * max |a|` for every element.
fn close<T: Copy + Into<f64>>(ours: &[T], theirs: &[T], tolerance: f64, what: &str) {
    let widen = |v: &[T]| v.iter().map(|&v| v.into()).collect::<Vec<f64>>();
    close_f64(&widen(ours), &widen(theirs), tolerance, what);
}

fn close_f64(ours: &[f64], theirs: &[f64], tolerance: f64, what: &str) {
    let scale = ours.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let worst = ours
        .iter()
        .zip(theirs)
        .fold(0.0_f64, |m, (a, b)| m.max((a - b).abs()));
    assert!(
        worst <= tolerance * scale,
        "{what}: the GEMM reference differs by {worst:e} at scale {scale:e}"
    );
}

batched!(classifier_f32: Classifier, f32, classifier_case, [784, 128, 10], Relu, Softmax {
    /// A batch of inputs and targets as arrays.
    type Batch<const B: usize> = (Box<[[f32; 784]; B]>, Box<[[f32; 10]; B]>);

    /// The inputs and targets of a batch as arrays.
    fn batch<const B: usize>(inputs: &[[f32; 784]], targets: &[[f32; 10]]) -> Batch<B> {
        let inputs = inputs.to_vec().into_boxed_slice().try_into().expect("B inputs");
        let targets = targets.to_vec().into_boxed_slice().try_into().expect("B targets");
        (inputs, targets)
    }

    /// `forward` per sample by hand, vectorised dot products.
    #[divan::bench]
    fn forward_hand_fast(bencher: Bencher) {
        let (net, inputs, mut outputs) = classifier_case(64);
        bencher.bench_local(|| {
            let net = black_box(&net);
            for (y, x) in outputs.iter_mut().zip(black_box(&inputs)) {
                *y = classifier::forward_fast(net, x);
            }
            black_box(&outputs);
        });
    }

    /// The per-sample loop by hand (vectorised dot products), the mean gradient, one update.
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

    /// Batched by hand: blocked products over the batch in the canonical order.
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
});

batched!(classifier_f64: Classifier64, f64, classifier64, [784, 128, 10], Relu, Softmax {});

batched!(regression_f32: Regression, f32, regression_case, [64, 32, 32, 1], Tanh, Identity {
    /// `forward` per sample by hand, vectorised dot products.
    #[divan::bench]
    fn forward_hand_fast(bencher: Bencher) {
        let (net, inputs, mut outputs) = regression_case(64);
        bencher.bench_local(|| {
            let net = black_box(&net);
            for (y, x) in outputs.iter_mut().zip(black_box(&inputs)) {
                *y = regression::forward_fast(net, x);
            }
            black_box(&outputs);
        });
    }
});

batched!(tabular_f32: Tabular, f32, tabular, [256, 64, 64, 4], Tanh, Softmax {} one_sample {
    #[divan::bench]
    fn hand_fast(bencher: Bencher) {
        let (mut net, inputs, targets) = tabular(1);
        bencher.bench_local(|| {
            hand::tabular::train_step_fast(
                black_box(&mut net),
                black_box(&inputs[0]),
                black_box(&targets[0]),
                LR32,
            )
        });
    }

    #[divan::bench]
    fn hand_ordered(bencher: Bencher) {
        let (mut net, inputs, targets) = tabular(1);
        bencher.bench_local(|| {
            hand::tabular::train_step_ordered(
                black_box(&mut net),
                black_box(&inputs[0]),
                black_box(&targets[0]),
                LR32,
            )
        });
    }
});

batched!(
    autoencoder_f32: Autoencoder,
    f32,
    autoencoder,
    [640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640],
    Relu,
    Identity {}
);
