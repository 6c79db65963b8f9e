//! The README's claims, each checked: its snippets are quoted here and run, and what it says about
//! features, outputs and targets is tested against the code. And the README and the crate docs
//! name every item a net gets.
#![allow(
    clippy::float_cmp,
    reason = "the values are exact by construction; the tests compare them exactly"
)]

use backprop_core::{Dense, network};

/// The README, as checked in.
const README: &str = include_str!("../../README.md");

/// Asserts that the README contains `text` word for word, so that a snippet run here is the one a
/// reader copies.
fn quoted(text: &str) {
    assert!(
        README.contains(text),
        "the README no longer contains:\n{text}"
    );
}

network! {
    /// The README's net.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Notebook {
        scalar: f64,                 // f32 or f64; optional, f64 when left out
        input: 2,                    // number of inputs
        hidden: dense(2, relu),      // a named layer: width, activation
        output: dense(1, relu),      // the last layer is the output
        loss: squared_error,
    }
}

network! {
    /// A softmax classifier.
    struct Classifier { input: 2, hidden: dense(3, tanh), output: dense(3, softmax), loss: cross_entropy }
}

network! {
    /// The classifier's twin with an identity output: its `forward` returns the logits.
    struct Logits { input: 2, hidden: dense(3, tanh), output: dense(3, identity), loss: squared_error }
}

network! {
    /// A sigmoid classifier.
    struct Binary { input: 2, hidden: dense(3, tanh), output: dense(1, sigmoid), loss: binary_cross_entropy }
}

/// The notebook's net before its step.
fn notebook() -> Notebook {
    Notebook {
        hidden: Dense {
            weights: [[1.0, 1.0], [0.5, -0.5]],
            bias: [0.5, 0.0],
        },
        output: Dense {
            weights: [[1.0, 1.0]],
            bias: [0.5],
        },
    }
}

#[test]
fn the_gradient_check_snippet_passes_on_the_notebook_net() {
    quoted(
        "let check = net.check_gradient(&[0.4, -0.9], &[1.0]);   // the notebook's net, before its step
assert!(check.largest_error < 1e-6, \"{check}\");          // the largest relative difference
assert_eq!((check.checked, check.skipped_at_kinks), (6, 5));",
    );
    let net = notebook();
    let check = net.check_gradient(&[0.4, -0.9], &[1.0]); // the notebook's net, before its step
    assert!(check.largest_error < 1e-6, "{check}"); // the largest relative difference
    assert_eq!((check.checked, check.skipped_at_kinks), (6, 5));
    // "here the first hidden ReLU, whose pre-activation is exactly 0 at this input"
    let z = net.hidden.weights[0][0] * 0.4 + net.hidden.weights[0][1] * -0.9 + net.hidden.bias[0];
    assert_eq!(z, 0.0);
}

#[test]
fn the_notebook_snippet_computes_what_its_comments_say() {
    quoted("let (loss, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);   // loss 0.25");
    quoted(
        "net.sgd_step(&gradient, 0.01);                              // hidden.weights[0][0] is now 0.99",
    );
    let mut net = notebook();
    quoted("prediction: 2.5\nloss: 0.25\nW1: 0.99");
    assert_eq!(net.forward(&[1.0, 0.0]), [2.5]);
    let (loss, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);
    assert_eq!(loss, 0.25);
    net.sgd_step(&gradient, 0.01);
    assert_eq!(net.hidden.weights[0][0], 0.99);
}

/// The `const` snippet: `forward` of an unrolled ReLU net is evaluated by the compiler.
const TRAINED: Notebook = Notebook {
    hidden: Dense {
        weights: [[0.99, 1.0], [0.49, -0.5]],
        bias: [0.49, -0.01],
    },
    output: Dense {
        weights: [[0.985, 0.995]],
        bias: [0.49],
    },
};
const PREDICTION: [f64; 1] = TRAINED.forward(&[1.0, 0.0]);

#[test]
fn the_const_snippet_compiles_and_matches_the_run_time_forward() {
    quoted("const PREDICTION: [f64; 1] = TRAINED.forward(&[1.0, 0.0]);");
    assert_eq!(
        PREDICTION[0].to_bits(),
        TRAINED.clone().forward(&[1.0, 0.0])[0].to_bits()
    );
}

/// Every feature the README names exists in `backprop-core`, and the README names them all.
#[test]
fn the_features_the_readme_lists_are_the_crates() {
    let manifest = include_str!("../../backprop-core/Cargo.toml");
    let features = manifest
        .split_once("[features]")
        .and_then(|(_, rest)| rest.split_once("\n["))
        .map(|(features, _)| features)
        .expect("backprop-core has a [features] table");
    let names: Vec<&str> = features
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim())
        .filter(|name| *name != "default")
        .collect();
    assert_eq!(names, ["std", "safetensors", "libm-activations", "fixed"]);
    for name in names {
        quoted(&format!("| `{name}` |"));
    }
    quoted("backprop-core = \"0.1\"");
    // A clone's runtime is at `backprop-core/` under the clone's root.
    quoted("backprop-core = { path = \"../backprop/backprop-core\" }");
    assert!(manifest.contains("name = \"backprop-core\""));
    quoted("backprop-core = { version = \"0.1\", features = [\"safetensors\"] }");
    quoted("backprop-core = { version = \"0.1\", default-features = false }");
    assert!(
        manifest.contains("default = [\"std\"]"),
        "std is the one default feature, as the README says"
    );
    let version = manifest.contains("version.workspace = true")
        && include_str!("../../Cargo.toml").contains("version = \"0.1.");
    assert!(
        version,
        "the README's version requirement `0.1` matches the crate's"
    );
}

