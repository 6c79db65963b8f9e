use backprop_core::network;

network! {
    struct Net {
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {}
