use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, linear),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
