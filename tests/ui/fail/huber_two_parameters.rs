use backprop_core::network;

network! {
    struct Net {
        input: 2,
        output: dense(1, identity),
        loss: huber(1.0, 2.0),
    }
}

fn main() {}
