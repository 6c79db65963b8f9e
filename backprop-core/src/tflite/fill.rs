//! The matched layers' tensors written into a net: float weights in the net's layout, or int8
//! codes, folded biases, multipliers and clamps computed as TensorFlow Lite computes them.

use super::graph::{Fused, Graph, Tensor};
use super::layers::{Activation, Kind, Matched};
use super::{Error, elements};
use crate::Network;
use crate::quant::{
    ActivationMut, Clamp, Float, Int8Network, Int8Parts, Multiplier, Quantization, saturate,
};
use backprop_tflite_schema::tflite::{BuiltinOperator, TensorType};
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// An error about `tensor`, read for `layer`.
fn tensor_error(tensor: &Tensor<'_>, layer: &Matched<'_, '_>, message: String) -> Error {
    Error::Tensor {
        tensor: tensor.label(),
        layer: layer.spec.name.to_string(),
        message,
    }
}

/// For each position of the net's layout of a layer's weights, the position of the file's value:
/// `[O][I]` from `[O, I]` (a signal input flattened channel-major from the file's step-major),
/// `[O][I][K]` from `[O, K, 1, I]`, `[C][K]` from `[1, K, 1, C]`.
pub(super) fn weight_order(
    kind: Kind,
    input: &[usize],
    outputs: usize,
    count: usize,
) -> Vec<usize> {
    let per = count / outputs.max(1);
    let mut order = Vec::with_capacity(count);
    match kind {
        Kind::Dense => {
            let (channels, length) = match input {
                [channels, length] => (*channels, *length),
                _ => (per, 1),
            };
            for j in 0..outputs {
                for c in 0..channels {
                    for t in 0..length {
                        order.push(j * per + t * channels + c);
                    }
                }
            }
        }
        Kind::Conv { kernel, .. } => {
            let inputs = per / kernel.max(1);
            for o in 0..outputs {
                for i in 0..inputs {
                    for k in 0..kernel {
                        order.push((o * kernel + k) * inputs + i);
                    }
                }
            }
        }
        Kind::Depthwise { kernel, .. } => {
            for c in 0..outputs {
                for k in 0..kernel {
                    order.push(k * outputs + c);
                }
            }
        }
        _ => {}
    }
    order
}

/// The layer's weight and bias tensors (inputs 1 and 2; the bias may be left out), the weights'
/// shape checked against the layer's parameter count `count` over `outputs` channels, and its
/// type against `dtype`.
fn weights_and_bias<'t, 'a>(
    layer: &'t Matched<'_, 'a>,
    count: usize,
    outputs: usize,
    dtype: TensorType,
) -> Result<(&'t Tensor<'a>, Option<&'t Tensor<'a>>), Error> {
    let weights = layer.op.input(1)?;
    let channels = match layer.kind {
        Kind::Depthwise { .. } => weights.shape.last().copied(),
        _ => weights.shape.first().copied(),
    };
    if weights.shape.iter().product::<usize>() != count || channels != Some(outputs) {
        return Err(tensor_error(
            weights,
            layer,
            format!(
                "has shape {:?}; the layer has {outputs} output channels and {count} weights",
                weights.shape
            ),
        ));
    }
    if weights.dtype != dtype {
        return Err(tensor_error(
            weights,
            layer,
            format!("is {:?}, the net reads {dtype:?}", weights.dtype),
        ));
    }
    let bias = layer.op.inputs.get(2).and_then(Option::as_ref);
    if let Some(bias) = bias
        && bias.shape != [outputs]
    {
        return Err(tensor_error(
            bias,
            layer,
            format!("has shape {:?}, the layer's bias [{outputs}]", bias.shape),
        ));
    }
    Ok((weights, bias))
}

