//! burn 0.22 on its Flex backend (pure-Rust CPU, `Device::flex()`) with autodiff
//! (`.autodiff()`): each layer a `burn::nn::Linear` (weights stored `inputs x outputs`), the batch
//! as tensors made once, a step as the forward pass, the loss (`MseLoss`, `CrossEntropyLoss` from
//! the logits), `backward`, `GradientsParams::from_grads` and `Sgd::step` (its documented custom
//! training loop). The notebook runs in `f64`: every tensor is made with `DType::F64`.

use crate::{Case, Kind, Layer, Trainer};
use backprop_core::{Network, Number, Scalar};
use burn::module::Param;
use burn::nn::Linear;
use burn::nn::loss::{CrossEntropyLossConfig, MseLoss, Reduction};
use burn::optim::{GradientsParams, ModuleOptimizer, SgdConfig};
use burn::prelude::*;
use burn::tensor::Element;
use burn::tensor::activation::{relu, softmax, tanh};
use std::marker::PhantomData;

/// The layers of a net, as one burn module.
#[derive(Module, Debug)]
pub struct Mlp {
    /// The dense layers, in order.
    pub layers: Vec<Linear>,
}

/// A burn model with its optimizer and batch.
pub struct Burn<E> {
    model: Option<Mlp>,
    kind: Kind,
    sgd: ModuleOptimizer,
    learning_rate: f64,
    x: Tensor<2>,
    t: Tensor<2>,
    labels: Tensor<1, Int>,
    scalar: PhantomData<E>,
}

impl Mlp {
    /// The logits (the output before the softmax for the classifier).
    pub fn logits(&self, kind: Kind, x: Tensor<2>) -> Tensor<2> {
        let mut y = x;
        let last = self.layers.len() - 1;
        for (l, linear) in self.layers.iter().enumerate() {
            y = linear.forward(y);
            y = match (kind, l == last) {
                (Kind::Notebook, _) | (Kind::Classifier, false) => relu(y),
                (Kind::Regression, false) => tanh(y),
                (Kind::Regression | Kind::Classifier, true) => y,
            };
        }
        y
    }
}

impl<E: Scalar + Element> Burn<E> {
    /// The case's net in burn (Flex with autodiff), with its weights, batch and SGD.
    pub fn new<N: Network<Scalar = E>>(case: &Case<N>) -> Self {
        let device = Device::flex().autodiff();
        let options = (&device, E::dtype());
        let layers = crate::layers(case.net.as_ref())
            .into_iter()
            .map(|layer| {
                let weight = TensorData::new(layer.transposed(), [layer.inputs, layer.outputs]);
                let bias = TensorData::new(layer.bias, [layer.outputs]);
                Linear {
                    weight: Param::from_tensor(Tensor::from_data(weight, options)),
                    bias: Some(Param::from_tensor(Tensor::from_data(bias, options))),
                }
            })
            .collect();
        let batch = case.batch();
        let x = Tensor::from_data(
            TensorData::new(case.flat_inputs(), [batch, N::INPUTS]),
            options,
        );
        let t = Tensor::from_data(
            TensorData::new(case.flat_targets(), [batch, N::OUTPUTS]),
            options,
        );
        let labels: Vec<i64> = case.labels().into_iter().map(|l| l as i64).collect();
        let labels = Tensor::from_data(TensorData::new(labels, [batch]), &device);
        Self {
            model: Some(Mlp { layers }),
            kind: case.kind,
            sgd: SgdConfig::new().init(),
            learning_rate: case.learning_rate,
            x,
            t,
            labels,
            scalar: PhantomData,
        }
    }

    fn model(&self) -> &Mlp {
        self.model.as_ref().expect("model")
    }

    /// The model without autodiff, and the batch on the plain device: what inference runs on.
    pub fn inference(&self) -> Inference<E> {
        Inference {
            model: self.model().valid(),
            kind: self.kind,
            x: self.x.clone().inner(),
            scalar: PhantomData,
        }
    }
}

/// A burn model for inference (no autodiff), with its batch.
pub struct Inference<E> {
    model: Mlp,
    kind: Kind,
    x: Tensor<2>,
    scalar: PhantomData<E>,
}

impl<E: Element> Inference<E> {
    /// The outputs for the batch, after the softmax for the classifier.
    pub fn forward(&self) -> Vec<E> {
        let y = self.model.logits(self.kind, self.x.clone());
        let y = if self.kind == Kind::Classifier {
            softmax(y, 1)
        } else {
            y
        };
        y.into_data().try_to_vec::<E>().expect("outputs")
    }
}

impl<E: Scalar + Element> Trainer for Burn<E> {
    type Scalar = E;

    fn forward(&mut self) -> Vec<E> {
        self.inference().forward()
    }

    fn step(&mut self) -> E {
        let model = self.model.take().expect("model");
        let y = model.logits(self.kind, self.x.clone());
        let loss = match self.kind {
            Kind::Notebook => (y - self.t.clone()).square().sum(),
            Kind::Regression => MseLoss::new().forward(y, self.t.clone(), Reduction::Mean),
            Kind::Classifier => CrossEntropyLossConfig::new()
                .init(&self.x.device())
                .forward(y, self.labels.clone()),
        };
        let value = loss.clone().into_scalar::<E>();
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        self.model = Some(self.sgd.step(self.learning_rate, model, gradients));
        value
    }

    fn layers(&self) -> Vec<Layer<E>> {
        self.model()
            .layers
            .iter()
            .map(|linear| {
                let [inputs, outputs] = linear.weight.dims();
                let weights = linear
                    .weight
                    .val()
                    .into_data()
                    .try_to_vec::<E>()
                    .expect("weights");
                let bias = linear.bias.as_ref().expect("bias").val();
                let bias = bias.into_data().try_to_vec::<E>().expect("bias");
                Layer::from_transposed(inputs, outputs, &weights, bias)
            })
            .collect()
    }
}
