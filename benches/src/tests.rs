//! Every hand-written reference computes what the generated code computes: the `ordered` ones
//! bit for bit, the `fast` ones (reassociated dot products) to rounding.

#![allow(clippy::float_cmp, reason = "bit-identical results are the point")]

use super::*;
use crate::hand::{classifier, notebook, regression};

/// Every parameter of `a` and `b`, tensor by tensor.
fn parameters<'a, N: Network>(a: &'a N, b: &'a N) -> impl Iterator<Item = (f64, f64)> + 'a {
    (0..N::TENSORS.len()).flat_map(move |k| {
        a.tensor(k)
            .iter()
            .zip(b.tensor(k))
            .map(|(a, b)| (a.to_f64(), b.to_f64()))
    })
}

fn assert_identical<N: Network>(a: &N, b: &N) {
    for (index, (a, b)) in parameters(a, b).enumerate() {
        assert_eq!(a.to_bits(), b.to_bits(), "parameter {index}: {a} != {b}");
    }
}

fn assert_close<N: Network>(a: &N, b: &N, tolerance: f64) {
    for (index, (a, b)) in parameters(a, b).enumerate() {
        assert!(
            (a - b).abs() <= tolerance * a.abs().max(1e-3),
            "parameter {index}: {a} != {b}"
        );
    }
}

fn assert_slices_close(a: &[f32], b: &[f32], tolerance: f32) {
    for (a, b) in a.iter().zip(b) {
        assert!((a - b).abs() <= tolerance * a.abs().max(1e-3), "{a} != {b}");
    }
}

#[test]
fn notebook_by_hand_is_bit_identical() {
    let (x, t) = NOTEBOOK_SAMPLE;
    let (mut generated, mut by_hand) = (notebook(), notebook());
    for _ in 0..5 {
        assert_eq!(notebook::forward(&by_hand, &x), generated.forward(&x));
        let (loss, gradient) = generated.gradient(&x, &t);
        generated.sgd_step(&gradient, LEARNING_RATE);
        assert_eq!(
            notebook::train_step(&mut by_hand, &x, &t, LEARNING_RATE),
            loss
        );
        assert_identical(&generated, &by_hand);
    }
    // The notebook's numbers after the first step.
    let mut net = notebook();
    notebook::train_step(&mut net, &x, &t, LEARNING_RATE);
    assert_eq!(net.hidden.weights[0][0], 0.99);
    assert_eq!(net.output.bias[0], 0.49);
}

#[test]
fn regression_by_hand() {
    let (net, inputs, targets) = regression(4);
    let lr = 0.01_f32;
    let (mut generated, mut ordered, mut fast) = (net.clone(), net.clone(), net);
    for (x, t) in inputs.iter().zip(&targets) {
        let expected = generated.forward(x);
        assert_eq!(regression::forward_ordered(&ordered, x), expected);
        assert_slices_close(&regression::forward_fast(&fast, x), &expected, 1e-5);
        let (loss, gradient) = generated.gradient(x, t);
        generated.sgd_step(&gradient, lr);
        assert_eq!(regression::train_step_ordered(&mut ordered, x, t, lr), loss);
        assert_identical(generated.as_ref(), ordered.as_ref());
        let fast_loss = regression::train_step_fast(&mut fast, x, t, lr);
        assert!((fast_loss - loss).abs() <= 1e-5 * loss.abs().max(1e-3));
        assert_close(generated.as_ref(), fast.as_ref(), 1e-5);
    }
}

#[test]
fn tabular_by_hand() {
    let (net, inputs, targets) = tabular(4);
    let lr = 0.01_f32;
    let (mut generated, mut ordered, mut fast) = (net.clone(), net.clone(), net);
    let mut sgd = backprop_core::optim::Sgd::new(0.01);
    for (x, t) in inputs.iter().zip(&targets) {
        let loss = generated.train_step(x, t, &mut sgd);
        assert_eq!(
            hand::tabular::train_step_ordered(&mut ordered, x, t, lr),
            loss
        );
        assert_identical(generated.as_ref(), ordered.as_ref());
        let fast_loss = hand::tabular::train_step_fast(&mut fast, x, t, lr);
        assert!((fast_loss - loss).abs() <= 1e-5 * loss.abs().max(1e-3));
        assert_close(generated.as_ref(), fast.as_ref(), 1e-5);
    }
}

