//! The BasicMotions classifier in int8 (`quantize: int8`): each test recording quantised from
//! `f32` into a buffer of codes on the stack (as a sensor driver would fill one), then classified
//! in integer arithmetic only (`motion_int8_codes`, which `measure.sh` checks for float
//! instructions and soft-float calls): the output layer's logits as codes, whose largest is the
//! class.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Classifier};
use backprop_embedded::{HOST_CODES, LABELS, MOTION_INT8, Recording, SAMPLES};
use cortex_m_rt::entry;
use panic_halt as _;

/// The inference measured: the output layer's logit codes for one recording's codes.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn motion_int8_codes(codes: &[[i8; 100]; 6]) -> [i8; 4] {
    MOTION_INT8.forward_i8(codes)
}

/// The recording's codes, `round(x / scale) + zero_point` (in floats: not measured).
fn quantize(recording: &Recording) -> [[i8; 100]; 6] {
    MOTION_INT8.quantize_input(recording)
}

#[entry]
fn main() -> ! {
    measure::report_classifier(&Classifier {
        form: "int8",
        samples: &SAMPLES,
        labels: &LABELS,
        host: &HOST_CODES,
        prepare: quantize,
        infer: motion_int8_codes,
    })
}
