//! The 784-128-10 ReLU/softmax classifier (`f32`, cross-entropy from the logits), written out by
//! hand: one sample at a time, and a whole mini-batch at once.

use super::kernels::{
    BATCH_LANES, accumulate_outer, affine_batch, affine_fast, affine_ordered, back,
    descend_batch_outer, descend_outer, transpose,
};
use crate::Classifier;
use backprop_core::activation::softmax;
use backprop_core::loss::{
    softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_gradient,
};
use core::array;

/// `max(z, 0)`, keeping `-0`, as the runtime's `relu`.
#[inline]
fn relu(z: f32) -> f32 {
    if z < 0.0 { 0.0 } else { z }
}

/// `relu'(z)`: 1 for `z > 0`, else 0.
#[inline]
fn relu_slope(z: f32) -> f32 {
    if z > 0.0 { 1.0 } else { 0.0 }
}

#[inline]
fn affine<const FAST: bool, const I: usize, const O: usize>(
    weights: &[[f32; I]; O],
    bias: &[f32; O],
    x: &[f32; I],
) -> [f32; O] {
    if FAST {
        affine_fast(weights, bias, x)
    } else {
        affine_ordered(weights, bias, x)
    }
}

/// The class probabilities for input `x`, every sum in the generated code's order.
#[inline]
pub fn forward_ordered(net: &Classifier, x: &[f32; 784]) -> [f32; 10] {
    forward::<false>(net, x)
}

/// The class probabilities for input `x`, with vectorised (reassociated) dot products.
#[inline]
pub fn forward_fast(net: &Classifier, x: &[f32; 784]) -> [f32; 10] {
    forward::<true>(net, x)
}

#[inline]
fn forward<const FAST: bool>(net: &Classifier, x: &[f32; 784]) -> [f32; 10] {
    let a1 = affine::<FAST, 784, 128>(&net.hidden.weights, &net.hidden.bias, x).map(relu);
    softmax(affine::<FAST, 128, 10>(
        &net.output.weights,
        &net.output.bias,
        &a1,
    ))
}

/// One SGD step on one sample, in place, bit-identical to the generated `gradient` + `sgd_step`;
/// returns the loss before the step.
#[inline]
pub fn train_step_ordered(net: &mut Classifier, x: &[f32; 784], t: &[f32; 10], lr: f32) -> f32 {
    train_step::<false>(net, x, t, lr)
}

/// One SGD step on one sample, in place, with vectorised (reassociated) dot products.
#[inline]
pub fn train_step_fast(net: &mut Classifier, x: &[f32; 784], t: &[f32; 10], lr: f32) -> f32 {
    train_step::<true>(net, x, t, lr)
}

/// The deltas of both layers for one sample, and its loss.
#[inline]
fn deltas<const FAST: bool>(
    net: &Classifier,
    x: &[f32; 784],
    t: &[f32; 10],
) -> (f32, [f32; 128], [f32; 128], [f32; 10]) {
    let z1 = affine::<FAST, 784, 128>(&net.hidden.weights, &net.hidden.bias, x);
    let a1 = z1.map(relu);
    let z2 = affine::<FAST, 128, 10>(&net.output.weights, &net.output.bias, &a1);
    let loss = softmax_cross_entropy_with_logits(&z2, t);
    let d2 = softmax_cross_entropy_with_logits_gradient(&z2, t);
    let up1 = back(&net.output.weights, &d2);
    let d1 = array::from_fn(|j| relu_slope(z1[j]) * up1[j]);
    (loss, a1, d1, d2)
}

#[inline]
fn train_step<const FAST: bool>(
    net: &mut Classifier,
    x: &[f32; 784],
    t: &[f32; 10],
    lr: f32,
) -> f32 {
    let (loss, a1, d1, d2) = deltas::<FAST>(net, x, t);
    descend_outer(&mut net.output.weights, &mut net.output.bias, &d2, &a1, lr);
    descend_outer(&mut net.hidden.weights, &mut net.hidden.bias, &d1, x, lr);
    loss
}

/// `p -= lr * g` for every parameter, as plain loops over each array.
#[inline]
pub fn sgd_step(net: &mut Classifier, gradient: &Classifier, lr: f32) {
    let layers = [
        (
            net.hidden.weights.as_flattened_mut(),
            gradient.hidden.weights.as_flattened(),
        ),
        (&mut net.hidden.bias[..], &gradient.hidden.bias[..]),
        (
            net.output.weights.as_flattened_mut(),
            gradient.output.weights.as_flattened(),
        ),
        (&mut net.output.bias[..], &gradient.output.bias[..]),
    ];
    for (parameters, slopes) in layers {
        for (p, g) in parameters.iter_mut().zip(slopes) {
            *p -= lr * g;
        }
    }
}

