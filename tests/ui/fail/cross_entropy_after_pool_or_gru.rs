use backprop_core::network;

// A pool keeps the range of what it pools: here `relu`'s, not a probability.
network! {
    struct Pooled {
        input: [2, 8],
        conv: conv1d(3, 3, relu),
        pool: global_avg_pool1d,
        loss: binary_cross_entropy,
    }
}

// A GRU's state is in (-1, 1).
network! {
    struct Recurrent {
        input: [2, 8],
        rnn: gru(3),
        loss: cross_entropy,
    }
}

// A pool of sigmoid probabilities is a probability: accepted.
network! {
    struct Accepted {
        input: [2, 8],
        conv: conv1d(3, 3, sigmoid),
        pool: global_avg_pool1d,
        loss: binary_cross_entropy,
    }
}

fn main() {}
