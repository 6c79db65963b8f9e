//! The classifier harness alone, with the test recordings and their copy into RAM but no net: the
//! baseline whose flash `measure.sh` subtracts from each form of the BasicMotions classifier.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Classifier};
use backprop_embedded::{HOST_OUTPUTS, LABELS, Recording, SAMPLES};
use core::hint::black_box;
use cortex_m_rt::entry;
use panic_halt as _;

/// No inference: reads nothing, returns zeros.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn motion_none(input: &Recording) -> [f32; 4] {
    black_box(input);
    [0.0; 4]
}

/// The recording in RAM, as `motion_f32` has it.
fn copy(recording: &Recording) -> Recording {
    *recording
}

#[entry]
fn main() -> ! {
    measure::report_classifier(&Classifier {
        form: "none",
        samples: &SAMPLES,
        labels: &LABELS,
        host: &HOST_OUTPUTS,
        prepare: copy,
        infer: motion_none,
    })
}