/// A float net from its matched layers.
pub fn float<N: Network>(layers: &[Matched<'_, '_>]) -> Result<N, Error> {
    let mut net = N::zeroed();
    for layer in layers {
        let tensors: Vec<usize> = (0..N::TENSORS.len())
            .filter(|&t| N::TENSORS[t].layer == layer.index)
            .collect();
        let find = |name: &str| {
            tensors
                .iter()
                .copied()
                .find(|&t| N::TENSORS[t].name == name)
        };
        let (Some(weights_at), Some(bias_at)) = (find("weights"), find("bias")) else {
            continue; // a pool: nothing to read
        };
        let count = N::TENSORS[weights_at].len();
        let outputs = N::TENSORS[bias_at].len();
        let (weights, bias) = weights_and_bias(layer, count, outputs, TensorType::Float32)?;
        let values: Vec<f32> = elements::<4>(weights, layer.spec.name)?
            .into_iter()
            .map(f32::from_le_bytes)
            .collect();
        let order = weight_order(layer.kind, layer.spec.input, outputs, count);
        for (slot, &from) in net.tensor_mut(weights_at).iter_mut().zip(&order) {
            *slot = crate::Number::from_f64(f64::from(values[from]));
        }
        if let Some(bias) = bias {
            if bias.dtype != TensorType::Float32 {
                return Err(tensor_error(
                    bias,
                    layer,
                    format!("is {:?}, the net reads Float32", bias.dtype),
                ));
            }
            let values = elements::<4>(bias, layer.spec.name)?;
            for (slot, value) in net.tensor_mut(bias_at).iter_mut().zip(values) {
                *slot = crate::Number::from_f64(f64::from(f32::from_le_bytes(value)));
            }
        }
    }
    Ok(net)
}

/// A tensor's one scale and zero point (an activation's quantisation, per tensor).
fn per_tensor<T: Float>(tensor: &Tensor<'_>, layer: &str) -> Result<Quantization<T>, Error> {
    let error = |message: String| Error::Tensor {
        tensor: tensor.label(),
        layer: layer.to_string(),
        message,
    };
    if tensor.dtype != TensorType::Int8 {
        return Err(error(format!(
            "is {:?}, an int8 net reads Int8",
            tensor.dtype
        )));
    }
    match (tensor.scales.as_slice(), tensor.zero_points.as_slice()) {
        ([scale], [zero_point]) if *scale > 0.0 && scale.is_finite() => Ok(Quantization {
            scale: T::from_f64(f64::from(*scale)),
            zero_point: i8::try_from(*zero_point)
                .map_err(|_| error(format!("has zero point {zero_point}, not an i8")))?,
        }),
        (scales, _) => Err(error(format!(
            "has {} scales; an activation has one, positive",
            scales.len()
        ))),
    }
}

