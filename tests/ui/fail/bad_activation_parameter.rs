use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, leaky_relu(relu)),
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {}
