//! `dense(width, activation)`: a fully connected layer, `z_j = sum_i weights[j][i] x_i + bias[j]`,
//! then `a = act(z)`. It reads a vector, or a signal flattened channel-major (torch's `Flatten`).
//!
//! - forward: an affine map in the canonical order (eight interleaved lanes, then the bias);
//! - backward: `upstream_i = sum_j weights[j][i] delta_j`, the transposed product, over `j` in
//!   order;
//! - gradient: `dL/dweights[j][i] = delta_j x_i` (an outer product), `dL/dbias[j] = delta_j`.
//!
//! Runtime: `backprop_core::Dense` (`pre_activation`, `back_propagate`, `store_gradient` and their
//! batch forms) and `backprop_core::quant::QuantizedDense` for int8.

use super::{
    Arguments, Backward, Batch, Builder, Calls, Grammar, Int8, Io, Kind, Names, Positional, Reads,
    Tensor, runtime_path,
};
use crate::check::Errors;
use crate::derive::{Dot, Equation, Expr, times};
use crate::model::{Activation, Index, Shape};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The `dense` kind.
pub static BUILDER: DenseBuilder = DenseBuilder;

/// Builds `dense` layers.
pub struct DenseBuilder;

static GRAMMAR: Grammar = Grammar {
    name: "dense",
    positional: &[Positional::Count("width"), Positional::Activation],
    flags: &[],
    options: &[],
    signature: "dense(width, activation)",
    example: "dense(4, {activation})",
    reads: Reads::Anything,
};

impl Builder for DenseBuilder {
    fn grammar(&self) -> &'static Grammar {
        &GRAMMAR
    }

    fn build(&self, arguments: &Arguments, input: Shape, _: &Errors) -> Option<Box<dyn Kind>> {
        let (&(outputs, _), activation) =
            (arguments.counts.first()?, arguments.activation.clone()?);
        Some(Box::new(Dense {
            input,
            inputs: input.len(),
            outputs,
            activation,
        }))
    }
}

/// A dense layer of a net.
pub struct Dense {
    /// What it reads.
    input: Shape,
    /// Its inputs, counted flat.
    inputs: usize,
    /// Its nodes.
    outputs: usize,
    /// Its activation.
    activation: Activation,
}

impl Dense {
    /// `weights[node][from]`.
    fn weight(io: &Io, node: usize, from: usize) -> Expr {
        io.parameter(0, Index::two(node, from))
    }
}

impl Kind for Dense {
    fn describe(&self) -> String {
        format!("dense({}, {})", self.outputs, self.activation.name())
    }

    fn output(&self) -> Shape {
        Shape::Flat(self.outputs)
    }

    fn activation(&self) -> Option<&Activation> {
        Some(&self.activation)
    }

    fn doc(&self) -> String {
        "`weights[j][i]` multiplies input `i` of node `j`.".to_string()
    }

    fn tensors(&self) -> Vec<Tensor> {
        let (fan_in, fan_out) = (self.inputs, self.outputs);
        vec![
            Tensor {
                field: "weights",
                torch: "weight",
                dims: vec![self.outputs, self.inputs],
                torch_dims: vec![self.outputs, self.inputs],
                fan_in,
                fan_out,
                bias: false,
            },
            Tensor {
                field: "bias",
                torch: "bias",
                dims: vec![self.outputs],
                torch_dims: vec![self.outputs],
                fan_in,
                fan_out,
                bias: true,
            },
        ]
    }

    fn runtime_type(&self, scalar: &TokenStream) -> TokenStream {
        let (inputs, outputs) = (
            Literal::usize_unsuffixed(self.inputs),
            Literal::usize_unsuffixed(self.outputs),
        );
        let dense = runtime_path(self.runtime_name());
        quote!(#dense<#scalar, #inputs, #outputs>)
    }

    fn runtime_name(&self) -> &'static str {
        "Dense"
    }

    /// `z_j = w_j0 x_0 + w_j1 x_1 + ... + b_j` for every node.
    fn forward_scalars(&self, io: &Io) -> Vec<Equation> {
        (0..self.outputs)
            .map(|node| {
                let products = (0..self.inputs)
                    .map(|from| times(Self::weight(io, node, from), io.input_flat(from)))
                    .collect();
                let bias = io.parameter(1, Index::one(node));
                Equation::new(io.output(Index::one(node)), Dot::forward(products, bias))
            })
            .collect()
    }

    /// `upstream_i = sum_j w_ji delta_j`: how the loss flows back into input `i`.
    fn backward_scalars(&self, io: &Io) -> Backward {
        let input = (0..self.inputs)
            .map(|from| {
                let products = (0..self.outputs)
                    .map(|node| times(Self::weight(io, node, from), io.delta(Index::one(node))))
                    .collect();
                Dot::in_order(products)
            })
            .collect();
        Backward {
            steps: Vec::new(),
            input,
        }
    }

