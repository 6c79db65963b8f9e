//! One SGD step of the notebook's 2-2-1 ReLU net (f64), printed: dfdx.

use dfdx::optim::{Sgd, SgdConfig};
use dfdx::prelude::*;

type Notebook = ((Linear<2, 2>, ReLU), (Linear<2, 1>, ReLU));

fn main() {
    let dev = Cpu::default();
    let mut net = dev.build_module::<Notebook, f64>();
    net.0.0.weight = dev.tensor([[1.0, 1.0], [0.5, -0.5]]);
    net.0.0.bias = dev.tensor([0.5, 0.0]);
    net.1.0.weight = dev.tensor([[1.0, 1.0]]);
    net.1.0.bias = dev.tensor([0.5]);
    let mut sgd = Sgd::new(
        &net,
        SgdConfig {
            lr: 0.01,
            momentum: None,
            weight_decay: None,
        },
    );
    let grads = net.alloc_grads();
    let input = dev.tensor([1.0, 0.0]);
    let target = dev.tensor([2.0]);
    let output = net.forward_mut(input.trace(grads));
    let loss = (output - target).square().sum::<Rank0, _>();
    println!("loss {}", loss.array());
    let grads = loss.backward();
    sgd.update(&mut net, &grads)
        .expect("every parameter has a gradient");
    println!(
        "hidden {:?} {:?}",
        net.0.0.weight.array(),
        net.0.0.bias.array()
    );
    println!(
        "output {:?} {:?}",
        net.1.0.weight.array(),
        net.1.0.bias.array()
    );
}
