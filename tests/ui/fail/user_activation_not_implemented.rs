use backprop_core::network;

/// A type that does not implement `backprop_core::Activation`.
pub struct Swish;

network! {
    struct Net {
        input: 2,
        hidden: dense(2, Swish),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
