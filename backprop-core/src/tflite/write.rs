//! An int8 net written as a `.tflite` file through the schema crate's planus builder: one
//! `FULLY_CONNECTED` per dense layer, `CONV_2D` per conv1d and `DEPTHWISE_CONV_2D` per depthwise
//! conv1d (`(k, 1)` kernels over `[1, L, 1, C]` tensors, the layouts the reader reads, in
//! reverse), each with its fused `NONE`, `RELU` or `RELU6`; `MAX_POOL_2D` and `AVERAGE_POOL_2D`
//! per pool; a `SOFTMAX` after a softmax output layer; int8 input and output.
//!
//! The net keeps integers only between its input and output (codes, folded biases, multipliers),
//! not the scales of its hidden tensors nor of its weights, so the file's scales are chosen here:
//! each hidden tensor's scale a power of two (its zero point the layer's), and each channel's
//! weight scale the one `f32` near `M * scale_out / scale_in` whose multiplier, computed as
//! `LiteRT`'s operator computes it (and as [`fill`](super::fill) reads it), is the layer's. A
//! `relu6` layer's output scale is `6 / (max - zero_point)`, so that the clamp `LiteRT` derives
//! is the layer's; a pool's output keeps its input's scale. `save` then reads the file back and
//! compares: only a net whose every integer the file holds is written.

use super::Error;
use super::fill::{real_multiplier, weight_order};
use super::layers::{Kind, Parsed, kind};
use crate::Network;
use crate::quant::{ActivationMut, Float, Int8Network, Int8Parts, Multiplier, Quantization};
use backprop_tflite_schema::planus::Builder;
use backprop_tflite_schema::tflite::{
    ActivationFunctionType, Buffer, BuiltinOperator, BuiltinOptions, Conv2DOptions,
    DepthwiseConv2DOptions, FullyConnectedOptions, Model, Operator, OperatorCode, Padding,
    Pool2DOptions, QuantizationParameters, SoftmaxOptions, SubGraph, Tensor, TensorType,
};
use std::boxed::Box;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// The scale of a hidden tensor: any power of two keeps the products `scale_in * scale_w` exact in
/// `f32`, so that the two ways `LiteRT` computes a multiplier agree.
const HIDDEN_SCALE: f32 = 1.0 / 16.0;

/// TensorFlow Lite's int8 `SOFTMAX` output: scale 1/256, zero point -128 (its kernel requires them).
const SOFTMAX_OUTPUT: (f32, i8) = (1.0 / 256.0, -128);

/// One int8 layer's integers, read out of the net.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weighted {
    /// Codes in the net's layout (`[O][I]`, `[OUT][IN][K]`, `[C][K]`).
    pub weights: Vec<i8>,
    /// Each row's bias, the input's zero point folded in.
    pub bias: Vec<i32>,
    /// Each row's multiplier.
    pub multipliers: Vec<Multiplier>,
    /// The output's zero point.
    pub zero_point: i8,
    /// The clamp `(min, max)`: the layer's, or the one its table is (a relu6 read from a file);
    /// `None` for any other table.
    pub clamp: Option<(i8, i8)>,
}

/// Layer `index`'s integers; `None` for a pool or a layer past the last.
pub fn weighted<Q: Int8Network>(net: &mut Q, index: usize) -> Option<Weighted> {
    let Int8Parts::Weighted(parts) = net.layer_mut(index)?.parts_mut() else {
        return None;
    };
    let multipliers = parts
        .multiplier
        .iter()
        .zip(parts.shift.iter())
        .map(|(&multiplier, &shift)| Multiplier { multiplier, shift })
        .collect();
    Some(Weighted {
        weights: parts.weights.to_vec(),
        bias: parts.bias.to_vec(),
        multipliers,
        zero_point: *parts.zero_point,
        clamp: match parts.activation {
            ActivationMut::Clamp(clamp) => Some((clamp.min, clamp.max)),
            ActivationMut::Table(table) => clamp_of(&table.output),
        },
    })
}

/// The clamp a table is, if it is one: `output[q + 128] = clamp(q, min, max)`.
fn clamp_of(table: &[i8; 256]) -> Option<(i8, i8)> {
    let (min, max) = (table[0], table[255]);
    let is_clamp = (-128..=127_i32)
        .zip(table)
        .all(|(q, &out)| i32::from(out) == q.clamp(i32::from(min), i32::from(max)));
    is_clamp.then_some((min, max))
}

