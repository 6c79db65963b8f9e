//! Learning-rate schedules, and [`Scheduled`], which drives an optimizer's learning rate by one.

use core::f64::consts::PI;

use super::{LearningRate, Optimizer};
#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Scalar};

/// A learning rate for each step, counted from 0.
///
/// Closures `Fn(u64) -> f64` are schedules too.
pub trait Schedule {
    /// The learning rate of step `step` (0 for the first step).
    fn learning_rate(&self, step: u64) -> f64;
}

impl<F: Fn(u64) -> f64> Schedule for F {
    fn learning_rate(&self, step: u64) -> f64 {
        self(step)
    }
}

/// The same learning rate at every step: `lr(t) = self.0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant(pub f64);

impl Schedule for Constant {
    fn learning_rate(&self, _step: u64) -> f64 {
        self.0
    }
}

/// The learning rate multiplied by `factor` every `every` steps:
/// `lr(t) = initial factor^floor(t / every)`. With `every = 0` it never decays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepDecay {
    /// The learning rate of the first `every` steps.
    pub initial: f64,
    /// The factor applied every `every` steps, typically 0.1 or 0.5.
    pub factor: f64,
    /// The number of steps between two decays.
    pub every: u64,
}

impl Schedule for StepDecay {
    fn learning_rate(&self, step: u64) -> f64 {
        let decays = step.checked_div(self.every).unwrap_or(0);
        self.initial * libm::pow(self.factor, as_f64(decays))
    }
}

/// Cosine annealing from `initial` down to `minimum` over `steps` steps (Loshchilov & Hutter
/// 2017, SGDR, without restarts), then `minimum`:
/// `lr(t) = minimum + (initial - minimum) (1 + cos(pi t / steps)) / 2` for `t < steps`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cosine {
    /// The learning rate of step 0.
    pub initial: f64,
    /// The learning rate from step `steps` on.
    pub minimum: f64,
    /// The number of steps the annealing takes.
    pub steps: u64,
}

impl Schedule for Cosine {
    fn learning_rate(&self, step: u64) -> f64 {
        if step >= self.steps {
            return self.minimum;
        }
        let cosine = libm::cos(PI * as_f64(step) / as_f64(self.steps));
        self.minimum + (self.initial - self.minimum) * (1.0 + cosine) / 2.0
    }
}

/// A linear warm-up in front of another schedule: its learning rate scaled by `(t + 1) / steps`
/// for the first `steps` steps, `lr(t) = schedule(t) min(1, (t + 1) / steps)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warmup<S> {
    /// The number of warm-up steps.
    pub steps: u64,
    /// The schedule being warmed up.
    pub schedule: S,
}

impl<S: Schedule> Schedule for Warmup<S> {
    fn learning_rate(&self, step: u64) -> f64 {
        let learning_rate = self.schedule.learning_rate(step);
        if step < self.steps {
            learning_rate * (as_f64(step + 1) / as_f64(self.steps))
        } else {
            learning_rate
        }
    }
}

/// `n` as an `f64`.
#[allow(
    clippy::cast_precision_loss,
    reason = "step counts are exact below 2^53"
)]
const fn as_f64(n: u64) -> f64 {
    n as f64
}

/// An optimizer whose learning rate follows a schedule: before each step it sets the learning
/// rate to `schedule.learning_rate(steps)`, then counts the step.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled<O, S> {
    /// The optimizer whose learning rate is set.
    pub optimizer: O,
    /// The schedule it follows.
    pub schedule: S,
    /// The number of steps taken, so the step number the schedule sees next.
    pub steps: u64,
}

impl<O, S> Scheduled<O, S> {
    /// `optimizer`, with its learning rate set by `schedule` from step 0 on.
    pub const fn new(optimizer: O, schedule: S) -> Self {
        Self {
            optimizer,
            schedule,
            steps: 0,
        }
    }
}

