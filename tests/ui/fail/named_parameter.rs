use backprop_core::network;

network! {
    struct Net {
        input: 2,
        hidden: dense(4, leaky_relu(alpha = 0.1)),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
