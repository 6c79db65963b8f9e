//! Branch-free `exp`, `exp_m1`, `ln`, `ln_1p`, `tanh` and `erf` for `f32` and `f64`, written so
//! that LLVM vectorises a loop that calls them; the activations use them unless the feature
//! `libm-activations` is on (see [`activation`](crate::activation)).
//!
//! A scalar call into [`libm`] (about 14 ns for `tanhf` here) costs more than all the arithmetic of
//! a training step of a small net, and it cannot be vectorised: libm branches on the argument and
//! reads tables. The functions here branch on nothing. Special inputs are handled by computing the
//! ordinary path anyway and choosing the answer with a comparison (a `select`), arguments are
//! clamped with comparisons that let a NaN through, and the power of two of a range reduction is
//! made by writing the exponent bits (`from_bits`/`to_bits`, integer shifts and adds), so LLVM
//! turns a loop over an array into SIMD code. They use plain `+`, `-`, `*`, `/` (no `mul_add`), so
//! they round the same way on every target, with and without FMA, in every build.
//!
//! # Methods
//!
//! - `exp`: Cody–Waite reduction `x = k ln 2 + r`, `|r| <= ln 2 / 2` (`k` by the round-to-nearest
//!   of adding `1.5 * 2^52`; `ln 2` split in a high part with trailing zeros, so `k * ln2_hi` is
//!   exact, and a low part: fdlibm's `ln2_hi`/`ln2_lo` for `f64`, Cephes' `0.693359375` and
//!   `-2.12194440e-4` for `f32`; the rounding error of `r` is kept, by a fast two-sum, as a
//!   correction `r_low`). Then `e^r = 1 + (r + r^2 q(r))`, with `q` the Taylor polynomial of
//!   `(e^r - 1 - r) / r^2`: coefficients `1/n!` for `n = 2..=13` in `f64`, `2..=8` in `f32`,
//!   computed exactly by the compiler; the first term left out is below `2^-56` (`2^-30` for
//!   `f32`) of `r` on `|r| <= ln 2 / 2`. The result is `e^r * 2^(k/2) * 2^(k - k/2)`, two exact
//!   scalings, so results that overflow become infinite and results in the subnormal range are
//!   rounded once, as they should be.
//! - `exp_m1`: the same reduction and polynomial, then `e^x - 1 = 2 (2^(k-1) p + (2^(k-1) - 1/2))`
//!   with `p = e^r - 1`, the fdlibm way of adding the `-1`, with `p` kept as two parts and the sum
//!   compensated (two-sum) where the terms cancel; `x` itself for `|x|` below `2^-54` (`2^-25`),
//!   where that is the correctly rounded result.
//! - `ln`: fdlibm's method: `x = 2^k m` with `m` in `[sqrt(2)/2, sqrt(2))` read from the bits (a
//!   subnormal `x` is scaled by `2^54` (`2^25`) first, chosen by a select), `f = m - 1`,
//!   `s = f / (2 + f)`, and `ln(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2))`, with fdlibm's minimax
//!   coefficients `Lg1..Lg7` (`Lg1..Lg4` for `f32`, from FreeBSD's `e_logf.c`).
//! - `ln_1p`: `u = 1 + x`, rounded, and its exact rounding error `c` (Knuth's two-sum), then
//!   `ln(1 + x) = ln(u) + c / u` with `ln(u)` as above.
//! - `tanh`: `tanh(x) = sign(x) e / (e + 2)` with `e = e^(2|x|) - 1` from the `exp_m1` core, and
//!   `|x|` clamped to 20 (10 for `f32`), past which `tanh` rounds to 1.
//! - `erf`: fdlibm's rational approximations on `|x| < 0.84375`, `[0.84375, 1.25)` and
//!   `[1.25, 6)` (`[1.25, 4)` for `f32`; the last split at `1/0.35` by selecting coefficients),
//!   all computed and one chosen per lane; for `|x| >= 1.25`,
//!   `erf = 1 - e^(-x^2 - 0.5625 + R/S) / |x|` with a single `exp` (fdlibm splits `x^2` exactly
//!   for `erfc`; for `erf` the rounding of `x^2` moves the result by under 0.1 ulp).
//!   The coefficients are fdlibm's (`s_erf.c`, `s_erff.c`), taken bit for bit from their hex.
//!
//! fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. "Permission to use, copy, modify, and
//! distribute this software is freely granted, provided that this notice is preserved." The
//! constants come from the FreeBSD msun sources as ported to Rust by the [`libm`] crate.
//!
//! # Accuracy
//!
//! The largest error seen, in units in the last place (ulp). Against [`libm`] (the functions the
//! feature `libm-activations` uses; they are fdlibm's, which documents `exp`, `expm1`, `log`,
//! `log1p` and `erf` below 1 ulp from the exact result): the distance between the two results
//! over every `f32`, and over 2^26 `f64`s spread over every binade and, densely, over the range
//! where the function is not constant. Against the exact value: for `f32`, every `f32` against
//! `f64` libm (exact to 2^-29 ulp); for `f64`, 20,000 samples per function against `mpmath` at
//! 200 bits (a one-off check, not in the test suite), where libm's own error is shown too.
//!
//! | function | `f64` vs libm | `f64` vs exact (libm's) | `f32` vs libm | `f32` vs exact (libm's) |
//! |----------|---------------|-------------------------|---------------|-------------------------|
//! | `exp`    | 1             | 0.77 (0.81)             | 1             | 0.82                    |
//! | `exp_m1` | 1             | 0.99 (0.74)             | 1             | 1.04                    |
//! | `ln`     | 0             | 0.74 (0.74)             | 0             | 0.84                    |
//! | `ln_1p`  | 1             | 0.72 (0.72)             | 1             | 0.86                    |
//! | `tanh`   | 3             | 1.71 (1.69)             | 3             | 2.42 (1.84)             |
//! | `erf`    | 1             | 0.86 (0.86)             | 1             | 1.00 (0.97)             |
//!
//! `ln` gives libm's bits exactly (it is fdlibm's algorithm, operation for operation, with selects
//! for its branches). `tanh` is the least accurate: `e / (e + 2)` rounds three times; libm's
//! `tanhf` is itself up to 1.84 ulp off, so the two can be 3 ulp apart. The unit tests check
//! these bounds on a sample of 2^19 inputs per function and type (and the edges below) in every
//! `cargo test`; the ignored tests run every `f32` and 2^26 `f64`s (`cargo test --release -p
//! backprop-core fast_math -- --ignored --nocapture`, about 20 minutes on 2 cores).
//!
//! Every limit is exact:
//! `exp` overflows to `inf` and underflows to 0 where the true result does, `exp_m1(-inf) = -1`,
//! `tanh(+-inf) = +-1` (and exactly 1 wherever the true value rounds to it), `erf(+-inf) = +-1`,
//! `ln(0) = -inf`, `ln` of a negative number is NaN, `ln_1p(-1) = -inf`, signed zeros are kept,
//! and a NaN in gives a NaN out.

