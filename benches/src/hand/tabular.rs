//! The 256-64-64-4 tanh/softmax classifier (`f32`, cross-entropy from the logits), written out by
//! hand, one sample at a time.

use super::kernels::{affine_fast, affine_ordered, back, descend_outer};
use crate::Tabular;
use backprop_core::activation::tanh;
use backprop_core::loss::{
    softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_gradient,
};
use core::array;

/// One SGD step on one sample, in place, every sum in the generated code's order; returns the
/// loss before the step.
#[inline]
pub fn train_step_ordered(net: &mut Tabular, x: &[f32; 256], t: &[f32; 4], lr: f32) -> f32 {
    train_step::<false>(net, x, t, lr)
}

/// One SGD step on one sample, in place, with vectorised (reassociated) dot products.
#[inline]
pub fn train_step_fast(net: &mut Tabular, x: &[f32; 256], t: &[f32; 4], lr: f32) -> f32 {
    train_step::<true>(net, x, t, lr)
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

#[inline]
fn train_step<const FAST: bool>(net: &mut Tabular, x: &[f32; 256], t: &[f32; 4], lr: f32) -> f32 {
    let a1 = affine::<FAST, 256, 64>(&net.first.weights, &net.first.bias, x).map(tanh);
    let a2 = affine::<FAST, 64, 64>(&net.second.weights, &net.second.bias, &a1).map(tanh);
    let z3 = affine::<FAST, 64, 4>(&net.output.weights, &net.output.bias, &a2);
    let loss = softmax_cross_entropy_with_logits(&z3, t);
    // Softmax with cross-entropy: the delta at the logits is `softmax(z) - t`.
    let d3 = softmax_cross_entropy_with_logits_gradient(&z3, t);
    let up2 = back(&net.output.weights, &d3);
    descend_outer(&mut net.output.weights, &mut net.output.bias, &d3, &a2, lr);
    let d2: [f32; 64] = array::from_fn(|j| (1.0 - a2[j] * a2[j]) * up2[j]);
    let up1 = back(&net.second.weights, &d2);
    descend_outer(&mut net.second.weights, &mut net.second.bias, &d2, &a1, lr);
    let d1: [f32; 64] = array::from_fn(|j| (1.0 - a1[j] * a1[j]) * up1[j]);
    descend_outer(&mut net.first.weights, &mut net.first.bias, &d1, x, lr);
    loss
}
