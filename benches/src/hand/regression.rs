//! The 64-32-32-1 tanh regression net (`f32`, mean squared error), written out by hand.

use super::kernels::{affine_fast, affine_ordered, back, descend_outer};
use crate::Regression;
use backprop_core::activation::tanh;
use core::array;

/// The output for input `x`, every sum in the generated code's order (bit-identical).
#[inline]
pub fn forward_ordered(net: &Regression, x: &[f32; 64]) -> [f32; 1] {
    forward::<false>(net, x)
}

/// The output for input `x`, with vectorised (reassociated) dot products.
#[inline]
pub fn forward_fast(net: &Regression, x: &[f32; 64]) -> [f32; 1] {
    forward::<true>(net, x)
}

/// One SGD step on one sample, in place, bit-identical to the generated `gradient` + `sgd_step`;
/// returns the loss before the step.
#[inline]
pub fn train_step_ordered(net: &mut Regression, x: &[f32; 64], t: &[f32; 1], lr: f32) -> f32 {
    train_step::<false>(net, x, t[0], lr)
}

/// One SGD step on one sample, in place, with vectorised (reassociated) dot products.
#[inline]
pub fn train_step_fast(net: &mut Regression, x: &[f32; 64], t: &[f32; 1], lr: f32) -> f32 {
    train_step::<true>(net, x, t[0], lr)
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
fn forward<const FAST: bool>(net: &Regression, x: &[f32; 64]) -> [f32; 1] {
    let a1 = affine::<FAST, 64, 32>(&net.first.weights, &net.first.bias, x).map(tanh);
    let a2 = affine::<FAST, 32, 32>(&net.second.weights, &net.second.bias, &a1).map(tanh);
    affine::<FAST, 32, 1>(&net.output.weights, &net.output.bias, &a2)
}

#[inline]
fn train_step<const FAST: bool>(net: &mut Regression, x: &[f32; 64], t: f32, lr: f32) -> f32 {
    let a1 = affine::<FAST, 64, 32>(&net.first.weights, &net.first.bias, x).map(tanh);
    let a2 = affine::<FAST, 32, 32>(&net.second.weights, &net.second.bias, &a1).map(tanh);
    let [y] = affine::<FAST, 32, 1>(&net.output.weights, &net.output.bias, &a2);
    let error = y - t;
    let loss = error * error;
    // Identity output: the delta is the loss's slope, 2 (y - t) (a mean over one output).
    let d3 = [2.0 * error];
    let up2 = back(&net.output.weights, &d3);
    descend_outer(&mut net.output.weights, &mut net.output.bias, &d3, &a2, lr);
    let d2: [f32; 32] = array::from_fn(|j| (1.0 - a2[j] * a2[j]) * up2[j]);
    let up1 = back(&net.second.weights, &d2);
    descend_outer(&mut net.second.weights, &mut net.second.bias, &d2, &a1, lr);
    let d1: [f32; 32] = array::from_fn(|j| (1.0 - a1[j] * a1[j]) * up1[j]);
    descend_outer(&mut net.first.weights, &mut net.first.bias, &d1, x, lr);
    loss
}
