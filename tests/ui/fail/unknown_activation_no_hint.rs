use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, swish),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
