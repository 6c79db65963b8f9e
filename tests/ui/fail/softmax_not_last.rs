use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(3, softmax),
        output: dense(3, softmax),
        loss: cross_entropy,
    }
}

fn main() {}
