//! The unrolled form: every scalar of the derivation is a named local, every parameter derivative
//! one closed-form expression, so `cargo expand` reads like the notebook.

use super::Bodies;
use super::rust::Rust;
use crate::derive::{self, Derivation, Equation, Expr, Function, Quantity};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The bodies of `forward`, `loss`, `gradient` and `input_gradient`, written out scalar by scalar.
pub fn bodies(rust: &Rust, derivation: &Derivation) -> Bodies {
    let last = rust.network.layers.len() - 1;
    let prediction: Vec<Expr> = (0..rust.network.outputs())
        .map(|node| Expr::Quantity(Quantity::Activation { layer: last, node }))
        .collect();
    let forward_syntax = Rust {
        network: rust.network,
        inline_activations: rust.const_forward(),
    };
    let loss = [loss_value(derivation)];
    Bodies {
        forward: function_body(
            &forward_syntax,
            derivation,
            &prediction,
            |outputs| quote!([#(#outputs),*]),
        ),
        loss: function_body(rust, derivation, &loss, |loss| quote!(#(#loss)*)),
        accumulate_batch: sample_by_sample_batch(rust),
        forward_batch: sample_by_sample_forward(),
        store_gradient: gradient_body(rust, derivation, &quote!(gradient)),
        descend: gradient_body(rust, derivation, &quote!(self)),
        input_gradient: input_gradient_body(rust, derivation),
    }
}

/// `accumulate_batch` of an unrolled net: `accumulate_gradient` sample after sample. A net this
/// small is all in registers; blocks of samples would only add loads and stores.
fn sample_by_sample_batch(rust: &Rust) -> TokenStream {
    let zero = rust.float(0.0);
    quote! {
        ::core::assert_eq!(inputs.len(), targets.len(), "one target per input");
        let mut loss = #zero;
        for (input, target) in ::core::iter::Iterator::zip(inputs.iter(), targets) {
            loss += self.accumulate_gradient(input, target, gradient);
        }
        loss
    }
}

/// `forward_batch` of an unrolled net: `forward` sample after sample.
fn sample_by_sample_forward() -> TokenStream {
    quote! {
        ::core::assert_eq!(inputs.len(), outputs.len(), "one output row per input");
        for (input, output) in ::core::iter::Iterator::zip(inputs.iter(), outputs) {
            *output = self.forward(input);
        }
    }
}

/// The loss expression itself (the last equation of the loss section), to return rather than bind.
fn loss_value(derivation: &Derivation) -> Expr {
    derivation
        .loss
        .last()
        .map_or_else(|| Expr::Sum(Vec::new()), |equation| equation.value.clone())
}

/// The equations needed for `results`, bound in order, then `tail` of the rendered results.
fn function_body(
    rust: &Rust,
    derivation: &Derivation,
    results: &[Expr],
    tail: impl FnOnce(Vec<TokenStream>) -> TokenStream,
) -> TokenStream {
    let roots: Vec<&Expr> = results.iter().collect();
    let equations = derive::needed(derivation.equations(), &roots);
    let imports = rust.imports(
        equations
            .iter()
            .map(|equation| &equation.value)
            .chain(roots),
    );
    let statements = equations.iter().map(|equation| statement(rust, equation));
    let tail = tail(results.iter().map(|result| result.render(rust)).collect());
    quote! {
        #imports
        #(#statements)*
        #tail
    }
}

/// The forward pass, the loss, the deltas, then one line per parameter,
/// `store.store(&mut gradient.hidden.weights[0][1], delta_hidden_0 * input[1]);` (written, added
/// or descended along, by the `Store`), as the derivation writes it, into the net `gradient`
/// names; the loss is the tail.
fn gradient_body(rust: &Rust, derivation: &Derivation, gradient: &TokenStream) -> TokenStream {
    let mut targets = Vec::new();
    let mut results = vec![Expr::Quantity(Quantity::Loss)];
    for (layer, derivatives) in rust.network.layers.iter().zip(&derivation.parameters) {
        let name = &layer.name;
        for (node, row) in derivatives.weights.iter().enumerate() {
            for (from, expr) in row.iter().enumerate() {
                let (node, from) = (
                    Literal::usize_unsuffixed(node),
                    Literal::usize_unsuffixed(from),
                );
                targets.push(quote!(#gradient.#name.weights[#node][#from]));
                results.push(expr.clone());
            }
        }
        for (node, expr) in derivatives.bias.iter().enumerate() {
            let node = Literal::usize_unsuffixed(node);
            targets.push(quote!(#gradient.#name.bias[#node]));
            results.push(expr.clone());
        }
    }
    function_body(rust, derivation, &results, |rendered| {
        let mut rendered = rendered.into_iter();
        let loss = rendered.next();
        quote! {
            #(store.store(&mut #targets, #rendered);)*
            #loss
        }
    })
}

/// The forward pass, the deltas, then `input_gradient[i] = ...;` for each input.
fn input_gradient_body(rust: &Rust, derivation: &Derivation) -> TokenStream {
    let zero = rust.float(0.0);
    let inputs = Literal::usize_unsuffixed(rust.network.inputs);
    function_body(rust, derivation, &derivation.inputs, |rendered| {
        let indices = (0..rendered.len()).map(Literal::usize_unsuffixed);
        quote! {
            let mut input_gradient = [#zero; #inputs];
            #(input_gradient[#indices] = #rendered;)*
            input_gradient
        }
    })
}

/// `let z_hidden_0 = ...;`, or `let [a_output_0, a_output_1] = softmax([...]);`.
fn statement(rust: &Rust, equation: &Equation) -> TokenStream {
    let value = equation.value.render(rust);
    let locals: Vec<_> = equation
        .defines
        .iter()
        .filter_map(|quantity| rust.local(*quantity))
        .collect();
    // Softmax yields the whole layer as an array, even a layer of one node.
    let array = matches!(equation.value, Expr::Call(Function::ActivateLayer, _));
    match locals.as_slice() {
        [local] if !array => quote!(let #local = #value;),
        _ => quote!(let [#(#locals),*] = #value;),
    }
}
