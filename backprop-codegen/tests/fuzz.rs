//! Fuzzing `network!` on stable Rust: thousands of random and mutated token streams through
//! `backprop_codegen::network` (and `parse` + `check` on their own), each checked against the
//! promises in `oracle/mod.rs`: no panic, output that parses as a Rust file, one `compile_error!`
//! per error, every error on a token of the input.
//!
//! The mutated streams start from valid specs that use every part of the grammar, and delete,
//! duplicate, swap, insert and replace tokens, unwrap, wrap and re-delimit groups, at every nesting
//! depth. Each stream is printed and lexed again, so every token has a real position.
//!
//! `PROPTEST_CASES=100000 cargo test --release -p backprop-codegen --test fuzz` runs a longer
//! campaign; the cargo-fuzz target in `fuzz/` runs the same checks for hours on nightly.

mod oracle;

use oracle::{Positions, Verdict};
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Valid specs between them using every part of the grammar.
const SPECS: &[&str] = &[
    "/// The notebook's net.
     #[derive(Debug, Clone, PartialEq)]
     pub struct Notebook {
         scalar: f64,
         input: 2,
         hidden: dense(2, relu),
         output: dense(1, relu),
         loss: squared_error,
     }",
    "pub(crate) struct Classifier { scalar: f32, input: 4, hidden: dense(8, tanh), \
     output: dense(3, softmax), loss: cross_entropy }",
    "struct Zoo { input: 1, a: dense(1, identity), b: dense(1, leaky_relu(0.2)), c: dense(1, elu), \
     d: dense(1, sigmoid), e: dense(1, softplus), f: dense(1, silu), g: dense(1, gelu), \
     h: dense(1, user::Swish), i: dense(2, ::my::Activation), output: dense(2, softmax), loss: huber(0.5), }",
    "#[doc = \"Binary.\"] struct Binary { loss: binary_cross_entropy, output: dense(1, sigmoid), input: 3 }",
    "struct Regression { input: 5, r#type: dense(3, elu(0.5)), layer_2: dense(2, leaky_relu), \
     output: dense(1, identity), loss: mean_absolute_error }",
    "pub struct Wide { scalar: f64, input: 16, hidden: dense(16, gelu), output: dense(4, Swish), \
     loss: mean_squared_error }",
    "struct Huber { input: 1usize, output: dense(1usize, tanh), loss: huber }",
];

/// Tokens that mutations insert or put in place of others: the spec language's names, names
/// that are nearly right, keywords, every kind of literal, punctuation and groups.
const PIECES: &[&str] = &[
    "struct",
    "pub",
    "fn",
    "Self",
    "self",
    "crate",
    "gen",
    "_",
    "r#type",
    "r#input",
    "r#gen",
    "scalar",
    "input",
    "loss",
    "form",
    "dense",
    "dens",
    "relu",
    "rleu",
    "softmax",
    "sigmoid",
    "leaky_relu",
    "elu",
    "huber",
    "cross_entropy",
    "binary_cross_entropy",
    "squared_eror",
    "f32",
    "f64",
    "f16",
    "Net",
    "net",
    "my_net",
    "Swish",
    "my",
    "Hidden",
    "_hidden",
    "unrolled",
    "looped",
    "0",
    "1",
    "2",
    "7",
    "4096",
    "100000",
    "18446744073709551615",
    "18446744073709551616",
    "0.0",
    "0.5",
    "-",
    "1e400",
    "1e39",
    "1e-320",
    "2u8",
    "2usize",
    "2.0f32",
    "0x10",
    "0b1",
    "1_000",
    "\"relu\"",
    "'c'",
    "b\"x\"",
    "1.",
    ":",
    "::",
    ",",
    ";",
    "#",
    "!",
    "=",
    ".",
    "<",
    ">",
    "&",
    "'a",
    "()",
    "[]",
    "{}",
    "(2, relu)",
    "(0.1)",
    "(1, 2, 3)",
    "[doc]",
    "{ input: 2 }",
];

/// One token tree as mutable data.
#[derive(Clone, Debug)]
enum Node {
    Leaf(TokenTree),
    Group(Delimiter, Vec<Node>),
}

fn nodes(stream: TokenStream) -> Vec<Node> {
    stream
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => Node::Group(group.delimiter(), nodes(group.stream())),
            leaf => Node::Leaf(leaf),
        })
        .collect()
}

