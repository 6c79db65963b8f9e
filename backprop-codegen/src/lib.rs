//! The stages of the `network!` macro, as a plain library so that they are unit-tested,
//! snapshotted and fuzzed without a compiler.
//!
//! ```text
//! network! {
//!     $( #[$attr] )*                       // doc comments and attributes, passed through
//!     $vis struct $Name {
//!         $( scalar: f32 | f64 | I16F16, )?    // optional, f64 when left out
//!         $( form: unrolled | looped, )?       // optional, chosen by size when left out
//!         $( quantize: int8, )?                // optional: also an int8 net
//!         input: $count | [$channels, $length],  // a vector, or a signal (channels first)
//!         $( $layer: $kind, )+                 // in order; the last is the output
//!         loss: $loss,
//!     }
//! }
//!
//! $kind       = dense($width, $activation)
//!             | conv1d($channels, $kernel, $activation $(, $window)*)
//!             | depthwise_conv1d($kernel, $activation $(, $window)*)
//!             | max_pool1d($window) | avg_pool1d($window) | global_avg_pool1d
//!             | gru($hidden) | gru($hidden, sequence)
//! $window     = stride = $count | padding = $count
//! $activation = identity | relu | relu6 | leaky_relu | leaky_relu($alpha) | elu | elu($alpha)
//!             | sigmoid | tanh | hard_sigmoid | hard_tanh | softplus | silu | gelu | softmax
//!             | $path::To::UserType
//! $loss       = squared_error | mean_squared_error | mean_absolute_error | huber | huber($delta)
//!             | binary_cross_entropy | cross_entropy
//! ```
//!
//! The kinds are [`layers::BUILDERS`], the activations and losses the rows of [`builtins`].
//! Entries may come in any order and are separated by commas. The pipeline is
//! [`parse`] (the spec as written, every token keeping its span) -> [`check`] (every rule, every
//! mistake collected) -> [`model`] (the validated network) -> [`program`] (the layer-level
//! program every form renders; [`derive`](mod@derive) expands it per scalar) -> [`expand`] (Rust
//! code). The error is rendered once, at the edge, in
//! [`network`].

pub mod builtins;
pub mod check;
pub mod derive;
pub mod expand;
pub mod layers;
pub mod model;
pub mod parse;
pub mod program;

use proc_macro2::TokenStream;

/// Expands one `network!` invocation: `parse -> check -> expand`.
///
/// On a mistake the output is the compile errors plus a stub of the net (when the spec gets as
/// far as a name) with a field per layer and every item a net has ([`expand::fallback`]), so the
/// user sees the mistakes in the spec, not a cascade of errors at every use of the net.
pub fn network(input: TokenStream) -> TokenStream {
    match validate(input.clone()) {
        Ok(network) => expand::expand_spanned(&network, &spans(input)),
        Err(error) => {
            let mut output = error.to_compile_error();
            output.extend(expand::fallback(input));
            output
        }
    }
}

/// Parses and checks one invocation: the validated network, or every mistake in it.
///
/// A syntax error inside one entry does not hide the others: parsing resumes at the next entry
/// ([`parse::Recovered`]) and the check still runs on every entry that parsed, so the syntax
/// errors come first, then the check's.
///
/// # Errors
/// One combined [`syn::Error`] holding every mistake found.
pub fn validate(input: TokenStream) -> syn::Result<model::Network> {
    let recovered = syn::parse2::<parse::Recovered>(input)?;
    let Some(mut errors) = recovered.error() else {
        return check::check(&recovered.spec);
    };
    if recovered.checkable
        && let Err(error) = check::check_all(&recovered.spec).1.finish()
    {
        errors.combine(error);
    }
    Err(errors)
}

/// Where a valid spec fixed the types of the signatures: the values of `scalar` and `input`.
fn spans(input: TokenStream) -> expand::Spans {
    let Ok(spec) = syn::parse2::<parse::Spec>(input) else {
        return expand::Spans::default();
    };
    let value = |key: &str| {
        spec.entries
            .iter()
            .find(|entry| entry.key == key)
            .and_then(|entry| {
                quote::ToTokens::to_token_stream(&entry.value)
                    .into_iter()
                    .next()
            })
            .map(|token| token.span())
    };
    expand::Spans {
        scalar: value("scalar"),
        input: value("input"),
    }
}
