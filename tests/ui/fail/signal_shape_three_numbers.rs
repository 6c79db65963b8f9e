use backprop_core::network;

network! {
    struct Net {
        input: [6, 100, 3],
        conv: conv1d(4, 3, relu),
        pool: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
