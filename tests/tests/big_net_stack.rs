//! A net of the size of MLPerf Tiny's anomaly-detection autoencoder (640-128x4-8-128x4-640, dense,
//! 265,864 `f32` parameters: 1 MiB; Adam's moments 2 MiB) trains in a debug build on a thread
//! with a 2 MiB stack: the net, the gradient and Adam's moments are built on the heap by the
//! `boxed` constructors, and `train_step_into` and `train_batch` step with the gradient kept there.
//!
//! Measured in a debug build (the smallest thread stack each call runs in, in steps of 64 KiB or
//! more, with the rest already on the heap): `Box::new(Anomaly::he_uniform(1))` 2,560 KiB and
//! `Box::new(Adam::new(..))` 6,144 KiB, so either alone overflowed this thread before the `boxed`
//! constructors; `Anomaly::boxed_he_uniform`, `boxed_zeroed` and `Adam::boxed` 1,088 KiB (the
//! zeroed net, once, in a frame of their own: safe Rust has no placement `new`);
//! `gradient_into`, `train_step_into` and `train_batch` into a boxed gradient 384 KiB, as
//! `forward`; `train_step` with Adam 1,536 KiB (its gradient); `gradient` and `batch_gradient`,
//! which return a net, 4,096 KiB.

use backprop_core::optim::Adam;
use backprop_core::{Network, network};

network! {
    /// MLPerf Tiny's anomaly-detection autoencoder, without its batch norms.
    struct Anomaly {
        scalar: f32,
        input: 640,
        e1: dense(128, relu), e2: dense(128, relu), e3: dense(128, relu), e4: dense(128, relu),
        code: dense(8, relu),
        d1: dense(128, relu), d2: dense(128, relu), d3: dense(128, relu), d4: dense(128, relu),
        output: dense(640, identity),
        loss: mean_squared_error,
    }
}

/// A sample: 640 values in [0, 1), exact in `f32`.
fn sample(k: usize) -> [f32; 640] {
    core::array::from_fn(|i| f32::from(u8::try_from((i * 7 + k * 13) % 32).unwrap_or(0)) / 32.0)
}

/// Runs `work` on a thread with a 2 MiB stack, as `std::thread::spawn` gives by default.
fn on_a_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(work)
        .expect("a thread")
        .join()
        .expect("no panic")
}

#[test]
fn the_net_is_a_megabyte() {
    assert_eq!(Anomaly::PARAMETERS, 265_864);
    assert_eq!(size_of::<Anomaly>(), 265_864 * 4);
    // With its moments on the heap, Adam is a few words.
    assert!(size_of::<Adam<Anomaly, Box<Anomaly>>>() < 100);
}

#[test]
fn an_autoencoder_trains_on_a_2_mib_thread() {
    let (first, last) = on_a_small_stack(|| {
        let mut net = Anomaly::boxed_he_uniform(1);
        let mut adam = Adam::boxed(1e-3);
        let mut gradient = Anomaly::boxed_zeroed();
        let x = sample(0);
        let first = net.train_step_into(&x, &x, &mut adam, &mut gradient);
        for _ in 0..2 {
            net.train_step_into(&x, &x, &mut adam, &mut gradient);
        }
        let inputs: Vec<_> = (0..4).map(sample).collect();
        net.train_batch(&inputs, &inputs, &mut adam, &mut gradient);
        // `train_step` holds its gradient on the stack, in a frame of its own: one net, which
        // still fits beside the rest.
        net.train_step(&x, &x, &mut adam);
        (first, net.loss(&x, &x))
    });
    assert!(first.is_finite() && last.is_finite());
    assert!(last < first, "training lowers the loss: {first} -> {last}");
}

#[test]
fn boxed_constructors_and_optimizers_give_the_same_bits() {
    let x = sample(3);
    let boxed = on_a_small_stack(move || {
        let mut net = Anomaly::boxed_he_uniform(7);
        let (mut adam, mut gradient) = (Adam::boxed(1e-3), Anomaly::boxed_zeroed());
        for _ in 0..2 {
            net.train_step_into(&x, &x, &mut adam, &mut gradient);
        }
        parameters(&net)
    });
    // The same on this thread's (main-sized) stack, through the plain constructors.
    let reference = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let mut net = Box::new(Anomaly::he_uniform(7));
            let mut adam = Box::new(Adam::new(1e-3));
            for _ in 0..2 {
                net.train_step(&x, &x, &mut *adam);
            }
            parameters(&net)
        })
        .expect("a thread")
        .join()
        .expect("no panic");
    assert_eq!(boxed.len(), Anomaly::PARAMETERS);
    assert!(
        boxed
            .iter()
            .zip(&reference)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
}

/// Every parameter, in `to_array`'s order, on the heap.
fn parameters(net: &Anomaly) -> Vec<f32> {
    (0..Anomaly::TENSORS.len())
        .flat_map(|k| net.tensor(k).to_vec())
        .collect()
}
