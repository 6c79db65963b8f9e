//! [`Sgd`]: gradient descent with momentum, Nesterov momentum and L2 weight decay.

use super::{Optimizer, State, impl_learning_rate, state};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::store::{Descend, Store};
use crate::{Network, Scalar};
use core::marker::PhantomData;

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, in
/// the convention of `torch.optim.SGD` (no dampening).
///
/// For each parameter `p` with derivative `g`, learning rate `lr`, momentum `mu`, weight decay
/// `lambda` and velocity `v` (zero before the first step):
///
/// ```text
/// g = g + lambda p              L2 weight decay: the derivative of (lambda / 2) p^2
/// v = mu v + g
/// p = p - lr v                  classical momentum (Polyak)
/// p = p - lr (g + mu v)         with .nesterov(): Sutskever et al. 2013, as PyTorch writes it
/// ```
///
/// With the default `mu = 0` this is plain gradient descent, `p = p - lr (g + lambda p)` (just
/// `p = p - lr g` without weight decay), and no velocity is kept: a generated `train_step` then
/// updates each parameter in place as its derivative is formed, with the same bits.
///
/// The velocity, a value of the net's type, is kept where `S` says ([`State`]): in the optimizer
/// (`Sgd::new`), or on the heap (`Sgd::boxed`, with `std`, for momentum on a big net).
#[derive(Debug, Clone, PartialEq)]
pub struct Sgd<N, S = N> {
    learning_rate: f64,
    momentum: f64,
    nesterov: bool,
    weight_decay: f64,
    velocity: Option<S>,
    net: PhantomData<fn() -> N>,
}