/// The file's tables as they are built: tensors, buffers (buffer 0 the empty one every tensor
/// without data reads), operators, and the operator codes they use, in order of first use.
struct File {
    tensors: Vec<Tensor>,
    buffers: Vec<Buffer>,
    operators: Vec<Operator>,
    codes: Vec<BuiltinOperator>,
}

impl File {
    /// A tensor of `shape` and `dtype`, with `data` (little-endian) when it is a constant, and its
    /// quantisation; returns its index.
    fn tensor(
        &mut self,
        name: String,
        shape: &[usize],
        dtype: TensorType,
        data: Option<Vec<u8>>,
        scales: Vec<f32>,
        zero_points: Vec<i64>,
    ) -> i32 {
        let buffer = match data {
            Some(data) => {
                self.buffers.push(Buffer { data: Some(data) });
                u32::try_from(self.buffers.len() - 1).unwrap_or(u32::MAX)
            }
            None => 0,
        };
        self.tensors.push(Tensor {
            shape: Some(
                shape
                    .iter()
                    .map(|&d| i32::try_from(d).unwrap_or(i32::MAX))
                    .collect(),
            ),
            type_: dtype,
            buffer,
            name: Some(name),
            quantization: Some(Box::new(QuantizationParameters {
                scale: Some(scales),
                zero_point: Some(zero_points),
                ..QuantizationParameters::default()
            })),
            ..Tensor::default()
        });
        i32::try_from(self.tensors.len() - 1).unwrap_or(i32::MAX)
    }

    /// An activation tensor of int8 codes, of the net's `shape` (see [`file_shape`]).
    fn activation(&mut self, name: String, shape: &[usize], scale: f32, zero_point: i8) -> i32 {
        self.tensor(
            name,
            &file_shape(shape),
            TensorType::Int8,
            None,
            std::vec![scale],
            std::vec![i64::from(zero_point)],
        )
    }
}

/// The code of an operator: its value (below 127 for every operator written here, so the
/// deprecated byte holds it too) and the version TensorFlow Lite's converter gives its int8 form.
fn operator_code(code: BuiltinOperator) -> OperatorCode {
    let version = match code {
        BuiltinOperator::FullyConnected => 4,
        BuiltinOperator::Conv2d | BuiltinOperator::DepthwiseConv2d => 3,
        _ => 2,
    };
    #[allow(clippy::cast_possible_truncation)] // every code written here is below 127
    OperatorCode {
        deprecated_builtin_code: code as i8,
        builtin_code: code,
        version,
        ..OperatorCode::default()
    }
}

/// A net's shape as the file's: `[N]` as `[1, N]`, a signal `[C, L]` as `[1, L, 1, C]` (the
/// reader's `net_shape` in reverse).
fn file_shape(shape: &[usize]) -> Vec<usize> {
    match shape {
        [channels, length] => std::vec![1, *length, 1, *channels],
        _ => std::vec![1, shape.iter().product()],
    }
}

/// An error for a layer `save` cannot write.
fn unsupported(spec: &crate::LayerSpec, message: &str) -> Error {
    Error::Unsupported {
        layer: spec.name.to_string(),
        spec: spec.spec.to_string(),
        message: message.to_string(),
    }
}

/// The fused activation of a layer's activation, by its spec name; softmax (last only) fuses
/// nothing and is its own operator.
fn fused(
    spec: &crate::LayerSpec,
    activation: &str,
    last: bool,
) -> Result<ActivationFunctionType, Error> {
    Ok(match activation {
        "identity" => ActivationFunctionType::None,
        "softmax" if last => ActivationFunctionType::None,
        "relu" => ActivationFunctionType::Relu,
        "relu6" => ActivationFunctionType::Relu6,
        _ => {
            return Err(unsupported(
                spec,
                "its int8 activation is a table, which no TensorFlow Lite operator holds (LOGISTIC \
                 and TANH fix their own output quantisation); save writes identity, relu, relu6 \
                 and a softmax output",
            ));
        }
    })
}

