use backprop_core::network;

network! {
    struct Net {
        scalr: f32,
        input: 0,
        hidden: dense(2, rleu),
        output: dense(1, relu(0.1)),
        loss: squared_eror,
    }
}

fn main() {}
