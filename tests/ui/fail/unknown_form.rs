use backprop_core::network;

network! {
    struct Net {
        form: unroled,
        input: 2,
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {}
