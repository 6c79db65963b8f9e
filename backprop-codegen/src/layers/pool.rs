//! Pooling along a signal, channel by channel, with no parameters:
//!
//! - `max_pool1d(N)`: `y[c][t] = max_j x[c][t N + j]` over windows of `N` steps, `N` apart (the
//!   tail that does not fill a window dropped); its slope routes each delta to the window's first
//!   maximum: `upstream[c][t N + j] = first_maximum(window)[j] * delta[c][t]`;
//! - `avg_pool1d(N)`: `y[c][t] = (sum_j x[c][t N + j]) / N`; `upstream[c][t N + j] =
//!   delta[c][t] / N`;
//! - `global_avg_pool1d`: `y[c] = (sum_t x[c][t]) / L`, a vector; `upstream[c][t] = delta[c] / L`.
//!
//! A step in the dropped tail gets a slope of `0`. Runtime: `backprop_core::MaxPool1d`,
//! `AvgPool1d` and `GlobalAvgPool1d` (`forward`, `backward`), and `backprop_core::layers`'s
//! `maximum` and `first_maximum`, which the unrolled form calls.

use super::{
    Arguments, Backward, Builder, Calls, Count, Grammar, Io, Kind, Names, Positional, Reads,
    Tensor, runtime_path,
};
use crate::check::Errors;
use crate::derive::{Dot, Equation, Expr, Function, RuntimeFunction, times};
use crate::model::{Activation, Index, Shape, counted};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// How the windows are pooled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Pooling {
    /// The first maximum of each window.
    Max,
    /// The mean of each window.
    Average,
    /// The mean of the whole signal.
    Global,
}

/// The `max_pool1d` kind.
pub static MAX: PoolBuilder = PoolBuilder(Pooling::Max);
/// The `avg_pool1d` kind.
pub static AVERAGE: PoolBuilder = PoolBuilder(Pooling::Average);
/// The `global_avg_pool1d` kind.
pub static GLOBAL: PoolBuilder = PoolBuilder(Pooling::Global);

/// Builds pooling layers.
pub struct PoolBuilder(Pooling);

static MAX_GRAMMAR: Grammar = Grammar {
    name: "max_pool1d",
    positional: &[Positional::Count("window")],
    flags: &[],
    options: &[],
    signature: "max_pool1d(window)",
    example: "max_pool1d(2)",
    reads: Reads::Signal,
};

static AVERAGE_GRAMMAR: Grammar = Grammar {
    name: "avg_pool1d",
    signature: "avg_pool1d(window)",
    example: "avg_pool1d(2)",
    ..MAX_GRAMMAR
};

static GLOBAL_GRAMMAR: Grammar = Grammar {
    name: "global_avg_pool1d",
    positional: &[],
    signature: "global_avg_pool1d",
    example: "global_avg_pool1d",
    ..MAX_GRAMMAR
};

/// The maximum of a window, `maximum([x_0, x_1, ...])`.
static MAXIMUM: RuntimeFunction = RuntimeFunction {
    name: "maximum",
    module: "layers",
    fixed_module: None,
    array: true,
    returns_array: false,
    flops: 1,
};

/// `1` at the window's first maximum and `0` elsewhere, `first_maximum([x_0, x_1, ...])`.
static FIRST_MAXIMUM: RuntimeFunction = RuntimeFunction {
    name: "first_maximum",
    module: "layers",
    fixed_module: None,
    array: true,
    returns_array: true,
    flops: 1,
};

impl Builder for PoolBuilder {
    fn grammar(&self) -> &'static Grammar {
        match self.0 {
            Pooling::Max => &MAX_GRAMMAR,
            Pooling::Average => &AVERAGE_GRAMMAR,
            Pooling::Global => &GLOBAL_GRAMMAR,
        }
    }

    /// The window fits the signal it pools.
    fn build(&self, arguments: &Arguments, input: Shape, errors: &Errors) -> Option<Box<dyn Kind>> {
        let Shape::Signal { channels, length } = input else {
            return None;
        };
        let window = match (self.0, arguments.counts.first()) {
            (Pooling::Global, _) => length,
            (_, Some(&(window, at))) => {
                if window > length {
                    errors.at(
                        at,
                        format!(
                            "a window of {window} steps is longer than the {} it pools: use a \
                             window of at most {length}, or `global_avg_pool1d` to pool the \
                             whole signal",
                            counted(length as u128, "step")
                        ),
                    );
                    return None;
                }
                window
            }
            (_, None) => return None,
        };
        Some(Box::new(Pool {
            pooling: self.0,
            channels,
            length,
            window,
        }))
    }
}

