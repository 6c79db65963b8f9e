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
//! [`dot_bias`] write the order out literally; they are the reference the fast kernels are tested
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
//!   batch into calls), [`dot_bias`], [`affine`], and the code `network!` generates (unrolled or
//!   looped);
//! - [`Dense::back_propagate`], [`Dense::back_propagate_batch`] and [`transposed`];
//! - a loop of [`Dense::add_gradient`], one sample at a time, and [`Dense::add_gradient_batch`]
//!   or [`add_outer`] over the same samples in the same order, however the samples are split into
//!   batches;
//! - debug and release builds, and every instruction set: the kernels choose AVX2 at run time
//!   where the CPU has it (with the `std` feature; without it they use the compile-time target's
//!   instruction set), and SSE2, AVX2, AVX-512, NEON or scalar code all round the same operations
//!   in the same order. On a target without a vector unit (a Cortex-M, a RISC-V core without V,
//!   AVR...) the kernels take the same sums row by row instead of in tiles of 8-lane vectors,
//!   which would cost such a core instructions, code and stack: the same order, the same bits.
//!
//! The one exception is the payload of a NaN: a NaN result stays a NaN, but which NaN's bits it
//! carries is not promised (compilers may swap the operands of an addition).
//!
//! # Where the kernels are compiled
//!
//! The kernels work on slices, the widths passed at run time: [`affine`], [`transposed`] and
//! [`add_outer`] reach code compiled once for `f32` and once for `f64` inside this crate (through
//! the sealed [`Scalar`] trait, in `kernel/entry.rs`), so a net's crate does not instantiate and optimise them for each
//! layer's shape. `Dense`'s methods are thin wrappers over them.

#[cfg(all(feature = "std", any(target_arch = "x86", target_arch = "x86_64")))]
mod avx2;
mod backward;
mod dispatch;
mod elementwise;
mod entry;
mod forward;
mod gradient;
mod walk;

#[doc(hidden)]
pub use dispatch::Isa;
use dispatch::TILES;
pub(crate) use entry::PerScalar;

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
/// bias alone when there are no inputs. The reference of one node of [`affine`].
///
/// # Panics
///
/// If the slices differ in length.
pub fn dot_bias<T: Scalar>(weights: &[T], input: &[T], bias: T) -> T {
    if weights.is_empty() {
        bias
    } else {
        dot(weights, input) + bias
    }
}

/// [`dot_bias`] inline, lane by lane: one node of a layer whose rows are read one at a time (a
/// recurrent cell's gates), where a call to the entry points would cost more than the row.
#[inline]
pub(crate) fn row_plus<T: Scalar>(row: &[T], input: &[T], bias: T) -> T {
    assert_eq!(row.len(), input.len(), "one weight per input");
    if row.is_empty() {
        bias
    } else {
        forward::node(row, input) + bias
    }
}

/// `outputs[s][j] = weights[j] . inputs[s] + bias[j]` in the canonical order, for every sample
/// `s` and node `j`: `rows = bias.len()` nodes of `columns` inputs, `weights` row-major
/// (`weights.len() == rows * columns`), `samples = outputs.len() / rows` samples, each sample's
/// inputs and outputs contiguous. With no columns, every output is its bias.
///
/// # Panics
///
/// If the lengths do not fit these shapes.
#[doc(hidden)]
#[inline]
pub fn affine<T: Scalar>(
    isa: Isa,
    weights: &[T],
    bias: &[T],
    columns: usize,
    inputs: &[T],
    outputs: &mut [T],
) {
    T::affine(isa, weights, bias, columns, inputs, outputs);
}

/// `upstream[s][i] = sum_j weights[j][i] * deltas[s][j]`, over `j` in order from the first term,
/// for every sample `s` and column `i`: `rows = weights.len() / columns`, `samples =
/// upstream.len() / columns`, `deltas.len() == samples * rows`. Zeros when there are no rows.
///
/// # Panics
///
/// If the lengths do not fit these shapes.
#[doc(hidden)]
#[inline]
pub fn transposed<T: Scalar>(
    isa: Isa,
    weights: &[T],
    columns: usize,
    deltas: &[T],
    upstream: &mut [T],
) {
    T::transposed(isa, weights, columns, deltas, upstream);
}

/// For each sample `s` in order: `gradient[j][i] += deltas[s][j] * inputs[s][i]` and `bias[j] +=
/// deltas[s][j]`: `rows = bias.len()`, `gradient.len() == rows * columns`, `samples =
/// deltas.len() / rows`, `inputs.len() == samples * columns`.
///
/// # Panics
///
/// If the lengths do not fit these shapes.
#[doc(hidden)]
#[inline]
pub fn add_outer<T: Scalar>(
    isa: Isa,
    gradient: &mut [T],
    bias: &mut [T],
    columns: usize,
    deltas: &[T],
    inputs: &[T],
) {
    <T as PerScalar>::add_outer(isa, gradient, bias, columns, deltas, inputs);
}

