#[doc = "Binary."] struct Binary { loss: binary_cross_entropy, output: dense(1, sigmoid), input: 3 }
