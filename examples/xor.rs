//! Trains a 2-4-1 net on XOR with plain per-sample SGD until its mean loss is under 0.01, then
//! prints its four predictions.

use backprop_core::{Dense, network};

network! {
    /// XOR: two tanh hidden nodes would do; four make training quick and reliable.
    pub struct Xor {
        input: 2,
        hidden: dense(4, tanh),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

const SAMPLES: [([f64; 2], [f64; 1]); 4] = [
    ([0.0, 0.0], [0.0]),
    ([0.0, 1.0], [1.0]),
    ([1.0, 0.0], [1.0]),
    ([1.0, 1.0], [0.0]),
];

fn mean_loss(net: &Xor) -> f64 {
    SAMPLES
        .iter()
        .map(|(input, target)| net.loss(input, target))
        .sum::<f64>()
        / 4.0
}

fn main() {
    // Small, asymmetric starting weights: identical ones would keep the hidden nodes identical.
    let mut net = Xor {
        hidden: Dense {
            weights: [[0.5, -0.4], [-0.3, 0.6], [0.7, 0.2], [-0.6, -0.5]],
            bias: [0.1, -0.1, 0.05, 0.0],
        },
        output: Dense {
            weights: [[0.4, -0.3, 0.2, 0.5]],
            bias: [0.0],
        },
    };
    let learning_rate = 0.2;
    let mut epoch = 0;
    while mean_loss(&net) >= 0.01 {
        assert!(
            epoch < 20_000,
            "XOR did not train: mean loss {} after {epoch} epochs",
            mean_loss(&net)
        );
        for (input, target) in &SAMPLES {
            let (_, gradient) = net.gradient(input, target);
            net.sgd_step(&gradient, learning_rate);
        }
        epoch += 1;
        if epoch % 100 == 0 {
            println!("epoch {epoch:>5}: mean loss {:.5}", mean_loss(&net));
        }
    }
    println!(
        "reached mean loss {:.5} after {epoch} epochs\n",
        mean_loss(&net)
    );
    for (input, target) in &SAMPLES {
        println!(
            "xor({}, {}) = {:.4} (target {})",
            input[0],
            input[1],
            net.forward(input)[0],
            target[0]
        );
    }
}