#![allow(
    clippy::many_single_char_names,
    reason = "the formulas' own names: x, k, r, f, s, z, w"
)]

/// `f64` functions.
pub mod f64 {
    /// `log2(e)`.
    const LOG2_E: f64 = core::f64::consts::LOG2_E;
    /// The high part of `ln 2` (fdlibm's `ln2_hi`): its last 21 bits are 0, so `k * LN2_HI` is
    /// exact for `|k| < 2^21`.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    /// `ln 2 - LN2_HI` (fdlibm's `ln2_lo`).
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    /// `1.5 * 2^52`: adding it rounds to an integer, which then sits in the low bits.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    /// `2^52`, as bits: `from_bits(TWO_52_BITS | n) = 2^52 + n` for `n < 2^52`.
    const TWO_52_BITS: u64 = 0x4330_0000_0000_0000;
    /// `2^54`, to lift a subnormal into the normal range.
    const TWO_54: f64 = 18_014_398_509_481_984.0;
    /// Below this `|x|`, `exp_m1(x)` and `ln_1p(x)` round to `x`.
    const TINY: f64 = 1.0 / TWO_54;
    const SIGN: u64 = 1 << 63;
    const MANTISSA: u64 = (1 << 52) - 1;
    const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;
    /// The bits of `sqrt(2)/2`, rounded down to a whole high word, as fdlibm reduces by.
    const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_0000_0000;

    /// `1/n!` for `n = 2..=13`: the Taylor coefficients of `(e^r - 1 - r) / r^2`.
    const TAYLOR: [f64; 12] = [
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
        1.0 / 362_880.0,
        1.0 / 3_628_800.0,
        1.0 / 39_916_800.0,
        1.0 / 479_001_600.0,
        1.0 / 6_227_020_800.0,
    ];

    /// fdlibm's `Lg1..Lg7` (`e_log.c`): `R(z)` for `ln(1 + f)`, `z = s^2`, `s = f / (2 + f)`.
    const LG: [f64; 7] = [
        f64::from_bits(0x3fe5_5555_5555_5593), // 6.666666666666735130e-01
        f64::from_bits(0x3fd9_9999_9997_fa04), // 3.999999999940941908e-01
        f64::from_bits(0x3fd2_4924_9422_9359), // 2.857142874366239149e-01
        f64::from_bits(0x3fcc_71c5_1d8e_78af), // 2.222219843214978396e-01
        f64::from_bits(0x3fc7_4664_96cb_03de), // 1.818357216161805012e-01
        f64::from_bits(0x3fc3_9a09_d078_c69f), // 1.531383769920937332e-01
        f64::from_bits(0x3fc2_f112_df3e_5244), // 1.479819860511658591e-01
    ];

