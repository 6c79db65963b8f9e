use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(100000000000000000000000000, relu),
        loss: squared_error,
    }
}

fn main() {}