fn stream(nodes: &[Node]) -> TokenStream {
    nodes
        .iter()
        .map(|node| match node {
            Node::Leaf(token) => token.clone(),
            Node::Group(delimiter, inner) => {
                TokenTree::Group(Group::new(*delimiter, stream(inner)))
            }
        })
        .collect()
}

fn parsed(text: &str) -> Vec<Node> {
    nodes(text.parse().expect("the piece lexes"))
}

const DELIMITERS: [Delimiter; 4] = [
    Delimiter::Parenthesis,
    Delimiter::Brace,
    Delimiter::Bracket,
    Delimiter::None,
];

/// One edit of one token sequence: the top level or a group's contents.
#[derive(Clone, Debug)]
enum Edit {
    Delete,
    Duplicate,
    SwapWithNext,
    Insert(usize),
    Replace(usize),
    Unwrap,
    Wrap(usize),
    Redelimit(usize),
    MoveToEnd,
}

/// Which sequence (in depth-first order, counted modulo their number), which position in it
/// (modulo its length), and what to do there.
#[derive(Clone, Debug)]
struct Mutation {
    sequence: usize,
    position: usize,
    edit: Edit,
}

fn edit() -> impl Strategy<Value = Edit> {
    let piece = 0..PIECES.len();
    prop_oneof![
        3 => Just(Edit::Delete),
        2 => Just(Edit::Duplicate),
        2 => Just(Edit::SwapWithNext),
        3 => piece.clone().prop_map(Edit::Insert),
        3 => piece.prop_map(Edit::Replace),
        1 => Just(Edit::Unwrap),
        1 => (0..DELIMITERS.len()).prop_map(Edit::Wrap),
        1 => (0..DELIMITERS.len()).prop_map(Edit::Redelimit),
        1 => Just(Edit::MoveToEnd),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (any::<usize>(), any::<usize>(), edit()).prop_map(|(sequence, position, edit)| Mutation {
        sequence,
        position,
        edit,
    })
}

/// The number of sequences: the top level and every group's contents.
fn sequences(nodes: &[Node]) -> usize {
    1 + nodes
        .iter()
        .map(|node| match node {
            Node::Group(_, inner) => sequences(inner),
            Node::Leaf(_) => 0,
        })
        .sum::<usize>()
}

fn apply(nodes: &mut Vec<Node>, mutation: &Mutation) {
    let target = mutation.sequence % sequences(nodes);
    apply_at(nodes, target, mutation);
}

/// The length of sequence number `target` (depth first).
fn sequence_length(nodes: &[Node], target: usize) -> Option<usize> {
    if target == 0 {
        return Some(nodes.len());
    }
    let mut remaining = target - 1;
    for node in nodes {
        if let Node::Group(_, inner) = node {
            let count = sequences(inner);
            if remaining < count {
                return sequence_length(inner, remaining);
            }
            remaining -= count;
        }
    }
    None
}

/// Applies the edit to sequence number `target` (depth first); returns how many sequences this
/// subtree holds, so the caller can count down past it.
fn apply_at(nodes: &mut Vec<Node>, target: usize, mutation: &Mutation) -> usize {
    if target == 0 {
        edit_sequence(nodes, mutation.position, &mutation.edit);
        return 0;
    }
    let mut remaining = target - 1;
    for node in nodes.iter_mut() {
        if let Node::Group(_, inner) = node {
            let count = sequences(inner);
            if remaining < count {
                apply_at(inner, remaining, mutation);
                return 0;
            }
            remaining -= count;
        }
    }
    remaining
}

fn edit_sequence(nodes: &mut Vec<Node>, position: usize, edit: &Edit) {
    let length = nodes.len();
    if length == 0 {
        if let Edit::Insert(piece) | Edit::Replace(piece) = edit {
            nodes.extend(parsed(PIECES[*piece]));
        }
        return;
    }
    let at = position % length;
    match edit {
        Edit::Delete => {
            nodes.remove(at);
        }
        Edit::Duplicate => {
            let copy = nodes[at].clone();
            nodes.insert(at, copy);
        }
        Edit::SwapWithNext => nodes.swap(at, (at + 1) % length),
        Edit::Insert(piece) => {
            let tail = nodes.split_off(position % (length + 1));
            nodes.extend(parsed(PIECES[*piece]));
            nodes.extend(tail);
        }
        Edit::Replace(piece) => {
            let tail = nodes.split_off(at + 1);
            nodes.pop();
            nodes.extend(parsed(PIECES[*piece]));
            nodes.extend(tail);
        }
        Edit::Unwrap => {
            if let Node::Group(_, inner) = nodes[at].clone() {
                let tail = nodes.split_off(at + 1);
                nodes.pop();
                nodes.extend(inner);
                nodes.extend(tail);
            }
        }
        Edit::Wrap(delimiter) => {
            let end = (at + 1 + position / length % 3).min(length);
            let inner: Vec<Node> = nodes.drain(at..end).collect();
            nodes.insert(at, Node::Group(DELIMITERS[*delimiter], inner));
        }
        Edit::Redelimit(delimiter) => {
            if let Node::Group(old, _) = &mut nodes[at] {
                *old = DELIMITERS[*delimiter];
            }
        }
        Edit::MoveToEnd => {
            let node = nodes.remove(at);
            nodes.push(node);
        }
    }
}

/// A random token tree from the pieces, up to three groups deep.
fn random_nodes() -> impl Strategy<Value = Vec<Node>> {
    let leaf = (0..PIECES.len()).prop_map(|piece| parsed(PIECES[piece]));
    let tree = leaf.prop_recursive(3, 48, 8, |inner| {
        (0..DELIMITERS.len(), prop::collection::vec(inner, 0..8)).prop_map(
            |(delimiter, children)| {
                vec![Node::Group(
                    DELIMITERS[delimiter],
                    children.into_iter().flatten().collect(),
                )]
            },
        )
    });
    prop::collection::vec(tree, 0..24).prop_map(|trees| trees.into_iter().flatten().collect())
}

/// Prints the tokens and lexes them again, so that each has a position in a source text.
fn run(nodes: &[Node]) -> Verdict {
    let source = stream(nodes).to_string();
    oracle::check_source(&source, Positions::SourceMap)
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(1000);
    let mut config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    // The same cases on every run, unless `PROPTEST_RNG_SEED` asks for others.
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x6261_636B_7072_6F70);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    /// A valid spec with one to eight edits, anywhere in it.
    #[test]
    fn mutated_specs(spec in 0..SPECS.len(), mutations in prop::collection::vec(mutation(), 1..8)) {
        let mut nodes = parsed(SPECS[spec]);
        for mutation in &mutations {
            apply(&mut nodes, mutation);
        }
        run(&nodes);
    }

    /// Random tokens inside a spec's braces, so they reach the entries' parser and `check`.
    #[test]
    fn random_entries(header in 0..SPECS.len(), entries in random_nodes()) {
        let mut nodes = parsed(SPECS[header]);
        if let Some(Node::Group(Delimiter::Brace, inner)) = nodes.last_mut() {
            *inner = entries;
        }
        run(&nodes);
    }

    /// Random tokens with no spec around them at all.
    #[test]
    fn random_streams(nodes in random_nodes()) {
        run(&nodes);
    }
}