    /// `erf(1)` rounded to 24 bits (fdlibm's `erx`).
    const ERX: f64 = f64::from_bits(0x3feb_0ac1_6000_0000);
    /// `erf(x) = x + x pp(z)/qq(z)`, `z = x^2`, on `|x| < 0.84375` (`pp0..pp4`).
    const PP: [f64; 5] = [
        f64::from_bits(0x3fc0_6eba_8214_db68),
        f64::from_bits(0xbfd4_cd7d_691c_b913),
        f64::from_bits(0xbf9d_2a51_dbd7_194f),
        f64::from_bits(0xbf77_a291_2366_68e4),
        f64::from_bits(0xbef8_ead6_1200_16ac),
    ];
    /// `1, qq1..qq5`.
    const QQ: [f64; 6] = [
        1.0,
        f64::from_bits(0x3fd9_7779_cdda_dc09),
        f64::from_bits(0x3fb0_a54c_5536_ceba),
        f64::from_bits(0x3f74_d022_c4d3_6b0f),
        f64::from_bits(0x3f21_5dc9_221c_1a10),
        f64::from_bits(0xbed0_9c43_42a2_6120),
    ];
    /// `erf(x) = erx + pa(s)/qa(s)`, `s = |x| - 1`, on `[0.84375, 1.25)` (`pa0..pa6`).
    const PA: [f64; 7] = [
        f64::from_bits(0xbf63_59b8_bef7_7538),
        f64::from_bits(0x3fda_8d00_ad92_b34d),
        f64::from_bits(0xbfd7_d240_fbb8_c3f1),
        f64::from_bits(0x3fd4_5fca_8051_20e4),
        f64::from_bits(0xbfbc_6398_3d3e_28ec),
        f64::from_bits(0x3fa2_2a36_5997_95eb),
        f64::from_bits(0xbf61_bf38_0a96_073f),
    ];
    /// `1, qa1..qa6`.
    const QA: [f64; 7] = [
        1.0,
        f64::from_bits(0x3fbb_3e66_18ee_e323),
        f64::from_bits(0x3fe1_4af0_92eb_6f33),
        f64::from_bits(0x3fb2_635c_d99f_e9a7),
        f64::from_bits(0x3fc0_2660_e763_351f),
        f64::from_bits(0x3f8b_edc2_6b51_dd1c),
        f64::from_bits(0x3f88_8b54_5735_151d),
    ];
    /// `erfc(x) = e^(-x^2 - 0.5625 + ra(w)/sa(w)) / x`, `w = 1/x^2`, on `[1.25, 1/0.35)`
    /// (`ra0..ra7`).
    const RA: [f64; 8] = [
        f64::from_bits(0xbf84_3412_600d_6435),
        f64::from_bits(0xbfe6_3416_e4ba_7360),
        f64::from_bits(0xc025_1e04_41b0_e726),
        f64::from_bits(0xc04f_300a_e4cb_a38d),
        f64::from_bits(0xc064_4cb1_8428_2266),
        f64::from_bits(0xc067_135c_ebcc_abb2),
        f64::from_bits(0xc054_5265_57e4_d2f2),
        f64::from_bits(0xc023_a0ef_c69a_c25c),
    ];
    /// `1, sa1..sa8`.
    const SA: [f64; 9] = [
        1.0,
        f64::from_bits(0x4033_a6b9_bd70_7687),
        f64::from_bits(0x4061_350c_526a_e721),
        f64::from_bits(0x407b_290d_d58a_1a71),
        f64::from_bits(0x4084_2b19_21ec_2868),
        f64::from_bits(0x407a_d021_5770_0314),
        f64::from_bits(0x405b_28a3_ee48_ae2c),
        f64::from_bits(0x401a_47ef_8e48_4a93),
        f64::from_bits(0xbfae_eff2_ee74_9a62),
    ];
    /// The same on `[1/0.35, 6)` (`rb0..rb6`, padded with a 0).
    const RB: [f64; 8] = [
        f64::from_bits(0xbf84_3412_39e8_6f4a),
        f64::from_bits(0xbfe9_93ba_70c2_85de),
        f64::from_bits(0xc031_c209_555f_995a),
        f64::from_bits(0xc064_145d_43c5_ed98),
        f64::from_bits(0xc083_ec88_1375_f228),
        f64::from_bits(0xc090_0461_6a2e_5992),
        f64::from_bits(0xc07e_384e_9bdc_383f),
        0.0,
    ];
    /// `1, sb1..sb7`, padded with a 0.
    const SB: [f64; 9] = [
        1.0,
        f64::from_bits(0x403e_568b_261d_5190),
        f64::from_bits(0x4074_5cae_221b_9f0a),
        f64::from_bits(0x4098_02eb_189d_5118),
        f64::from_bits(0x40a8_ffb7_688c_246a),
        f64::from_bits(0x40a3_f219_cedf_3be6),
        f64::from_bits(0x407d_a874_e79f_e763),
        f64::from_bits(0xc036_70e2_4271_2d62),
        0.0,
    ];

    /// `c[0] + x (c[1] + x (c[2] + ...))`.
    #[inline]
    fn horner<const N: usize>(x: f64, c: &[f64; N]) -> f64 {
        let mut sum = c[N - 1];
        for &coefficient in c[..N - 1].iter().rev() {
            sum = coefficient + x * sum;
        }
        sum
    }

    /// [`horner`] with the coefficients `a` where `use_a`, else `b`, chosen one by one (so a
    /// vectorised loop chooses per lane).
    #[inline]
    fn horner_either<const N: usize>(x: f64, use_a: bool, a: &[f64; N], b: &[f64; N]) -> f64 {
        let pick = |i: usize| if use_a { a[i] } else { b[i] };
        let mut sum = pick(N - 1);
        for i in (0..N - 1).rev() {
            sum = pick(i) + x * sum;
        }
        sum
    }

    /// `|x|`.
    #[inline]
    fn abs(x: f64) -> f64 {
        f64::from_bits(x.to_bits() & !SIGN)
    }

