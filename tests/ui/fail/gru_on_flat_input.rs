use backprop_core::network;

network! {
    struct Net {
        input: 4,
        rnn: gru(8),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
