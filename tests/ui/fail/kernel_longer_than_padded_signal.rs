use backprop_core::network;

network! {
    struct Net {
        input: [2, 4],
        conv: conv1d(3, 9, relu, padding = 2),
        pool: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
