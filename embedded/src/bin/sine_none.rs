//! The measurement harness alone, an identity in place of an inference: the baseline whose flash
//! and RAM `measure.sh` subtracts from each form's.
#![no_std]
#![no_main]

use backprop_embedded::measure;
use cortex_m_rt::entry;
use panic_halt as _;

/// No inference: returns its input.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_none(x: f32) -> f32 {
    x
}

#[entry]
fn main() -> ! {
    measure::report("none", sine_none)
}
