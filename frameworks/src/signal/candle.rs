//! The signal nets in candle 0.11 on `Device::Cpu`: `Tensor::conv1d`, max pooling as candle's
//! `max_pool2d_with_stride` over a `[B, C, 1, L]` view (candle has no 1-d pooling),
//! `candle_nn::rnn::gru` (torch's layout and gates) read through a `VarBuilder` over our
//! weights, `candle_nn::Linear`, `candle_nn::loss::cross_entropy` and `SGD::backward_step`.

use super::{Motion, SignalCase, Vowels};
use backprop_core::Network;
use candle_core::{Device, Result, Tensor, Var};
use candle_nn::rnn::{GRUConfig, RNN};
use candle_nn::{Module, Optimizer, SGD};
use std::collections::HashMap;

/// Which signal net.
enum Net {
    /// Two convolutions: the weights and biases of `c1` and `c2`.
    Motion,
    /// The GRU, read from the vars.
    Vowels(candle_nn::rnn::GRU),
}

/// A signal net in candle with its batch and SGD.
pub struct CandleSignal {
    net: Net,
    vars: Vec<Var>,
    sgd: SGD,
    x: Tensor,
    labels: Tensor,
}

/// Every tensor of the case's net as a var of its shape.
fn vars<N: Network<Scalar = f32>>(case: &SignalCase<N>, shapes: &[&[usize]]) -> Result<Vec<Var>> {
    shapes
        .iter()
        .enumerate()
        .map(|(k, shape)| Var::from_vec(case.tensor(k), *shape, &Device::Cpu))
        .collect()
}

fn labels(labels: Vec<usize>) -> Result<Tensor> {
    let count = labels.len();
    #[allow(clippy::cast_possible_truncation)]
    let labels: Vec<u32> = labels.into_iter().map(|l| l as u32).collect();
    Tensor::from_vec(labels, count, &Device::Cpu)
}

impl CandleSignal {
    /// The BasicMotions net.
    ///
    /// # Panics
    /// If candle fails to make a tensor.
    pub fn motion(case: &SignalCase<Motion>) -> Self {
        let batch = case.inputs.len();
        let vars = vars(
            case,
            &[&[8, 6, 5], &[8], &[16, 8, 5], &[16], &[4, 16], &[4]],
        )
        .expect("vars");
        let x = Tensor::from_vec(case.flat_inputs(), (batch, 6, 100), &Device::Cpu).expect("x");
        Self::new(
            Net::Motion,
            vars,
            x,
            labels(case.labels()).expect("labels"),
            case.learning_rate,
        )
    }

    /// The JapaneseVowels net.
    ///
    /// # Panics
    /// If candle fails to make a tensor.
    pub fn vowels(case: &SignalCase<Vowels>) -> Self {
        let batch = case.inputs.len();
        let vars = vars(case, &[&[72, 12], &[72, 24], &[72], &[72], &[9, 24], &[9]]).expect("vars");
        let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"];
        let tensors: HashMap<String, Tensor> = names
            .iter()
            .zip(&vars)
            .map(|(name, var)| ((*name).to_string(), var.as_tensor().clone()))
            .collect();
        let vb =
            candle_nn::VarBuilder::from_tensors(tensors, candle_core::DType::F32, &Device::Cpu);
        let gru = candle_nn::rnn::gru(12, 24, GRUConfig::default(), vb).expect("gru");
        // Our samples are [channels][steps]; the GRU reads [batch, steps, features].
        let x = Tensor::from_vec(case.flat_inputs(), (batch, 12, 29), &Device::Cpu)
            .and_then(|x| x.transpose(1, 2)?.contiguous())
            .expect("x");
        Self::new(
            Net::Vowels(gru),
            vars,
            x,
            labels(case.labels()).expect("labels"),
            case.learning_rate,
        )
    }

    fn new(net: Net, vars: Vec<Var>, x: Tensor, labels: Tensor, learning_rate: f64) -> Self {
        let sgd = SGD::new(vars.clone(), learning_rate).expect("sgd");
        Self {
            net,
            vars,
            sgd,
            x,
            labels,
        }
    }

    fn logits(&self) -> Result<Tensor> {
        let v = |k: usize| self.vars[k].as_tensor();
        match &self.net {
            Net::Motion => {
                let batch = self.x.dim(0)?;
                let y = self.x.conv1d(v(0), 2, 2, 1, 1)?;
                let y = y.broadcast_add(&v(1).reshape((1, 8, 1))?)?.relu()?;
                let y = y
                    .reshape((batch, 8, 1, 50))?
                    .max_pool2d_with_stride((1, 2), (1, 2))?;
                let y = y.reshape((batch, 8, 25))?.conv1d(v(2), 2, 1, 1, 1)?;
                let y = y.broadcast_add(&v(3).reshape((1, 16, 1))?)?.relu()?;
                let y = y.mean(2)?;
                candle_nn::Linear::new(v(4).clone(), Some(v(5).clone())).forward(&y)
            }
            Net::Vowels(gru) => {
                let states = gru.seq(&self.x)?;
                let last = &states.last().expect("29 steps").h;
                candle_nn::Linear::new(v(4).clone(), Some(v(5).clone())).forward(last)
            }
        }
    }

    fn try_step(&mut self) -> Result<f32> {
        let loss = candle_nn::loss::cross_entropy(&self.logits()?, &self.labels)?;
        let value = loss.to_scalar::<f32>()?;
        self.sgd.backward_step(&loss)?;
        Ok(value)
    }

    /// One training step on the batch; the loss before it.
    ///
    /// # Panics
    /// If candle fails.
    pub fn step(&mut self) -> f32 {
        self.try_step().expect("candle step")
    }

    /// Every parameter, tensor after tensor in our order (torch's layouts).
    ///
    /// # Panics
    /// If candle fails to read a var.
    pub fn parameters(&self) -> Vec<f32> {
        self.vars
            .iter()
            .flat_map(|v| {
                v.flatten_all()
                    .and_then(|v| v.to_vec1::<f32>())
                    .expect("var")
            })
            .collect()
    }
}
