//! The `no_std` runtime behind [`network!`]: the [`Scalar`] trait for `f32` and `f64`, the
//! [`layers`] that hold a layer's parameters and compute its passes, the [`activation`] functions (each value next to
//! its derivative), the [`loss`] functions, and the [`Network`] trait every generated net
//! implements; and what training a classifier needs around the net: [`metrics`] (argmax, accuracy,
//! a confusion matrix) and, with `std`, `data` (CSV, stratified splits, standardisation). Add this
//! one crate as a dependency: it re-exports the macro.
//!
//! `network!` turns a declarative spec of a small neural network into plain Rust: the
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
//!   its activations are `identity`, `relu`, `hard_tanh`, `hard_sigmoid`, `leaky_relu`, `sigmoid`
//!   and `tanh`, and its losses `squared_error` and `mean_squared_error`; `forward`, `loss`, `gradient`, `sgd_step`, `train_step(input, target,
//!   learning_rate)` (plain SGD), `to_rust_source`.
//! - `quantize: int8`, optional: also generate `{Name}Int8`, the int8 net `{Name}::quantize(&inputs)`
//!   makes by post-training quantisation (see [`quant`]).
//! - `input: N`, the number of inputs, or `input: [C, L]`, a signal of `C` channels of `L` steps
//!   (a sample is `[[T; L]; C]`, channels first as PyTorch's `Conv1d`).
//! - One entry per layer, `name: kind(...)`, in order; each becomes a public field of the kind's
//!   type in [`layers`]. The last layer is the output, and writes a vector. The kinds, each with
//!   PyTorch's parameters and layout:
//!   - `dense(width, activation)`: [`Dense`], `weights[j][i]` multiplying input `i` of node `j`;
//!     after a signal it reads the signal flattened channel-major (PyTorch's `Flatten`).
//!   - `conv1d(channels, kernel, activation)`: [`Conv1d`], `weights[o][i][k]`;
//!     `depthwise_conv1d(kernel, activation)`: [`DepthwiseConv1d`], one filter per channel
//!     (`groups = channels`). Both take `stride = S` and `padding = P` (zeros on each side,
//!     smaller than the kernel), 1 and 0 when left out.
//!   - `max_pool1d(n)`, `avg_pool1d(n)`: windows of `n` steps, `n` apart, a tail that does not fit
//!     dropped; a max pool routes the delta to the first maximum. `global_avg_pool1d`: `[C, L]` to
//!     `[C]`. No parameters.
//!   - `gru(hidden)`: [`Gru`], PyTorch's `GRU` (gates r, z, n) over the signal's steps, its last
//!     hidden state; `gru(hidden, sequence)` returns every step's, a signal `[hidden, L]`, so GRUs
//!     stack and a convolution can follow. Trained by backpropagation through the whole signal,
//!     every step's values on the stack.
//! - Activations: `identity`, `relu` (derivative 0 at 0), `relu6` (`min(max(z, 0), 6)`, derivative 0
//!   at 0 and 6), `leaky_relu(alpha)` (0.01 bare),
//!   `elu(alpha)` (1.0 bare), `sigmoid`, `tanh`, `hard_sigmoid` (`min(max(z + 3, 0), 6) / 6`), `hard_tanh` (`min(max(z, -1), 1)`),
//!   `softplus`, `silu`, `gelu` (exact, with erf),
//!   `softmax` (last layer only), or a path to a type implementing [`Activation`].
//! - Losses: `squared_error` (the sum over the outputs of `(y - t)^2`), `mean_squared_error` (the
//!   mean over the outputs), `mean_absolute_error` (the mean of `|y - t|`), `huber(delta)` (the
//!   mean over the outputs; delta 1.0 bare), `binary_cross_entropy` (the mean over the outputs;
//!   needs a `sigmoid` output, computed from its logits), `cross_entropy` (the sum
//!   `-sum_o t_o ln p_o`; needs a `softmax` output, computed from its logits by log-sum-exp).
//!   Written `loss: name`. `cross_entropy`'s target is one-hot or any distribution over the
//!   outputs; `binary_cross_entropy` takes a target in `[0, 1]` per output (multi-label), and is
//!   the loss for a `sigmoid` output (`cross_entropy` there is a compile error that says so). With
//!   a `softmax` or `sigmoid` output layer, `forward` returns the probabilities.
//! - `form: unrolled | looped`, optional. *Unrolled*, a local per scalar and a line per parameter,
//!   reads like the notebook and is the fastest for small nets; *looped*, whole-layer operations
//!   on the weight arrays, keeps compile time growing with the layers rather than the parameters.
//!   Left out, nets of up to 256 parameters are unrolled and larger ones looped; `form: unrolled`
//!   is refused past 4096 parameters. Both forms compute the same bits.
//!
//! Entries come in any order, separated by commas. Doc comments and attributes on the struct pass
//! through; the visibility is yours. Every mistake in a spec is a compile error at the token to
//! blame, all of them in one compile.
//!
//! # What it generates
//!
//! [`example_generated::Notebook`] is the net above, expanded into these docs: every item below
//! has its page there, with the documentation a generated net carries
//! ([`example_generated::Motion`] is a net over a signal). For `I` inputs, `O` outputs and scalar
//! `T` (a signal net takes `[[T; L]; C]` where `[T; I]` is written):
//!
//! | item | what it is |
//! | --- | --- |
//! | `pub struct Name { pub layer: Dense<T, IN, OUT>, ... }` | one public field per layer, of its kind's type in [`layers`] |
//! | [`INPUTS`], [`OUTPUTS`], [`PARAMETERS`] | the sizes |
//! | [`DERIVATION`] | the derivation as text, one line per quantity (also in the docs of `gradient`) |
//! | [`FORWARD_FLOPS`], [`GRADIENT_FLOPS`], [`GRADIENT_STACK_BYTES`] | costs, known at compile time |
//! | [`GRAPH_DOT`] | the net as a Graphviz graph, forward dataflow and deltas |
//! | [`zeroed()`] | every parameter zero; a `const fn` |
//! | [`he_uniform`], [`he_normal`], [`xavier_uniform`], [`xavier_normal`] `(seed: u64)` | seeded initialisation |
//! | [`forward`]`(&[T; I]) -> [T; O]` | the output; a `const fn` when the net is unrolled (`form: unrolled`, or no `form` and 256 parameters or fewer) and every activation is one the runtime need not call (`identity`, `relu`, `relu6`, `hard_tanh`, `hard_sigmoid`, `leaky_relu`) |
//! | [`forward_batch`]`(&[[T; I]], &mut [[T; O]])` | the outputs of a batch, the same bits as `forward` on each |
//! | [`loss`]`(&[T; I], &[T; O]) -> T` | the loss against a target |
//! | [`gradient`]`(&[T; I], &[T; O]) -> (T, Self)` | the loss and dL/d(every parameter), in a value shaped like the net |
//! | [`gradient_into`]`(.., &mut Self) -> T` | the same, written into a gradient you own |
//! | [`accumulate_gradient`]`(.., &mut Self) -> T` | added to it, to sum a mini-batch in place |
//! | [`accumulate_batch`]`(&[[T; I]], &[[T; O]], &mut Self) -> T` | a whole mini-batch added, through blocks of samples, the same bits |
//! | [`batch_gradient`]`(&[[T; I]], &[[T; O]]) -> (T, Self)` | the mean loss and the mean gradient of a mini-batch |
//! | [`input_gradient`]`(&[T; I], &[T; O]) -> [T; I]` | dL/d(input) |
//! | [`sgd_step`]`(&Self, T)` | every parameter minus rate times its derivative |
//! | [`train_step`]`(&[T; I], &[T; O], &mut impl Optimizer<Self>) -> T` | one sample's gradient, then a step of any [`optim`] optimizer (plain SGD descends each parameter in place, with no gradient in memory) |
//! | [`train_step_into`]`(.., &mut impl Optimizer<Self>, &mut Self) -> T` | `train_step`'s bits, its gradient written into a buffer you keep: no net-sized temporary |
//! | [`train_batch`]`(&[[T; I]], &[[T; O]], &mut impl Optimizer<Self>, &mut Self) -> T` | a step on a mini-batch's mean gradient, into a gradient buffer you keep |
//! | [`to_array`]`() -> [T; PARAMETERS]`, [`from_array`] | every parameter in one flat array, and back |
//! | [`check_gradient`]`(&[T; I], &[T; O]) -> GradientCheck` | every derivative against central finite differences, skipping those whose step crosses a kink ([`gradient_check`]) |
//! | `to_rust_source(&str) -> String` | with the `std` feature: the net as the text of a `pub const` item with full paths, which reads back bit for bit |
//! | `boxed_zeroed()`, `boxed_he_uniform(u64)`, `boxed_he_normal(u64)`, `boxed_xavier_uniform(u64)`, `boxed_xavier_normal(u64)` `-> Box<Self>` | with the `std` feature: the constructors on the heap, for a net near the size of a thread's stack (with [`Adam::boxed`](optim::Adam) and the other optimizers' `boxed`, whose state is then on the heap too); the same bits |
//! | `impl` [`Network`] | the same for code written once for every net, with the parameters as flat tensors |
//!
//! With `quantize: int8` in the spec ([`example_generated::Classifier`]), a net also gets:
//!
//! | item | what it is |
//! | --- | --- |
//! | [`quantize`]`(&[[T; I]]) -> NameInt8` | post-training quantisation of the trained net, activation ranges from the calibration inputs ([`quant`]) |
//! | `pub struct` [`NameInt8`] | the int8 net: int8 weights with a scale per output row, `i32` sums, integer requantisation |
//! | [`forward_i8`]`(&[i8; I]) -> [i8; O]` | the int8 net's output codes, in integer arithmetic only |
//! | [`quantize_input`]`(&[T; I]) -> [i8; I]` | a float input as the codes `forward_i8` reads |
//! | [`NameInt8::forward`]`(&[T; I]) -> [T; O]` | quantises in, runs `forward_i8`, dequantises out |
//! | `NameInt8::to_rust_source(&str) -> String` | with the `std` feature: the int8 net as a `pub const` item |
//!
//! With `scalar: I16F16` (feature `fixed`), a net computes in Q16.16 fixed point: its `forward`,
//! `gradient`, `sgd_step` and `train_step(input, target, learning_rate)` run in integers only
//! (`example_generated::FixedNotebook` and the module `fixed`, rendered with the `fixed` feature).
//!
//! [`INPUTS`]: example_generated::Notebook::INPUTS
//! [`OUTPUTS`]: example_generated::Notebook::OUTPUTS
//! [`PARAMETERS`]: example_generated::Notebook::PARAMETERS
//! [`DERIVATION`]: example_generated::Notebook::DERIVATION
//! [`FORWARD_FLOPS`]: example_generated::Notebook::FORWARD_FLOPS
//! [`GRADIENT_FLOPS`]: example_generated::Notebook::GRADIENT_FLOPS
//! [`GRADIENT_STACK_BYTES`]: example_generated::Notebook::GRADIENT_STACK_BYTES
//! [`GRAPH_DOT`]: example_generated::Notebook::GRAPH_DOT
//! [`zeroed()`]: example_generated::Notebook::zeroed
//! [`he_uniform`]: example_generated::Notebook::he_uniform
//! [`he_normal`]: example_generated::Notebook::he_normal
//! [`xavier_uniform`]: example_generated::Notebook::xavier_uniform
//! [`xavier_normal`]: example_generated::Notebook::xavier_normal
//! [`forward`]: example_generated::Notebook::forward
//! [`loss`]: example_generated::Notebook::loss
//! [`gradient`]: example_generated::Notebook::gradient
//! [`gradient_into`]: example_generated::Notebook::gradient_into
//! [`accumulate_gradient`]: example_generated::Notebook::accumulate_gradient
//! [`accumulate_batch`]: example_generated::Notebook::accumulate_batch
//! [`batch_gradient`]: example_generated::Notebook::batch_gradient
//! [`input_gradient`]: example_generated::Notebook::input_gradient
//! [`sgd_step`]: example_generated::Notebook::sgd_step
//! [`train_step`]: example_generated::Notebook::train_step
//! [`train_step_into`]: example_generated::Notebook::train_step_into
//! [`train_batch`]: example_generated::Notebook::train_batch
//! [`forward_batch`]: example_generated::Notebook::forward_batch
//! [`to_array`]: example_generated::Notebook::to_array
//! [`from_array`]: example_generated::Notebook::from_array
//! [`check_gradient`]: example_generated::Notebook::check_gradient
//! [`quantize`]: example_generated::Classifier::quantize
//! [`NameInt8`]: example_generated::ClassifierInt8
//! [`forward_i8`]: example_generated::ClassifierInt8::forward_i8
//! [`quantize_input`]: example_generated::ClassifierInt8::quantize_input
//! [`NameInt8::forward`]: example_generated::ClassifierInt8::forward
//!
//! # Features
//!
//! Only `std` is on by default (`default-features = false` for `no_std` firmware); the forward,
//! gradient and update paths need none of them. Documentation built with `--cfg docsrs` (on
//! nightly, as docs.rs builds it) marks each item that needs a feature on its page; a local `cargo
//! doc` shows the items of the features it was given (`--all-features` for every one).
//!
//! | feature | what it adds |
//! | --- | --- |
// Each row in its own attribute: it links the feature's items when they are built, and names them
// without a link otherwise (rustdoc checks the links of each attribute on its own).
#![cfg_attr(
    feature = "std",
    doc = "| `std` | [`fit`], the epoch loop (seeded shuffles, mini-batches, a callback per epoch, early stopping on a held-out set); [`data`], CSV to arrays, stratified splits and standardisation; `to_rust_source` on every net and int8 net ([`source`]); the layer kernels choose AVX2 at run time where the CPU has it (the same bits) |"
)]
#![cfg_attr(
    not(feature = "std"),
    doc = "| `std` | `fit`, the epoch loop; `data`, CSV to arrays, stratified splits and standardisation; `to_rust_source` on every net and int8 net (module `source`); the layer kernels choose AVX2 at run time where the CPU has it (the same bits) |"
)]
#![cfg_attr(
    feature = "progress",
    doc = "| `progress` (turns on `std`) | [`fit::Progress`], a progress bar for the fit loop (indicatif): a bar on a terminal, four plain lines a run anywhere else |"
)]
#![cfg_attr(
    not(feature = "progress"),
    doc = "| `progress` (turns on `std`) | `fit::Progress`, a progress bar for the fit loop (indicatif): a bar on a terminal, four plain lines a run anywhere else |"
)]
//! | `plot` (turns on `std`) | `LossCurve::write_svg`: a fit's `LossCurve` as an SVG (plotters' SVG backend: no fonts or image libraries) |
#![cfg_attr(
    feature = "safetensors",
    doc = "| `safetensors` (turns on `std`) | [`safetensors`], a net's parameters saved and loaded with the names and shapes PyTorch gives an `nn.Sequential`; loading is strict, as PyTorch's is |"
)]
#![cfg_attr(
    not(feature = "safetensors"),
    doc = "| `safetensors` (turns on `std`) | module `safetensors`, a net's parameters saved and loaded with the names and shapes PyTorch gives an `nn.Sequential`; loading is strict, as PyTorch's is |"
)]
#![cfg_attr(
    feature = "tflite",
    doc = "| `tflite` (turns on `std`) | [`tflite`], TensorFlow Lite files read: a float `.tflite` into a net, an int8 one into its `{Name}Int8` with the file's own scales and zero points, strictly; an int8 net written as a `.tflite` (`save`); the `network!` spec of a file |"
)]
#![cfg_attr(
    not(feature = "tflite"),
    doc = "| `tflite` (turns on `std`) | module `tflite`, TensorFlow Lite files read: a float `.tflite` into a net, an int8 one into its `{Name}Int8` with the file's own scales and zero points, strictly; an int8 net written as a `.tflite` (`save`); the `network!` spec of a file |"
)]
//! | `libm-activations` | the activations and losses through libm rather than [`math`]'s fast kernels (see below); no items of its own, [`math::LIBM`] says which a build uses |
#![cfg_attr(
    feature = "fixed",
    doc = "| `fixed` | [`fixed`] and `scalar: I16F16` nets: Q16.16 fixed point in integer arithmetic only, for parts without an FPU ([`example_generated::FixedNotebook`]) |"
)]
#![cfg_attr(
    not(feature = "fixed"),
    doc = "| `fixed` | module `fixed` and `scalar: I16F16` nets: Q16.16 fixed point in integer arithmetic only, for parts without an FPU (`example_generated::FixedNotebook`) |"
)]
//!
//! # The math of the activations
//!
//! By default a net's `tanh`, `sigmoid`, `softplus`, `silu`, `elu`, `gelu`, `softmax` and the
//! cross-entropies compute `exp`, `ln`, `tanh` and `erf` with the fast kernels of [`math`]: branch-free functions
//! that LLVM vectorises across a layer, within 1 ulp of libm (3 for `tanh`), several times faster
//! than a scalar libm call, which would otherwise cost more than the rest of a small net's
//! training step. The feature `libm-activations` switches them to [`libm`](https://docs.rs/libm) (the same on every
//! target too), for results that match other libm-based code to the bit;
//! [`math::LIBM`] tells which a build uses. Either way the unrolled and looped forms of a net
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
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod data;
#[cfg(doc)]
pub mod example_generated;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod fit;
#[cfg(feature = "fixed")]
#[cfg_attr(docsrs, doc(cfg(feature = "fixed")))]
pub mod fixed;
pub mod gradient_check;
pub mod init;
pub mod kernel;
mod layer;
pub mod layers;
pub mod loss;
pub mod math;
pub mod metrics;
mod network;
mod number;
pub mod optim;
pub mod quant;
#[cfg(feature = "safetensors")]
#[cfg_attr(docsrs, doc(cfg(feature = "safetensors")))]
pub mod safetensors;
mod scalar;
pub mod shape;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod source;
pub mod store;
#[cfg(feature = "tflite")]
#[cfg_attr(docsrs, doc(cfg(feature = "tflite")))]
pub mod tflite;
mod unknown;

/// Without `std`, host-only items that generated code wraps in this macro are left out.
#[cfg(not(feature = "std"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_std {
    ($($item:tt)*) => {};
}

/// With feature `tflite`, the items generated code wraps in this macro (`tflite::Load` for an int8
/// net) are kept; without it, left out.
#[cfg(feature = "tflite")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_tflite {
    ($($item:tt)*) => { $($item)* };
}

/// Without `tflite`, the items generated code wraps in this macro are left out.
#[cfg(not(feature = "tflite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_tflite {
    ($($item:tt)*) => {};
}

/// Paths generated code names; not part of the public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "std")]
    pub use std::{boxed::Box, string::String};

    pub use crate::unknown::{Unknown, UnknownLayer};
}

pub use activation::Activation;
pub use backprop_macros::network;
pub use layer::Layer;
pub use layers::{AvgPool1d, Conv1d, Dense, DepthwiseConv1d, GlobalAvgPool1d, Gru, MaxPool1d};
pub use network::{LayerSpec, Network, Tensor};
pub use number::Number;
pub use scalar::Scalar;

// The package README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
