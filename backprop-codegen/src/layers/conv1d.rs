//! `conv1d(channels, kernel, activation, stride = S, padding = P)`: a 1-d convolution over a
//! signal, torch's `Conv1d` (zero padding, bias), then `a = act(z)`; and
//! `depthwise_conv1d(kernel, activation, ...)`, one filter per channel (torch's `groups =
//! channels`), the same sums with each output channel reading its own input channel only.
//!
//! - forward: `z[o][t] = sum_(i, k) weights[o][i][k] x[i][t S + k - P] + bias[o]`, left to right
//!   over `(i, k)`, padding left out, bias last;
//! - backward: `upstream[i][s] = sum_(o, k) weights[o][i][k] delta[o][t]` over the windows whose
//!   tap `k` reads step `s` (the full convolution with the flipped kernel), `o` outermost;
//! - gradient: `dL/dweights[o][i][k] = sum_t delta[o][t] x[i][t S + k - P]` (the input
//!   cross-correlated with the deltas), `dL/dbias[o] = sum_t delta[o][t]`.
//!
//! Runtime: `backprop_core::Conv1d` and `backprop_core::DepthwiseConv1d` (`forward`, `backward`,
//! `store_gradient`), in the same order.

use super::signal::{WINDOW_OPTIONS, Windows, windows};
use super::{
    Arguments, Backward, Builder, Calls, Count, Grammar, Io, Kind, Names, Positional, Reads,
    Tensor, runtime_path,
};
use crate::check::Errors;
use crate::derive::{Dot, Equation, Expr, times};
use crate::model::{Activation, Index, Shape};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The `conv1d` kind.
pub static BUILDER: Conv1dBuilder = Conv1dBuilder { depthwise: false };

/// The `depthwise_conv1d` kind.
pub static DEPTHWISE: Conv1dBuilder = Conv1dBuilder { depthwise: true };

/// Builds `conv1d` or `depthwise_conv1d` layers.
pub struct Conv1dBuilder {
    /// One filter per channel.
    depthwise: bool,
}

static GRAMMAR: Grammar = Grammar {
    name: "conv1d",
    positional: &[
        Positional::Count("output channels"),
        Positional::Count("kernel size"),
        Positional::Activation,
    ],
    flags: &[],
    options: WINDOW_OPTIONS,
    signature: "conv1d(channels, kernel, activation)",
    example: "conv1d(8, 3, {activation})",
    reads: Reads::Signal,
};

static DEPTHWISE_GRAMMAR: Grammar = Grammar {
    name: "depthwise_conv1d",
    positional: &[Positional::Count("kernel size"), Positional::Activation],
    flags: &[],
    options: WINDOW_OPTIONS,
    signature: "depthwise_conv1d(kernel, activation)",
    example: "depthwise_conv1d(3, {activation})",
    reads: Reads::Signal,
};

impl Builder for Conv1dBuilder {
    fn grammar(&self) -> &'static Grammar {
        if self.depthwise {
            &DEPTHWISE_GRAMMAR
        } else {
            &GRAMMAR
        }
    }

    fn build(&self, arguments: &Arguments, input: Shape, errors: &Errors) -> Option<Box<dyn Kind>> {
        let Shape::Signal { channels, length } = input else {
            return None;
        };
        let (outputs, kernel) = match (self.depthwise, &arguments.counts[..]) {
            (true, &[(kernel, _)]) => (channels, kernel),
            (false, &[(outputs, _), (kernel, _)]) => (outputs, kernel),
            _ => return None,
        };
        let windows = windows(errors, arguments, kernel, length)?;
        Some(Box::new(Conv1d {
            channels,
            outputs,
            depthwise: self.depthwise,
            windows,
            activation: arguments.activation.clone()?,
        }))
    }
}

