//! The BasicMotions classifier in `f32`: hardware floats on the Cortex-M4F, soft float on the
//! Cortex-M0. Each test recording is copied from flash into a buffer on the stack (as a sensor
//! driver would fill one), then classified.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Classifier};
use backprop_embedded::{HOST_OUTPUTS, LABELS, MOTION, Recording, SAMPLES};
use cortex_m_rt::entry;
use panic_halt as _;

/// The inference measured: the probability of each activity for one recording.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn motion_f32(input: &Recording) -> [f32; 4] {
    MOTION.forward(input)
}

/// The recording in RAM, where the inference reads it.
fn copy(recording: &Recording) -> Recording {
    *recording
}

#[entry]
fn main() -> ! {
    measure::report_classifier(&Classifier {
        form: "f32",
        samples: &SAMPLES,
        labels: &LABELS,
        host: &HOST_OUTPUTS,
        prepare: copy,
        infer: motion_f32,
    })
}
