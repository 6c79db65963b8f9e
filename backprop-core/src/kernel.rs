//! The layer kernels, and the one summation order every form of a net follows.
//!
//! # The canonical order
//!
//! Every forward dot product `z_j = sum_i w_ji a_i + b_j` over `n` inputs is summed in one fixed
//! order, with [`LANES`]` = 8` partial sums (the same constant for `f32` and `f64`, never the
//! machine's vector width):
//!
//! 1. lane `k` (for `k < min(n, 8)`) adds the products `w_ji a_i` for `i = k, k + 8, k + 16, ...`
//!    in that order, starting from its first product (not from 0, so a `-0.0` survives);
//! 2. the lanes that exist are added left to right: `((s_0 + s_1) + s_2) + ... + s_{m-1}`, with
//!    `m = min(n, 8)`;
//! 3. the bias comes last: `sum + b_j`. With no inputs the result is the bias.
//!
//! For `n <= 8` this is plain left to right, `((w_j0 a_0 + w_j1 a_1) + ...) + b_j`. [`dot`] and
//! [`affine`] write the order out literally; they are the reference the fast kernels are tested
//! against.
//!
//! The backward sums `upstream_i = sum_j w_ji delta_j` run over `j` in order from the first term,
//! and a mini-batch's gradient adds `delta_j a_i` to each weight sample by sample, in sample
//! order, from the gradient it starts with. Both orders vectorise as they stand (along `i`), so
//! they stay the natural ones.
//!
//! No fused multiply-add is used anywhere: every product is rounded before it is added.
//!
//! # The guarantee
//!
//! Because the order is fixed by the math and not by the code that runs it, these give the same
//! bits, for the same inputs and parameters:
//!
//! - [`Dense::pre_activation`], [`Dense::pre_activation_batch`] (any batch size, any split of a
//!   batch into calls), [`affine`], and the code `network!` generates (unrolled or looped);
//! - [`Dense::back_propagate`] and [`Dense::back_propagate_batch`];
//! - a loop of [`Dense::add_gradient`], one sample at a time, and [`Dense::add_gradient_batch`]
//!   over the same samples in the same order, however the samples are split into batches;
//! - debug and release builds, and every instruction set: the kernels choose AVX2 at run time
//!   where the CPU has it (with the `std` feature; without it they use the compile-time target's
//!   instruction set), and SSE2, AVX2, AVX-512, NEON or scalar code all round the same operations
//!   in the same order.
//!
//! The one exception is the payload of a NaN: a NaN result stays a NaN, but which NaN's bits it
//! carries is not promised (compilers may swap the operands of an addition).

#[cfg(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64")))]
mod avx2;
mod backward;
mod dispatch;
mod elementwise;
mod forward;
mod gradient;

#[doc(hidden)]
pub use dispatch::Isa;

use crate::{Dense, Scalar};

/// The number of partial sums of a forward dot product (see [the order](self#the-canonical-order)).
pub const LANES: usize = 8;

/// `sum_i weights[i] * input[i]` in the canonical order, written out literally: the reference
/// of the fast kernels. The empty sum is `-0.0`, the value that leaves any number unchanged when
/// added to it (so `dot(&[], &[]) + bias` is `bias`).
///
/// # Panics
///
/// If the slices differ in length.
pub fn dot<T: Scalar>(weights: &[T], input: &[T]) -> T {
    assert_eq!(weights.len(), input.len(), "one weight per input");
    let mut lanes: [Option<T>; LANES] = [None; LANES];
    for (i, (&weight, &value)) in weights.iter().zip(input).enumerate() {
        let product = weight * value;
        let lane = &mut lanes[i % LANES];
        *lane = Some(match *lane {
            Some(sum) => sum + product,
            None => product,
        });
    }
    let existing = lanes.into_iter().flatten();
    existing.reduce(|sum, lane| sum + lane).unwrap_or(-T::ZERO)
}

/// `sum_i weights[i] * input[i] + bias` in the canonical order: [`dot`], then the bias; the
/// bias alone when there are no inputs.
///
/// # Panics
///
/// If the slices differ in length.
pub fn affine<T: Scalar>(weights: &[T], input: &[T], bias: T) -> T {
    if weights.is_empty() {
        bias
    } else {
        dot(weights, input) + bias
    }
}

/// The sum of a dot product's lanes, left to right. The lanes that do not exist hold `-0.0`,
/// which adds nothing, so the result is the sum of the lanes that exist.
#[allow(
    clippy::inline_always,
    reason = "part of every kernel's body, which must be inlined into the AVX2 function"
)]
#[inline(always)]
fn add_lanes<T: Scalar>(lanes: [T; LANES]) -> T {
    let [first, rest @ ..] = lanes;
    rest.into_iter().fold(first, |sum, lane| sum + lane)
}

/// [`Dense::pre_activation`] with the given instruction set.
#[doc(hidden)]
pub fn pre_activation<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    input: &[T; I],
) -> [T; O] {
    let mut z = [T::ZERO; O];
    forward::batch(
        isa,
        layer,
        core::slice::from_ref(input),
        core::slice::from_mut(&mut z),
    );
    z
}

/// [`Dense::pre_activation_batch`] with the given instruction set.
#[doc(hidden)]
pub fn pre_activation_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    inputs: &[[T; I]],
    outputs: &mut [[T; O]],
) {
    forward::batch(isa, layer, inputs, outputs);
}

/// [`Dense::back_propagate`] with the given instruction set.
#[doc(hidden)]
pub fn back_propagate<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    delta: &[T; O],
) -> [T; I] {
    let mut upstream = [T::ZERO; I];
    backward::batch(
        isa,
        layer,
        core::slice::from_ref(delta),
        core::slice::from_mut(&mut upstream),
    );
    upstream
}

/// [`Dense::back_propagate_batch`] with the given instruction set.
#[doc(hidden)]
pub fn back_propagate_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    deltas: &[[T; O]],
    upstream: &mut [[T; I]],
) {
    backward::batch(isa, layer, deltas, upstream);
}

/// [`Dense::add_gradient_batch`] with the given instruction set.
#[doc(hidden)]
pub fn add_gradient_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    gradient: &mut Dense<T, I, O>,
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    gradient::batch(isa, gradient, deltas, inputs);
}

pub(crate) use elementwise::{add_assign, div_assign, set_gradient, sgd_step};

#[cfg(test)]
mod tests;
