//! candle 0.11 on `Device::Cpu`: each layer a `candle_nn::Linear` over two `Var`s, the batch as
//! tensors made once, a step as the forward pass, the loss (`candle_nn::loss::mse` and
//! `cross_entropy`), and `SGD::backward_step` (backward, then `var - lr * grad` for every var).

use crate::{Case, Kind, Layer, Trainer};
use backprop_core::{Network, Number, Scalar};
use candle_core::{Device, Tensor, Var, WithDType};
use candle_nn::{Module, Optimizer, SGD};
use std::marker::PhantomData;

/// A candle model with its optimizer and batch.
pub struct Candle<E> {
    vars: Vec<(Var, Var)>,
    linears: Vec<candle_nn::Linear>,
    kind: Kind,
    sgd: SGD,
    x: Tensor,
    t: Tensor,
    labels: Tensor,
    scalar: PhantomData<E>,
}

impl<E: Scalar + WithDType> Candle<E> {
    /// The case's net in candle, with its weights, batch and SGD.
    ///
    /// # Panics
    /// If candle fails to make a tensor.
    pub fn new<N: Network<Scalar = E>>(case: &Case<N>) -> Self {
        let device = Device::Cpu;
        let vars: Vec<(Var, Var)> = crate::layers(case.net.as_ref())
            .into_iter()
            .map(|layer| {
                let weight = Var::from_vec(layer.weights, (layer.outputs, layer.inputs), &device);
                let bias = Var::from_vec(layer.bias, layer.outputs, &device);
                (weight.expect("weights"), bias.expect("bias"))
            })
            .collect();
        let linears = vars
            .iter()
            .map(|(w, b)| {
                candle_nn::Linear::new(w.as_tensor().clone(), Some(b.as_tensor().clone()))
            })
            .collect();
        let all = vars
            .iter()
            .flat_map(|(w, b)| [w.clone(), b.clone()])
            .collect();
        let sgd = SGD::new(all, case.learning_rate).expect("sgd");
        let batch = case.batch();
        let x = Tensor::from_vec(case.flat_inputs(), (batch, N::INPUTS), &device).expect("x");
        let t = Tensor::from_vec(case.flat_targets(), (batch, N::OUTPUTS), &device).expect("t");
        #[allow(clippy::cast_possible_truncation)]
        let labels: Vec<u32> = case.labels().into_iter().map(|l| l as u32).collect();
        let labels = Tensor::from_vec(labels, batch, &device).expect("labels");
        Self {
            vars,
            linears,
            kind: case.kind,
            sgd,
            x,
            t,
            labels,
            scalar: PhantomData,
        }
    }

    /// The logits (the output before the softmax for the classifier).
    fn logits(&self) -> candle_core::Result<Tensor> {
        let mut y = self.x.clone();
        let last = self.linears.len() - 1;
        for (l, linear) in self.linears.iter().enumerate() {
            y = linear.forward(&y)?;
            y = match (self.kind, l == last) {
                (Kind::Notebook, _) | (Kind::Classifier, false) => y.relu()?,
                (Kind::Regression, false) => y.tanh()?,
                (Kind::Regression | Kind::Classifier, true) => y,
            };
        }
        Ok(y)
    }

    fn try_forward(&self) -> candle_core::Result<Vec<E>> {
        let y = self.logits()?;
        let y = if self.kind == Kind::Classifier {
            candle_nn::ops::softmax(&y, 1)?
        } else {
            y
        };
        y.flatten_all()?.to_vec1::<E>()
    }

    fn try_step(&mut self) -> candle_core::Result<E> {
        let y = self.logits()?;
        let loss = match self.kind {
            Kind::Notebook => (y - &self.t)?.sqr()?.sum_all()?,
            Kind::Regression => candle_nn::loss::mse(&y, &self.t)?,
            Kind::Classifier => candle_nn::loss::cross_entropy(&y, &self.labels)?,
        };
        let value = loss.to_scalar::<E>()?;
        self.sgd.backward_step(&loss)?;
        Ok(value)
    }
}

impl<E: Scalar + WithDType> Trainer for Candle<E> {
    type Scalar = E;

    fn forward(&mut self) -> Vec<E> {
        self.try_forward().expect("candle forward")
    }

    fn step(&mut self) -> E {
        self.try_step().expect("candle step")
    }

    fn layers(&self) -> Vec<Layer<E>> {
        self.vars
            .iter()
            .map(|(w, b)| {
                let (outputs, inputs) = w.dims2().expect("2-d weights");
                Layer {
                    inputs,
                    outputs,
                    weights: w.flatten_all().and_then(|w| w.to_vec1()).expect("weights"),
                    bias: b.to_vec1().expect("bias"),
                }
            })
            .collect()
    }
}
