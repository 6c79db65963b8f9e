//! [`spec`]: the `network!` spec of a `.tflite` file.

use super::Error;
use super::graph::{self, Fused, Options, Tensor};
use super::layers::net_shape;
use backprop_tflite_schema::tflite::{BuiltinOperator, TensorType};
use core::fmt::Write;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// The `network!` invocation declaring the net of a `.tflite` file, struct `name`: its input, a
/// layer per operator with weights or pool (named by kind and number: `dense1`, `conv1`,
/// `depthwise1`, `pool1`), each with its activation, `scalar: f32`, `quantize: int8` for an int8
/// file, and a loss that fits the output (`cross_entropy` after `softmax`, `binary_cross_entropy`
/// after `sigmoid`, else `mean_squared_error`). [`load`](super::load) reads the file into the net
/// it declares (an int8 file into its `{name}Int8`).
///
/// # Errors
/// When the bytes are not a `.tflite` file, or an operator is not one a net can declare.
#[allow(clippy::too_many_lines)] // one match over the operators, then the text
pub fn spec(bytes: &[u8], name: &str) -> Result<String, Error> {
    let graph = graph::read(bytes)?;
    let int8 = graph
        .ops
        .iter()
        .filter_map(|op| op.inputs.get(1).and_then(Option::as_ref))
        .any(|weights| weights.dtype == TensorType::Int8);
    let mut layers: Vec<(String, String)> = Vec::new();
    let mut counts = [0_usize; 4];
    let mut next = |slot: usize, kind: &str| {
        counts[slot] += 1;
        format!("{kind}{}", counts[slot])
    };
    let mut input = None;
    let mut last_activation = String::new();
    for op in &graph.ops {
        let unsupported = || Error::Op {
            op: op.label(),
            message: "has no `network!` layer".to_string(),
        };
        let first_input = op.input(0)?;
        if input.is_none() && !matches!(op.code, BuiltinOperator::Quantize) {
            input = Some(input_text(first_input).ok_or_else(|| Error::Op {
                op: op.label(),
                message: format!(
                    "reads shape {:?}, not [1, N] or [1, L, 1, C]",
                    first_input.shape
                ),
            })?);
        }
        let fused_name = |fused: Fused| match fused {
            Fused::None => Ok("identity"),
            Fused::Relu => Ok("relu"),
            Fused::Relu6 => Ok("relu6"),
            Fused::Tanh => Ok("tanh"),
            Fused::Other(_) => Err(unsupported()),
        };
        match (op.code, op.options) {
            (BuiltinOperator::FullyConnected, Options::FullyConnected { fused, .. }) => {
                let width = op.output()?.shape.last().copied().unwrap_or(0);
                let activation = fused_name(fused)?;
                last_activation = activation.to_string();
                layers.push((next(0, "dense"), format!("dense({width}, {activation})")));
            }
            (
                BuiltinOperator::Conv2d | BuiltinOperator::DepthwiseConv2d,
                Options::Conv {
                    same,
                    stride: (stride, _),
                    fused,
                    ..
                },
            ) => {
                let filter = &op.input(1)?.shape;
                let (taps, channels) = match filter.as_slice() {
                    [o, k, 1, _] if op.code == BuiltinOperator::Conv2d => (*k, *o),
                    [1, k, 1, c] => (*k, *c),
                    _ => return Err(unsupported()),
                };
                let length = match first_input.shape.as_slice() {
                    [1, length, 1, _] => *length,
                    _ => return Err(unsupported()),
                };
                let stride = usize::try_from(stride).map_err(|_| unsupported())?;
                let padding = if same {
                    let out = length.div_ceil(stride.max(1));
                    ((out.saturating_sub(1)) * stride + taps).saturating_sub(length) / 2
                } else {
                    0
                };
                let mut options = String::new();
                if stride != 1 {
                    let _ = write!(options, ", stride = {stride}");
                }
                if padding != 0 {
                    let _ = write!(options, ", padding = {padding}");
                }
                let activation = fused_name(fused)?;
                last_activation = activation.to_string();
                if op.code == BuiltinOperator::Conv2d {
                    layers.push((
                        next(1, "conv"),
                        format!("conv1d({channels}, {taps}, {activation}{options})"),
                    ));
                } else {
                    layers.push((
                        next(2, "depthwise"),
                        format!("depthwise_conv1d({taps}, {activation}{options})"),
                    ));
                }
            }
            (
                BuiltinOperator::AveragePool2d | BuiltinOperator::MaxPool2d,
                Options::Pool {
                    filter: (window, _),
                    ..
                },
            ) => {
                let whole = matches!(first_input.shape.as_slice(), [1, l, 1, _] if i32::try_from(*l).ok() == Some(window));
                let text = match (op.code, whole) {
                    (BuiltinOperator::AveragePool2d, true) => "global_avg_pool1d".to_string(),
                    (BuiltinOperator::AveragePool2d, false) => format!("avg_pool1d({window})"),
                    _ => format!("max_pool1d({window})"),
                };
                layers.push((next(3, "pool"), text));
            }
            (BuiltinOperator::Logistic | BuiltinOperator::Tanh | BuiltinOperator::Softmax, _) => {
                let activation = match op.code {
                    BuiltinOperator::Logistic => "sigmoid",
                    BuiltinOperator::Tanh => "tanh",
                    _ => "softmax",
                };
                let layer = layers
                    .last_mut()
                    .filter(|(_, text)| text.contains("identity"))
                    .ok_or_else(unsupported)?;
                layer.1 = layer.1.replacen("identity", activation, 1);
                last_activation = activation.to_string();
            }
            (
                BuiltinOperator::Reshape | BuiltinOperator::Quantize | BuiltinOperator::Dequantize,
                _,
            ) => {}
            _ => return Err(unsupported()),
        }
    }
    let loss = match last_activation.as_str() {
        "softmax" => "cross_entropy",
        "sigmoid" => "binary_cross_entropy",
        _ => "mean_squared_error",
    };
    let mut text = String::new();
    let _ = writeln!(text, "network! {{");
    let _ = writeln!(
        text,
        "    /// Read from a `.tflite` file by `backprop_core::tflite::spec`."
    );
    let _ = writeln!(text, "    pub struct {name} {{");
    let _ = writeln!(text, "        scalar: f32,");
    let _ = writeln!(text, "        input: {},", input.unwrap_or_default());
    if int8 {
        let _ = writeln!(text, "        quantize: int8,");
    }
    for (layer, kind) in &layers {
        let _ = writeln!(text, "        {layer}: {kind},");
    }
    let _ = writeln!(text, "        loss: {loss},");
    let _ = writeln!(text, "    }}");
    let _ = writeln!(text, "}}");
    Ok(text)
}

/// `640` or `[40, 30]`: the spec's input for the first layer's input tensor.
fn input_text(tensor: &Tensor<'_>) -> Option<String> {
    match net_shape(&tensor.shape)?.as_slice() {
        [n] => Some(n.to_string()),
        [c, l] => Some(format!("[{c}, {l}]")),
        _ => None,
    }
}
