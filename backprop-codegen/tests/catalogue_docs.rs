//! One truth about each built-in: the lists of activations and losses in the README, its guide
//! (`docs/guide.md`) and the crate docs of `backprop-core` (which activations make `forward` a `const fn`, which a Q16.16 net
//! takes, which losses are means) are read here and compared with the catalogue the macro
//! compiles from (`src/builtins/`). A built-in added, renamed or changed fails here until both
//! documents say so.

use backprop_codegen::builtins::{ACTIVATIONS, LOSSES, const_activations};
use std::collections::BTreeSet;

const README: &str = include_str!("../../README.md");
/// The README in full: the item table and the integer forms.
const GUIDE: &str = include_str!("../../docs/guide.md");
const CRATE_DOCS: &str = include_str!("../../backprop-core/src/lib.rs");
const ERRORS: &str = include_str!("../../docs/errors.md");

/// The crate docs' text: the `//!` lines without their markers, so that a list wraps as it reads.
fn crate_docs() -> String {
    CRATE_DOCS
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("//!"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text from the end of `start` to the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let (_, rest) = text
        .split_once(start)
        .unwrap_or_else(|| panic!("no `{start}` in the text"));
    rest.split_once(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"))
        .0
}

/// The names in backticks in `text`, a parameter list cut off (`leaky_relu(alpha)` is
/// `leaky_relu`): only spans that read as a name, not formulas such as `min(max(z, 0), 6)`.
fn names(text: &str) -> BTreeSet<&str> {
    let is_name = |name: &str| {
        name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|span| {
            let (name, parameter) = match span.split_once('(') {
                Some((name, rest)) => (name, rest.strip_suffix(')')?),
                None => (span, ""),
            };
            (is_name(name) && (parameter.is_empty() || is_name(parameter))).then_some(name)
        })
        .collect()
}

fn activations() -> BTreeSet<&'static str> {
    ACTIVATIONS.iter().map(|row| row.name).collect()
}

fn losses() -> BTreeSet<&'static str> {
    LOSSES.iter().map(|row| row.name).collect()
}

/// The losses named in `text`, the output activations they mention left out.
fn losses_in(text: &str) -> BTreeSet<&str> {
    let activations = activations();
    names(text)
        .into_iter()
        .filter(|name| !activations.contains(name))
        .collect()
}

#[test]
fn the_activation_lists_are_the_catalogue() {
    let docs = crate_docs();
    let lists = [
        ("README", between(README, "Activations: ", "\n\n")),
        ("crate docs", between(&docs, "- Activations: ", "\n- ")),
    ];
    for (document, list) in lists {
        assert_eq!(
            names(list),
            activations(),
            "the activations of the {document}"
        );
    }
}

#[test]
fn the_loss_lists_are_the_catalogue_and_say_which_are_means() {
    let docs = crate_docs();
    let lists = [
        ("README", between(README, "Losses: ", "\n\n")),
        (
            "crate docs",
            between(&docs, "- Losses: ", "Written `loss: name`"),
        ),
    ];
    for (document, list) in lists {
        assert_eq!(losses_in(list), losses(), "the losses of the {document}");
        for row in LOSSES {
            // The parenthesis after the loss's name says whether it sums or averages the outputs.
            let after = list
                .split_once(&format!("`{}", row.name))
                .map(|(_, rest)| rest)
                .unwrap_or_default();
            let note = after
                .split_once(" (")
                .map(|(_, rest)| balanced(rest))
                .unwrap_or_default();
            let (mean, sum) = (note.contains("mean"), note.contains("sum"));
            assert!(
                (mean, sum) == (row.mean, !row.mean),
                "the {document} says of `{}` neither or both of sum and mean, or the wrong one: ({note})",
                row.name
            );
        }
    }
}

/// `text` up to the parenthesis that closes one opened just before it.
fn balanced(text: &str) -> &str {
    let mut depth = 0_usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return &text[..at],
            ')' => depth -= 1,
            _ => {}
        }
    }
    text
}

#[test]
fn the_const_fn_activations_are_the_catalogue() {
    let docs = crate_docs();
    let wanted: BTreeSet<&str> = const_activations().into_iter().collect();
    let lists = [
        ("guide", between(GUIDE, "and every activation is", " |")),
        (
            "crate docs",
            between(&docs, "and every activation is", " |"),
        ),
    ];
    for (document, list) in lists {
        assert_eq!(
            names(list),
            wanted,
            "the const fn activations of the {document}"
        );
    }
}

#[test]
fn the_q16_16_lists_are_the_catalogue() {
    let docs = crate_docs();
    let activations: BTreeSet<&str> = ACTIVATIONS
        .iter()
        .filter(|row| row.fixed)
        .map(|row| row.name)
        .collect();
    let losses: BTreeSet<&str> = LOSSES
        .iter()
        .filter(|row| row.fixed)
        .map(|row| row.name)
        .collect();
    for (document, text) in [("guide", GUIDE), ("crate docs", docs.as_str())] {
        let text = text.replace('\n', " ");
        let listed = between(&text, "its activations are ", ", and its losses");
        assert_eq!(
            names(listed),
            activations,
            "the Q16.16 activations of the {document}"
        );
        let listed = between(&text, ", and its losses ", ";");
        let listed = listed.split_once('.').map_or(listed, |(first, _)| first);
        assert_eq!(names(listed), losses, "the Q16.16 losses of the {document}");
    }
}

/// The cross-entropy rule of `docs/errors.md` sorts every activation: each is either accepted
/// by a cross-entropy (the rows computed from the logits) or in the list of those rejected.
#[test]
fn the_cross_entropy_rule_sorts_every_activation() {
    let table = between(
        ERRORS,
        "| loss | output activation accepted | computed |",
        "\n\n",
    );
    let accepted: BTreeSet<&str> = table
        .lines()
        .filter(|row| row.contains("| from the logits"))
        .filter_map(|row| row.split('|').nth(2))
        .flat_map(names)
        .collect();
    let rejected = names(between(table, "| either | anything else (", ") |"));
    assert_eq!(accepted, BTreeSet::from(["sigmoid", "softmax"]));
    assert!(
        accepted.is_disjoint(&rejected),
        "{accepted:?} and {rejected:?}"
    );
    assert_eq!(
        &accepted | &rejected,
        activations(),
        "every activation is accepted or rejected"
    );
}
