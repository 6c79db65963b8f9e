//! A `.tflite` file read into plain values: its one subgraph's operators in order, each with its
//! tensors (shape, type, constant data, quantisation) and the options this reader uses. Every
//! read of the flatbuffer is checked by planus; every index into the file's tables is checked
//! here. Nothing else of the file is kept.

use super::Error;
use backprop_tflite_schema::planus::{self, ReadAsRoot};
use backprop_tflite_schema::tflite::{
    ActivationFunctionType, BuiltinOperator, BuiltinOptionsRef, ModelRef, Padding, SubGraphRef,
    TensorType,
};
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// A flatbuffer error as this reader's.
fn format_error(error: planus::Error) -> Error {
    Error::Format(error.to_string())
}

/// A fused activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fused {
    /// `NONE`.
    None,
    /// `RELU`.
    Relu,
    /// `RELU6`.
    Relu6,
    /// `TANH` (fused; read for float files).
    Tanh,
    /// Another: `RELU_N1_TO_1`, `SIGN_BIT`.
    Other(ActivationFunctionType),
}

impl From<ActivationFunctionType> for Fused {
    fn from(activation: ActivationFunctionType) -> Self {
        match activation {
            ActivationFunctionType::None => Fused::None,
            ActivationFunctionType::Relu => Fused::Relu,
            ActivationFunctionType::Relu6 => Fused::Relu6,
            ActivationFunctionType::Tanh => Fused::Tanh,
            other => Fused::Other(other),
        }
    }
}

/// One tensor of the file.
#[derive(Debug, Clone)]
pub struct Tensor<'a> {
    /// Its index in the subgraph.
    pub index: usize,
    /// Its name in the file.
    pub name: String,
    /// Its shape.
    pub shape: Vec<usize>,
    /// Its element type.
    pub dtype: TensorType,
    /// Its constant values, little-endian, when it has any.
    pub data: Option<&'a [u8]>,
    /// Its quantisation's scales (empty when it has none).
    pub scales: Vec<f32>,
    /// Its quantisation's zero points.
    pub zero_points: Vec<i64>,
    /// The dimension its per-channel scales run along.
    pub dimension: usize,
}

impl Tensor<'_> {
    /// `name` (index): how errors name it.
    pub fn label(&self) -> String {
        format!("tensor {} `{}`", self.index, self.name)
    }
}

/// The options of an operator that this reader uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Options {
    /// None, or none it uses.
    None,
    /// `FULLY_CONNECTED`'s.
    FullyConnected {
        /// Its fused activation.
        fused: Fused,
        /// Whether it keeps the input's dimensions (not read as a dense layer).
        keep_num_dims: bool,
    },
    /// `CONV_2D`'s and `DEPTHWISE_CONV_2D`'s.
    Conv {
        /// `SAME` or `VALID`.
        same: bool,
        /// Strides along the height (the signal's steps) and the width.
        stride: (i32, i32),
        /// Dilations along the height and width.
        dilation: (i32, i32),
        /// `DEPTHWISE_CONV_2D`'s depth multiplier (1 for `CONV_2D`).
        depth_multiplier: i32,
        /// Its fused activation.
        fused: Fused,
    },
    /// `AVERAGE_POOL_2D`'s and `MAX_POOL_2D`'s.
    Pool {
        /// `SAME` or `VALID`.
        same: bool,
        /// Strides along the height and width.
        stride: (i32, i32),
        /// The window's height and width.
        filter: (i32, i32),
        /// Its fused activation.
        fused: Fused,
    },
    /// `SOFTMAX`'s.
    Softmax {
        /// Its `beta`.
        beta: f32,
    },
}

/// One operator, its tensors read.
#[derive(Debug, Clone)]
pub struct Op<'a> {
    /// Its index in the subgraph.
    pub index: usize,
    /// What it computes.
    pub code: BuiltinOperator,
    /// Its inputs; `None` for an optional input left out (index -1).
    pub inputs: Vec<Option<Tensor<'a>>>,
    /// Its outputs.
    pub outputs: Vec<Tensor<'a>>,
    /// Its options.
    pub options: Options,
}

impl<'a> Op<'a> {
    /// How errors name it: operator 3 (`FULLY_CONNECTED`).
    pub fn label(&self) -> String {
        format!("operator {} ({})", self.index, op_name(self.code))
    }

    /// Input `at`, which the operator needs.
    pub fn input(&self, at: usize) -> Result<&Tensor<'a>, Error> {
        self.inputs
            .get(at)
            .and_then(Option::as_ref)
            .ok_or_else(|| Error::Op {
                op: self.label(),
                message: format!("has no input {at}"),
            })
    }

    /// Its first output.
    pub fn output(&self) -> Result<&Tensor<'a>, Error> {
        self.outputs.first().ok_or_else(|| Error::Op {
            op: self.label(),
            message: "has no output".to_string(),
        })
    }
}

