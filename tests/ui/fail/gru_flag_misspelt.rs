use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        rnn: gru(8, sequnce),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
