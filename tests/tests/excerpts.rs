//! The excerpts of generated code and derivations that the README and `docs/signals.md` quote,
//! each checked against what it quotes: a code excerpt against the checked-in expansion (the
//! snapshot `backprop-codegen/tests/expansions.rs` keeps current) it names, a derivation line
//! against the `DERIVATION` the net prints.

use backprop_core::network;

/// The README, as checked in.
const README: &str = include_str!("../../README.md");

/// The page the README sends the signal nets' derivations to.
const SIGNALS: &str = include_str!("../../docs/signals.md");

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

/// The blocks of `text` that follow `opening` up to the closing fence: its text blocks, say.
fn blocks<'a>(text: &'a str, opening: &str) -> Vec<&'a str> {
    text.split(opening)
        .skip(1)
        .filter_map(|rest| rest.split("\n```").next())
        .collect()
}

/// The code block of `text` that contains `marker`.
fn code_block<'a>(text: &'a str, marker: &str) -> &'a str {
    blocks(text, "```rust\n")
        .into_iter()
        .find(|block| block.contains(marker))
        .unwrap_or_else(|| panic!("no code block holds `{marker}`"))
}

/// `text` without whitespace or the trailing comma of a list laid out one item a line, and with
/// the full paths the expansion writes (and an excerpt shortens for reading) cut to their last
/// segment, so a line compares however it is laid out.
fn normalised(text: &str) -> String {
    let squeezed: String = text.split_whitespace().collect();
    ["::core::primitive::", "::backprop_core::store::"]
        .iter()
        .fold(squeezed.replace(",)", ")"), |text, path| {
            text.replace(path, "")
        })
}

/// Asserts that every line of `excerpt` that is not a comment or an elision stands in
/// `snapshot`, and returns how many lines were compared.
fn assert_excerpt_in(excerpt: &str, snapshot: &str, name: &str) -> usize {
    let snapshot = normalised(snapshot);
    let lines: Vec<&str> = excerpt
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .collect();
    for line in &lines {
        assert!(
            snapshot.contains(&normalised(line)),
            "not in {name}: {line}"
        );
    }
    lines.len()
}

/// "What it expands to": the `store_gradient` the README quotes is the notebook's, line for line.
#[test]
fn the_readme_store_gradient_excerpt_is_in_the_notebook_expansion() {
    let snapshot = include_str!("../../backprop-codegen/tests/expansions/notebook.rs");
    assert!(README.contains("(backprop-codegen/tests/expansions/notebook.rs)"));
    let excerpt = code_block(README, "fn store_gradient<");
    let compared = assert_excerpt_in(excerpt, snapshot, "notebook.rs");
    assert!(compared >= 15, "only {compared} lines compared");
}

/// The looped code excerpt of `docs/signals.md` stands in the checked-in expansion it names.
#[test]
fn the_looped_signal_excerpt_is_in_the_expansion() {
    let snapshot = include_str!("../../backprop-codegen/tests/expansions/signals_looped.rs");
    assert!(SIGNALS.contains("(../backprop-codegen/tests/expansions/signals_looped.rs)"));
    let excerpt = code_block(SIGNALS, "self.c1.forward::<100, 50>(input)");
    let compared = assert_excerpt_in(excerpt, snapshot, "signals_looped.rs");
    assert!(compared >= 6, "only {compared} lines compared");
}

/// The signal nets of the README are the examples' own, and the derivation the README and
/// `docs/signals.md` quote is theirs, line for line, as `DERIVATION` prints it.
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
                assert!(README.contains(spec_line), "the README lacks `{spec_line}`");
            }
        }
    }
    let derivations = [BasicMotions::DERIVATION, JapaneseVowels::DERIVATION];
    let mut checked = 0;
    let quoted = [README, SIGNALS].map(|page| blocks(page, "```text\n"));
    for block in quoted.iter().flatten() {
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
                "a quoted derivation line is not printed by the nets: {line}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 14, "only {checked} lines checked");
}
