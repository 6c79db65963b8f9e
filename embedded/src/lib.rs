//! What the measurement firmware (`src/bin/sine_*.rs`, `src/bin/motion_*.rs`) shares: the trained
//! sine and BasicMotions nets, [`measure::report`], which times one form of the sine net, paints
//! the stack around it, measures its error against `sin x`, prints the figures over semihosting
//! and exits QEMU, and [`measure::report_classifier`], the same for a form of the BasicMotions
//! classifier over the test recordings it carries. `measure.sh` builds and runs each firmware and
//! turns the figures into the tables in `BENCHMARKS.md`.
#![no_std]
#![deny(missing_docs)]

#[cfg(feature = "ad")]
mod ad_net;
pub mod measure;
mod motion_net;
mod sine_net;
mod stack;

use backprop_core::network;

#[cfg(feature = "ad")]
pub use ad_net::{AD_HOST_CODES, AD_INPUTS, AD_INT8};
pub use motion_net::{HOST_CODES, HOST_OUTPUTS, LABELS, MOTION, MOTION_INT8, SAMPLES};
pub use sine_net::{SINE, SINE_FIXED, SINE_INT8};

/// One BasicMotions recording, standardised: 6 channels (3-d accelerometer, 3-d gyroscope) of 100
/// steps.
pub type Recording = [[f32; 100]; 6];

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

network! {
    /// The BasicMotions classifier of `examples/basic_motions.rs`, trained in `f32` there: a smart
    /// watch's 6 channels over 100 steps in, one probability per activity (badminton, running,
    /// standing, walking) out; 972 parameters.
    pub struct BasicMotions {
        scalar: f32,
        input: [6, 100],
        c1: conv1d(8, 5, relu, stride = 2, padding = 2),
        p1: max_pool1d(2),
        c2: conv1d(16, 5, relu, padding = 2),
        gp: global_avg_pool1d,
        output: dense(4, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

network! {
    /// MLPerf Tiny's anomaly-detection autoencoder (`ad01`), as `tflite::spec` prints it for
    /// `tests/fixtures/mlperf-tiny/ad01_int8.tflite`: 640-128x4-8-128x4-640, 265,864 parameters.
    /// Its int8 form, [`AD_INT8`] (feature `ad`), is the file's, loaded on the host.
    pub struct Ad01 {
        scalar: f32,
        input: 640,
        quantize: int8,
        dense1: dense(128, relu),
        dense2: dense(128, relu),
        dense3: dense(128, relu),
        dense4: dense(128, relu),
        dense5: dense(8, relu),
        dense6: dense(128, relu),
        dense7: dense(128, relu),
        dense8: dense(128, relu),
        dense9: dense(128, relu),
        dense10: dense(640, identity),
        loss: mean_squared_error,
    }
}
