use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        rnn: gru(4, sequence = 1),
        last: gru(3),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
