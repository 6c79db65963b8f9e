//! A file's operators matched one to one with a net's layers ([`LayerSpec`]s): each layer's kind,
//! geometry and activation checked against its operator's, and its shapes against the tensors'.

use super::Error;
use super::graph::{Fused, Graph, Op, Options, Tensor};
use crate::LayerSpec;
use backprop_tflite_schema::tflite::BuiltinOperator;
use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

/// What a layer computes after its sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// `identity`.
    Identity,
    /// `relu`.
    Relu,
    /// `relu6`.
    Relu6,
    /// `sigmoid`.
    Sigmoid,
    /// `tanh`.
    Tanh,
    /// `softmax`.
    Softmax,
}

impl Activation {
    /// The spec's name of an activation this reader reads.
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "identity" => Activation::Identity,
            "relu" => Activation::Relu,
            "relu6" => Activation::Relu6,
            "sigmoid" => Activation::Sigmoid,
            "tanh" => Activation::Tanh,
            "softmax" => Activation::Softmax,
            _ => return None,
        })
    }
}

/// A layer's kind and geometry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `dense(width, _)`.
    Dense,
    /// `conv1d(channels, kernel, _)`.
    Conv {
        /// Taps.
        kernel: usize,
        /// Stride.
        stride: usize,
        /// Padding on each side.
        padding: usize,
    },
    /// `depthwise_conv1d(kernel, _)`.
    Depthwise {
        /// Taps.
        kernel: usize,
        /// Stride.
        stride: usize,
        /// Padding on each side.
        padding: usize,
    },
    /// `max_pool1d(n)`.
    MaxPool(usize),
    /// `avg_pool1d(n)`.
    AvgPool(usize),
    /// `global_avg_pool1d`.
    GlobalAvgPool,
}

/// One layer of the net and the operators that compute it.
#[derive(Debug, Clone)]
pub struct Matched<'g, 'a> {
    /// The layer's index in the net.
    pub index: usize,
    /// The layer as the spec declares it.
    pub spec: &'static LayerSpec,
    /// Its kind.
    pub kind: Kind,
    /// Its activation (`Identity` for a pool).
    pub activation: Activation,
    /// The operator with its weights, or the pool.
    pub op: &'g Op<'a>,
    /// The operator computing its activation, when not fused.
    pub activation_op: Option<&'g Op<'a>>,
}

impl<'a> Matched<'_, 'a> {
    /// The tensor the layer writes: its activation operator's output, or its operator's.
    pub fn output(&self) -> Result<&Tensor<'a>, Error> {
        self.activation_op.unwrap_or(self.op).output()
    }

    /// The fused activation of its operator.
    pub fn fused(&self) -> Fused {
        match self.op.options {
            Options::FullyConnected { fused, .. }
            | Options::Conv { fused, .. }
            | Options::Pool { fused, .. } => fused,
            _ => Fused::None,
        }
    }
}

/// A spec `kind(a, b, key = value)` split: its kind, positional and named arguments.
pub(super) struct Parsed<'s> {
    /// The kind: `dense`.
    pub kind: &'s str,
    /// The positional arguments: `8`, `relu`.
    pub positional: Vec<&'s str>,
    /// The named arguments: `("stride", "2")`.
    named: Vec<(&'s str, &'s str)>,
}

impl<'s> Parsed<'s> {
    /// `spec` split at its parentheses and commas.
    pub fn new(spec: &'s str) -> Self {
        let (kind, rest) = spec.split_once('(').unwrap_or((spec, ""));
        let rest = rest.strip_suffix(')').unwrap_or(rest);
        let (mut positional, mut named) = (Vec::new(), Vec::new());
        for argument in rest.split(", ").filter(|a| !a.is_empty()) {
            match argument.split_once(" = ") {
                Some((key, value)) => named.push((key, value)),
                None => positional.push(argument),
            }
        }
        Self {
            kind,
            positional,
            named,
        }
    }

    fn number(&self, at: usize) -> usize {
        self.positional
            .get(at)
            .and_then(|a| a.parse().ok())
            .unwrap_or(0)
    }

    fn option(&self, key: &str, default: usize) -> usize {
        self.named
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    }
}

/// A file's layer before matching: the operator with its weights (or a pool) and its activation
/// operator.
struct FileLayer<'g, 'a> {
    op: &'g Op<'a>,
    activation: Option<&'g Op<'a>>,
}

