//! [`Adam`] and [`AdamW`]: adaptive moment estimation, without and with decoupled weight decay.

use super::{LearningRate, Optimizer, State, impl_learning_rate, state};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Scalar};
use core::marker::PhantomData;

/// Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1), with bias
/// correction.
///
/// For each parameter `p` with derivative `g`, at step `t = 1, 2, ...`, with moments `m` and `v`
/// zero before the first step:
///
/// ```text
/// m = beta1 m + (1 - beta1) g
/// v = beta2 v + (1 - beta2) g^2
/// m_hat = m / (1 - beta1^t)
/// v_hat = v / (1 - beta2^t)
/// p = p - lr m_hat / (sqrt(v_hat) + eps)
/// ```
///
/// Defaults, as in the paper and `torch.optim.Adam`: `beta1 = 0.9`, `beta2 = 0.999`, `eps = 1e-8`.
///
/// The moments `m` and `v` are two values of the net's type, kept where `S` says ([`State`]):
/// in the optimizer (`Adam::new`), or on the heap (`Adam::boxed`, with `std`).
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<N, S = N> {
    learning_rate: f64,
    beta1: f64,
    beta2: f64,
    epsilon: f64,
    /// The number of steps taken.
    t: u64,
    m: Option<S>,
    v: Option<S>,
    net: PhantomData<fn() -> N>,
}