/// The weight scale of one channel: the `f32` nearest `M * scale_out / scale_in` (within 64 steps
/// of an `f32` either side) whose multiplier, as `LiteRT` computes it from the file's `f32`
/// scales, is `target`; for a dense layer both of `LiteRT`'s formulas (the product of the two
/// scales rounded to `f32`, and in `f64`) must agree on it, the convolutions' being the second.
/// When none is `target`, the one nearest it.
fn weight_scale(kind: Kind, scale_in: f32, scale_out: f32, target: Multiplier) -> f32 {
    let ideal = target.to_f64() * f64::from(scale_out) / f64::from(scale_in);
    #[allow(clippy::cast_possible_truncation)] // the nearest f32 is what is wanted
    let start = (ideal as f32).max(f32::MIN_POSITIVE);
    let file = |scale_w: f32| {
        let input = Quantization {
            scale: f64::from(scale_in),
            zero_point: 0,
        };
        let output = Quantization {
            scale: f64::from(scale_out),
            zero_point: 0,
        };
        let single = Multiplier::from_f64(real_multiplier(Kind::Dense, input, scale_w, output));
        let double =
            Multiplier::from_f64(f64::from(scale_in) * f64::from(scale_w) / f64::from(scale_out));
        (kind != Kind::Dense || single == double).then_some(double)
    };
    let mut best = (f64::INFINITY, start);
    for step in 0..=128_u32 {
        // 0, +1, -1, +2, -2, ...: the nearest candidates first.
        let offset = step.div_ceil(2);
        let bits = if step % 2 == 1 {
            start.to_bits().checked_add(offset)
        } else {
            start.to_bits().checked_sub(offset)
        };
        let Some(candidate) = bits
            .map(f32::from_bits)
            .filter(|s| *s > 0.0 && s.is_finite())
        else {
            continue;
        };
        if let Some(multiplier) = file(candidate) {
            if multiplier == target {
                return candidate;
            }
            let distance = (multiplier.to_f64() - target.to_f64()).abs();
            if distance < best.0 {
                best = (distance, candidate);
            }
        }
    }
    best.1
}

/// The nearest `f32` to a scale.
#[allow(clippy::cast_possible_truncation)] // the file holds f32 scales
fn to_f32<T: Float>(value: T) -> f32 {
    value.to_f64() as f32
}

/// Little-endian bytes of integers.
fn le_bytes<const W: usize, T: Copy>(values: &[T], bytes: impl Fn(T) -> [u8; W]) -> Vec<u8> {
    values.iter().flat_map(|&v| bytes(v)).collect()
}

/// A tensor flowing from one operator to the next: its index, scale and zero point.
#[derive(Debug, Clone, Copy)]
struct Flow {
    tensor: i32,
    scale: f32,
    zero_point: i8,
}

/// Writes `net` as a `.tflite` file: the scales as this module's docs choose them, each multiplier
/// the one of those a file holds nearest the net's (`save` checks that they are the net's).
pub fn write<Q: Int8Network + Clone>(net: &Q) -> Result<Vec<u8>, Error> {
    let mut net = net.clone();
    let specs = <Q::Float as Network>::LAYERS;
    let (input, output) = net.quantizations_mut();
    let (input, output) = (*input, *output);
    let mut file = File {
        tensors: Vec::new(),
        buffers: std::vec![Buffer::default()],
        operators: Vec::new(),
        codes: Vec::new(),
    };
    let shape = specs.first().map_or(&[][..], |spec| spec.input);
    let (scale, zero_point) = (to_f32(input.scale), input.zero_point);
    let tensor = file.activation("input".to_string(), shape, scale, zero_point);
    let input_tensor = tensor;
    let mut flow = Flow {
        tensor,
        scale,
        zero_point,
    };
    for (index, spec) in specs.iter().enumerate() {
        let last = index + 1 == specs.len();
        let parsed = Parsed::new(spec.spec);
        let (kind, activation_at) =
            kind(&parsed).ok_or_else(|| unsupported(spec, "has no TensorFlow Lite operator"))?;
        if matches!(
            kind,
            Kind::MaxPool(_) | Kind::AvgPool(_) | Kind::GlobalAvgPool
        ) {
            flow = file.pool(spec, kind, flow);
            continue;
        }
        let activation = parsed
            .positional
            .get(activation_at)
            .copied()
            .unwrap_or("identity");
        let fused = fused(spec, activation, last)?;
        let layer =
            weighted(&mut net, index).ok_or_else(|| unsupported(spec, "has no int8 layer"))?;
        let scale_out = if last {
            to_f32(output.scale)
        } else {
            hidden_scale(spec, &layer, fused)?
        };
        let options = options(spec, kind, fused)?;
        flow = file.weighted(spec, kind, &layer, flow, scale_out, options);
        if activation == "softmax" {
            flow = file.softmax(spec, flow);
        }
    }
    let operator_codes = file.codes.iter().map(|&code| operator_code(code)).collect();
    let model = Model {
        version: 3,
        operator_codes: Some(operator_codes),
        subgraphs: Some(std::vec![SubGraph {
            tensors: Some(file.tensors),
            inputs: Some(std::vec![input_tensor]),
            outputs: Some(std::vec![flow.tensor]),
            operators: Some(file.operators),
            name: Some("main".to_string()),
        }]),
        description: Some("backprop".to_string()),
        buffers: Some(file.buffers),
        ..Model::default()
    };
    Ok(with_identifier(
        Builder::new().finish(&model, Some(*b"TFL3")),
    ))
}

