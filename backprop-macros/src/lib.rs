//! The `network!` procedural macro. Use it through `backprop_core::network`, which re-exports it;
//! the macro's stages live in `backprop-codegen`, where they are tested without a compiler.

use proc_macro::TokenStream;

/// Declares a feed-forward network and generates its forward pass and the closed-form derivative
/// of its loss for every parameter.
///
/// ```text
/// network! {
///     /// Docs and attributes pass through.
///     pub struct Name {
///         scalar: f64,              // or f32; optional
///         input: 2,                 // number of inputs
///         hidden: dense(4, tanh),   // layers in order: name: dense(width, activation)
///         output: dense(1, sigmoid),
///         loss: binary_cross_entropy,
///     }
/// }
/// ```
///
/// The `backprop_core` crate documentation describes every activation, loss and generated item.
#[proc_macro]
pub fn network(input: TokenStream) -> TokenStream {
    backprop_codegen::network(input.into()).into()
}
