//! The ulp sweeps: every function against libm over the whole range of its type (random bit
//! patterns, so every binade, subnormals and NaNs included), densely over the part of the
//! range where it is not constant, and at the edges. `cargo test` runs a sampled sweep; the
//! ignored tests run every `f32` and many more `f64`s (`cargo test --release -p
//! backprop-core math -- --ignored --nocapture`).

#![allow(
    clippy::float_cmp,
    reason = "the tests compare exact values on purpose"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    reason = "bit patterns and sample indices"
)]

extern crate std;

use std::println;
use std::vec::Vec;

/// A fast function, the libm function it stands in for, and the part of the range where it
/// is not constant (the dense sweep runs over it).
struct Case<T> {
    name: &'static str,
    fast: fn(T) -> T,
    libm: fn(T) -> T,
    low: f64,
    high: f64,
    /// The largest distance from libm allowed, in ulps.
    bound: u64,
}

/// The cases of one width: `name: libm function, low, high, bound;` per fast function.
macro_rules! cases {
    ($float:ty; $($name:ident: $libm:path, $low:expr, $high:expr, $bound:expr;)*) => {
        [$(
            Case {
                name: stringify!($name),
                fast: super::fast::$name::<$float>,
                libm: $libm,
                low: $low,
                high: $high,
                bound: $bound,
            },
        )*]
    };
}

#[rustfmt::skip]
fn cases_f64() -> [Case<f64>; 6] {
    cases!(f64;
        exp: libm::exp, -746.0, 710.0, 1;
        exp_m1: libm::expm1, -40.0, 710.0, 1;
        ln: libm::log, 0.0, 1e3, 1;
        ln_1p: libm::log1p, -1.0, 1e3, 1;
        tanh: libm::tanh, -20.0, 20.0, 3;
        erf: libm::erf, -6.0, 6.0, 1;
    )
}

#[rustfmt::skip]
fn cases_f32() -> [Case<f32>; 6] {
    cases!(f32;
        exp: libm::expf, -104.0, 89.0, 1;
        exp_m1: libm::expm1f, -18.0, 89.0, 1;
        ln: libm::logf, 0.0, 1e3, 1;
        ln_1p: libm::log1pf, -1.0, 1e3, 1;
        tanh: libm::tanhf, -10.0, 10.0, 3;
        erf: libm::erff, -4.0, 4.0, 1;
    )
}

/// The `f64` function behind each `f32` case, as the exact reference (its error, under an
/// `f64` ulp, is `2^-29` of an `f32` ulp), and the largest error allowed against it, in ulps.
fn reference_f32(name: &str) -> (fn(f64) -> f64, f64) {
    match name {
        "exp" => (libm::exp, 1.0),
        "exp_m1" => (libm::expm1, 1.1),
        "ln" => (libm::log, 1.0),
        "ln_1p" => (libm::log1p, 1.0),
        "tanh" => (libm::tanh, 2.5),
        "erf" => (libm::erf, 1.05),
        _ => unreachable!("no reference for {name}"),
    }
}

/// The distance in ulps: how many values of the type lie between the two, plus one; 0 for
/// two NaNs (or `0` and `-0`), `u64::MAX` for a NaN and a number.
fn ulps_f64(a: f64, b: f64) -> u64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0
        } else {
            u64::MAX
        };
    }
    let key = |x: f64| {
        let bits = x.to_bits() as i64;
        i128::from(if bits < 0 {
            i64::MIN.wrapping_sub(bits)
        } else {
            bits
        })
    };
    (key(a) - key(b)).unsigned_abs() as u64
}

fn ulps_f32(a: f32, b: f32) -> u64 {
    if a.is_nan() || b.is_nan() {
        return if a.is_nan() && b.is_nan() {
            0
        } else {
            u64::MAX
        };
    }
    let key = |x: f32| {
        let bits = x.to_bits() as i32;
        i64::from(if bits < 0 {
            i32::MIN.wrapping_sub(bits)
        } else {
            bits
        })
    };
    (key(a) - key(b)).unsigned_abs()
}

