//! [`RmsProp`]: gradient descent scaled by a running root mean square of the gradient.

use super::{Optimizer, State, impl_learning_rate, state};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Scalar};
use core::marker::PhantomData;

/// `RMSprop` (Hinton, "Neural Networks for Machine Learning", lecture 6e), in the convention of
/// `torch.optim.RMSprop` (not centered, no momentum).
///
/// For each parameter `p` with derivative `g`, with the mean square `v` zero before the first
/// step:
///
/// ```text
/// v = alpha v + (1 - alpha) g^2
/// p = p - lr g / (sqrt(v) + eps)
/// ```
///
/// Defaults, as `torch.optim.RMSprop`: `alpha = 0.99`, `eps = 1e-8` (the lecture uses
/// `alpha = 0.9`).
///
/// The mean square `v`, a value of the net's type, is kept where `S` says ([`State`]): in the
/// optimizer (`RmsProp::new`), or on the heap (`RmsProp::boxed`, with `std`).
#[derive(Debug, Clone, PartialEq)]
pub struct RmsProp<N, S = N> {
    learning_rate: f64,
    alpha: f64,
    epsilon: f64,
    v: Option<S>,
    net: PhantomData<fn() -> N>,
}

impl<N: Network<Scalar: Scalar>> RmsProp<N> {
    /// `RMSprop` with learning rate `learning_rate`, `alpha = 0.99` and `eps = 1e-8`.
    pub const fn new(learning_rate: f64) -> Self {
        Self::with(learning_rate, None)
    }
}

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
impl<N: Network<Scalar: Scalar>> RmsProp<N, std::boxed::Box<N>> {
    /// `RMSprop` as [`RmsProp::new`], its mean square on the heap, zeroed here (as
    /// [`Adam::boxed`](super::Adam::boxed)).
    #[must_use]
    pub fn boxed(learning_rate: f64) -> Self {
        Self::with(learning_rate, Some(State::zeroed()))
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> RmsProp<N, S> {
    /// `RMSprop` with the defaults and the mean square `v`.
    const fn with(learning_rate: f64, v: Option<S>) -> Self {
        Self {
            learning_rate,
            alpha: 0.99,
            epsilon: 1e-8,
            v,
            net: PhantomData,
        }
    }

    /// Sets the decay rate `alpha` of the mean square.
    #[must_use]
    pub const fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// Sets `eps`, added to `sqrt(v)` to keep the division finite.
    #[must_use]
    pub const fn epsilon(mut self, epsilon: f64) -> Self {
        self.epsilon = epsilon;
        self
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Optimizer<N> for RmsProp<N, S> {
    fn step(&mut self, net: &mut N, gradient: &N) {
        let scalar = N::Scalar::from_f64;
        let (lr, eps) = (scalar(self.learning_rate), scalar(self.epsilon));
        let (alpha, one_minus_alpha) = (scalar(self.alpha), scalar(1.0 - self.alpha));
        let v = state(&mut self.v);
        for k in 0..N::TENSORS.len() {
            let parameters = net.tensor_mut(k).iter_mut().zip(gradient.tensor(k));
            for ((p, &g), v) in parameters.zip(v.tensor_mut(k)) {
                *v = alpha * *v + one_minus_alpha * g * g;
                *p -= lr * g / (v.sqrt() + eps);
            }
        }
    }
}

impl_learning_rate!(RmsProp);

#[cfg(test)]
mod tests {
    use super::RmsProp;
    use crate::optim::tests::{G1, G2, P0, Tiny, Tiny32, assert_close, two_steps};

    // p0 = (w, b) = (1, 0.5), g1 = (1, -2), g2 = (0.5, 1), lr = 0.01, alpha = 0.99, eps = 1e-8.
    //
    // step 1: v = 0.01 g1^2 = (0.01, 0.04);  sqrt(v) = (0.1, 0.2);
    //         p1 = p0 - 0.01 g1 / (sqrt(v) + 1e-8)
    //            = (1 - 0.01 / 0.10000001, 0.5 + 0.02 / 0.20000001)
    //            = (0.900000009999999, 0.599999995000000)
    // step 2: v = 0.99 (0.01, 0.04) + 0.01 (0.25, 1) = (0.0124, 0.0496);
    //         sqrt(v) = (0.111355287256600, 0.222710574513201);
    //         p2 = p1 - 0.01 g2 / (sqrt(v) + 1e-8)
    //            = (p1.w - 0.005 / 0.111355297..., p1.b - 0.01 / 0.222710584...)
    //            = (0.855098688525563, 0.555098671509435)
    #[test]
    fn first_two_steps() {
        let [p1, p2] = two_steps(&mut RmsProp::<Tiny>::new(0.01), P0, G1, G2);
        assert_close(p1, [0.900_000_009_999_999, 0.599_999_995_000_000_2]);
        assert_close(p2, [0.855_098_688_525_562_9, 0.555_098_671_509_435_5]);
    }

    #[test]
    fn builders() {
        // alpha = 0, eps = 1: v = g^2, so p1 = p0 - 0.01 g1 / (|g1| + 1)
        //                                  = (1 - 0.005, 0.5 + 0.02 / 3).
        let mut rmsprop = RmsProp::<Tiny>::new(0.01).alpha(0.0).epsilon(1.0);
        let [p1, _] = two_steps(&mut rmsprop, P0, G1, G2);
        assert_close(p1, [0.995, 0.5 + 0.02 / 3.0]);
    }

    #[test]
    fn const_and_f32() {
        const RMSPROP: RmsProp<Tiny32> = RmsProp::new(0.01);
        let [p1, _] = two_steps(&mut { RMSPROP }, P0, G1, G2);
        assert!((p1[0] - 0.9).abs() < 1e-6 && (p1[1] - 0.6).abs() < 1e-6);
    }
}
