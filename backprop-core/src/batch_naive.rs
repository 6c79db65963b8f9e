//! Placeholder batch methods, replaced by the kernels branch on merge.
use crate::{Dense, Scalar};

impl<T: Scalar, const I: usize, const O: usize> Dense<T, I, O> {
    /// Placeholder.
    pub fn pre_activation_batch(&self, inputs: &[[T; I]], outputs: &mut [[T; O]]) {
        for (x, z) in inputs.iter().zip(outputs) {
            *z = self.pre_activation(x);
        }
    }
    /// Placeholder.
    pub fn back_propagate_batch(&self, deltas: &[[T; O]], upstream: &mut [[T; I]]) {
        for (d, u) in deltas.iter().zip(upstream) {
            *u = self.back_propagate(d);
        }
    }
    /// Placeholder.
    pub fn add_gradient_batch(&mut self, deltas: &[[T; O]], inputs: &[[T; I]]) {
        for (d, x) in deltas.iter().zip(inputs) {
            self.add_gradient(d, x);
        }
    }
}
