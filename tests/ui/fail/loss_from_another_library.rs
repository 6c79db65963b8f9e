use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(3, softmax),
        loss: ce,
    }
}

fn main() {}
