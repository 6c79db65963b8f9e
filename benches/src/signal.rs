//! The signal nets of the benchmarks: a conv1d net with the spec of `examples/basic_motions.rs`
//! ([`Motion`]) and a GRU net with the spec of `examples/japanese_vowels.rs` ([`Vowels`]), each in
//! `f32` (timed) and `f64` (the tests hold the hand-written references to them to 1e-9), with
//! the data every benchmark and `torch_signal.py` use: inputs uniform in `[-1, 1)`, one-hot
//! targets of class `k mod classes`.

use crate::{Rng, small_biases};
use backprop_core::{Network, Number, network};

network! {
    /// `BasicMotions`' net: 6 channels of 100 steps; conv 8 of 5 taps, stride 2; max pool 2; conv
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
    /// [`Motion`] in `f64`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Motion64 {
        scalar: f64,
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
    /// `JapaneseVowels`' net: 12 features over 29 steps; a GRU of 24 units, its last state; softmax
    /// over 9 classes.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Vowels {
        scalar: f32,
        input: [12, 29],
        gru: gru(24),
        output: dense(9, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// [`Vowels`] in `f64`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Vowels64 {
        scalar: f64,
        input: [12, 29],
        gru: gru(24),
        output: dense(9, softmax),
        loss: cross_entropy,
    }
}

/// A net's He-uniform weights (`seed`), small biases, and `batch` samples of `C` channels of `L`
/// steps uniform in `[-1, 1)` with one-hot targets of `K` classes.
#[allow(clippy::type_complexity, reason = "a net, its inputs and targets")]
fn case<N, const C: usize, const L: usize, const K: usize>(
    seed: u64,
    batch: usize,
) -> (Box<N>, Vec<[[N::Scalar; L]; C]>, Vec<[N::Scalar; K]>)
where
    N: Network,
{
    let mut net = Box::new(backprop_core::init::he_uniform::<N>(seed));
    let mut rng = Rng::new(seed + 40);
    small_biases(net.as_mut(), &mut rng);
    let inputs = (0..batch)
        .map(|_| {
            core::array::from_fn(|_| {
                core::array::from_fn(|_| N::Scalar::from_f64(f64::from(rng.uniform()) * 2.0 - 1.0))
            })
        })
        .collect();
    let targets = (0..batch)
        .map(|k| {
            core::array::from_fn(|class| {
                N::Scalar::from_f64(if class == k % K { 1.0 } else { 0.0 })
            })
        })
        .collect();
    (net, inputs, targets)
}

/// A signal input and a target of `K` classes.
pub type Batch<T, const C: usize, const L: usize, const K: usize> = (Vec<[[T; L]; C]>, Vec<[T; K]>);

/// [`Motion`] (seed 4) and `batch` samples.
pub fn motion(batch: usize) -> (Box<Motion>, Batch<f32, 6, 100, 4>) {
    let (net, inputs, targets) = case::<Motion, 6, 100, 4>(4, batch);
    (net, (inputs, targets))
}

/// [`Motion64`] (seed 4) and `batch` samples: the same numbers as [`motion`]'s, in `f64`.
pub fn motion64(batch: usize) -> (Box<Motion64>, Batch<f64, 6, 100, 4>) {
    let (net, inputs, targets) = case::<Motion64, 6, 100, 4>(4, batch);
    (net, (inputs, targets))
}

/// [`Vowels`] (seed 5) and `batch` samples.
pub fn vowels(batch: usize) -> (Box<Vowels>, Batch<f32, 12, 29, 9>) {
    let (net, inputs, targets) = case::<Vowels, 12, 29, 9>(5, batch);
    (net, (inputs, targets))
}

/// [`Vowels64`] (seed 5) and `batch` samples.
pub fn vowels64(batch: usize) -> (Box<Vowels64>, Batch<f64, 12, 29, 9>) {
    let (net, inputs, targets) = case::<Vowels64, 12, 29, 9>(5, batch);
    (net, (inputs, targets))
}
