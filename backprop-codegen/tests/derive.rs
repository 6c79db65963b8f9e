//! The program and its per-scalar derivation: what they derive, and how the text renders them.

use backprop_codegen::check;
use backprop_codegen::derive::{self, Expr, Quantity};
use backprop_codegen::model::{Index, Network};
use backprop_codegen::program::{self, Op, Program};
use quote::quote;
use syn::visit::Visit;

fn network(spec: proc_macro2::TokenStream) -> Network {
    let spec = syn::parse2(spec).expect("the spec parses");
    check::check(&spec).unwrap_or_else(|error| panic!("the spec checks: {error}"))
}

fn notebook() -> Network {
    network(quote! {
        struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
    })
}

/// Whether `text` has `line` as one whole line.
fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|candidate| candidate == line)
}

fn text(network: &Network) -> String {
    let program = program::lower(network);
    derive::text::derivation(&program, &derive::derive(&program))
}

/// The value the program names `name`.
fn value(program: &Program, name: &str) -> usize {
    program
        .values
        .iter()
        .position(|value| value.name == name)
        .unwrap_or_else(|| panic!("no value {name}"))
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
    // Node by node, as the notebook writes it: z then a of each node before the next node.
    let forward: Vec<&str> = text
        .lines()
        .skip_while(|line| *line != "forward pass")
        .skip(1)
        .take(2)
        .collect();
    assert!(forward[0].starts_with("  z_hidden[0]") && forward[1].starts_with("  a_hidden[0]"));
}

#[test]
fn every_delta_is_bound_once() {
    let network = network(quote! {
        struct Deep { input: 3, a: dense(4, tanh), b: dense(3, sigmoid), output: dense(2, identity), loss: squared_error }
    });
    let program = program::lower(&network);
    let derivation = derive::derive(&program);
    let mut defined = std::collections::HashSet::new();
    for equation in derivation.equations() {
        for quantity in &equation.defines {
            assert!(defined.insert(*quantity), "{quantity:?} is defined twice");
        }
    }
    let deltas: Vec<usize> = program.layers.iter().map(|layer| layer.delta).collect();
    let bound = defined
        .iter()
        .filter(
            |quantity| matches!(quantity, Quantity::Value { value, .. } if deltas.contains(value)),
        )
        .count();
    assert_eq!(bound, 4 + 3 + 2);
}

#[test]
fn parameter_derivative_is_delta_times_input() {
    let network = notebook();
    let program = program::lower(&network);
    let derivation = derive::derive(&program);
    let (delta_output, a_hidden) = (value(&program, "delta_output"), value(&program, "a_hidden"));
    let expected = Expr::Product(vec![
        derive::value(delta_output, Index::one(0)),
        derive::value(a_hidden, Index::one(1)),
    ]);
    // The output layer's weights, flat row-major: row 0, column 1.
    assert_eq!(derivation.parameters[1].tensors[0][1], expected);
    assert_eq!(
        derivation.parameters[1].tensors[1][0],
        derive::value(delta_output, Index::one(0))
    );
}

#[test]
fn fused_outputs_use_the_logits() {
    let classifier = text(&network(quote! {
        struct Classifier { input: 2, output: dense(3, softmax), loss: cross_entropy }
    }));
    assert!(
        has_line(
            &classifier,
            "  log_sum_exp = log_sum_exp(z_output[0], z_output[1], z_output[2])"
        ),
        "{classifier}"
    );
    assert!(
        has_line(
            &classifier,
            "  delta_output[2] = a_output[2] * target_sum - target[2]"
        ),
        "{classifier}"
    );

    let logistic = text(&network(quote! {
        struct Logistic { input: 2, output: dense(2, sigmoid), loss: binary_cross_entropy }
    }));
    assert!(
        has_line(
            &logistic,
            "  L = (binary_cross_entropy(z_output[0], target[0]) + binary_cross_entropy(z_output[1], target[1])) / 2"
        ),
        "{logistic}"
    );
    assert!(
        has_line(
            &logistic,
            "  delta_output[1] = (a_output[1] - target[1]) / 2"
        ),
        "{logistic}"
    );
}

