use backprop_core::network;

// Mistakes in a signal net, in the shape, a convolution's activation and option, a kind's name, a
// flag and the loss: every one reported in one compile, in reading order.
network! {
    struct Net {
        input: [3, 0],
        conv: conv1d(4, 3, rleu, strid = 2),
        pool: max_pool(2),
        rnn: gru(8, sequnce),
        output: dense(1, identity),
        loss: squared_eror,
    }
}

fn main() {}