/// The file's operators grouped into layers, after checking that they form one chain from the
/// subgraph's input to its output.
fn file_layers<'g, 'a>(graph: &'g Graph<'a>, int8: bool) -> Result<Vec<FileLayer<'g, 'a>>, Error> {
    let mut layers: Vec<FileLayer<'g, 'a>> = Vec::new();
    let mut previous = graph.input.index;
    let last = graph.ops.len().saturating_sub(1);
    for op in &graph.ops {
        let error = |message: String| Error::Op {
            op: op.label(),
            message,
        };
        let input = op.input(0)?;
        if input.index != previous {
            return Err(error(format!(
                "reads {}, not the output of the operator before it: the file is not one chain of \
                 layers",
                input.label()
            )));
        }
        previous = op.output()?.index;
        match op.code {
            BuiltinOperator::FullyConnected
            | BuiltinOperator::Conv2d
            | BuiltinOperator::DepthwiseConv2d
            | BuiltinOperator::AveragePool2d
            | BuiltinOperator::MaxPool2d => layers.push(FileLayer {
                op,
                activation: None,
            }),
            BuiltinOperator::Reshape => {
                let count = |t: &Tensor<'_>| t.shape.iter().product::<usize>();
                if count(input) != count(op.output()?) {
                    return Err(error("changes the number of values".to_string()));
                }
                if int8
                    && (input.scales != op.output()?.scales
                        || input.zero_points != op.output()?.zero_points)
                {
                    return Err(error("changes the quantisation".to_string()));
                }
            }
            BuiltinOperator::Logistic | BuiltinOperator::Tanh | BuiltinOperator::Softmax => {
                let layer = layers
                    .last_mut()
                    .filter(|layer| {
                        layer.activation.is_none()
                            && matches!(
                                layer.op.options,
                                Options::FullyConnected {
                                    fused: Fused::None,
                                    ..
                                } | Options::Conv {
                                    fused: Fused::None,
                                    ..
                                }
                            )
                    })
                    .ok_or_else(|| {
                        error(
                            "follows no layer with weights and no fused activation, whose \
                             activation it could be"
                                .to_string(),
                        )
                    })?;
                layer.activation = Some(op);
            }
            BuiltinOperator::Quantize if int8 && op.index == 0 => {}
            BuiltinOperator::Dequantize if int8 && op.index == last => {}
            BuiltinOperator::Quantize | BuiltinOperator::Dequantize => {
                return Err(error(if int8 {
                    "is read only first (QUANTIZE) or last (DEQUANTIZE)".to_string()
                } else {
                    "is an int8 operator; a float net reads a float file (load an int8 file \
                     into the net's `{Name}Int8`)"
                        .to_string()
                }));
            }
            _ => {
                return Err(error(
                    "is not read: a net reads FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, \
                     AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, SOFTMAX, LOGISTIC, TANH, QUANTIZE and \
                     DEQUANTIZE"
                        .to_string(),
                ));
            }
        }
    }
    if previous != graph.output.index {
        return Err(Error::Format(format!(
            "the last operator does not write the subgraph's output, {}",
            graph.output.label()
        )));
    }
    Ok(layers)
}

/// A file tensor's shape as the net's: `[1, N]` as `[N]`, `[1, L, 1, C]` as `[C, L]`.
pub fn net_shape(shape: &[usize]) -> Option<Vec<usize>> {
    match shape {
        [1, n] => Some(std::vec![*n]),
        [1, length, 1, channels] => Some(std::vec![*channels, *length]),
        _ => None,
    }
}

/// The file's layers matched one to one with the net's, each checked.
pub fn match_layers<'g, 'a>(
    graph: &'g Graph<'a>,
    net: &'static [LayerSpec],
    int8: bool,
) -> Result<Vec<Matched<'g, 'a>>, Error> {
    let file = file_layers(graph, int8)?;
    let mut matched = Vec::new();
    for (index, (spec, layer)) in net.iter().zip(&file).enumerate() {
        matched.push(check(index, spec, layer)?);
    }
    if let Some(spec) = net.get(file.len()) {
        return Err(Error::Missing {
            layer: spec.name.to_string(),
            spec: spec.spec.to_string(),
        });
    }
    if let Some(extra) = file.get(net.len()) {
        return Err(Error::Unexpected {
            op: extra.op.label(),
        });
    }
    Ok(matched)
}