/// TensorFlow Lite's name of an operator: `FULLY_CONNECTED`.
pub fn op_name(code: BuiltinOperator) -> String {
    let known = match code {
        BuiltinOperator::FullyConnected => "FULLY_CONNECTED",
        BuiltinOperator::Conv2d => "CONV_2D",
        BuiltinOperator::DepthwiseConv2d => "DEPTHWISE_CONV_2D",
        BuiltinOperator::AveragePool2d => "AVERAGE_POOL_2D",
        BuiltinOperator::MaxPool2d => "MAX_POOL_2D",
        BuiltinOperator::Reshape => "RESHAPE",
        BuiltinOperator::Softmax => "SOFTMAX",
        BuiltinOperator::Logistic => "LOGISTIC",
        BuiltinOperator::Tanh => "TANH",
        BuiltinOperator::Quantize => "QUANTIZE",
        BuiltinOperator::Dequantize => "DEQUANTIZE",
        other => return format!("{other:?}"),
    };
    known.to_string()
}

/// A file's one subgraph: its operators in order, its input and output tensors.
#[derive(Debug, Clone)]
pub struct Graph<'a> {
    /// The operators, in the order the file runs them.
    pub ops: Vec<Op<'a>>,
    /// The subgraph's input.
    pub input: Tensor<'a>,
    /// The subgraph's output.
    pub output: Tensor<'a>,
}

/// Reads `bytes` as a `.tflite` file with one subgraph of one input and one output.
pub fn read(bytes: &[u8]) -> Result<Graph<'_>, Error> {
    let model = ModelRef::read_as_root(bytes).map_err(format_error)?;
    let subgraphs = model
        .subgraphs()
        .map_err(format_error)?
        .ok_or_else(|| Error::Format("the file has no subgraph".to_string()))?;
    if subgraphs.len() != 1 {
        return Err(Error::Format(format!(
            "the file has {} subgraphs; a net is one",
            subgraphs.len()
        )));
    }
    let subgraph = subgraphs
        .get(0)
        .ok_or_else(|| Error::Format("the file has no subgraph".to_string()))?
        .map_err(format_error)?;
    let reader = Reader { model, subgraph };
    let codes = reader.operator_codes()?;
    let ops_table = subgraph
        .operators()
        .map_err(format_error)?
        .ok_or_else(|| Error::Format("the subgraph has no operators".to_string()))?;
    let mut ops = Vec::new();
    for (index, op) in ops_table.iter().enumerate() {
        let op = op.map_err(format_error)?;
        let opcode =
            usize::try_from(op.opcode_index().map_err(format_error)?).unwrap_or(usize::MAX);
        let code = *codes.get(opcode).ok_or_else(|| {
            Error::Format(format!(
                "operator {index} has opcode index {opcode}, past the last"
            ))
        })?;
        let mut inputs = Vec::new();
        for tensor in op.inputs().map_err(format_error)?.into_iter().flatten() {
            inputs.push(if tensor < 0 {
                None
            } else {
                Some(reader.tensor(tensor)?)
            });
        }
        let mut outputs = Vec::new();
        for tensor in op.outputs().map_err(format_error)?.into_iter().flatten() {
            outputs.push(reader.tensor(tensor)?);
        }
        let options = options(op.builtin_options().map_err(format_error)?)?;
        ops.push(Op {
            index,
            code,
            inputs,
            outputs,
            options,
        });
    }
    let one = |tensors: Option<planus::Vector<'_, i32>>, what: &str| -> Result<i32, Error> {
        let tensors =
            tensors.ok_or_else(|| Error::Format(format!("the subgraph has no {what}")))?;
        if tensors.len() != 1 {
            return Err(Error::Format(format!(
                "the subgraph has {} {what}s; a net has one",
                tensors.len()
            )));
        }
        tensors
            .get(0)
            .ok_or_else(|| Error::Format(format!("the subgraph has no {what}")))
    };
    let input = reader.tensor(one(subgraph.inputs().map_err(format_error)?, "input")?)?;
    let output = reader.tensor(one(subgraph.outputs().map_err(format_error)?, "output")?)?;
    Ok(Graph { ops, input, output })
}

/// The tables a tensor is read from.
struct Reader<'a> {
    model: ModelRef<'a>,
    subgraph: SubGraphRef<'a>,
}

impl<'a> Reader<'a> {
    /// Each operator code's operator: the larger of `builtin_code` and `deprecated_builtin_code`,
    /// as TensorFlow Lite reads it.
    fn operator_codes(&self) -> Result<Vec<BuiltinOperator>, Error> {
        let mut codes = Vec::new();
        let table = self
            .model
            .operator_codes()
            .map_err(format_error)?
            .ok_or_else(|| Error::Format("the file has no operator codes".to_string()))?;
        for code in table {
            let code = code.map_err(format_error)?;
            let deprecated = code.deprecated_builtin_code().map_err(format_error)?;
            let builtin = code.builtin_code().map_err(format_error)?;
            let code = if (builtin as i32) < i32::from(deprecated) {
                BuiltinOperator::try_from(i32::from(deprecated))
                    .map_err(|_| Error::Format(format!("unknown operator code {deprecated}")))?
            } else {
                builtin
            };
            codes.push(code);
        }
        Ok(codes)
    }

