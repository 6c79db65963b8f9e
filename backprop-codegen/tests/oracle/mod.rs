//! The promises `network!` makes about any input, checked on one input at a time; shared by the
//! property tests (`tests/fuzz.rs`) and the cargo-fuzz target (`fuzz/`), which include this file.
//!
//! For any token stream, `backprop_codegen::network`
//! - does not panic, and neither do `parse` and `check` on their own;
//! - returns tokens that parse as a Rust file (code, or `compile_error!`s and a stub struct);
//! - returns exactly one `compile_error!` per error that `validate` (parse, recovering past
//!   syntax errors, then check) reports, and code with none when it reports none;
//! - puts every error on tokens of the input (its byte range and its line-column range lie within
//!   the input's), except "unexpected end of input" at the top level, which rustc shows at the
//!   macro call: there is no token to blame there.

use proc_macro2::{LineColumn, Span, TokenStream, TokenTree};
use std::ops::Range;

/// Where spans get their positions from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Positions {
    /// proc-macro2's source map (its `span-locations` feature): byte ranges and line-columns.
    SourceMap,
    /// Under `--cfg fuzzing` (cargo fuzz) proc-macro2 keeps no source map, so `byte_range` is
    /// always `0..0` and line-columns are `0:0`; but a span still holds its byte offsets and
    /// shows them as `bytes(lo..hi)`, so read them from there. No line-columns.
    Offsets,
}

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The text does not even lex as Rust tokens: rustc would reject it before the macro runs.
    NotTokens,
    /// A valid spec: expanded to code.
    Accepted,
    /// Rejected with this many errors, each at a token of the input.
    Rejected(usize),
}

/// Lexes `source` (so that every token has a real position) and checks every promise on it.
///
/// # Panics
/// When a promise is broken, with the input and what went wrong.
pub fn check_source(source: &str, positions: Positions) -> Verdict {
    let Ok(tokens) = source.parse::<TokenStream>() else {
        return Verdict::NotTokens;
    };
    check_tokens(source, &tokens, positions)
}

/// Checks every promise on `tokens`, lexed from `source`.
///
/// # Panics
/// When a promise is broken, with the input and what went wrong.
pub fn check_tokens(source: &str, tokens: &TokenStream, positions: Positions) -> Verdict {
    let output = backprop_codegen::network(tokens.clone());
    if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
        panic!("the output is not a Rust file ({error}) for input\n{source}\noutput\n{output}");
    }
    if let Ok(spec) = syn::parse2::<backprop_codegen::parse::Spec>(tokens.clone()) {
        let _ = backprop_codegen::check::check(&spec);
    }
    let errors: Vec<syn::Error> = match backprop_codegen::validate(tokens.clone()) {
        Ok(_) => Vec::new(),
        Err(error) => error.into_iter().collect(),
    };
    let compile_errors = count_compile_errors(output);
    assert_eq!(
        compile_errors,
        errors.len(),
        "the output holds {compile_errors} compile_error!s for {} errors, for input\n{source}",
        errors.len()
    );
    let extent = Extent::of(tokens, positions);
    for error in &errors {
        extent.assert_contains(error, source);
    }
    if errors.is_empty() {
        Verdict::Accepted
    } else {
        Verdict::Rejected(errors.len())
    }
}

/// The number of `compile_error!` invocations at the top level of the output.
fn count_compile_errors(output: TokenStream) -> usize {
    let tokens: Vec<TokenTree> = output.into_iter().collect();
    tokens
        .windows(2)
        .filter(|pair| {
            matches!(&pair[0], TokenTree::Ident(ident) if ident == "compile_error")
                && matches!(&pair[1], TokenTree::Punct(punct) if punct.as_char() == '!')
        })
        .count()
}

/// Where the input's tokens are, from the first one's start to the last one's end.
struct Extent {
    positions: Positions,
    /// Byte positions, `None` for an empty input.
    bytes: Option<Range<usize>>,
    /// Line-column positions of the first token's start and the last token's end.
    lines: Option<(LineColumn, LineColumn)>,
}

impl Extent {
    fn of(tokens: &TokenStream, positions: Positions) -> Self {
        let mut spans = Vec::new();
        collect_spans(tokens, &mut spans);
        let bytes = spans
            .iter()
            .map(|&span| bytes(span, positions))
            .reduce(|a, b| a.start.min(b.start)..a.end.max(b.end));
        let lines = spans
            .iter()
            .map(|span| (span.start(), span.end()))
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
        Extent {
            positions,
            bytes,
            lines,
        }
    }

    fn assert_contains(&self, error: &syn::Error, source: &str) {
        let span = error.span();
        let range = bytes(span, self.positions);
        if range == (0..0) {
            // The call site: only for input that ends where more is expected, at the top level.
            assert!(
                error.to_string().starts_with("unexpected end of input"),
                "`{error}` is at the macro call, not at a token, for input\n{source}"
            );
            return;
        }
        let inside = self
            .bytes
            .as_ref()
            .is_some_and(|input| input.start <= range.start && range.end <= input.end);
        assert!(
            inside,
            "`{error}` spans bytes {range:?}, outside the input's {:?}, for input\n{source}",
            self.bytes
        );
        if self.positions == Positions::SourceMap {
            let (first, last) = self.lines.expect("the input has tokens");
            let (start, end) = (span.start(), span.end());
            assert!(
                first <= start && end <= last && start <= end,
                "`{error}` spans {start:?}..{end:?}, outside the input's {first:?}..{last:?}, for input\n{source}"
            );
        }
    }
}

/// Every token's span, delimiters included, at every depth.
fn collect_spans(tokens: &TokenStream, spans: &mut Vec<Span>) {
    for token in tokens.clone() {
        match &token {
            TokenTree::Group(group) => {
                spans.push(group.span_open());
                spans.push(group.span_close());
                collect_spans(&group.stream(), spans);
            }
            _ => spans.push(token.span()),
        }
    }
}

/// A span's byte range; `0..0` is the call site.
fn bytes(span: Span, positions: Positions) -> Range<usize> {
    match positions {
        Positions::SourceMap => span.byte_range(),
        Positions::Offsets => {
            let text = format!("{span:?}");
            let inner = text
                .strip_prefix("bytes(")
                .and_then(|rest| rest.strip_suffix(')'))
                .unwrap_or_else(|| panic!("unexpected span format {text}"));
            let (lo, hi) = inner.split_once("..").expect("lo..hi");
            lo.parse().expect("lo")..hi.parse().expect("hi")
        }
    }
}
