use backprop_core::network;

// Nothing to blame but the call itself: the error is at the macro call.
network! {}

fn main() {}