    /// `magnitude` (not negative, or NaN) with the sign of `sign`.
    #[inline]
    fn with_sign_of(magnitude: f64, sign: f64) -> f64 {
        f64::from_bits(magnitude.to_bits() | (sign.to_bits() & SIGN))
    }

    /// `x`, but at most `high`; a NaN stays NaN.
    #[inline]
    fn at_most(x: f64, high: f64) -> f64 {
        if x > high { high } else { x }
    }

    /// `x`, but at most `high` and at least `low`; a NaN stays NaN.
    #[inline]
    fn clamp(x: f64, low: f64, high: f64) -> f64 {
        let x = at_most(x, high);
        if x < low { low } else { x }
    }

    /// `2^k`, for `k` in `-1022..=1023`.
    #[inline]
    #[allow(
        clippy::cast_sign_loss,
        reason = "the biased exponent is positive in range; out of range only for a NaN input"
    )]
    fn power_of_two(k: i64) -> f64 {
        f64::from_bits((k.wrapping_add(1023) as u64) << 52)
    }

    /// `x = k ln 2 + r` with `|r| <= ln 2 / 2` (a hair more where `k` rounds twice): `(k, r)`,
    /// for `|x|` below `2^50`.
    #[inline]
    #[allow(
        clippy::cast_possible_wrap,
        reason = "the difference of the bits is k, small, in two's complement"
    )]
    fn reduce(x: f64) -> (i64, f64, f64) {
        let shifted = x * LOG2_E + SHIFT;
        let k = shifted - SHIFT;
        // `high` is exact; `r + r_low = high - low` exactly (fast two-sum).
        let (high, low) = (x - k * LN2_HI, k * LN2_LO);
        let r = high - low;
        let r_low = (high - r) - low;
        (
            shifted.to_bits().wrapping_sub(SHIFT.to_bits()) as i64,
            r,
            r_low,
        )
    }

    /// `e^(r + r_low)` for `|r| <= ln 2 / 2` and a tiny `r_low`.
    #[inline]
    fn exp_reduced(r: f64, r_low: f64) -> f64 {
        1.0 + (r + (r * r * horner(r, &TAYLOR) + r_low * (1.0 + r)))
    }

    /// `2^k e^(r + r_low) - 1` for `|r| <= ln 2 / 2` and `k` in `-1021..=1024`, written as `2 (h p + (h - 1/2))`
    /// with `h = 2^(k-1)` and `p = e^r - 1`, so that the `-1` cancels without loss and `k = 1024`
    /// does not overflow `2^k`. `p` is kept as `hi + lo` and the sum is compensated (two-sum), so
    /// where `h p` and `h - 1/2` nearly cancel the rounding of `p` is not magnified.
    #[inline]
    fn scale_m1(k: i64, r: f64, r_low: f64) -> f64 {
        let tail = r * r * horner(r, &TAYLOR);
        let hi = r + tail;
        let lo = (tail - (hi - r)) + r_low * (1.0 + hi);
        let half = power_of_two(k - 1);
        let (a, b) = (half * hi, half - 0.5);
        let sum = a + b;
        let b_part = sum - a;
        let error = (a - (sum - b_part)) + (b - b_part);
        2.0 * (sum + (error + half * lo))
    }

    /// `e^x`.
    #[inline]
    pub fn exp(x: f64) -> f64 {
        // Below -746 the result rounds to 0, above 710 to inf; the clamp keeps `k` in range.
        let (k, r, r_low) = reduce(clamp(x, -746.0, 710.0));
        let k_half = k >> 1;
        exp_reduced(r, r_low) * power_of_two(k_half) * power_of_two(k - k_half)
    }

    /// `e^x - 1`, accurate near 0.
    #[inline]
    pub fn exp_m1(x: f64) -> f64 {
        // Below -40 the result rounds to -1.
        let (k, r, r_low) = reduce(clamp(x, -40.0, 710.0));
        let y = scale_m1(k, r, r_low);
        if abs(x) < TINY { x } else { y }
    }

    /// `(m - 1, k)` for `u = 2^k m` with `m` in `[sqrt(2)/2, sqrt(2))`, `u` positive and normal.
    #[inline]
    fn split(u: f64) -> (f64, f64) {
        let bits = u.to_bits().wrapping_add(ONE_BITS - SQRT_HALF_BITS);
        let m = f64::from_bits((bits & MANTISSA) + SQRT_HALF_BITS);
        // The biased exponent `k + 1023` as a float, through the bits of `2^52 + k + 1023`.
        let k = f64::from_bits(TWO_52_BITS | (bits >> 52)) - (4_503_599_627_370_496.0 + 1023.0);
        (m - 1.0, k)
    }

    /// `ln(2^k (1 + f)) + c`, for `1 + f` in `[sqrt(2)/2, sqrt(2))` and a small correction `c`.
    #[inline]
    fn ln_reduced(f: f64, k: f64, c: f64) -> f64 {
        let half_square = 0.5 * f * f;
        let s = f / (2.0 + f);
        let z = s * s;
        let w = z * z;
        let odd = z * horner(w, &[LG[0], LG[2], LG[4], LG[6]]);
        let even = w * horner(w, &[LG[1], LG[3], LG[5]]);
        s * (half_square + (odd + even)) + (k * LN2_LO + c) - half_square + f + k * LN2_HI
    }

    /// `y` where `u` is positive and finite; otherwise `ln(u)`: `-inf` at 0, `inf` at `inf`,
    /// NaN below 0 and for NaN.
    #[inline]
    fn ln_edges(u: f64, y: f64) -> f64 {
        let edge = if u == 0.0 {
            f64::NEG_INFINITY
        } else if u < 0.0 {
            f64::NAN
        } else {
            u
        };
        if u > 0.0 && u < f64::INFINITY {
            y
        } else {
            edge
        }
    }

    /// The natural logarithm: `-inf` at 0, NaN below 0.
    #[inline]
    pub fn ln(x: f64) -> f64 {
        let subnormal = x < f64::MIN_POSITIVE;
        let (f, k) = split(if subnormal { x * TWO_54 } else { x });
        let k = if subnormal { k - 54.0 } else { k };
        ln_edges(x, ln_reduced(f, k, 0.0))
    }

    /// `ln(1 + x)`, accurate near 0: `-inf` at -1, NaN below -1.
    #[inline]
    pub fn ln_1p(x: f64) -> f64 {
        let u = 1.0 + x;
        // The rounding error of `1 + x`, exactly (two-sum).
        let v = u - x;
        let c = (1.0 - v) + (x - (u - v));
        let (f, k) = split(u);
        let y = ln_reduced(f, k, c / u);
        let y = if abs(x) < TINY { x } else { y };
        ln_edges(u, y)
    }

    /// The hyperbolic tangent.
    #[inline]
    pub fn tanh(x: f64) -> f64 {
        // Past 20, `tanh` rounds to 1 (`1 - tanh(20)` is below 2^-55).
        let a = at_most(abs(x), 20.0);
        let (k, r, r_low) = reduce(2.0 * a);
        let e = scale_m1(k, r, r_low);
        with_sign_of(e / (e + 2.0), x)
    }

    /// The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt`.
    #[inline]
    pub fn erf(x: f64) -> f64 {
        let a = abs(x);
        // |x| < 0.84375.
        let z = x * x;
        let small = x + x * (horner(z, &PP) / horner(z, &QQ));
        // 0.84375 <= |x| < 1.25.
        let s = a - 1.0;
        let middle = ERX + horner(s, &PA) / horner(s, &QA);
        // 1.25 <= |x|; past 6, erf rounds to 1.
        let b = clamp(a, 1.25, 6.0);
        let w = 1.0 / (b * b);
        let near = b < 1.0 / 0.35;
        let ratio = horner_either(w, near, &RA, &RB) / horner_either(w, near, &SA, &SB);
        let large = 1.0 - exp(-b * b - 0.5625 + ratio) / b;
        let magnitude = if a < 1.25 { middle } else { large };
        if a < 0.84375 {
            small
        } else {
            with_sign_of(magnitude, x)
        }
    }
}

