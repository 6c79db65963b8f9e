use backprop_core::network;

network! {
    struct Net {
        input: 2,
        loss: squared_error,
    }
}

fn main() {}
