//! `quantize: int8`: the struct `{Name}Int8`, its integer forward pass, and `quantize`, the
//! post-training quantisation of the float net into it (see `backprop_core::quant`).

use super::rust::Rust;
use crate::derive::{Function, Syntax};
use crate::model::Activation;
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

/// `{Name}Int8` and its methods, and `{Name}::quantize`.
pub fn expand(rust: &Rust) -> TokenStream {
    let network = rust.network;
    let (name, vis, scalar) = (&network.name, &network.vis, rust.scalar());
    let int8 = format_ident!("{}Int8", name);
    let quant = quote!(::backprop_core::quant);
    let layers: Vec<_> = network.layers.iter().map(|layer| &layer.name).collect();
    let layer_types = network.layers.iter().map(|layer| {
        let (inputs, outputs) = (
            Literal::usize_unsuffixed(layer.inputs),
            Literal::usize_unsuffixed(layer.outputs),
        );
        let activation = if by_table(&layer.activation) {
            quote!(Table)
        } else {
            quote!(Clamp)
        };
        quote!(#quant::QuantizedDense<#inputs, #outputs, #quant::#activation>)
    });
    let (inputs, outputs) = (
        Literal::usize_unsuffixed(network.inputs),
        Literal::usize_unsuffixed(network.outputs()),
    );
    let softmax = network.output_layer().activation.is_layer_wide();
    let (doc_output, finish) = if softmax {
        (
            "The logits of the softmax layer, as `i8`: the float `forward` dequantises them and \
             takes their softmax.",
            quote!(#quant::softmax(&logits)),
        )
    } else {
        ("How the outputs are stored as `i8`.", quote!(logits))
    };
    let doc = format!(
        "[`{name}`] quantised to int8 by [`{name}::quantize`]: `i8` weights with a scale per row, \
         `i32` sums, integer requantisation; `forward_i8` runs in integer arithmetic only."
    );
    let forward_i8 = forward_i8(&layers);
    let int8_name = int8.to_string();
    let quantize = quantize(rust, &int8);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq)]
        #vis struct #int8 {
            /// How the inputs are stored as `i8`.
            pub input_quantization: #quant::Quantization<#scalar>,
            #(
                #[allow(missing_docs)]
                pub #layers: #layer_types,
            )*
            #[doc = #doc_output]
            pub output_quantization: #quant::Quantization<#scalar>,
        }

        #[allow(clippy::similar_names)]
        impl #int8 {
            /// The number of inputs.
            pub const INPUTS: ::core::primitive::usize = #inputs;
            /// The number of outputs.
            pub const OUTPUTS: ::core::primitive::usize = #outputs;

            /// The `i8` outputs for `i8` inputs stored as `input_quantization` says: integer
            /// arithmetic only (`i8` products summed in `i32`, integer multipliers and shifts).
            #[must_use]
            pub fn forward_i8(
                &self,
                input: &[::core::primitive::i8; #inputs],
            ) -> [::core::primitive::i8; #outputs] {
                #forward_i8
            }

            /// The inputs as `i8`: `round(x / scale) + zero_point`, saturated.
            #[must_use]
            pub fn quantize_input(
                &self,
                input: &[#scalar; #inputs],
            ) -> [::core::primitive::i8; #inputs] {
                input.map(|x| self.input_quantization.quantize(x))
            }

            /// The net's output: the inputs quantised, [`forward_i8`](Self::forward_i8), the
            /// result dequantised.
            #[must_use]
            pub fn forward(&self, input: &[#scalar; #inputs]) -> [#scalar; #outputs] {
                let output = self.forward_i8(&self.quantize_input(input));
                let logits = output.map(|q| self.output_quantization.dequantize(q));
                #finish
            }
        }

        ::backprop_core::__if_std! {
            impl #int8 {
                /// This int8 net as Rust source, `const CONST_NAME: Type = Type { ... };`, which
                /// reads back bit for bit; `QuantizedDense`, `Quantization`, `Clamp`
                /// and `Table` of `backprop_core::quant` must be in scope there.
                #[must_use]
                pub fn to_rust_source(
                    &self,
                    const_name: &::core::primitive::str,
                ) -> ::backprop_core::__private::String {
                    #quant::to_rust_source(self, const_name, #int8_name)
                }
            }
        }

        #quantize
    }
}

