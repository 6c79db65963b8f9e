use backprop_core::network;

network! {
    struct Net {
        input: (2),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
