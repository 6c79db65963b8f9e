//! microflow 0.1.3 on the same file as `ad_int8`, `tests/fixtures/mlperf-tiny/ad01_int8.tflite`,
//! compiled by microflow's `model` macro: each frame's 640 input codes given to
//! `predict_quantized` (int8 inside, its output dequantised to `f32`), the output turned back into
//! codes by the file's output quantisation (not counted) and compared with our host's codes.
#![no_std]
#![no_main]

use backprop_embedded::measure::{self, Reconstruction};
use backprop_embedded::{AD_HOST_CODES, AD_INPUTS, AD_INT8};
use cortex_m_rt::entry;
use microflow::buffer::Buffer2D;
use microflow::model;
use panic_halt as _;

#[model("../tests/fixtures/mlperf-tiny/ad01_int8.tflite")]
struct Ad01;

/// The inference measured: microflow's reconstruction of one frame's codes, dequantised.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn ad_microflow(codes: &Buffer2D<i8, 1, 640>) -> Buffer2D<f32, 1, 640> {
    Ad01::predict_quantized(*codes)
}

/// The frame's codes as microflow's input buffer, in RAM.
fn buffer(codes: &[i8; 640]) -> Buffer2D<i8, 1, 640> {
    Buffer2D::from_fn(|_, column| codes[column])
}

/// The output back as codes, `round(y / scale) + zero_point`, by the file's output quantisation.
#[allow(clippy::cast_possible_truncation)] // clamped to the codes' range
fn codes(output: &Buffer2D<f32, 1, 640>) -> [i8; 640] {
    let quantization = AD_INT8.output_quantization;
    core::array::from_fn(|i| {
        let code = libm::roundf(output[i] / quantization.scale) as i32
            + i32::from(quantization.zero_point);
        code.clamp(-128, 127) as i8
    })
}

#[entry]
fn main() -> ! {
    measure::report_reconstruction(&Reconstruction {
        form: "microflow",
        inputs: &AD_INPUTS,
        host: &AD_HOST_CODES,
        prepare: buffer,
        infer: ad_microflow,
        codes,
    })
}
