use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(2),
        output: dense(1, 2, identity),
        loss: squared_error,
    }
}

fn main() {}
