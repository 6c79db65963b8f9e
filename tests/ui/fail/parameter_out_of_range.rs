use backprop_core::network;

network! {
    struct Net {
        scalar: f32,
        input: 2,
        output: dense(1, leaky_relu(1e39)),
        loss: squared_error,
    }
}

fn main() {}
