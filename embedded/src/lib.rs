//! What the measurement firmware (`src/bin/sine_*.rs`) shares: the trained sine net, and
//! [`measure::report`], which times one form's inference, paints the stack around it, measures
//! its error against `sin x`, prints the figures over semihosting and exits QEMU. `measure.sh`
//! builds and runs each firmware and turns the figures into the table in `BENCHMARKS.md`.
#![no_std]
#![deny(missing_docs)]

pub mod measure;
mod sine_net;
mod stack;

use backprop_core::network;

pub use sine_net::{SINE, SINE_FIXED, SINE_INT8};

network! {
    /// The TFLM hello-world shape, 1-16-16-1 with ReLU, trained in `f32` by `examples/sine_tiny.rs`.
    pub struct SineTiny {
        scalar: f32,
        input: 1,
        first: dense(16, relu),
        second: dense(16, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// The same net in Q16.16 (`backprop_core::fixed`), its `f32` weights rounded to the nearest
    /// `2^-16`: forward in integer arithmetic only.
    pub struct SineFixed {
        scalar: I16F16,
        input: 1,
        first: dense(16, relu),
        second: dense(16, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}
