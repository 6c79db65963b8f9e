use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, relu(0.1)),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