/// `block` cut into `S` consecutive parts of `width` values.
#[allow(
    clippy::inline_always,
    reason = "part of every kernel's body, which must be inlined into the AVX2 function"
)]
#[inline(always)]
fn split<T, const S: usize>(block: &[T], width: usize) -> [&[T]; S] {
    let mut parts: [&[T]; S] = [&[]; S];
    for (s, part) in parts.iter_mut().enumerate() {
        *part = &block[s * width..(s + 1) * width];
    }
    parts
}

/// Whether a layer operation of `work` multiplications runs inline, in plain loops specialised
/// to the layer's widths, rather than through the entry points compiled once per scalar: below
/// the work for which the instruction set is chosen at run time, where the call and the widths
/// known only at run time would cost more than the work itself. The order is the same.
#[allow(
    clippy::inline_always,
    reason = "a constant at every call, so that the branch not taken folds away"
)]
#[inline(always)]
const fn inline(work: usize) -> bool {
    work < dispatch::DISPATCH_MIN_WORK
}

/// [`Dense::pre_activation`] with the given instruction set.
#[doc(hidden)]
#[inline]
pub fn pre_activation<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    input: &[T; I],
) -> [T; O] {
    if const { I > 0 && (!TILES || inline(I * O)) } {
        // Inlined here, so that the layer's widths are constants to the loops, and no zeros
        // written first: on a small core, and for a small layer anywhere.
        core::array::from_fn(|j| forward::node(&layer.weights[j], input) + layer.bias[j])
    } else {
        let mut z = [T::ZERO; O];
        affine(
            isa,
            layer.weights.as_flattened(),
            &layer.bias,
            I,
            input,
            &mut z,
        );
        z
    }
}

/// [`Dense::pre_activation_batch`] with the given instruction set.
///
/// # Panics
///
/// If `inputs` and `outputs` differ in length.
#[doc(hidden)]
#[inline]
pub fn pre_activation_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    inputs: &[[T; I]],
    outputs: &mut [[T; O]],
) {
    assert_eq!(inputs.len(), outputs.len(), "one output per input");
    let (weights, bias) = (layer.weights.as_flattened(), &layer.bias);
    affine(
        isa,
        weights,
        bias,
        I,
        inputs.as_flattened(),
        outputs.as_flattened_mut(),
    );
}

/// [`Dense::back_propagate`] with the given instruction set.
#[doc(hidden)]
#[inline]
pub fn back_propagate<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    delta: &[T; O],
) -> [T; I] {
    if const { inline(I * O) } {
        // Each sum over the rows in order, from its first term.
        let mut upstream = [T::ZERO; I];
        let mut rows = layer.weights.iter().zip(delta);
        if let Some((row, &delta_j)) = rows.next() {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                *sum = weight * delta_j;
            }
        }
        for (row, &delta_j) in rows {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                *sum += weight * delta_j;
            }
        }
        return upstream;
    }
    let mut upstream = [T::ZERO; I];
    transposed(isa, layer.weights.as_flattened(), I, delta, &mut upstream);
    upstream
}

/// [`Dense::back_propagate_batch`] with the given instruction set.
///
/// # Panics
///
/// If `deltas` and `upstream` differ in length.
#[doc(hidden)]
#[inline]
pub fn back_propagate_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    layer: &Dense<T, I, O>,
    deltas: &[[T; O]],
    upstream: &mut [[T; I]],
) {
    assert_eq!(deltas.len(), upstream.len(), "one upstream slope per delta");
    let weights = layer.weights.as_flattened();
    transposed(
        isa,
        weights,
        I,
        deltas.as_flattened(),
        upstream.as_flattened_mut(),
    );
}

/// [`Dense::add_gradient_batch`] with the given instruction set.
///
/// # Panics
///
/// If `deltas` and `inputs` differ in length.
#[doc(hidden)]
#[inline]
pub fn add_gradient_batch<T: Scalar, const I: usize, const O: usize>(
    isa: Isa,
    gradient: &mut Dense<T, I, O>,
    deltas: &[[T; O]],
    inputs: &[[T; I]],
) {
    assert_eq!(deltas.len(), inputs.len(), "one delta per input");
    if const { inline(I * O) } && inline(I * O * deltas.len()) {
        for (delta, input) in deltas.iter().zip(inputs) {
            for (row, &delta_j) in gradient.weights.iter_mut().zip(delta) {
                for (slope, &value) in row.iter_mut().zip(input) {
                    *slope += delta_j * value;
                }
            }
            for (bias, &delta_j) in gradient.bias.iter_mut().zip(delta) {
                *bias += delta_j;
            }
        }
        return;
    }
    let (weights, bias) = (gradient.weights.as_flattened_mut(), &mut gradient.bias);
    add_outer(
        isa,
        weights,
        bias,
        I,
        deltas.as_flattened(),
        inputs.as_flattened(),
    );
}

pub(crate) use elementwise::{add_assign, div_assign, set_gradient, sgd_step};

#[cfg(test)]
mod tests;
