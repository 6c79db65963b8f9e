use backprop_core::network;

network! {
    pub struct Int16 { input: 1, output: dense(1, identity), loss: squared_error, quantize: int16 }
}

network! {
    pub struct Clash {
        input: 1,
        output_quantization: dense(1, identity),
        loss: squared_error,
        quantize: int8,
    }
}

fn main() {}
