use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

// A `Vec` is not an array: the note points at `input: 2`, the entry that fixed the type.
fn main() {
    let net = Net::zeroed();
    let input = vec![1.0, 2.0];
    let _ = net.loss(&input, &[1.0]);
}
