//! One SGD step of the notebook's 2-2-1 ReLU net (f64), printed: burn on Flex with autodiff.

use burn::module::Param;
use burn::nn::Linear;
use burn::optim::{GradientsParams, SgdConfig};
use burn::prelude::*;
use burn::tensor::DType;
use burn::tensor::activation::relu;

#[derive(Module, Debug)]
struct Notebook {
    hidden: Linear,
    output: Linear,
}

fn linear<const D: usize>(weight: [[f64; D]; 2], bias: [f64; D], device: &Device) -> Linear {
    // burn stores a layer's weights as inputs x outputs.
    let options = (device, DType::F64);
    Linear {
        weight: Param::from_tensor(Tensor::from_data(weight, options)),
        bias: Some(Param::from_tensor(Tensor::from_data(bias, options))),
    }
}

fn main() {
    let device = Device::flex().autodiff();
    let net = Notebook {
        hidden: linear([[1.0, 0.5], [1.0, -0.5]], [0.5, 0.0], &device),
        output: linear([[1.0], [1.0]], [0.5], &device),
    };
    let mut sgd = SgdConfig::new().init();
    let input = Tensor::<2>::from_data([[1.0, 0.0]], (&device, DType::F64));
    let target = Tensor::<2>::from_data([[2.0]], (&device, DType::F64));
    let y = relu(net.output.forward(relu(net.hidden.forward(input))));
    let loss = (y - target).square().sum();
    println!("loss {}", loss.clone().into_scalar::<f64>());
    let grads = GradientsParams::from_grads(loss.backward(), &net);
    let net = sgd.step(0.01, net, grads);
    // burn stores weights as inputs x outputs: [W1, W2, W3, W4] for the hidden layer.
    let show = |t: Tensor<2>| t.into_data().try_to_vec::<f64>().expect("f64");
    let bias = |l: &Linear| {
        l.bias
            .as_ref()
            .expect("bias")
            .val()
            .into_data()
            .try_to_vec::<f64>()
    };
    println!(
        "hidden {:?} {:?}",
        show(net.hidden.weight.val()),
        bias(&net.hidden).expect("f64")
    );
    println!(
        "output {:?} {:?}",
        show(net.output.weight.val()),
        bias(&net.output).expect("f64")
    );
}