/// A pooling layer of a net.
pub struct Pool {
    pooling: Pooling,
    channels: usize,
    /// Steps it reads.
    length: usize,
    /// Steps per window (the whole signal for the global average).
    window: usize,
}

impl Pool {
    /// Windows per channel.
    fn windows(&self) -> usize {
        self.length / self.window
    }

    /// The input of window `t` of channel `c`.
    fn window_of(&self, io: &Io, c: usize, t: usize) -> Vec<Expr> {
        (0..self.window)
            .map(|j| io.input(Index::two(c, t * self.window + j)))
            .collect()
    }

    /// Where output `(c, t)` is: `[c][t]`, or `[c]` for the global average.
    fn at(&self, c: usize, t: usize) -> Index {
        match self.pooling {
            Pooling::Global => Index::one(c),
            _ => Index::two(c, t),
        }
    }

    /// `C, L, LO` for the runtime's methods (`C, L` for the global average).
    fn lengths(&self) -> TokenStream {
        let [channels, length, count] =
            [self.channels, self.length, self.windows()].map(Literal::usize_unsuffixed);
        if self.pooling == Pooling::Global {
            quote!(_, #channels, #length)
        } else {
            quote!(_, #channels, #length, #count)
        }
    }
}

impl Kind for Pool {
    fn describe(&self) -> String {
        match self.pooling {
            Pooling::Max => format!("max_pool1d({})", self.window),
            Pooling::Average => format!("avg_pool1d({})", self.window),
            Pooling::Global => "global_avg_pool1d".to_string(),
        }
    }

    fn output(&self) -> Shape {
        match self.pooling {
            Pooling::Global => Shape::Flat(self.channels),
            _ => Shape::Signal {
                channels: self.channels,
                length: self.windows(),
            },
        }
    }

    fn doc(&self) -> String {
        "It has no parameters.".to_string()
    }

    fn activation(&self) -> Option<&Activation> {
        None
    }

    fn tensors(&self) -> Vec<Tensor> {
        Vec::new()
    }

    /// A max pool keeps, per scalar, where each window's first maximum is.
    fn saved(&self) -> Vec<super::Saved> {
        match self.pooling {
            Pooling::Max => vec![super::Saved {
                prefix: "route",
                dims: vec![self.channels, self.length],
            }],
            _ => Vec::new(),
        }
    }

    fn runtime_type(&self, _scalar: &TokenStream) -> TokenStream {
        let path = runtime_path(self.runtime_name());
        let window = Literal::usize_unsuffixed(self.window);
        if self.pooling == Pooling::Global {
            path
        } else {
            quote!(#path<#window>)
        }
    }

    fn runtime_name(&self) -> &'static str {
        match self.pooling {
            Pooling::Max => "MaxPool1d",
            Pooling::Average => "AvgPool1d",
            Pooling::Global => "GlobalAvgPool1d",
        }
    }

    fn forward_scalars(&self, io: &Io) -> Vec<Equation> {
        let mut equations = Vec::new();
        for c in 0..self.channels {
            for t in 0..self.windows() {
                let window = self.window_of(io, c, t);
                let output = io.output(self.at(c, t));
                if self.pooling == Pooling::Max {
                    let routes = (0..self.window)
                        .map(|j| io.saved(0, Index::two(c, t * self.window + j)))
                        .collect();
                    let call = Expr::Call(Function::Runtime(&FIRST_MAXIMUM), window.clone());
                    equations.push(Equation {
                        defines: routes,
                        value: call,
                    });
                    let maximum = Expr::Call(Function::Runtime(&MAXIMUM), window);
                    equations.push(Equation::new(output, maximum));
                } else {
                    let mean = Expr::Mean(Box::new(Dot::in_order(window)), self.window);
                    equations.push(Equation::new(output, mean));
                }
            }
        }
        equations
    }

    fn backward_scalars(&self, io: &Io) -> Backward {
        let mut input = Vec::new();
        for c in 0..self.channels {
            for s in 0..self.length {
                let t = s / self.window;
                input.push(if t >= self.windows() {
                    Expr::Constant(0.0)
                } else if self.pooling == Pooling::Max {
                    let route = Expr::Quantity(io.saved(0, Index::two(c, s)));
                    times(route, io.delta(self.at(c, t)))
                } else {
                    Expr::Mean(Box::new(io.delta(self.at(c, t))), self.window)
                });
            }
        }
        Backward {
            steps: Vec::new(),
            input,
        }
    }

    fn gradient_scalars(&self, _io: &Io) -> Vec<Vec<Expr>> {
        Vec::new()
    }

    fn forward_call(&self, calls: &Calls) -> TokenStream {
        let (field, input, lengths) = (&calls.field, &calls.input, self.lengths());
        quote!(#field.forward::<#lengths>(#input))
    }

    fn backward_call(&self, calls: &Calls) -> TokenStream {
        let (field, delta, input, lengths) =
            (&calls.field, &calls.delta, &calls.input, self.lengths());
        if self.pooling == Pooling::Max {
            quote!(#field.backward::<#lengths>(#delta, #input))
        } else {
            quote!(#field.backward::<#lengths>(#delta))
        }
    }

    fn gradient_call(&self, _calls: &Calls) -> TokenStream {
        TokenStream::new()
    }

    fn forward_text(&self, names: &Names) -> Vec<String> {
        let (output, input) = (&names.output, &names.input);
        vec![match self.pooling {
            Pooling::Max => format!("{output} = max over windows of {}({input})", self.window),
            Pooling::Average => format!("{output} = mean over windows of {}({input})", self.window),
            Pooling::Global => format!("{output} = mean over steps({input})"),
        }]
    }

    fn backward_text(&self, names: &Names) -> Vec<String> {
        let (upstream, delta) = (&names.upstream, &names.delta);
        vec![match self.pooling {
            Pooling::Max => format!(
                "{upstream} = {delta} routed to each window's first maximum of {}",
                names.input
            ),
            Pooling::Average => format!(
                "{upstream} = {delta} / {} spread over each window",
                self.window
            ),
            Pooling::Global => format!(
                "{upstream} = {delta} / {} spread over every step",
                self.window
            ),
        }]
    }

    fn gradient_text(&self, _names: &Names) -> Vec<String> {
        Vec::new()
    }

    /// A maximum per window, or its adds and one division.
    fn forward_flops(&self) -> usize {
        let per_window = match self.pooling {
            Pooling::Max => 1,
            Pooling::Average | Pooling::Global => self.window,
        };
        (Count(self.channels) * self.windows() * per_window).get()
    }

    /// A max pool's routes and a multiply per step; an average's division per step.
    fn backward_flops(&self) -> usize {
        let pooled = Count(self.windows()) * self.window;
        match self.pooling {
            Pooling::Max => (Count(self.channels) * (pooled + self.windows())).get(),
            Pooling::Average | Pooling::Global => (Count(self.channels) * pooled).get(),
        }
    }

    fn gradient_flops(&self) -> usize {
        0
    }

    fn const_forward(&self) -> bool {
        self.pooling != Pooling::Max
    }

    fn fixed_point(&self) -> bool {
        true
    }

    fn int8(&self) -> Option<&dyn super::Int8> {
        Some(self)
    }

    fn edges(&self) -> Vec<(usize, usize, String)> {
        let mut edges = Vec::new();
        for c in 0..self.channels {
            for t in 0..self.windows() {
                for j in 0..self.window {
                    let to = c * self.windows() + t;
                    edges.push((to, c * self.length + t * self.window + j, String::new()));
                }
            }
        }
        edges
    }
}

/// The int8 form: `backprop_core::quant`'s `QuantizedMaxPool1d`, `QuantizedAvgPool1d` or
/// `QuantizedGlobalAvgPool1d`. A pool has no activation and keeps its input's quantisation: its
/// `constructor` is the one for a layer without an activation (`pass_through`).
impl super::Int8 for Pool {
    fn int8_type(&self, _activation: &TokenStream) -> TokenStream {
        let name = quote::format_ident!("Quantized{}", self.runtime_name());
        let path = quote!(::backprop_core::quant::#name);
        let window = Literal::usize_unsuffixed(self.window);
        if self.pooling == Pooling::Global {
            path
        } else {
            quote!(#path<#window>)
        }
    }

    /// `C, L, LO` (`C, L` for the global average): the lengths without the scalar.
    fn int8_forward(&self, field: &TokenStream, input: &TokenStream) -> TokenStream {
        let [channels, length, count] =
            [self.channels, self.length, self.windows()].map(Literal::usize_unsuffixed);
        let lengths = if self.pooling == Pooling::Global {
            quote!(#channels, #length)
        } else {
            quote!(#channels, #length, #count)
        };
        quote!(#field.forward::<#lengths>(#input))
    }

    fn int8_quantize(&self, constructor: &TokenStream, arguments: &TokenStream) -> TokenStream {
        let name = quote::format_ident!("Quantized{}", self.runtime_name());
        quote!(::backprop_core::quant::#name::#constructor(#arguments))
    }
}
