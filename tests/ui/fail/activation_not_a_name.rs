use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, 3),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
