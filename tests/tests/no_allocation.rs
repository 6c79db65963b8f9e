//! No heap allocation on the paths a training step takes: `forward`, `gradient`,
//! `input_gradient`, `sgd_step`, `train_step` with every optimizer (and with clipping and a
//! schedule around them), `batch_gradient`, `accumulate_gradient` and `clip_global_norm`, for
//! unrolled and looped nets, f64 and f32.
//!
//! This test binary's global allocator is `allocation-counter`'s, which counts every allocation
//! per thread; `measure` reports the allocations the calling thread made while a closure ran, so
//! the test harness's own threads never count. (Writing the allocator here would take
//! `unsafe impl GlobalAlloc`, which the workspace forbids.) The first test proves the counter is
//! live, so a zero cannot pass vacuously.

use allocation_counter::measure;
use backprop_core::network;
use backprop_core::optim::{
    Adam, AdamW, Clipped, Constant, Cosine, Optimizer, RmsProp, Scheduled, Sgd, StepDecay, Warmup,
    clip_global_norm,
};
use std::hint::black_box;

network! {
    /// Small enough to be unrolled.
    struct Unrolled {
        input: 2,
        hidden: dense(4, tanh),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

network! {
    /// The looped form, asked for.
    struct Looped {
        form: looped,
        input: 4,
        hidden: dense(8, relu),
        output: dense(3, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// Looped because it is wide (2,410 parameters).
    struct Wide {
        input: 64,
        hidden: dense(32, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// f32, two hidden layers.
    struct Single {
        scalar: f32,
        input: 3,
        first: dense(6, gelu),
        second: dense(4, elu),
        output: dense(2, identity),
        loss: huber,
    }
}

/// Runs `code` and fails if it allocated on this thread.
fn assert_no_allocation(what: &str, code: impl FnOnce()) {
    let info = measure(code);
    assert_eq!(
        info.count_total, 0,
        "{what} allocated {} times, {} bytes",
        info.count_total, info.bytes_total
    );
}

#[test]
fn the_counter_counts_this_thread() {
    let info = measure(|| {
        drop(black_box(Box::new(7_u64)));
        drop(black_box(vec![1_u8; 100]));
    });
    assert_eq!(info.count_total, 2);
    assert_eq!(info.bytes_total, 108);
}

/// Three steps of `optimizer` through `train_step` (the first creates the optimizer's state).
macro_rules! steps {
    ($net:ident, $input:ident, $target:ident, $optimizer:expr) => {{
        let mut optimizer = $optimizer;
        assert_no_allocation(stringify!($optimizer), || {
            for _ in 0..3 {
                black_box($net.train_step(&$input, &$target, &mut optimizer));
            }
        });
    }};
}

/// Every path of a training step, on one net type, with `inputs`/`targets` as a batch.
macro_rules! check_net {
    ($net_type:ty, $inputs:expr, $targets:expr) => {{
        let inputs = $inputs;
        let targets = $targets;
        let (input, target) = (inputs[0], targets[0]);
        let mut net = <$net_type>::he_uniform(1);
        let name = stringify!($net_type);
        assert_no_allocation(name, || {
            black_box(net.forward(black_box(&input)));
            black_box(net.loss(&input, &target));
            let (_, gradient) = net.gradient(black_box(&input), &target);
            black_box(net.input_gradient(&input, &target));
            net.sgd_step(black_box(&gradient), 0.01);
            let mut accumulated = <$net_type>::zeroed();
            for (input, target) in inputs.iter().zip(&targets) {
                black_box(net.accumulate_gradient(input, target, &mut accumulated));
            }
            let (_, mut batch) = net.batch_gradient(black_box(&inputs[..]), &targets[..]);
            black_box(clip_global_norm(&mut batch, 1e-3));
            black_box(net.to_array());
            black_box(<$net_type>::from_array(net.to_array()));
            black_box(<$net_type>::xavier_normal(2));
        });
        steps!(net, input, target, Sgd::new(0.01));
        steps!(
            net,
            input,
            target,
            Sgd::new(0.01).momentum(0.9).nesterov().weight_decay(1e-4)
        );
        steps!(net, input, target, Adam::new(0.001));
        steps!(net, input, target, AdamW::new(0.001).weight_decay(0.01));
        steps!(net, input, target, RmsProp::new(0.001));
        // A maximum norm this small clips every step.
        steps!(net, input, target, Clipped::new(Adam::new(0.001), 1e-6));
        steps!(
            net,
            input,
            target,
            Scheduled::new(
                Sgd::new(0.1).momentum(0.9),
                Cosine {
                    initial: 0.1,
                    minimum: 0.0,
                    steps: 3
                }
            )
        );
        steps!(
            net,
            input,
            target,
            Scheduled::new(
                Clipped::new(AdamW::new(0.01), 0.5),
                Warmup {
                    steps: 2,
                    schedule: StepDecay {
                        initial: 0.01,
                        factor: 0.5,
                        every: 1
                    }
                }
            )
        );
        steps!(
            net,
            input,
            target,
            Scheduled::new(RmsProp::new(0.1), Constant(0.001))
        );
        // A whole mini-batch step, as the fit loop takes it.
        let mut adam = Adam::new(0.001);
        assert_no_allocation("a batch step", || {
            for _ in 0..3 {
                let (_, gradient) = net.batch_gradient(&inputs[..], &targets[..]);
                adam.step(&mut net, &gradient);
            }
        });
        black_box(&net);
    }};
}

#[test]
fn an_unrolled_net_never_allocates() {
    check_net!(
        Unrolled,
        [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        [[0.0], [1.0], [1.0], [0.0]]
    );
}

#[test]
fn a_looped_net_never_allocates() {
    check_net!(
        Looped,
        [[0.5, -1.0, 2.0, 0.0], [1.5, 0.5, -0.5, 1.0]],
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    );
}

#[test]
fn a_wide_net_never_allocates() {
    let inputs: [[f64; 64]; 3] = core::array::from_fn(|k| {
        core::array::from_fn(|pixel| {
            f64::from(u32::try_from((pixel * (k + 3)) % 17).unwrap()) / 16.0
        })
    });
    let targets: [[f64; 10]; 3] = core::array::from_fn(|k| {
        core::array::from_fn(|digit| if digit == 2 * k { 1.0 } else { 0.0 })
    });
    check_net!(Wide, inputs, targets);
}

#[test]
fn an_f32_net_never_allocates() {
    check_net!(
        Single,
        [[0.5_f32, -1.0, 2.0], [1.0, 0.25, -0.75]],
        [[1.0_f32, -1.0], [0.0, 2.0]]
    );
}
