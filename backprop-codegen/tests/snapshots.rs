//! Snapshots of prettyplease-formatted expansions, checked in beside the code that makes them,
//! so a change to the generated code shows up as a reviewable diff.

use proc_macro2::TokenStream;
use quote::quote;

/// Expands a spec and formats it as a file, the way `cargo expand` shows it.
fn expand(spec: TokenStream) -> String {
    let tokens = backprop_codegen::network(spec);
    let file = syn::parse2::<syn::File>(tokens).expect("the expansion is valid Rust");
    prettyplease::unparse(&file)
}

/// The notebook's 2-2-1 ReLU net, to be read side by side with the notebook.
pub fn notebook() -> TokenStream {
    quote! {
        /// The 2-2-1 ReLU net from the notebook.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Notebook {
            scalar: f64,
            input: 2,
            hidden: dense(2, relu),
            output: dense(1, relu),
            loss: squared_error,
        }
    }
}

#[test]
fn notebook_expansion() {
    insta::assert_snapshot!("notebook", expand(notebook()));
}

#[test]
fn softmax_classifier_expansion() {
    insta::assert_snapshot!(
        "softmax_classifier",
        expand(quote! {
            pub struct Classifier {
                scalar: f32,
                input: 2,
                hidden: dense(3, tanh),
                output: dense(3, softmax),
                loss: cross_entropy,
            }
        })
    );
}
