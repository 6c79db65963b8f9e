//! Parsing past syntax errors: a syntax error inside one entry is recorded, parsing resumes at
//! the next `,` at the same depth, and the entry is replaced by a placeholder, so one compile
//! reports every mistake.

use super::{Entry, Header, Spec, Value, expected, key};
use proc_macro2::{TokenStream, TokenTree};
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token, braced, token};

/// A spec parsed past its syntax errors: a syntax error inside one entry is recorded, parsing
/// resumes at the next `,` at the same depth, and the entry is replaced by a neutral placeholder
/// (see `placeholder`), so [`crate::check`] still runs on every other entry and one compile reports
/// every mistake.
pub struct Recovered {
    /// The entries that parsed, and a placeholder for each that did not but whose key did.
    pub spec: Spec,
    /// The syntax errors, in order.
    pub errors: Vec<syn::Error>,
    /// Whether the spec may be checked: false when an entry's key itself did not parse, since
    /// then an entry whose meaning is unknown is missing and checking would report it as absent.
    pub checkable: bool,
}

impl Parse for Recovered {
    /// Fails only when the header or the braces do not parse.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let Header {
            attrs,
            vis,
            struct_token,
            name,
        } = Header::parse_leading(input)?;
        if !input.peek(token::Brace) {
            return Err(expected(
                input,
                &format!("`{{` after `{name}`, as in `struct {name} {{ input: 2, ... }}`"),
            ));
        }
        let content;
        let brace = braced!(content in input);
        let mut recovery = Recovery::default();
        let entries = recovery.entries(&content)?;
        if !input.is_empty() {
            recovery.errors.push(input.error(
                "unexpected tokens after the network's closing brace: `network!` declares one struct",
            ));
            input.parse::<TokenStream>()?;
        }
        Ok(Recovered {
            spec: Spec {
                attrs,
                vis,
                struct_token,
                name,
                brace,
                entries,
            },
            errors: recovery.errors,
            checkable: recovery.checkable,
        })
    }
}

impl Recovered {
    /// The syntax errors combined into one, if there are any.
    pub fn error(&self) -> Option<syn::Error> {
        let mut errors = self.errors.iter().cloned();
        let mut combined = errors.next()?;
        combined.extend(errors);
        Some(combined)
    }
}

/// The state of parsing the entries past their errors.
struct Recovery {
    /// The syntax errors so far.
    errors: Vec<syn::Error>,
    /// False once an entry was lost whole, key and all.
    checkable: bool,
}

impl Default for Recovery {
    fn default() -> Self {
        Recovery {
            errors: Vec::new(),
            checkable: true,
        }
    }
}

impl Recovery {
    /// The entries, separated by commas. Each is parsed on a fork, so a failed one leaves `input`
    /// at its start, from where [`skip_entry`] moves to the next comma. After a missing comma the
    /// next entry is still read; when it fails and does not even start like an entry (`name:`),
    /// its tokens are taken for the rest of the mistake just reported, not reported again.
    fn entries(&mut self, input: ParseStream) -> syn::Result<Punctuated<Entry, Token![,]>> {
        let mut entries = Punctuated::new();
        let mut after_missing_comma = false;
        while !input.is_empty() {
            let fork = input.fork();
            match Entry::parse(&fork) {
                Ok(entry) => {
                    input.advance_to(&fork);
                    entries.push_value(entry);
                }
                Err(_) if after_missing_comma && !starts_entry(input) => skip_entry(input)?,
                Err(error) => {
                    self.errors.push(error);
                    let key = key(&input.fork()).ok();
                    self.checkable &= key.is_some();
                    skip_entry(input)?;
                    entries.extend(key.map(placeholder));
                }
            }
            after_missing_comma = false;
            if input.is_empty() {
                break;
            }
            let comma = if let Ok(comma) = input.parse::<Token![,]>() {
                comma
            } else {
                self.errors.push(expected(input, "`,` between entries"));
                after_missing_comma = true;
                Token![,](input.span())
            };
            // A lost entry leaves nothing to separate.
            if !entries.empty_or_trailing() {
                entries.push_punct(comma);
            }
        }
        Ok(entries)
    }
}

/// Whether the input starts like an entry: a key, then a colon.
fn starts_entry(input: ParseStream) -> bool {
    let fork = input.fork();
    key(&fork).is_ok() && fork.peek(Token![:])
}

/// Moves past the tokens of an entry that did not parse, up to the next `,` at the same depth
/// (a group is one token tree, so commas inside parentheses do not count).
fn skip_entry(input: ParseStream) -> syn::Result<()> {
    input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((token, next)) = rest.token_tree() {
            if matches!(&token, TokenTree::Punct(punct) if punct.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    })
}

/// What stands in for an entry that did not parse: [`Value::Recovered`], which [`crate::check`]
/// reads as a value it knows nothing of and reports nothing about, so that the entry is neither
/// reported missing nor blamed for a mistake it may not have. The spec it belongs to is never
/// expanded: its syntax error is reported instead.
fn placeholder(key: Ident) -> Entry {
    let span = key.span();
    Entry {
        key,
        colon: Token![:](span),
        value: Value::Recovered(span),
    }
}
