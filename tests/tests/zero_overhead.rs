//! Zero overhead, checked: a net is exactly its parameters, and a 784-128-10 net (407 KB of `f32`
//! parameters) trains in a debug build on the 2 MiB stack of a test thread, because the gradient
//! is written in place and `zeroed` copies constants straight into place.
//!
//! Measured with a standalone program in a debug build (smallest thread stack, in 32 KiB steps,
//! that each call runs in, the caller's result slot included): `zeroed` 416 KiB (one net),
//! `gradient` 1,216 KiB, `train_step` with SGD 832 KiB, `batch_gradient` about 1,700 KiB; before
//! the in-place gradient, `gradient` needed 2,400 KiB and overflowed this thread.
//! `gradient_into` and `accumulate_batch` into a gradient on the heap need no net-sized stack.

use backprop_core::optim::Sgd;
use backprop_core::{Network, network};
use std::mem::size_of;

network! {
    /// The MNIST-sized classifier: looped, 101,770 parameters.
    struct Mnist { scalar: f32, input: 784, hidden: dense(128, relu), output: dense(10, softmax), loss: cross_entropy }
}

network! {
    struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
}

network! {
    struct Regression { scalar: f32, input: 64, a: dense(32, tanh), b: dense(32, tanh), output: dense(1, identity), loss: mean_squared_error }
}

#[test]
fn a_net_is_exactly_its_parameters() {
    assert_eq!(
        size_of::<Notebook>(),
        Notebook::PARAMETERS * size_of::<f64>()
    );
    assert_eq!(
        size_of::<Regression>(),
        Regression::PARAMETERS * size_of::<f32>()
    );
    assert_eq!(size_of::<Mnist>(), Mnist::PARAMETERS * size_of::<f32>());
    assert_eq!(Mnist::PARAMETERS, 784 * 128 + 128 + 128 * 10 + 10);
}

fn input() -> [f32; 784] {
    // Pixel values 0/17 ..= 16/17: small integers, exact in f32.
    core::array::from_fn(|pixel| f32::from(u8::try_from(pixel % 17).unwrap_or(0)) / 17.0)
}

fn target() -> [f32; 10] {
    core::array::from_fn(|class| if class == 3 { 1.0 } else { 0.0 })
}

#[inline(never)]
fn gradient(net: &Mnist) -> f32 {
    let (loss, gradient) = net.gradient(&input(), &target());
    loss + gradient.output.bias[3]
}

#[inline(never)]
fn train_step(net: &mut Mnist) -> f32 {
    net.train_step(&input(), &target(), &mut Sgd::new(0.01))
}

#[inline(never)]
fn batch_gradient(net: &Mnist, unit: usize) -> f32 {
    let (inputs, targets) = (vec![input(); 8], vec![target(); 8]);
    // Not destructured: in a debug build, `let (loss, gradient) = ...` moves the gradient out of
    // the tuple into a second 407 KB slot.
    let result = net.batch_gradient(&inputs, &targets);
    result.0 + result.1.hidden.bias[unit]
}

/// The way to train a wide net with no net-sized value on the stack at all: one gradient on the
/// heap, written in place, a mini-batch summed through blocks of samples.
#[inline(never)]
fn in_place(net: &Mnist, gradient: &mut Mnist) -> f32 {
    let (inputs, targets) = (vec![input(); 20], vec![target(); 20]);
    let single = net.gradient_into(&input(), &target(), gradient);
    single + net.accumulate_batch(&inputs, &targets, gradient)
}

/// The net on the heap; in its own frame, so the stack slot `Box::new` moves it through is gone
/// before the measured calls run.
#[inline(never)]
fn boxed_net() -> Box<Mnist> {
    let mut net = Box::new(Mnist::zeroed());
    for tensor in 0..Mnist::TENSORS.len() {
        for (index, parameter) in net.tensor_mut(tensor).iter_mut().enumerate() {
            let spread = u16::try_from((index * 7919) % 1000).unwrap_or(0);
            *parameter = f32::from(spread) / 10_000.0 - 0.05;
        }
    }
    net
}

