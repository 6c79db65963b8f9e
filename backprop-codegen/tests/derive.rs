//! The derivation stage: what it derives, and how the text renders it.

use backprop_codegen::derive::{self, Expr, Quantity};
use backprop_codegen::{check, model::Network};
use quote::quote;

fn network(spec: proc_macro2::TokenStream) -> Network {
    let spec = syn::parse2(spec).expect("the spec parses");
    check::check(&spec).unwrap_or_else(|error| panic!("the spec checks: {error}"))
}

fn notebook() -> Network {
    network(quote! {
        struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
    })
}

fn text(network: &Network) -> String {
    derive::text::derivation(network, &derive::derive(network))
}

#[test]
fn notebook_derivation_reads_like_the_design() {
    let text = text(&notebook());
    for line in [
        "  z_hidden[0] = hidden.weights[0][0] * input[0] + hidden.weights[0][1] * input[1] + hidden.bias[0]",
        "  a_hidden[0] = relu(z_hidden[0])",
        "  L = squared_error(a_output[0], target[0])",
        "  delta_output[0] = relu'(z_output[0]) * squared_error'(a_output[0], target[0])",
        "  delta_hidden[0] = relu'(z_hidden[0]) * (output.weights[0][0] * delta_output[0])",
        "  dL/d output.weights[0][0] = delta_output[0] * a_hidden[0]",
        "  dL/d hidden.bias[1] = delta_hidden[1]",
        "  dL/d input[1] = hidden.weights[0][1] * delta_hidden[0] + hidden.weights[1][1] * delta_hidden[1]",
    ] {
        assert!(
            text.lines().any(|candidate| candidate == line),
            "missing line {line:?} in\n{text}"
        );
    }
}

#[test]
fn every_delta_is_bound_once() {
    let network = network(quote! {
        struct Deep { input: 3, a: dense(4, tanh), b: dense(3, sigmoid), output: dense(2, identity), loss: squared_error }
    });
    let derivation = derive::derive(&network);
    let mut defined = std::collections::HashSet::new();
    for equation in derivation.equations() {
        for quantity in &equation.defines {
            assert!(defined.insert(*quantity), "{quantity:?} is defined twice");
        }
    }
    let deltas = defined
        .iter()
        .filter(|quantity| matches!(quantity, Quantity::Delta { .. }))
        .count();
    assert_eq!(deltas, 4 + 3 + 2);
}

#[test]
fn parameter_derivative_is_delta_times_input() {
    let derivation = derive::derive(&notebook());
    let expected = Expr::Product(vec![
        Expr::Quantity(Quantity::Delta { layer: 1, node: 0 }),
        Expr::Quantity(Quantity::Activation { layer: 0, node: 1 }),
    ]);
    assert_eq!(derivation.parameters[1].weights[0][1], expected);
    assert_eq!(
        derivation.parameters[1].bias[0],
        Expr::Quantity(Quantity::Delta { layer: 1, node: 0 })
    );
}

#[test]
fn fused_outputs_use_the_logits() {
    let classifier = text(&network(quote! {
        struct Classifier { input: 2, output: dense(3, softmax), loss: cross_entropy }
    }));
    assert!(
        classifier.contains("  log_sum_exp = log_sum_exp(z_output[0], z_output[1], z_output[2])"),
        "{classifier}"
    );
    assert!(
        classifier.contains("  delta_output[2] = a_output[2] * target_sum - target[2]"),
        "{classifier}"
    );

    let logistic = text(&network(quote! {
        struct Logistic { input: 2, output: dense(2, sigmoid), loss: binary_cross_entropy }
    }));
    assert!(logistic.contains("  L = (binary_cross_entropy(z_output[0], target[0]) + binary_cross_entropy(z_output[1], target[1])) / 2"), "{logistic}");
    assert!(
        logistic.contains("  delta_output[1] = (a_output[1] - target[1]) / 2"),
        "{logistic}"
    );
}

#[test]
fn softmax_with_another_loss_centres_the_slopes() {
    let text = text(&network(quote! {
        struct Soft { input: 2, output: dense(2, softmax), loss: squared_error }
    }));
    assert!(
        text.contains(
            "  softmax_dot = dL/da_output[0] * a_output[0] + dL/da_output[1] * a_output[1]"
        ),
        "{text}"
    );
    assert!(
        text.contains("  delta_output[0] = a_output[0] * (dL/da_output[0] - softmax_dot)"),
        "{text}"
    );
}

#[test]
fn only_what_a_function_returns_is_computed() {
    let network = notebook();
    let derivation = derive::derive(&network);
    let prediction = Expr::Quantity(Quantity::Activation { layer: 1, node: 0 });
    let needed = derive::needed(derivation.equations(), &[&prediction]);
    assert_eq!(
        needed.len(),
        6,
        "z and a of three nodes, nothing of the loss or the deltas"
    );
    assert!(
        needed.iter().all(|equation| !matches!(
            equation.defines[0],
            Quantity::Delta { .. } | Quantity::Loss
        ))
    );
}

/// Operations of the equations a function needs for `roots`, plus the roots themselves.
fn operations(derivation: &derive::Derivation, roots: &[Expr]) -> usize {
    let references: Vec<&Expr> = roots.iter().collect();
    let equations = derive::needed(derivation.equations(), &references);
    equations
        .iter()
        .map(|equation| equation.value.operations())
        .sum::<usize>()
        + roots.iter().map(Expr::operations).sum::<usize>()
}

