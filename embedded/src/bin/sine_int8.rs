//! The sine net in int8 (`quantize: int8`): the input quantised, integer arithmetic only inside
//! (`sine_int8_codes`, which `measure.sh` checks for float instructions and soft-float calls), the
//! output dequantised.
#![no_std]
#![no_main]

use backprop_embedded::{SINE_INT8, measure};
use cortex_m_rt::entry;
use panic_halt as _;

/// The integer inference: an input code to an output code.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_int8_codes(x: i8) -> i8 {
    SINE_INT8.forward_i8(&[x])[0]
}

/// The inference measured: `sin x` by the int8 net, `f32` in and out.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_int8(x: f32) -> f32 {
    let [code] = SINE_INT8.quantize_input(&[x]);
    SINE_INT8
        .output_quantization
        .dequantize(sine_int8_codes(code))
}

#[entry]
fn main() -> ! {
    measure::report("int8", sine_int8)
}
