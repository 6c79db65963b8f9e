//! The struct, its `zeroed` constructor and its `backprop_core::Network` impl: a field per layer,
//! of the runtime type its kind names, and the parameters walked tensor by tensor as the kinds
//! list them.

use super::rust::Rust;
use crate::model::{Network, Shape};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `pub struct Name { pub layer: Dense<T, IN, OUT>, ... }`, with the user's attributes, and a doc
/// comment of ours on anything the user left undocumented.
pub fn definition(rust: &Rust) -> TokenStream {
    let network = rust.program.network;
    let Network {
        attrs, vis, name, ..
    } = network;
    let has_doc = attrs.iter().any(|attr| attr.path().is_ident("doc"));
    let default_doc = (!has_doc).then(|| {
        let doc = format!(
            " A network declared with `network!`: {}, {}.",
            shape_text(network.input, "input"),
            plural(network.outputs(), "output")
        );
        quote!(#[doc = #doc])
    });
    let scalar = rust.scalar();
    let fields = network.layers.iter().map(|layer| {
        let field = &layer.name;
        let doc = format!(
            " Layer `{field}`: `{}`, reading {}. {}",
            layer.kind.describe(),
            shape_text(layer.input, "input"),
            layer.kind.doc()
        );
        let doc = doc.trim_end().to_string();
        let ty = layer.kind.runtime_type(&scalar);
        quote! {
            #[doc = #doc]
            pub #field: #ty
        }
    });
    quote! {
        #(#attrs)*
        #default_doc
        #vis struct #name {
            #(#fields,)*
        }
    }
}

/// `Self { layer: Dense::ZERO, ... }`: built from constants, so even a debug build writes a wide
/// net straight into the caller's slot rather than through temporaries on the stack.
pub fn zeroed(rust: &Rust) -> TokenStream {
    let layers = rust.program.network.layers.iter().map(|layer| {
        let (name, zero) = (&layer.name, crate::layers::zero(layer.kind.as_ref()));
        quote!(#name: #zero)
    });
    quote!(Self { #(#layers),* })
}

/// `impl backprop_core::Network`: the sizes, and the parameters as flat tensors, as each layer's
/// kind lists them.
pub fn network_trait(rust: &Rust) -> TokenStream {
    let network = rust.program.network;
    let name = &network.name;
    let scalar = rust.scalar();
    let mut infos = Vec::new();
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    for (index, layer) in network.layers.iter().enumerate() {
        let layer_name = layer.name.to_string();
        for (tensor, field) in layer.kind.tensors().iter().zip(rust.fields(index)) {
            let dims = tensor
                .torch_dims
                .iter()
                .map(|&d| Literal::usize_unsuffixed(d));
            let (torch, fan_in, fan_out, bias) = (
                tensor.torch,
                Literal::usize_unsuffixed(tensor.fan_in),
                Literal::usize_unsuffixed(tensor.fan_out),
                tensor.bias,
            );
            let field_name = tensor.field;
            let layer_index = Literal::usize_unsuffixed(index);
            infos.push(quote! {
                ::backprop_core::Tensor {
                    layer: #layer_index, layer_name: #layer_name, name: #field_name, torch: #torch,
                    shape: &[#(#dims),*], fan_in: #fan_in, fan_out: #fan_out, bias: #bias,
                }
            });
            let at = Literal::usize_unsuffixed(reads.len());
            let layer = &layer.name;
            reads.push(quote!(#at => ::backprop_core::shape::slice(&self.#layer.#field),));
            writes.push(quote!(#at => ::backprop_core::shape::slice_mut(&mut self.#layer.#field),));
        }
    }
    let specs = network.layers.iter().map(|layer| {
        let (name, spec) = (layer.name.to_string(), layer.kind.describe());
        let dims = |shape: Shape| shape.dims().into_iter().map(Literal::usize_unsuffixed);
        let (input, output) = (dims(layer.input), dims(layer.kind.output()));
        quote! {
            ::backprop_core::LayerSpec {
                name: #name, spec: #spec, input: &[#(#input),*], output: &[#(#output),*],
            }
        }
    });
    let input = network.input.rust_type(&scalar);
    let output = Shape::Flat(network.outputs()).rust_type(&scalar);
    quote! {
        impl ::backprop_core::Network for #name {
            type Scalar = #scalar;
            type Input = #input;
            type Output = #output;
            const INPUTS: ::core::primitive::usize = Self::INPUTS;
            const OUTPUTS: ::core::primitive::usize = Self::OUTPUTS;
            const PARAMETERS: ::core::primitive::usize = Self::PARAMETERS;
            const TENSORS: &'static [::backprop_core::Tensor] = &[#(#infos),*];
            const LAYERS: &'static [::backprop_core::LayerSpec] = &[#(#specs),*];

            fn zeroed() -> Self {
                Self::zeroed()
            }

            fn tensor(&self, index: ::core::primitive::usize) -> &[#scalar] {
                match index {
                    #(#reads)*
                    _ => &[],
                }
            }

            fn tensor_mut(&mut self, index: ::core::primitive::usize) -> &mut [#scalar] {
                match index {
                    #(#writes)*
                    _ => &mut [],
                }
            }

            fn forward(&self, input: &#input) -> #output {
                Self::forward(self, input)
            }

            fn loss(&self, input: &#input, target: &#output) -> #scalar {
                Self::loss(self, input, target)
            }

            fn gradient(&self, input: &#input, target: &#output) -> (#scalar, Self) {
                Self::gradient(self, input, target)
            }

            fn gradient_into(&self, input: &#input, target: &#output, gradient: &mut Self) -> #scalar {
                Self::gradient_into(self, input, target, gradient)
            }

            fn accumulate_gradient(&self, input: &#input, target: &#output, gradient: &mut Self) -> #scalar {
                Self::accumulate_gradient(self, input, target, gradient)
            }

            fn accumulate_batch(&self, inputs: &[#input], targets: &[#output], gradient: &mut Self) -> #scalar {
                Self::accumulate_batch(self, inputs, targets, gradient)
            }

            fn forward_batch(&self, inputs: &[#input], outputs: &mut [#output]) {
                Self::forward_batch(self, inputs, outputs);
            }

            fn input_gradient(&self, input: &#input, target: &#output) -> #input {
                Self::input_gradient(self, input, target)
            }
        }
    }
}

/// `2 inputs`, or `a signal of 6 channels x 100 steps`.
fn shape_text(shape: Shape, noun: &str) -> String {
    match shape {
        Shape::Flat(width) => plural(width, noun),
        Shape::Signal { channels, length } => {
            format!(
                "a signal of {} x {}",
                plural(channels, "channel"),
                plural(length, "step")
            )
        }
    }
}

/// `1 node`, `2 nodes`.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
