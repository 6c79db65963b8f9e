//! The error function, fdlibm's rational approximations on `|x| < 0.84375`, `[0.84375, 1.25)` and
//! `[1.25, 6)` (`[1.25, 4)` for `f32`; the last split at `1/0.35` by selecting coefficients), all
//! computed and one chosen per lane; for `|x| >= 1.25`, `erf = 1 - e^(-x^2 - 0.5625 + R/S) / |x|`
//! with a single `exp` (fdlibm splits `x^2` exactly for `erfc`; for `erf` the rounding of `x^2`
//! moves the result by under 0.1 ulp). The coefficients are fdlibm's (`s_erf.c`, `s_erff.c`),
//! taken bit for bit from their hex.

use super::exp::{Exp, exp};
use super::width::{clamp, horner, horner_either};

/// The coefficients and the bounds of the pieces, per width.
pub trait Erf: Exp {
    /// `erf(1)` rounded to 24 bits (fdlibm's `erx`).
    const ERX: Self;
    /// `pp0..`: `erf(x) = x + x pp(z)/qq(z)`, `z = x^2`, on `|x| < 0.84375`.
    const PP: &'static [Self];
    /// `1, qq1..`.
    const QQ: &'static [Self];
    /// `pa0..`: `erf(x) = erx + pa(s)/qa(s)`, `s = |x| - 1`, on `[0.84375, 1.25)`.
    const PA: &'static [Self];
    /// `1, qa1..`.
    const QA: &'static [Self];
    /// `ra0..`: `erfc(x) = e^(-x^2 - 0.5625 + ra(w)/sa(w)) / x`, `w = 1/x^2`, on `[1.25, 1/0.35)`.
    const RA: &'static [Self];
    /// `1, sa1..`.
    const SA: &'static [Self];
    /// `rb0..`, the same on `[1/0.35, SATURATES)`, padded with 0s to the length of `RA`.
    const RB: &'static [Self];
    /// `1, sb1..`, padded with 0s to the length of `SA`.
    const SB: &'static [Self];
    /// `1/0.35`, computed in the width.
    const NEAR: Self;
    /// `0.84375`, where the first piece ends.
    const SMALL: Self;
    /// `1.25`, where the second piece ends.
    const MIDDLE: Self;
    /// `0.5625`.
    const OFFSET: Self;
    /// Past this `|x|`, `erf` rounds to 1: 6 (4 for `f32`).
    const SATURATES: Self;
}

impl Erf for f64 {
    const ERX: f64 = f64::from_bits(0x3feb_0ac1_6000_0000);
    const PP: &'static [f64] = &PP_F64;
    const QQ: &'static [f64] = &QQ_F64;
    const PA: &'static [f64] = &PA_F64;
    const QA: &'static [f64] = &QA_F64;
    const RA: &'static [f64] = &RA_F64;
    const SA: &'static [f64] = &SA_F64;
    const RB: &'static [f64] = &RB_F64;
    const SB: &'static [f64] = &SB_F64;
    const NEAR: f64 = 1.0 / 0.35;
    const SMALL: f64 = 0.84375;
    const MIDDLE: f64 = 1.25;
    const OFFSET: f64 = 0.5625;
    const SATURATES: f64 = 6.0;
}

impl Erf for f32 {
    const ERX: f32 = f32::from_bits(0x3f58_560b);
    const PP: &'static [f32] = &PP_F32;
    const QQ: &'static [f32] = &QQ_F32;
    const PA: &'static [f32] = &PA_F32;
    const QA: &'static [f32] = &QA_F32;
    const RA: &'static [f32] = &RA_F32;
    const SA: &'static [f32] = &SA_F32;
    const RB: &'static [f32] = &RB_F32;
    const SB: &'static [f32] = &SB_F32;
    const NEAR: f32 = 1.0 / 0.35;
    const SMALL: f32 = 0.84375;
    const MIDDLE: f32 = 1.25;
    const OFFSET: f32 = 0.5625;
    const SATURATES: f32 = 4.0;
}

/// The error function `erf(x) = 2/sqrt(pi) * integral from 0 to x of e^(-t^2) dt`.
#[inline]
pub fn erf<F: Erf>(x: F) -> F {
    let a = x.abs();
    // |x| < 0.84375.
    let z = x * x;
    let small = x + x * (horner(z, F::PP) / horner(z, F::QQ));
    // 0.84375 <= |x| < 1.25.
    let s = a - F::ONE;
    let middle = F::ERX + horner(s, F::PA) / horner(s, F::QA);
    // 1.25 <= |x|; past `SATURATES`, erf rounds to 1.
    let b = clamp(a, F::MIDDLE, F::SATURATES);
    let w = F::ONE / (b * b);
    let near = b < F::NEAR;
    let ratio = horner_either(w, near, F::RA, F::RB) / horner_either(w, near, F::SA, F::SB);
    let large = F::ONE - exp(-b * b - F::OFFSET + ratio) / b;
    let magnitude = if a < F::MIDDLE { middle } else { large };
    if a < F::SMALL {
        small
    } else {
        magnitude.with_sign_of(x)
    }
}