/// An int8 net from its matched layers.
#[allow(clippy::too_many_lines)] // one pass over the layers, each step a check or a fill
pub fn int8<Q: Int8Network>(graph: &Graph<'_>, layers: &[Matched<'_, '_>]) -> Result<Q, Error> {
    let mut net = Q::zeroed();
    let first = layers.first().map_or("input", |layer| layer.spec.name);
    // The net's input: the first layer's, after a QUANTIZE of a float input.
    let input_tensor = match layers.first() {
        Some(layer) => layer.op.input(0)?,
        None => &graph.input,
    };
    let input = per_tensor(input_tensor, first)?;
    let last = layers.last();
    let output_tensor = match last {
        Some(layer) if layer.activation == Activation::Softmax => layer.op.output()?,
        Some(layer) => layer.output()?,
        None => &graph.output,
    };
    let output = per_tensor(output_tensor, last.map_or("output", |l| l.spec.name))?;
    let (input_slot, output_slot) = net.quantizations_mut();
    (*input_slot, *output_slot) = (input, output);
    for layer in layers {
        let name = layer.spec.name;
        let reads = per_tensor::<f64>(layer.op.input(0)?, name)?;
        let sums = per_tensor::<f64>(layer.op.output()?, name)?;
        let Some(int8_layer) = net.layer_mut(layer.index) else {
            return Err(Error::Missing {
                layer: name.to_string(),
                spec: layer.spec.spec.to_string(),
            });
        };
        let parts = match int8_layer.parts_mut() {
            Int8Parts::Weighted(parts) => parts,
            Int8Parts::Pool => {
                if reads != sums {
                    return Err(tensor_error(
                        layer.op.output()?,
                        layer,
                        "is stored otherwise than the pool's input; an int8 pool keeps its \
                         input's quantisation"
                            .to_string(),
                    ));
                }
                continue;
            }
        };
        let outputs = parts.bias.len();
        let count = parts.weights.len();
        let (weights, bias) = weights_and_bias(layer, count, outputs, TensorType::Int8)?;
        let codes: Vec<i8> = elements::<1>(weights, name)?
            .into_iter()
            .map(i8::from_le_bytes)
            .collect();
        let order = weight_order(layer.kind, layer.spec.input, outputs, count);
        for (slot, &from) in parts.weights.iter_mut().zip(&order) {
            *slot = codes[from];
        }
        // Per-channel (or per-tensor) weight scales, symmetric.
        let dimension = match layer.kind {
            Kind::Depthwise { .. } => 3,
            _ => 0,
        };
        let scales = &weights.scales;
        let per_channel =
            scales.len() == outputs && (outputs == 1 || weights.dimension == dimension);
        if !(scales.len() == 1 || per_channel)
            || scales.iter().any(|s| !(*s > 0.0 && s.is_finite()))
        {
            return Err(tensor_error(
                weights,
                layer,
                format!(
                    "has {} scales along dimension {}; the layer reads one, or one per output \
                     channel ({outputs}) along dimension {dimension}, each positive",
                    scales.len(),
                    weights.dimension
                ),
            ));
        }
        if weights.zero_points.iter().any(|&z| z != 0) {
            return Err(tensor_error(
                weights,
                layer,
                "has a zero point other than 0; weights are symmetric".to_string(),
            ));
        }
        let biases: Vec<i64> = match bias {
            Some(bias) if bias.dtype == TensorType::Int32 => elements::<4>(bias, name)?
                .into_iter()
                .map(|b| i64::from(i32::from_le_bytes(b)))
                .collect(),
            Some(bias) => {
                return Err(tensor_error(
                    bias,
                    layer,
                    format!("is {:?}, an int8 layer's bias is Int32", bias.dtype),
                ));
            }
            None => std::vec![0; outputs],
        };
        let per = count / outputs.max(1);
        for c in 0..outputs {
            let scale = scales[if scales.len() == 1 { 0 } else { c }];
            let multiplier = Multiplier::from_f64(real_multiplier(layer.kind, reads, scale, sums));
            parts.multiplier[c] = multiplier.multiplier;
            parts.shift[c] = multiplier.shift;
            let code_sum: i64 = parts.weights[c * per..(c + 1) * per]
                .iter()
                .map(|&q| i64::from(q))
                .sum();
            let folded = biases[c] - i64::from(reads.zero_point) * code_sum;
            parts.bias[c] = i32::try_from(folded).map_err(|_| {
                tensor_error(
                    bias.unwrap_or(weights),
                    layer,
                    format!(
                        "channel {c}'s bias with the input's zero point folded in overflows i32"
                    ),
                )
            })?;
        }
        if let Some(input_zero_point) = parts.input_zero_point {
            *input_zero_point = reads.zero_point;
        }
        *parts.zero_point = sums.zero_point;
        let (min, max) = clamp(layer.fused(), sums);
        match (parts.activation, layer.activation_op) {
            (ActivationMut::Clamp(slot), None) => *slot = Clamp { min, max },
            (ActivationMut::Clamp(slot), Some(op)) if op.code == BuiltinOperator::Softmax => {
                *slot = Clamp { min, max };
            }
            (ActivationMut::Table(table), None) => {
                for (k, slot) in table.output.iter_mut().enumerate() {
                    let q = i32::try_from(k).unwrap_or(0) - 128;
                    *slot = saturate(q.clamp(i32::from(min), i32::from(max)));
                }
            }
            (ActivationMut::Table(table), Some(op)) => {
                let out = per_tensor::<f64>(op.output()?, name)?;
                let function: fn(f64) -> f64 = match op.code {
                    BuiltinOperator::Logistic => |x| 1.0 / (1.0 + libm::exp(-x)),
                    _ => libm::tanh,
                };
                for (k, slot) in table.output.iter_mut().enumerate() {
                    let q = i32::try_from(k).unwrap_or(0) - 128;
                    let x = sums.scale * f64::from(q - i32::from(sums.zero_point));
                    let y = libm::round(function(x) / out.scale);
                    #[allow(clippy::cast_possible_truncation)] // clamped to the i8 range
                    let code = (y + f64::from(out.zero_point)).clamp(-128.0, 127.0) as i32;
                    *slot = saturate(code);
                }
            }
            (ActivationMut::Clamp(_), Some(op)) => {
                return Err(Error::Op {
                    op: op.label(),
                    message: format!("layer `{name}`'s int8 form has no table for it"),
                });
            }
        }
    }
    Ok(net)
}

