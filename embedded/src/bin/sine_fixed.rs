//! The sine net in Q16.16 fixed point (`backprop_core::fixed`): the input converted, integer
//! arithmetic only inside (`sine_fixed_q16`, which `measure.sh` checks for float instructions and
//! soft-float calls), the output converted back.
#![no_std]
#![no_main]

use backprop_core::fixed::I16F16;
use backprop_embedded::{SINE_FIXED, measure};
use cortex_m_rt::entry;
use panic_halt as _;

/// The integer inference: a Q16.16 input (as its bits) to a Q16.16 output.
#[inline(never)]
#[unsafe(no_mangle)]
pub fn sine_fixed_q16(x: i32) -> i32 {
    SINE_FIXED.forward(&[I16F16::from_bits(x)])[0].to_bits()
}

/// `2^16`: one in Q16.16 bits.
const ONE: f32 = 65_536.0;

/// The inference measured: `sin x` by the Q16.16 net, `f32` in and out. The conversions are a
/// multiplication by `2^16` (rounded to nearest by adding a half away from zero, then saturated
/// by `as`) and a multiplication by `2^-16` (exact): smaller in flash than the `fixed` crate's
/// generic conversions.
#[inline(never)]
#[unsafe(no_mangle)]
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // as documented
pub fn sine_fixed(x: f32) -> f32 {
    let half = if x < 0.0 { -0.5 } else { 0.5 };
    let q16 = sine_fixed_q16((x * ONE + half) as i32);
    q16 as f32 * (1.0 / ONE)
}

#[entry]
fn main() -> ! {
    measure::report("Q16.16", sine_fixed)
}
