//! A fit loop for the host (feature `std`): epochs over a data set, shuffled with a seed, in
//! mini-batches, reporting each epoch to a callback, with early stopping on a held-out set.
//!
//! ```
//! use backprop_core::fit::{Control, Fit};
//! use backprop_core::optim::Adam;
//! use backprop_core::network;
//!
//! network! {
//!     struct Line { input: 1, output: dense(1, identity), loss: mean_squared_error }
//! }
//!
//! let inputs: Vec<[f64; 1]> = (0..32).map(|x| [f64::from(x) / 32.0]).collect();
//! let targets: Vec<[f64; 1]> = inputs.iter().map(|[x]| [3.0 * x - 1.0]).collect();
//! let mut net = Line::zeroed();
//! let summary = Fit::new(200).batch_size(8).seed(7).run(
//!     &mut net,
//!     &mut Adam::new(0.05),
//!     (&inputs, &targets),
//!     None,
//!     |_epoch, _net| Control::Continue,
//! );
//! assert!(summary.last.train_loss < 1e-3);
//! ```
//!
//! The callback can be a closure, as above, or [`watch`] over a [`LossCurve`], a [`Progress`] bar
//! (feature `progress`), or a tuple of such [`Watch`]es; a `LossCurve` draws itself as an SVG
//! with [`LossCurve::write_svg`] (feature `plot`).
//!
//! Only the shuffled order and one mini-batch of samples live on the heap, allocated once per
//! run; every step inside is the allocation-free `accumulate_batch` and `Optimizer::step`.

#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::init::Xoshiro256PlusPlus;
use crate::optim::Optimizer;
use crate::{Network, Scalar};
use std::vec::Vec;

mod curve;
#[cfg(feature = "plot")]
mod plot;
#[cfg(feature = "progress")]
mod progress;
mod watch;

pub use curve::LossCurve;
#[cfg(feature = "progress")]
#[cfg_attr(docsrs, doc(cfg(feature = "progress")))]
pub use progress::Progress;
pub use watch::{Watch, watch};

/// Inputs and their targets, `inputs[k]` paired with `targets[k]`.
pub type Samples<'a, N> = (&'a [<N as Network>::Input], &'a [<N as Network>::Output]);

/// The settings of a fit: how many epochs, how big a mini-batch, which shuffle, when to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    /// The most epochs to run.
    pub epochs: usize,
    /// Samples per optimizer step (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Seed of the shuffle; the same seed gives the same training, bit for bit.
    pub seed: u64,
    /// Stop after this many epochs without a new best validation loss, and restore the best
    /// parameters; `None` runs every epoch.
    pub patience: Option<usize>,
}

/// What one epoch measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epoch {
    /// 1 for the first epoch.
    pub epoch: usize,
    /// Mean loss of the training samples, each measured just before the step that used it.
    pub train_loss: f64,
    /// Mean loss on the held-out set after the epoch, when there is one.
    pub validation_loss: Option<f64>,
}

/// What the callback wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Run the next epoch.
    Continue,
    /// Stop now.
    Stop,
}

/// How a fit ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The last epoch run.
    pub last: Epoch,
    /// The epoch with the best validation loss (the last epoch without a held-out set).
    pub best: Epoch,
    /// Whether early stopping ended the fit (and the best parameters were restored).
    pub stopped_early: bool,
}

impl Fit {
    /// `epochs` epochs of mini-batches of 32, seed 0, no early stopping.
    pub const fn new(epochs: usize) -> Self {
        Fit {
            epochs,
            batch_size: 32,
            seed: 0,
            patience: None,
        }
    }

