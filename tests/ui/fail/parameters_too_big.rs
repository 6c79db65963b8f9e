use backprop_core::network;

// The count fits in `usize`, but not the bytes: rustc would reject the struct's layout with an
// error inside `backprop_core`, so the macro says so at the name.
network! {
    struct Net {
        input: 4000000000,
        hidden: dense(4000000000, relu),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn main() {}
