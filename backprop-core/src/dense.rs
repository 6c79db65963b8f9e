//! [`Dense`]: the parameters of one fully connected layer.

use crate::Scalar;
use core::ops::{AddAssign, DivAssign};

/// The weights and biases of one fully connected layer with `INPUTS` inputs and `OUTPUTS` nodes.
///
/// Node `j` computes the pre-activation `z_j = sum_i weights[j][i] * a_i + bias[j]`; the network then
/// applies the layer's activation to it. A layer is plain data with no padding, so a trained net can
/// be written as a `const` struct literal:
///
/// ```
/// use backprop_core::Dense;
///
/// const HIDDEN: Dense<f64, 2, 2> = Dense {
///     weights: [[1.0, 1.0], [0.5, -0.5]],
///     bias: [0.5, 0.0],
/// };
/// assert_eq!(HIDDEN.pre_activation(&[1.0, 0.0]), [1.5, 0.5]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dense<T, const INPUTS: usize, const OUTPUTS: usize> {
    /// One row per output node: `weights[j][i]` multiplies input `i` of node `j`.
    pub weights: [[T; INPUTS]; OUTPUTS],
    /// One bias per output node: `bias[j]` is added to node `j`'s weighted sum.
    pub bias: [T; OUTPUTS],
}

impl<T: Scalar, const I: usize, const O: usize> Dense<T, I, O> {
    /// The number of inputs.
    pub const INPUTS: usize = I;
    /// The number of output nodes.
    pub const OUTPUTS: usize = O;
    /// The number of parameters: `INPUTS * OUTPUTS` weights plus `OUTPUTS` biases.
    pub const PARAMETERS: usize = I * O + O;

    /// A layer with the given weights (one row per output node) and biases.
    pub const fn new(weights: [[T; I]; O], bias: [T; O]) -> Self {
        Self { weights, bias }
    }

    /// A layer whose weights and biases are all zero, as a constant: building a wide net from it
    /// copies it straight into place, with no temporaries even in a debug build.
    pub const ZERO: Self = Self {
        weights: [[T::ZERO; I]; O],
        bias: [T::ZERO; O],
    };

    /// A layer whose weights and biases are all zero.
    pub const fn zeroed() -> Self {
        Self::ZERO
    }

    /// The pre-activations `z_j = sum_i weights[j][i] * input[i] + bias[j]` of every node.
    ///
    /// The sum is taken in one fixed order, `((w_j0 a_0 + w_j1 a_1) + ...) + bias_j`: left to right
    /// from the first product (not from 0), bias last. The generated code sums in the same order, so
    /// the two agree to the bit. A layer with no inputs is not supported; it returns the bias.
    #[inline]
    pub fn pre_activation(&self, input: &[T; I]) -> [T; O] {
        // Eight rows at a time: eight independent sums in flight instead of one long chain of
        // dependent additions (each row still summed in its own order, so the bits are the same).
        const ROWS: usize = 8;
        let mut z = self.bias;
        let mut blocks = self.weights.chunks_exact(ROWS);
        let mut z_blocks = z.chunks_exact_mut(ROWS);
        for (block, z_block) in (&mut blocks).zip(&mut z_blocks) {
            let mut sums: [T; ROWS] = core::array::from_fn(|row| match block[row].first() {
                Some(&weight) => weight * input[0],
                None => T::ZERO,
            });
            for (i, &a) in input.iter().enumerate().skip(1) {
                for (sum, row) in sums.iter_mut().zip(block) {
                    *sum += row[i] * a;
                }
            }
            for (z_j, sum) in z_block.iter_mut().zip(sums) {
                if I > 0 {
                    *z_j = sum + *z_j;
                }
            }
        }
        for (weights_j, z_j) in blocks.remainder().iter().zip(z_blocks.into_remainder()) {
            let products = weights_j.iter().zip(input).map(|(&w, &a)| w * a);
            if let Some(weighted_sum) = products.reduce(|sum, product| sum + product) {
                *z_j = weighted_sum + *z_j;
            }
        }
        z
    }

    /// How the loss flows back through the layer: `upstream_i = sum_j weights[j][i] * delta_j`,
    /// the derivative of the loss with respect to input `i` given `delta_j = dL/dz_j`.
    ///
    /// Each sum runs over `j` in order from the first term, as the unrolled form writes it, so the
    /// two agree to the bit; the inner loop walks one row of weights, so it vectorises. A layer
    /// with no nodes is not supported; it returns zeros.
    #[inline]
    pub fn back_propagate(&self, delta: &[T; O]) -> [T; I] {
        let mut upstream = [T::ZERO; I];
        let mut rows = self.weights.iter().zip(delta);
        if let Some((first_row, &first_delta)) = rows.next() {
            for (sum, &weight) in upstream.iter_mut().zip(first_row) {
                *sum = weight * first_delta;
            }
        }
        for (row, &delta_j) in rows {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                *sum += weight * delta_j;
            }
        }
        upstream
    }

    /// Stores this layer's gradient given its deltas and inputs: `dL/dweights[j][i] = delta_j *
    /// input_i` (an outer product) and `dL/dbias[j] = delta_j`.
    #[inline]
    pub fn set_gradient(&mut self, delta: &[T; O], input: &[T; I]) {
        for (row, &delta_j) in self.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope = delta_j * input_i;
            }
        }
        self.bias = *delta;
    }

    /// Adds this layer's gradient for one sample to `self`: `dL/dweights[j][i] += delta_j *
    /// input_i`, `dL/dbias[j] += delta_j`. Summing a mini-batch sample by sample this way adds the
    /// same numbers in the same order as summing whole per-sample gradients.
    #[inline]
    pub fn add_gradient(&mut self, delta: &[T; O], input: &[T; I]) {
        for (row, &delta_j) in self.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope += delta_j * input_i;
            }
        }
        for (bias, &delta_j) in self.bias.iter_mut().zip(delta) {
            *bias += delta_j;
        }
    }

    /// One step of gradient descent: every weight and bias minus `learning_rate` times its
    /// derivative in `gradient`, `p = p - learning_rate * dL/dp`.
    #[inline]
    pub fn sgd_step(&mut self, gradient: &Self, learning_rate: T) {
        // Two plain loops (not one over chained iterators), so that each vectorises.
        for (parameter, &slope) in self
            .weights
            .as_flattened_mut()
            .iter_mut()
            .zip(gradient.weights.as_flattened())
        {
            *parameter -= learning_rate * slope;
        }
        for (parameter, &slope) in self.bias.iter_mut().zip(&gradient.bias) {
            *parameter -= learning_rate * slope;
        }
    }
}

