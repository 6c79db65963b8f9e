//! The hand-written references: for each net, the plain Rust a person would write for that exact
//! net, without the macro.
//!
//! Each takes the layers as the generated struct holds them (`backprop_core::Dense`, used here as
//! plain data: `weights[j][i]` and `bias[j]`, none of its methods) and computes the same
//! formulas with the same runtime functions for `tanh`, softmax and log-sum-exp. A training step
//! is written the way one writes it by hand: the deltas, then each layer's weights updated in
//! place as `w -= lr * (delta_j * a_i)`, never storing a gradient (the same numbers as a gradient
//! followed by `sgd_step`).
//!
//! The wide nets come in two flavours (see [`kernels`]): `ordered`, bit-identical to the
//! generated code, and `fast`, whose dot products are split into partial sums so they vectorise
//! (the fastest plain Rust, equal to the generated results only up to rounding).

pub mod canonical;
pub mod classifier;
pub mod kernels;
pub mod motion;
pub mod notebook;
pub mod regression;
pub mod signal;
pub mod tabular;
pub mod vowels;
