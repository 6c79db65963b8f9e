//! [`Dense`]: the parameters of one fully connected layer.

use crate::kernel::{self, Isa};
use crate::store::Store;
use crate::{Layer, Number, Scalar};
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

impl<T: Number, const I: usize, const O: usize> Dense<T, I, O> {
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
    /// Each sum is taken in the [canonical order](crate::kernel#the-canonical-order): eight
    /// partial sums (lane `k` adds the products `i = k, k + 8, ...` in order, from the first
    /// product), added left to right, bias last; for up to eight inputs simply
    /// `((w_j0 a_0 + w_j1 a_1) + ...) + bias_j`. The generated code and the batch sum in the same
    /// order, so they agree to the bit. A layer with no inputs returns the bias.
    #[inline]
    pub fn pre_activation(&self, input: &[T; I]) -> [T; O] {
        T::dense_forward(self, input)
    }

    /// How the loss flows back through the layer: `upstream_i = sum_j weights[j][i] * delta_j`,
    /// the derivative of the loss with respect to input `i` given `delta_j = dL/dz_j`.
    ///
    /// Each sum runs over `j` in order from the first term, as the unrolled form writes it, so the
    /// two agree to the bit; the sums are computed side by side along `i`, so they vectorise. A
    /// layer with no nodes returns zeros.
    #[inline]
    pub fn back_propagate(&self, delta: &[T; O]) -> [T; I] {
        T::dense_backward(self, delta)
    }

    /// Stores this layer's gradient given its deltas and inputs: `dL/dweights[j][i] = delta_j *
    /// input_i` (an outer product) and `dL/dbias[j] = delta_j`.
    #[inline]
    pub fn set_gradient(&mut self, delta: &[T; O], input: &[T; I]) {
        T::set_outer(self, delta, input);
    }

    /// This layer's derivatives, `dL/dweights[j][i] = delta_j * input_i` and `dL/dbias[j] =
    /// delta_j`, stored into `self` (a gradient, or the layer itself when descending) by `store`:
    /// written, added, or descended along.
    #[inline]
    pub fn store_gradient<S: Store<T>>(&mut self, store: &S, delta: &[T; O], input: &[T; I]) {
        store.store_outer(self, delta, input);
    }
}

impl<T: Scalar, const I: usize, const O: usize> Dense<T, I, O> {
    /// [`pre_activation`](Self::pre_activation) of every sample: `outputs[s]` is the
    /// pre-activation of `inputs[s]`, bit for bit, whatever the batch size. Several rows and
    /// several samples go at once, so each weight is read once for a block of samples.
    ///
    /// # Panics
    ///
    /// If `inputs` and `outputs` differ in length.
    #[inline]
    pub fn pre_activation_batch(&self, inputs: &[[T; I]], outputs: &mut [[T; O]]) {
        let isa = Isa::for_work(I * O * inputs.len());
        kernel::pre_activation_batch(isa, self, inputs, outputs);
    }

    /// [`back_propagate`](Self::back_propagate) of every sample: `upstream[s]` is the upstream
    /// slope of `deltas[s]`, bit for bit.
    ///
    /// # Panics
    ///
    /// If `deltas` and `upstream` differ in length.
    #[inline]
    pub fn back_propagate_batch(&self, deltas: &[[T; O]], upstream: &mut [[T; I]]) {
        let isa = Isa::for_work(I * O * deltas.len());
        kernel::back_propagate_batch(isa, self, deltas, upstream);
    }

    /// Adds this layer's gradient for one sample to `self`: `dL/dweights[j][i] += delta_j *
    /// input_i`, `dL/dbias[j] += delta_j`. Summing a mini-batch sample by sample this way adds the
    /// same numbers in the same order as summing whole per-sample gradients.
    #[inline]
    pub fn add_gradient(&mut self, delta: &[T; O], input: &[T; I]) {
        self.add_gradient_batch(core::slice::from_ref(delta), core::slice::from_ref(input));
    }

    /// [`add_gradient`](Self::add_gradient) for each sample in order: the same additions in the
    /// same order, so the same bits, for any batch size and any split of the samples into
    /// batches; but each block of the gradient is read and written once per batch, not once per
    /// sample.
    ///
    /// # Panics
    ///
    /// If `deltas` and `inputs` differ in length.
    #[inline]
    pub fn add_gradient_batch(&mut self, deltas: &[[T; O]], inputs: &[[T; I]]) {
        let isa = Isa::for_work(I * O * deltas.len());
        kernel::add_gradient_batch(isa, self, deltas, inputs);
    }

    /// One step of gradient descent: every weight and bias minus `learning_rate` times its
    /// derivative in `gradient`, `p = p - learning_rate * dL/dp`.
    #[inline]
    pub fn sgd_step(&mut self, gradient: &Self, learning_rate: T) {
        kernel::sgd_step(self, gradient, learning_rate);
    }
}