/// `f32` functions: the same methods with `f32` coefficients, computed in `f32` throughout.
pub mod f32 {
    /// `log2(e)`.
    const LOG2_E: f32 = core::f32::consts::LOG2_E;
    /// The high part of `ln 2` for `exp` (Cephes' `C1`, `355/512`): `k * LN2_HI` is exact.
    const LN2_HI: f32 = 355.0 / 512.0;
    /// `ln 2 - LN2_HI` (Cephes' `C2`).
    const LN2_LO: f32 = -2.121_944_4e-4;
    /// The high part of `ln 2` for `ln` (fdlibm's `ln2_hi`, `e_logf.c`).
    const LOG_LN2_HI: f32 = f32::from_bits(0x3f31_7180);
    /// `ln 2 - LOG_LN2_HI` (fdlibm's `ln2_lo`).
    const LOG_LN2_LO: f32 = f32::from_bits(0x3717_f7d1);
    /// `1.5 * 2^23`: adding it rounds to an integer, which then sits in the low bits.
    const SHIFT: f32 = 12_582_912.0;
    /// `2^23`, as bits: `from_bits(TWO_23_BITS | n) = 2^23 + n` for `n < 2^23`.
    const TWO_23_BITS: u32 = 0x4b00_0000;
    /// `2^25`, to lift a subnormal into the normal range.
    const TWO_25: f32 = 33_554_432.0;
    /// Below this `|x|`, `exp_m1(x)` and `ln_1p(x)` round to `x`.
    const TINY: f32 = 1.0 / TWO_25;
    const SIGN: u32 = 1 << 31;
    const MANTISSA: u32 = (1 << 23) - 1;
    const ONE_BITS: u32 = 0x3f80_0000;
    /// The bits of `sqrt(2)/2`.
    const SQRT_HALF_BITS: u32 = 0x3f35_04f3;

    /// `1/n!` for `n = 2..=8`: the Taylor coefficients of `(e^r - 1 - r) / r^2`.
    const TAYLOR: [f32; 7] = [
        1.0 / 2.0,
        1.0 / 6.0,
        1.0 / 24.0,
        1.0 / 120.0,
        1.0 / 720.0,
        1.0 / 5_040.0,
        1.0 / 40_320.0,
    ];

