//! Weights that travel (feature `safetensors`): a net's parameters to and from the safetensors
//! format, with the tensor names and shapes PyTorch gives an `nn.Sequential` of `nn.Linear` layers,
//! so a net trained in PyTorch loads here, and back.
//!
//! PyTorch's `nn.Linear(in, out)` stores `weight` as `[out, in]` (one row per output node, as
//! [`Dense`](crate::Dense) does) and `bias` as `[out]`. In `nn.Sequential(nn.Linear(2, 3),
//! nn.Tanh(), nn.Linear(3, 1))` the activation modules take indices too, so the layers are named
//! `0.weight`, `0.bias`, `2.weight`, `2.bias`: layer `l` is module `2 l`. That is
//! [`PYTORCH_SEQUENTIAL`]; pass another naming to [`save_with`] and [`load_with`] when the model is
//! laid out differently. Loading is strict, as PyTorch's `load_state_dict` is by default: a tensor
//! the net does not read is an error naming it, unless [`load_non_strict`] is asked to ignore it.
//!
//! ```
//! use backprop_core::{network, safetensors};
//!
//! network! {
//!     #[derive(Debug, PartialEq)]
//!     struct Net { input: 2, hidden: dense(3, tanh), output: dense(1, identity), loss: squared_error }
//! }
//!
//! let net = Net::he_uniform(1);
//! let bytes = safetensors::save(&net).unwrap();
//! assert_eq!(safetensors::load::<Net>(&bytes).unwrap(), net);
//! ```

use crate::{Network, Number, Tensor};
use ::safetensors::tensor::{Dtype, SafeTensorError, SafeTensors, TensorView};
use core::fmt;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// The module name of layer `l` in an `nn.Sequential` that puts an activation module after every
/// `nn.Linear`: `2 l`.
pub const PYTORCH_SEQUENTIAL: fn(usize) -> String = |layer| (2 * layer).to_string();

/// How a layer's module is named in a file: its tensors are `{module}.{tensor}` (`0.weight`).
/// A function of the layer's index is one ([`PYTORCH_SEQUENTIAL`], `|layer| format!("layers.{layer}")`);
/// [`LayerNames`] names each module after the layer's name in the spec, as a torch module whose
/// submodules are named like the spec's layers names them (`c1.weight`, `g.weight_ih_l0`).
pub trait Naming {
    /// The module name of layer `layer`, named `name` in the spec.
    fn module(&self, layer: usize, name: &str) -> String;
}

impl<F: Fn(usize) -> String> Naming for F {
    fn module(&self, layer: usize, _name: &str) -> String {
        self(layer)
    }
}

/// Each layer's module named as the layer is in the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayerNames;

impl Naming for LayerNames {
    fn module(&self, _layer: usize, name: &str) -> String {
        name.to_string()
    }
}

/// The name of a tensor in a file: `{module}.{torch name}`.
fn tensor_name(naming: &impl Naming, tensor: &Tensor) -> String {
    format!(
        "{}.{}",
        naming.module(tensor.layer, tensor.layer_name),
        tensor.torch
    )
}

