//! [`Layer`]: what every layer type of the runtime is to generic code (a step of descent, a mean of
//! gradients, the net's flat tensors): its parameters as flat tensors. Each layer type keeps its
//! own forward pass, backward pass and gradient (into a [`Store`](crate::store::Store)) as inherent
//! methods, whose signatures follow its shapes; `network!` calls them.

use crate::Number;

/// A layer's parameters, as tensors.
pub trait Layer<T: Number> {
    /// How many parameter tensors it has.
    const TENSORS: usize;

    /// Parameter tensor `index` as a flat slice (row-major); empty past the last one.
    fn tensor(&self, index: usize) -> &[T];

    /// Parameter tensor `index` as a flat mutable slice; empty past the last one.
    fn tensor_mut(&mut self, index: usize) -> &mut [T];

    /// One step of gradient descent: every parameter `p = p - learning_rate * dL/dp`.
    #[inline]
    fn sgd_step(&mut self, gradient: &Self, learning_rate: T) {
        for index in 0..Self::TENSORS {
            for (parameter, &slope) in self
                .tensor_mut(index)
                .iter_mut()
                .zip(gradient.tensor(index))
            {
                *parameter = parameter.descend(learning_rate, slope);
            }
        }
    }

    /// Every parameter divided by `divisor`: how a summed gradient becomes a mean.
    #[inline]
    fn divide(&mut self, divisor: T) {
        for index in 0..Self::TENSORS {
            for parameter in self.tensor_mut(index) {
                *parameter = parameter.quotient(divisor);
            }
        }
    }
}
