//! How a gradient body stores each derivative: the generated code derives the gradient once, in
//! a body generic over [`Store`], and `gradient_into` ([`Overwrite`]) and `accumulate_gradient`
//! ([`Accumulate`]) are that one body with the derivatives written or added.

use crate::{Dense, Scalar};

/// Where a derivative goes: written over the gradient's slot, or added to it.
pub trait Store {
    /// Stores one derivative into its slot of the gradient.
    fn store<T: Scalar>(slot: &mut T, derivative: T);

    /// Stores a whole layer's derivatives, `dL/dweights[j][i] = delta_j * input_i` and
    /// `dL/dbias[j] = delta_j`.
    fn store_layer<T: Scalar, const I: usize, const O: usize>(
        gradient: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    );
}

/// `slot = derivative`: the gradient of one sample, as `gradient_into` writes it.
#[derive(Clone, Copy, Debug)]
pub enum Overwrite {}

/// `slot += derivative`: one sample's gradient added, as `accumulate_gradient` sums a
/// mini-batch in place.
#[derive(Clone, Copy, Debug)]
pub enum Accumulate {}

impl Store for Overwrite {
    #[inline]
    fn store<T: Scalar>(slot: &mut T, derivative: T) {
        *slot = derivative;
    }

    #[inline]
    fn store_layer<T: Scalar, const I: usize, const O: usize>(
        gradient: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    ) {
        gradient.set_gradient(delta, input);
    }
}

impl Store for Accumulate {
    #[inline]
    fn store<T: Scalar>(slot: &mut T, derivative: T) {
        *slot += derivative;
    }

    #[inline]
    fn store_layer<T: Scalar, const I: usize, const O: usize>(
        gradient: &mut Dense<T, I, O>,
        delta: &[T; O],
        input: &[T; I],
    ) {
        gradient.add_gradient(delta, input);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp, reason = "exact values on purpose")]

    use super::{Accumulate, Overwrite, Store};
    use crate::Dense;

    #[test]
    fn overwrite_writes_and_accumulate_adds() {
        let mut slot = 2.0_f64;
        Overwrite::store(&mut slot, 3.0);
        assert_eq!(slot, 3.0);
        Accumulate::store(&mut slot, 0.5);
        assert_eq!(slot, 3.5);
    }

    #[test]
    fn layers_are_outer_products() {
        let mut gradient = Dense::<f64, 2, 2>::new([[9.0; 2]; 2], [9.0; 2]);
        Overwrite::store_layer(&mut gradient, &[1.0, -2.0], &[3.0, 4.0]);
        assert_eq!(gradient.weights, [[3.0, 4.0], [-6.0, -8.0]]);
        assert_eq!(gradient.bias, [1.0, -2.0]);
        Accumulate::store_layer(&mut gradient, &[1.0, 1.0], &[1.0, 1.0]);
        assert_eq!(gradient.weights, [[4.0, 5.0], [-5.0, -7.0]]);
        assert_eq!(gradient.bias, [2.0, -1.0]);
    }
}