    /// fdlibm's `Lg1..Lg4` for `f32` (`e_logf.c`, error below `2^-34.24`).
    const LG: [f32; 4] = [
        f32::from_bits(0x3f2a_aaaa), // 0xaaaaaa.0p-24 = 0.66666662693
        f32::from_bits(0x3ecc_ce13), // 0xccce13.0p-25 = 0.40000972152
        f32::from_bits(0x3e91_e9ee), // 0x91e9ee.0p-25 = 0.28498786688
        f32::from_bits(0x3e78_9e26), // 0xf89e26.0p-26 = 0.24279078841
    ];

    /// fdlibm's `erx` for `f32`.
    const ERX: f32 = f32::from_bits(0x3f58_560b);
    /// `pp0..pp4` (`s_erff.c`).
    const PP: [f32; 5] = [
        f32::from_bits(0x3e03_75d4),
        f32::from_bits(0xbea6_6beb),
        f32::from_bits(0xbce9_528f),
        f32::from_bits(0xbbbd_1489),
        f32::from_bits(0xb7c7_56b1),
    ];
    /// `1, qq1..qq5`.
    const QQ: [f32; 6] = [
        1.0,
        f32::from_bits(0x3ecb_bbce),
        f32::from_bits(0x3d85_2a63),
        f32::from_bits(0x3ba6_8116),
        f32::from_bits(0x390a_ee49),
        f32::from_bits(0xb684_e21a),
    ];
    /// `pa0..pa6`.
    const PA: [f32; 7] = [
        f32::from_bits(0xbb1a_cdc6),
        f32::from_bits(0x3ed4_6805),
        f32::from_bits(0xbebe_9208),
        f32::from_bits(0x3ea2_fe54),
        f32::from_bits(0xbde3_1cc2),
        f32::from_bits(0x3d11_51b3),
        f32::from_bits(0xbb0d_f9c0),
    ];
    /// `1, qa1..qa6`.
    const QA: [f32; 7] = [
        1.0,
        f32::from_bits(0x3dd9_f331),
        f32::from_bits(0x3f0a_5785),
        f32::from_bits(0x3d93_1ae7),
        f32::from_bits(0x3e01_3307),
        f32::from_bits(0x3c5f_6e13),
        f32::from_bits(0x3c44_5aa3),
    ];
    /// `ra0..ra7`.
    const RA: [f32; 8] = [
        f32::from_bits(0xbc21_a093),
        f32::from_bits(0xbf31_a0b7),
        f32::from_bits(0xc128_f022),
        f32::from_bits(0xc279_8057),
        f32::from_bits(0xc322_658c),
        f32::from_bits(0xc338_9ae7),
        f32::from_bits(0xc2a2_932b),
        f32::from_bits(0xc11d_077e),
    ];
    /// `1, sa1..sa8`.
    const SA: [f32; 9] = [
        1.0,
        f32::from_bits(0x419d_35ce),
        f32::from_bits(0x4309_a863),
        f32::from_bits(0x43d9_486f),
        f32::from_bits(0x4421_58c9),
        f32::from_bits(0x43d6_810b),
        f32::from_bits(0x42d9_451f),
        f32::from_bits(0x40d2_3f7c),
        f32::from_bits(0xbd77_7f97),
    ];
    /// `rb0..rb6`, padded with a 0.
    const RB: [f32; 8] = [
        f32::from_bits(0xbc21_a092),
        f32::from_bits(0xbf4c_9dd4),
        f32::from_bits(0xc18e_104b),
        f32::from_bits(0xc320_a2ea),
        f32::from_bits(0xc41f_6441),
        f32::from_bits(0xc480_230b),
        f32::from_bits(0xc3f1_c275),
        0.0,
    ];
    /// `1, sb1..sb7`, padded with a 0.
    const SB: [f32; 9] = [
        1.0,
        f32::from_bits(0x41f2_b459),
        f32::from_bits(0x43a2_e571),
        f32::from_bits(0x44c0_1759),
        f32::from_bits(0x4547_fdbb),
        f32::from_bits(0x451f_90ce),
        f32::from_bits(0x43ed_43a7),
        f32::from_bits(0xc1b3_8712),
        0.0,
    ];

    /// `c[0] + x (c[1] + x (c[2] + ...))`.
    #[inline]
    fn horner<const N: usize>(x: f32, c: &[f32; N]) -> f32 {
        let mut sum = c[N - 1];
        for &coefficient in c[..N - 1].iter().rev() {
            sum = coefficient + x * sum;
        }
        sum
    }

    /// [`horner`] with the coefficients `a` where `use_a`, else `b`, chosen one by one.
    #[inline]
    fn horner_either<const N: usize>(x: f32, use_a: bool, a: &[f32; N], b: &[f32; N]) -> f32 {
        let pick = |i: usize| if use_a { a[i] } else { b[i] };
        let mut sum = pick(N - 1);
        for i in (0..N - 1).rev() {
            sum = pick(i) + x * sum;
        }
        sum
    }

    /// `|x|`.
    #[inline]
    fn abs(x: f32) -> f32 {
        f32::from_bits(x.to_bits() & !SIGN)
    }

    /// `magnitude` (not negative, or NaN) with the sign of `sign`.
    #[inline]
    fn with_sign_of(magnitude: f32, sign: f32) -> f32 {
        f32::from_bits(magnitude.to_bits() | (sign.to_bits() & SIGN))
    }