/// The options of a layer with weights: `FULLY_CONNECTED`'s, or a convolution's `(k, 1)` window
/// with `stride` along the steps, and `VALID` padding, or `SAME` when that pads as the layer does.
fn options(
    spec: &crate::LayerSpec,
    kind: Kind,
    fused: ActivationFunctionType,
) -> Result<BuiltinOptions, Error> {
    let (Kind::Conv {
        kernel,
        stride,
        padding,
    }
    | Kind::Depthwise {
        kernel,
        stride,
        padding,
    }) = kind
    else {
        return Ok(BuiltinOptions::FullyConnectedOptions(Box::new(
            FullyConnectedOptions {
                fused_activation_function: fused,
                ..FullyConnectedOptions::default()
            },
        )));
    };
    let (length, out) = (
        spec.input.get(1).copied().unwrap_or(0),
        spec.output.get(1).copied().unwrap_or(0),
    );
    let same_out = length.div_ceil(stride.max(1));
    let same_before = ((same_out.saturating_sub(1)) * stride + kernel).saturating_sub(length) / 2;
    let padding = match padding {
        0 => Padding::Valid,
        p if p == same_before && out == same_out => Padding::Same,
        _ => {
            return Err(unsupported(
                spec,
                "its padding is not TensorFlow Lite's SAME (as many steps out as in, over the \
                 stride; the odd one after) nor VALID",
            ));
        }
    };
    let stride_h = i32::try_from(stride).unwrap_or(i32::MAX);
    Ok(match kind {
        Kind::Conv { .. } => BuiltinOptions::Conv2DOptions(Box::new(Conv2DOptions {
            padding,
            stride_w: 1,
            stride_h,
            fused_activation_function: fused,
            ..Conv2DOptions::default()
        })),
        _ => BuiltinOptions::DepthwiseConv2DOptions(Box::new(DepthwiseConv2DOptions {
            padding,
            stride_w: 1,
            stride_h,
            depth_multiplier: 1,
            fused_activation_function: fused,
            ..DepthwiseConv2DOptions::default()
        })),
    })
}

/// The scale of a hidden layer's output: [`HIDDEN_SCALE`], or after `relu6` the one whose code
/// of 6 is the clamp's top, `6 / (max - min)`.
fn hidden_scale(
    spec: &crate::LayerSpec,
    layer: &Weighted,
    fused: ActivationFunctionType,
) -> Result<f32, Error> {
    if fused != ActivationFunctionType::Relu6 {
        return Ok(HIDDEN_SCALE);
    }
    let (min, max) = layer.clamp.unwrap_or((0, 0));
    let steps = i32::from(max) - i32::from(min);
    if steps <= 0 {
        return Err(unsupported(
            spec,
            "its int8 relu6 is a table that is not a clamp (`quantize` stores relu6's outputs \
             over a range of their own); TensorFlow Lite's RELU6 is the clamp from the output's \
             zero point to its code of 6",
        ));
    }
    #[allow(clippy::cast_precision_loss)] // at most 255
    Ok(6.0 / steps as f32)
}

