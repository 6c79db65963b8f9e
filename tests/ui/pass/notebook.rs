//! The notebook's net: one SGD step reproduces the notebook's nine printed values exactly.
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
        hidden: Dense { weights: [[1.0, 1.0], [0.5, -0.5]], bias: [0.5, 0.0] },
        output: Dense { weights: [[1.0, 1.0]], bias: [0.5] },
    };
    assert_eq!((Notebook::INPUTS, Notebook::OUTPUTS, Notebook::PARAMETERS), (2, 1, 9));
    assert_eq!(core::mem::size_of::<Notebook>(), 9 * core::mem::size_of::<f64>());
    assert_eq!(net.forward(&[1.0, 0.0]), [2.5]);
    assert_eq!(net.loss(&[1.0, 0.0], &[2.0]), 0.25);

    let (loss, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);
    assert_eq!(loss, 0.25);
    // The notebook's deriv_L_* values.
    assert_eq!(gradient.output.weights, [[1.5, 0.5]]);
    assert_eq!(gradient.output.bias, [1.0]);
    assert_eq!(gradient.hidden.weights, [[1.0, 0.0], [1.0, 0.0]]);
    assert_eq!(gradient.hidden.bias, [1.0, 1.0]);
    assert_eq!(net.input_gradient(&[1.0, 0.0], &[2.0]), [1.5, 0.5]);

    net.sgd_step(&gradient, 0.01);
    let printed = |value: f64| format!("{value:?}");
    let [[w1, w3], [w2, w4]] = net.hidden.weights;
    let [[w5, w6]] = net.output.weights;
    let (b1, b2, b3) = (net.hidden.bias[0], net.hidden.bias[1], net.output.bias[0]);
    let values = [w1, w2, w3, w4, w5, w6, b1, b2, b3].map(printed);
    assert_eq!(values, ["0.99", "0.49", "1.0", "-0.5", "0.985", "0.995", "0.49", "-0.01", "0.49"]);
}
