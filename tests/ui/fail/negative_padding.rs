use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        conv: conv1d(3, 3, relu, padding = -1),
        pool: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