    /// `x`, but at most `high`; a NaN stays NaN.
    #[inline]
    fn at_most(x: f32, high: f32) -> f32 {
        if x > high { high } else { x }
    }

    /// `x`, but at most `high` and at least `low`; a NaN stays NaN.
    #[inline]
    fn clamp(x: f32, low: f32, high: f32) -> f32 {
        let x = at_most(x, high);
        if x < low { low } else { x }
    }

    /// `2^k`, for `k` in `-126..=127`.
    #[inline]
    #[allow(
        clippy::cast_sign_loss,
        reason = "the biased exponent is positive in range; out of range only for a NaN input"
    )]
    fn power_of_two(k: i32) -> f32 {
        f32::from_bits((k.wrapping_add(127) as u32) << 23)
    }

    /// `x = k ln 2 + r` with `|r| <= ln 2 / 2` (a hair more where `k` rounds twice): `(k, r)`,
    /// for `|x|` below `2^21`.
    #[inline]
    #[allow(
        clippy::cast_possible_wrap,
        reason = "the difference of the bits is k, small, in two's complement"
    )]
    fn reduce(x: f32) -> (i32, f32, f32) {
        let shifted = x * LOG2_E + SHIFT;
        let k = shifted - SHIFT;
        // `high` is exact; `r + r_low = high - low` exactly (fast two-sum).
        let (high, low) = (x - k * LN2_HI, k * LN2_LO);
        let r = high - low;
        let r_low = (high - r) - low;
        (
            shifted.to_bits().wrapping_sub(SHIFT.to_bits()) as i32,
            r,
            r_low,
        )
    }

    /// `e^(r + r_low)` for `|r| <= ln 2 / 2` and a tiny `r_low`.
    #[inline]
    fn exp_reduced(r: f32, r_low: f32) -> f32 {
        1.0 + (r + (r * r * horner(r, &TAYLOR) + r_low * (1.0 + r)))
    }

    /// `2^k e^(r + r_low) - 1` for `|r| <= ln 2 / 2` and `k` in `-125..=128`, written as `2 (h p + (h - 1/2))`
    /// with `h = 2^(k-1)` and `p = e^r - 1`, so that the `-1` cancels without loss and `k = 1024`
    /// does not overflow `2^k`. `p` is kept as `hi + lo` and the sum is compensated (two-sum), so
    /// where `h p` and `h - 1/2` nearly cancel the rounding of `p` is not magnified.
    #[inline]
    fn scale_m1(k: i32, r: f32, r_low: f32) -> f32 {
        let tail = r * r * horner(r, &TAYLOR);
        let hi = r + tail;
        let lo = (tail - (hi - r)) + r_low * (1.0 + hi);
        let half = power_of_two(k - 1);
        let (a, b) = (half * hi, half - 0.5);
        let sum = a + b;
        let b_part = sum - a;
        let error = (a - (sum - b_part)) + (b - b_part);
        2.0 * (sum + (error + half * lo))
    }

    /// `e^x`.
    #[inline]
    pub fn exp(x: f32) -> f32 {
        // Below -104 the result rounds to 0, above 89 to inf; the clamp keeps `k` in range.
        let (k, r, r_low) = reduce(clamp(x, -104.0, 89.0));
        let k_half = k >> 1;
        exp_reduced(r, r_low) * power_of_two(k_half) * power_of_two(k - k_half)
    }

    /// `e^x - 1`, accurate near 0.
    #[inline]
    pub fn exp_m1(x: f32) -> f32 {
        // Below -18 the result rounds to -1.
        let (k, r, r_low) = reduce(clamp(x, -18.0, 89.0));
        let y = scale_m1(k, r, r_low);
        if abs(x) < TINY { x } else { y }
    }

    /// `(m - 1, k)` for `u = 2^k m` with `m` in `[sqrt(2)/2, sqrt(2))`, `u` positive and normal.
    #[inline]
    fn split(u: f32) -> (f32, f32) {
        let bits = u.to_bits().wrapping_add(ONE_BITS - SQRT_HALF_BITS);
        let m = f32::from_bits((bits & MANTISSA) + SQRT_HALF_BITS);
        // The biased exponent `k + 127` as a float, through the bits of `2^23 + k + 127`.
        let k = f32::from_bits(TWO_23_BITS | (bits >> 23)) - (8_388_608.0 + 127.0);
        (m - 1.0, k)
    }

    /// `ln(2^k (1 + f)) + c`, for `1 + f` in `[sqrt(2)/2, sqrt(2))` and a small correction `c`.
    #[inline]
    fn ln_reduced(f: f32, k: f32, c: f32) -> f32 {
        let half_square = 0.5 * f * f;
        let s = f / (2.0 + f);
        let z = s * s;
        let w = z * z;
        let odd = z * (LG[0] + w * LG[2]);
        let even = w * (LG[1] + w * LG[3]);
        s * (half_square + (odd + even)) + (k * LOG_LN2_LO + c) - half_square + f + k * LOG_LN2_HI
    }

    /// `y` where `u` is positive and finite; otherwise `ln(u)`.
    #[inline]
    fn ln_edges(u: f32, y: f32) -> f32 {
        let edge = if u == 0.0 {
            f32::NEG_INFINITY
        } else if u < 0.0 {
            f32::NAN
        } else {
            u
        };
        if u > 0.0 && u < f32::INFINITY {
            y
        } else {
            edge
        }
    }

    /// The natural logarithm: `-inf` at 0, NaN below 0.
    #[inline]
    pub fn ln(x: f32) -> f32 {
        let subnormal = x < f32::MIN_POSITIVE;
        let (f, k) = split(if subnormal { x * TWO_25 } else { x });
        let k = if subnormal { k - 25.0 } else { k };
        ln_edges(x, ln_reduced(f, k, 0.0))
    }

    /// `ln(1 + x)`, accurate near 0: `-inf` at -1, NaN below -1.
    #[inline]
    pub fn ln_1p(x: f32) -> f32 {
        let u = 1.0 + x;
        let v = u - x;
        let c = (1.0 - v) + (x - (u - v));
        let (f, k) = split(u);
        let y = ln_reduced(f, k, c / u);
        let y = if abs(x) < TINY { x } else { y };
        ln_edges(u, y)
    }

    /// The hyperbolic tangent.
    #[inline]
    pub fn tanh(x: f32) -> f32 {
        // Past 10, `tanh` rounds to 1 (`1 - tanh(10)` is below 2^-27).
        let a = at_most(abs(x), 10.0);
        let (k, r, r_low) = reduce(2.0 * a);
        let e = scale_m1(k, r, r_low);
        with_sign_of(e / (e + 2.0), x)
    }

    /// The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt`.
    #[inline]
    pub fn erf(x: f32) -> f32 {
        let a = abs(x);
        let z = x * x;
        let small = x + x * (horner(z, &PP) / horner(z, &QQ));
        let s = a - 1.0;
        let middle = ERX + horner(s, &PA) / horner(s, &QA);
        // Past 4, erf rounds to 1.
        let b = clamp(a, 1.25, 4.0);
        let w = 1.0 / (b * b);
        let near = b < 1.0 / 0.35;
        let ratio = horner_either(w, near, &RA, &RB) / horner_either(w, near, &SA, &SB);
        let large = 1.0 - exp(-b * b - 0.5625 + ratio) / b;
        let magnitude = if a < 1.25 { middle } else { large };
        if a < 0.84375 {
            small
        } else {
            with_sign_of(magnitude, x)
        }
    }
}

