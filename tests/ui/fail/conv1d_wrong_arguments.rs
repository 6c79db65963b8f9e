use backprop_core::network;

network! {
    struct Net {
        input: [2, 8],
        narrow: conv1d(4, relu),
        wide: conv1d(4, 3, relu, 2),
        pool: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