    /// `dL/dw_ji = delta_j x_i`, `dL/db_j = delta_j`.
    fn gradient_scalars(&self, io: &Io) -> Vec<Vec<Expr>> {
        let delta = |node| io.delta(Index::one(node));
        let weights = (0..self.outputs)
            .flat_map(|node| (0..self.inputs).map(move |from| (node, from)))
            .map(|(node, from)| times(delta(node), io.input_flat(from)))
            .collect();
        vec![weights, (0..self.outputs).map(delta).collect()]
    }

    fn forward_call(&self, calls: &Calls) -> TokenStream {
        let (field, input) = (&calls.field, &calls.input_flat);
        quote!(#field.pre_activation(#input))
    }

    fn backward_call(&self, calls: &Calls) -> TokenStream {
        let (field, delta) = (&calls.field, &calls.delta);
        let upstream = quote!(#field.back_propagate(#delta));
        match self.input {
            Shape::Flat(_) => upstream,
            Shape::Signal { channels, length } => {
                let (channels, length) = (
                    Literal::usize_unsuffixed(channels),
                    Literal::usize_unsuffixed(length),
                );
                quote!(::backprop_core::shape::unflatten::<_, #channels, #length, _>(#upstream))
            }
        }
    }

    fn gradient_call(&self, calls: &Calls) -> TokenStream {
        let (gradient, delta, input) = (&calls.gradient, &calls.delta, &calls.input_flat);
        quote!(#gradient.store_gradient(store, #delta, #input);)
    }

    fn forward_text(&self, names: &Names) -> Vec<String> {
        vec![format!(
            "{} = {}.weights . {} + {}.bias",
            names.output, names.layer, names.input, names.layer
        )]
    }

    fn backward_text(&self, names: &Names) -> Vec<String> {
        vec![format!(
            "{} = {}.weights^T . {}",
            names.upstream, names.layer, names.delta
        )]
    }

    fn gradient_text(&self, names: &Names) -> Vec<String> {
        vec![
            format!(
                "dL/d {0}.weights = outer({1}, {2})",
                names.layer, names.delta, names.input
            ),
            format!("dL/d {}.bias = {}", names.layer, names.delta),
        ]
    }

    /// `inputs` multiplies and `inputs` adds (the last one the bias) per node.
    fn forward_flops(&self) -> usize {
        self.inputs.saturating_mul(self.outputs).saturating_mul(2)
    }

    /// Per input, `outputs` multiplies and the adds between them.
    fn backward_flops(&self) -> usize {
        self.inputs
            .saturating_mul(self.outputs.saturating_mul(2).saturating_sub(1))
    }

    /// One multiply per weight; a bias's derivative is its delta, for free.
    fn gradient_flops(&self) -> usize {
        self.inputs.saturating_mul(self.outputs)
    }

    fn const_forward(&self) -> bool {
        true
    }

    fn fixed_point(&self) -> bool {
        true
    }

    fn batch(&self) -> Option<&dyn Batch> {
        Some(self)
    }

    fn int8(&self) -> Option<&dyn Int8> {
        Some(self)
    }

    fn edges(&self) -> Vec<(usize, usize, String)> {
        (0..self.outputs)
            .flat_map(|node| (0..self.inputs).map(move |from| (node, from)))
            .map(|(node, from)| (node, from, format!("w[{node}][{from}]")))
            .collect()
    }
}

impl Batch for Dense {
    fn forward_batch_call(&self, calls: &Calls) -> TokenStream {
        let (field, input, outputs) = (&calls.field, &calls.input_flat, &calls.outputs);
        quote!(#field.pre_activation_batch(#input, #outputs);)
    }

    fn backward_batch_call(&self, calls: &Calls) -> TokenStream {
        let (field, delta, outputs) = (&calls.field, &calls.delta, &calls.outputs);
        let outputs = match self.input {
            Shape::Flat(_) => outputs.clone(),
            Shape::Signal { .. } => quote!(::backprop_core::shape::rows_mut(#outputs)),
        };
        quote!(#field.back_propagate_batch(#delta, #outputs);)
    }

    fn gradient_batch_call(&self, calls: &Calls) -> TokenStream {
        let (gradient, delta, input) = (&calls.gradient, &calls.delta, &calls.input_flat);
        quote!(#gradient.add_gradient_batch(#delta, #input);)
    }
}

impl Int8 for Dense {
    fn int8_type(&self, activation: &TokenStream) -> TokenStream {
        let (inputs, outputs) = (
            Literal::usize_unsuffixed(self.inputs),
            Literal::usize_unsuffixed(self.outputs),
        );
        quote!(::backprop_core::quant::QuantizedDense<#inputs, #outputs, #activation>)
    }

    fn int8_forward(&self, field: &TokenStream, input: &TokenStream) -> TokenStream {
        quote!(#field.forward(#input))
    }

    fn int8_quantize(&self, constructor: &TokenStream, arguments: &TokenStream) -> TokenStream {
        quote!(::backprop_core::quant::QuantizedDense::#constructor(#arguments))
    }
}
