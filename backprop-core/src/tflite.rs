//! TensorFlow Lite files in (feature `tflite`): [`load`] reads a float `.tflite` into a
//! `network!` net, or an int8 one into the net's `{Name}Int8` with the file's own scales and zero
//! points (per tensor or per channel); [`spec`] prints the `network!` spec of a file; [`save`]
//! writes an int8 net as a file that `LiteRT` runs with the net's outputs ([`nearest`] first for a
//! net from `quantize`, whose multipliers no file holds).
//!
//! The file's operators are read in order and matched one to one with the net's layers
//! ([`Network::LAYERS`]); loading is strict, as [`safetensors`](crate::safetensors)' is: an
//! operator the net does not have, a layer the file does not have, or a tensor of another shape,
//! type or layout is an [`Error`] that names it. The operators read:
//!
//! - `FULLY_CONNECTED` (fused `NONE`, `RELU` or `RELU6`) as `dense`; after a signal it reads the
//!   signal flattened as TensorFlow Lite lays it out (step-major), and its weights are reordered to
//!   the net's channel-major flattening;
//! - `CONV_2D` and `DEPTHWISE_CONV_2D` with `(k, 1)` kernels over `[1, L, 1, C]` tensors as
//!   `conv1d` and `depthwise_conv1d` (the file's height is the signal's steps), `VALID` padding or
//!   `SAME` padding the net's `padding` reproduces;
//! - `AVERAGE_POOL_2D` and `MAX_POOL_2D` with `(n, 1)` windows `n` apart as `avg_pool1d(n)` and
//!   `max_pool1d(n)`, or over the whole signal as `global_avg_pool1d`;
//! - `LOGISTIC`, `TANH` and `SOFTMAX` (beta 1) after a layer with no fused activation, as its
//!   `sigmoid`, `tanh` or `softmax`; `RESHAPE` (a flatten, nothing to read); `QUANTIZE` first and
//!   `DEQUANTIZE` last in an int8 file with float input and output.
//!
//! A signal net's input `[[T; L]; C]` is the file's `[1, L, 1, C]` transposed.
//!
//! In int8, each layer with weights takes the file's codes, its bias (the input's zero point
//! folded in, as [`quant`](crate::quant) does), and its multipliers computed as TensorFlow Lite
//! computes them, `scale_in * scale_weights[c] / scale_out` in `f64` split by `QuantizeMultiplier`
//! (for `FULLY_CONNECTED` the product of the two scales rounded to `f32` first, as its
//! `GetQuantizedConvolutionMultipler`), applied as `LiteRT` does (one rounding in a dense layer,
//! two in a convolution: see [`Multiplier`](crate::quant::Multiplier));
//! a fused `RELU` or `RELU6` is the clamp TensorFlow Lite computes. A `LOGISTIC` or `TANH` after a
//! layer becomes its [`Table`](crate::quant::Table), the activation evaluated in `f64` on each of
//! the 256 codes (TensorFlow Lite's lookup-table construction). An int8 `SOFTMAX` last is not
//! computed in integers here: the int8 net's output layer returns the logits (stored as the
//! file's `SOFTMAX` input is) and its `forward` applies the float softmax, as `network!`'s int8
//! form always does.
//!
//! ```no_run
//! use backprop_core::{network, tflite};
//!
//! network! {
//!     struct Net { scalar: f32, input: 4, hidden: dense(8, relu), output: dense(2, identity), loss: mean_squared_error }
//! }
//!
//! let bytes = std::fs::read("net.tflite").unwrap();
//! let net: Net = tflite::load(&bytes).unwrap();
//! ```

mod fill;
mod graph;
mod layers;
mod spec;
mod write;

pub use spec::spec;

use crate::Network;
use crate::quant::Int8Network;
use core::fmt;
use std::string::String;
use std::vec::Vec;

