//! The signal nets in burn 0.22 on its Flex backend with autodiff: `nn::conv::Conv1d`,
//! `nn::pool::MaxPool1d`, `mean_dim`, `nn::Gru` (reset after the product, torch's GRU; its
//! reset, update and new gates each a pair of `Linear`s holding our weights transposed),
//! `nn::Linear`, `CrossEntropyLoss` from the logits, `GradientsParams::from_grads` and
//! `Sgd::step`.

use super::{Motion, SignalCase, Vowels};
use backprop_core::Network;
use burn::module::Param;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::pool::{MaxPool1d, MaxPool1dConfig};
use burn::nn::{Gru, GruConfig, Linear, PaddingConfig1d};
use burn::optim::{GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use burn::tensor::activation::relu;

/// BasicMotions' net as a burn module.
#[derive(Module, Debug)]
pub struct MotionModule {
    c1: Conv1d,
    p1: MaxPool1d,
    c2: Conv1d,
    output: Linear,
}

/// JapaneseVowels' net as a burn module.
#[derive(Module, Debug)]
pub struct VowelsModule {
    gru: Gru,
    output: Linear,
}

/// What a signal module computes: the logits of a batch.
pub trait Logits: Module {
    /// The logits of `x`.
    fn logits(&self, x: Tensor<3>) -> Tensor<2>;
}

impl Logits for MotionModule {
    fn logits(&self, x: Tensor<3>) -> Tensor<2> {
        let y = self.p1.forward(relu(self.c1.forward(x)));
        let y = relu(self.c2.forward(y)).mean_dim(2);
        self.output.forward(y.squeeze_dim(2))
    }
}

impl Logits for VowelsModule {
    fn logits(&self, x: Tensor<3>) -> Tensor<2> {
        let [batch, steps, units] = [x.dims()[0], x.dims()[1], 24];
        let states = self.gru.forward(x, None);
        let last = states.narrow(1, steps - 1, 1).reshape([batch, units]);
        self.output.forward(last)
    }
}

/// A signal net in burn with its batch and SGD.
pub struct BurnSignal<M> {
    model: Option<M>,
    sgd: ModuleOptimizer,
    learning_rate: f64,
    x: Tensor<3>,
    labels: Tensor<1, Int>,
}

fn device() -> Device {
    Device::flex().autodiff()
}

/// A tensor of the case's net, of shape `D`.
fn tensor<N: Network<Scalar = f32>, const D: usize>(
    case: &SignalCase<N>,
    k: usize,
    shape: [usize; D],
) -> Tensor<D> {
    Tensor::from_data(TensorData::new(case.tensor(k), shape), &device())
}

/// A `Linear` of `inputs x outputs` from our `[outputs][inputs]` weights (tensor `w`) and bias.
fn linear(weights: Vec<f32>, bias: Vec<f32>, inputs: usize, outputs: usize) -> Linear {
    let transposed: Vec<f32> = (0..inputs)
        .flat_map(|i| (0..outputs).map(move |j| (i, j)))
        .map(|(i, j)| weights[j * inputs + i])
        .collect();
    Linear {
        weight: Param::from_tensor(Tensor::from_data(
            TensorData::new(transposed, [inputs, outputs]),
            &device(),
        )),
        bias: Some(Param::from_tensor(Tensor::from_data(
            TensorData::new(bias, [outputs]),
            &device(),
        ))),
    }
}

fn batch<N: Network<Scalar = f32>>(
    case: &SignalCase<N>,
    shape: [usize; 3],
) -> (Tensor<3>, Tensor<1, Int>) {
    let x = Tensor::from_data(TensorData::new(case.flat_inputs(), shape), &device());
    #[allow(clippy::cast_possible_wrap)]
    let labels: Vec<i64> = case.labels().into_iter().map(|l| l as i64).collect();
    let count = labels.len();
    (
        x,
        Tensor::from_data(TensorData::new(labels, [count]), &device()),
    )
}

impl BurnSignal<MotionModule> {
    /// The BasicMotions net.
    pub fn motion(case: &SignalCase<Motion>) -> Self {
        let device = device();
        let mut c1 = Conv1dConfig::new(6, 8, 5)
            .with_stride(2)
            .with_padding(PaddingConfig1d::Explicit(2, 2))
            .init(&device);
        c1.weight = Param::from_tensor(tensor(case, 0, [8, 6, 5]));
        c1.bias = Some(Param::from_tensor(tensor(case, 1, [8])));
        let mut c2 = Conv1dConfig::new(8, 16, 5)
            .with_padding(PaddingConfig1d::Explicit(2, 2))
            .init(&device);
        c2.weight = Param::from_tensor(tensor(case, 2, [16, 8, 5]));
        c2.bias = Some(Param::from_tensor(tensor(case, 3, [16])));
        let model = MotionModule {
            c1,
            p1: MaxPool1dConfig::new(2).init(),
            c2,
            output: linear(case.tensor(4), case.tensor(5), 16, 4),
        };
        let (x, labels) = batch(case, [case.inputs.len(), 6, 100]);
        Self::new(model, x, labels, case.learning_rate)
    }
}

impl BurnSignal<VowelsModule> {
    /// The JapaneseVowels net.
    pub fn vowels(case: &SignalCase<Vowels>) -> Self {
        let mut gru = GruConfig::new(12, 24, true).init(&device());
        let (wi, wh, bi, bh) = (
            case.tensor(0),
            case.tensor(1),
            case.tensor(2),
            case.tensor(3),
        );
        // Torch's gate g: rows g H .. (g + 1) H of each tensor (r, z, n).
        let gate = |g: usize| {
            let rows = |t: &[f32], width: usize| t[g * 24 * width..(g + 1) * 24 * width].to_vec();
            burn::nn::GateController {
                input_transform: linear(rows(&wi, 12), rows(&bi, 1), 12, 24),
                hidden_transform: linear(rows(&wh, 24), rows(&bh, 1), 24, 24),
            }
        };
        gru.reset_gate = gate(0);
        gru.update_gate = gate(1);
        gru.new_gate = gate(2);
        let model = VowelsModule {
            gru,
            output: linear(case.tensor(4), case.tensor(5), 24, 9),
        };
        // Our samples are [channels][steps]; the GRU reads [batch, steps, features].
        let (x, labels) = batch(case, [case.inputs.len(), 12, 29]);
        Self::new(model, x.swap_dims(1, 2), labels, case.learning_rate)
    }
}

impl<M: Logits> BurnSignal<M> {
    fn new(model: M, x: Tensor<3>, labels: Tensor<1, Int>, learning_rate: f64) -> Self {
        Self {
            model: Some(model),
            sgd: SgdConfig::new().init(),
            learning_rate,
            x,
            labels,
        }
    }

    /// One training step on the batch; the loss before it.
    pub fn step(&mut self) -> f32 {
        let model = self.model.take().expect("model");
        let logits = model.logits(self.x.clone());
        let loss = CrossEntropyLossConfig::new()
            .init(&self.x.device())
            .forward(logits, self.labels.clone());
        let value = loss.clone().into_scalar::<f32>();
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        self.model = Some(self.sgd.step(self.learning_rate, model, gradients));
        value
    }
}
