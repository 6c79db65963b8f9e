//! Our side, as a user writes it: `forward_batch` into an output buffer kept between calls,
//! `train_step` with plain `Sgd` at batch 1 (each parameter updated as its derivative is formed,
//! no gradient in memory), `train_batch` with `Sgd` and a gradient kept between steps for a
//! mini-batch. No call allocates.

use crate::{Case, Classifier, Layer, Notebook, Regression, Trainer, layers};
use backprop_core::Network;
use backprop_core::optim::Sgd;

/// One of our nets with a case's batch, its optimizer and the buffers a training loop keeps.
#[derive(Debug, Clone)]
pub struct Ours<N: Network<Scalar: backprop_core::Scalar>> {
    /// The net.
    pub net: Box<N>,
    inputs: Vec<N::Input>,
    targets: Vec<N::Output>,
    outputs: Vec<N::Output>,
    gradient: Box<N>,
    sgd: Sgd<N>,
}

impl<N: Network<Scalar: backprop_core::Scalar> + Clone> Ours<N> {
    /// The case's net and batch, an output buffer and a gradient for it.
    pub fn new(case: &Case<N>) -> Self {
        Self {
            net: case.net.clone(),
            inputs: case.inputs.clone(),
            targets: case.targets.clone(),
            outputs: case.targets.clone(),
            gradient: case.net.clone(),
            sgd: Sgd::new(case.learning_rate),
        }
    }

    /// The outputs for the batch, into the buffer kept between calls: `forward_batch`.
    pub fn forward_batch(&mut self) -> &[N::Output] {
        self.net.forward_batch(&self.inputs, &mut self.outputs);
        &self.outputs
    }
}

macro_rules! trainer {
    ($($net:ident),*) => {$(
        impl Ours<$net> {
            /// One SGD step: `train_step` for one sample, `train_batch` for a batch.
            pub fn train(&mut self) -> <$net as Network>::Scalar {
                if let ([input], [target]) = (&self.inputs[..], &self.targets[..]) {
                    self.net.train_step(input, target, &mut self.sgd)
                } else {
                    self.net.train_batch(&self.inputs, &self.targets, &mut self.sgd, &mut self.gradient)
                }
            }
        }

        impl Trainer for Ours<$net> {
            type Scalar = <$net as Network>::Scalar;

            fn forward(&mut self) -> Vec<Self::Scalar> {
                self.forward_batch().as_flattened().to_vec()
            }

            fn step(&mut self) -> Self::Scalar {
                self.train()
            }

            fn layers(&self) -> Vec<Layer<Self::Scalar>> {
                layers(self.net.as_ref())
            }
        }
    )*};
}

trainer!(Notebook, Regression, Classifier);
