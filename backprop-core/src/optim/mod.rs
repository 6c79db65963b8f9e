//! Optimizers: rules that turn a gradient into a change of the parameters.
//!
//! Every optimizer implements [`Optimizer`] for every [`Network`], with no per-net code: it walks
//! the parameter tensors ([`Network::tensor`]) of the net, the gradient and its own state in step.
//! The state (velocities, moments) lives in values of the net's own type, created zeroed on the
//! first step, so an optimizer needs no heap and `new` is a `const fn`. Where the state is kept is
//! the optimizer's second type parameter, a [`State`]: in the optimizer itself (`N`, the default,
//! what `new` builds), or, with `std`, on the heap (`Box<N>`, what `boxed` builds, zeroed in the
//! constructor): an optimizer of a net near the size of a thread's stack then stays a few words
//! wherever it is put, and its steps still allocate nothing.
//!
//!
//! ```
//! use backprop_core::optim::{Adam, Clipped, Cosine, Optimizer, Scheduled, Sgd};
//! use backprop_core::{network, Network};
//!
//! network! {
//!     struct Net {
//!         input: 1,
//!         hidden: dense(4, tanh),
//!         output: dense(1, identity),
//!         loss: squared_error,
//!     }
//! }
//!
//! const ADAM: Adam<Net> = Adam::new(0.01);
//! let mut net: Net = backprop_core::init::xavier_uniform(7);
//! let mut optimizer = Scheduled::new(
//!     Clipped::new(ADAM, 1.0),
//!     Cosine { initial: 0.01, minimum: 0.001, steps: 100 },
//! );
//! for _ in 0..100 {
//!     let (_loss, gradient) = net.gradient(&[0.5], &[0.25]);
//!     optimizer.step(&mut net, &gradient);
//! }
//! assert!(net.loss(&[0.5], &[0.25]) < 1e-3);
//!
//! let _sgd: Sgd<Net> = Sgd::new(0.1).momentum(0.9).nesterov().weight_decay(1e-4);
//! ```
//!
//! Hyper-parameters are `f64` whatever the net's scalar, so `Adam::new(0.01)` reads the same for
//! `f32` and `f64` nets; each step converts them to the scalar once, and the per-parameter
//! arithmetic runs in the scalar.

mod adam;
mod clip;
mod rmsprop;
mod schedule;
mod sgd;

pub use adam::{Adam, AdamW};
pub use clip::{Clipped, clip_global_norm};
pub use rmsprop::RmsProp;
pub use schedule::{Constant, Cosine, Schedule, Scheduled, StepDecay, Warmup};
pub use sgd::Sgd;

#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::store::Descend;
use crate::{Network, Scalar};
use core::borrow::BorrowMut;

/// A rule that updates a network's parameters from the gradient of its loss.
pub trait Optimizer<N: Network<Scalar: Scalar>> {
    /// Updates every parameter of `net` from `gradient` (`dL/dp`, shaped like the net).
    fn step(&mut self, net: &mut N, gradient: &N);

    /// The next `step` as a [`Descend`] of each parameter on its own, when the optimizer is that
    /// simple (plain [`Sgd`]: no momentum, no weight decay, no state to advance). A generated `train_step` then
    /// updates each parameter in place as its derivative is formed, with no gradient in memory,
    /// and the same bits as `step`. `None`, the default, for every other optimizer.
    fn as_descent(&self) -> Option<Descend<N::Scalar>> {
        None
    }
}

impl<N: Network<Scalar: Scalar>, O: Optimizer<N> + ?Sized> Optimizer<N> for &mut O {
    fn step(&mut self, net: &mut N, gradient: &N) {
        (**self).step(net, gradient);
    }

    fn as_descent(&self) -> Option<Descend<N::Scalar>> {
        (**self).as_descent()
    }
}

/// An optimizer whose learning rate can be read and changed between steps, as [`Scheduled`]
/// does.
pub trait LearningRate {
    /// The learning rate the next step uses.
    fn learning_rate(&self) -> f64;
    /// Sets the learning rate of the following steps.
    fn set_learning_rate(&mut self, learning_rate: f64);
}

/// Where an optimizer keeps a state value shaped like the net (a velocity, a moment): `N`, inside
/// the optimizer, or `Box<N>`, on the heap (with `std`; see `init::boxed_zeroed`).
pub trait State<N: Network>: BorrowMut<N> {
    /// The state with every value zero.
    fn zeroed() -> Self;
}

impl<N: Network> State<N> for N {
    fn zeroed() -> Self {
        N::zeroed()
    }
}

#[cfg(feature = "std")]
impl<N: Network> State<N> for std::boxed::Box<N> {
    fn zeroed() -> Self {
        crate::init::boxed_zeroed()
    }
}

/// The state slot `slot`, zeroed on first use (`boxed` constructors zero it up front).
fn state<N: Network<Scalar: Scalar>, S: State<N>>(slot: &mut Option<S>) -> &mut N {
    slot.get_or_insert_with(S::zeroed).borrow_mut()
}

/// Implements [`LearningRate`] for an optimizer with a `learning_rate: f64` field.
macro_rules! impl_learning_rate {
    ($($optimizer:ident),*) => {$(
        impl<N: $crate::Network<Scalar: $crate::Scalar>, S> $crate::optim::LearningRate for $optimizer<N, S> {
            fn learning_rate(&self) -> f64 {
                self.learning_rate
            }

            fn set_learning_rate(&mut self, learning_rate: f64) {
                self.learning_rate = learning_rate;
            }
        }
    )*};
}
use impl_learning_rate;

#[cfg(test)]
mod tests;
