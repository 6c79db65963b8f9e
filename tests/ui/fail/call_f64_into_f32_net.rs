use backprop_core::network;

network! {
    struct Net {
        scalar: f32,
        input: 2,
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

// rustc's note on the parameter points at `scalar: f32` and `input: 2`, the entries that fixed
// its type.
fn main() {
    let net = Net::zeroed();
    let input: [f64; 2] = [1.0, 2.0];
    let _ = net.forward(&input);
}
