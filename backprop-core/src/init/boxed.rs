//! The initialisers on the heap (`std`): for a net near the size of a thread's stack, built in
//! the heap's allocation and initialised there, with the bits of [`he_uniform`](super::he_uniform)
//! and the others for the same seed.
//!
//! Safe Rust has no placement `new`: `Box::new(N::zeroed())` forms the zeroed net before moving
//! it into its allocation, and a debug build forms it on the stack. Here that is one net, in a
//! frame of its own that is gone before the weights are drawn (into the allocation, in place);
//! `Box::new(N::he_uniform(seed))` in a debug build holds two or three, in the caller's frame. An
//! optimised build writes the zeros straight into the allocation.

use super::{Xoshiro256PlusPlus, fan_in, fan_sum, fill, normal, uniform};
use crate::{Network, Tensor};
use std::boxed::Box;

/// A net whose every parameter is zero, on the heap: at most one net's size of stack, in this
/// call's own frame (a debug build's), none once optimised.
#[inline(never)]
#[must_use]
pub fn boxed_zeroed<N: Network>() -> Box<N> {
    Box::new(N::zeroed())
}

/// The zeroed net on the heap, its weights then drawn in place.
fn boxed<N: Network>(
    seed: u64,
    scale: impl Fn(&Tensor) -> f64,
    draw: fn(&mut Xoshiro256PlusPlus) -> f64,
) -> Box<N> {
    let mut net = boxed_zeroed::<N>();
    fill(&mut *net, seed, scale, draw);
    net
}

/// [`he_uniform`](super::he_uniform) on the heap: the same bits, built in place.
#[must_use]
pub fn boxed_he_uniform<N: Network>(seed: u64) -> Box<N> {
    boxed(seed, |tensor| libm::sqrt(6.0 / fan_in(tensor)), uniform)
}

/// [`he_normal`](super::he_normal) on the heap: the same bits, built in place.
#[must_use]
pub fn boxed_he_normal<N: Network>(seed: u64) -> Box<N> {
    boxed(seed, |tensor| libm::sqrt(2.0 / fan_in(tensor)), normal)
}

/// [`xavier_uniform`](super::xavier_uniform) on the heap: the same bits, built in place.
#[must_use]
pub fn boxed_xavier_uniform<N: Network>(seed: u64) -> Box<N> {
    boxed(seed, |tensor| libm::sqrt(6.0 / fan_sum(tensor)), uniform)
}

/// [`xavier_normal`](super::xavier_normal) on the heap: the same bits, built in place.
#[must_use]
pub fn boxed_xavier_normal<N: Network>(seed: u64) -> Box<N> {
    boxed(seed, |tensor| libm::sqrt(2.0 / fan_sum(tensor)), normal)
}
