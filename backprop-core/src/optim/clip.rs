//! Gradient clipping by global norm: [`clip_global_norm`] and the [`Clipped`] wrapper.

use super::{LearningRate, Optimizer};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Scalar};

/// Scales `gradient` down so its global norm is at most `max_norm`, and returns the norm it had.
///
/// The global norm is the Euclidean norm of every derivative of every tensor taken together,
/// `norm = sqrt(sum_i g_i^2)`; when `norm > max_norm`, every derivative becomes
/// `g_i = g_i max_norm / norm` (Pascanu et al. 2013), so the direction is kept. A NaN norm leaves
/// the gradient as it is, so the caller can see the NaN in the returned norm.
pub fn clip_global_norm<N: Network<Scalar: Scalar>>(gradient: &mut N, max_norm: f64) -> N::Scalar {
    let norm = global_norm(gradient);
    let max_norm = N::Scalar::from_f64(max_norm);
    if norm > max_norm {
        let scale = max_norm / norm;
        for k in 0..N::TENSORS.len() {
            for g in gradient.tensor_mut(k) {
                *g *= scale;
            }
        }
    }
    norm
}

/// `sqrt(sum_i g_i^2)` over every tensor.
fn global_norm<N: Network<Scalar: Scalar>>(gradient: &N) -> N::Scalar {
    let squares = (0..N::TENSORS.len())
        .flat_map(|k| gradient.tensor(k))
        .map(|&g| g * g);
    squares
        .fold(N::Scalar::ZERO, |sum, square| sum + square)
        .sqrt()
}

/// An optimizer that clips each gradient to a global norm of at most `max_norm`
/// ([`clip_global_norm`]) before handing it to the optimizer it wraps.
///
/// It composes with any [`Optimizer`], and passes the [`LearningRate`] through, so it can sit
/// inside a [`Scheduled`](super::Scheduled). The clipped copy, `g max_norm / norm`, is a net on
/// the stack, made only when the gradient is too long.
#[derive(Debug, Clone, PartialEq)]
pub struct Clipped<O> {
    /// The optimizer that takes the clipped gradient.
    pub optimizer: O,
    /// The largest global norm of a gradient it passes on.
    pub max_norm: f64,
}

impl<O> Clipped<O> {
    /// `optimizer`, fed gradients clipped to a global norm of at most `max_norm`.
    pub const fn new(optimizer: O, max_norm: f64) -> Self {
        Self {
            optimizer,
            max_norm,
        }
    }
}

impl<N: Network<Scalar: Scalar>, O: Optimizer<N>> Optimizer<N> for Clipped<O> {
    fn step(&mut self, net: &mut N, gradient: &N) {
        let (norm, max_norm) = (global_norm(gradient), N::Scalar::from_f64(self.max_norm));
        if norm > max_norm {
            let scale = max_norm / norm;
            let mut clipped = N::zeroed();
            for k in 0..N::TENSORS.len() {
                for (c, &g) in clipped.tensor_mut(k).iter_mut().zip(gradient.tensor(k)) {
                    *c = g * scale;
                }
            }
            self.optimizer.step(net, &clipped);
        } else {
            self.optimizer.step(net, gradient);
        }
    }
}

impl<O: LearningRate> LearningRate for Clipped<O> {
    fn learning_rate(&self) -> f64 {
        self.optimizer.learning_rate()
    }

    fn set_learning_rate(&mut self, learning_rate: f64) {
        self.optimizer.set_learning_rate(learning_rate);
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::{Clipped, clip_global_norm};
    use crate::optim::tests::{Tiny, Tiny32, assert_close, assert_exact, parameters, tiny};
    use crate::optim::{LearningRate, Optimizer, Sgd};

    #[test]
    fn scales_a_long_gradient_to_the_maximum() {
        // (3, -4) has norm 5; clipped to 1 it is (3, -4) / 5 = (0.6, -0.8).
        let mut gradient: Tiny = tiny([3.0, -4.0]);
        assert_eq!(clip_global_norm(&mut gradient, 1.0), 5.0);
        assert_close(parameters(&gradient), [0.6, -0.8]);
        let mut gradient: Tiny32 = tiny([3.0, -4.0]);
        assert_eq!(clip_global_norm(&mut gradient, 2.5), 5.0);
        assert_exact(parameters(&gradient), [1.5, -2.0]);
    }

    #[test]
    fn leaves_a_short_gradient_alone() {
        let mut gradient: Tiny = tiny([3.0, -4.0]);
        assert_eq!(clip_global_norm(&mut gradient, 5.0), 5.0);
        assert_exact(parameters(&gradient), [3.0, -4.0]);
        let mut nan: Tiny = tiny([f64::NAN, 1.0]);
        assert!(clip_global_norm(&mut nan, 1.0).is_nan());
        assert_eq!(parameters(&nan)[1], 1.0);
    }

    #[test]
    fn clipped_optimizer_steps_with_the_clipped_gradient() {
        // lr = 0.5: p = (1, 1) - 0.5 (0.6, -0.8) = (0.7, 1.4); a short gradient passes unchanged.
        let mut clipped = Clipped::new(Sgd::new(0.5), 1.0);
        let mut net: Tiny = tiny([1.0, 1.0]);
        let gradient = tiny([3.0, -4.0]);
        clipped.step(&mut net, &gradient);
        assert_close(parameters(&net), [0.7, 1.4]);
        assert_exact(parameters(&gradient), [3.0, -4.0]);
        // (0.5, 0.5) has norm 0.707: p = (0.7, 1.4) - 0.5 (0.5, 0.5) = (0.45, 1.15).
        clipped.step(&mut net, &tiny([0.5, 0.5]));
        assert_close(parameters(&net), [0.45, 1.15]);
    }

    #[test]
    fn passes_the_learning_rate_through() {
        let mut clipped: Clipped<Sgd<Tiny>> = Clipped::new(Sgd::new(0.5), 1.0);
        clipped.set_learning_rate(0.25);
        assert_eq!(clipped.learning_rate(), 0.25);
        assert_eq!(clipped.optimizer.learning_rate(), 0.25);
    }
}