/// A spec's kind and geometry, and where its activation is among its positional arguments
/// (`usize::MAX` for a pool); `None` for a kind with no TensorFlow Lite operator here.
pub(super) fn kind(parsed: &Parsed<'_>) -> Option<(Kind, usize)> {
    Some(match parsed.kind {
        "dense" => (Kind::Dense, 1),
        "conv1d" => (
            Kind::Conv {
                kernel: parsed.number(1),
                stride: parsed.option("stride", 1),
                padding: parsed.option("padding", 0),
            },
            2,
        ),
        "depthwise_conv1d" => (
            Kind::Depthwise {
                kernel: parsed.number(0),
                stride: parsed.option("stride", 1),
                padding: parsed.option("padding", 0),
            },
            1,
        ),
        "max_pool1d" => (Kind::MaxPool(parsed.number(0)), usize::MAX),
        "avg_pool1d" => (Kind::AvgPool(parsed.number(0)), usize::MAX),
        "global_avg_pool1d" => (Kind::GlobalAvgPool, usize::MAX),
        _ => return None,
    })
}

/// One layer against its operators.
fn check<'g, 'a>(
    index: usize,
    spec: &'static LayerSpec,
    layer: &FileLayer<'g, 'a>,
) -> Result<Matched<'g, 'a>, Error> {
    let op = layer.op;
    let error = |message: String| Error::Op {
        op: op.label(),
        message: format!(
            "is read as layer `{}: {}`, but {message}",
            spec.name, spec.spec
        ),
    };
    let parsed = Parsed::new(spec.spec);
    let Some((kind, activation_at)) = kind(&parsed) else {
        return Err(error(format!(
            "a `{}` layer has no TensorFlow Lite operator this reader reads",
            parsed.kind
        )));
    };
    let activation = match parsed.positional.get(activation_at) {
        None => Activation::Identity,
        Some(name) => Activation::parse(name).ok_or_else(|| {
            error(format!(
                "its activation `{name}` has no TensorFlow Lite form this reader reads \
                 (identity, relu, relu6, sigmoid, tanh, softmax)"
            ))
        })?,
    };
    let expected = match kind {
        Kind::Dense => BuiltinOperator::FullyConnected,
        Kind::Conv { .. } => BuiltinOperator::Conv2d,
        Kind::Depthwise { .. } => BuiltinOperator::DepthwiseConv2d,
        Kind::MaxPool(_) => BuiltinOperator::MaxPool2d,
        Kind::AvgPool(_) | Kind::GlobalAvgPool => BuiltinOperator::AveragePool2d,
    };
    if op.code != expected {
        return Err(error(format!(
            "the layer is {}",
            super::graph::op_name(expected)
        )));
    }
    let matched = Matched {
        index,
        spec,
        kind,
        activation,
        op,
        activation_op: layer.activation,
    };
    check_activation(&matched, &error)?;
    check_geometry(&matched, &error)?;
    // Shapes: what the layer reads and writes.
    let input = op.input(0)?;
    let reads = net_shape(&input.shape).is_some_and(|shape| shape.as_slice() == spec.input)
        || (kind == Kind::Dense
            && input.shape.iter().product::<usize>() == spec.input.iter().product::<usize>()
            && input.shape.first() == Some(&1));
    if !reads {
        return Err(error(format!(
            "it reads {} of shape {:?}, the layer reads {:?}",
            input.label(),
            input.shape,
            spec.input
        )));
    }
    let output = matched.output()?;
    let mut writes = net_shape(&output.shape);
    if kind == Kind::GlobalAvgPool {
        // `[1, 1, 1, C]`: the one window of each channel, the net's `[C]`.
        writes = writes
            .filter(|shape| shape.get(1) == Some(&1))
            .map(|shape| shape[..1].to_vec());
    }
    if writes.as_deref() != Some(spec.output) {
        return Err(error(format!(
            "it writes {} of shape {:?}, the layer writes {:?}",
            output.label(),
            output.shape,
            spec.output
        )));
    }
    Ok(matched)
}