/// A 1-d convolution of a net.
pub struct Conv1d {
    /// Input channels.
    channels: usize,
    /// Output channels (the input's for a depthwise one).
    outputs: usize,
    /// One filter per channel, each output channel reading its own input channel.
    depthwise: bool,
    /// Its windows along the input.
    windows: Windows,
    /// Its activation.
    activation: Activation,
}

impl Conv1d {
    /// `weights[o][i][k]`, or a depthwise one's `weights[o][k]`.
    fn weight(&self, io: &Io, o: usize, i: usize, k: usize) -> Expr {
        if self.depthwise {
            io.parameter(0, Index::two(o, k))
        } else {
            io.parameter(0, Index::three(o, i, k))
        }
    }

    /// The input channels output channel `o` reads.
    fn inputs_of(&self, o: usize) -> std::ops::Range<usize> {
        if self.depthwise {
            o..o + 1
        } else {
            0..self.channels
        }
    }

    /// The output channels that read input channel `i`.
    fn outputs_of(&self, i: usize) -> std::ops::Range<usize> {
        if self.depthwise {
            i..i + 1
        } else {
            0..self.outputs
        }
    }

    /// The input channels each output channel reads.
    fn fan(&self) -> usize {
        if self.depthwise { 1 } else { self.channels }
    }

    /// `[L, LO]`: the lengths the runtime's methods take.
    fn lengths(&self) -> TokenStream {
        let (length, count) = (
            Literal::usize_unsuffixed(self.windows.length),
            Literal::usize_unsuffixed(self.windows.count),
        );
        quote!(#length, #count)
    }

    /// The present taps of window `t` for one input channel: `(tap, step)`.
    fn taps(&self, t: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.windows.kernel).filter_map(move |k| Some((k, self.windows.step(t, k)?)))
    }
}

impl Conv1d {
    /// `depthwise_` for a depthwise convolution's text.
    fn prefix(&self) -> &'static str {
        if self.depthwise { "depthwise_" } else { "" }
    }
}

/// A sum of products in order, or the derivative `0` of one with no terms.
pub(super) fn in_order_or_zero(products: Vec<Expr>) -> Expr {
    if products.is_empty() {
        Expr::Constant(0.0)
    } else {
        Dot::in_order(products)
    }
}

impl Kind for Conv1d {
    fn describe(&self) -> String {
        let (kernel, activation) = (self.windows.kernel, self.activation.name());
        let options = self.windows.options_text();
        if self.depthwise {
            format!("depthwise_conv1d({kernel}, {activation}{options})")
        } else {
            format!("conv1d({}, {kernel}, {activation}{options})", self.outputs)
        }
    }

    fn output(&self) -> Shape {
        Shape::Signal {
            channels: self.outputs,
            length: self.windows.count,
        }
    }

    fn doc(&self) -> String {
        if self.depthwise {
            "`weights[c][k]` weighs tap `k` of channel `c`.".to_string()
        } else {
            "`weights[o][i][k]` weighs tap `k` of input channel `i` for output channel `o`."
                .to_string()
        }
    }

    fn activation(&self) -> Option<&Activation> {
        Some(&self.activation)
    }

    fn tensors(&self) -> Vec<Tensor> {
        let (outputs, kernel, fan) = (self.outputs, self.windows.kernel, self.fan());
        // torch's fans of a `[out, in / groups, k]` weight.
        let (fan_in, fan_out) = (fan * kernel, outputs * kernel);
        let dims = if self.depthwise {
            vec![outputs, kernel]
        } else {
            vec![outputs, fan, kernel]
        };
        vec![
            Tensor {
                field: "weights",
                torch: "weight",
                dims,
                torch_dims: vec![outputs, fan, kernel],
                fan_in,
                fan_out,
                bias: false,
            },
            Tensor {
                field: "bias",
                torch: "bias",
                dims: vec![outputs],
                torch_dims: vec![outputs],
                fan_in,
                fan_out,
                bias: true,
            },
        ]
    }

