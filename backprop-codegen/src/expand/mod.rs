//! Stage 5: Rust code. Only `::backprop_core::` and `::core::` paths, so the expansion compiles
//! under `#![no_std]` and `#![no_implicit_prelude]`, next to user items of any name.

mod fixed;
mod graph;
mod inspect;
mod looped;
mod methods;
mod quantized;
mod rust;
mod training;
mod unrolled;

use crate::derive;
use crate::model::{Form, Network, ScalarType};
use crate::parse::Spec;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use rust::Rust;

pub use methods::Spans;

/// The struct, its constants and its methods, with the signatures spanned at the macro call.
pub fn expand(network: &Network) -> TokenStream {
    expand_spanned(network, &Spans::default())
}

/// [`expand`], with the signatures spanned at the spec's entries that fixed their types, so that
/// rustc's note for a wrong argument points at `input: 3` or `scalar: f32`.
pub fn expand_spanned(network: &Network, spans: &Spans) -> TokenStream {
    if network.scalar == ScalarType::I16F16 {
        return fixed::expand(network);
    }
    let rust = Rust {
        network,
        inline_activations: false,
    };
    let definition = definition(network, &rust);
    let (bodies, text) = match network.form {
        Form::Unrolled => {
            let derivation = derive::derive(network);
            (
                unrolled::bodies(&rust, &derivation),
                derive::text::derivation(network, &derivation),
            )
        }
        Form::Looped => (looped::bodies(&rust), derive::layers::text(network)),
    };
    let constants = constants(network, &text);
    let methods = methods::methods(&rust, bodies, &text, spans);
    let training = training::methods(&rust);
    let costs = inspect::constants(&rust);
    let inspection = inspect::methods(&rust);
    let host_methods = inspect::host_methods(&rust);
    let trait_impl = network_trait(network, &rust);
    let zeroed = zeroed(network);
    let int8 = if network.int8 {
        quantized::expand(&rust)
    } else {
        quote!()
    };
    let name = &network.name;
    quote! {
        #definition

        // Unused methods of a private net are not the user's dead code; names like `z_hidden_0`
        // and `a_hidden_0` are meant to be similar; a mean of two outputs is `(a + b) / 2.0`,
        // which `f64::midpoint` would compute with other rounding than the looped form; and
        // `to_array` returns the parameters as an array by design, however wide the net; and the
        // private `store_gradient` takes its arrays by reference as the public methods do.
        #[allow(
            dead_code,
            clippy::similar_names,
            clippy::too_many_lines,
            clippy::unreadable_literal,
            clippy::manual_midpoint,
            clippy::large_stack_arrays,
            clippy::trivially_copy_pass_by_ref
        )]
        impl #name {
            #constants
            #costs

            /// A network whose every parameter is zero; a `const fn`, so it can start a `const`.
            #[must_use]
            pub const fn zeroed() -> Self {
                #zeroed
            }

            #methods

            #training

            #inspection
        }

        #host_methods

        #trait_impl

        #int8
    }
}

