use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(4, relu, stride = 2),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
