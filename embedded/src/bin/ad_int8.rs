//! MLPerf Tiny's anomaly-detection autoencoder in int8 (`ad01_int8.tflite`, 640-128x4-8-128x4-640,
//! loaded on the host into `Ad01Int8` and written to `src/ad_net.rs` by `to_rust_source`): each
//! frame's 640 input codes reconstructed as 640 output codes in integer arithmetic only
//! (`ad_int8_codes`), checked against the host's codes bit for bit.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Reconstruction};
use backprop_embedded::{AD_HOST_CODES, AD_INPUTS, AD_INT8, Ad01Int8};
use cortex_m_rt::entry;
use panic_halt as _;

/// The net, in flash.
static NET: Ad01Int8 = AD_INT8;

/// The inference measured: the output codes of one frame's input codes.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn ad_int8_codes(codes: &[i8; 640]) -> [i8; 640] {
    NET.forward_i8(codes)
}

/// The frame's codes in RAM, as a sensor driver would fill them.
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
        form: "int8",
        inputs: &AD_INPUTS,
        host: &AD_HOST_CODES,
        prepare: copy,
        infer: ad_int8_codes,
        codes: same,
    })
}