/// `Self { layer: Dense::ZERO, ... }`.
fn zeroed(network: &Network) -> TokenStream {
    let layers = network.layers.iter().map(|layer| &layer.name);
    // Built from constants, so even a debug build writes a wide net straight into the caller's
    // slot rather than through temporaries on the stack.
    quote!(Self { #(#layers: ::backprop_core::Dense::ZERO),* })
}

/// The bodies the two forms write differently: `forward`, `loss`, `store_gradient` (behind
/// `gradient_into` and `accumulate_gradient`), `descend`, `accumulate_batch`, `forward_batch` and
/// `input_gradient`.
pub struct Bodies {
    /// `forward`.
    pub forward: TokenStream,
    /// `loss`.
    pub loss: TokenStream,
    /// `store_gradient`, the one body behind `gradient_into` and `accumulate_gradient`: stores
    /// every derivative into `gradient` through a `backprop_core::store::Store` (written or
    /// added), returns the loss.
    pub store_gradient: TokenStream,
    /// `descend`: the same derivation, each derivative descended along in place in `self`
    /// (`train_step` with plain SGD), returns the loss.
    pub descend: TokenStream,
    /// `accumulate_batch`: a whole mini-batch added at once (through blocks of samples when the
    /// net is looped).
    pub accumulate_batch: TokenStream,
    /// `forward_batch`: the outputs of many samples at once.
    pub forward_batch: TokenStream,
    /// `input_gradient`.
    pub input_gradient: TokenStream,
}

/// `impl backprop_core::Network`: the sizes, and the parameters as flat tensors, two per layer.
fn network_trait(network: &Network, rust: &Rust) -> TokenStream {
    let name = &network.name;
    let scalar = rust.scalar();
    let tensors = Literal::usize_unsuffixed(2 * network.layers.len());
    let indices = (0..network.layers.len()).map(|layer| {
        (
            Literal::usize_unsuffixed(2 * layer),
            Literal::usize_unsuffixed(2 * layer + 1),
        )
    });
    let (weights, bias): (Vec<_>, Vec<_>) = indices.unzip();
    let layers: Vec<_> = network.layers.iter().map(|layer| &layer.name).collect();
    let layer_inputs = network
        .layers
        .iter()
        .map(|layer| Literal::usize_unsuffixed(layer.inputs));
    let layer_outputs = network
        .layers
        .iter()
        .map(|layer| Literal::usize_unsuffixed(layer.outputs));
    let input = quote!([#scalar; #name::INPUTS]);
    let output = quote!([#scalar; #name::OUTPUTS]);
    quote! {
        impl ::backprop_core::Network for #name {
            type Scalar = #scalar;
            type Input = #input;
            type Output = #output;
            const INPUTS: ::core::primitive::usize = Self::INPUTS;
            const OUTPUTS: ::core::primitive::usize = Self::OUTPUTS;
            const PARAMETERS: ::core::primitive::usize = Self::PARAMETERS;
            const TENSORS: ::core::primitive::usize = #tensors;
            const LAYERS: &'static [::backprop_core::LayerShape] = &[
                #(::backprop_core::LayerShape { inputs: #layer_inputs, outputs: #layer_outputs }),*
            ];

            fn zeroed() -> Self {
                Self::zeroed()
            }

            fn tensor(&self, index: ::core::primitive::usize) -> &[#scalar] {
                match index {
                    #(#weights => self.#layers.weights.as_flattened(),)*
                    #(#bias => &self.#layers.bias,)*
                    _ => &[],
                }
            }

            fn tensor_mut(&mut self, index: ::core::primitive::usize) -> &mut [#scalar] {
                match index {
                    #(#weights => self.#layers.weights.as_flattened_mut(),)*
                    #(#bias => &mut self.#layers.bias,)*
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

/// `pub struct Name { pub layer: Dense<T, IN, OUT>, ... }`, with the user's attributes, and a doc
/// comment of ours on anything the user left undocumented.
fn definition(network: &Network, rust: &Rust) -> TokenStream {
    let Network {
        attrs, vis, name, ..
    } = network;
    let has_doc = attrs.iter().any(|attr| attr.path().is_ident("doc"));
    let default_doc = (!has_doc).then(|| {
        let doc = format!(
            " A feed-forward network declared with `network!`: {}, {}.",
            plural(network.inputs, "input"),
            plural(network.outputs(), "output")
        );
        quote!(#[doc = #doc])
    });
    let scalar = rust.scalar();
    let fields = network.layers.iter().map(|layer| {
        let (field, inputs, outputs) = (
            &layer.name,
            Literal::usize_unsuffixed(layer.inputs),
            Literal::usize_unsuffixed(layer.outputs),
        );
        let doc = format!(
            " Layer `{field}`: {}, {}, `{}`. `weights[j][i]` multiplies input `i` of node `j`.",
            plural(layer.inputs, "input"),
            plural(layer.outputs, "node"),
            layer.activation.name()
        );
        quote! {
            #[doc = #doc]
            pub #field: ::backprop_core::Dense<#scalar, #inputs, #outputs>
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

/// `INPUTS`, `OUTPUTS`, `PARAMETERS` and `DERIVATION`.
fn constants(network: &Network, text: &str) -> TokenStream {
    let inputs = Literal::usize_unsuffixed(network.inputs);
    let outputs = Literal::usize_unsuffixed(network.outputs());
    let parameters = Literal::usize_unsuffixed(network.parameters());
    quote! {
        /// Number of inputs.
        pub const INPUTS: ::core::primitive::usize = #inputs;
        /// Number of outputs.
        pub const OUTPUTS: ::core::primitive::usize = #outputs;
        /// Number of parameters: every weight and bias.
        pub const PARAMETERS: ::core::primitive::usize = #parameters;
        /// The derivation of every derivative `gradient` computes, one line per quantity, in the
        /// order of the code.
        pub const DERIVATION: &::core::primitive::str = #text;
    }
}

/// `1 node`, `2 nodes`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// What is emitted next to the errors when the spec is invalid: the struct, with no fields, so
/// the user sees the spec's mistakes and not a "cannot find type" at every use of the name.
pub fn fallback(spec: &Spec) -> TokenStream {
    let Spec {
        attrs, vis, name, ..
    } = spec;
    quote! {
        #(#attrs)*
        #vis struct #name {}
    }
}