impl<N: Network<Scalar: Scalar>> Adam<N> {
    /// Adam with learning rate `learning_rate` and the default `beta1`, `beta2` and `eps`; its
    /// moments, twice the net's size, inside it, zeroed by the first step.
    pub const fn new(learning_rate: f64) -> Self {
        Self::with(learning_rate, None, None)
    }
}

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
impl<N: Network<Scalar: Scalar>> Adam<N, std::boxed::Box<N>> {
    /// Adam as [`Adam::new`], its moments on the heap, zeroed here: the optimizer is a few words
    /// wherever it is put (for a net near the size of the thread's stack), and its steps allocate
    /// nothing. The same steps, to the bit, as `Adam::new`.
    #[must_use]
    pub fn boxed(learning_rate: f64) -> Self {
        Self::with(learning_rate, Some(State::zeroed()), Some(State::zeroed()))
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Adam<N, S> {
    /// Adam with the defaults and the moments `m`, `v`.
    const fn with(learning_rate: f64, m: Option<S>, v: Option<S>) -> Self {
        Self {
            learning_rate,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            t: 0,
            m,
            v,
            net: PhantomData,
        }
    }

    /// Sets the decay rates of the first and second moment estimates.
    #[must_use]
    pub const fn betas(mut self, beta1: f64, beta2: f64) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// Sets `eps`, added to `sqrt(v_hat)` to keep the division finite.
    #[must_use]
    pub const fn epsilon(mut self, epsilon: f64) -> Self {
        self.epsilon = epsilon;
        self
    }

    /// One step of Adam, each parameter first multiplied by `decay` (1 for Adam itself).
    fn update(&mut self, net: &mut N, gradient: &N, decay: N::Scalar) {
        self.t += 1;
        let scalar = N::Scalar::from_f64;
        let (lr, eps) = (scalar(self.learning_rate), scalar(self.epsilon));
        let (beta1, one_minus_beta1) = (scalar(self.beta1), scalar(1.0 - self.beta1));
        let (beta2, one_minus_beta2) = (scalar(self.beta2), scalar(1.0 - self.beta2));
        let correction1 = scalar(1.0 - power(self.beta1, self.t));
        let correction2 = scalar(1.0 - power(self.beta2, self.t));
        let (m, v) = (state(&mut self.m), state(&mut self.v));
        for k in 0..N::TENSORS.len() {
            let parameters = net.tensor_mut(k).iter_mut().zip(gradient.tensor(k));
            let moments = m.tensor_mut(k).iter_mut().zip(v.tensor_mut(k));
            for ((p, &g), (m, v)) in parameters.zip(moments) {
                *m = beta1 * *m + one_minus_beta1 * g;
                *v = beta2 * *v + one_minus_beta2 * g * g;
                let (m_hat, v_hat) = (*m / correction1, *v / correction2);
                *p = *p * decay - lr * m_hat / (v_hat.sqrt() + eps);
            }
        }
    }
}

/// `beta^t`.
#[allow(
    clippy::cast_precision_loss,
    reason = "exact below 2^53 steps, and beta^t has long reached 0 by then"
)]
fn power(beta: f64, t: u64) -> f64 {
    libm::pow(beta, t as f64)
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Optimizer<N> for Adam<N, S> {
    fn step(&mut self, net: &mut N, gradient: &N) {
        self.update(net, gradient, N::Scalar::ONE);
    }
}

impl_learning_rate!(Adam);

/// `AdamW`: Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
/// Regularization", Algorithm 2), in the convention of `torch.optim.AdamW`.
///
/// The decay shrinks each parameter directly instead of entering the gradient and so the moments:
///
/// ```text
/// p = p (1 - lr lambda)                          decoupled weight decay
/// p = p - lr m_hat / (sqrt(v_hat) + eps)         the Adam step, with m_hat, v_hat as in Adam
/// ```
///
/// The paper writes the decay as `eta_t lambda p` with a schedule multiplier `eta_t`; `torch`, and
/// this type, scale it by the learning rate. Default `lambda = 0.01`, as `torch`; the rest as
/// [`Adam`].
///
/// Its moments are kept as [`Adam`]'s: `AdamW::new` inside it, `AdamW::boxed` on the heap.
#[derive(Debug, Clone, PartialEq)]
pub struct AdamW<N, S = N> {
    adam: Adam<N, S>,
    weight_decay: f64,
}

impl<N: Network<Scalar: Scalar>> AdamW<N> {
    /// `AdamW` with learning rate `learning_rate`, weight decay 0.01 and Adam's defaults.
    pub const fn new(learning_rate: f64) -> Self {
        Self {
            adam: Adam::new(learning_rate),
            weight_decay: 0.01,
        }
    }
}

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
impl<N: Network<Scalar: Scalar>> AdamW<N, std::boxed::Box<N>> {
    /// `AdamW` as [`AdamW::new`], its moments on the heap, as [`Adam::boxed`].
    #[must_use]
    pub fn boxed(learning_rate: f64) -> Self {
        Self {
            adam: Adam::boxed(learning_rate),
            weight_decay: 0.01,
        }
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> AdamW<N, S> {
    /// Sets the weight decay `lambda`.
    #[must_use]
    pub const fn weight_decay(mut self, lambda: f64) -> Self {
        self.weight_decay = lambda;
        self
    }

    /// Sets the decay rates of the moment estimates, as [`Adam::betas`].
    #[must_use]
    pub const fn betas(mut self, beta1: f64, beta2: f64) -> Self {
        self.adam.beta1 = beta1;
        self.adam.beta2 = beta2;
        self
    }

    /// Sets `eps`, as [`Adam::epsilon`].
    #[must_use]
    pub const fn epsilon(mut self, epsilon: f64) -> Self {
        self.adam.epsilon = epsilon;
        self
    }
}

impl<N: Network<Scalar: Scalar>, S: State<N>> Optimizer<N> for AdamW<N, S> {
    fn step(&mut self, net: &mut N, gradient: &N) {
        let decay = N::Scalar::from_f64(1.0 - self.adam.learning_rate * self.weight_decay);
        self.adam.update(net, gradient, decay);
    }
}

impl<N: Network<Scalar: Scalar>, S> LearningRate for AdamW<N, S> {
    fn learning_rate(&self) -> f64 {
        self.adam.learning_rate
    }

    fn set_learning_rate(&mut self, learning_rate: f64) {
        self.adam.learning_rate = learning_rate;
    }
}

#[cfg(test)]
mod tests {
    use super::{Adam, AdamW};
    use crate::optim::tests::{G1, G2, P0, Tiny, Tiny32, assert_close, two_steps};

    // p0 = (w, b) = (1, 0.5), g1 = (1, -2), g2 = (0.5, 1), lr = 0.1, beta1 = 0.9,
    // beta2 = 0.999, eps = 1e-8.
    //
    // t = 1: m = 0.1 g1 = (0.1, -0.2);  v = 0.001 g1^2 = (0.001, 0.004);
    //        m_hat = m / 0.1 = (1, -2);  v_hat = v / 0.001 = (1, 4);
    //        p1 = p0 - 0.1 m_hat / (sqrt(v_hat) + 1e-8)
    //           = (1 - 0.1 / (1 + 1e-8), 0.5 + 0.2 / (2 + 1e-8)) = (0.900000001, 0.5999999995)
    // t = 2: m = 0.9 (0.1, -0.2) + 0.1 (0.5, 1) = (0.14, -0.08);
    //        v = 0.999 (0.001, 0.004) + 0.001 (0.25, 1) = (0.001249, 0.004996);
    //        m_hat = m / (1 - 0.9^2) = m / 0.19 = (0.736842105263158, -0.421052631578947);
    //        v_hat = v / (1 - 0.999^2) = v / 0.001999 = (0.624812406203102, 2.499249624812406);
    //        sqrt(v_hat) = (0.790450761403328, 1.580901522806657);
    //        p2 = p1 - 0.1 m_hat / (sqrt(v_hat) + 1e-8) = (0.806782038298160, 0.626633703297569)
    const ADAM_P1: [f64; 2] = [0.900_000_001, 0.599_999_999_5];
    const ADAM_P2: [f64; 2] = [0.806_782_038_298_160_4, 0.626_633_703_297_568_6];

    #[test]
    fn adam_first_two_steps() {
        let [p1, p2] = two_steps(&mut Adam::<Tiny>::new(0.1), P0, G1, G2);
        assert_close(p1, ADAM_P1);
        assert_close(p2, ADAM_P2);
    }

    #[test]
    fn adam_builders_set_the_defaults_they_replace() {
        let adam = Adam::<Tiny>::new(0.1).betas(0.9, 0.999).epsilon(1e-8);
        assert_eq!(adam, Adam::new(0.1));
        let [p1, _] = two_steps(&mut Adam::<Tiny>::new(0.1).epsilon(1.0), P0, G1, G2);
        // eps = 1: p1 = (1 - 0.1 / 2, 0.5 + 0.2 / 3).
        assert_close(p1, [0.95, 0.5 + 0.2 / 3.0]);
    }

    #[test]
    fn adamw_first_two_steps() {
        // lambda = 0.1, so each step first multiplies p by 1 - 0.1 * 0.1 = 0.99; the Adam steps
        // are those above:
        // p1 = 0.99 p0 - (0.099999999, -0.0999999995) = (0.89 + 1e-9, 0.495 + 0.0999999995)
        //    = (0.890000001, 0.5949999995)
        // p2 = 0.99 p1 - (0.093217962, -0.026633703) = (0.787882038288160, 0.615683703302569)
        let [p1, p2] = two_steps(&mut AdamW::<Tiny>::new(0.1).weight_decay(0.1), P0, G1, G2);
        assert_close(p1, [0.890_000_001, 0.594_999_999_5]);
        assert_close(p2, [0.787_882_038_288_160_4, 0.615_683_703_302_568_6]);
    }

    #[test]
    fn adamw_without_decay_is_adam() {
        let adamw = AdamW::<Tiny>::new(0.1)
            .weight_decay(0.0)
            .betas(0.8, 0.99)
            .epsilon(1e-6);
        let adam = Adam::<Tiny>::new(0.1).betas(0.8, 0.99).epsilon(1e-6);
        assert_eq!(
            two_steps(&mut { adamw }, P0, G1, G2),
            two_steps(&mut { adam }, P0, G1, G2)
        );
    }

    #[test]
    fn const_and_f32() {
        // The default weight decay 0.01 makes AdamW's p1 = 0.999 p0 - (0.1, -0.1).
        const ADAM: Adam<Tiny32> = Adam::new(0.1);
        const ADAMW: AdamW<Tiny32> = AdamW::new(0.1);
        let [p1, p2] = two_steps(&mut { ADAM }, P0, G1, G2);
        let [w1, w2] = two_steps(&mut { ADAMW }, P0, G1, G2);
        for (actual, expected) in [(p1, ADAM_P1), (p2, ADAM_P2), (w1, [0.899, 0.5995])] {
            for (a, e) in actual.into_iter().zip(expected) {
                assert!((a - e).abs() < 1e-6, "{actual:?} != {expected:?}");
            }
        }
        assert!(w2[0] < p2[0]);
    }
}