    /// Samples per optimizer step (at least 1).
    #[must_use]
    pub const fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = if batch_size == 0 { 1 } else { batch_size };
        self
    }

    /// The seed of the shuffle.
    #[must_use]
    pub const fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Early stopping: stop after `epochs` epochs without a better validation loss.
    #[must_use]
    pub const fn patience(mut self, epochs: usize) -> Self {
        self.patience = Some(epochs);
        self
    }

    /// Trains `net` on `train`, calling `on_epoch` after every epoch with what it measured and the
    /// net (for metrics such as accuracy).
    ///
    /// # Panics
    /// If inputs and targets differ in length, or a set is empty.
    pub fn run<N: Network<Scalar: Scalar>, O: Optimizer<N>>(
        &self,
        net: &mut N,
        optimizer: &mut O,
        train: Samples<'_, N>,
        validation: Option<Samples<'_, N>>,
        mut on_epoch: impl FnMut(&Epoch, &N) -> Control,
    ) -> Summary {
        check_samples::<N>(train);
        if let Some(validation) = validation {
            check_samples::<N>(validation);
        }
        let mut order: Vec<usize> = (0..train.0.len()).collect();
        let mut random = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let mut best_parameters = N::zeroed();
        let mut best: Option<Epoch> = None;
        let mut since_best = 0;
        let mut last = None;
        for epoch in 1..=self.epochs {
            shuffle(&mut order, &mut random);
            let train_loss = self.epoch(net, optimizer, train, &order);
            let report = Epoch {
                epoch,
                train_loss,
                validation_loss: validation.map(|set| mean_loss(net, set)),
            };
            last = Some(report);
            if is_better(&report, best.as_ref()) {
                best = Some(report);
                since_best = 0;
                copy_parameters(net, &mut best_parameters);
            } else {
                since_best += 1;
            }
            if on_epoch(&report, net) == Control::Stop {
                break;
            }
            if self.patience.is_some_and(|patience| since_best >= patience) {
                copy_parameters(&best_parameters, net);
                let best = best.unwrap_or(report);
                return Summary {
                    last: report,
                    best,
                    stopped_early: true,
                };
            }
        }
        let last = last.unwrap_or(Epoch {
            epoch: 0,
            train_loss: f64::NAN,
            validation_loss: None,
        });
        Summary {
            last,
            best: best.unwrap_or(last),
            stopped_early: false,
        }
    }

    /// One pass over the shuffled samples, a step per mini-batch; returns the mean loss.
    fn epoch<N: Network<Scalar: Scalar>, O: Optimizer<N>>(
        &self,
        net: &mut N,
        optimizer: &mut O,
        (inputs, targets): Samples<'_, N>,
        order: &[usize],
    ) -> f64 {
        let mut total = 0.0;
        let (mut batch_inputs, mut batch_targets) = (
            Vec::with_capacity(self.batch_size),
            Vec::with_capacity(self.batch_size),
        );
        let mut gradient = N::zeroed();
        for batch in order.chunks(self.batch_size) {
            batch_inputs.clear();
            batch_targets.clear();
            batch_inputs.extend(batch.iter().map(|&sample| inputs[sample]));
            batch_targets.extend(batch.iter().map(|&sample| targets[sample]));
            zero(&mut gradient);
            total += net
                .accumulate_batch(&batch_inputs, &batch_targets, &mut gradient)
                .to_f64();
            divide(&mut gradient, batch.len());
            optimizer.step(net, &gradient);
        }
        #[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 samples
        let count = order.len() as f64;
        total / count
    }
}

fn check_samples<N: Network<Scalar: Scalar>>((inputs, targets): Samples<'_, N>) {
    assert_eq!(inputs.len(), targets.len(), "one target per input");
    assert!(!inputs.is_empty(), "a data set needs at least one sample");
}

/// A validation loss lower than the best so far; without a held-out set, every epoch is the best.
fn is_better(report: &Epoch, best: Option<&Epoch>) -> bool {
    match (
        report.validation_loss,
        best.and_then(|best| best.validation_loss),
    ) {
        (Some(loss), Some(best)) => loss < best,
        _ => true,
    }
}

/// Mean loss over a data set.
pub fn mean_loss<N: Network<Scalar: Scalar>>(net: &N, (inputs, targets): Samples<'_, N>) -> f64 {
    let total: f64 = inputs
        .iter()
        .zip(targets)
        .map(|(input, target)| net.loss(input, target).to_f64())
        .sum();
    #[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 samples
    let count = inputs.len() as f64;
    total / count
}

/// Fisher–Yates: every order equally likely, the same order for the same generator state.
pub fn shuffle<T>(items: &mut [T], random: &mut Xoshiro256PlusPlus) {
    for last in (1..items.len()).rev() {
        // Lemire's multiply-shift maps 64 random bits to 0..=last without a division.
        #[allow(clippy::cast_possible_truncation)] // the product's high half is at most `last`
        let pick = ((u128::from(random.next_u64()) * (last as u128 + 1)) >> 64) as usize;
        items.swap(last, pick);
    }
}

fn zero<N: Network<Scalar: Scalar>>(net: &mut N) {
    for tensor in 0..N::TENSORS.len() {
        net.tensor_mut(tensor).fill(N::Scalar::ZERO);
    }
}

fn divide<N: Network<Scalar: Scalar>>(net: &mut N, count: usize) {
    let count = N::Scalar::from_usize(count);
    for tensor in 0..N::TENSORS.len() {
        for value in net.tensor_mut(tensor) {
            *value /= count;
        }
    }
}

fn copy_parameters<N: Network<Scalar: Scalar>>(from: &N, to: &mut N) {
    for tensor in 0..N::TENSORS.len() {
        to.tensor_mut(tensor).copy_from_slice(from.tensor(tensor));
    }
}
