use backprop_core::network;

// `gen` is reserved since Rust 2024: `r#gen` is the way to use it as a layer name.
network! {
    struct Net {
        input: 2,
        gen: dense(2, relu),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

fn main() {}