/// `self += other`, parameter by parameter: how gradients of a mini-batch are summed.
impl<T: Scalar, const I: usize, const O: usize> AddAssign<&Self> for Dense<T, I, O> {
    #[inline]
    fn add_assign(&mut self, other: &Self) {
        kernel::add_assign(self, other);
    }
}

/// `self /= divisor`, parameter by parameter: how a summed gradient becomes a mean.
impl<T: Scalar, const I: usize, const O: usize> DivAssign<T> for Dense<T, I, O> {
    #[inline]
    fn div_assign(&mut self, divisor: T) {
        kernel::div_assign(self, divisor);
    }
}

impl<T: Number, const I: usize, const O: usize> Default for Dense<T, I, O> {
    /// The [zeroed](Dense::zeroed) layer.
    fn default() -> Self {
        Self::zeroed()
    }
}

/// Two tensors: the weights, row by row, then the bias.
impl<T: Number, const I: usize, const O: usize> Layer<T> for Dense<T, I, O> {
    const TENSORS: usize = 2;

    #[inline]
    fn tensor(&self, index: usize) -> &[T] {
        match index {
            0 => self.weights.as_flattened(),
            1 => &self.bias,
            _ => &[],
        }
    }

    #[inline]
    fn tensor_mut(&mut self, index: usize) -> &mut [T] {
        match index {
            0 => self.weights.as_flattened_mut(),
            1 => &mut self.bias,
            _ => &mut [],
        }
    }
}

/// `::backprop_core::Dense { weights: [[..], ..], bias: [..] }`, every number reading back bit
/// for bit.
#[cfg(feature = "std")]
impl<T: Number, const I: usize, const O: usize> crate::source::Source for Dense<T, I, O> {
    fn write_source(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
        out.write_str("::backprop_core::Dense {\n        weights: [")?;
        crate::source::write_rows(out, &self.weights)?;
        out.write_str("],\n        bias: [")?;
        crate::source::write_numbers(out, &self.bias)?;
        out.write_str("],\n    }")
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
    fn sums_past_eight_inputs_in_eight_lanes() {
        // Inputs 0 and 8 share lane 0, which cancels to 0 before the 1 of lane 1 is added; left
        // to right, 1e16 + 1 would round the 1 away and give 0.
        let mut row = [0.0; 9];
        (row[0], row[1], row[8]) = (1e16, 1.0, -1e16);
        let layer = Dense::new([row; 3], [0.5; 3]);
        assert_eq!(layer.pre_activation(&[1.0; 9]), [1.5; 3]);
        let mut batch = [[0.0; 3]; 2];
        layer.pre_activation_batch(&[[1.0; 9]; 2], &mut batch);
        assert_eq!(batch, [[1.5; 3]; 2]);
    }

    #[test]
    fn batches_compute_what_one_sample_at_a_time_computes() {
        let layer = Dense::new([[0.1, -0.7, 1.3], [2.5, 0.3, -0.9]], [0.2, -0.4]);
        let inputs = [[1.0, 2.0, -3.0], [0.25, -0.5, 4.0], [-1.5, 0.75, 0.1]];
        let deltas = [[0.3, -0.2], [1.1, 0.6], [-0.7, 0.05]];
        let mut outputs = [[0.0; 2]; 3];
        layer.pre_activation_batch(&inputs, &mut outputs);
        let mut upstream = [[0.0; 3]; 3];
        layer.back_propagate_batch(&deltas, &mut upstream);
        let mut one_by_one = layer;
        for (s, (input, delta)) in inputs.iter().zip(&deltas).enumerate() {
            assert_eq!(outputs[s], layer.pre_activation(input));
            assert_eq!(upstream[s], layer.back_propagate(delta));
            one_by_one.add_gradient(delta, input);
        }
        let mut batched = layer;
        batched.add_gradient_batch(&deltas, &inputs);
        assert_eq!(batched, one_by_one);
    }

    #[test]
    fn gradients_and_steps() {
        let mut gradient = Dense::<f64, 2, 2>::ZERO;
        gradient.set_gradient(&[2.0, -1.0], &[3.0, 0.5]);
        assert_eq!(
            gradient,
            Dense::new([[6.0, 1.0], [-3.0, -0.5]], [2.0, -1.0])
        );
        gradient.add_gradient(&[1.0, 1.0], &[1.0, 2.0]);
        assert_eq!(gradient, Dense::new([[7.0, 3.0], [-2.0, 1.5]], [3.0, 0.0]));
        let mut sum = gradient;
        sum += &gradient;
        assert_eq!(sum, Dense::new([[14.0, 6.0], [-4.0, 3.0]], [6.0, 0.0]));
        sum /= 4.0;
        assert_eq!(sum, Dense::new([[3.5, 1.5], [-1.0, 0.75]], [1.5, 0.0]));
        let mut layer = NOTEBOOK_HIDDEN;
        layer.sgd_step(&sum, 0.5);
        assert_eq!(
            layer,
            Dense::new([[-0.75, 0.25], [1.0, -0.875]], [-0.25, 0.0])
        );
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