/// `self += other`, parameter by parameter: how gradients of a mini-batch are summed.
impl<T: Scalar, const I: usize, const O: usize> AddAssign<&Self> for Dense<T, I, O> {
    #[inline]
    fn add_assign(&mut self, other: &Self) {
        for (parameter, &value) in self
            .weights
            .as_flattened_mut()
            .iter_mut()
            .zip(other.weights.as_flattened())
        {
            *parameter += value;
        }
        for (parameter, &value) in self.bias.iter_mut().zip(&other.bias) {
            *parameter += value;
        }
    }
}

/// `self /= divisor`, parameter by parameter: how a summed gradient becomes a mean.
impl<T: Scalar, const I: usize, const O: usize> DivAssign<T> for Dense<T, I, O> {
    #[inline]
    fn div_assign(&mut self, divisor: T) {
        for parameter in self.weights.as_flattened_mut() {
            *parameter /= divisor;
        }
        for parameter in &mut self.bias {
            *parameter /= divisor;
        }
    }
}

impl<T: Scalar, const I: usize, const O: usize> Default for Dense<T, I, O> {
    /// The [zeroed](Dense::zeroed) layer.
    fn default() -> Self {
        Self::zeroed()
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::float_cmp,
        reason = "the tests compare exact values on purpose"
    )]

    use super::Dense;

    /// The hidden layer of the notebook's 2-2-1 net.
    const NOTEBOOK_HIDDEN: Dense<f64, 2, 2> = Dense::new([[1.0, 1.0], [0.5, -0.5]], [0.5, 0.0]);

    #[test]
    fn shape_constants() {
        assert_eq!(Dense::<f64, 3, 2>::INPUTS, 3);
        assert_eq!(Dense::<f64, 3, 2>::OUTPUTS, 2);
        assert_eq!(Dense::<f64, 3, 2>::PARAMETERS, 8);
        assert_eq!(Dense::<f32, 1, 1>::PARAMETERS, 2);
    }

    #[test]
    fn no_padding() {
        assert_eq!(size_of::<Dense<f32, 3, 2>>(), 8 * size_of::<f32>());
        assert_eq!(size_of::<Dense<f64, 2, 5>>(), 15 * size_of::<f64>());
    }

    #[test]
    fn zeroed_and_default() {
        const ZERO: Dense<f32, 2, 3> = Dense::zeroed();
        assert_eq!(ZERO.weights, [[0.0; 2]; 3]);
        assert_eq!(ZERO.bias, [0.0; 3]);
        assert_eq!(Dense::<f32, 2, 3>::default(), ZERO);
    }

    #[test]
    fn notebook_hidden_layer() {
        assert_eq!(NOTEBOOK_HIDDEN.pre_activation(&[1.0, 0.0]), [1.5, 0.5]);
        assert_eq!(NOTEBOOK_HIDDEN.pre_activation(&[2.0, 4.0]), [6.5, -1.0]);
    }

    #[test]
    fn sums_left_to_right_from_the_first_product() {
        // 1 + 1e16 rounds to 1e16, so only the left-to-right order gives exactly 0.
        let layer = Dense::new([[1.0, 1e16, -1e16]], [0.0]);
        assert_eq!(layer.pre_activation(&[1.0, 1.0, 1.0]), [0.0]);
        // Starting from 0 would turn the first product -0 into +0.
        let layer = Dense::new([[-1.0]], [-0.0]);
        let [z] = layer.pre_activation(&[0.0_f64]);
        assert!(z.is_sign_negative());
    }

    #[test]
    fn adds_the_bias_last() {
        // Adding the bias first would lose it: (1 + 1e16) - 1e16 = 0.
        let layer = Dense::new([[1e16, -1e16]], [1.0]);
        assert_eq!(layer.pre_activation(&[1.0, 1.0]), [1.0]);
    }

    #[test]
    fn no_inputs_gives_the_bias() {
        let layer = Dense::<f64, 0, 2>::new([[]; 2], [3.0, -4.0]);
        assert_eq!(layer.pre_activation(&[]), [3.0, -4.0]);
    }
}