impl<N: Network<Scalar: Scalar>, O: Optimizer<N> + LearningRate, S: Schedule> Optimizer<N>
    for Scheduled<O, S>
{
    fn step(&mut self, net: &mut N, gradient: &N) {
        let learning_rate = self.schedule.learning_rate(self.steps);
        self.optimizer.set_learning_rate(learning_rate);
        self.optimizer.step(net, gradient);
        self.steps += 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::{Constant, Cosine, Schedule, Scheduled, StepDecay, Warmup};
    use crate::optim::tests::{Tiny, assert_exact, parameters, tiny};
    use crate::optim::{LearningRate, Optimizer, Sgd};

    /// The schedule's learning rates at `steps`.
    fn rates<const K: usize>(schedule: &impl Schedule, steps: [u64; K]) -> [f64; K] {
        steps.map(|step| schedule.learning_rate(step))
    }

    /// Asserts each rate is within `1e-15` of the expected one.
    fn assert_rates<const K: usize>(actual: [f64; K], expected: [f64; K]) {
        for (a, e) in actual.into_iter().zip(expected) {
            assert!((a - e).abs() <= 1e-15, "{actual:?} != {expected:?}");
        }
    }

    #[test]
    fn constant() {
        assert_eq!(rates(&Constant(0.1), [0, 1, 1 << 40]), [0.1; 3]);
    }

    #[test]
    fn step_decay() {
        // 0.1 * 0.5^floor(t / 10): t = 0, 9 -> 0.1; 10, 19 -> 0.05; 25 -> 0.025; 100 -> 0.1 / 1024.
        let schedule = StepDecay {
            initial: 0.1,
            factor: 0.5,
            every: 10,
        };
        let expected = [0.1, 0.1, 0.05, 0.05, 0.025, 0.1 / 1024.0];
        assert_eq!(rates(&schedule, [0, 9, 10, 19, 25, 100]), expected);
        let never = StepDecay {
            every: 0,
            ..schedule
        };
        assert_eq!(rates(&never, [0, 1000]), [0.1; 2]);
    }

    #[test]
    fn cosine() {
        // 0.1 + (1.1 - 0.1) (1 + cos(pi t / 4)) / 2:
        // t = 0: 0.1 + 1 = 1.1; t = 1: 0.1 + (1 + sqrt(2) / 2) / 2 = 0.953553390593274;
        // t = 2: 0.1 + 0.5 = 0.6; t = 3: 0.1 + (1 - sqrt(2) / 2) / 2 = 0.246446609406726;
        // t >= 4: 0.1.
        let schedule = Cosine {
            initial: 1.1,
            minimum: 0.1,
            steps: 4,
        };
        let expected = [
            1.1,
            0.953_553_390_593_273_8,
            0.6,
            0.246_446_609_406_726_2,
            0.1,
            0.1,
        ];
        assert_rates(rates(&schedule, [0, 1, 2, 3, 4, 100]), expected);
        let empty = Cosine {
            steps: 0,
            ..schedule
        };
        assert_eq!(rates(&empty, [0, 1]), [0.1; 2]);
    }

    #[test]
    fn warmup() {
        // 0.1 (t + 1) / 4 for t < 4: 0.025, 0.05, 0.075, 0.1; then 0.1.
        let schedule = Warmup {
            steps: 4,
            schedule: Constant(0.1),
        };
        assert_rates(
            rates(&schedule, [0, 1, 2, 3, 4, 50]),
            [0.025, 0.05, 0.075, 0.1, 0.1, 0.1],
        );
        // Over a step decay: 0.1 0.5^floor(t / 2) (t + 1) / 4: t = 1 -> 0.05, t = 2 -> 0.0375.
        let decay = StepDecay {
            initial: 0.1,
            factor: 0.5,
            every: 2,
        };
        let schedule = Warmup {
            steps: 4,
            schedule: decay,
        };
        assert_rates(rates(&schedule, [1, 2, 4]), [0.05, 0.0375, 0.025]);
    }

    #[test]
    fn closures_are_schedules() {
        let halving = |step: u64| 1.0 / f64::from(1_u32 << step.min(31));
        assert_eq!(rates(&halving, [0, 1, 3]), [1.0, 0.5, 0.125]);
    }

    #[test]
    fn scheduled_sets_the_learning_rate_before_each_step() {
        // Plain SGD with lr 0.5, then 0.25 (step decay by 0.5 every step), on the gradient
        // (1, -2): p = (1, 0.5) - 0.5 (1, -2) = (0.5, 1.5), then - 0.25 (1, -2) = (0.25, 2).
        let schedule = StepDecay {
            initial: 0.5,
            factor: 0.5,
            every: 1,
        };
        let mut scheduled = Scheduled::new(Sgd::new(1.0), schedule);
        let mut net: Tiny = tiny([1.0, 0.5]);
        let gradient = tiny([1.0, -2.0]);
        scheduled.step(&mut net, &gradient);
        assert_exact(parameters(&net), [0.5, 1.5]);
        assert_eq!(scheduled.optimizer.learning_rate(), 0.5);
        scheduled.step(&mut net, &gradient);
        assert_exact(parameters(&net), [0.25, 2.0]);
        assert_eq!(scheduled.optimizer.learning_rate(), 0.25);
        assert_eq!(scheduled.steps, 2);
    }
}
