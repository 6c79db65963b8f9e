//! dfdx 0.13 on its `Cpu` device: the nets as tuples of `Linear` and activation modules, the
//! batch as `(usize, Const<N>)` tensors made once, a step as `forward_mut` on the traced input,
//! the loss, `backward`, `Sgd::update` and `zero_grads` (its documented training loop).

use crate::{Case, Classifier, Layer, Notebook, Regression, Trainer};
use backprop_core::Network;
use dfdx::nn::modules;
use dfdx::optim::{Sgd, SgdConfig};
use dfdx::prelude::*;

type NotebookModel = (
    (modules::Linear<2, 2, f64, Cpu>, modules::ReLU),
    (modules::Linear<2, 1, f64, Cpu>, modules::ReLU),
);
type NotebookArch = ((Linear<2, 2>, ReLU), (Linear<2, 1>, ReLU));

type RegressionModel = (
    (modules::Linear<64, 32, f32, Cpu>, modules::Tanh),
    (modules::Linear<32, 32, f32, Cpu>, modules::Tanh),
    modules::Linear<32, 1, f32, Cpu>,
);
type RegressionArch = (
    (Linear<64, 32>, Tanh),
    (Linear<32, 32>, Tanh),
    Linear<32, 1>,
);

type ClassifierModel = (
    (modules::Linear<784, 128, f32, Cpu>, modules::ReLU),
    modules::Linear<128, 10, f32, Cpu>,
);
type ClassifierArch = ((Linear<784, 128>, ReLU), Linear<128, 10>);

/// A dfdx model with its optimizer, gradients and batch.
pub struct Dfdx<M, E: Dtype, const I: usize, const O: usize> {
    model: M,
    grads: Option<Gradients<E, Cpu>>,
    sgd: Sgd<M, E, Cpu>,
    x: Tensor<(usize, Const<I>), E, Cpu>,
    t: Tensor<(usize, Const<O>), E, Cpu>,
}

fn load<const I: usize, const O: usize, E: Dtype>(
    linear: &mut modules::Linear<I, O, E, Cpu>,
    layer: &Layer<E>,
) {
    linear.weight.copy_from(&layer.weights);
    linear.bias.copy_from(&layer.bias);
}

fn save<const I: usize, const O: usize, E: Dtype>(
    linear: &modules::Linear<I, O, E, Cpu>,
) -> Layer<E> {
    Layer {
        inputs: I,
        outputs: O,
        weights: linear.weight.as_vec(),
        bias: linear.bias.as_vec(),
    }
}

macro_rules! dfdx_net {
    ($constructor:ident, $net:ty, $arch:ty, $model:ty, $e:ty, $i:literal, $o:literal,
     load: |$lm:ident, $ll:ident| $load:block,
     save: |$sm:ident| $save:expr,
     output: |$y:ident| $output:expr,
     loss: |$p:ident, $t:ident| $loss:expr) => {
        /// The case's net in dfdx, with its weights, batch and SGD.
        pub fn $constructor(case: &Case<$net>) -> Dfdx<$model, $e, $i, $o> {
            let dev = Cpu::default();
            let mut model = dev.build_module::<$arch, $e>();
            {
                let $lm = &mut model;
                let $ll = crate::layers(case.net.as_ref());
                $load
            }
            let sgd = Sgd::new(
                &model,
                SgdConfig { lr: case.learning_rate, momentum: None, weight_decay: None },
            );
            let grads = Some(model.alloc_grads());
            let x = dev.tensor_from_vec(case.flat_inputs(), (case.batch(), Const::<$i>));
            let t = dev.tensor_from_vec(case.flat_targets(), (case.batch(), Const::<$o>));
            Dfdx { model, grads, sgd, x, t }
        }

        impl Trainer for Dfdx<$model, $e, $i, $o> {
            type Scalar = $e;

            fn forward(&mut self) -> Vec<$e> {
                let $y = self.model.forward(self.x.clone());
                $output.as_vec()
            }

            fn step(&mut self) -> $e {
                let grads = self.grads.take().expect("gradients");
                let $p = self.model.forward_mut(self.x.trace(grads));
                let $t = self.t.clone();
                let loss = $loss;
                let value = loss.array();
                let mut grads = loss.backward();
                self.sgd.update(&mut self.model, &grads).expect("every parameter has a gradient");
                self.model.zero_grads(&mut grads);
                self.grads = Some(grads);
                value
            }

            fn layers(&self) -> Vec<Layer<$e>> {
                let $sm = &self.model;
                $save
            }
        }

        const _: () = assert!(<$net as Network>::INPUTS == $i && <$net as Network>::OUTPUTS == $o);
    };
}

dfdx_net!(notebook, Notebook, NotebookArch, NotebookModel, f64, 2, 1,
    load: |m, l| { load(&mut m.0.0, &l[0]); load(&mut m.1.0, &l[1]); },
    save: |m| vec![save(&m.0.0), save(&m.1.0)],
    output: |y| y,
    loss: |y, t| (y - t).square().sum::<Rank0, _>());

dfdx_net!(regression, Regression, RegressionArch, RegressionModel, f32, 64, 1,
    load: |m, l| { load(&mut m.0.0, &l[0]); load(&mut m.1.0, &l[1]); load(&mut m.2, &l[2]); },
    save: |m| vec![save(&m.0.0), save(&m.1.0), save(&m.2)],
    output: |y| y,
    loss: |y, t| mse_loss(y, t));

dfdx_net!(classifier, Classifier, ClassifierArch, ClassifierModel, f32, 784, 10,
    load: |m, l| { load(&mut m.0.0, &l[0]); load(&mut m.1, &l[1]); },
    save: |m| vec![save(&m.0.0), save(&m.1)],
    output: |y| y.softmax::<Axis<1>>(),
    loss: |y, t| cross_entropy_with_logits_loss(y, t));