/// Each channel's bias as the file holds it: the net's with the input's zero point unfolded,
/// `bias + zero_point_in * sum q_w` over the channel's `per` codes (saturated to `i32`; `save`
/// then reports the layer).
fn unfolded_bias(layer: &Weighted, per: usize, zero_in: i8) -> Vec<i32> {
    layer
        .bias
        .iter()
        .zip(layer.weights.chunks(per.max(1)))
        .map(|(&folded, row)| {
            let codes: i64 = row.iter().map(|&q| i64::from(q)).sum();
            let bias = i64::from(folded) + i64::from(zero_in) * codes;
            i32::try_from(bias).unwrap_or(if bias < 0 { i32::MIN } else { i32::MAX })
        })
        .collect()
}

impl File {
    /// The index of an operator code, added at its first use.
    fn opcode(&mut self, code: BuiltinOperator) -> u32 {
        let at = self
            .codes
            .iter()
            .position(|&c| c == code)
            .unwrap_or_else(|| {
                self.codes.push(code);
                self.codes.len() - 1
            });
        u32::try_from(at).unwrap_or(u32::MAX)
    }

    /// The operator of a layer with weights reading `flow`: its codes in the file's layout (the
    /// reader's [`weight_order`] in reverse), weight scales along the output channels, bias and
    /// output.
    fn weighted(
        &mut self,
        spec: &crate::LayerSpec,
        kind: Kind,
        layer: &Weighted,
        flow: Flow,
        scale_out: f32,
        options: BuiltinOptions,
    ) -> Flow {
        let (count, outputs) = (layer.weights.len(), layer.bias.len());
        let per = count / outputs.max(1);
        let mut codes = std::vec![0_i8; count];
        for (&code, &at) in layer
            .weights
            .iter()
            .zip(&weight_order(kind, spec.input, outputs, count))
        {
            codes[at] = code;
        }
        let (shape, dimension, code) = match kind {
            Kind::Conv { kernel, .. } => (
                std::vec![outputs, kernel, 1, per / kernel.max(1)],
                0,
                BuiltinOperator::Conv2d,
            ),
            Kind::Depthwise { kernel, .. } => (
                std::vec![1, kernel, 1, outputs],
                3,
                BuiltinOperator::DepthwiseConv2d,
            ),
            _ => (std::vec![outputs, per], 0, BuiltinOperator::FullyConnected),
        };
        let scales: Vec<f32> = layer
            .multipliers
            .iter()
            .map(|&m| weight_scale(kind, flow.scale, scale_out, m))
            .collect();
        let bias_scales = scales.iter().map(|s| flow.scale * s).collect();
        let weights = self.tensor(
            format!("{}/weights", spec.name),
            &shape,
            TensorType::Int8,
            Some(le_bytes(&codes, i8::to_le_bytes)),
            scales,
            std::vec![0; outputs],
        );
        if let Some(quantization) = self
            .tensors
            .last_mut()
            .and_then(|t| t.quantization.as_mut())
        {
            quantization.quantized_dimension = dimension;
        }
        let bias = unfolded_bias(layer, per, flow.zero_point);
        let bias = self.tensor(
            format!("{}/bias", spec.name),
            &[outputs],
            TensorType::Int32,
            Some(le_bytes(&bias, i32::to_le_bytes)),
            bias_scales,
            std::vec![0; outputs],
        );
        let sums = self.activation(
            spec.name.to_string(),
            spec.output,
            scale_out,
            layer.zero_point,
        );
        let opcode_index = self.opcode(code);
        self.operators.push(Operator {
            opcode_index,
            inputs: Some(std::vec![flow.tensor, weights, bias]),
            outputs: Some(std::vec![sums]),
            builtin_options: Some(options),
            ..Operator::default()
        });
        Flow {
            tensor: sums,
            scale: scale_out,
            zero_point: layer.zero_point,
        }
    }

