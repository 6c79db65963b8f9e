//! What every generated network is, to code written once for all of them (optimizers, gradient
//! checks, serialisation): its sizes, and its parameters as flat tensors, as its layers' kinds list
//! them.

use crate::Number;
use crate::shape::Array;

/// One parameter tensor of a net: whose it is, its names and shape, and what initialises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tensor {
    /// The index of its layer.
    pub layer: usize,
    /// Its layer's name in the spec.
    pub layer_name: &'static str,
    /// Its field in the layer's type: `weights`.
    pub name: &'static str,
    /// Its name in PyTorch's `state_dict`, after the layer's: `weight`.
    pub torch: &'static str,
    /// Its shape as PyTorch gives it, outermost first (the same values, row-major, as the field).
    pub shape: &'static [usize],
    /// The inputs feeding each output it weighs (He and Xavier initialisation).
    pub fan_in: usize,
    /// The outputs each input feeds.
    pub fan_out: usize,
    /// Whether it is a bias, initialised to zero.
    pub bias: bool,
}

impl Tensor {
    /// Its number of parameters.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One layer of a net as its spec declares it: what a reader of other formats
/// (`backprop_core::tflite`) matches a file's operators against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayerSpec {
    /// Its name in the spec: `hidden`.
    pub name: &'static str,
    /// Its kind and arguments as the spec writes them, options that keep their default left out:
    /// `dense(2, relu)`, `conv1d(8, 3, relu, stride = 2, padding = 1)`, `max_pool1d(2)`.
    pub spec: &'static str,
    /// The shape it reads: `[width]`, or a signal's `[channels, length]`.
    pub input: &'static [usize],
    /// The shape it writes, as `input`.
    pub output: &'static [usize],
}

/// Implemented by `network!` for every network it declares.
///
/// The parameters are exposed as flat slices, one per entry of `TENSORS`, layer by layer, each
/// layer's tensors in order (a dense layer's weights row by row, then its bias). Indexing by tensor lets code walk several values of the same network
/// type in step (parameters, gradient, optimizer moments) with no heap, no `unsafe` and a tight
/// inner loop over each slice:
///
/// ```
/// use backprop_core::{Network, Scalar};
///
/// /// `net -= learning_rate * gradient`, for any float network.
/// fn descend<N: Network<Scalar: Scalar>>(net: &mut N, gradient: &N, learning_rate: N::Scalar) {
///     for tensor in 0..N::TENSORS.len() {
///         let gradient = gradient.tensor(tensor);
///         for (parameter, slope) in net.tensor_mut(tensor).iter_mut().zip(gradient) {
///             *parameter -= learning_rate * *slope;
///         }
///     }
/// }
/// ```
pub trait Network: Sized {
    /// The number type of every parameter.
    type Scalar: Number;
    /// One sample: `[Scalar; INPUTS]`, or a signal `[[Scalar; L]; C]`.
    type Input: Copy + Array<Self::Scalar>;
    /// `[Scalar; OUTPUTS]`, also the type of a target.
    type Output: Copy + Array<Self::Scalar>;
    /// Number of inputs (every scalar of one sample).
    const INPUTS: usize;
    /// Number of outputs.
    const OUTPUTS: usize;
    /// Number of parameters: every weight and bias.
    const PARAMETERS: usize;
    /// Every parameter tensor, in order: layer by layer, each layer's as its kind lists them.
    const TENSORS: &'static [Tensor];
    /// Every layer, in order, as the spec declares it.
    const LAYERS: &'static [LayerSpec];

    /// A network whose every parameter is zero.
    fn zeroed() -> Self;

    /// Parameter tensor `index` (of [`Network::TENSORS`]) as a flat slice, row-major; empty past
    /// the last one.
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
