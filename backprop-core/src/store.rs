//! How a gradient body stores each derivative. The generated code derives the gradient of one
//! sample once, in a body generic over [`Store`]: `gradient_into` runs it with [`Overwrite`],
//! `accumulate_gradient` with [`Accumulate`], and a training step with plain SGD with
//! [`Descend`], which updates each parameter in place as its derivative is formed (so the step
//! needs no gradient in memory, yet gives the bits of `gradient_into` then `Sgd::step`).

use crate::{Dense, Number};

/// Where a derivative goes: written over the gradient's slot, added to it, or descended along.
pub trait Store<T: Number> {
    /// Stores one derivative into its slot.
    fn store(&self, slot: &mut T, derivative: T);

    /// Stores the derivatives of a dense map, an outer product: `dL/dweights[j][i] = delta_j *
    /// input_i` and `dL/dbias[j] = delta_j`.
    fn store_outer<const I: usize, const O: usize>(
        &self,
        layer: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    );

    /// Stores each derivative of `derivatives` into the slot of `slots` at the same place, in
    /// order: for a layer that forms its derivatives apart first.
    #[inline]
    fn store_each(&self, slots: &mut [T], derivatives: &[T]) {
        for (slot, &derivative) in slots.iter_mut().zip(derivatives) {
            self.store(slot, derivative);
        }
    }
}

/// `slot = derivative`: the gradient of one sample, as `gradient_into` writes it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overwrite;

/// `slot += derivative`: one sample's gradient added, as `accumulate_gradient` sums a
/// mini-batch in place.
#[derive(Clone, Copy, Debug, Default)]
pub struct Accumulate;

/// `p = p - rate dL/dp`: a step of plain gradient descent taken in place, parameter by parameter,
/// with the arithmetic of `sgd_step` and of [`Sgd`](crate::optim::Sgd) without momentum or weight
/// decay, so the same bits as the gradient written out and then stepped along.
#[derive(Clone, Copy, Debug)]
pub struct Descend<T> {
    /// The learning rate.
    pub rate: T,
}

impl<T: Number> Store<T> for Overwrite {
    #[inline]
    fn store(&self, slot: &mut T, derivative: T) {
        *slot = derivative;
    }

    #[inline]
    fn store_outer<const I: usize, const O: usize>(
        &self,
        layer: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    ) {
        T::set_outer(layer, delta, input);
    }
}

impl<T: Number> Store<T> for Accumulate {
    #[inline]
    fn store(&self, slot: &mut T, derivative: T) {
        *slot = slot.accumulate(derivative);
    }

    #[inline]
    fn store_outer<const I: usize, const O: usize>(
        &self,
        layer: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    ) {
        T::add_outer(layer, delta, input);
    }
}

impl<T: Number> Store<T> for Descend<T> {
    #[inline]
    fn store(&self, slot: &mut T, derivative: T) {
        *slot = slot.descend(self.rate, derivative);
    }

    #[inline]
    fn store_outer<const I: usize, const O: usize>(
        &self,
        layer: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    ) {
        // Row by row: each row is one contiguous run of weights, `delta_j` fixed along it, so
        // the inner loop vectorises.
        for (row, &delta_j) in layer.weights.iter_mut().zip(delta) {
            for (weight, &input_i) in row.iter_mut().zip(input) {
                self.store(weight, delta_j.product(input_i));
            }
        }
        for (bias, &delta_j) in layer.bias.iter_mut().zip(delta) {
            self.store(bias, delta_j);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::{Accumulate, Descend, Overwrite, Store};
    use crate::Dense;

    #[test]
    fn overwrite_writes_accumulate_adds_descend_steps() {
        let mut slot = 2.0_f64;
        Overwrite.store(&mut slot, 3.0);
        assert_eq!(slot, 3.0);
        Accumulate.store(&mut slot, 0.5);
        assert_eq!(slot, 3.5);
        Descend { rate: 0.5 }.store(&mut slot, 1.0);
        assert_eq!(slot, 3.0);
    }

    #[test]
    fn layers_are_outer_products() {
        let mut gradient = Dense::<f64, 2, 2>::new([[9.0; 2]; 2], [9.0; 2]);
        Overwrite.store_outer(&mut gradient, &[1.0, -2.0], &[3.0, 4.0]);
        assert_eq!(gradient.weights, [[3.0, 4.0], [-6.0, -8.0]]);
        assert_eq!(gradient.bias, [1.0, -2.0]);
        Accumulate.store_outer(&mut gradient, &[1.0, 1.0], &[1.0, 1.0]);
        assert_eq!(gradient.weights, [[4.0, 5.0], [-5.0, -7.0]]);
        assert_eq!(gradient.bias, [2.0, -1.0]);
    }

    /// Descending in place gives the bits of the gradient written out, then `sgd_step`.
    #[test]
    fn descend_is_set_gradient_then_sgd_step() {
        let layer = Dense::<f32, 3, 2>::new([[0.1, -0.7, 1.3], [2.5, -0.01, 0.33]], [0.2, -0.4]);
        let (delta, input) = ([0.37_f32, -1.9], [1.1_f32, -0.3, 0.77]);
        let mut gradient = Dense::ZERO;
        gradient.set_gradient(&delta, &input);
        let mut stepped = layer;
        stepped.sgd_step(&gradient, 0.03);
        let mut descended = layer;
        Descend { rate: 0.03 }.store_outer(&mut descended, &delta, &input);
        assert_eq!(descended, stepped);
        assert_ne!(descended, layer);
    }
}