    /// A pool of `flow` over `(n, 1)` windows `n` apart, or the whole signal: its output keeps
    /// the input's quantisation, as the int8 pools do.
    fn pool(&mut self, spec: &crate::LayerSpec, kind: Kind, flow: Flow) -> Flow {
        let length = spec.input.get(1).copied().unwrap_or(0);
        let (window, code, shape) = match kind {
            Kind::MaxPool(n) => (n, BuiltinOperator::MaxPool2d, file_shape(spec.output)),
            Kind::AvgPool(n) => (n, BuiltinOperator::AveragePool2d, file_shape(spec.output)),
            _ => (
                length,
                BuiltinOperator::AveragePool2d,
                std::vec![1, 1, 1, spec.output.iter().product()],
            ),
        };
        let output = self.tensor(
            spec.name.to_string(),
            &shape,
            TensorType::Int8,
            None,
            std::vec![flow.scale],
            std::vec![i64::from(flow.zero_point)],
        );
        let window = i32::try_from(window).unwrap_or(i32::MAX);
        let opcode_index = self.opcode(code);
        self.operators.push(Operator {
            opcode_index,
            inputs: Some(std::vec![flow.tensor]),
            outputs: Some(std::vec![output]),
            builtin_options: Some(BuiltinOptions::Pool2DOptions(Box::new(Pool2DOptions {
                padding: Padding::Valid,
                stride_w: 1,
                stride_h: window,
                filter_width: 1,
                filter_height: window,
                fused_activation_function: ActivationFunctionType::None,
            }))),
            ..Operator::default()
        });
        Flow {
            tensor: output,
            ..flow
        }
    }

    /// A `SOFTMAX` (beta 1) of `flow`, its output as TensorFlow Lite's int8 kernel requires.
    fn softmax(&mut self, spec: &crate::LayerSpec, flow: Flow) -> Flow {
        let (scale, zero_point) = SOFTMAX_OUTPUT;
        let softmax = self.activation(
            format!("{}/softmax", spec.name),
            spec.output,
            scale,
            zero_point,
        );
        let opcode_index = self.opcode(BuiltinOperator::Softmax);
        self.operators.push(Operator {
            opcode_index,
            inputs: Some(std::vec![flow.tensor]),
            outputs: Some(std::vec![softmax]),
            builtin_options: Some(BuiltinOptions::SoftmaxOptions(Box::new(SoftmaxOptions {
                beta: 1.0,
            }))),
            ..Operator::default()
        });
        Flow {
            tensor: softmax,
            scale,
            zero_point,
        }
    }
}

/// The flatbuffer with its root offset first and the file identifier after it, as flatbuffers
/// lays them out and TensorFlow Lite reads them. planus 1.3.0 writes the two words the other way
/// round (the identifier first, then an offset counted from its own position), which no reader,
/// planus's included, reads; swapped here, the offset made relative to the start.
fn with_identifier(planus: &[u8]) -> Vec<u8> {
    let mut bytes = planus.to_vec();
    if let (Some(identifier), Some(offset)) = (planus.get(0..4), planus.get(4..8)) {
        let offset = u32::from_le_bytes([offset[0], offset[1], offset[2], offset[3]]);
        bytes[0..4].copy_from_slice(&offset.wrapping_add(4).to_le_bytes());
        bytes[4..8].copy_from_slice(identifier);
    }
    bytes
}

/// Why `read`, the file's net, is not `net`: the first layer that differs, and how.
pub fn difference<Q: Int8Network + Clone>(net: &Q, read: &Q) -> Error {
    let (mut net, mut read) = (net.clone(), read.clone());
    for (index, spec) in <Q::Float as Network>::LAYERS.iter().enumerate() {
        let (ours, file) = (weighted(&mut net, index), weighted(&mut read, index));
        let (Some(ours), Some(file)) = (ours, file) else {
            continue;
        };
        let message = if let Some(c) =
            (0..ours.multipliers.len()).find(|&c| ours.multipliers[c] != file.multipliers[c])
        {
            let (m, f) = (ours.multipliers[c], file.multipliers[c]);
            format!(
                "channel {c}'s multiplier {} * 2^({} - 31) has no form in a .tflite file, whose \
                 operators compute it from f32 scales; the nearest is {} * 2^({} - 31) \
                 (`tflite::nearest` gives the net with the multipliers a file holds)",
                m.multiplier, m.shift, f.multiplier, f.shift
            )
        } else if ours.clamp != file.clamp {
            format!(
                "its clamp {:?} is not the one TensorFlow Lite derives, {:?}",
                ours.clamp, file.clamp
            )
        } else if ours != file {
            "its bias does not fit an i32 once the input's zero point is unfolded".to_string()
        } else {
            continue;
        };
        return Error::Inexact {
            layer: spec.name.to_string(),
            message,
        };
    }
    Error::Inexact {
        layer: "input or output".to_string(),
        message: "the net's input or output scale is not an f32, which a file holds".to_string(),
    }
}
