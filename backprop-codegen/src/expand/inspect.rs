//! What a user reads off a net without running it (its costs, its graph) and the tools to audit
//! and embed it: a built-in gradient check and, on the host, the net as Rust source.

use super::graph;
use super::rust::Rust;
use crate::model::Shape;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `FORWARD_FLOPS`, `GRADIENT_FLOPS`, `GRADIENT_STACK_BYTES` and `GRAPH_DOT`.
pub fn constants(rust: &Rust) -> TokenStream {
    let (program, network) = (rust.program, rust.program.network);
    let forward = Literal::usize_unsuffixed(program.forward_flops());
    let gradient = Literal::usize_unsuffixed(program.gradient_flops());
    let scalar_bytes = network.scalar.bytes();
    let nodes: usize = network.layers.iter().map(|layer| layer.output.len()).sum();
    let saved: usize = network
        .layers
        .iter()
        .flat_map(|layer| layer.kind.saved())
        .map(|saved| saved.dims.iter().product::<usize>())
        .sum();
    // Saturating: check caps a net at `isize::MAX` bytes of parameters, not this sum.
    let values = network
        .parameters()
        .saturating_add(nodes.saturating_mul(3))
        .saturating_add(saved);
    let stack = Literal::usize_unsuffixed(values.saturating_mul(scalar_bytes));
    let dot = graph::dot(program);
    quote! {
        /// Floating-point operations of `forward`: each `+ - * /` and each activation counts one.
        pub const FORWARD_FLOPS: ::core::primitive::usize = #forward;
        /// Floating-point operations of `gradient`: the forward pass, the loss, the deltas and one
        /// multiply per weight, each `+ - * /` and each activation, derivative or loss term
        /// counting one.
        pub const GRADIENT_FLOPS: ::core::primitive::usize = #gradient;
        /// Bytes of the values a `gradient` call holds at once: the gradient it returns (one
        /// scalar per parameter), `z`, `a` and `delta` of every node, and what each layer keeps
        /// for its backward pass. An optimised build keeps some in registers; a debug build adds
        /// temporaries.
        pub const GRADIENT_STACK_BYTES: ::core::primitive::usize = #stack;
        /// The net as a Graphviz DOT graph: the forward dataflow, and the deltas flowing back in
        /// dashed red. Render it with `dot -Tsvg`.
        pub const GRAPH_DOT: &::core::primitive::str = #dot;
    }
}

/// `check_gradient`, and `to_rust_source` when the runtime has `std`.
pub fn methods(rust: &Rust) -> TokenStream {
    if rust.fixed() {
        // Finite differences need a step far finer than Q16.16's 2^-16.
        return quote!();
    }
    let network = rust.program.network;
    let scalar = rust.scalar();
    let inputs = network.input.rust_type(&scalar);
    let outputs = Shape::Flat(network.outputs()).rust_type(&scalar);
    quote! {
        /// Compares this net's closed-form derivatives with central finite differences, over
        /// every parameter and input, for one sample: the largest relative difference is about
        /// 1e-8 or less for a correct `f64` net. A derivative whose finite-difference step
        /// crosses a kink (a ReLU pre-activation within the step of 0, say) is skipped and
        /// counted. Guards custom activations; see `backprop_core::gradient_check::check`.
        #[must_use]
        pub fn check_gradient(&self, input: &#inputs, target: &#outputs) -> ::backprop_core::gradient_check::GradientCheck {
            ::backprop_core::gradient_check::check(self, input, target)
        }
    }
}

/// `impl Name { fn to_rust_source }` and the constructors on the heap (`boxed_zeroed`, ...),
/// present when the runtime has its `std` feature.
pub fn host_methods(rust: &Rust) -> TokenStream {
    let network = rust.program.network;
    let name = &network.name;
    let type_name = name.to_string();
    let boxed = super::training::boxed();
    let layers = network.layers.iter().map(|layer| {
        let (field, text) = (&layer.name, layer.name.to_string());
        quote!((#text, &self.#field as &dyn ::backprop_core::source::Source))
    });
    quote! {
        ::backprop_core::__if_std! {
            #[allow(dead_code)]
            impl #name {
                /// This net as Rust source: returns the text of an item `pub const CONST_NAME:
                /// crate::path::Type = crate::path::Type { ... };`, every parameter printed so that
                /// it reads back bit for bit and every path written in full, so it compiles
                /// wherever it is pasted in this crate, with nothing imported: paste it into
                /// firmware and the trained net lives in flash. See
                /// `backprop_core::source::to_rust_source`.
                ///
                /// Generated only with `backprop-core`'s `std` feature (on by default).
                #[must_use]
                pub fn to_rust_source(&self, const_name: &::core::primitive::str) -> ::backprop_core::__private::String {
                    ::backprop_core::source::to_rust_source(const_name, ::core::module_path!(), #type_name, &[#(#layers),*])
                }

                #boxed
            }
        }
    }
}
