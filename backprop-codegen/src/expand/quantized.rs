//! `quantize: int8`: the struct `{Name}Int8`, its integer forward pass, and `quantize`, the
//! post-training quantisation of the float net into it (see `backprop_core::quant`). Both are
//! rendered from the program's forward ops: each layer's int8 form from its kind, each activation's
//! from its catalogue row ([`crate::builtins::Int8Form`]).

use super::rust::Rust;
use crate::builtins::Int8Form;
use crate::derive::{Function, Syntax};
use crate::layers::Calls;
use crate::model::{Layer, Shape};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

/// How a layer is quantised.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Quantized {
    /// Its sums requantised to a range of its own, calibrated on its pre-activations, then its
    /// activation's int8 form.
    Requantized(Int8Form),
    /// A layer without an activation (a pool): its output stored as its input is, nothing
    /// calibrated; its int8 type's constructor is `pass_through`.
    PassThrough,
}

/// How a layer runs in int8: its activation's form from the catalogue (a user's activation is a
/// table), or its input's quantisation passed through when it has no activation.
fn form(layer: &Layer) -> Quantized {
    match layer.activation() {
        None => Quantized::PassThrough,
        Some(activation) => {
            Quantized::Requantized(activation.row().map_or(Int8Form::Table, |row| row.int8))
        }
    }
}

/// The runtime type of an int8 activation: `Clamp` or `Table` (nothing for a layer without one).
fn activation_type(form: Quantized) -> TokenStream {
    match form {
        Quantized::Requantized(Int8Form::Clamp | Int8Form::ClampAtZero | Int8Form::Logits) => {
            quote!(::backprop_core::quant::Clamp)
        }
        Quantized::Requantized(Int8Form::Table) => quote!(::backprop_core::quant::Table),
        Quantized::PassThrough => TokenStream::new(),
    }
}

/// Each layer's int8 type, from its kind and its activation's form.
fn layer_types(network: &crate::model::Network) -> Vec<TokenStream> {
    network
        .layers
        .iter()
        .map(|layer| {
            let activation = activation_type(form(layer));
            layer
                .kind
                .int8()
                .map(|int8| int8.int8_type(&activation))
                .unwrap_or_default()
        })
        .collect()
}

