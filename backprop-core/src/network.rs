//! What every generated network is, to code written once for all of them (optimizers, gradient
//! checks, serialisation): its sizes, and its parameters as a few flat tensors.

use crate::Scalar;

/// The shape of one dense layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayerShape {
    /// Number of inputs: the width of the layer before, or the network's inputs.
    pub inputs: usize,
    /// Number of nodes.
    pub outputs: usize,
}

/// Implemented by `network!` for every network it declares.
///
/// The parameters are exposed as `TENSORS` flat slices, layer by layer, each layer's weights (row
/// by row) and then its bias. Indexing by tensor lets code walk several values of the same network
/// type in step (parameters, gradient, optimizer moments) with no heap, no `unsafe` and a tight
/// inner loop over each slice:
///
/// ```
/// use backprop_core::{Network, Scalar};
///
/// /// `net -= learning_rate * gradient`, for any network.
/// fn descend<N: Network>(net: &mut N, gradient: &N, learning_rate: N::Scalar) {
///     for tensor in 0..N::TENSORS {
///         let gradient = gradient.tensor(tensor);
///         for (parameter, slope) in net.tensor_mut(tensor).iter_mut().zip(gradient) {
///             *parameter -= learning_rate * *slope;
///         }
///     }
/// }
/// ```
pub trait Network: Sized {
    /// The scalar type of every parameter.
    type Scalar: Scalar;
    /// `[Scalar; INPUTS]`.
    type Input: Copy + AsRef<[Self::Scalar]> + AsMut<[Self::Scalar]>;
    /// `[Scalar; OUTPUTS]`, also the type of a target.
    type Output: Copy + AsRef<[Self::Scalar]> + AsMut<[Self::Scalar]>;
    /// Number of inputs.
    const INPUTS: usize;
    /// Number of outputs.
    const OUTPUTS: usize;
    /// Number of parameters: every weight and bias.
    const PARAMETERS: usize;
    /// Number of parameter tensors: two per layer, its weights and its bias.
    const TENSORS: usize;
    /// Each layer's number of inputs and of nodes, in order: layer `l` owns tensors `2 l`
    /// (`nodes x inputs` weights) and `2 l + 1` (`nodes` biases).
    const LAYERS: &'static [LayerShape];

    /// A network whose every parameter is zero.
    fn zeroed() -> Self;

    /// Parameter tensor `index` as a flat slice: layer `index / 2`'s weights (row by row) when
    /// `index` is even, its bias when odd; empty past the last one.
    fn tensor(&self, index: usize) -> &[Self::Scalar];

    /// Parameter tensor `index` as a flat mutable slice, as in [`Network::tensor`].
    fn tensor_mut(&mut self, index: usize) -> &mut [Self::Scalar];

    /// The network's output for one input.
    fn forward(&self, input: &Self::Input) -> Self::Output;

    /// The loss of the output for `input` against `target`.
    fn loss(&self, input: &Self::Input, target: &Self::Output) -> Self::Scalar;

    /// The loss and its derivative with respect to every parameter, shaped like the network.
    fn gradient(&self, input: &Self::Input, target: &Self::Output) -> (Self::Scalar, Self);

    /// Writes the derivative of the loss with respect to every parameter into `gradient`;
    /// returns the loss.
    fn gradient_into(
        &self,
        input: &Self::Input,
        target: &Self::Output,
        gradient: &mut Self,
    ) -> Self::Scalar;

    /// Adds one sample's gradient to `gradient`; returns its loss.
    fn accumulate_gradient(
        &self,
        input: &Self::Input,
        target: &Self::Output,
        gradient: &mut Self,
    ) -> Self::Scalar;

    /// Adds every sample's gradient to `gradient`, through blocks of samples; returns the sum of
    /// their losses. The same bits as `accumulate_gradient` sample after sample.
    fn accumulate_batch(
        &self,
        inputs: &[Self::Input],
        targets: &[Self::Output],
        gradient: &mut Self,
    ) -> Self::Scalar;

    /// The outputs of many samples at once: `outputs[k] = forward(&inputs[k])`, the same bits.
    ///
    /// # Panics
    /// If `inputs` and `outputs` differ in length.
    fn forward_batch(&self, inputs: &[Self::Input], outputs: &mut [Self::Output]);

    /// The derivative of the loss with respect to each input.
    fn input_gradient(&self, input: &Self::Input, target: &Self::Output) -> Self::Input;
}