/// Every spec is valid before mutation, and every piece lexes on its own.
#[test]
fn the_seeds_are_valid() {
    for spec in SPECS {
        assert_eq!(
            oracle::check_source(spec, Positions::SourceMap),
            Verdict::Accepted,
            "{spec}"
        );
    }
    for piece in PIECES {
        parsed(piece);
    }
}

/// Deterministic and exhaustive: each spec with any one token duplicated, any two neighbours
/// swapped, or any one token replaced by a piece, at every depth. (Deleting any one token is
/// `tests/check.rs`'s.)
#[test]
fn every_single_edit_of_every_spec() {
    let mut verdicts = [0usize; 3];
    for spec in SPECS {
        let nodes = parsed(spec);
        for sequence in 0..sequences(&nodes) {
            let length = sequence_length(&nodes, sequence).expect("a sequence");
            for position in 0..length {
                let mut edits = vec![Edit::Duplicate, Edit::SwapWithNext];
                // One piece in place of each token, the pieces taken in turn.
                edits.push(Edit::Replace((sequence * 7 + position) % PIECES.len()));
                for edit in edits {
                    let mut edited = nodes.clone();
                    apply(
                        &mut edited,
                        &Mutation {
                            sequence,
                            position,
                            edit,
                        },
                    );
                    let source = stream(&edited).to_string();
                    // The positions the cargo-fuzz target reads, on these inputs; the source map's
                    // everywhere else.
                    match oracle::check_source(&source, Positions::Offsets) {
                        Verdict::NotTokens => verdicts[0] += 1,
                        Verdict::Accepted => verdicts[1] += 1,
                        Verdict::Rejected(_) => verdicts[2] += 1,
                    }
                }
            }
        }
    }
    assert!(verdicts[2] > 300, "{verdicts:?}");
}
