//! The generators: [`SplitMix64`] to expand a seed, [`Xoshiro256PlusPlus`] to draw from.

use core::f64::consts::TAU;

/// `SplitMix64` (Steele, Lea & Flood 2014), as in Vigna's reference `splitmix64.c`: a 64-bit
/// counter stepped by the golden ratio and hashed. Used to expand one `u64` seed into a
/// [`Xoshiro256PlusPlus`] state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    x: u64,
}

impl SplitMix64 {
    /// The generator whose state is `seed`.
    pub const fn new(seed: u64) -> Self {
        Self { x: seed }
    }

    /// The next output: `x += 0x9e3779b97f4a7c15`, then the mix of `x`.
    pub const fn next_u64(&mut self) -> u64 {
        self.x = self.x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = self.x;
        let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// xoshiro256++ (Blackman & Vigna 2021, "Scrambled Linear Pseudorandom Number Generators"), as in
/// the reference `xoshiro256plusplus.c`: 256 bits of state, period `2^256 - 1`, `u64` outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Xoshiro256PlusPlus {
    s: [u64; 4],
}

impl Xoshiro256PlusPlus {
    /// The generator with state `s`, which must not be all zero (it would output only zeros).
    pub const fn from_state(s: [u64; 4]) -> Self {
        Self { s }
    }

    /// The generator seeded from one `u64`, as the authors recommend: its state is the first four
    /// outputs of [`SplitMix64`] seeded with `seed` (the same as `rand_xoshiro`'s
    /// `seed_from_u64`). Never all zero.
    pub const fn seed_from_u64(seed: u64) -> Self {
        let mut splitmix = SplitMix64::new(seed);
        let s0 = splitmix.next_u64();
        let s1 = splitmix.next_u64();
        let s2 = splitmix.next_u64();
        let s3 = splitmix.next_u64();
        Self::from_state([s0, s1, s2, s3])
    }

    /// The next output: `rotl(s0 + s3, 23) + s0`, then the state's linear step.
    pub const fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform draw from `[0, 1)`: the top 53 bits of [`next_u64`](Self::next_u64) times
    /// `2^-53`, so every value is a multiple of `2^-53`.
    pub const fn next_f64(&mut self) -> f64 {
        const TWO_TO_MINUS_53: f64 = 1.0 / 9_007_199_254_740_992.0;
        #[allow(clippy::cast_precision_loss, reason = "53 bits are exact in an f64")]
        let top = (self.next_u64() >> 11) as f64;
        top * TWO_TO_MINUS_53
    }

    /// A draw from the standard normal distribution by the Box–Muller transform (Box & Muller
    /// 1958), from two uniforms `u1` in `(0, 1]` and `u2` in `[0, 1)`:
    /// `sqrt(-2 ln u1) cos(2 pi u2)` (the sine half of the pair is not used).
    pub fn next_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.next_f64();
        let u2 = self.next_f64();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(TAU * u2)
    }
}

#[cfg(test)]
mod tests {
    use super::{SplitMix64, Xoshiro256PlusPlus};

    #[test]
    fn splitmix64_matches_the_reference_implementation() {
        // The first outputs of splitmix64.c seeded with 1477776061723855037, as recorded in the
        // reference test of the rand_xoshiro crate.
        let mut rng = SplitMix64::new(1_477_776_061_723_855_037);
        let expected = [
            1_985_237_415_132_408_290,
            2_979_275_885_539_914_483,
            13_511_426_838_097_143_398,
            8_488_337_342_461_049_707,
            15_141_737_807_933_549_159,
        ];
        assert_eq!(expected.map(|_| rng.next_u64()), expected);
    }

    #[test]
    fn xoshiro256plusplus_matches_the_reference_implementation() {
        // The first outputs of xoshiro256plusplus.c from the state {1, 2, 3, 4}, as recorded in
        // the reference test of the rand_xoshiro crate.
        let mut rng = Xoshiro256PlusPlus::from_state([1, 2, 3, 4]);
        let expected = [
            41_943_041,
            58_720_359,
            3_588_806_011_781_223,
            3_591_011_842_654_386,
            9_228_616_714_210_784_205,
            9_973_669_472_204_895_162,
            14_011_001_112_246_962_877,
            12_406_186_145_184_390_807,
            15_849_039_046_786_891_736,
            10_450_023_813_501_588_000,
        ];
        assert_eq!(expected.map(|_| rng.next_u64()), expected);
    }

    #[test]
    fn seeding_takes_four_splitmix64_outputs() {
        let mut splitmix = SplitMix64::new(42);
        let state = [(); 4].map(|()| splitmix.next_u64());
        let mut seeded = Xoshiro256PlusPlus::seed_from_u64(42);
        let mut from_state = Xoshiro256PlusPlus::from_state(state);
        assert_eq!(
            [(); 8].map(|()| seeded.next_u64()),
            [(); 8].map(|()| from_state.next_u64())
        );
        assert_eq!(
            Xoshiro256PlusPlus::seed_from_u64(0),
            Xoshiro256PlusPlus::seed_from_u64(0)
        );
        assert_ne!(Xoshiro256PlusPlus::seed_from_u64(0).s, [0; 4]);
    }

    /// The mean and the variance of `samples` draws of `draw`.
    fn moments(samples: u32, mut draw: impl FnMut() -> f64) -> (f64, f64) {
        let (mut sum, mut sum_of_squares) = (0.0, 0.0);
        for _ in 0..samples {
            let x = draw();
            sum += x;
            sum_of_squares += x * x;
        }
        let mean = sum / f64::from(samples);
        (mean, sum_of_squares / f64::from(samples) - mean * mean)
    }

    #[test]
    fn uniform_moments() {
        // U[0, 1): mean 1/2, variance 1/12; with 10^6 draws the standard errors are 3e-4 and 9e-5.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let (mean, variance) = moments(1_000_000, || {
            let u = rng.next_f64();
            assert!((0.0..1.0).contains(&u));
            u
        });
        assert!((mean - 0.5).abs() < 2e-3, "mean {mean}");
        assert!((variance - 1.0 / 12.0).abs() < 1e-3, "variance {variance}");
    }

    #[test]
    fn normal_moments() {
        // N(0, 1): mean 0, variance 1; with 10^6 draws the standard errors are 1e-3 and 1.4e-3.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        let (mean, variance) = moments(1_000_000, || rng.next_normal());
        assert!(mean.abs() < 5e-3, "mean {mean}");
        assert!((variance - 1.0).abs() < 1e-2, "variance {variance}");
    }
}
