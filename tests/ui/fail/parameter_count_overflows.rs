use backprop_core::network;

network! {
    struct Net {
        input: 18446744073709551615,
        output: dense(2, identity),
        loss: squared_error,
    }
}

fn main() {}
