//! The README's claims (and its guide's, `docs/guide.md`), each checked: its snippets are quoted here and run, and what it says about
//! features, outputs and targets is tested against the code. And the README and the crate docs
//! name every item a net gets.
#![allow(
    clippy::float_cmp,
    reason = "the values are exact by construction; the tests compare them exactly"
)]

use backprop_core::{Dense, network};

/// The README, as checked in.
const README: &str = include_str!("../../README.md");
/// The README in full (`docs/guide.md`), which the README links for every feature and item.
const GUIDE: &str = include_str!("../../docs/guide.md");

/// Asserts that the README or its guide contains `text` word for word, so that a snippet run here
/// is the one a reader copies.
fn quoted(text: &str) {
    assert!(
        README.contains(text) || GUIDE.contains(text),
        "neither the README nor docs/guide.md contains:\n{text}"
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
    quoted("(`prediction: 2.5`, `loss: 0.25`, `W1: 0.99` ... `B3: 0.49`, one per line)");
    assert_eq!(net.forward(&[1.0, 0.0]), [2.5]);
    let (loss, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);
    assert_eq!(loss, 0.25);
    net.sgd_step(&gradient, 0.01);
    assert_eq!(net.hidden.weights[0][0], 0.99);
}

/// The two sentences on the notebook name the nine values the example prints after its step, in
/// its order and its `{:?}` format (the example names them as the notebook does: `hidden.weights`
/// is `[[w1, w3], [w2, w4]]`).
#[test]
fn the_notebook_sentences_give_the_nine_values_after_the_step() {
    quoted(
        "trains a 2-2-1 ReLU net by hand for one SGD step (input `(1, 0)`,\ntarget 2, learning rate 0.01)",
    );
    let mut net = notebook();
    let (_, gradient) = net.gradient(&[1.0, 0.0], &[2.0]);
    net.sgd_step(&gradient, 0.01);
    let [[w1, w3], [w2, w4]] = net.hidden.weights;
    let [[w5, w6]] = net.output.weights;
    let [b1, b2] = net.hidden.bias;
    let [b3] = net.output.bias;
    let values: Vec<String> = [w1, w2, w3, w4, w5, w6, b1, b2, b3]
        .iter()
        .zip(["W1", "W2", "W3", "W4", "W5", "W6", "B1", "B2", "B3"])
        .map(|(value, name)| format!("{name} {value:?}"))
        .collect();
    let (_, sentence) = README
        .split_once("notebook printed: ")
        .expect("the sentence naming the nine values");
    let sentence = squeeze_lines(sentence);
    assert!(
        sentence.starts_with(&format!("{}.", values.join(", "))),
        "the README's nine values are not the step's: {}",
        values.join(", ")
    );
}

/// `text` with its line breaks as spaces.
fn squeeze_lines(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join(" ")
}

/// "`Notebook::FORWARD_FLOPS` is 15 and `GRADIENT_FLOPS` 31".
#[test]
fn the_costs_the_readme_gives_are_the_constants() {
    quoted("`Notebook::FORWARD_FLOPS` is 15 and `GRADIENT_FLOPS` 31");
    assert_eq!(
        (Notebook::FORWARD_FLOPS, Notebook::GRADIENT_FLOPS),
        (15, 31)
    );
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
    assert_eq!(
        names,
        [
            "std",
            "progress",
            "plot",
            "safetensors",
            "libm-activations",
            "tflite",
            "fixed"
        ]
    );
    let crate_readme = include_str!("../../backprop-core/README.md");
    for name in names {
        quoted(&format!("| `{name}` |"));
        assert!(
            crate_readme.contains(&format!("| `{name}` |")),
            "backprop-core's README lists `{name}`"
        );
    }
    // The crates are not published: the path form comes first, and every dependency line uses it.
    // A clone's runtime is at `backprop-core/` under the clone's root.
    let path = "backprop-core = { path = \"../backprop/backprop-core\" }";
    quoted(path);
    // The crate's own page (crates.io's) leads with a dependency that resolves today.
    assert!(
        crate_readme.find(path) < crate_readme.find("backprop-core = \"0.1\""),
        "backprop-core's README gives the path form first"
    );
    assert!(manifest.contains("name = \"backprop-core\""));
    let published = "`backprop-core = \"0.1\"`";
    quoted(published);
    assert!(
        README.find(path) < README.find(published),
        "the path form comes first"
    );
    quoted(
        "backprop-core = { path = \"../backprop/backprop-core\", features = [\"safetensors\"] }",
    );
    quoted("backprop-core = { path = \"../backprop/backprop-core\", default-features = false }");
    assert!(
        !README.contains("version = \"0.1\""),
        "a version requirement does not resolve yet"
    );
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

/// Every public item of a generated net (read off the checked-in expansions of the notebook and
/// of a net with `quantize: int8`) is named in the README and in the crate documentation's tour,
/// which links it to its rendered page in `example_generated`.
#[test]
fn the_readme_and_the_crate_docs_name_every_generated_item() {
    let expansion = [
        include_str!("../../backprop-codegen/tests/expansions/notebook.rs"),
        include_str!("../../backprop-codegen/tests/expansions/int8.rs"),
    ]
    .concat();
    let expansion = expansion.as_str();
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
    for int8_item in ["quantize", "forward_i8", "quantize_input"] {
        assert!(items.contains(&int8_item), "{items:?}");
    }
    for item in items {
        assert!(
            names(README, item) || names(GUIDE, item),
            "neither the README nor its guide names `{item}`"
        );
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

/// The helpers the README names around the net exist under those paths and do what it says.
#[test]
fn the_helpers_the_readme_names_are_the_crates() {
    use backprop_core::data::{Labelled, Standardiser};
    use backprop_core::metrics::{ConfusionMatrix, accuracy, argmax, predict};
    quoted(
        "`backprop_core::metrics` has `argmax`, `predict`, `accuracy` and a\n`ConfusionMatrix<C>`",
    );
    quoted("(`Labelled::parse_csv`), splits them with a seed per class (`stratified_split`)");
    let net = notebook();
    let inputs = [[1.0, 0.0], [0.0, 1.0]];
    assert_eq!(argmax(&net.forward(&inputs[0])), predict(&net, &inputs[0]));
    assert_eq!(accuracy(&net, &inputs, &[0, 0]), 1.0);
    let matrix = ConfusionMatrix::<1>::of(&net, &inputs, &[0, 0]);
    assert_eq!(matrix.counts, [[2]]);
    let set = Labelled::<2>::parse_csv("1,2,0\n3,4,1\n5,6,0\n7,8,1\n", 0).expect("CSV");
    let (mut train, test) = set.stratified_split(0.5, 1);
    assert_eq!((train.len(), test.len()), (2, 2));
    Standardiser::fit(&train.inputs).apply(&mut train.inputs);
    assert_eq!(train.inputs[0][0] + train.inputs[1][0], 0.0);
}

/// The fit snippet: `watch` over a tuple that holds a `LossCurve` records every epoch the fit ran,
/// and early stopping ends it (`Progress` and `write_svg` are tested in `backprop-core` under their
/// features, which CI turns on).
#[test]
fn the_fit_snippet_records_a_curve_through_watch() {
    use backprop_core::fit::{Fit, LossCurve, Watch, watch};
    use backprop_core::optim::Adam;
    /// Counts the epochs it hears, as `Progress` would show them.
    struct Count(usize);
    impl Watch for Count {
        fn epoch(&mut self, _: &backprop_core::fit::Epoch) -> backprop_core::fit::Control {
            self.0 += 1;
            backprop_core::fit::Control::Continue
        }
    }
    quoted("    watch((Progress::new(100), &mut curve)),");
    quoted("curve.write_svg(\"target/plots/loss.svg\", \"my net\", [\"train\", \"held out\"])?;");
    let inputs = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.5]];
    let targets = [[2.0], [1.0], [2.5], [1.5]];
    let (mut curve, mut count) = (LossCurve::new(), Count(0));
    let mut net = notebook();
    let summary = Fit::new(100).batch_size(2).seed(1).patience(10).run(
        &mut net,
        &mut Adam::new(0.01),
        (&inputs, &targets),
        Some((&inputs[..2], &targets[..2])),
        watch((&mut count, &mut curve)),
    );
    assert_eq!(curve.train().len(), summary.last.epoch);
    assert_eq!(count.0, summary.last.epoch);
    assert!(curve.has_validation());
    assert_eq!(
        curve.validation()[summary.best.epoch - 1].to_bits(),
        summary
            .best
            .validation_loss
            .map(f64::to_bits)
            .unwrap_or_default()
    );
}

/// The big-net snippet: the boxed constructors and `train_step_into` give the bits of the plain
/// ones and `train_step`.
#[test]
fn the_big_net_snippet_gives_the_plain_paths_bits() {
    use backprop_core::optim::Adam;
    quoted(
        "let mut net = Notebook::boxed_he_uniform(42);   // Box<Notebook>: the bits of he_uniform(42)",
    );
    quoted(
        "net.train_step_into(&input, &target, &mut adam, &mut gradient);     // train_step's bits",
    );
    let (input, target) = ([1.0, 0.0], [2.0]);
    let (inputs, targets) = ([[1.0, 0.0], [0.0, 1.0]], [[2.0], [1.0]]);
    let mut net = Notebook::boxed_he_uniform(42);
    let mut adam = Adam::boxed(0.01);
    let mut gradient = Notebook::boxed_zeroed();
    net.train_step_into(&input, &target, &mut adam, &mut gradient);
    net.train_batch(&inputs, &targets, &mut adam, &mut gradient);

    let mut plain = Notebook::he_uniform(42);
    let (mut plain_adam, mut plain_gradient) = (Adam::new(0.01), Notebook::zeroed());
    plain.train_step(&input, &target, &mut plain_adam);
    plain.train_batch(&inputs, &targets, &mut plain_adam, &mut plain_gradient);
    let bits = |net: &Notebook| net.to_array().map(f64::to_bits);
    assert_eq!(bits(&net), bits(&plain));
    assert_ne!(bits(&net), bits(&Notebook::he_uniform(42)));
}
