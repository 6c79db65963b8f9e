use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(1, leaky_relu(-alpha)),
        loss: squared_error,
    }
}

fn main() {}
