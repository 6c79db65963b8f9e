//! The signal nets of `benches/benches/signals.rs` against candle and burn: the conv1d net of
//! BasicMotions ([`Motion`]) and the GRU net of JapaneseVowels ([`Vowels`]), `f32`, from the same
//! initial weights, on the same batches, with the same SGD step (cross-entropy from the logits,
//! the mean over the batch). dfdx has no GRU and its conv1d needs nightly features, so it is
//! left out here.
//!
//! Ours, as a user writes it: `train_step` with `Sgd` at batch 1, `train_batch` with `Sgd` and a
//! gradient kept between steps at batch 64. Theirs: forward with the tape, the loss read back,
//! backward, the SGD update, the batch already in their tensors.

#[cfg(feature = "burn")]
pub mod burn;
#[cfg(feature = "candle")]
pub mod candle;

use crate::Rng;
use backprop_core::optim::Sgd;
use backprop_core::shape::Array;
use backprop_core::{Network, Number, network};

network! {
    /// BasicMotions' net: 6 channels of 100 steps; conv 8 of 5 taps, stride 2; max pool 2; conv
    /// 16 of 5 taps; the mean over the steps; softmax over 4 classes.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Motion {
        scalar: f32,
        input: [6, 100],
        c1: conv1d(8, 5, relu, stride = 2, padding = 2),
        p1: max_pool1d(2),
        c2: conv1d(16, 5, relu, padding = 2),
        gp: global_avg_pool1d,
        output: dense(4, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// JapaneseVowels' net: 12 features over 29 steps; a GRU of 24 units, its last state;
    /// softmax over 9 classes.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Vowels {
        scalar: f32,
        input: [12, 29],
        gru: gru(24),
        output: dense(9, softmax),
        loss: cross_entropy,
    }
}

/// One benchmark case of a signal net: its initial weights and a batch.
#[derive(Debug, Clone)]
pub struct SignalCase<N: Network> {
    /// The initial weights.
    pub net: Box<N>,
    /// The batch's inputs, `[channels][steps]` each.
    pub inputs: Vec<N::Input>,
    /// One-hot targets.
    pub targets: Vec<N::Output>,
    /// The SGD learning rate.
    pub learning_rate: f64,
}

impl<N: Network> SignalCase<N> {
    /// The class of each target.
    pub fn labels(&self) -> Vec<usize> {
        self.targets
            .iter()
            .map(|t| {
                let t = t.as_slice();
                (0..t.len())
                    .max_by(|&a, &b| t[a].to_f64().total_cmp(&t[b].to_f64()))
                    .unwrap_or(0)
            })
            .collect()
    }

    /// Every input, sample after sample, each `[channels][steps]` (torch's `[B, C, L]`).
    pub fn flat_inputs(&self) -> Vec<N::Scalar> {
        self.inputs
            .iter()
            .flat_map(|x| x.as_slice().iter().copied())
            .collect()
    }

    /// Tensor `k` of the initial net, in torch's layout.
    pub fn tensor(&self, k: usize) -> Vec<N::Scalar> {
        self.net.tensor(k).to_vec()
    }
}

/// He-uniform weights (`seed`), small non-zero biases, and `batch` samples of `[C, L]` uniform in
/// `[-1, 1)` with one-hot targets of class `k mod K`: the data of `backprop-benches`' signal nets.
fn case<N: Network<Scalar = f32>>(seed: u64, batch: usize, classes: usize) -> SignalCase<N> {
    let mut net = Box::new(backprop_core::init::he_uniform::<N>(seed));
    let mut rng = Rng::new(seed + 40);
    for (k, info) in N::TENSORS.iter().enumerate() {
        if info.bias {
            for bias in net.tensor_mut(k) {
                *bias = (rng.uniform() - 0.5) * 0.2;
            }
        }
    }
    let inputs = (0..batch)
        .map(|_| {
            let mut x = N::Input::splat(0.0);
            for value in x.as_mut_slice() {
                *value = rng.uniform() * 2.0 - 1.0;
            }
            x
        })
        .collect();
    let targets = (0..batch)
        .map(|k| {
            let mut t = N::Output::splat(0.0);
            t.as_mut_slice()[k % classes] = 1.0;
            t
        })
        .collect();
    SignalCase {
        net,
        inputs,
        targets,
        learning_rate: 0.01,
    }
}

/// [`Motion`] (seed 4) and `batch` samples.
pub fn motion(batch: usize) -> SignalCase<Motion> {
    case(4, batch, 4)
}

/// [`Vowels`] (seed 5) and `batch` samples.
pub fn vowels(batch: usize) -> SignalCase<Vowels> {
    case(5, batch, 9)
}

/// Our side: the net, its batch, `Sgd` and a gradient kept between steps.
#[derive(Debug, Clone)]
pub struct OursSignal<N: Network<Scalar: backprop_core::Scalar>> {
    /// The net.
    pub net: Box<N>,
    inputs: Vec<N::Input>,
    targets: Vec<N::Output>,
    gradient: Box<N>,
    sgd: Sgd<N>,
}

impl<N: Network<Scalar: backprop_core::Scalar> + Clone> OursSignal<N> {
    /// The case's net and batch.
    pub fn new(case: &SignalCase<N>) -> Self {
        Self {
            net: case.net.clone(),
            inputs: case.inputs.clone(),
            targets: case.targets.clone(),
            gradient: case.net.clone(),
            sgd: Sgd::new(case.learning_rate),
        }
    }
}

macro_rules! ours {
    ($($net:ident),*) => {$(
        impl OursSignal<$net> {
            /// One SGD step: `train_step` for one sample, `train_batch` for a batch; the loss.
            pub fn step(&mut self) -> f32 {
                if let ([input], [target]) = (&self.inputs[..], &self.targets[..]) {
                    self.net.train_step(input, target, &mut self.sgd)
                } else {
                    self.net.train_batch(&self.inputs, &self.targets, &mut self.sgd, &mut self.gradient)
                }
            }
        }
    )*};
}

ours!(Motion, Vowels);
