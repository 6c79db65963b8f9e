//! Deterministic, seedable initialisation: the same parameters, to the bit, for a seed on every
//! platform.
//!
//! Each function draws every weight of every layer in order (layer by layer, weights row by row,
//! as [`Network::tensor`] lays them out) from one [`Xoshiro256PlusPlus`] seeded with
//! [`Xoshiro256PlusPlus::seed_from_u64`], scaled for the layer's `fan_in` (its inputs) and
//! `fan_out` (its nodes); biases are zero. A draw is made in `f64` and rounded to the net's scalar.
//!
//! | function           | distribution of each weight                                 |
//! |--------------------|-------------------------------------------------------------|
//! | [`he_uniform`]     | `U(-a, a)`, `a = sqrt(6 / fan_in)` (He et al. 2015)          |
//! | [`he_normal`]      | `N(0, s^2)`, `s = sqrt(2 / fan_in)`                          |
//! | [`xavier_uniform`] | `U(-a, a)`, `a = sqrt(6 / (fan_in + fan_out))` (Glorot & Bengio 2010) |
//! | [`xavier_normal`]  | `N(0, s^2)`, `s = sqrt(2 / (fan_in + fan_out))`              |
//!
//! ```
//! use backprop_core::{init, network, Network};
//!
//! network! {
//!     #[derive(Debug, PartialEq)]
//!     struct Net {
//!         input: 2,
//!         hidden: dense(3, relu),
//!         output: dense(1, identity),
//!         loss: squared_error,
//!     }
//! }
//!
//! let net: Net = init::he_uniform(42);
//! assert_eq!(net, init::he_uniform(42));
//! assert!(net.hidden.weights.as_flattened().iter().all(|w| w.abs() <= 3.0_f64.sqrt()));
//! assert_eq!(net.output.bias, [0.0]);
//! ```
//!
//! # The generator
//!
//! The module writes its own generator, [`SplitMix64`] for seeding and xoshiro256++ for drawing
//! (about thirty lines, [`rng`]), rather than depending on `rand_core` and `rand_xoshiro`:
//! both algorithms are fully specified by their public-domain reference C code and tested here
//! against its published outputs, so the bits are pinned by this crate alone, not by the
//! versions of two more dependencies (whose `SeedableRng` API has changed across majors). The
//! runtime keeps one dependency, `libm`, which is what makes the normal draws the same
//! everywhere: uniform draws use only integer arithmetic, one exact conversion and one
//! correctly rounded `sqrt`; normal draws (Box–Muller) also use `libm`'s `log` and `cos`, which
//! are the same software on every target.

#[cfg(feature = "std")]
mod boxed;
pub mod rng;

#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use boxed::{
    boxed_he_normal, boxed_he_uniform, boxed_xavier_normal, boxed_xavier_uniform, boxed_zeroed,
};

pub use rng::{SplitMix64, Xoshiro256PlusPlus};

#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::{Network, Tensor};

/// He (Kaiming) uniform initialisation: each weight from `U(-a, a)`, `a = sqrt(6 / fan_in)`
/// (He, Zhang, Ren & Sun 2015); biases zero.
pub fn he_uniform<N: Network>(seed: u64) -> N {
    initialise(seed, |tensor| libm::sqrt(6.0 / fan_in(tensor)), uniform)
}

/// He (Kaiming) normal initialisation: each weight from `N(0, s^2)`, `s = sqrt(2 / fan_in)`
/// (He, Zhang, Ren & Sun 2015); biases zero.
pub fn he_normal<N: Network>(seed: u64) -> N {
    initialise(seed, |tensor| libm::sqrt(2.0 / fan_in(tensor)), normal)
}

/// Xavier (Glorot) uniform initialisation: each weight from `U(-a, a)`,
/// `a = sqrt(6 / (fan_in + fan_out))` (Glorot & Bengio 2010); biases zero.
pub fn xavier_uniform<N: Network>(seed: u64) -> N {
    initialise(seed, |tensor| libm::sqrt(6.0 / fan_sum(tensor)), uniform)
}

/// Xavier (Glorot) normal initialisation: each weight from `N(0, s^2)`,
/// `s = sqrt(2 / (fan_in + fan_out))` (Glorot & Bengio 2010); biases zero.
pub fn xavier_normal<N: Network>(seed: u64) -> N {
    initialise(seed, |tensor| libm::sqrt(2.0 / fan_sum(tensor)), normal)
}

/// `fan_in`: the inputs that feed each output the tensor weighs.
#[allow(clippy::cast_precision_loss, reason = "fans are far below 2^52")]
fn fan_in(tensor: &Tensor) -> f64 {
    tensor.fan_in as f64
}

/// `fan_in + fan_out`.
#[allow(clippy::cast_precision_loss, reason = "fans are far below 2^52")]
fn fan_sum(tensor: &Tensor) -> f64 {
    (tensor.fan_in + tensor.fan_out) as f64
}

/// A draw from `U(-1, 1)`: `2 u - 1` for `u` uniform in `[0, 1)` (exact).
fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    2.0 * rng.next_f64() - 1.0
}

/// A draw from `N(0, 1)`.
fn normal(rng: &mut Xoshiro256PlusPlus) -> f64 {
    rng.next_normal()
}

/// The net whose every weight of each tensor `w` is `scale(w) draw()`, tensor after tensor in
/// order, and every bias zero.
fn initialise<N: Network>(
    seed: u64,
    scale: impl Fn(&Tensor) -> f64,
    draw: fn(&mut Xoshiro256PlusPlus) -> f64,
) -> N {
    let mut net = N::zeroed();
    fill(&mut net, seed, scale, draw);
    net
}

/// Draws every weight of the zeroed `net` in place, as [`initialise`].
fn fill<N: Network>(
    net: &mut N,
    seed: u64,
    scale: impl Fn(&Tensor) -> f64,
    draw: fn(&mut Xoshiro256PlusPlus) -> f64,
) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    for (index, tensor) in N::TENSORS.iter().enumerate() {
        if tensor.bias {
            continue;
        }
        let scale = scale(tensor);
        for weight in net.tensor_mut(index) {
            *weight = N::Scalar::from_f64(scale * draw(&mut rng));
        }
    }
}

#[cfg(test)]
mod tests;