impl<N: Network<Scalar: Scalar>> Sgd<N> {
    /// Plain gradient descent with learning rate `learning_rate`: `p = p - lr g`.
    pub const fn new(learning_rate: f64) -> Self {
        Self::with(learning_rate, None)
    }
}

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
impl<N: Network<Scalar: Scalar>> Sgd<N, std::boxed::Box<N>> {
    /// SGD as [`Sgd::new`], its velocity on the heap, zeroed here (as
    /// [`Adam::boxed`](super::Adam::boxed)): for momentum on a net near the size of the thread's
    /// stack. Plain SGD keeps no velocity and needs no box.
    #[must_use]
    pub fn boxed(learning_rate: f64) -> Self {
        Self::with(learning_rate, Some(State::zeroed()))
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Sgd<N, S> {
    /// SGD with the defaults and the velocity `velocity`.
    const fn with(learning_rate: f64, velocity: Option<S>) -> Self {
        Self {
            learning_rate,
            momentum: 0.0,
            nesterov: false,
            weight_decay: 0.0,
            velocity,
            net: PhantomData,
        }
    }

    /// Uses momentum `mu` (typically 0.9): `v = mu v + g; p = p - lr v`.
    #[must_use]
    pub const fn momentum(mut self, mu: f64) -> Self {
        self.momentum = mu;
        self
    }

    /// Uses Nesterov momentum: `p = p - lr (g + mu v)`. Needs a [momentum](Sgd::momentum) to
    /// differ from plain gradient descent.
    #[must_use]
    pub const fn nesterov(mut self) -> Self {
        self.nesterov = true;
        self
    }

    /// Adds L2 weight decay `lambda` to the gradient: `g = g + lambda p`.
    #[must_use]
    pub const fn weight_decay(mut self, lambda: f64) -> Self {
        self.weight_decay = lambda;
        self
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Optimizer<N> for Sgd<N, S> {
    /// Plain gradient descent (no momentum, no weight decay) is a [`Descend`].
    fn as_descent(&self) -> Option<Descend<N::Scalar>> {
        (self.momentum == 0.0 && self.weight_decay == 0.0).then(|| Descend {
            rate: N::Scalar::from_f64(self.learning_rate),
        })
    }

    fn step(&mut self, net: &mut N, gradient: &N) {
        let lr = N::Scalar::from_f64(self.learning_rate);
        let lambda = N::Scalar::from_f64(self.weight_decay);
        if self.momentum == 0.0 {
            descend(net, gradient, lr, lambda);
            return;
        }
        let mu = N::Scalar::from_f64(self.momentum);
        let nesterov = self.nesterov;
        let velocity = state(&mut self.velocity);
        for k in 0..N::TENSORS.len() {
            let parameters = net.tensor_mut(k).iter_mut().zip(gradient.tensor(k));
            for ((p, &g), v) in parameters.zip(velocity.tensor_mut(k)) {
                let g = g + lambda * *p;
                *v = mu * *v + g;
                *p -= lr * if nesterov { g + mu * *v } else { *v };
            }
        }
    }
}

/// `p = p - lr (g + lambda p)` for every parameter; `p = p - lr g`, a [`Descend`], when `lambda`
/// is 0, as PyTorch's SGD computes it (adding `0 p` would turn an infinite parameter into NaN).
fn descend<N: Network<Scalar: Scalar>>(
    net: &mut N,
    gradient: &N,
    lr: N::Scalar,
    lambda: N::Scalar,
) {
    let plain = Descend { rate: lr };
    for k in 0..N::TENSORS.len() {
        let parameters = net.tensor_mut(k).iter_mut().zip(gradient.tensor(k));
        if lambda == N::Scalar::ZERO {
            parameters.for_each(|(p, &g)| plain.store(p, g));
        } else {
            parameters.for_each(|(p, &g)| *p -= lr * (g + lambda * *p));
        }
    }
}

impl_learning_rate!(Sgd);

#[cfg(test)]
mod tests {
    use super::Sgd;
    use crate::optim::tests::{G1, G2, P0, Tiny, Tiny32, assert_exact, two_steps};

    // Every case: p0 = (w, b) = (1, 0.5), g1 = (1, -2), g2 = (0.5, 1), lr = 0.5; all values are
    // exact in binary, so the results are compared exactly.

    #[test]
    fn plain() {
        // p1 = p0 - 0.5 g1 = (1 - 0.5, 0.5 + 1) = (0.5, 1.5)
        // p2 = p1 - 0.5 g2 = (0.5 - 0.25, 1.5 - 0.5) = (0.25, 1)
        let [p1, p2] = two_steps(&mut Sgd::<Tiny>::new(0.5), P0, G1, G2);
        assert_exact(p1, [0.5, 1.5]);
        assert_exact(p2, [0.25, 1.0]);
    }

    #[test]
    fn momentum() {
        // v1 = g1 = (1, -2);                 p1 = p0 - 0.5 v1 = (0.5, 1.5)
        // v2 = 0.5 v1 + g2 = (1, 0);         p2 = p1 - 0.5 v2 = (0, 1.5)
        let [p1, p2] = two_steps(&mut Sgd::<Tiny>::new(0.5).momentum(0.5), P0, G1, G2);
        assert_exact(p1, [0.5, 1.5]);
        assert_exact(p2, [0.0, 1.5]);
    }

    #[test]
    fn nesterov() {
        // v1 = (1, -2); g1 + 0.5 v1 = (1.5, -3);   p1 = p0 - 0.5 (1.5, -3) = (0.25, 2)
        // v2 = (1, 0);  g2 + 0.5 v2 = (1, 1);      p2 = p1 - 0.5 (1, 1) = (-0.25, 1.5)
        let mut sgd = Sgd::<Tiny>::new(0.5).momentum(0.5).nesterov();
        let [p1, p2] = two_steps(&mut sgd, P0, G1, G2);
        assert_exact(p1, [0.25, 2.0]);
        assert_exact(p2, [-0.25, 1.5]);
    }

    #[test]
    fn weight_decay_with_momentum() {
        // lambda = 0.5, mu = 0.5.
        // g1' = g1 + 0.5 p0 = (1.5, -1.75);  v1 = g1';  p1 = p0 - 0.5 v1 = (0.25, 1.375)
        // g2' = g2 + 0.5 p1 = (0.625, 1.6875); v2 = 0.5 v1 + g2' = (1.375, 0.8125);
        // p2 = p1 - 0.5 v2 = (0.25 - 0.6875, 1.375 - 0.40625) = (-0.4375, 0.96875)
        let mut sgd = Sgd::<Tiny>::new(0.5).momentum(0.5).weight_decay(0.5);
        let [p1, p2] = two_steps(&mut sgd, P0, G1, G2);
        assert_exact(p1, [0.25, 1.375]);
        assert_exact(p2, [-0.4375, 0.968_75]);
    }

    #[test]
    fn weight_decay_without_momentum() {
        // p1 = p0 - 0.5 (g1 + 0.5 p0) = (1 - 0.75, 0.5 + 0.875) = (0.25, 1.375)
        // p2 = p1 - 0.5 (g2 + 0.5 p1) = (0.25 - 0.3125, 1.375 - 0.84375) = (-0.0625, 0.53125)
        let [p1, p2] = two_steps(&mut Sgd::<Tiny>::new(0.5).weight_decay(0.5), P0, G1, G2);
        assert_exact(p1, [0.25, 1.375]);
        assert_exact(p2, [-0.0625, 0.531_25]);
    }

    #[test]
    fn const_and_f32() {
        const SGD: Sgd<Tiny32> = Sgd::new(0.5).momentum(0.5).nesterov();
        let mut sgd = SGD;
        let [p1, p2] = two_steps(&mut sgd, P0, G1, G2);
        assert_exact(p1, [0.25, 2.0]);
        assert_exact(p2, [-0.25, 1.5]);
    }
}
