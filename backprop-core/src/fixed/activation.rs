//! Activations in Q16.16, each value beside its derivative, in integer arithmetic only.
//!
//! `tanh` interpolates a table of `tanh(k/16)`, `k = 0..=96`, linearly, and is odd; beyond 6 it is
//! the table's last entry. Its error against the true `tanh` is at most `h^2/8 max|tanh''|`
//! (`h = 1/16`, `max|tanh''| = 4/(3 sqrt 3)`: 3.76e-4) plus the roundings of the table and of the
//! interpolation (2^-16 each): under [`TANH_ERROR`] everywhere (tested on a dense grid).
//! `sigmoid(z) = (1 + tanh(z/2)) / 2`, so its error is half of that.

use super::{I16F16, ONE, from_wide, mul};

/// The largest error of [`tanh`] against the true `tanh`, over every input.
pub const TANH_ERROR: f64 = 4.0e-4;
/// The largest error of [`sigmoid`] against the true logistic function, over every input.
pub const SIGMOID_ERROR: f64 = 2.1e-4;

/// `round(tanh(k / 16) * 2^16)` for `k = 0..=96`: `tanh` on `[0, 6]` in steps of `1/16`.
const TANH_TABLE: [i32; 97] = [
    0, 4091, 8150, 12146, 16051, 19838, 23485, 26973, 30285, 33412, 36346, 39084, 41625, 43972,
    46131, 48108, 49912, 51552, 53038, 54382, 55593, 56683, 57660, 58536, 59320, 60019, 60643,
    61199, 61694, 62134, 62524, 62871, 63179, 63451, 63693, 63907, 64096, 64263, 64412, 64543,
    64659, 64761, 64852, 64932, 65003, 65065, 65120, 65169, 65212, 65250, 65283, 65313, 65339,
    65362, 65383, 65401, 65417, 65431, 65443, 65454, 65464, 65472, 65480, 65486, 65492, 65497,
    65502, 65506, 65509, 65512, 65515, 65518, 65520, 65522, 65523, 65525, 65526, 65527, 65528,
    65529, 65530, 65531, 65531, 65532, 65532, 65533, 65533, 65534, 65534, 65534, 65534, 65534,
    65535, 65535, 65535, 65535, 65535,
];
/// The table's step, `1/16`, is `2^12` in Q16.16 bits.
const TABLE_STEP_BITS: u32 = 12;

/// `1` if `condition`, else `0`.
fn indicator(condition: bool) -> I16F16 {
    if condition { ONE } else { I16F16::ZERO }
}

/// Identity: `f(z) = z`.
#[must_use]
pub fn identity(z: I16F16) -> I16F16 {
    z
}

/// Derivative of identity: `f'(z) = 1`.
#[must_use]
pub fn identity_derivative(_z: I16F16, _value: I16F16) -> I16F16 {
    ONE
}

/// `ReLU`: `f(z) = max(z, 0)`.
#[must_use]
pub fn relu(z: I16F16) -> I16F16 {
    z.max(I16F16::ZERO)
}

/// Derivative of `ReLU`: `f'(z) = 1` if `z > 0`, else `0`.
#[must_use]
pub fn relu_derivative(z: I16F16, _value: I16F16) -> I16F16 {
    indicator(z > 0)
}

/// Leaky `ReLU`: `f(z) = z` if `z > 0`, else `alpha z` (rounded).
#[must_use]
pub fn leaky_relu(z: I16F16, alpha: I16F16) -> I16F16 {
    if z > 0 { z } else { mul(alpha, z) }
}

/// Derivative of leaky `ReLU`: `f'(z) = 1` if `z > 0`, else `alpha`.
#[must_use]
pub fn leaky_relu_derivative(z: I16F16, _value: I16F16, alpha: I16F16) -> I16F16 {
    if z > 0 { ONE } else { alpha }
}

/// Hard tanh: `f(z) = clamp(z, -1, 1)`.
#[must_use]
pub fn hard_tanh(z: I16F16) -> I16F16 {
    z.clamp(-ONE, ONE)
}

/// Derivative of hard tanh: `f'(z) = 1` for `-1 < z < 1`, else `0`.
#[must_use]
pub fn hard_tanh_derivative(z: I16F16, _value: I16F16) -> I16F16 {
    indicator(-ONE < z && z < ONE)
}

/// Hard sigmoid (PyTorch's): `f(z) = clamp(z/6 + 1/2, 0, 1)`, `z/6` rounded to nearest.
#[must_use]
pub fn hard_sigmoid(z: I16F16) -> I16F16 {
    let bits = z.to_bits();
    // Round to nearest: add half the divisor away from zero, then truncate.
    let sixth = if bits < 0 {
        (bits - 3) / 6
    } else {
        (bits + 3) / 6
    };
    I16F16::from_bits(sixth)
        .saturating_add(ONE / 2)
        .clamp(I16F16::ZERO, ONE)
}

/// Derivative of hard sigmoid: `f'(z) = 1/6` for `-3 < z < 3`, else `0` (1/6 rounded).
#[must_use]
pub fn hard_sigmoid_derivative(z: I16F16, _value: I16F16) -> I16F16 {
    let three = I16F16::from_bits(3 << 16);
    if -three < z && z < three {
        I16F16::from_bits((1 << 16) / 6 + 1)
    } else {
        I16F16::ZERO
    }
}

/// `tanh z` by the table (see the module's docs for the error bound).
#[must_use]
pub fn tanh(z: I16F16) -> I16F16 {
    let magnitude = z.to_bits().unsigned_abs();
    let index = (magnitude >> TABLE_STEP_BITS) as usize;
    let value = match (TANH_TABLE.get(index), TANH_TABLE.get(index + 1)) {
        (Some(&low), Some(&high)) => {
            let fraction = i64::from(magnitude & ((1 << TABLE_STEP_BITS) - 1));
            let step = i64::from(high - low) * fraction;
            let rounded = (step + (1 << (TABLE_STEP_BITS - 1))) >> TABLE_STEP_BITS;
            #[allow(clippy::cast_possible_truncation)] // at most one table step, under 2^13
            let interpolated = low + rounded as i32;
            interpolated
        }
        _ => TANH_TABLE[TANH_TABLE.len() - 1],
    };
    I16F16::from_bits(if z < 0 { -value } else { value })
}

/// Derivative of tanh from its value: `f'(z) = 1 - tanh(z)^2`.
#[must_use]
pub fn tanh_derivative(_z: I16F16, value: I16F16) -> I16F16 {
    ONE.saturating_sub(mul(value, value))
}

/// The logistic function, `sigmoid(z) = 1 / (1 + e^-z) = (1 + tanh(z/2)) / 2`.
#[must_use]
pub fn sigmoid(z: I16F16) -> I16F16 {
    // z/2 and the final halving round to nearest through the 64-bit form.
    let half_z = from_wide(i64::from(z.to_bits()) << 15);
    let sum = i64::from(ONE.to_bits()) + i64::from(tanh(half_z).to_bits());
    from_wide(sum << 15)
}

/// Derivative of sigmoid from its value: `f'(z) = sigmoid(z) (1 - sigmoid(z))`.
#[must_use]
pub fn sigmoid_derivative(_z: I16F16, value: I16F16) -> I16F16 {
    mul(value, ONE.saturating_sub(value))
}
