//! One SGD step of the notebook's 2-2-1 ReLU net (f64), printed: backprop.

use backprop_core::{Dense, network};
use std::hint::black_box;

network! {
    struct Notebook {
        scalar: f64,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {
    // black_box: the weights and the sample are run-time values, as in the frameworks' programs.
    let mut net = black_box(Notebook {
        hidden: Dense {
            weights: [[1.0, 1.0], [0.5, -0.5]],
            bias: [0.5, 0.0],
        },
        output: Dense {
            weights: [[1.0, 1.0]],
            bias: [0.5],
        },
    });
    let (input, target) = black_box(([1.0, 0.0], [2.0]));
    let (loss, gradient) = net.gradient(&input, &target);
    net.sgd_step(&gradient, 0.01);
    println!("loss {loss}");
    println!("hidden {:?} {:?}", net.hidden.weights, net.hidden.bias);
    println!("output {:?} {:?}", net.output.weights, net.output.bias);
}
