//! Our side: the generated `forward`, `gradient` + `sgd_step` at batch 1, `batch_gradient` +
//! `sgd_step` for a mini-batch.

use crate::{Case, Classifier, Layer, Notebook, Regression, Trainer, layers};
use backprop_core::{Network, Scalar};

/// One of our nets with a case's batch.
#[derive(Debug, Clone)]
pub struct Ours<N: Network> {
    /// The net.
    pub net: Box<N>,
    inputs: Vec<N::Input>,
    targets: Vec<N::Output>,
    learning_rate: N::Scalar,
}

impl<N: Network + Clone> Ours<N> {
    /// The case's net and batch.
    pub fn new(case: &Case<N>) -> Self {
        Self {
            net: case.net.clone(),
            inputs: case.inputs.clone(),
            targets: case.targets.clone(),
            learning_rate: N::Scalar::from_f64(case.learning_rate),
        }
    }
}

macro_rules! trainer {
    ($($net:ident),*) => {$(
        impl Trainer for Ours<$net> {
            type Scalar = <$net as Network>::Scalar;

            fn forward(&mut self) -> Vec<Self::Scalar> {
                self.inputs.iter().flat_map(|x| self.net.forward(x)).collect()
            }

            fn step(&mut self) -> Self::Scalar {
                if let ([input], [target]) = (&self.inputs[..], &self.targets[..]) {
                    let (loss, gradient) = self.net.gradient(input, target);
                    self.net.sgd_step(&gradient, self.learning_rate);
                    loss
                } else {
                    let (loss, gradient) = self.net.batch_gradient(&self.inputs, &self.targets);
                    self.net.sgd_step(&gradient, self.learning_rate);
                    loss
                }
            }

            fn layers(&self) -> Vec<Layer<Self::Scalar>> {
                layers(self.net.as_ref())
            }
        }
    )*};
}

trainer!(Notebook, Regression, Classifier);
