use backprop_core::network;

// `cross_entropy` on a `sigmoid` output would be `-sum t ln y` alone, which every output lowers by
// rising: independent per-output probabilities take `binary_cross_entropy`.
network! {
    struct MultiLabel {
        input: 2,
        output: dense(3, sigmoid),
        loss: cross_entropy,
    }
}

// And the other way round: a `softmax` output is one distribution, for `cross_entropy`.
network! {
    struct OneClass {
        input: 2,
        output: dense(3, softmax),
        loss: binary_cross_entropy,
    }
}

fn main() {}