/// "With a `softmax` output layer, `forward` returns the probabilities (the softmax of the
/// logits)"; `cross_entropy` is `-sum_o target[o] ln p[o]` for a one-hot target or any
/// distribution. The references are computed here from the logits, independently of the runtime.
#[test]
fn a_softmax_net_returns_probabilities_and_takes_distributions_as_targets() {
    quoted("With a `softmax` output layer, `forward` returns the probabilities");
    let classifier = Classifier::he_uniform(7);
    let logits = Logits {
        hidden: classifier.hidden,
        output: classifier.output,
    };
    let input = [0.3, -1.2];
    let z = logits.forward(&input);
    let largest = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exponentials = z.map(|z| (z - largest).exp());
    let total: f64 = exponentials.iter().sum();
    let expected = exponentials.map(|e| e / total);
    let probabilities = classifier.forward(&input);
    for (p, e) in probabilities.iter().zip(expected) {
        assert!(
            (p - e).abs() <= 1e-15,
            "{probabilities:?} against {expected:?}"
        );
    }
    assert!((probabilities.iter().sum::<f64>() - 1.0).abs() <= 1e-15);
    for target in [[0.0, 1.0, 0.0], [0.1, 0.8, 0.1], [0.5, 0.0, 0.5]] {
        let expected: f64 = -target
            .iter()
            .zip(expected)
            .map(|(t, p)| t * p.ln())
            .sum::<f64>();
        let loss = classifier.loss(&input, &target);
        assert!(
            (loss - expected).abs() <= 1e-14 * expected.abs(),
            "{loss} against {expected} for {target:?}"
        );
    }
}

/// "with a `sigmoid` one, each output's probability"; `binary_cross_entropy` takes a target in
/// `[0, 1]`.
#[test]
fn a_sigmoid_net_returns_the_probability() {
    let net = Binary::xavier_uniform(3);
    let input = [0.7, 0.2];
    // The hidden activations, through the twin with an identity matrix for output layer.
    let twin = Logits {
        hidden: net.hidden,
        output: Dense {
            weights: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            bias: [0.0; 3],
        },
    };
    let hidden = twin.forward(&input);
    let z = net.output.weights[0]
        .iter()
        .zip(hidden)
        .fold(0.0, |sum, (w, a)| sum + w * a)
        + net.output.bias[0];
    let probability = 1.0 / (1.0 + (-z).exp());
    assert!((net.forward(&input)[0] - probability).abs() <= 1e-15);
    for target in [0.0, 0.25, 1.0] {
        let expected = -(target * probability.ln() + (1.0 - target) * (1.0 - probability).ln());
        let loss = net.loss(&input, &[target]);
        assert!(
            (loss - expected).abs() <= 1e-14 * expected.abs().max(1.0),
            "{loss} against {expected} for {target}"
        );
    }
}

/// The embedded build's command needs its target installed first.
#[test]
fn the_embedded_build_says_to_install_its_target() {
    quoted(
        "`rustup target add thumbv7em-none-eabihf`, once, then\n`cd embedded && cargo build --release`",
    );
    assert!(
        include_str!("../../embedded/.cargo/config.toml")
            .contains("target = \"thumbv7em-none-eabihf\"")
    );
}

