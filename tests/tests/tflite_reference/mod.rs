//! TensorFlow Lite's integer arithmetic, written out from gemmlowp and the reference kernels:
//! the independent reference the int8 tests (`quantized.rs`, `quantized_signals.rs`) hold our
//! integer layers to.

use backprop_core::quant::{Clamp, Table};

/// gemmlowp's `SaturatingRoundingDoublingHighMul`: `a b / 2^31`, the nudge `2^30` above 0 and
/// `1 - 2^30` below, then a division that truncates toward zero.
fn doubling_high_mul(a: i32, b: i32) -> i32 {
    if a == i32::MIN && b == i32::MIN {
        return i32::MAX;
    }
    let ab = i64::from(a) * i64::from(b);
    let nudge: i64 = if ab >= 0 { 1 << 30 } else { 1 - (1 << 30) };
    ((ab + nudge) / (1_i64 << 31)) as i32
}

/// gemmlowp's `RoundingDivideByPOT`: `x / 2^exponent`, halves away from zero.
fn rounding_divide_by_pot(x: i32, exponent: i32) -> i32 {
    let mask = ((1_i64 << exponent) - 1) as i32;
    let remainder = x & mask;
    let threshold = (mask >> 1) + i32::from(x < 0);
    (x >> exponent) + i32::from(remainder > threshold)
}

/// TensorFlow Lite's `MultiplyByQuantizedMultiplier` (gemmlowp's two roundings): its convolutions'.
#[allow(dead_code)] // quantized.rs reads only the `FULLY_CONNECTED` form below
pub fn multiply_by_quantized_multiplier(x: i32, multiplier: i32, shift: i8) -> i32 {
    let shift = i32::from(shift);
    let (left, right) = if shift > 0 { (shift, 0) } else { (0, -shift) };
    rounding_divide_by_pot(doubling_high_mul(x * (1 << left), multiplier), right)
}

/// TensorFlow Lite's `MultiplyByQuantizedMultiplier` built with `TFLITE_SINGLE_ROUNDING`: one
/// rounding, halves up, `(x M + 2^(30 - shift)) >> (31 - shift)` in 64 bits. `LiteRT`'s reference
/// `FULLY_CONNECTED` requantises this way (its convolutions with the form above):
/// `tests/tflite.rs` holds MLPerf Tiny's autoencoder to `LiteRT` bit for bit with it.
pub fn multiply_by_quantized_multiplier_once(x: i32, multiplier: i32, shift: i8) -> i32 {
    let total = 31 - i64::from(shift);
    ((i64::from(x) * i64::from(multiplier) + (1_i64 << (total - 1))) >> total) as i32
}

/// The fused activation: TensorFlow Lite's clamp, or a table's lookup.
pub trait Activation {
    fn activate(&self, q: i32) -> i8;
}

impl Activation for Clamp {
    fn activate(&self, q: i32) -> i8 {
        q.max(i32::from(self.min)).min(i32::from(self.max)) as i8
    }
}

impl Activation for Table {
    fn activate(&self, q: i32) -> i8 {
        self.output[(q.clamp(-128, 127) + 128) as usize]
    }
}
