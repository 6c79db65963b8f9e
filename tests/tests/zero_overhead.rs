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
fn batch_gradient(net: &Mnist) -> f32 {
    let (inputs, targets) = (vec![input(); 8], vec![target(); 8]);
    // Not destructured: in a debug build, `let (loss, gradient) = ...` moves the gradient out of
    // the tuple into a second 407 KB slot.
    let result = net.batch_gradient(&inputs, &targets);
    result.0 + result.1.hidden.bias[0]
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

#[test]
fn a_wide_net_trains_on_a_test_threads_stack() {
    let mut net = boxed_net();
    let before = gradient(&net);
    assert!(before.is_finite());
    let loss = train_step(&mut net);
    assert!(loss.is_finite() && batch_gradient(&net).is_finite());
    let mut scratch = boxed_net();
    assert!(in_place(&net, &mut scratch).is_finite());
    assert!(
        net.loss(&input(), &target()) < loss,
        "a step lowers the loss"
    );
}