#[cfg(test)]
mod tests {
    //! The ulp sweeps: every function against libm over the whole range of its type (random bit
    //! patterns, so every binade, subnormals and NaNs included), densely over the part of the
    //! range where it is not constant, and at the edges. `cargo test` runs a sampled sweep; the
    //! ignored tests run every `f32` and many more `f64`s (`cargo test --release -p
    //! backprop-core fast_math -- --ignored --nocapture`).

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

    fn cases_f64() -> [Case<f64>; 6] {
        [
            Case {
                name: "exp",
                fast: super::f64::exp,
                libm: libm::exp,
                low: -746.0,
                high: 710.0,
                bound: 1,
            },
            Case {
                name: "exp_m1",
                fast: super::f64::exp_m1,
                libm: libm::expm1,
                low: -40.0,
                high: 710.0,
                bound: 1,
            },
            Case {
                name: "ln",
                fast: super::f64::ln,
                libm: libm::log,
                low: 0.0,
                high: 1e3,
                bound: 1,
            },
            Case {
                name: "ln_1p",
                fast: super::f64::ln_1p,
                libm: libm::log1p,
                low: -1.0,
                high: 1e3,
                bound: 1,
            },
            Case {
                name: "tanh",
                fast: super::f64::tanh,
                libm: libm::tanh,
                low: -20.0,
                high: 20.0,
                bound: 3,
            },
            Case {
                name: "erf",
                fast: super::f64::erf,
                libm: libm::erf,
                low: -6.0,
                high: 6.0,
                bound: 1,
            },
        ]
    }

    fn cases_f32() -> [Case<f32>; 6] {
        [
            Case {
                name: "exp",
                fast: super::f32::exp,
                libm: libm::expf,
                low: -104.0,
                high: 89.0,
                bound: 1,
            },
            Case {
                name: "exp_m1",
                fast: super::f32::exp_m1,
                libm: libm::expm1f,
                low: -18.0,
                high: 89.0,
                bound: 1,
            },
            Case {
                name: "ln",
                fast: super::f32::ln,
                libm: libm::logf,
                low: 0.0,
                high: 1e3,
                bound: 1,
            },
            Case {
                name: "ln_1p",
                fast: super::f32::ln_1p,
                libm: libm::log1pf,
                low: -1.0,
                high: 1e3,
                bound: 1,
            },
            Case {
                name: "tanh",
                fast: super::f32::tanh,
                libm: libm::tanhf,
                low: -10.0,
                high: 10.0,
                bound: 3,
            },
            Case {
                name: "erf",
                fast: super::f32::erf,
                libm: libm::erff,
                low: -4.0,
                high: 4.0,
                bound: 1,
            },
        ]
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
            let ((distance, at), (error, error_at)) =
                worst_f32(case, inputs.iter().map(|&x| x as f32));
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
        use super::f64::{erf, exp, exp_m1, ln, ln_1p, tanh};
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
        use super::f32::{erf, exp, exp_m1, ln, ln_1p, tanh};
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
}
