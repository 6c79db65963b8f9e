//! The `network!` procedural macro. Use it through `backprop_core::network`, which re-exports it;
//! the macro's stages live in `backprop-codegen`, where they are tested without a compiler.

use proc_macro::TokenStream;

/// Declares a feed-forward network and generates its forward pass and the closed-form derivative
/// of its loss for every parameter. See the `backprop_core` crate documentation for the spec language.
#[proc_macro]
pub fn network(input: TokenStream) -> TokenStream {
    backprop_codegen::network(input.into()).into()
}