/// The layer's activation against the operator's fused one and its activation operator.
fn check_activation(
    matched: &Matched<'_, '_>,
    error: &dyn Fn(String) -> Error,
) -> Result<(), Error> {
    let fused = matched.fused();
    let separate = matched.activation_op.map(|op| (op.code, op.options));
    let fits = match matched.activation {
        Activation::Identity => fused == Fused::None && separate.is_none(),
        Activation::Relu => fused == Fused::Relu && separate.is_none(),
        Activation::Relu6 => fused == Fused::Relu6 && separate.is_none(),
        Activation::Sigmoid => {
            fused == Fused::None && matches!(separate, Some((BuiltinOperator::Logistic, _)))
        }
        Activation::Tanh => {
            (fused == Fused::None && matches!(separate, Some((BuiltinOperator::Tanh, _))))
                || (fused == Fused::Tanh && separate.is_none())
        }
        Activation::Softmax => {
            fused == Fused::None
                && matches!(
                    separate,
                    Some((BuiltinOperator::Softmax, Options::Softmax { beta })) if (beta - 1.0).abs() < f32::EPSILON
                )
        }
    };
    if fits {
        return Ok(());
    }
    let found = match (fused, matched.activation_op) {
        (Fused::None, None) => "no activation".to_string(),
        (fused, None) => format!("fused activation {fused:?}"),
        (_, Some(op)) => format!("{} after it", op.label()),
    };
    Err(error(format!("it has {found}")))
}

#[allow(clippy::too_many_lines)] // one match over the kinds, each arm a few checks
/// A window's geometry: TensorFlow Lite's `(k, 1)` kernel, strides, dilations and padding
/// against the layer's.
fn check_geometry(matched: &Matched<'_, '_>, error: &dyn Fn(String) -> Error) -> Result<(), Error> {
    let op = matched.op;
    let input_length = |op: &Op<'_>| -> Result<usize, Error> {
        let input = op.input(0)?;
        match input.shape.as_slice() {
            [1, length, 1, _] => Ok(*length),
            shape => Err(error(format!(
                "its input has shape {shape:?}, not a signal [1, L, 1, C]"
            ))),
        }
    };
    match (matched.kind, op.options) {
        (Kind::Dense, Options::FullyConnected { keep_num_dims, .. }) => {
            if keep_num_dims {
                return Err(error("it keeps its input's dimensions".to_string()));
            }
        }
        (
            Kind::Conv {
                kernel,
                stride,
                padding,
            }
            | Kind::Depthwise {
                kernel,
                stride,
                padding,
            },
            Options::Conv {
                same,
                stride: (stride_h, stride_w),
                dilation,
                depth_multiplier,
                ..
            },
        ) => {
            let filter = &op.input(1)?.shape;
            let taps = match (matched.kind, filter.as_slice()) {
                (Kind::Conv { .. }, [_, taps, 1, _])
                | (Kind::Depthwise { .. }, [1, taps, 1, _]) => *taps,
                _ => {
                    return Err(error(format!(
                        "its filter has shape {filter:?}, not a (k, 1) kernel"
                    )));
                }
            };
            if taps != kernel {
                return Err(error(format!("its kernel has {taps} taps")));
            }
            if usize::try_from(stride_h).ok() != Some(stride) || stride_w != 1 {
                return Err(error(format!("its strides are ({stride_h}, {stride_w})")));
            }
            if dilation != (1, 1) {
                return Err(error(format!("it is dilated {dilation:?}")));
            }
            if depth_multiplier != 1 && matches!(matched.kind, Kind::Depthwise { .. }) {
                return Err(error(format!("its depth multiplier is {depth_multiplier}")));
            }
            let length = input_length(op)?;
            let before = if same {
                let out = length.div_ceil(stride.max(1));
                ((out.saturating_sub(1)) * stride + kernel).saturating_sub(length) / 2
            } else {
                0
            };
            if before != padding {
                return Err(error(format!(
                    "it pads {before} before the signal ({})",
                    if same { "SAME" } else { "VALID" }
                )));
            }
        }
        (
            Kind::MaxPool(window) | Kind::AvgPool(window),
            Options::Pool {
                same,
                stride,
                filter,
                fused,
            },
        ) => {
            let n = i32::try_from(window).unwrap_or(i32::MAX);
            if same || stride != (n, 1) || filter != (n, 1) || fused != Fused::None {
                return Err(error(format!(
                    "its window is {filter:?}, its strides {stride:?}, {} padding, fused {fused:?}",
                    if same { "SAME" } else { "VALID" }
                )));
            }
        }
        (
            Kind::GlobalAvgPool,
            Options::Pool {
                same,
                filter,
                fused,
                ..
            },
        ) => {
            let length = i32::try_from(input_length(op)?).unwrap_or(i32::MAX);
            if same || filter != (length, 1) || fused != Fused::None {
                return Err(error(format!(
                    "its window is {filter:?}, not the whole signal ({length}, 1)"
                )));
            }
        }
        (_, options) => return Err(error(format!("its options are {options:?}"))),
    }
    Ok(())
}