#[test]
fn classifier_by_hand_one_sample() {
    let (net, inputs, targets) = classifier(3);
    let lr = 0.01_f32;
    let (mut generated, mut ordered, mut fast) = (net.clone(), net.clone(), net);
    let mut gradient = Box::new(Classifier::zeroed());
    for (x, t) in inputs.iter().zip(&targets) {
        let expected = generated.forward(x);
        assert_eq!(classifier::forward_ordered(&ordered, x), expected);
        assert_slices_close(&classifier::forward_fast(&fast, x), &expected, 1e-5);
        let loss = generated.gradient_into(x, t, &mut gradient);
        generated.sgd_step(&gradient, lr);
        assert_eq!(classifier::train_step_ordered(&mut ordered, x, t, lr), loss);
        assert_identical(generated.as_ref(), ordered.as_ref());
        let fast_loss = classifier::train_step_fast(&mut fast, x, t, lr);
        assert!((fast_loss - loss).abs() <= 1e-5 * loss.abs().max(1e-3));
        assert_close(generated.as_ref(), fast.as_ref(), 1e-5);
    }
}

#[test]
fn sgd_step_by_hand_is_bit_identical() {
    let (net, inputs, targets) = classifier(1);
    let (mut generated, mut by_hand) = (net.clone(), net);
    let mut gradient = Box::new(Classifier::zeroed());
    generated.gradient_into(&inputs[0], &targets[0], &mut gradient);
    generated.sgd_step(&gradient, 0.01);
    classifier::sgd_step(&mut by_hand, &gradient, 0.01);
    assert_identical(generated.as_ref(), by_hand.as_ref());
}

/// The generated per-sample loop: `accumulate_gradient` per sample into a zeroed gradient, the
/// mean, one `sgd_step`. Returns the mean loss.
pub fn per_sample_step(
    net: &mut Classifier,
    gradient: &mut Classifier,
    inputs: &[[f32; 784]],
    targets: &[[f32; 10]],
    lr: f32,
) -> f32 {
    for k in 0..Classifier::TENSORS.len() {
        gradient.tensor_mut(k).fill(0.0);
    }
    let mut loss = 0.0;
    for (x, t) in inputs.iter().zip(targets) {
        loss += net.accumulate_gradient(x, t, gradient);
    }
    #[allow(clippy::cast_precision_loss, reason = "small batches")]
    let count = inputs.len() as f32;
    gradient.hidden /= count;
    gradient.output /= count;
    net.sgd_step(gradient, lr);
    loss / count
}

/// Runs `test` on a thread with a 32 MiB stack: in a debug build, `batch_gradient` returns a
/// 407 KB gradient by value and the test holds several nets, more than a test thread's 2 MiB.
fn with_big_stack(test: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(test)
        .expect("spawn")
        .join()
        .expect("the test passes");
}

#[test]
fn classifier_by_hand_mini_batch() {
    with_big_stack(classifier_mini_batch);
}

fn classifier_mini_batch() {
    const B: usize = 16;
    let (net, inputs, targets) = classifier(B);
    let (inputs, targets): (&[_; B], &[_; B]) = (
        inputs.as_slice().try_into().unwrap(),
        targets.as_slice().try_into().unwrap(),
    );
    let lr = 0.01_f32;
    let mut gradient = Box::new(Classifier::zeroed());
    let mut scratch = classifier::BatchScratch::<B>::new();
    let (mut generated, mut batched, mut per_sample, mut batch_gradient) =
        (net.clone(), net.clone(), net.clone(), net);
    for _ in 0..2 {
        let loss = per_sample_step(&mut generated, &mut gradient, inputs, targets, lr);
        assert_eq!(
            classifier::batch_step(&mut batched, &mut scratch, inputs, targets, lr),
            loss
        );
        assert_identical(generated.as_ref(), batched.as_ref());
        let hand_loss =
            classifier::batch_step_per_sample(&mut per_sample, &mut gradient, inputs, targets, lr);
        assert!((hand_loss - loss).abs() <= 1e-5 * loss.abs());
        assert_close(generated.as_ref(), per_sample.as_ref(), 1e-5);
        // Whatever path `batch_gradient` takes, it computes the same means to rounding.
        let (mean_loss, mean) = batch_gradient.batch_gradient(inputs, targets);
        batch_gradient.sgd_step(&mean, lr);
        assert!((mean_loss - loss).abs() <= 1e-5 * loss.abs());
        assert_close(generated.as_ref(), batch_gradient.as_ref(), 1e-5);
    }
}

/// The macro writes the canonical order with its own copy of the lane count; the runtime's kernels
/// follow theirs. One order needs the two to agree.
#[test]
fn the_macro_and_the_kernels_sum_in_the_same_lanes() {
    assert_eq!(
        backprop_codegen::derive::LANES,
        backprop_core::kernel::LANES
    );
}
