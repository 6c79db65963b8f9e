use backprop_core::network;

network! {
    struct Net {
        input: 2,
        learning_rate: 0.1,
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {}