/// Why a file could not be read as a net.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not a `.tflite` file, or a malformed one: the flatbuffer's error, or a table index out of
    /// range.
    Format(String),
    /// An operator that is not read as the net's layer at its place: an operator this reader
    /// does not read, one the net does not have, or options the layer cannot reproduce.
    Op {
        /// The operator: operator 3 (`CONV_2D`).
        op: String,
        /// What is wrong with it.
        message: String,
    },
    /// A layer of the net that the file has no operator for.
    Missing {
        /// The layer's name in the spec.
        layer: String,
        /// Its spec: `dense(8, relu)`.
        spec: String,
    },
    /// An operator of the file past the net's last layer.
    Unexpected {
        /// The operator.
        op: String,
    },
    /// A tensor that does not fit the layer: its shape, type, data or quantisation.
    Tensor {
        /// The tensor: tensor 11 `dense/MatMul`.
        tensor: String,
        /// The layer it was read for.
        layer: String,
        /// What is wrong with it.
        message: String,
    },
    /// A layer [`save`] does not write: an activation other than `identity`, `relu`, `relu6` and
    /// a softmax output, or padding TensorFlow Lite's `SAME` does not give.
    Unsupported {
        /// The layer's name in the spec.
        layer: String,
        /// Its spec: `dense(8, sigmoid)`.
        spec: String,
        /// Why.
        message: String,
    },
    /// A layer whose integers a `.tflite` file cannot hold exactly ([`save`]): a multiplier that
    /// TensorFlow Lite does not compute from any `f32` scales, a clamp it does not derive, a bias
    /// past `i32` (see [`nearest`]).
    Inexact {
        /// The layer's name in the spec.
        layer: String,
        /// What the file cannot hold.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Format(message) => write!(formatter, "not a valid .tflite file: {message}"),
            Error::Op { op, message } => write!(formatter, "{op}: {message}"),
            Error::Missing { layer, spec } => write!(
                formatter,
                "the file has no operator for layer `{layer}: {spec}`"
            ),
            Error::Unexpected { op } => {
                write!(
                    formatter,
                    "{op}: the file goes on past the net's last layer"
                )
            }
            Error::Tensor {
                tensor,
                layer,
                message,
            } => write!(formatter, "{tensor}, read for layer `{layer}`: {message}"),
            Error::Unsupported {
                layer,
                spec,
                message,
            } => write!(
                formatter,
                "layer `{layer}: {spec}` is not written to a .tflite file: {message}"
            ),
            Error::Inexact { layer, message } => write!(formatter, "layer `{layer}`: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// What [`load`] reads a file into: every `network!` net (from a float file), and every
/// `{Name}Int8` (from an int8 file), which `network!` implements it for.
pub trait Load: Sized {
    /// The net of a `.tflite` file's bytes.
    ///
    /// # Errors
    /// As [`load`].
    fn from_tflite(bytes: &[u8]) -> Result<Self, Error>;
}

impl<N: Network> Load for N {
    fn from_tflite(bytes: &[u8]) -> Result<Self, Error> {
        let graph = graph::read(bytes)?;
        let layers = layers::match_layers(&graph, N::LAYERS, false)?;
        fill::float::<N>(&layers)
    }
}

/// Reads a `.tflite` file into a net: a float file into a `network!` net, an int8 file into a
/// `{Name}Int8` with the file's scales and zero points.
///
/// # Errors
/// When the bytes are not a `.tflite` file, or its operators and tensors are not the net's layers
/// and parameters, in order and shape ([`Error`] names the operator, layer or tensor).
pub fn load<T: Load>(bytes: &[u8]) -> Result<T, Error> {
    T::from_tflite(bytes)
}

/// [`load`] for an int8 net: what `{Name}Int8`'s [`Load`] calls.
///
/// # Errors
/// As [`load`].
pub fn load_int8<Q: Int8Network>(bytes: &[u8]) -> Result<Q, Error> {
    let graph = graph::read(bytes)?;
    let layers = layers::match_layers(&graph, <Q::Float as Network>::LAYERS, true)?;
    fill::int8::<Q>(&graph, &layers)
}

/// Writes an int8 net as a `.tflite` file (TensorFlow Lite's schema, version 3) that `LiteRT` runs
/// with the net's outputs: int8 input and output (the codes of the net's `forward_i8`; a signal
/// `[C, L]` as `[1, L, 1, C]`), one operator per layer, each layer with weights with its codes,
/// per-channel weight scales, `int32` bias and fused `NONE`, `RELU` or `RELU6`:
///
/// - `dense` as `FULLY_CONNECTED` (after a signal, its weights reordered to the file's step-major
///   flattening);
/// - `conv1d` and `depthwise_conv1d` as `CONV_2D` and `DEPTHWISE_CONV_2D` with `(k, 1)` kernels,
///   `VALID` padding, or `SAME` where it pads as the layer does;
/// - `max_pool1d(n)`, `avg_pool1d(n)` and `global_avg_pool1d` as `MAX_POOL_2D` and
///   `AVERAGE_POOL_2D`;
/// - a `SOFTMAX` after a softmax output layer (whose `forward_i8` returns the logits, the
///   `SOFTMAX`'s input).
///
/// [`load`] reads the file back into the same net, bit for bit.
///
/// The net keeps no scales between its input and output, so the file's are chosen: each hidden
/// tensor's scale 1/16 (`6 / (max - zero point)` after a `relu6` read from a file), each
/// channel's weight scale the `f32` whose multiplier, as `LiteRT` computes it, is the layer's.
/// Only the input's and output's scales are the net's.
///
/// ```no_run
/// use backprop_core::{network, tflite};
///
/// network! {
///     struct Net { scalar: f32, input: 4, hidden: dense(8, relu), output: dense(3, softmax), loss: cross_entropy, quantize: int8 }
/// }
///
/// # let calibration = [[0.0_f32; 4]];
/// let int8 = Net::zeroed().quantize(&calibration);
/// // `quantize` keeps 31-bit multipliers; a file holds those TensorFlow Lite computes from f32
/// // scales, the nearest of which `nearest` takes.
/// let int8 = tflite::nearest(&int8).unwrap();
/// std::fs::write("net.tflite", tflite::save(&int8).unwrap()).unwrap();
/// ```
///
/// # Errors
/// [`Error::Unsupported`] naming a layer with an activation other than `identity`, `relu`,
/// `relu6` (as a clamp) or a softmax output (an int8 table has no TensorFlow Lite operator), or
/// padding that `SAME` does not give; [`Error::Inexact`] naming the first layer whose integers the file
/// cannot hold (a multiplier no `f32` scales give, as those of a net from `quantize` mostly are:
/// [`nearest`] moves them), or the input's or output's scale when it is not an `f32`.
pub fn save<Q: Int8Network + Clone + PartialEq>(net: &Q) -> Result<Vec<u8>, Error> {
    let bytes = write::write(net)?;
    let read: Q = load_int8(&bytes)?;
    if read != *net {
        return Err(write::difference(net, &read));
    }
    Ok(bytes)
}

/// The net a `.tflite` file holds for `net`: each multiplier the nearest one TensorFlow Lite
/// computes from the `f32` scales [`save`] writes, the input's and output's scales rounded to
/// `f32`; everything else the same. [`save`] writes the result exactly. A multiplier moves by
/// under `2^-24` of itself where the layer's input scale is a power of two (every hidden tensor
/// but a `relu6` one), and by under `2^-16` in the first layer, whose weight scales must also
/// give the same multiplier whether `LiteRT` rounds `scale_in * scale_w` to `f32` or not. The
/// outputs of the two nets differ only where a requantised sum falls that close to a half (1
/// output in 10,000 for the tests' 4-8-3 classifier).
///
/// # Errors
/// [`Error::Unsupported`], as [`save`].
pub fn nearest<Q: Int8Network + Clone>(net: &Q) -> Result<Q, Error> {
    load_int8(&write::write(net)?)
}

/// The elements of a constant tensor, little-endian `f32`, `i8` or `i32`, checked to be as many
/// as its shape says.
fn elements<const W: usize>(
    tensor: &graph::Tensor<'_>,
    layer: &str,
) -> Result<Vec<[u8; W]>, Error> {
    let count: usize = tensor.shape.iter().product();
    let data = tensor.data.ok_or_else(|| Error::Tensor {
        tensor: tensor.label(),
        layer: layer.into(),
        message: "has no constant data".into(),
    })?;
    if data.len() != count * W {
        return Err(Error::Tensor {
            tensor: tensor.label(),
            layer: layer.into(),
            message: std::format!(
                "holds {} bytes, its shape {:?} needs {}",
                data.len(),
                tensor.shape,
                count * W
            ),
        });
    }
    Ok(data
        .chunks_exact(W)
        .map(|chunk| core::array::from_fn(|i| chunk[i]))
        .collect())
}