#[test]
fn softmax_with_another_loss_centres_the_slopes() {
    let text = text(&network(quote! {
        struct Soft { input: 2, output: dense(2, softmax), loss: squared_error }
    }));
    assert!(
        has_line(
            &text,
            "  softmax_dot = dL/da_output[0] * a_output[0] + dL/da_output[1] * a_output[1]"
        ),
        "{text}"
    );
    assert!(
        has_line(
            &text,
            "  delta_output[0] = a_output[0] * (dL/da_output[0] - softmax_dot)"
        ),
        "{text}"
    );
}

#[test]
fn only_what_a_function_returns_is_computed() {
    let network = notebook();
    let program = program::lower(&network);
    let derivation = derive::derive(&program);
    let prediction = derive::value(value(&program, "a_output"), Index::one(0));
    let needed = derive::needed(derivation.equations(), &[&prediction]);
    assert_eq!(
        needed.len(),
        6,
        "z and a of three nodes, nothing of the loss or the deltas"
    );
    let forward = [
        value(&program, "z_hidden"),
        value(&program, "a_hidden"),
        value(&program, "z_output"),
        value(&program, "a_output"),
    ];
    assert!(needed.iter().all(|equation| matches!(
        equation.defines[0],
        Quantity::Value { value, .. } if forward.contains(&value)
    )));
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
fn the_summed_costs_count_what_the_derivation_computes() {
    let specs = [
        quote!(struct A { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }),
        quote!(struct B { input: 3, a: dense(4, tanh), b: dense(3, identity), output: dense(2, sigmoid), loss: mean_squared_error }),
        quote!(struct C { input: 4, hidden: dense(5, gelu), output: dense(3, softmax), loss: cross_entropy }),
        quote!(struct D { input: 2, hidden: dense(3, elu), output: dense(3, sigmoid), loss: binary_cross_entropy }),
        quote!(struct E { input: 2, output: dense(4, softmax), loss: huber(0.5) }),
        quote!(struct F { input: 1, output: dense(1, identity), loss: mean_absolute_error }),
        quote!(struct G { input: 3, hidden: dense(2, silu), output: dense(4, sigmoid), loss: squared_error }),
        quote!(struct H { input: [3, 9], c: conv1d(2, 3, tanh, stride = 2, padding = 1), d: depthwise_conv1d(2, relu, padding = 1), m: max_pool1d(2), output: dense(2, identity), loss: squared_error }),
        // (Every step of every layer is read by the next: the unrolled form leaves out what nothing
        // reads, which the costs, the looped form's, count.)
        quote!(struct I { input: [2, 7], a: avg_pool1d(3), c: conv1d(3, 1, elu, stride = 1), g: global_avg_pool1d, output: dense(2, softmax), loss: cross_entropy }),
        quote!(struct J { input: [3, 4], g1: gru(3, sequence), g2: gru(2), output: dense(1, sigmoid), loss: binary_cross_entropy }),
        quote!(struct K { input: [2, 5], c: conv1d(3, 2, tanh), g: gru(2, sequence), d: depthwise_conv1d(2, identity, stride = 2), output: dense(2, identity), loss: mean_squared_error }),
        quote!(struct M { input: [2, 1], g: gru(3), output: dense(1, identity), loss: squared_error }),
    ];
    for spec in specs {
        let network = network(spec);
        let program = program::lower(&network);
        let derivation = derive::derive(&program);
        let last = program.layers[program.last()].a;
        let outputs: Vec<Expr> = (0..network.outputs())
            .map(|node| derive::value(last, Index::one(node)))
            .collect();
        assert_eq!(
            operations(&derivation, &outputs),
            program.forward_flops(),
            "forward of {}",
            network.name
        );
        let mut roots = vec![derive::value(program.loss.loss, Index::SCALAR)];
        for layer in &derivation.parameters {
            roots.extend(layer.tensors.iter().flatten().cloned());
        }
        assert_eq!(
            operations(&derivation, &roots),
            program.gradient_flops(),
            "gradient of {}",
            network.name
        );
    }
}

#[test]
fn the_notebook_costs_what_a_hand_count_says() {
    let network = notebook();
    let program = program::lower(&network);
    // Forward: hidden 2 nodes x (2 multiplies + 2 adds) + 2 relu = 10; output 2 + 2 + 1 relu = 5.
    assert_eq!(program.forward_flops(), 15);
    // Gradient: forward 15; loss 1 (squared_error); output delta 3 (relu', squared_error', *);
    // hidden deltas 2 x 3 (w * delta, relu', *); weight derivatives 4 + 2 multiplies.
    assert_eq!(program.gradient_flops(), 15 + 1 + 3 + 6 + 6);
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
}

/// The locals a function of the expansion binds with `let`.
#[derive(Default)]
struct Bound(Vec<String>);

impl<'a> Visit<'a> for Bound {
    fn visit_local(&mut self, local: &'a syn::Local) {
        let mut pattern = &local.pat;
        if let syn::Pat::Type(typed) = pattern {
            pattern = &typed.pat;
        }
        if let syn::Pat::Ident(ident) = pattern {
            self.0.push(ident.ident.to_string());
        }
        syn::visit::visit_local(self, local);
    }
}

/// The looped form's `DERIVATION` and its code are one program rendered twice: every value an op
/// of the gradient binds is a local of the same name in `store_gradient` (or, where a slope is 1,
/// its delta takes the upstream's place), and every layer's gradient op stores into that layer.
#[test]
fn the_looped_code_binds_the_values_its_program_defines() {
    let network = network(quote! {
        struct Looped { form: looped, input: 5, hidden: dense(7, tanh), middle: dense(6, identity), output: dense(3, softmax), loss: cross_entropy }
    });
    let program = program::lower(&network);
    let file: syn::File =
        syn::parse2(backprop_codegen::expand::expand(&network)).expect("valid Rust");
    let mut bound = Bound::default();
    let mut stores = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for item in &block.items {
            if let syn::ImplItem::Fn(function) = item
                && function.sig.ident == "store_gradient"
            {
                bound.visit_block(&function.block);
                stores = function
                    .block
                    .stmts
                    .iter()
                    .map(|statement| quote!(#statement).to_string())
                    .filter(|statement| statement.contains("store_gradient"))
                    .collect();
            }
        }
    }
    let mut checked = 0;
    for op in &program.ops {
        let defined = match *op {
            Op::Forward { output, .. } => output,
            Op::Activate { a, .. } => a,
            Op::Slope { delta, .. } => delta,
            Op::Backward { layer: 0, .. }
            | Op::Loss
            | Op::OutputDelta
            | Op::Gradient { .. }
            | Op::Deltas { .. } => {
                continue;
            }
            Op::Backward {
                layer, upstream, ..
            } => {
                let below = &network.layers[layer - 1];
                if below.is_unchanged() {
                    program.layers[layer - 1].delta
                } else {
                    upstream
                }
            }
        };
        let name = &program.values[defined].name;
        // The fused loss reads the logits: the output's activations are never bound.
        if name == "a_output" {
            continue;
        }
        assert!(
            bound.0.contains(name),
            "the code binds no {name}: {:?}",
            bound.0
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        5 + 2 + 2,
        "z and a but the output's, two backward ops, two slopes"
    );
    // Each statement that stores is one layer's `gradient.{layer}.store_gradient(store, ..)`, and
    // the layers they name are the net's, each once, in order.
    let named: Vec<&str> = stores
        .iter()
        .map(|statement| {
            statement
                .strip_prefix("gradient . ")
                .and_then(|rest| rest.split_once(" . store_gradient (store ,"))
                .map_or_else(
                    || panic!("not a layer's store: {statement}"),
                    |(name, _)| name,
                )
        })
        .collect();
    let layers: Vec<String> = network
        .layers
        .iter()
        .map(|layer| layer.name.to_string())
        .collect();
    assert_eq!(named, layers);
}
