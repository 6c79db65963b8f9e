//! The nets of the benchmarks, their data, and the hand-written Rust each is measured against.
//!
//! Three nets, declared with `network!`: the notebook's 2-2-1 ReLU net (`f64`, unrolled), a
//! 64-32-32-1 tanh regression net (`f32`, looped) and a 784-128-10 ReLU/softmax classifier (`f32`,
//! looped). Module [`hand`] holds, for each, the plain Rust a person would write for that exact
//! net: the same weight layout (`weights[j][i]`), the same formulas and the same runtime
//! functions for `tanh`, softmax and log-sum-exp, no SIMD intrinsics and no `unsafe`. The
//! library's tests check that every reference computes what the generated code computes; the
//! benchmarks (`benches/nets.rs`) time them side by side in one run.

use backprop_core::{Dense, Network, Number, network};

pub mod hand;
pub mod signal;

network! {
    /// The 2-2-1 ReLU net of the notebook, `f64`, squared error.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Notebook {
        scalar: f64,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

network! {
    /// A 64-32-32-1 tanh regression net, `f32`, identity output, mean squared error.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Regression {
        scalar: f32,
        input: 64,
        first: dense(32, tanh),
        second: dense(32, tanh),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}

network! {
    /// A 784-128-10 classifier, `f32`: ReLU hidden layer, softmax output, cross-entropy.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Classifier {
        scalar: f32,
        input: 784,
        hidden: dense(128, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// The 784-128-10 classifier in `f64`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Classifier64 {
        scalar: f64,
        input: 784,
        hidden: dense(128, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// A net that is in no other part of the repository: 256-64-64-4, tanh hidden layers,
    /// softmax output, cross-entropy, `f32` (a small tabular or sensor classifier).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tabular {
        scalar: f32,
        input: 256,
        first: dense(64, tanh),
        second: dense(64, tanh),
        output: dense(4, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// MLPerf Tiny's anomaly-detection autoencoder without its `BatchNorm` layers (which the
    /// `.tflite` file folds into the dense ones): 640-128x4-8-128x4-640, ReLU, identity output,
    /// mean squared error, `f32`; 265,864 parameters.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Autoencoder {
        scalar: f32,
        input: 640,
        e1: dense(128, relu),
        e2: dense(128, relu),
        e3: dense(128, relu),
        e4: dense(128, relu),
        code: dense(8, relu),
        d1: dense(128, relu),
        d2: dense(128, relu),
        d3: dense(128, relu),
        d4: dense(128, relu),
        output: dense(640, identity),
        loss: mean_squared_error,
    }
}

/// The SGD learning rate of every benchmark.
pub const LEARNING_RATE: f64 = 0.01;

/// The notebook's net: `hidden` `[[1, 1], [0.5, -0.5]]`, bias `[0.5, 0]`; `output` `[[1, 1]]`,
/// bias `[0.5]`.
pub fn notebook() -> Notebook {
    Notebook {
        hidden: Dense {
            weights: [[1.0, 1.0], [0.5, -0.5]],
            bias: [0.5, 0.0],
        },
        output: Dense {
            weights: [[1.0, 1.0]],
            bias: [0.5],
        },
    }
}

/// The notebook's sample: input `(1, 0)`, target `2`.
pub const NOTEBOOK_SAMPLE: ([f64; 2], [f64; 1]) = ([1.0, 0.0], [2.0]);

/// A small deterministic generator (xorshift64*), so every run sees the same numbers.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Uniform in `[0, 1)`, 24 bits, so exact in `f32`.
    pub fn uniform(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40;
        #[allow(clippy::cast_precision_loss, reason = "24 bits are exact in f32")]
        let value = bits as f32 / (1u32 << 24) as f32;
        value
    }
}

/// Small biases that are not zero, so every bias takes part: uniform in `[-0.1, 0.1)`.
fn small_biases<N: Network>(net: &mut N, rng: &mut Rng) {
    for (tensor, info) in N::TENSORS.iter().enumerate() {
        if !info.bias {
            continue;
        }
        for bias in net.tensor_mut(tensor) {
            *bias = N::Scalar::from_f64(f64::from(rng.uniform() - 0.5) * 0.2);
        }
    }
}

/// The regression net (Xavier-uniform weights, seed 1) with `batch` samples of
/// `sin(sum of the inputs)`, inputs uniform in `[-1, 1)`.
pub fn regression(batch: usize) -> (Box<Regression>, Vec<[f32; 64]>, Vec<[f32; 1]>) {
    let mut net = Box::new(Regression::xavier_uniform(1));
    let mut rng = Rng::new(11);
    small_biases(net.as_mut(), &mut rng);
    let inputs: Vec<[f32; 64]> = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform() * 2.0 - 1.0))
        .collect();
    let targets = inputs
        .iter()
        .map(|x| [x.iter().sum::<f32>().sin()])
        .collect();
    (net, inputs, targets)
}

/// The classifier (He-uniform weights, seed 2) with `batch` samples of "pixels" uniform in
/// `[0, 1)` and one-hot targets of class `k mod 10`.
pub fn classifier(batch: usize) -> (Box<Classifier>, Vec<[f32; 784]>, Vec<[f32; 10]>) {
    let mut net = Box::new(Classifier::he_uniform(2));
    let mut rng = Rng::new(22);
    small_biases(net.as_mut(), &mut rng);
    let inputs = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform()))
        .collect();
    let targets = (0..batch)
        .map(|k| core::array::from_fn(|class| if class == k % 10 { 1.0 } else { 0.0 }))
        .collect();
    (net, inputs, targets)
}

/// The `f64` classifier (He-uniform weights, seed 2) with `batch` samples as [`classifier`]'s.
pub fn classifier64(batch: usize) -> (Box<Classifier64>, Vec<[f64; 784]>, Vec<[f64; 10]>) {
    let mut net = Box::new(Classifier64::he_uniform(2));
    let mut rng = Rng::new(22);
    small_biases(net.as_mut(), &mut rng);
    let (_, inputs, targets) = classifier(batch);
    let inputs = inputs.iter().map(|x| x.map(f64::from)).collect();
    let targets = targets.iter().map(|t| t.map(f64::from)).collect();
    (net, inputs, targets)
}

/// The [`Tabular`] net (Xavier-uniform weights, seed 3) with `batch` samples uniform in
/// `[-1, 1)` and one-hot targets of class `k mod 4`.
pub fn tabular(batch: usize) -> (Box<Tabular>, Vec<[f32; 256]>, Vec<[f32; 4]>) {
    let mut net = Box::new(Tabular::xavier_uniform(3));
    let mut rng = Rng::new(33);
    small_biases(net.as_mut(), &mut rng);
    let inputs = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform() * 2.0 - 1.0))
        .collect();
    let targets = (0..batch)
        .map(|k| core::array::from_fn(|class| if class == k % 4 { 1.0 } else { 0.0 }))
        .collect();
    (net, inputs, targets)
}

/// The [`Autoencoder`] (He-uniform weights, seed 5, built on the heap) with `batch` inputs
/// uniform in `[0, 1)` and each input its own target.
pub fn autoencoder(batch: usize) -> (Box<Autoencoder>, Vec<[f32; 640]>, Vec<[f32; 640]>) {
    let mut net = Autoencoder::boxed_he_uniform(5);
    let mut rng = Rng::new(55);
    small_biases(net.as_mut(), &mut rng);
    let inputs: Vec<[f32; 640]> = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform()))
        .collect();
    let targets = inputs.clone();
    (net, inputs, targets)
}

#[cfg(test)]
mod signal_tests;
#[cfg(test)]
mod tests;
