//! microflow's copy of the TFLM hello-world sine model (`models/sine.tflite` in the `microflow`
//! 0.1.3 package, int8, 1-16-16-1 ReLU), compiled by microflow's `model` macro; `build.rs` copies
//! the model out of Cargo's registry into `target/microflow/`, where the macro reads it.
#![no_std]
#![no_main]

use backprop_embedded::measure;
use cortex_m_rt::entry;
use microflow::model;
use nalgebra::matrix;
use panic_halt as _;

#[model("target/microflow/sine.tflite")]
struct Sine;

/// The inference measured: `sin x` by microflow's model (quantise in, int8 inside, dequantise out).
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_microflow(x: f32) -> f32 {
    Sine::predict(matrix![x])[0]
}

#[entry]
fn main() -> ! {
    measure::report("microflow", sine_microflow)
}
