//! The signatures and docs of the methods both forms share; the forms differ only in the bodies.

use super::Bodies;
use super::rust::Rust;
use proc_macro2::{Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::quote;

/// Where the spec fixed the types of the signatures: the values of its `scalar` and `input`
/// entries. `None` spans the signature at the macro call.
#[derive(Default, Clone, Copy)]
pub struct Spans {
    /// The `f32` of `scalar: f32`, when the entry is there.
    pub scalar: Option<Span>,
    /// The `3` of `input: 3`.
    pub input: Option<Span>,
}

/// `forward`, `loss`, `gradient`, `input_gradient` and `sgd_step`, with the derivation in the
/// rustdoc of `gradient`.
pub fn methods(rust: &Rust, bodies: Bodies, derivation: &str, spans: &Spans) -> TokenStream {
    let network = rust.network;
    let scalar = rust.scalar();
    let inputs = Literal::usize_unsuffixed(network.inputs);
    let outputs = Literal::usize_unsuffixed(network.outputs());
    let output_layer = network.layers.last().map(|layer| layer.name.span());
    let input = parameter("input", &scalar, &inputs, spans.scalar, spans.input);
    let target = parameter("target", &scalar, &outputs, spans.scalar, output_layer);
    let Bodies {
        forward,
        loss,
        gradient_into,
        accumulate_gradient,
        accumulate_batch,
        input_gradient,
    } = bodies;
    let gradient_doc = derivation.lines().map(|line| format!(" {line}"));
    let constness = rust.const_forward().then(|| quote!(const));
    let updates = network.layers.iter().map(|layer| {
        let name = &layer.name;
        quote!(self.#name.sgd_step(&gradient.#name, learning_rate);)
    });
    quote! {
        /// The network's output for one input: each layer's activations of its weighted inputs.
        /// A `const fn` when the net is unrolled (`form: unrolled`, or no `form` and at most 256
        /// parameters) and every activation is `identity`, `relu` or `leaky_relu`, so a `const`
        /// net can be evaluated at compile time.
        #[must_use]
        #[inline]
        pub #constness fn forward(&self, #input) -> [#scalar; #outputs] {
            #forward
        }

        /// The loss of the network's output against `target`.
        #[must_use]
        #[inline]
        pub fn loss(&self, #input, #target) -> #scalar {
            #loss
        }

        /// The loss and its derivative with respect to every parameter, returned in a value of
        /// the network's own type (a gradient has the shape of the parameters). Derived in closed
        /// form, as by hand (the code is `gradient_into`, which writes into a gradient you own):
        ///
        /// ```text
        #(#[doc = #gradient_doc])*
        /// ```
        #[must_use]
        #[inline]
        pub fn gradient(&self, #input, #target) -> (#scalar, Self) {
            let mut gradient = Self::zeroed();
            let loss = self.gradient_into(input, target, &mut gradient);
            (loss, gradient)
        }

        /// Writes the derivative of the loss with respect to every parameter into `gradient`
        /// and returns the loss: `gradient` without a second net-sized value on the stack. The
        /// derivation is in the documentation of `gradient`.
        #[inline]
        pub fn gradient_into(&self, #input, #target, gradient: &mut Self) -> #scalar {
            #gradient_into
        }

        /// Adds this sample's gradient to `gradient` and returns its loss: sums a mini-batch in
        /// place, with no allocation and no temporary gradient (divide by the batch size for the
        /// mean, as `batch_gradient` does).
        #[inline]
        pub fn accumulate_gradient(&self, #input, #target, gradient: &mut Self) -> #scalar {
            #accumulate_gradient
        }

        /// Adds the gradient of every sample of a mini-batch to `gradient` and returns the sum of
        /// their losses, `inputs[k]` paired with `targets[k]`: the same numbers, to the bit, as
        /// `accumulate_gradient` sample after sample, computed on blocks of
        /// `backprop_core::lanes::LANES` samples so that the inner loops vectorise and each weight
        /// row is read once per block.
        ///
        /// # Panics
        /// If `inputs` and `targets` differ in length.
        #[inline]
        pub fn accumulate_batch(&self, inputs: &[[#scalar; #inputs]], targets: &[[#scalar; #outputs]], gradient: &mut Self) -> #scalar {
            #accumulate_batch
        }

        /// The derivative of the loss with respect to each input: `dL/d input[i]`.
        #[must_use]
        #[inline]
        pub fn input_gradient(&self, #input, #target) -> [#scalar; #inputs] {
            #input_gradient
        }

        /// One step of gradient descent: every parameter minus `learning_rate` times its derivative.
        #[inline]
        pub fn sgd_step(&mut self, gradient: &Self, learning_rate: #scalar) {
            #(#updates)*
        }
    }
}

/// `name: &[T; N]`, spanned from where the scalar type was fixed to where the width was, so that
/// rustc's note on a wrong argument ("method defined here"), which spans the parameter, points at
/// those entries (`scalar: f32, input: 3`) rather than at the whole macro. rustc joins the spans
/// of a parameter's first and last tokens only when both come from the spec, so each part falls
/// back on the other, and both on the macro call. Only where the tokens are shown moves: each keeps
/// its name resolution (see [`respan`]).
fn parameter(
    name: &str,
    scalar: &TokenStream,
    width: &Literal,
    scalar_span: Option<Span>,
    width_span: Option<Span>,
) -> TokenStream {
    let name = Ident::new(name, Span::call_site());
    let parameter = quote!(#name: &[#scalar; #width]);
    let (Some(first), Some(last)) = (scalar_span.or(width_span), width_span.or(scalar_span)) else {
        return parameter;
    };
    let mut tokens: Vec<TokenTree> = parameter.into_iter().collect();
    for token in &mut tokens {
        respan(token, first);
    }
    // The brackets, which close the parameter, at the width.
    if let Some(TokenTree::Group(brackets)) = tokens.last_mut() {
        let mut inner: Vec<TokenTree> = brackets.stream().into_iter().collect();
        if let Some(width) = inner.last_mut() {
            width.set_span(width.span().located_at(last));
        }
        let mut respanned = Group::new(brackets.delimiter(), inner.into_iter().collect());
        respanned.set_span(brackets.span().located_at(last));
        *brackets = respanned;
    }
    tokens.into_iter().collect()
}

/// The token, and every token inside it, located at `span` for diagnostics but resolved as
/// before: the parameter's name must still be the one the body uses, even when a `macro_rules!`
/// macro wrote the spec with its own hygiene.
fn respan(token: &mut TokenTree, span: Span) {
    let resolved = token.span();
    if let TokenTree::Group(group) = token {
        let mut inner: Vec<TokenTree> = group.stream().into_iter().collect();
        for token in &mut inner {
            respan(token, span);
        }
        *group = Group::new(group.delimiter(), inner.into_iter().collect());
    }
    token.set_span(resolved.located_at(span));
}
