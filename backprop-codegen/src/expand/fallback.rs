//! What is emitted beside the errors of a spec with mistakes: the struct, with a field per layer
//! the spec names and every item a net has, each taking any arguments and returning
//! `backprop_core::__private::Unknown`, which takes whatever a net's values take. Code that uses
//! the net then reports nothing but the spec's mistakes, not a cascade of "cannot find" and "no
//! function named" errors at every use.
//!
//! A layer field is an `UnknownLayer`, which has the fields of every kind, each an `Unknown`.
//! (Not a generic parameter defaulting to it: rustc does not infer from defaults, so every
//! `Net::he_uniform(..)` would then report "type annotations needed".)

use crate::check::{KEYS, count_literal};
use crate::model::{ScalarType, Shape};
use crate::parse::{Call, Header, Recovered, Value};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// The stub for an invocation whose header parsed: its layers as fields, its items as stubs.
pub fn fallback(input: TokenStream) -> TokenStream {
    let Ok(header) = syn::parse2::<Header>(input.clone()) else {
        return TokenStream::new();
    };
    let recovered = syn::parse2::<Recovered>(input).ok();
    let (layers, int8, scalar) = recovered
        .as_ref()
        .map_or((Vec::new(), false, ScalarType::F64), layers_and_settings);
    let (input_shape, output_shape) = recovered.as_ref().map_or((None, None), shapes);
    let Header {
        attrs, vis, name, ..
    } = &header;
    let unknown = quote!(::backprop_core::__private::Unknown);
    let layer = quote!(::backprop_core::__private::UnknownLayer);
    let int8_name = format_ident!("{}Int8", name);
    let quantize = if int8 {
        quote!(pub fn quantize<A>(&self, calibration: A) -> #int8_name { #int8_name {} })
    } else {
        quote!(pub fn quantize<A>(&self, calibration: A) -> #unknown { #unknown })
    };
    let training = training(&unknown, scalar);
    let items = items(&unknown, &quantize, &training);
    let int8_net = int8.then(|| int8_stub(vis, &int8_name, &unknown));
    let network = network_impl(name, &scalar.path(), input_shape, output_shape);
    quote! {
        #(#attrs)*
        #[allow(non_camel_case_types, non_snake_case, dead_code)]
        #vis struct #name {
            #(pub #layers: #layer,)*
        }

        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, missing_docs)]
        impl #name {
            #items
        }

        #network

        #int8_net
    }
}

