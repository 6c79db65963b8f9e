use backprop_core::network;

network! {
    struct Net {
        input: 2,
        HiddenLayer: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {}
