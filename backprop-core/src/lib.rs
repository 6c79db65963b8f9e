//! The `no_std` runtime behind [`network!`]: the [`Scalar`] trait for `f32` and `f64`, the
//! [`Dense`] layer that holds a layer's parameters, the [`activation`] functions (each value next to
//! its derivative), the [`loss`] functions, and the [`Network`] trait every generated net
//! implements. Add this one crate as a dependency: it re-exports the macro.
//!
//! `network!` turns a declarative spec of a small feed-forward network into plain Rust: the
//! forward pass, and the closed-form derivative of the loss for every parameter, written out the
//! way a person derives backpropagation by hand. No tape, no heap, no `std`.
//!
//! ```
//! use backprop_core::{Dense, network};
//!
//! network! {
//!     /// The 2-2-1 ReLU net of the notebook.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Notebook {
//!         scalar: f64,                 // f32 or f64; optional, f64 when left out
//!         input: 2,                    // number of inputs
//!         hidden: dense(2, relu),      // a named layer: width, activation
//!         output: dense(1, relu),      // the last layer is the output
//!         loss: squared_error,
//!     }
//! }
//!
//! let mut net = Notebook {
//!     hidden: Dense { weights: [[1.0, 1.0], [0.5, -0.5]], bias: [0.5, 0.0] },
//!     output: Dense { weights: [[1.0, 1.0]], bias: [0.5] },
//! };
//! let (loss, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);
//! assert_eq!(loss, 0.25);
//! net.sgd_step(&gradient, 0.01);
//! assert_eq!(net.hidden.weights[0][0], 0.99);
//! ```
//!
//! # The spec
//!
//! - `scalar: f32 | f64 | I16F16`, optional (`f64`). `I16F16` (feature `fixed`) is Q16.16 fixed
//!   point in integer arithmetic only, written on the module `fixed` (behind the same feature):
//!   activations `identity`, `relu`, `leaky_relu`, `tanh`, `sigmoid`; losses `squared_error`,
//!   `mean_squared_error`; `forward`, `loss`, `gradient`, `sgd_step`, `train_step(input, target,
//!   learning_rate)` (plain SGD), `to_rust_source`.
//! - `quantize: int8`, optional: also generate `{Name}Int8`, the int8 net `{Name}::quantize(&inputs)`
//!   makes by post-training quantisation (see [`quant`]).
//! - `input: N`, the number of inputs.
//! - `name: dense(width, activation)`, one entry per layer, in order; each becomes a public field of
//!   type `Dense<T, INPUTS, OUTPUTS>` with `weights[j][i]` multiplying input `i` of node `j`. The
//!   last layer is the output.
//! - Activations: `identity`, `relu` (derivative 0 at 0), `leaky_relu(alpha)` (0.01 bare),
//!   `elu(alpha)` (1.0 bare), `sigmoid`, `tanh`, `softplus`, `silu`, `gelu` (exact, with erf),
//!   `softmax` (last layer only), or a path to a type implementing [`Activation`].
//! - `loss:` `squared_error` (`sum (y - t)^2`), `mean_squared_error`, `mean_absolute_error`,
//!   `huber(delta)` (1.0 bare), `binary_cross_entropy` (needs a `sigmoid` output; computed from the
//!   logits), `cross_entropy` (needs a `softmax` or `sigmoid` output; computed from the logits by
//!   log-sum-exp with `softmax`).
//!
//! Doc comments and attributes on the struct pass through; the visibility is yours.
//!
//! # What it generates
//!
//! For `I` inputs, `O` outputs and scalar `T`: the struct; `INPUTS`, `OUTPUTS`, `PARAMETERS`;
//! `DERIVATION`, the derivation as text; `zeroed()`; `forward(&[T; I]) -> [T; O]`;
//! `loss(&[T; I], &[T; O]) -> T`; `gradient(&[T; I], &[T; O]) -> (T, Self)`, the loss and the
//! derivative for every parameter in a value shaped like the net; `input_gradient(..) -> [T; I]`;
//! `sgd_step(&Self, T)`; and an implementation of [`Network`] for code written once for all nets.
//!
//! # The math of the activations
//!
//! By default a net's `tanh`, `sigmoid`, `softplus`, `silu`, `elu`, `gelu`, `softmax` and the
//! cross-entropies compute `exp`, `ln`, `tanh` and `erf` with [`fast_math`]: branch-free functions
//! that LLVM vectorises across a layer, within 1 ulp of libm (3 for `tanh`), several times faster
//! than a scalar libm call, which would otherwise cost more than the rest of a small net's
//! training step. The feature `libm-activations` switches them to [`libm`] (the same on every
//! target too), for results that match other libm-based code to the bit;
//! [`activation::LIBM`] tells which a build uses. Either way the unrolled and looped forms of a net
//! give the same bits, in debug and release builds alike.
//!
//! # The summation order, and what gives the same bits
//!
//! Every sum has one order, fixed by the math rather than by the code or the machine that runs it
//! (the [`kernel`] module has the details): a layer's pre-activation `sum_i w_ji a_i + b_j` keeps
//! eight partial sums (lane `k` adds inputs `k, k + 8, ...` in order), adds them left to right,
//! then the bias, so up to eight inputs it is plain left to right; the backward sums run over the
//! nodes in order; a mini-batch's gradient is summed sample by sample. No fused multiply-add is
//! used. So these agree to the bit: the unrolled and looped forms of a net, one sample and a
//! batch of any size (split into batches any way), debug and release builds, and every
//! instruction set. With the default `std` feature the layer kernels pick AVX2 at run time when
//! the CPU has it, with no `RUSTFLAGS`; without it they use the compile-time target's.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names `::backprop_core::...`; this lets the crate's own tests and docs use the
// macro as a user would.
extern crate self as backprop_core;

#[cfg(feature = "std")]
extern crate std;

pub mod activation;
mod dense;
pub mod fast_math;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod fit;
#[cfg(feature = "fixed")]
#[cfg_attr(docsrs, doc(cfg(feature = "fixed")))]
pub mod fixed;
pub mod gradient_check;
pub mod init;
pub mod kernel;
pub mod lanes;
pub mod loss;
mod network;
pub mod optim;
pub mod quant;
#[cfg(feature = "safetensors")]
#[cfg_attr(docsrs, doc(cfg(feature = "safetensors")))]
pub mod safetensors;
mod scalar;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod source;
pub mod store;

/// Without `std`, host-only items that generated code wraps in this macro are left out.
#[cfg(not(feature = "std"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_std {
    ($($item:tt)*) => {};
}

/// Paths generated code names; not part of the public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "std")]
    pub use std::string::String;
}

pub use activation::Activation;
pub use backprop_macros::network;
pub use dense::Dense;
pub use network::{LayerShape, Network};
pub use scalar::Scalar;