/// `Network` for the stub, so that an optimizer built for it (`Sgd::new(0.1)` passed to
/// `train_step`) infers its net, and generic code that names its `Input` or `Output` type finds
/// the spec's where the tokens tell it (else an empty array). Its own methods shadow the
/// trait's, which never run.
fn network_impl(
    name: &Ident,
    scalar: &TokenStream,
    input: Option<Shape>,
    output: Option<Shape>,
) -> TokenStream {
    let never = never();
    let shape = |shape: Option<Shape>| shape.unwrap_or(Shape::Flat(0));
    let (input, output) = (shape(input), shape(output));
    let (inputs, outputs) = (input.len(), output.len());
    let (input, output) = (input.rust_type(scalar), output.rust_type(scalar));
    let input_type = quote!(Self::Input);
    let output_type = quote!(Self::Output);
    quote! {
        #[allow(unused_variables, clippy::all, clippy::pedantic)]
        impl ::backprop_core::Network for #name {
            type Scalar = #scalar;
            type Input = #input;
            type Output = #output;
            const INPUTS: ::core::primitive::usize = #inputs;
            const OUTPUTS: ::core::primitive::usize = #outputs;
            const PARAMETERS: ::core::primitive::usize = 0;
            const TENSORS: &'static [::backprop_core::Tensor] = &[];
            const LAYERS: &'static [::backprop_core::LayerSpec] = &[];
            fn zeroed() -> Self { #never }
            fn tensor(&self, index: ::core::primitive::usize) -> &[#scalar] { #never }
            fn tensor_mut(&mut self, index: ::core::primitive::usize) -> &mut [#scalar] { #never }
            fn forward(&self, input: &#input_type) -> #output_type { #never }
            fn loss(&self, input: &#input_type, target: &#output_type) -> #scalar { #never }
            fn gradient(&self, input: &#input_type, target: &#output_type) -> (#scalar, Self) { #never }
            fn gradient_into(&self, input: &#input_type, target: &#output_type, gradient: &mut Self) -> #scalar { #never }
            fn accumulate_gradient(&self, input: &#input_type, target: &#output_type, gradient: &mut Self) -> #scalar { #never }
            fn accumulate_batch(&self, inputs: &[#input_type], targets: &[#output_type], gradient: &mut Self) -> #scalar { #never }
            fn forward_batch(&self, inputs: &[#input_type], outputs: &mut [#output_type]) { #never }
            fn input_gradient(&self, input: &#input_type, target: &#output_type) -> #input_type { #never }
        }
    }
}

/// The body of an item that cannot return anything: it never runs, the crate does not compile.
fn never() -> TokenStream {
    quote!(::core::panic!("the spec of this net has mistakes"))
}

/// The names of the spec's layers (each once, and only those that can be fields), whether it
/// asks for an int8 net, and its scalar (`f64`, as the check has it, when it names none).
fn layers_and_settings(recovered: &Recovered) -> (Vec<Ident>, bool, ScalarType) {
    let mut layers: Vec<Ident> = Vec::new();
    let mut int8 = false;
    let mut scalar = ScalarType::F64;
    for entry in &recovered.spec.entries {
        let key = entry.key.to_string();
        if key == "quantize" {
            int8 = true;
        }
        if let (true, Value::Call(call)) = (key == "scalar", &entry.value) {
            let name = call.path.get_ident().map(ToString::to_string);
            scalar = name
                .as_deref()
                .and_then(ScalarType::named)
                .unwrap_or(scalar);
        }
        let is_layer = matches!(entry.value, Value::Call(_) | Value::Recovered(_));
        let field = is_layer
            && !KEYS.contains(&key.as_str())
            && key != "gen"
            && !layers.contains(&entry.key);
        if field {
            layers.push(entry.key.clone());
        }
    }
    (layers, int8, scalar)
}

/// The input and output shapes as far as the tokens tell them: the input a width or
/// `[channels, length]`; the output the last layer's width when it is a `dense` or a `gru`
/// without `sequence` (their first argument). `None` where a number is missing or malformed.
fn shapes(recovered: &Recovered) -> (Option<Shape>, Option<Shape>) {
    let entries = &recovered.spec.entries;
    let input = entries
        .iter()
        .find(|entry| entry.key == "input")
        .and_then(|entry| match &entry.value {
            Value::Number(_) => Some(Shape::Flat(count(&entry.value)?)),
            Value::List(list) if list.values.len() == 2 => Some(Shape::Signal {
                channels: count(&list.values[0])?,
                length: count(&list.values[1])?,
            }),
            _ => None,
        });
    let last_layer = entries.iter().rev().find(|entry| {
        let key = entry.key.to_string();
        !KEYS.contains(&key.as_str()) && key != "gen"
    });
    let output = last_layer.and_then(|entry| match &entry.value {
        Value::Call(call) => vector_width(call),
        _ => None,
    });
    (input, output)
}

/// The width of the vector a `dense(N, ..)` or `gru(N)` layer writes.
fn vector_width(call: &Call) -> Option<Shape> {
    let kind = call.path.get_ident()?.to_string();
    let arguments = &call.args.as_ref()?.values;
    let sequence = arguments
        .iter()
        .any(|argument| matches!(argument, Value::Call(flag) if flag.path.is_ident("sequence")));
    let writes_vector = kind == "dense" || (kind == "gru" && !sequence);
    writes_vector.then_some(())?;
    Some(Shape::Flat(count(arguments.first()?)?))
}

/// A positive count, as the check reads one.
fn count(value: &Value) -> Option<usize> {
    count_literal(value).filter(|&count| count > 0)
}

/// Every constant and method of a net, taking anything and returning `Unknown` (or the type the
/// real item returns where that type does not depend on the net).
fn items(unknown: &TokenStream, quantize: &TokenStream, training: &TokenStream) -> TokenStream {
    let usize_constants = [
        "INPUTS",
        "OUTPUTS",
        "PARAMETERS",
        "FORWARD_FLOPS",
        "GRADIENT_FLOPS",
        "GRADIENT_STACK_BYTES",
    ]
    .map(|name| format_ident!("{}", name));
    let text_constants = ["DERIVATION", "GRAPH_DOT"].map(|name| format_ident!("{}", name));
    let names = |names: &[&str]| -> Vec<Ident> {
        names.iter().map(|name| format_ident!("{}", name)).collect()
    };
    let two = names(&["loss", "input_gradient", "forward_batch"]);
    let three = names(&["gradient_into", "accumulate_gradient", "accumulate_batch"]);
    let constructors = names(&[
        "he_uniform",
        "he_normal",
        "xavier_uniform",
        "xavier_normal",
        "from_array",
        // On the heap, as `Box<Self>`; a method called on it is then a method of `Self`.
        "boxed_he_uniform",
        "boxed_he_normal",
        "boxed_xavier_uniform",
        "boxed_xavier_normal",
    ]);
    let never = never();
    quote! {
        #(pub const #usize_constants: ::core::primitive::usize = 0;)*
        #(pub const #text_constants: &'static ::core::primitive::str = "";)*
        pub const fn zeroed() -> Self { #never }
        pub fn boxed_zeroed() -> Self { #never }
        #(pub fn #constructors<A>(argument: A) -> Self { #never })*
        #quantize
        pub fn forward<A>(&self, input: A) -> #unknown { #unknown }
        #(pub fn #two<A, B>(&self, first: A, second: B) -> #unknown { #unknown })*
        #(pub fn #three<A, B, C>(&self, first: A, second: B, third: C) -> #unknown { #unknown })*
        pub fn sgd_step<A, B>(&mut self, gradient: A, rate: B) {}
        #training
        pub fn gradient<A, B>(&self, input: A, target: B) -> (#unknown, Self) { #never }
        pub fn batch_gradient<A, B>(&self, inputs: A, targets: B) -> (#unknown, Self) { #never }
        pub fn to_array(&self) -> #unknown { #unknown }
        pub fn check_gradient<A, B>(&self, input: A, target: B) -> ::backprop_core::gradient_check::GradientCheck { #never }
        pub fn to_rust_source<A>(&self, name: A) -> #unknown { #unknown }
    }
}

/// `train_step`, `train_step_into` and `train_batch`: a float net's take an optimizer, whose net they infer; a
/// Q16.16 net's `train_step` takes a learning rate, and it has no `train_batch`, as the real ones.
fn training(unknown: &TokenStream, scalar: ScalarType) -> TokenStream {
    if scalar.is_fixed() {
        return quote! {
            pub fn train_step<A, B, C>(&mut self, input: A, target: B, rate: C) -> #unknown { #unknown }
        };
    }
    let optimizer = quote!(::backprop_core::optim::Optimizer<Self>);
    quote! {
        pub fn train_step<A, B, O: #optimizer>(&mut self, input: A, target: B, optimizer: &mut O) -> #unknown { #unknown }
        pub fn train_step_into<A, B, O: #optimizer, D>(&mut self, input: A, target: B, optimizer: &mut O, gradient: D) -> #unknown { #unknown }
        pub fn train_batch<A, B, O: #optimizer, D>(&mut self, inputs: A, targets: B, optimizer: &mut O, gradient: D) -> #unknown { #unknown }
    }
}

/// `{Name}Int8` for a spec that asks for one.
fn int8_stub(vis: &syn::Visibility, int8: &Ident, unknown: &TokenStream) -> TokenStream {
    quote! {
        #[allow(dead_code, non_camel_case_types)]
        #vis struct #int8 {}

        #[allow(dead_code, unused_variables, clippy::all, clippy::pedantic, missing_docs)]
        impl #int8 {
            pub fn forward<A>(&self, input: A) -> #unknown { #unknown }
            pub fn forward_i8<A>(&self, input: A) -> #unknown { #unknown }
            pub fn quantize_input<A>(&self, input: A) -> #unknown { #unknown }
            pub fn to_rust_source<A>(&self, name: A) -> #unknown { #unknown }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes_of(spec: &str) -> (Option<Shape>, Option<Shape>) {
        let recovered: Recovered = syn::parse_str(spec).expect("the spec parses");
        shapes(&recovered)
    }

    #[test]
    fn the_input_is_a_width_or_a_signal() {
        let spec = "struct N { input: 3, output: dense(2, relu), loss: squared_error }";
        assert_eq!(
            shapes_of(spec),
            (Some(Shape::Flat(3)), Some(Shape::Flat(2)))
        );
        let spec = "struct N { input: [6, 100], c: conv1d(4, 3, relu), output: gru(5) }";
        let signal = Shape::Signal {
            channels: 6,
            length: 100,
        };
        assert_eq!(shapes_of(spec), (Some(signal), Some(Shape::Flat(5))));
    }

    #[test]
    fn an_unknown_width_is_none() {
        for spec in [
            "struct N { input: -3, output: gru(5, sequence) }",
            "struct N { input: 3u8, output: conv1d(4, 3, relu) }",
            "struct N { input: [6], output: dense(0, relu) }",
            "struct N { input: 2.5, output: dense(n, relu), loss: squared_error }",
            "struct N { output: dense }",
        ] {
            assert_eq!(shapes_of(spec), (None, None), "{spec}");
        }
    }
}