/// `{Name}Int8` and its methods, and `{Name}::quantize`.
pub fn expand(rust: &Rust) -> TokenStream {
    let network = rust.program.network;
    let (name, vis, scalar) = (&network.name, &network.vis, rust.scalar());
    let int8 = format_ident!("{}Int8", name);
    let quant = quote!(::backprop_core::quant);
    let layers: Vec<&Ident> = network.layers.iter().map(|layer| &layer.name).collect();
    let layer_types = layer_types(network);
    let parts = parts(&int8, name, &scalar, &layers, &layer_types);
    let input_type = network.input.rust_type(&scalar);
    let codes = network.input.rust_type(&quote!(::core::primitive::i8));
    let outputs = Literal::usize_unsuffixed(network.outputs());
    let logits = form(network.output_layer()) == Quantized::Requantized(Int8Form::Logits);
    let (doc_output, finish) = if logits {
        let function = rust.function_name(Function::ActivateLayer);
        (
            "The logits of the output layer, as `i8`: the float `forward` dequantises them and \
             applies the output activation.",
            quote!(::backprop_core::activation::#function(logits)),
        )
    } else {
        ("How the outputs are stored as `i8`.", quote!(logits))
    };
    let doc = format!(
        "[`{name}`] quantised to int8 by [`{name}::quantize`]: `i8` weights with a scale per \
         output channel, `i32` sums, integer requantisation; [`forward_i8`]({int8}::forward_i8) \
         runs in integer arithmetic only."
    );
    let forward_i8 = forward_i8(rust);
    let int8_name = int8.to_string();
    let quantize_input = match network.input {
        Shape::Flat(_) => quote!(input.map(|x| self.input_quantization.quantize(x))),
        Shape::Signal { .. } => {
            quote!(input.map(|row| row.map(|x| self.input_quantization.quantize(x))))
        }
    };
    let quantize = quantize(rust, &int8);
    let sources = layers.iter().map(|layer| {
        let text = layer.to_string();
        quote!((#text, &self.#layer as &dyn ::backprop_core::source::Source))
    });
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
            pub const INPUTS: ::core::primitive::usize = #name::INPUTS;
            /// The number of outputs.
            pub const OUTPUTS: ::core::primitive::usize = #outputs;

            /// The `i8` outputs for `i8` inputs stored as `input_quantization` says: integer
            /// arithmetic only (`i8` products summed in `i32`, integer multipliers and shifts).
            #[must_use]
            pub fn forward_i8(
                &self,
                input: &#codes,
            ) -> [::core::primitive::i8; #outputs] {
                #forward_i8
            }

            /// The inputs as `i8`: `round(x / scale) + zero_point`, saturated.
            #[must_use]
            pub fn quantize_input(&self, input: &#input_type) -> #codes {
                #quantize_input
            }

            /// The net's output: the inputs quantised, [`forward_i8`](Self::forward_i8), the
            /// result dequantised.
            #[must_use]
            pub fn forward(&self, input: &#input_type) -> [#scalar; #outputs] {
                let output = self.forward_i8(&self.quantize_input(input));
                let logits = output.map(|q| self.output_quantization.dequantize(q));
                #finish
            }
        }

        ::backprop_core::__if_std! {
            impl #int8 {
                /// This int8 net as Rust source, `pub const CONST_NAME: Type = Type { ... };`,
                /// which reads back bit for bit, every path written in full.
                ///
                /// Generated only with `backprop-core`'s `std` feature (on by default).
                #[must_use]
                pub fn to_rust_source(
                    &self,
                    const_name: &::core::primitive::str,
                ) -> ::backprop_core::__private::String {
                    ::backprop_core::source::to_rust_source_int8(
                        const_name,
                        ::core::module_path!(),
                        #int8_name,
                        &self.input_quantization,
                        &[#(#sources),*],
                        &self.output_quantization,
                    )
                }
            }
        }

        #quantize

        #parts
    }
}

/// `impl Int8Network for {Name}Int8`: its layers as parts a file's codes and scales fill
/// (`backprop_core::tflite`), and, behind the runtime's `tflite` feature, `tflite::Load`.
fn parts(
    int8: &Ident,
    name: &Ident,
    scalar: &TokenStream,
    layers: &[&Ident],
    layer_types: &[TokenStream],
) -> TokenStream {
    let quant = quote!(::backprop_core::quant);
    let indices = (0..layers.len()).map(Literal::usize_unsuffixed);
    quote! {
        impl #quant::Int8Network for #int8 {
            type Float = #name;

            fn zeroed() -> Self {
                Self {
                    input_quantization: #quant::zero_quantization(),
                    #(#layers: <#layer_types as #quant::Int8Layer>::zeroed(),)*
                    output_quantization: #quant::zero_quantization(),
                }
            }

            fn quantizations_mut(
                &mut self,
            ) -> (&mut #quant::Quantization<#scalar>, &mut #quant::Quantization<#scalar>) {
                (&mut self.input_quantization, &mut self.output_quantization)
            }

            fn layer_mut(
                &mut self,
                index: ::core::primitive::usize,
            ) -> ::core::option::Option<&mut dyn #quant::Int8Layer> {
                match index {
                    #(#indices => ::core::option::Option::Some(&mut self.#layers),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        ::backprop_core::__if_tflite! {
            impl ::backprop_core::tflite::Load for #int8 {
                fn from_tflite(
                    bytes: &[::core::primitive::u8],
                ) -> ::core::result::Result<Self, ::backprop_core::tflite::Error> {
                    ::backprop_core::tflite::load_int8(bytes)
                }
            }
        }
    }
}