    /// Tensor `index` of the subgraph, with its buffer's data and its quantisation.
    fn tensor(&self, index: i32) -> Result<Tensor<'a>, Error> {
        let missing = || Error::Format(format!("tensor index {index} is past the last tensor"));
        let at = usize::try_from(index).map_err(|_| missing())?;
        let tensors = self
            .subgraph
            .tensors()
            .map_err(format_error)?
            .ok_or_else(missing)?;
        let tensor = tensors.get(at).ok_or_else(missing)?.map_err(format_error)?;
        let name = tensor
            .name()
            .map_err(format_error)?
            .unwrap_or("")
            .to_string();
        let mut shape = Vec::new();
        for dim in tensor.shape().map_err(format_error)?.into_iter().flatten() {
            shape.push(usize::try_from(dim).map_err(|_| {
                Error::Format(format!(
                    "tensor {at} `{name}` has a negative dimension {dim}"
                ))
            })?);
        }
        let dtype = tensor.type_().map_err(format_error)?;
        let buffer = tensor.buffer().map_err(format_error)?;
        let data = if buffer == 0 {
            None
        } else {
            let buffers = self
                .model
                .buffers()
                .map_err(format_error)?
                .ok_or_else(|| Error::Format("the file has no buffers".to_string()))?;
            let buffer = buffers
                .get(usize::try_from(buffer).unwrap_or(usize::MAX))
                .ok_or_else(|| {
                    Error::Format(format!(
                        "tensor {at} `{name}` reads buffer {buffer}, past the last"
                    ))
                })?
                .map_err(format_error)?;
            buffer
                .data()
                .map_err(format_error)?
                .filter(|data| !data.is_empty())
        };
        let (mut scales, mut zero_points, mut dimension) = (Vec::new(), Vec::new(), 0);
        if let Some(quantization) = tensor.quantization().map_err(format_error)? {
            for scale in quantization
                .scale()
                .map_err(format_error)?
                .into_iter()
                .flatten()
            {
                scales.push(scale);
            }
            for zero_point in quantization
                .zero_point()
                .map_err(format_error)?
                .into_iter()
                .flatten()
            {
                zero_points.push(zero_point);
            }
            dimension = usize::try_from(quantization.quantized_dimension().map_err(format_error)?)
                .map_err(|_| {
                    Error::Format(format!(
                        "tensor {at} `{name}` has a negative quantized dimension"
                    ))
                })?;
        }
        Ok(Tensor {
            index: at,
            name,
            shape,
            dtype,
            data,
            scales,
            zero_points,
            dimension,
        })
    }
}

/// The options of an operator that this reader uses.
fn options(options: Option<BuiltinOptionsRef<'_>>) -> Result<Options, Error> {
    let same = |padding: Padding| padding == Padding::Same;
    Ok(match options {
        Some(BuiltinOptionsRef::FullyConnectedOptions(o)) => Options::FullyConnected {
            fused: o.fused_activation_function().map_err(format_error)?.into(),
            keep_num_dims: o.keep_num_dims().map_err(format_error)?,
        },
        Some(BuiltinOptionsRef::Conv2DOptions(o)) => Options::Conv {
            same: same(o.padding().map_err(format_error)?),
            stride: (
                o.stride_h().map_err(format_error)?,
                o.stride_w().map_err(format_error)?,
            ),
            dilation: (
                o.dilation_h_factor().map_err(format_error)?,
                o.dilation_w_factor().map_err(format_error)?,
            ),
            depth_multiplier: 1,
            fused: o.fused_activation_function().map_err(format_error)?.into(),
        },
        Some(BuiltinOptionsRef::DepthwiseConv2DOptions(o)) => Options::Conv {
            same: same(o.padding().map_err(format_error)?),
            stride: (
                o.stride_h().map_err(format_error)?,
                o.stride_w().map_err(format_error)?,
            ),
            dilation: (
                o.dilation_h_factor().map_err(format_error)?,
                o.dilation_w_factor().map_err(format_error)?,
            ),
            depth_multiplier: o.depth_multiplier().map_err(format_error)?,
            fused: o.fused_activation_function().map_err(format_error)?.into(),
        },
        Some(BuiltinOptionsRef::Pool2DOptions(o)) => Options::Pool {
            same: same(o.padding().map_err(format_error)?),
            stride: (
                o.stride_h().map_err(format_error)?,
                o.stride_w().map_err(format_error)?,
            ),
            filter: (
                o.filter_height().map_err(format_error)?,
                o.filter_width().map_err(format_error)?,
            ),
            fused: o.fused_activation_function().map_err(format_error)?.into(),
        },
        Some(BuiltinOptionsRef::SoftmaxOptions(o)) => Options::Softmax {
            beta: o.beta().map_err(format_error)?,
        },
        _ => Options::None,
    })
}
