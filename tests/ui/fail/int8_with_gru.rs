use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        rnn: gru(4),
        output: dense(1, identity),
        loss: squared_error,
        quantize: int8,
    }
}

fn main() {}