/// Every public item of a generated net (read off the checked-in expansion of the notebook) is
/// named in the README and in the crate documentation's tour, which links it to its rendered page
/// in `example_generated`.
#[test]
fn the_readme_and_the_crate_docs_name_every_generated_item() {
    let expansion = include_str!("../../backprop-codegen/tests/expansions/notebook.rs");
    let crate_docs = include_str!("../../backprop-core/src/lib.rs");
    // `pub` as code, not quoted in a doc comment (`pub const CONST_NAME` in one).
    let mut items: Vec<&str> = expansion
        .match_indices("pub ")
        .filter(|&(at, _)| expansion[..at].ends_with(char::is_whitespace))
        .map(|(at, _)| &expansion[at + 4..])
        .filter_map(|rest| {
            let rest = rest
                .strip_prefix("const fn ")
                .or_else(|| rest.strip_prefix("fn "))
                .or_else(|| rest.strip_prefix("const "))?;
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
        })
        .collect();
    items.sort_unstable();
    items.dedup();
    assert!(items.len() > 25, "{items:?}");
    for item in items {
        assert!(names(README, item), "the README does not name `{item}`");
        assert!(
            crate_docs.contains(&format!("[`{item}`]"))
                || crate_docs.contains(&format!("`{item}(")),
            "the crate docs do not list `{item}`"
        );
    }
}

/// Whether `text` has `item` as a whole word.
fn names(text: &str, item: &str) -> bool {
    let part_of_a_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(item).any(|(at, _)| {
        !text[..at].ends_with(part_of_a_name)
            && !text[at + item.len()..].starts_with(part_of_a_name)
    })
}

network! {
    /// The README's convolution net (that of `examples/basic_motions.rs`).
    pub struct BasicMotions {
        scalar: f32,
        input: [6, 100],
        c1: conv1d(8, 5, relu, stride = 2, padding = 2),
        p1: max_pool1d(2),
        c2: conv1d(16, 5, relu, padding = 2),
        gp: global_avg_pool1d,
        output: dense(4, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// The README's GRU net (that of `examples/japanese_vowels.rs`).
    pub struct JapaneseVowels {
        scalar: f32,
        input: [12, 29],
        rnn: gru(24),
        output: dense(9, softmax),
        loss: cross_entropy,
    }
}

/// The blocks of the README that follow `opening` up to the closing fence: its text blocks, say.
fn blocks(opening: &str) -> Vec<&'static str> {
    README
        .split(opening)
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .collect()
}

/// The signal section's nets are the examples' own, and the derivation it quotes is theirs, line
/// for line, as `DERIVATION` prints it.
#[test]
fn the_signal_nets_and_their_derivation_are_quoted_as_generated() {
    for example in ["basic_motions", "japanese_vowels"] {
        let source = std::fs::read_to_string(format!(
            "{}/../examples/{example}.rs",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the example");
        for spec_line in [
            "input: [6, 100]",
            "c1: conv1d(8, 5, relu, stride = 2, padding = 2)",
            "rnn: gru(24)",
        ] {
            if source.contains(spec_line) {
                quoted(spec_line);
            }
        }
    }
    let derivations = [BasicMotions::DERIVATION, JapaneseVowels::DERIVATION];
    let mut checked = 0;
    for block in blocks("```text\n") {
        let signal_lines = block.lines().filter(|line| {
            ["_c1", "_c2", "_rnn", "c1."]
                .iter()
                .any(|name| line.contains(name))
        });
        for line in signal_lines {
            assert!(
                derivations
                    .iter()
                    .any(|derivation| derivation.lines().any(|printed| printed == line)),
                "the README's derivation line is not printed by the nets: {line}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} lines checked");
}

/// The lines of the README's looped code snippet stand in the checked-in expansion it names.
#[test]
fn the_looped_signal_snippet_is_in_the_expansion() {
    let expansion = include_str!("../../backprop-codegen/tests/expansions/signals_looped.rs");
    let squeezed = |text: &str| text.split_whitespace().collect::<String>();
    let expansion = squeezed(expansion);
    let snippet = blocks("```rust\n")
        .into_iter()
        .find(|block| block.contains("self.c1.forward::<100, 50>(input)"))
        .expect("the looped snippet");
    let lines: Vec<&str> = snippet
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .collect();
    assert!(lines.len() >= 6);
    for line in lines {
        assert!(
            expansion.contains(&squeezed(line)),
            "not in signals_looped.rs: {line}"
        );
    }
}