/// Why a file could not be read as the parameters of a net.
#[derive(Debug)]
pub enum Error {
    /// Not a safetensors file, or a malformed one.
    Format(SafeTensorError),
    /// The file has no tensor of this name.
    Missing(String),
    /// A tensor has another shape than the layer's.
    Shape {
        /// The tensor.
        name: String,
        /// The layer's shape.
        expected: Vec<usize>,
        /// The file's.
        found: Vec<usize>,
    },
    /// The file has tensors that no parameter of the net reads (sorted by name): it holds
    /// another net, or this net under other names. [`load_non_strict`] ignores them.
    Unexpected(Vec<String>),
    /// A tensor is neither `F32` nor `F64`.
    Dtype {
        /// The tensor.
        name: String,
        /// Its type in the file.
        dtype: Dtype,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Format(error) => write!(formatter, "not a valid safetensors file: {error}"),
            Error::Missing(name) => write!(formatter, "the file has no tensor `{name}`"),
            Error::Shape {
                name,
                expected,
                found,
            } => {
                write!(
                    formatter,
                    "tensor `{name}` has shape {found:?}, the layer needs {expected:?}"
                )
            }
            Error::Unexpected(names) => {
                let names: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
                write!(
                    formatter,
                    "the file has tensors the net does not read: {}; load it with `load_non_strict` to ignore them",
                    names.join(", ")
                )
            }
            Error::Dtype { name, dtype } => write!(
                formatter,
                "tensor `{name}` is {dtype:?}; only F32 and F64 are read"
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<SafeTensorError> for Error {
    fn from(error: SafeTensorError) -> Self {
        Error::Format(error)
    }
}

/// The net's parameters as a safetensors file, named as PyTorch names an `nn.Sequential` with an
/// activation module after every linear layer ([`PYTORCH_SEQUENTIAL`]).
///
/// # Errors
/// Only if the safetensors writer fails, which it does not for well-formed tensors.
pub fn save<N: Network>(net: &N) -> Result<Vec<u8>, Error> {
    save_with(net, PYTORCH_SEQUENTIAL)
}

/// [`save`], with each layer's module named by `naming` (its tensors `{module}.weight` and
/// `{module}.bias` for a dense layer). An `f32` net is written in `F32`, any other (`f64`, and
/// Q16.16, which `f64` holds exactly) in `F64`.
///
/// # Errors
/// Only if the safetensors writer fails, which it does not for well-formed tensors.
pub fn save_with<N: Network>(net: &N, naming: impl Naming + Copy) -> Result<Vec<u8>, Error> {
    let dtype = if N::Scalar::NAME == "f32" {
        Dtype::F32
    } else {
        Dtype::F64
    };
    let mut tensors = Vec::new();
    for (index, tensor) in N::TENSORS.iter().enumerate() {
        tensors.push((
            tensor_name(&naming, tensor),
            tensor.shape.to_vec(),
            bytes(net.tensor(index)),
        ));
    }
    let views = tensors
        .iter()
        .map(|(name, shape, data)| {
            Ok((name.as_str(), TensorView::new(dtype, shape.clone(), data)?))
        })
        .collect::<Result<Vec<_>, SafeTensorError>>()?;
    Ok(::safetensors::tensor::serialize(views, None)?)
}

/// A net with the parameters of a safetensors file named as [`save`] names them. `F32` and `F64`
/// tensors are both read; an `F64` file read into an `f32` net is rounded to nearest. Strict, as
/// PyTorch's `load_state_dict` is by default: a tensor the net does not read is an error
/// ([`Error::Unexpected`], naming them), so a deeper net's file does not load into a shallower
/// net unnoticed; [`load_non_strict`] ignores such tensors.
///
/// # Errors
/// When the bytes are not a safetensors file, or a tensor is missing, misshapen, of another type
/// or not read by the net.
pub fn load<N: Network>(bytes: &[u8]) -> Result<N, Error> {
    load_with(bytes, PYTORCH_SEQUENTIAL)
}

/// [`load`], with each layer's module named by `naming`.
///
/// # Errors
/// As [`load`].
pub fn load_with<N: Network>(bytes: &[u8], naming: impl Naming + Copy) -> Result<N, Error> {
    let file = SafeTensors::deserialize(bytes)?;
    let net = read_net(&file, &naming)?;
    let read = names::<N>(&naming);
    let mut unexpected: Vec<String> = file
        .names()
        .into_iter()
        .filter(|name| !read.iter().any(|read| read == name))
        .map(ToString::to_string)
        .collect();
    if unexpected.is_empty() {
        return Ok(net);
    }
    unexpected.sort();
    Err(Error::Unexpected(unexpected))
}

/// [`load_with`], ignoring tensors that no parameter of the net reads, as PyTorch's
/// `load_state_dict(strict=False)` does; a missing tensor is still an error, since every
/// parameter needs a value. For a file holding more than the net, such as a checkpoint with an
/// optimizer's state or a larger model whose first layers the net takes.
///
/// # Errors
/// When the bytes are not a safetensors file, or a tensor the net reads is missing, misshapen or
/// of another type.
pub fn load_non_strict<N: Network>(bytes: &[u8], naming: impl Naming + Copy) -> Result<N, Error> {
    read_net(&SafeTensors::deserialize(bytes)?, &naming)
}

/// The names of the tensors a net reads.
fn names<N: Network>(naming: &impl Naming) -> Vec<String> {
    N::TENSORS
        .iter()
        .map(|tensor| tensor_name(naming, tensor))
        .collect()
}

/// Every parameter of a net read from its tensors in `file`.
fn read_net<N: Network>(file: &SafeTensors<'_>, naming: &impl Naming) -> Result<N, Error> {
    let mut net = N::zeroed();
    for (index, tensor) in N::TENSORS.iter().enumerate() {
        read(
            file,
            &tensor_name(naming, tensor),
            tensor.shape,
            net.tensor_mut(index),
        )?;
    }
    Ok(net)
}

/// Fills `into` from the tensor `name`, after checking its shape and type.
fn read<T: Number>(
    file: &SafeTensors<'_>,
    name: &str,
    shape: &[usize],
    into: &mut [T],
) -> Result<(), Error> {
    let tensor = file
        .tensor(name)
        .map_err(|_| Error::Missing(name.to_string()))?;
    if tensor.shape() != shape {
        return Err(Error::Shape {
            name: name.to_string(),
            expected: shape.to_vec(),
            found: tensor.shape().to_vec(),
        });
    }
    let data = tensor.data();
    match tensor.dtype() {
        Dtype::F32 => fill(
            into,
            data.chunks_exact(4)
                .map(|b| f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        ),
        Dtype::F64 => fill(
            into,
            data.chunks_exact(8)
                .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])),
        ),
        dtype => {
            return Err(Error::Dtype {
                name: name.to_string(),
                dtype,
            });
        }
    }
    Ok(())
}

fn fill<T: Number>(into: &mut [T], values: impl Iterator<Item = f64>) {
    for (slot, value) in into.iter_mut().zip(values) {
        *slot = T::from_f64(value);
    }
}

/// The scalars as little-endian bytes, as safetensors stores them.
fn bytes<T: Number>(values: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * 8);
    for value in values {
        if T::NAME == "f32" {
            #[allow(clippy::cast_possible_truncation)] // an f32 net's values are f32s
            out.extend_from_slice(&(value.to_f64() as f32).to_le_bytes());
        } else {
            out.extend_from_slice(&value.to_f64().to_le_bytes());
        }
    }
    out
}