/// `erf(x) = x + x pp(z)/qq(z)`, `z = x^2`, on `|x| < 0.84375` (`pp0..pp4`).
const PP_F64: [f64; 5] = [
    f64::from_bits(0x3fc0_6eba_8214_db68),
    f64::from_bits(0xbfd4_cd7d_691c_b913),
    f64::from_bits(0xbf9d_2a51_dbd7_194f),
    f64::from_bits(0xbf77_a291_2366_68e4),
    f64::from_bits(0xbef8_ead6_1200_16ac),
];

/// `pp0..pp4` (`s_erff.c`).
const PP_F32: [f32; 5] = [
    f32::from_bits(0x3e03_75d4),
    f32::from_bits(0xbea6_6beb),
    f32::from_bits(0xbce9_528f),
    f32::from_bits(0xbbbd_1489),
    f32::from_bits(0xb7c7_56b1),
];

/// `1, qq1..qq5`.
const QQ_F64: [f64; 6] = [
    1.0,
    f64::from_bits(0x3fd9_7779_cdda_dc09),
    f64::from_bits(0x3fb0_a54c_5536_ceba),
    f64::from_bits(0x3f74_d022_c4d3_6b0f),
    f64::from_bits(0x3f21_5dc9_221c_1a10),
    f64::from_bits(0xbed0_9c43_42a2_6120),
];

/// `1, qq1..qq5`.
const QQ_F32: [f32; 6] = [
    1.0,
    f32::from_bits(0x3ecb_bbce),
    f32::from_bits(0x3d85_2a63),
    f32::from_bits(0x3ba6_8116),
    f32::from_bits(0x390a_ee49),
    f32::from_bits(0xb684_e21a),
];

/// `erf(x) = erx + pa(s)/qa(s)`, `s = |x| - 1`, on `[0.84375, 1.25)` (`pa0..pa6`).
const PA_F64: [f64; 7] = [
    f64::from_bits(0xbf63_59b8_bef7_7538),
    f64::from_bits(0x3fda_8d00_ad92_b34d),
    f64::from_bits(0xbfd7_d240_fbb8_c3f1),
    f64::from_bits(0x3fd4_5fca_8051_20e4),
    f64::from_bits(0xbfbc_6398_3d3e_28ec),
    f64::from_bits(0x3fa2_2a36_5997_95eb),
    f64::from_bits(0xbf61_bf38_0a96_073f),
];

/// `pa0..pa6`.
const PA_F32: [f32; 7] = [
    f32::from_bits(0xbb1a_cdc6),
    f32::from_bits(0x3ed4_6805),
    f32::from_bits(0xbebe_9208),
    f32::from_bits(0x3ea2_fe54),
    f32::from_bits(0xbde3_1cc2),
    f32::from_bits(0x3d11_51b3),
    f32::from_bits(0xbb0d_f9c0),
];

/// `1, qa1..qa6`.
const QA_F64: [f64; 7] = [
    1.0,
    f64::from_bits(0x3fbb_3e66_18ee_e323),
    f64::from_bits(0x3fe1_4af0_92eb_6f33),
    f64::from_bits(0x3fb2_635c_d99f_e9a7),
    f64::from_bits(0x3fc0_2660_e763_351f),
    f64::from_bits(0x3f8b_edc2_6b51_dd1c),
    f64::from_bits(0x3f88_8b54_5735_151d),
];

/// `1, qa1..qa6`.
const QA_F32: [f32; 7] = [
    1.0,
    f32::from_bits(0x3dd9_f331),
    f32::from_bits(0x3f0a_5785),
    f32::from_bits(0x3d93_1ae7),
    f32::from_bits(0x3e01_3307),
    f32::from_bits(0x3c5f_6e13),
    f32::from_bits(0x3c44_5aa3),
];

/// `erfc(x) = e^(-x^2 - 0.5625 + ra(w)/sa(w)) / x`, `w = 1/x^2`, on `[1.25, 1/0.35)`
/// (`ra0..ra7`).
const RA_F64: [f64; 8] = [
    f64::from_bits(0xbf84_3412_600d_6435),
    f64::from_bits(0xbfe6_3416_e4ba_7360),
    f64::from_bits(0xc025_1e04_41b0_e726),
    f64::from_bits(0xc04f_300a_e4cb_a38d),
    f64::from_bits(0xc064_4cb1_8428_2266),
    f64::from_bits(0xc067_135c_ebcc_abb2),
    f64::from_bits(0xc054_5265_57e4_d2f2),
    f64::from_bits(0xc023_a0ef_c69a_c25c),
];

/// `ra0..ra7`.
const RA_F32: [f32; 8] = [
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
const SA_F64: [f64; 9] = [
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

/// `1, sa1..sa8`.
const SA_F32: [f32; 9] = [
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

/// The same on `[1/0.35, 6)` (`rb0..rb6`, padded with a 0).
const RB_F64: [f64; 8] = [
    f64::from_bits(0xbf84_3412_39e8_6f4a),
    f64::from_bits(0xbfe9_93ba_70c2_85de),
    f64::from_bits(0xc031_c209_555f_995a),
    f64::from_bits(0xc064_145d_43c5_ed98),
    f64::from_bits(0xc083_ec88_1375_f228),
    f64::from_bits(0xc090_0461_6a2e_5992),
    f64::from_bits(0xc07e_384e_9bdc_383f),
    0.0,
];

/// `rb0..rb6`, padded with a 0.
const RB_F32: [f32; 8] = [
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
const SB_F64: [f64; 9] = [
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

/// `1, sb1..sb7`, padded with a 0.
const SB_F32: [f32; 9] = [
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
