//! The unrolled form: every scalar of the derivation is a named local, every parameter derivative
//! one closed-form expression, so `cargo expand` reads like the notebook.

use super::Bodies;
use super::rust::Rust;
use crate::derive::{self, Derivation, Equation, Expr, Function};
use crate::model::{Index, array_type};
use crate::program::Program;
use proc_macro2::TokenStream;
use quote::quote;

/// The bodies of every method, written out scalar by scalar.
pub fn bodies(rust: &Rust, derivation: &Derivation) -> Bodies {
    let program = rust.program;
    let last = &program.layers[program.last()];
    let prediction: Vec<Expr> = Program::indices(program.network.output_layer().output)
        .map(|index| derive::value(last.a, index))
        .collect();
    let forward_syntax = if rust.const_forward() {
        rust.inlining()
    } else {
        Rust::new(program)
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
        accumulate_batch: super::sample_by_sample_batch(rust),
        forward_batch: super::sample_by_sample_forward(),
        store_gradient: gradient_body(rust, derivation, &quote!(gradient)),
        descend: gradient_body(rust, derivation, &quote!(self)),
        input_gradient: input_gradient_body(rust, derivation),
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

/// The forward pass, the loss and the deltas, then `store.store(&mut gradient..., ...)` for each
/// parameter (into `self` when descending in place); returns the loss.
fn gradient_body(rust: &Rust, derivation: &Derivation, gradient: &TokenStream) -> TokenStream {
    let program = rust.program;
    let mut targets = Vec::new();
    // The loss bound where the derivation computes it, and returned last.
    let mut results = vec![derive::value(program.loss.loss, Index::SCALAR)];
    for (layer, derivatives) in derivation.parameters.iter().enumerate() {
        let tensors = program.network.layers[layer].kind.tensors();
        for (tensor, (exprs, shape)) in derivatives.tensors.iter().zip(&tensors).enumerate() {
            for (flat, expr) in exprs.iter().enumerate() {
                let index = Index::of_flat(flat, &shape.dims);
                targets.push(rust.parameter(gradient, layer, tensor, index));
                results.push(expr.clone());
            }
        }
    }
    // `store` is a `Store` by its bound in `store_gradient`, a `Descend` when descending.
    let import = (gradient.to_string() == "self").then(|| {
        quote!(
            use ::backprop_core::store::Store as _;
        )
    });
    let body = function_body(rust, derivation, &results, |rendered| {
        let mut rendered = rendered.into_iter();
        let loss = rendered.next();
        quote! {
            #(store.store(&mut #targets, #rendered);)*
            #loss
        }
    });
    quote!(#import #body)
}

/// The forward pass, the deltas, then `input_gradient[i] = ...;` for each input.
fn input_gradient_body(rust: &Rust, derivation: &Derivation) -> TokenStream {
    let shape = rust.program.network.input;
    // The array type with the zero literal for the scalar is the array of zeros.
    let zeros = array_type(&rust.float(0.0), &shape.dims());
    function_body(rust, derivation, &derivation.inputs, |rendered| {
        let places = (0..rendered.len()).map(|flat| {
            let indices = shape
                .unflatten(flat)
                .indices()
                .map(proc_macro2::Literal::usize_unsuffixed);
            quote!(#([#indices])*)
        });
        quote! {
            let mut input_gradient = #zeros;
            #(input_gradient #places = #rendered;)*
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
    let array = match &equation.value {
        Expr::Call(Function::ActivateLayer, _) => true,
        Expr::Call(Function::Runtime(runtime), _) => runtime.returns_array,
        _ => false,
    };
    match locals.as_slice() {
        [local] if !array => quote!(let #local = #value;),
        _ => quote!(let [#(#locals),*] = #value;),
    }
}
