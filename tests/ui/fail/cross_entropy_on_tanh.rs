use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(3, tanh),
        loss: cross_entropy,
    }
}

fn main() {}