#[test]
fn the_closed_form_costs_count_what_the_derivation_computes() {
    let specs = [
        quote!(struct A { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }),
        quote!(struct B { input: 3, a: dense(4, tanh), b: dense(3, identity), output: dense(2, sigmoid), loss: mean_squared_error }),
        quote!(struct C { input: 4, hidden: dense(5, gelu), output: dense(3, softmax), loss: cross_entropy }),
        quote!(struct D { input: 2, hidden: dense(3, elu), output: dense(3, sigmoid), loss: binary_cross_entropy }),
        quote!(struct E { input: 2, output: dense(4, softmax), loss: huber(0.5) }),
        quote!(struct F { input: 1, output: dense(1, identity), loss: mean_absolute_error }),
        quote!(struct G { input: 3, hidden: dense(2, silu), output: dense(4, sigmoid), loss: cross_entropy }),
    ];
    for spec in specs {
        let network = network(spec);
        let derivation = derive::derive(&network);
        let last = network.layers.len() - 1;
        let outputs: Vec<Expr> = (0..network.outputs())
            .map(|node| Expr::Quantity(Quantity::Activation { layer: last, node }))
            .collect();
        assert_eq!(
            operations(&derivation, &outputs),
            network.forward_flops(),
            "forward of {}",
            network.name
        );
        let mut roots = vec![Expr::Quantity(Quantity::Loss)];
        for layer in &derivation.parameters {
            roots.extend(layer.weights.iter().flatten().cloned());
            roots.extend(layer.bias.iter().cloned());
        }
        assert_eq!(
            operations(&derivation, &roots),
            network.gradient_flops(),
            "gradient of {}",
            network.name
        );
    }
}

#[test]
fn the_notebook_costs_what_a_hand_count_says() {
    let network = notebook();
    // Forward: hidden 2 nodes x (2 multiplies + 2 adds) + 2 relu = 10; output 2 + 2 + 1 relu = 5.
    assert_eq!(network.forward_flops(), 15);
    // Gradient: forward 15; loss 1 (squared_error); output delta 3 (relu', squared_error', *);
    // hidden deltas 2 x 3 (w * delta, relu', *); weight derivatives 4 + 2 multiplies.
    assert_eq!(network.gradient_flops(), 15 + 1 + 3 + 6 + 6);
}

/// A wide dot product sums in eight interleaved lanes: lane `k` holds the products `k, k + 8`,
/// the lanes are added left to right, then the bias. With eight inputs or fewer it is plain left
/// to right (the notebook above).
#[test]
fn wide_sums_follow_the_canonical_lane_order() {
    let network = network(quote! {
        struct Wide { input: 10, output: dense(1, identity), loss: squared_error }
    });
    let text = text(&network);
    let w = |i: usize| format!("output.weights[0][{i}] * input[{i}]");
    let expected = format!(
        "  z_output[0] = {} + {} + ({} + {}) + {} + {} + {} + {} + {} + {} + output.bias[0]",
        w(0),
        w(8),
        w(1),
        w(9),
        w(2),
        w(3),
        w(4),
        w(5),
        w(6),
        w(7)
    );
    assert!(
        text.lines().any(|line| line == expected),
        "missing {expected:?} in\n{text}"
    );
    let lanes = derive::LANES;
    assert_eq!(
        lanes, 8,
        "the order is part of the bits every form computes"
    );
}

/// The looped form's `DERIVATION` and its code are one derivation rendered twice: every quantity
/// the text defines (`z_hidden = ...`, `delta_hidden = ...`) is a local the code binds, and every
/// parameter derivative the text states is stored by the code.
#[test]
fn looped_derivation_names_the_quantities_its_code_binds() {
    let spec: backprop_codegen::parse::Spec = syn::parse2(quote! {
        struct Looped { form: looped, input: 5, hidden: dense(7, tanh), middle: dense(6, relu), output: dense(3, softmax), loss: cross_entropy }
    })
    .expect("the spec parses");
    let network = check::check(&spec).expect("the spec checks");
    let text = derive::layers::text(&network);
    let code = backprop_codegen::expand::expand(&network).to_string();
    let mut defined = 0;
    for line in text.lines() {
        let Some((left, _)) = line.trim().split_once(" = ") else {
            continue;
        };
        if let Some(parameter) = left.strip_prefix("dL/d ") {
            if let Some((layer, _)) = parameter.split_once('.') {
                assert!(
                    code.contains(&format!("store . store_layer (& mut gradient . {layer} ,")),
                    "the code stores no gradient of {layer}"
                );
            }
            continue;
        }
        if left.starts_with(['z', 'a', 'd']) && left.contains('_') && !left.contains('(') {
            // The fused loss reads the logits: its output activations are never bound.
            let bound = [" =", " :"]
                .iter()
                .any(|next| code.contains(&format!("let {left}{next}")));
            assert!(
                bound || left == "a_output",
                "the code binds no {left}, which the text defines:\n{text}"
            );
            defined += 1;
        }
    }
    assert_eq!(defined, 3 + 3 + 3, "z and a of three layers, three deltas");
}
