//! The signal kinds compile from a user crate: a convolutional net and a recurrent net in one
//! file, their field types, sizes, a forward pass on known weights, and their gradients against
//! finite differences.
use backprop_core::{Conv1d, Dense, GlobalAvgPool1d, Gru, MaxPool1d, network};

network! {
    /// Two channels of six steps: convolved (padded), max-pooled, averaged over the steps, read out.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ConvNet {
        input: [2, 6],
        conv: conv1d(3, 3, relu, padding = 1),
        pool: max_pool1d(2),
        mean: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

network! {
    /// One feature over four steps: a GRU that writes every state, averaged over the steps, read out.
    #[derive(Debug, Clone, PartialEq)]
    pub struct GruNet {
        input: [1, 4],
        rnn: gru(2, sequence),
        mean: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn conv_net() {
    let mut net = ConvNet::zeroed();
    let _: &Conv1d<f64, 2, 3, 3, 1, 1> = &net.conv;
    let _: &MaxPool1d<2> = &net.pool;
    let _: &GlobalAvgPool1d = &net.mean;
    let _: &Dense<f64, 3, 1> = &net.output;
    // conv: 3 x 2 x 3 weights and 3 biases; output: 3 weights and a bias.
    assert_eq!((ConvNet::INPUTS, ConvNet::OUTPUTS, ConvNet::PARAMETERS), (12, 1, 25));

    // Output channel `o` is `o + 1` times input channel 0 (the middle tap, which reads step `t`).
    for o in 0..3 {
        net.conv.weights[o][0][1] = (o + 1) as f64;
    }
    net.output = Dense { weights: [[1.0, 1.0, 1.0]], bias: [0.5] };
    let input = [[1.0, -2.0, 3.0, -4.0, 5.0, -6.0], [7.0; 6]];
    // relu: (o + 1) [1, 0, 3, 0, 5, 0]; max pool of 2: (o + 1) [1, 3, 5]; mean: 3 (o + 1).
    assert_eq!(net.forward(&input), [3.0 + 6.0 + 9.0 + 0.5]);
    assert_eq!(net.loss(&input, &[18.0]), 0.25);

    let (loss, gradient) = net.gradient(&input, &[18.0]);
    assert_eq!(loss, 0.25);
    // dL/d output = 2 (18.5 - 18) = 1: the output's weights get the means, its bias 1.
    assert_eq!(gradient.output.weights, [[3.0, 6.0, 9.0]]);
    assert_eq!(gradient.output.bias, [1.0]);
    let check = net.check_gradient(&input, &[18.0]);
    assert!(check.largest_error < 1e-6, "{check}");
}

fn gru_net() {
    let mut net = GruNet::zeroed();
    let _: &Gru<f64, 1, 2> = &net.rnn;
    // gru: 3 gates x (2 x 1 input weights, 2 x 2 hidden weights, 2 + 2 biases); output: 2 + 1.
    assert_eq!((GruNet::INPUTS, GruNet::OUTPUTS, GruNet::PARAMETERS), (4, 1, 33));

    // Only the new gate reads the input, `j + 1` times for unit `j`: every other weight and bias
    // is zero, so both other gates are sigmoid(0) = 1/2 and h_t = (tanh((j + 1) x_t) + h_(t-1)) / 2.
    net.rnn.weight_ih[2] = [[1.0], [2.0]];
    net.output = Dense { weights: [[1.0, -1.0]], bias: [0.0] };
    let steps = [1.0, -1.0, 0.5, 2.0];
    let mut state = [0.0f64; 2];
    let mut sum = [0.0f64; 2];
    for x in steps {
        for (j, h) in state.iter_mut().enumerate() {
            *h = (((j + 1) as f64 * x).tanh() + *h) / 2.0;
            sum[j] += *h;
        }
    }
    let expected = (sum[0] - sum[1]) / 4.0;
    let [output] = net.forward(&[steps]);
    assert!((output - expected).abs() < 1e-12, "{output} != {expected}");

    let (loss, gradient) = net.gradient(&[steps], &[0.0]);
    assert!((loss - expected * expected).abs() < 1e-12);
    let _: &Gru<f64, 1, 2> = &gradient.rnn;
    let check = net.check_gradient(&[steps], &[0.0]);
    assert!(check.largest_error < 1e-6, "{check}");
}

fn main() {
    conv_net();
    gru_net();
}
