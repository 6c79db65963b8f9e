//! The entry points compiled once per scalar type in this crate: a net's crate calls them, and
//! instantiates none of the kernels' code for its layers' shapes.

use super::dispatch::Isa;
use super::elementwise::{self, Rule};
use super::{backward, forward, gradient};

/// The kernels of one scalar type, compiled once in this crate: the entry points of [`affine`](super::affine),
/// [`transposed`](super::transposed) and [`add_outer`](super::add_outer). A supertrait of the sealed [`Scalar`](crate::Scalar), implemented for `f32`
/// and `f64` only; not nameable outside the crate.
pub trait PerScalar: Sized {
    /// [`affine`](super::affine) for this scalar.
    fn affine(
        isa: Isa,
        weights: &[Self],
        bias: &[Self],
        columns: usize,
        inputs: &[Self],
        outputs: &mut [Self],
    );
    /// [`transposed`](super::transposed) for this scalar.
    fn transposed(
        isa: Isa,
        weights: &[Self],
        columns: usize,
        deltas: &[Self],
        upstream: &mut [Self],
    );
    /// [`add_outer`](super::add_outer) for this scalar.
    fn add_outer(
        isa: Isa,
        gradient: &mut [Self],
        bias: &mut [Self],
        columns: usize,
        deltas: &[Self],
        inputs: &[Self],
    );
    /// `rule(p, q)` for each pair of `parameters` and `others`.
    fn pairs(isa: Isa, parameters: &mut [Self], others: &[Self], rule: Rule<Self>);
    /// `p = p / divisor` for each parameter.
    fn divide(isa: Isa, parameters: &mut [Self], divisor: Self);
    /// `weights[j][i] = delta[j] * input[i]`.
    fn outer(isa: Isa, weights: &mut [Self], delta: &[Self], input: &[Self]);
}

/// Implements [`PerScalar`] for one float type. Not `#[inline]`, and not generic: each body is
/// compiled here, once per type.
macro_rules! per_scalar {
    ($($float:ty),*) => {$(
        impl PerScalar for $float {
            fn affine(
                isa: Isa,
                weights: &[Self],
                bias: &[Self],
                columns: usize,
                inputs: &[Self],
                outputs: &mut [Self],
            ) {
                forward::affine(isa, weights, bias, columns, inputs, outputs);
            }

            fn transposed(
                isa: Isa,
                weights: &[Self],
                columns: usize,
                deltas: &[Self],
                upstream: &mut [Self],
            ) {
                backward::transposed(isa, weights, columns, deltas, upstream);
            }

            fn add_outer(
                isa: Isa,
                gradient: &mut [Self],
                bias: &mut [Self],
                columns: usize,
                deltas: &[Self],
                inputs: &[Self],
            ) {
                gradient::add_outer(isa, gradient, bias, columns, deltas, inputs);
            }

            fn pairs(isa: Isa, parameters: &mut [Self], others: &[Self], rule: Rule<Self>) {
                elementwise::apply(isa, parameters, others, rule);
            }

            fn divide(isa: Isa, parameters: &mut [Self], divisor: Self) {
                elementwise::divide(isa, parameters, divisor);
            }

            fn outer(isa: Isa, weights: &mut [Self], delta: &[Self], input: &[Self]) {
                elementwise::outer(isa, weights, delta, input);
            }
        }
    )*};
}

per_scalar!(f32, f64);
