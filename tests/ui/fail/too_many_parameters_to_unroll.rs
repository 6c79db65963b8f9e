use backprop_core::network;

network! {
    struct Net {
        form: unrolled,
        input: 64,
        hidden: dense(64, relu),
        output: dense(10, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
