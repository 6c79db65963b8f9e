use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, mish),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
