use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        hidden: conv1d(4, 3, relu),
        output: conv1d(1, 3, identity),
        loss: squared_error,
    }
}

fn main() {}