/// The per-sample loop by hand: each sample's gradient (vectorised dot products) added into
/// `gradient` (zeroed first), then one step with the mean. Returns the mean loss.
pub fn batch_step_per_sample<const B: usize>(
    net: &mut Classifier,
    gradient: &mut Classifier,
    xs: &[[f32; 784]; B],
    ts: &[[f32; 10]; B],
    lr: f32,
) -> f32 {
    let (g1, g2) = (&mut gradient.hidden, &mut gradient.output);
    g1.weights.as_flattened_mut().fill(0.0);
    g1.bias.fill(0.0);
    g2.weights.as_flattened_mut().fill(0.0);
    g2.bias.fill(0.0);
    let mut loss = 0.0;
    for (x, t) in xs.iter().zip(ts) {
        let (sample_loss, a1, d1, d2) = deltas::<true>(net, x, t);
        loss += sample_loss;
        accumulate_outer(&mut g2.weights, &mut g2.bias, &d2, &a1);
        accumulate_outer(&mut g1.weights, &mut g1.bias, &d1, x);
    }
    #[allow(
        clippy::cast_precision_loss,
        reason = "a batch has far fewer than 2^24 samples"
    )]
    let count = B as f32;
    for (w, g) in net
        .hidden
        .weights
        .as_flattened_mut()
        .iter_mut()
        .zip(g1.weights.as_flattened())
    {
        *w -= lr * (g / count);
    }
    for (w, g) in net.hidden.bias.iter_mut().zip(&g1.bias) {
        *w -= lr * (g / count);
    }
    for (w, g) in net
        .output
        .weights
        .as_flattened_mut()
        .iter_mut()
        .zip(g2.weights.as_flattened())
    {
        *w -= lr * (g / count);
    }
    for (w, g) in net.output.bias.iter_mut().zip(&g2.bias) {
        *w -= lr * (g / count);
    }
    loss / count
}

/// The scratch space of [`batch_step`] for a batch of `B` samples (boxed by the caller: 96 KB at
/// `B = 64`).
#[derive(Debug, Clone)]
pub struct BatchScratch<const B: usize> {
    x_t: [[f32; BATCH_LANES]; 784],
    a1_t: [[f32; BATCH_LANES]; 128],
    z1: [[f32; 128]; B],
    a1: [[f32; 128]; B],
    z2: [[f32; 10]; B],
    d1: [[f32; 128]; B],
    d2: [[f32; 10]; B],
}

impl<const B: usize> BatchScratch<B> {
    /// Zeroed scratch space.
    #[allow(
        clippy::large_stack_arrays,
        reason = "built once, outside the timed code"
    )]
    pub fn new() -> Box<Self> {
        Box::new(Self {
            x_t: [[0.0; BATCH_LANES]; 784],
            a1_t: [[0.0; BATCH_LANES]; 128],
            z1: [[0.0; 128]; B],
            a1: [[0.0; 128]; B],
            z2: [[0.0; 10]; B],
            d1: [[0.0; 128]; B],
            d2: [[0.0; 10]; B],
        })
    }
}

/// One SGD step on the mean gradient of a mini-batch, as one would write it by hand for speed:
/// both layers' pre-activations for `BATCH_LANES` samples at once (a blocked matrix product),
/// the deltas per sample, then each weight row's batch sum kept in registers over the samples
/// and applied once. Every sum runs in the generated per-sample loop's order, so the new weights
/// are bit-identical to `B` x `accumulate_gradient`, the mean, and `sgd_step`. `B` must be a
/// multiple of `BATCH_LANES`. Returns the mean loss.
pub fn batch_step<const B: usize>(
    net: &mut Classifier,
    scratch: &mut BatchScratch<B>,
    xs: &[[f32; 784]; B],
    ts: &[[f32; 10]; B],
    lr: f32,
) -> f32 {
    const { assert!(B.is_multiple_of(BATCH_LANES), "whole blocks of samples") };
    let s = scratch;
    let (x_blocks, _) = xs.as_chunks::<BATCH_LANES>();
    let (z1_blocks, _) = s.z1.as_chunks_mut::<BATCH_LANES>();
    for (x, z1) in x_blocks.iter().zip(z1_blocks) {
        transpose(x, &mut s.x_t);
        affine_batch(&net.hidden.weights, &net.hidden.bias, &s.x_t, z1);
    }
    for (a1, z1) in s.a1.iter_mut().zip(&s.z1) {
        *a1 = z1.map(relu);
    }
    let (a1_blocks, _) = s.a1.as_chunks::<BATCH_LANES>();
    let (z2_blocks, _) = s.z2.as_chunks_mut::<BATCH_LANES>();
    for (a1, z2) in a1_blocks.iter().zip(z2_blocks) {
        transpose(a1, &mut s.a1_t);
        affine_batch(&net.output.weights, &net.output.bias, &s.a1_t, z2);
    }
    let mut loss = 0.0;
    let samples = s.z1.iter().zip(&s.z2).zip(ts);
    for (((z1, z2), t), (d1, d2)) in samples.zip(s.d1.iter_mut().zip(&mut s.d2)) {
        loss += softmax_cross_entropy_with_logits(z2, t);
        *d2 = softmax_cross_entropy_with_logits_gradient(z2, t);
        let up1 = back(&net.output.weights, d2);
        *d1 = array::from_fn(|j| relu_slope(z1[j]) * up1[j]);
    }
    descend_batch_outer(
        &mut net.output.weights,
        &mut net.output.bias,
        &s.d2,
        &s.a1,
        lr,
    );
    descend_batch_outer(&mut net.hidden.weights, &mut net.hidden.bias, &s.d1, xs, lr);
    #[allow(
        clippy::cast_precision_loss,
        reason = "a batch has far fewer than 2^24 samples"
    )]
    let count = B as f32;
    loss / count
}
