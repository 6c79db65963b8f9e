//! Stage 5: Rust code, rendered from the program. Only `::backprop_core::` and `::core::` paths,
//! so the expansion compiles under `#![no_std]` and `#![no_implicit_prelude]`, next to user items
//! of any name.

mod fallback;
mod graph;
mod inspect;
mod looped;
mod methods;
mod quantized;
mod rust;
mod training;
mod unrolled;
mod wiring;

use crate::derive;
use crate::model::{Form, Network};
use crate::program::{self, Program};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use rust::Rust;

pub use fallback::fallback;
pub use methods::Spans;

/// The struct, its constants and its methods, with the signatures spanned at the macro call.
pub fn expand(network: &Network) -> TokenStream {
    expand_spanned(network, &Spans::default())
}

/// [`expand`], with the signatures spanned at the spec's entries that fixed their types, so that
/// rustc's note for a wrong argument points at `input: 3` or `scalar: f32`.
pub fn expand_spanned(network: &Network, spans: &Spans) -> TokenStream {
    let program = program::lower(network);
    let rust = Rust::new(&program);
    let (bodies, text) = match network.form {
        Form::Unrolled => {
            let derivation = derive::derive(&program);
            (
                unrolled::bodies(&rust, &derivation),
                derive::text::derivation(&program, &derivation),
            )
        }
        Form::Looped => (looped::bodies(&rust), program.text()),
    };
    let definition = wiring::definition(&rust);
    let constants = constants(&program, &text);
    let methods = methods::methods(&rust, bodies, &text, spans);
    let training = training::methods(&rust);
    let costs = inspect::constants(&rust);
    let inspection = inspect::methods(&rust);
    let host_methods = inspect::host_methods(&rust);
    let trait_impl = wiring::network_trait(&rust);
    let zeroed = wiring::zeroed(&rust);
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
    /// net is looped and every layer has block kernels).
    pub accumulate_batch: TokenStream,
    /// `forward_batch`: the outputs of many samples at once.
    pub forward_batch: TokenStream,
    /// `input_gradient`.
    pub input_gradient: TokenStream,
}

/// `accumulate_batch` sample by sample: `accumulate_gradient` for each sample in order. A net
/// small enough to unroll is all in registers, where blocks of samples would only add loads and
/// stores; a net with a kind that has no block kernels runs this way too.
fn sample_by_sample_batch(rust: &Rust) -> TokenStream {
    let zero = rust.float(0.0);
    let add = if rust.fixed() {
        quote!(loss = loss.saturating_add(self.accumulate_gradient(input, target, gradient));)
    } else {
        quote!(loss += self.accumulate_gradient(input, target, gradient);)
    };
    quote! {
        ::core::assert_eq!(inputs.len(), targets.len(), "one target per input");
        let mut loss = #zero;
        for (input, target) in ::core::iter::Iterator::zip(inputs.iter(), targets) {
            #add
        }
        loss
    }
}

/// `forward_batch` sample by sample.
fn sample_by_sample_forward() -> TokenStream {
    quote! {
        ::core::assert_eq!(inputs.len(), outputs.len(), "one output row per input");
        for (input, output) in ::core::iter::Iterator::zip(inputs.iter(), outputs) {
            *output = self.forward(input);
        }
    }
}

/// `INPUTS`, `OUTPUTS`, `PARAMETERS` and `DERIVATION`.
fn constants(program: &Program, text: &str) -> TokenStream {
    let network = program.network;
    let inputs = Literal::usize_unsuffixed(network.input.len());
    let outputs = Literal::usize_unsuffixed(network.outputs());
    let parameters = Literal::usize_unsuffixed(network.parameters());
    quote! {
        /// Number of inputs (every scalar of one sample).
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
