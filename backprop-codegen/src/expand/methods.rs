//! The signatures and docs of the methods both forms share; the forms differ only in the bodies.

use super::Bodies;
use super::rust::Rust;
use crate::model::Shape;
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
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
    let network = rust.program.network;
    let scalar = rust.scalar();
    let input_type = network.input.rust_type(&scalar);
    let output_type = Shape::Flat(network.outputs()).rust_type(&scalar);
    let output_layer = Some(network.output_layer().name.span());
    let input = parameter("input", &input_type, spans.scalar, spans.input);
    let target = parameter("target", &output_type, spans.scalar, output_layer);
    let Bodies {
        forward,
        loss,
        store_gradient,
        descend,
        accumulate_batch,
        forward_batch,
        input_gradient,
    } = bodies;
    let gradient_doc = derivation.lines().map(|line| format!(" {line}"));
    let constness = rust.const_forward().then(|| quote!(const));
    let updates = network.layers.iter().map(|layer| {
        let name = &layer.name;
        quote!(::backprop_core::Layer::sgd_step(&mut self.#name, &gradient.#name, learning_rate);)
    });
    let const_doc = format!(
        " A `const fn` when the net is unrolled (`form: unrolled`, or no `form` and at most {}",
        crate::model::Form::UNROLLED_UP_TO
    );
    let const_doc_activations = format!(
        " parameters) and every activation is {}, so a `const` net can be evaluated at compile time.",
        crate::builtins::listed(&crate::builtins::const_activations())
    );
    quote! {
        /// The network's output for one input: each layer's activations of its weighted inputs.
        #[doc = #const_doc]
        #[doc = #const_doc_activations]
        #[must_use]
        #[inline]
        pub #constness fn forward(&self, #input) -> #output_type {
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
            self.store_gradient(input, target, gradient, &::backprop_core::store::Overwrite)
        }

        /// Adds this sample's gradient to `gradient` and returns its loss: sums a mini-batch in
        /// place, with no allocation and no temporary gradient (divide by the batch size for the
        /// mean, as `batch_gradient` does).
        #[inline]
        pub fn accumulate_gradient(&self, #input, #target, gradient: &mut Self) -> #scalar {
            self.store_gradient(input, target, gradient, &::backprop_core::store::Accumulate)
        }

        /// The one body of `gradient_into` and `accumulate_gradient`: the loss, and every
        /// derivative stored into `gradient` by `store` (written over, or added to, what is there).
        #[inline]
        fn store_gradient<S: ::backprop_core::store::Store<#scalar>>(&self, #input, #target, gradient: &mut Self, store: &S) -> #scalar {
            #store_gradient
        }

        /// A step of plain gradient descent on one sample, taken in place: the deltas from the
        /// current parameters, then each parameter descended along its derivative as it is
        /// formed. The bits of `gradient_into` followed by the same step, with no gradient in
        /// memory. Returns the loss before the step.
        #[inline]
        fn descend(&mut self, #input, #target, store: &::backprop_core::store::Descend<#scalar>) -> #scalar {
            #descend
        }

        /// Adds the gradient of every sample of a mini-batch to `gradient` and returns the sum of
        /// their losses, `inputs[k]` paired with `targets[k]`: the same numbers, to the bit, as
        /// `accumulate_gradient` sample after sample, for any batch size and any split of the
        /// batch. A looped net runs blocks of samples through each layer at once (each weight read
        /// once per tile of samples); an unrolled one, small enough to live in registers, calls
        /// `accumulate_gradient` sample by sample.
        ///
        /// # Panics
        /// If `inputs` and `targets` differ in length.
        #[inline]
        pub fn accumulate_batch(&self, inputs: &[#input_type], targets: &[#output_type], gradient: &mut Self) -> #scalar {
            #accumulate_batch
        }

        /// The outputs of many samples at once, `outputs[k] = forward(&inputs[k])` to the bit. A
        /// looped net runs blocks of samples through each layer together, reading each weight
        /// once per tile of samples; no allocation.
        ///
        /// # Panics
        /// If `inputs` and `outputs` differ in length.
        #[inline]
        pub fn forward_batch(&self, inputs: &[#input_type], outputs: &mut [#output_type]) {
            #forward_batch
        }

        /// The derivative of the loss with respect to each input: `dL/d input[i]`.
        #[must_use]
        #[inline]
        pub fn input_gradient(&self, #input, #target) -> #input_type {
            #input_gradient
        }

        /// One step of gradient descent: every parameter minus `learning_rate` times its derivative.
        #[inline]
        pub fn sgd_step(&mut self, gradient: &Self, learning_rate: #scalar) {
            #(#updates)*
        }
    }
}

/// `name: &[T; N]` (or `&[[T; L]; C]`), spanned from where the scalar type was fixed to where the
/// width was, so that rustc's note on a wrong argument ("method defined here"), which spans the
/// parameter, points at those entries (`scalar: f32, input: 3`) rather than at the whole macro.
/// rustc joins the spans of a parameter's first and last tokens only when both come from the spec,
/// so each part falls back on the other, and both on the macro call. Only where the tokens are
/// shown moves: each keeps its name resolution (see [`respan`]).
fn parameter(
    name: &str,
    ty: &TokenStream,
    scalar_span: Option<Span>,
    width_span: Option<Span>,
) -> TokenStream {
    let name = Ident::new(name, Span::call_site());
    let parameter = quote!(#name: &#ty);
    let (Some(first), Some(last)) = (scalar_span.or(width_span), width_span.or(scalar_span)) else {
        return parameter;
    };
    let mut tokens: Vec<TokenTree> = parameter.into_iter().collect();
    for token in &mut tokens {
        respan(token, first);
    }
    // The outer brackets, which close the parameter, at the width.
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
