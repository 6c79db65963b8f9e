use backprop_core::network;

// A syntax error inside one entry does not hide the mistakes in the others.
network! {
    struct Net {
        input: 2,
        hidden: dense(4, tahn),
        output: dense(1 identity),
        loss: squared_eror,
    }
}

fn main() {}
