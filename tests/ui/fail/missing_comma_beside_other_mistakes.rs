use backprop_core::network;

// After a missing comma the next entry is still read and checked.
network! {
    struct Net {
        input: 2
        hidden: dense(4, rleu),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
