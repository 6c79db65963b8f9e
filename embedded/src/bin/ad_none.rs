//! The reconstruction harness alone, with the frames and their copy into RAM but no net: the
//! baseline whose flash `measure.sh` subtracts from each form of the anomaly-detection autoencoder.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Reconstruction};
use backprop_embedded::{AD_HOST_CODES, AD_INPUTS};
use core::hint::black_box;
use cortex_m_rt::entry;
use panic_halt as _;

/// No inference: reads nothing, returns zeros.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn ad_none(codes: &[i8; 640]) -> [i8; 640] {
    black_box(codes);
    [0; 640]
}

/// The frame's codes in RAM, as `ad_int8` has them.
fn copy(codes: &[i8; 640]) -> [i8; 640] {
    *codes
}

/// The output codes, as they are.
fn same(codes: &[i8; 640]) -> [i8; 640] {
    *codes
}

#[entry]
fn main() -> ! {
    measure::report_reconstruction(&Reconstruction {
        form: "none",
        inputs: &AD_INPUTS,
        host: &AD_HOST_CODES,
        prepare: copy,
        infer: ad_none,
        codes: same,
    })
}
