use backprop_core::network;

network! {
    /// The type still exists after a mistake in the spec, so code using it raises no second error.
    #[derive(Debug)]
    pub struct Net {
        input: 2,
        output: dense(1, rleu),
        loss: squared_error,
    }
}

network! {
    /// Likewise after a parse error.
    #[derive(Debug)]
    pub struct Other {
        input 2,
        output: dense(1, relu),
        loss: squared_error,
    }
}

fn main() {
    let net: Option<Net> = None;
    let other: Option<Other> = None;
    let _ = (net, other);
}
