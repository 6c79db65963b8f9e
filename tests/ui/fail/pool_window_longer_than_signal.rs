use backprop_core::network;

network! {
    struct Net {
        input: [2, 6],
        pool: max_pool1d(8),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
