//! The main job: the notebook's 2-2-1 ReLU net, one SGD step at learning rate 0.01 on input
//! (1, 0) with target 2, printed the way the notebook prints it.
//!
//! The notebook names the weights w1..w6 by the edge they sit on: w1 and w3 feed hidden node 1
//! from inputs 1 and 2, w2 and w4 feed hidden node 2, w5 and w6 feed the output node. Here each
//! node's weights form one row, so `hidden.weights` is `[[w1, w3], [w2, w4]]`.

use backprop_core::{Dense, network};

network! {
    /// The 2-2-1 ReLU net from the notebook.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Notebook {
        scalar: f64,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {
    let mut net = Notebook {
        hidden: Dense {
            weights: [[1.0, 1.0], [0.5, -0.5]],
            bias: [0.5, 0.0],
        },
        output: Dense {
            weights: [[1.0, 1.0]],
            bias: [0.5],
        },
    };
    let (input, target) = ([1.0, 0.0], [2.0]);

    println!("prediction: {:?}", net.forward(&input)[0]);
    let (loss, gradient) = net.gradient(&input, &target);
    println!("loss: {loss:?}");
    net.sgd_step(&gradient, 0.01);

    // `{:?}` prints an f64 as Python does: the shortest text that reads back exactly, `1.0` not `1`.
    let [[w1, w3], [w2, w4]] = net.hidden.weights;
    let [[w5, w6]] = net.output.weights;
    let [b1, b2] = net.hidden.bias;
    let [b3] = net.output.bias;
    for (name, value) in [
        ("W1", w1),
        ("W2", w2),
        ("W3", w3),
        ("W4", w4),
        ("W5", w5),
        ("W6", w6),
    ] {
        println!("{name}: {value:?}");
    }
    for (name, value) in [("B1", b1), ("B2", b2), ("B3", b3)] {
        println!("{name}: {value:?}");
    }

    println!(
        "\nHow the derivatives were computed:\n\n{}",
        Notebook::DERIVATION
    );
}