/// The error of `actual` against the exact `reference`, in ulps of `f32` at the reference
/// (an ulp of a power of two counts the one above it; subnormals count in 2^-149).
fn error_f32(actual: f32, reference: f64) -> f64 {
    if actual.is_nan() || reference.is_nan() {
        return if actual.is_nan() && reference.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if reference.is_infinite() || f64::from(actual).is_infinite() {
        // Past `f32::MAX` the reference rounds to inf; count a finite result as one ulp off.
        return if f64::from(actual) == reference {
            0.0
        } else if (reference as f32) == actual {
            0.5
        } else {
            f64::INFINITY
        };
    }
    let magnitude = reference.abs().max(f64::from(f32::MIN_POSITIVE));
    let ulp = libm::exp2(libm::floor(libm::log2(magnitude)) - 23.0);
    (f64::from(actual) - reference).abs() / ulp
}

/// A deterministic stream of 64-bit values (splitmix64).
struct Bits(u64);

impl Bits {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[low, high)`.
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * ((self.next() >> 11) as f64 / (1_u64 << 53) as f64)
    }
}

/// Edge inputs every function is checked at, besides the sweeps.
const EDGES: [f64; 24] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1e-300,
    -1e-300,
    5e-324,
    -5e-324,
    2.2e-308,
    f64::MAX,
    f64::MIN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    709.78,
    709.79,
    -745.1,
    -745.2,
    88.72,
    88.73,
    -103.97,
    -103.98,
];

/// The inputs of the sampled sweep: `count` random bit patterns (every binade), `count`
/// uniform in `[low, high]`, and the edges.
fn inputs(count: usize, low: f64, high: f64, seed: u64) -> Vec<f64> {
    let mut bits = Bits(seed);
    let mut inputs: Vec<f64> = (0..count).map(|_| f64::from_bits(bits.next())).collect();
    inputs.extend((0..count).map(|_| bits.uniform(low, high)));
    inputs.extend(EDGES);
    inputs
}

/// The worst distance from libm over `inputs`, and where.
fn worst_f64(case: &Case<f64>, inputs: &[f64]) -> (u64, f64) {
    inputs
        .iter()
        .map(|&x| (ulps_f64((case.fast)(x), (case.libm)(x)), x))
        .fold(
            (0, 0.0),
            |worst, next| if next.0 > worst.0 { next } else { worst },
        )
}

/// The worst distance from libm and the worst error against the exact value over `inputs`.
fn worst_f32(case: &Case<f32>, inputs: impl Iterator<Item = f32>) -> ((u64, f32), (f64, f32)) {
    let (reference, _) = reference_f32(case.name);
    let mut worst = ((0, 0.0), (0.0, 0.0));
    for x in inputs {
        let fast = (case.fast)(x);
        let distance = ulps_f32(fast, (case.libm)(x));
        if distance > worst.0.0 {
            worst.0 = (distance, x);
        }
        let error = error_f32(fast, reference(f64::from(x)));
        if error > worst.1.0 {
            worst.1 = (error, x);
        }
    }
    worst
}

#[test]
fn f64_within_the_bound_of_libm_over_a_sampled_sweep() {
    let mut failures = 0;
    for (index, case) in cases_f64().iter().enumerate() {
        let inputs = inputs(1 << 18, case.low, case.high, index as u64);
        let (distance, at) = worst_f64(case, &inputs);
        println!(
            "f64 {}: {distance} ulp from libm (at {at:e}: {} vs {})",
            case.name,
            (case.fast)(at),
            (case.libm)(at)
        );
        failures += usize::from(distance > case.bound);
    }
    assert_eq!(failures, 0, "functions out of their bound");
}

#[test]
fn f32_within_the_bound_of_libm_over_a_sampled_sweep() {
    let mut failures = 0;
    for (index, case) in cases_f32().iter().enumerate() {
        let inputs = inputs(1 << 18, case.low, case.high, 100 + index as u64);
        let ((distance, at), (error, error_at)) = worst_f32(case, inputs.iter().map(|&x| x as f32));
        println!(
            "f32 {}: {distance} ulp from libm (at {at:e}), {error:.3} ulp from exact (at {error_at:e})",
            case.name
        );
        failures += usize::from(distance > case.bound || error > reference_f32(case.name).1);
    }
    assert_eq!(failures, 0, "functions out of their bound");
}

/// Every `f32`, against libm and against the exact value, on two threads. About a minute
/// per function in a release build.
#[test]
#[ignore = "every f32: run in release, with --nocapture for the figures"]
fn f32_within_the_bound_of_libm_everywhere() {
    for index in 0..cases_f32().len() {
        let halves = [0_u32, 1 << 31].map(|start| {
            std::thread::spawn(move || {
                let case = &cases_f32()[index];
                worst_f32(case, (start..=start | 0x7fff_ffff).map(f32::from_bits))
            })
        });
        let [low, high] = halves.map(|half| half.join().expect("a sweep"));
        let distance = if low.0.0 >= high.0.0 { low.0 } else { high.0 };
        let error = if low.1.0 >= high.1.0 { low.1 } else { high.1 };
        let case = &cases_f32()[index];
        println!(
            "every f32 {}: {} ulp from libm (at {:e}), {:.3} ulp from exact (at {:e})",
            case.name, distance.0, distance.1, error.0, error.1
        );
        assert!(
            distance.0 <= case.bound,
            "f32 {} is {} ulp from libm at {:e}",
            case.name,
            distance.0,
            distance.1
        );
        assert!(
            error.0 <= reference_f32(case.name).1,
            "f32 {} is {} ulp off at {:e}",
            case.name,
            error.0,
            error.1
        );
    }
}

#[test]
#[ignore = "2^26 inputs per function: run in release, with --nocapture for the figures"]
fn f64_within_the_bound_of_libm_over_a_long_sweep() {
    for (index, case) in cases_f64().iter().enumerate() {
        let inputs = inputs(1 << 25, case.low, case.high, 1000 + index as u64);
        let (distance, at) = worst_f64(case, &inputs);
        println!("f64 {}: {distance} ulp from libm (at {at:e})", case.name);
        assert!(
            distance <= case.bound,
            "f64 {} is {distance} ulp from libm at {at:e}",
            case.name
        );
    }
}

/// Inputs and the exact results expected there.
type Expected<'a, T> = (fn(T) -> T, &'a str, &'a [(T, T)]);

/// Each function's result is exactly the expected one (the same bits, or both NaN).
fn assert_exact<T: Copy + core::fmt::Display>(
    type_name: &str,
    cases: &[Expected<T>],
    same: fn(T, T) -> bool,
) {
    for &(function, name, values) in cases {
        for &(x, expected) in values {
            let actual = function(x);
            assert!(
                same(actual, expected),
                "{type_name} {name}({x}) = {actual}, not {expected}"
            );
        }
    }
}

/// The limits are exact and NaN, infinities and signed zeros come out right.
#[test]
#[rustfmt::skip]
fn f64_limits_and_special_values() {
    use super::fast::{erf, exp, exp_m1, ln, ln_1p, tanh};
    const INF: f64 = f64::INFINITY;
    const NAN: f64 = f64::NAN;
    const LN2: f64 = core::f64::consts::LN_2;
    const TINY: f64 = 5e-324;
    assert_exact::<f64>("f64", &[
        (exp, "exp", &[(NAN, NAN), (-INF, 0.0), (INF, INF), (1e3, INF), (710.0, INF), (-1e3, 0.0), (-746.0, 0.0), (0.0, 1.0), (-0.0, 1.0)]),
        (exp_m1, "exp_m1", &[(NAN, NAN), (-INF, -1.0), (INF, INF), (-50.0, -1.0), (710.0, INF), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY), (-1e-300, -1e-300)]),
        (ln, "ln", &[(NAN, NAN), (0.0, -INF), (-0.0, -INF), (-1.0, NAN), (-INF, NAN), (INF, INF), (1.0, 0.0), (2.0, LN2)]),
        (ln_1p, "ln_1p", &[(NAN, NAN), (-1.0, -INF), (-2.0, NAN), (-INF, NAN), (INF, INF), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY), (1.0, LN2)]),
        (tanh, "tanh", &[(NAN, NAN), (INF, 1.0), (-INF, -1.0), (20.0, 1.0), (-19.1, -1.0), (1e300, 1.0), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY)]),
        (erf, "erf", &[(NAN, NAN), (INF, 1.0), (-INF, -1.0), (6.0, 1.0), (-5.95, -1.0), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY)]),
    ], |a, b| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
}

/// The same for `f32`.
#[test]
#[rustfmt::skip]
fn f32_limits_and_special_values() {
    use super::fast::{erf, exp, exp_m1, ln, ln_1p, tanh};
    const INF: f32 = f32::INFINITY;
    const NAN: f32 = f32::NAN;
    const LN2: f32 = core::f32::consts::LN_2;
    const TINY: f32 = 1e-45;
    assert_exact::<f32>("f32", &[
        (exp, "exp", &[(NAN, NAN), (-INF, 0.0), (INF, INF), (1e3, INF), (89.0, INF), (-1e3, 0.0), (-104.0, 0.0), (0.0, 1.0)]),
        (exp_m1, "exp_m1", &[(NAN, NAN), (-INF, -1.0), (INF, INF), (-20.0, -1.0), (89.0, INF), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY)]),
        (ln, "ln", &[(NAN, NAN), (0.0, -INF), (-0.0, -INF), (-1.0, NAN), (INF, INF), (1.0, 0.0), (2.0, LN2)]),
        (ln_1p, "ln_1p", &[(NAN, NAN), (-1.0, -INF), (-2.0, NAN), (INF, INF), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY), (1.0, LN2)]),
        (tanh, "tanh", &[(NAN, NAN), (INF, 1.0), (-INF, -1.0), (10.0, 1.0), (-9.1, -1.0), (1e30, 1.0), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY)]),
        (erf, "erf", &[(NAN, NAN), (INF, 1.0), (-INF, -1.0), (4.0, 1.0), (-3.95, -1.0), (0.0, 0.0), (-0.0, -0.0), (TINY, TINY)]),
    ], |a, b| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
}

/// FNV-1a over `bits`: a fingerprint of a function's results.
fn fingerprint(bits: impl Iterator<Item = u64>) -> u64 {
    bits.fold(0xcbf2_9ce4_8422_2325, |hash, word| {
        word.to_le_bytes().iter().fold(hash, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
        })
    })
}

/// The fingerprint of each function's results over a fixed sweep (NaNs counted as one value: a
/// NaN's payload is not specified), pinned when the kernels were written generic over the width:
/// a change of algorithm, or of the order of its operations, fails here even when it stays
/// within the ulp bounds.
#[test]
fn the_results_are_the_pinned_bits() {
    let nan_as_one = |bits: u64, nan: bool| if nan { 1 } else { bits };
    let pinned_f64: [u64; 6] = [
        0x596e_05bb_1718_5e99,
        0xf90b_7232_fc0f_6fb0,
        0x3c35_2299_a5c6_202b,
        0x7472_1800_2230_c395,
        0xd2e8_1bf7_ca5f_f13d,
        0xb099_0091_5e4d_12e1,
    ];
    for (index, (case, pinned)) in cases_f64().iter().zip(pinned_f64).enumerate() {
        let inputs = inputs(1 << 16, case.low, case.high, 7000 + index as u64);
        let results = inputs.iter().map(|&x| (case.fast)(x));
        let print = fingerprint(results.map(|y| nan_as_one(y.to_bits(), y.is_nan())));
        assert_eq!(print, pinned, "f64 {}: {print:#018x}", case.name);
    }
    let pinned_f32: [u64; 6] = [
        0xc107_c8b3_1b98_3a66,
        0xbbaf_ef59_1c62_f7a3,
        0xed5b_1e06_fd67_fc0e,
        0xaf05_bd1c_6628_bc8a,
        0x088f_531a_1038_fbe2,
        0xcd93_c520_0ad1_e617,
    ];
    for (index, (case, pinned)) in cases_f32().iter().zip(pinned_f32).enumerate() {
        let inputs = inputs(1 << 16, case.low, case.high, 8000 + index as u64);
        let results = inputs.iter().map(|&x| (case.fast)(x as f32));
        let print = fingerprint(results.map(|y| nan_as_one(u64::from(y.to_bits()), y.is_nan())));
        assert_eq!(print, pinned, "f32 {}: {print:#018x}", case.name);
    }
}

/// The functions the activations call are the backend's this build chose: the fast kernels by
/// default, libm with `libm-activations` (run `cargo test -p backprop-core --features
/// libm-activations` for the other side).
#[test]
fn the_math_functions_are_the_chosen_backend() {
    use crate::Scalar;
    type Function = (fn(f64) -> f64, fn(f64) -> f64, fn(f64) -> f64);
    let functions: [Function; 6] = [
        (super::exp, super::fast::exp, Scalar::exp),
        (super::exp_m1, super::fast::exp_m1, Scalar::exp_m1),
        (super::ln, super::fast::ln, Scalar::ln),
        (super::ln_1p, super::fast::ln_1p, Scalar::ln_1p),
        (super::tanh, super::fast::tanh, Scalar::tanh),
        (super::erf, super::fast::erf, Scalar::erf),
    ];
    for (index, (chosen, fast, libm)) in functions.into_iter().enumerate() {
        for x in inputs(1 << 10, -5.0, 5.0, 9000 + index as u64) {
            let expected = if super::LIBM { libm(x) } else { fast(x) };
            assert_eq!(
                chosen(x).to_bits(),
                expected.to_bits(),
                "function {index} at {x:e}"
            );
        }
    }
    let single = [0.3_f32, -2.5, 7.0];
    for x in single {
        let expected = if super::LIBM {
            Scalar::tanh(x)
        } else {
            super::fast::tanh(x)
        };
        assert_eq!(super::tanh(x).to_bits(), expected.to_bits());
    }
}
