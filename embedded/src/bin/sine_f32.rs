//! The sine net in `f32`: hardware floats on the Cortex-M4F, soft float (`__aeabi_fadd`, ...) on the
//! Cortex-M0.
#![no_std]
#![no_main]

use backprop_embedded::{SINE, measure};
use cortex_m_rt::entry;
use panic_halt as _;

/// The inference measured: `sin x` by the net.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_f32(x: f32) -> f32 {
    SINE.forward(&[x])[0]
}

#[entry]
fn main() -> ! {
    measure::report("f32", sine_f32)
}
