use backprop_core::network;

network! {
    struct Net {
        input: 2,
        type: dense(2, relu),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
