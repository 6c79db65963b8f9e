//! The notebook's 2-2-1 ReLU net (`f64`, squared error), written out by hand.

use crate::Notebook;

/// `max(z, 0)`.
#[inline]
fn relu(z: f64) -> f64 {
    if z > 0.0 { z } else { 0.0 }
}

/// `relu'(z)`: 1 for `z > 0`, else 0.
#[inline]
fn relu_slope(z: f64) -> f64 {
    if z > 0.0 { 1.0 } else { 0.0 }
}

/// The output for input `x`.
#[inline]
pub fn forward(net: &Notebook, x: &[f64; 2]) -> [f64; 1] {
    let (h, o) = (&net.hidden, &net.output);
    let a0 = relu(h.weights[0][0] * x[0] + h.weights[0][1] * x[1] + h.bias[0]);
    let a1 = relu(h.weights[1][0] * x[0] + h.weights[1][1] * x[1] + h.bias[1]);
    [relu(
        o.weights[0][0] * a0 + o.weights[0][1] * a1 + o.bias[0],
    )]
}

/// One SGD step on one sample, in place; returns the loss before the step.
#[inline]
#[allow(clippy::many_single_char_names, reason = "the notebook's names")]
pub fn train_step(net: &mut Notebook, x: &[f64; 2], t: &[f64; 1], learning_rate: f64) -> f64 {
    let (h, o) = (&mut net.hidden, &mut net.output);
    let z0 = h.weights[0][0] * x[0] + h.weights[0][1] * x[1] + h.bias[0];
    let z1 = h.weights[1][0] * x[0] + h.weights[1][1] * x[1] + h.bias[1];
    let (a0, a1) = (relu(z0), relu(z1));
    let z2 = o.weights[0][0] * a0 + o.weights[0][1] * a1 + o.bias[0];
    let y = relu(z2);
    let error = y - t[0];
    let loss = error * error;
    let d2 = relu_slope(z2) * (2.0 * error);
    let d0 = relu_slope(z0) * (o.weights[0][0] * d2);
    let d1 = relu_slope(z1) * (o.weights[0][1] * d2);
    h.weights[0][0] -= learning_rate * (d0 * x[0]);
    h.weights[0][1] -= learning_rate * (d0 * x[1]);
    h.weights[1][0] -= learning_rate * (d1 * x[0]);
    h.weights[1][1] -= learning_rate * (d1 * x[1]);
    h.bias[0] -= learning_rate * d0;
    h.bias[1] -= learning_rate * d1;
    o.weights[0][0] -= learning_rate * (d2 * a0);
    o.weights[0][1] -= learning_rate * (d2 * a1);
    o.bias[0] -= learning_rate * d2;
    loss
}