/// `let a = self.first.forward(input); ...; self.last.forward(&a)`.
fn forward_i8(rust: &Rust) -> TokenStream {
    let network = rust.program.network;
    let mut body = quote!();
    let mut previous = quote!(input);
    for (index, layer) in network.layers.iter().enumerate() {
        let (field, name) = (&layer.name, &layer.name);
        let call = layer
            .kind
            .int8()
            .map(|int8| int8.int8_forward(&quote!(self.#field), &previous))
            .unwrap_or_default();
        if index + 1 == network.layers.len() {
            body.extend(call);
        } else {
            let a = format_ident!("a_{}", name);
            body.extend(quote!(let #a = #call;));
            previous = quote!(&#a);
        }
    }
    body
}

/// One layer's statements in the calibration pass: its float forward of `a`, the range of its
/// pre-activations recorded at `ranges[at]` if it is requantised, and, when the pass goes on
/// (`next`), `a` for the next layer.
fn calibrate_layer(
    rust: &Rust,
    index: usize,
    at: &Literal,
    next: bool,
    called: &mut Vec<Function>,
) -> TokenStream {
    let (layer, scalar) = (&rust.program.network.layers[index], rust.scalar());
    let field = &layer.name;
    let calls = Calls::reading(quote!(self.#field), quote!(a), layer.input, scalar.clone());
    let forward = layer.kind.forward_call(&calls);
    let mut statements = quote!(let z = #forward;);
    if form(layer) != Quantized::PassThrough {
        statements
            .extend(quote!(ranges[#at].include(::backprop_core::shape::slice::<#scalar, _>(&z));));
    }
    if next && layer.is_unchanged() {
        statements.extend(quote!(let a = &z;));
    } else if next {
        let activations = rust.activations(index, &format_ident!("z"));
        called.push(Function::Activate(index));
        statements.extend(quote!(let a = &#activations;));
    }
    statements
}

/// `{Name}::quantize`: one pass over the calibration inputs (the program's forward ops, in float,
/// up to the last layer with a range of its own) recording each requantised layer's
/// pre-activation range, then each layer quantised from its input's storage and its range, by its
/// activation's int8 form; a layer without an activation passes its input's storage through.
fn quantize(rust: &Rust, int8: &Ident) -> TokenStream {
    let program = rust.program;
    let network = program.network;
    let (name, scalar, quant) = (&network.name, rust.scalar(), quote!(::backprop_core::quant));
    let input_type = network.input.rust_type(&scalar);
    let calibrated = |layer: &Layer| form(layer) != Quantized::PassThrough;
    // The calibration pass stops at the last layer it records a range of.
    let through = network.layers.iter().rposition(calibrated);
    let mut calibrate = if through.is_some() {
        quote!(let a = x;)
    } else {
        quote!()
    };
    let mut count = 0;
    let mut build = quote!();
    let mut previous = quote!(input_quantization);
    let mut called = Vec::new();
    for (index, layer) in network.layers.iter().enumerate() {
        let field = &layer.name;
        let at = Literal::usize_unsuffixed(count);
        if let Some(through) = through.filter(|&through| index <= through) {
            let next = index < through;
            calibrate.extend(calibrate_layer(rust, index, &at, next, &mut called));
        }
        let output = if index + 1 == network.layers.len() {
            quote!(output_quantization)
        } else {
            format_ident!("q_{}", field).into_token_stream()
        };
        let (constructor, arguments) = match form(layer) {
            Quantized::PassThrough => (quote!(pass_through), quote!(&self.#field, #previous)),
            Quantized::Requantized(form) => {
                count += 1;
                let mut arguments = quote!(&self.#field, #previous, ranges[#at]);
                if form == Int8Form::Table {
                    let activate = rust.call(Function::Activate(index), vec![quote!(z)]);
                    called.push(Function::Activate(index));
                    arguments.extend(quote!(, |z: #scalar| #activate));
                }
                (
                    format_ident!("{}", form.constructor()).into_token_stream(),
                    arguments,
                )
            }
        };
        let constructor = layer
            .kind
            .int8()
            .map(|int8| int8.int8_quantize(&constructor, &arguments))
            .unwrap_or_default();
        build.extend(quote!(let (#field, #output) = #constructor;));
        previous = output;
    }
    let ranges = (count > 0).then(|| {
        let count = Literal::usize_unsuffixed(count);
        quote!(let mut ranges = [#quant::Range::EMPTY; #count];)
    });
    // Only the activations called above, so that no import goes unused.
    let imports = rust.imports_of(called, Vec::new());
    let layers = network.layers.iter().map(|layer| &layer.name);
    let mut doc = " Post-training quantisation to int8: each tensor's range over `calibration` \
                   (widened to hold 0) spread over the 256 codes of an `i8`, weights with one \
                   scale per output channel, activations other than `identity` and `relu` as \
                   tables."
        .to_string();
    if network.layers.iter().any(|layer| !calibrated(layer)) {
        doc.push_str(" A pool's output is stored as its input is.");
    }
    quote! {
        #[allow(clippy::similar_names)]
        impl #name {
            #[doc = #doc]
            #[must_use]
            pub fn quantize(&self, calibration: &[#input_type]) -> #int8 {
                #imports
                let mut input = #quant::Range::EMPTY;
                #ranges
                for x in calibration {
                    input.include(::backprop_core::shape::slice::<#scalar, _>(x));
                    #calibrate
                }
                let input_quantization = #quant::Quantization::from_range(input);
                #build
                #int8 { input_quantization, #(#layers,)* output_quantization }
            }
        }
    }
}
