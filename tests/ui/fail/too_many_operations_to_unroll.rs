use backprop_core::network;

// Few parameters (a kernel reused along a long signal), but many operations: one line per
// operation would not compile quickly.
network! {
    struct Net {
        form: unrolled,
        input: [1, 1000],
        conv: conv1d(4, 3, relu),
        pool: global_avg_pool1d,
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
