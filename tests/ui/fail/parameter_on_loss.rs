use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(1, identity),
        loss: squared_error(0.5),
    }
}

fn main() {}
