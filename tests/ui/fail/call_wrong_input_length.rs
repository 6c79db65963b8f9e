use backprop_core::network;

network! {
    struct Net {
        input: 3,
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

// rustc's note on the parameter points at `input: 3`, the entry that fixed its length.
fn main() {
    let net = Net::zeroed();
    let _ = net.forward(&[1.0, 2.0]);
}
