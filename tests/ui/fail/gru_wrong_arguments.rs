use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        first: gru,
        second: gru(8, sequence, sequence),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
