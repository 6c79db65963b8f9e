//! The spec of issue 16 ("Signals and sequences"), character for character as the issue fixes it,
//! compiles from a user crate, with the sample type and the layer types it promises.
use backprop_core::network;

network! {
    pub struct Motion {
        scalar: f32,
        input: [6, 100],                              // 6 channels of 100 steps: a sample is [[f32; 100]; 6], channels first as torch's Conv1d
        c1: conv1d(16, 5, relu),                      // 16 output channels, kernel 5; stride 1, no padding
        c2: conv1d(32, 3, relu, stride = 2, padding = 1),   // `padding` zeros on each side
        dw: depthwise_conv1d(3, relu, padding = 1),   // one kernel-3 filter per channel (torch: groups = channels)
        pw: conv1d(32, 1, relu),                      // pointwise
        mp: max_pool1d(2),                            // window 2, stride 2, the tail that does not fit dropped; avg_pool1d(n) likewise
        gp: global_avg_pool1d,                        // [C, L] -> [C]
        output: dense(4, softmax),                    // after a [C, L] layer a dense reads it flattened channel-major (torch's Flatten)
        loss: cross_entropy,
    }
}

fn main() {
    let net = Motion::he_uniform(1);
    let sample: [[f32; 100]; 6] = [[0.25; 100]; 6];
    let probabilities: [f32; 4] = net.forward(&sample);
    let total: f32 = probabilities.iter().sum();
    assert!((total - 1.0).abs() < 1e-5, "{total}");
    // 100 steps -> c1 96 -> c2 48 (stride 2, padding 1) -> dw 48 -> pw 48 -> mp 24 -> gp [32].
    let _: &backprop_core::Conv1d<f32, 6, 16, 5, 1, 0> = &net.c1;
    let _: &backprop_core::Conv1d<f32, 16, 32, 3, 2, 1> = &net.c2;
    let _: &backprop_core::DepthwiseConv1d<f32, 32, 3, 1, 1> = &net.dw;
    let _: &backprop_core::Dense<f32, 32, 4> = &net.output;
    assert_eq!(
        Motion::PARAMETERS,
        (16 * 6 * 5 + 16) + (32 * 16 * 3 + 32) + (32 * 3 + 32) + (32 * 32 + 32) + (4 * 32 + 4)
    );
}