/// Whether a layer's activation is a table rather than a clamp.
fn by_table(activation: &Activation) -> bool {
    !matches!(
        activation,
        Activation::Identity | Activation::Relu | Activation::Softmax
    )
}

/// `let a = self.first.forward(input); ...; self.last.forward(&a)`.
fn forward_i8(layers: &[&syn::Ident]) -> TokenStream {
    let mut body = quote!();
    let mut previous = quote!(input);
    for (index, layer) in layers.iter().enumerate() {
        if index + 1 == layers.len() {
            body.extend(quote!(self.#layer.forward(#previous)));
        } else {
            let a = format_ident!("a_{}", layer);
            body.extend(quote!(let #a = self.#layer.forward(#previous);));
            previous = quote!(&#a);
        }
    }
    body
}

/// `{Name}::quantize`: one pass over the calibration inputs recording each layer's pre-activation
/// range, then each layer quantised from its input's storage and its range.
fn quantize(rust: &Rust, int8: &syn::Ident) -> TokenStream {
    let network = rust.network;
    let (name, scalar, quant) = (&network.name, rust.scalar(), quote!(::backprop_core::quant));
    let inputs = Literal::usize_unsuffixed(network.inputs);
    let count = Literal::usize_unsuffixed(network.layers.len());
    let mut calibrate = quote!(let a = x;);
    let mut build = quote!();
    let mut previous = quote!(input_quantization);
    for (index, layer) in network.layers.iter().enumerate() {
        let (field, at) = (&layer.name, Literal::usize_unsuffixed(index));
        let last = index + 1 == network.layers.len();
        calibrate.extend(quote!(let z = self.#field.pre_activation(a); ranges[#at].include(&z);));
        if !last && !layer.activation.is_unchanged() {
            let activate = rust.call(Function::Activate(index), vec![quote!(z)]);
            calibrate.extend(quote!(let a = &z.map(|z| #activate);));
        } else if !last {
            calibrate.extend(quote!(let a = &z;));
        }
        let output = if last {
            quote!(output_quantization)
        } else {
            format_ident!("q_{}", field).into_token_stream()
        };
        let constructor = match &layer.activation {
            Activation::Identity | Activation::Softmax => {
                quote!(#quant::QuantizedDense::identity(&self.#field, #previous, ranges[#at]))
            }
            Activation::Relu => {
                quote!(#quant::QuantizedDense::relu(&self.#field, #previous, ranges[#at]))
            }
            _ => {
                let activate = rust.call(Function::Activate(index), vec![quote!(z)]);
                quote!(#quant::QuantizedDense::table(
                    &self.#field, #previous, ranges[#at], |z: #scalar| #activate
                ))
            }
        };
        build.extend(quote!(let (#field, #output) = #constructor;));
        previous = output;
    }
    // Only the activations called above, so that no import goes unused.
    let called = network.layers.iter().enumerate().filter(|(index, layer)| {
        let last = index + 1 == network.layers.len();
        by_table(&layer.activation) || (!last && !layer.activation.is_unchanged())
    });
    let imports = rust.imports_of(
        called.map(|(index, _)| Function::Activate(index)),
        Vec::new(),
    );
    let layers = network.layers.iter().map(|layer| &layer.name);
    quote! {
        #[allow(clippy::similar_names)]
        impl #name {
            /// Post-training quantisation to int8: each tensor's range over `calibration`
            /// (widened to hold 0) spread over the 256 codes of an `i8`, weights with one scale per
            /// row, activations other than `identity` and `relu` as tables.
            #[must_use]
            pub fn quantize(&self, calibration: &[[#scalar; #inputs]]) -> #int8 {
                #imports
                let mut input = #quant::Range::EMPTY;
                let mut ranges = [#quant::Range::EMPTY; #count];
                for x in calibration {
                    input.include(x);
                    #calibrate
                }
                let input_quantization = #quant::Quantization::from_range(input);
                #build
                #int8 { input_quantization, #(#layers,)* output_quantization }
            }
        }
    }
}
