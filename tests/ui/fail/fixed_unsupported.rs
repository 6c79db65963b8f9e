use backprop_core::network;

network! {
    pub struct Net {
        scalar: I16F16,
        input: 2,
        hidden: dense(3, gelu),
        output: dense(2, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

fn main() {}