/// The real factor of an output channel, as TensorFlow Lite computes it: for `FULLY_CONNECTED`,
/// `GetQuantizedConvolutionMultipler`, `double(float(scale_in * scale_w)) / double(scale_out)`
/// (the product rounded to `f32` first); for the convolutions,
/// `PopulateConvolutionQuantizationParams`, `double(scale_in) * double(scale_w[c]) /
/// double(scale_out)`.
pub(super) fn real_multiplier(
    kind: Kind,
    input: Quantization<f64>,
    weights: f32,
    output: Quantization<f64>,
) -> f64 {
    #[allow(clippy::cast_possible_truncation)] // the file's scales are f32s
    let input_f32 = input.scale as f32;
    match kind {
        Kind::Dense => f64::from(input_f32 * weights) / output.scale,
        _ => input.scale * f64::from(weights) / output.scale,
    }
}

/// TensorFlow Lite's `CalculateActivationRangeQuantized`: the codes a fused activation clamps to.
fn clamp(fused: Fused, output: Quantization<f64>) -> (i8, i8) {
    let zero = i32::from(output.zero_point);
    #[allow(clippy::cast_possible_truncation)] // clamped to the i8 range
    let six = (f64::from(zero) + libm::round(6.0 / output.scale)).clamp(-128.0, 127.0) as i32;
    match fused {
        Fused::Relu => (saturate(zero), 127),
        Fused::Relu6 => (saturate(zero), saturate(six)),
        _ => (-128, 127),
    }
}

#[cfg(test)]
mod tests {
    use super::{Kind, weight_order};

    #[test]
    fn a_dense_layer_after_a_signal_reads_the_file_step_major() {
        // Input [C = 2, L = 3]: the net's column c * 3 + t is the file's t * 2 + c.
        let order = weight_order(Kind::Dense, &[2, 3], 2, 12);
        assert_eq!(order, [0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11]);
        // A vector: the same layout, [O, I].
        assert_eq!(weight_order(Kind::Dense, &[3], 2, 6), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn convolutions_read_the_file_kernel_major() {
        // conv1d: the net's [O = 2][I = 2][K = 3] from the file's [O, K, 1, I].
        let conv = Kind::Conv {
            kernel: 3,
            stride: 1,
            padding: 0,
        };
        assert_eq!(
            weight_order(conv, &[2, 5], 2, 12),
            [0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11]
        );
        // depthwise: the net's [C = 3][K = 2] from the file's [1, K, 1, C].
        let depthwise = Kind::Depthwise {
            kernel: 2,
            stride: 1,
            padding: 0,
        };
        assert_eq!(weight_order(depthwise, &[3, 4], 3, 6), [0, 3, 1, 4, 2, 5]);
    }
}