/// An independent f64 computation of the net at one sample: the loss (`-ln p_3` of the softmax
/// of `W2 relu(W1 x + b1) + b2`), `dL/d output.bias[3] = p_3 - 1` and `dL/d hidden.bias[0] =
/// relu'(z1_j) sum_k W2[k][j] (p_k - t_k)` of every hidden unit `j`, in plain loops on the heap.
fn reference(net: &Mnist) -> (f64, f64, Vec<f64>) {
    let (x, t) = (input(), target());
    let z1: Vec<f64> = (0..128)
        .map(|j| {
            let row = &net.hidden.weights[j];
            let dot: f64 = row
                .iter()
                .zip(&x)
                .map(|(w, x)| f64::from(*w) * f64::from(*x))
                .sum();
            dot + f64::from(net.hidden.bias[j])
        })
        .collect();
    let h: Vec<f64> = z1.iter().map(|z| z.max(0.0)).collect();
    let z2: Vec<f64> = (0..10)
        .map(|k| {
            let dot: f64 = net.output.weights[k]
                .iter()
                .zip(&h)
                .map(|(w, h)| f64::from(*w) * h)
                .sum();
            dot + f64::from(net.output.bias[k])
        })
        .collect();
    let largest = z2.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let total: f64 = z2.iter().map(|z| (z - largest).exp()).sum();
    let p: Vec<f64> = z2.iter().map(|z| (z - largest).exp() / total).collect();
    let loss = -p[3].ln();
    let hidden_bias = (0..128)
        .map(|j| {
            if z1[j] > 0.0 {
                (0..10)
                    .map(|k| f64::from(net.output.weights[k][j]) * (p[k] - f64::from(t[k])))
                    .sum()
            } else {
                0.0
            }
        })
        .collect();
    (loss, p[3] - 1.0, hidden_bias)
}

/// Whether an f32 result is the f64 reference's to single precision over 784-term sums.
fn close(ours: f32, reference: f64) -> bool {
    (f64::from(ours) - reference).abs() <= 1e-5 * reference.abs().max(1.0)
}

#[test]
fn a_wide_net_trains_on_a_test_threads_stack() {
    let mut net = boxed_net();
    let (loss, output_bias, _) = reference(&net);
    // The net starts far from trained: ten classes, the loss near ln 10.
    assert!(loss > 1.0, "loss {loss}");
    let before = gradient(&net);
    assert!(
        close(before, loss + output_bias),
        "{before} against {}",
        loss + output_bias
    );
    let bias = net.output.bias[3];
    let stepped = train_step(&mut net);
    assert!(
        close(stepped, loss),
        "train_step returns the loss before the step"
    );
    // SGD with rate 0.01: the bias moves by 0.01 times its derivative (p_3 - 1 < 0, so it rises).
    let moved = f64::from(net.output.bias[3] - bias);
    assert!((moved + 0.01 * output_bias).abs() < 1e-7, "moved {moved}");

    let (after, _, hidden_bias) = reference(&net);
    // The first hidden unit that is active (a ReLU at rest has a derivative of exactly 0).
    let unit = hidden_bias
        .iter()
        .position(|slope| slope.abs() > 1e-3)
        .expect("an active hidden unit");
    let hidden_bias = hidden_bias[unit];
    // Eight copies of one sample: the mean loss and the mean gradient are that sample's.
    let batch = batch_gradient(&net, unit);
    assert!(
        close(batch, after + hidden_bias),
        "{batch} against {}",
        after + hidden_bias
    );
    let mut scratch = boxed_net();
    // One sample's loss by `gradient_into`, then the summed loss of 20 by `accumulate_batch`.
    let summed = in_place(&net, &mut scratch);
    assert!(close(summed / 21.0, after), "{summed} against 21 x {after}");
    assert!(after < loss, "a step lowers the loss: {loss} -> {after}");
    assert!(close(net.loss(&input(), &target()), after));
}