    fn runtime_type(&self, scalar: &TokenStream) -> TokenStream {
        let [inputs, outputs, kernel, stride, padding] = [
            self.channels,
            self.outputs,
            self.windows.kernel,
            self.windows.stride,
            self.windows.padding,
        ]
        .map(Literal::usize_unsuffixed);
        let conv = runtime_path(self.runtime_name());
        if self.depthwise {
            quote!(#conv<#scalar, #inputs, #kernel, #stride, #padding>)
        } else {
            quote!(#conv<#scalar, #inputs, #outputs, #kernel, #stride, #padding>)
        }
    }

    fn runtime_name(&self) -> &'static str {
        if self.depthwise {
            "DepthwiseConv1d"
        } else {
            "Conv1d"
        }
    }

    /// `z[o][t] = sum_(i, k) w[o][i][k] x[i][t S + k - P] + b[o]`.
    fn forward_scalars(&self, io: &Io) -> Vec<Equation> {
        let mut equations = Vec::new();
        for o in 0..self.outputs {
            for t in 0..self.windows.count {
                let products = self
                    .inputs_of(o)
                    .flat_map(|i| self.taps(t).map(move |(k, s)| (i, k, s)))
                    .map(|(i, k, s)| times(self.weight(io, o, i, k), io.input(Index::two(i, s))))
                    .collect();
                let bias = io.parameter(1, Index::one(o));
                let value = Expr::Dot(Box::new(Dot {
                    products,
                    bias: Some(bias),
                    lanes: false,
                }));
                equations.push(Equation::new(io.output(Index::two(o, t)), value));
            }
        }
        equations
    }

    /// `upstream[i][s] = sum_(o, k) w[o][i][k] delta[o][t]` over the windows reading `s`.
    fn backward_scalars(&self, io: &Io) -> Backward {
        let mut input = Vec::new();
        for i in 0..self.channels {
            for s in 0..self.windows.length {
                let products = self
                    .outputs_of(i)
                    .flat_map(|o| self.windows.readers(s).map(move |(k, t)| (o, k, t)))
                    .map(|(o, k, t)| times(self.weight(io, o, i, k), io.delta(Index::two(o, t))))
                    .collect();
                input.push(in_order_or_zero(products));
            }
        }
        Backward {
            steps: Vec::new(),
            input,
        }
    }

    /// `dL/dw[o][i][k] = sum_t delta[o][t] x[i][t S + k - P]`, `dL/db[o] = sum_t delta[o][t]`.
    fn gradient_scalars(&self, io: &Io) -> Vec<Vec<Expr>> {
        let mut weights = Vec::new();
        for o in 0..self.outputs {
            for i in self.inputs_of(o) {
                for k in 0..self.windows.kernel {
                    let products = self
                        .windows
                        .reading(k)
                        .filter_map(|t| Some((t, self.windows.step(t, k)?)))
                        .map(|(t, s)| times(io.delta(Index::two(o, t)), io.input(Index::two(i, s))))
                        .collect();
                    weights.push(in_order_or_zero(products));
                }
            }
        }
        let bias = (0..self.outputs)
            .map(|o| {
                let terms = (0..self.windows.count).map(|t| io.delta(Index::two(o, t)));
                Dot::in_order(terms.collect())
            })
            .collect();
        vec![weights, bias]
    }

    fn forward_call(&self, calls: &Calls) -> TokenStream {
        let (field, input, lengths) = (&calls.field, &calls.input, self.lengths());
        quote!(#field.forward::<#lengths>(#input))
    }

    fn backward_call(&self, calls: &Calls) -> TokenStream {
        let (field, delta, lengths) = (&calls.field, &calls.delta, self.lengths());
        quote!(#field.backward::<#lengths>(#delta))
    }

    fn gradient_call(&self, calls: &Calls) -> TokenStream {
        let (gradient, delta, input, lengths) =
            (&calls.gradient, &calls.delta, &calls.input, self.lengths());
        quote!(#gradient.store_gradient::<#lengths, _>(store, #delta, #input);)
    }

    fn forward_text(&self, names: &Names) -> Vec<String> {
        vec![format!(
            "{} = {}conv1d({}, {}.weights{}) + {}.bias",
            names.output,
            self.prefix(),
            names.input,
            names.layer,
            self.windows.options_text(),
            names.layer
        )]
    }

    fn backward_text(&self, names: &Names) -> Vec<String> {
        vec![format!(
            "{} = {}full_convolution({}, flip({}.weights){})",
            names.upstream,
            self.prefix(),
            names.delta,
            names.layer,
            self.windows.options_text()
        )]
    }

    fn gradient_text(&self, names: &Names) -> Vec<String> {
        vec![
            format!(
                "dL/d {}.weights = {}cross_correlation({}, {}{})",
                names.layer,
                self.prefix(),
                names.input,
                names.delta,
                self.windows.options_text()
            ),
            format!("dL/d {}.bias = sum_t {}", names.layer, names.delta),
        ]
    }

    /// A multiply and an add per present tap of each window (the last add the bias).
    fn forward_flops(&self) -> usize {
        (2 * self.windows.inside() * self.fan() * self.outputs).get()
    }

    /// Per input step some window reads, a multiply per reader and the adds between them.
    fn backward_flops(&self) -> usize {
        let readers = self.windows.inside() * self.outputs_of(0).len();
        ((2 * readers - self.windows.covered()) * self.channels).get()
    }

    /// Per weight a multiply per window reading inside and the adds between; per bias the adds.
    fn gradient_flops(&self) -> usize {
        let per_kernel = 2 * self.windows.inside() - self.windows.reading_taps();
        (per_kernel * self.fan() * self.outputs + Count(self.outputs) * (self.windows.count - 1))
            .get()
    }

    fn const_forward(&self) -> bool {
        true
    }

    fn fixed_point(&self) -> bool {
        true
    }

    fn int8(&self) -> Option<&dyn super::Int8> {
        Some(self)
    }

    fn edges(&self) -> Vec<(usize, usize, String)> {
        let mut edges = Vec::new();
        for o in 0..self.outputs {
            for t in 0..self.windows.count {
                for i in self.inputs_of(o) {
                    for (k, s) in self.taps(t) {
                        let label = if self.depthwise {
                            format!("w[{o}][{k}]")
                        } else {
                            format!("w[{o}][{i}][{k}]")
                        };
                        edges.push((
                            o * self.windows.count + t,
                            i * self.windows.length + s,
                            label,
                        ));
                    }
                }
            }
        }
        edges
    }
}

/// The int8 form: `backprop_core::quant::QuantizedConv1d` or `QuantizedDepthwiseConv1d`, one
/// scale per output channel, the padding read as the input's zero point.
impl super::Int8 for Conv1d {
    fn int8_type(&self, activation: &TokenStream) -> TokenStream {
        let [inputs, outputs, kernel, stride, padding] = [
            self.channels,
            self.outputs,
            self.windows.kernel,
            self.windows.stride,
            self.windows.padding,
        ]
        .map(Literal::usize_unsuffixed);
        if self.depthwise {
            quote!(::backprop_core::quant::QuantizedDepthwiseConv1d<
                #inputs, #kernel, #stride, #padding, #activation
            >)
        } else {
            quote!(::backprop_core::quant::QuantizedConv1d<
                #inputs, #outputs, #kernel, #stride, #padding, #activation
            >)
        }
    }

    fn int8_forward(&self, field: &TokenStream, input: &TokenStream) -> TokenStream {
        let lengths = self.lengths();
        quote!(#field.forward::<#lengths>(#input))
    }

    fn int8_quantize(&self, constructor: &TokenStream, arguments: &TokenStream) -> TokenStream {
        let path = if self.depthwise {
            quote!(::backprop_core::quant::QuantizedDepthwiseConv1d)
        } else {
            quote!(::backprop_core::quant::QuantizedConv1d)
        };
        quote!(#path::#constructor(#arguments))
    }
}
