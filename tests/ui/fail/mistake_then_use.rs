// A spec with a mistake, and a program that uses the net every way a net is used: the mistake is
// the one error, not a cascade at every use.
use backprop_core::network;
use backprop_core::optim::Sgd;

network! {
    struct Net {
        scalar: f32,
        input: [2, 16],
        conv: conv1d(4, 3, rleu),
        pool: global_avg_pool1d,
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

/// Generic code over nets of one scalar, as a training loop is.
fn parameters<N: backprop_core::Network<Scalar = f32>>(net: &N) -> usize {
    net.tensor(0).len()
}

/// Generic code that names the net's input and output types, as a data loader does: the stub's
/// are the spec's.
fn predict<N>(net: &N, input: &N::Input) -> N::Output
where
    N: backprop_core::Network<Scalar = f32, Input = [[f32; 16]; 2], Output = [f32; 3]>,
{
    net.forward(input)
}

fn main() {
    let mut net = Net::he_uniform(7);
    let input = [[0.5_f32; 16]; 2];
    let prediction = net.forward(&input);
    let best = prediction[0] > prediction[1];
    let mut optimizer = Sgd::new(0.1);
    let loss = net.train_step(&input, &[1.0, 0.0, 0.0], &mut optimizer);
    let (value, gradient) = net.gradient(&input, &[1.0, 0.0, 0.0]);
    net.sgd_step(&gradient, 0.1);
    let weights = net.conv.weights[0][0][0] + net.output.bias[2];
    let int8 = net.quantize(&[input]);
    let classes = int8.forward(&input);
    let _ = (best, loss, value, weights, classes, Net::PARAMETERS + Net::INPUTS);
    let _ = (Net::DERIVATION.len(), net.check_gradient(&input, &[1.0, 0.0, 0.0]).largest_error);
    let _ = parameters(&net);
    let _: [f32; 3] = predict(&net, &input);
}
