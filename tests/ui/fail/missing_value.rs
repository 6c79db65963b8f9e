use backprop_core::network;

network! {
    struct Net {
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
        input:
    }
}

fn main() {}
