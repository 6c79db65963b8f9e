//! Stage 1: the spec exactly as written, every node keeping its tokens (and so its span).
//!
//! Parsing only knows the shape of the language (`key: value` entries whose values are numbers or
//! paths with optional arguments); what the keys and names mean is [`crate::check`]'s job, so that
//! a misspelt name becomes a pointed error with a hint rather than a generic "expected ...".

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::ext::IdentExt;
use syn::parse::discouraged::Speculative;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Ident, Lit, LitFloat, LitInt, LitStr, Path, Token, Visibility, braced,
    parenthesized, token,
};

/// The whole `network! { ... }` invocation.
pub struct Spec {
    /// Doc comments and attributes on the struct, passed through unchanged.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility, the user's choice.
    pub vis: Visibility,
    /// The `struct` keyword.
    pub struct_token: Token![struct],
    /// The name of the generated struct.
    pub name: Ident,
    /// The braces around the entries.
    pub brace: token::Brace,
    /// The `key: value` entries, in order.
    pub entries: Punctuated<Entry, Token![,]>,
}

/// One `key: value` entry: a setting (`input: 2`) or a layer (`hidden: dense(2, relu)`).
pub struct Entry {
    /// The key or layer name.
    pub key: Ident,
    /// The colon.
    pub colon: Token![:],
    /// What follows the colon.
    pub value: Value,
}

/// The value of an entry or an argument: a number, or a name with optional arguments.
pub enum Value {
    /// `2`, `0.01`, `-0.5`.
    Number(Number),
    /// `relu`, `leaky_relu(0.1)`, `dense(2, relu)`, `my::Swish`.
    Call(Call),
}

/// A numeric literal with an optional leading minus sign.
pub struct Number {
    /// The `-`, if the number is negative.
    pub minus: Option<Token![-]>,
    /// The literal itself: an integer or a float (anything else is rejected by [`Parse`]).
    pub lit: Lit,
}

/// A path with optional parenthesised arguments: `relu`, `huber(1.0)`, `dense(4, tanh)`.
pub struct Call {
    /// The name, or a path for a user-defined activation.
    pub path: Path,
    /// The arguments, when parentheses follow the path.
    pub args: Option<Arguments>,
}

/// Parenthesised, comma-separated arguments.
pub struct Arguments {
    /// The parentheses, whose span points at the argument list as a whole.
    pub paren: token::Paren,
    /// The arguments.
    pub values: Punctuated<Value, Token![,]>,
}

/// What comes before the braces: enough to declare a stub struct when the rest does not parse.
pub struct Header {
    /// Doc comments and attributes on the struct.
    pub attrs: Vec<Attribute>,
    /// The struct's visibility.
    pub vis: Visibility,
    /// The `struct` keyword.
    pub struct_token: Token![struct],
    /// The name of the struct.
    pub name: Ident,
}

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

impl Parse for Spec {
    /// The spec, or every syntax error in it, combined.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let recovered = Recovered::parse(input)?;
        match recovered.error() {
            Some(error) => Err(error),
            None => Ok(recovered.spec),
        }
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

/// What stands in for an entry that did not parse: a value [`crate::check`] accepts silently, so
/// that the entry is neither reported missing nor blamed for a mistake it may not have (`input:
/// 1`, `loss: squared_error`, `scalar: f64`, `form: looped`, or for a layer `dense(1,
/// Recovered)`, a user activation that no rule questions). The spec it belongs to is never
/// expanded: its syntax error is reported instead.
fn placeholder(key: Ident) -> Entry {
    let span = key.span();
    let name = |name: &str| {
        Value::Call(Call {
            path: Ident::new(name, span).into(),
            args: None,
        })
    };
    let one = || {
        Value::Number(Number {
            minus: None,
            lit: Lit::Int(LitInt::new("1", span)),
        })
    };
    let value = match key.to_string().as_str() {
        "input" => one(),
        "loss" => name(crate::builtins::PLACEHOLDER_LOSS),
        "scalar" => name("f64"),
        "form" => name("looped"),
        _ => Value::Call(Call {
            path: Ident::new("dense", span).into(),
            args: Some(Arguments {
                paren: token::Paren(span),
                values: [one(), name("Recovered")].into_iter().collect(),
            }),
        }),
    };
    Entry {
        key,
        colon: Token![:](span),
        value,
    }
}

impl Parse for Header {
    /// The header, ignoring whatever follows it.
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let header = Header::parse_leading(input)?;
        input.parse::<TokenStream>()?;
        Ok(header)
    }
}

impl Header {
    /// Attributes, visibility, `struct` and the name, leaving the rest of the input.
    fn parse_leading(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        if !input.peek(Token![struct]) {
            return Err(expected(
                input,
                "`struct`, as in `struct Net { input: 2, ... }`",
            ));
        }
        let struct_token = input.parse()?;
        if !input.peek(Ident) {
            if input.peek(Ident::peek_any) {
                let keyword = input.call(Ident::parse_any)?;
                return Err(syn::Error::new(
                    keyword.span(),
                    format!(
                        "`{keyword}` is a Rust keyword, not a name for the network: name it, as in `struct Net {{ ... }}`"
                    ),
                ));
            }
            return Err(expected(
                input,
                "the network's name after `struct`, as in `struct Net { ... }`",
            ));
        }
        Ok(Header {
            attrs,
            vis,
            struct_token,
            name: input.parse()?,
        })
    }

    /// The header of a spec that parsed.
    pub fn of(spec: &Spec) -> Self {
        Header {
            attrs: spec.attrs.clone(),
            vis: spec.vis.clone(),
            struct_token: spec.struct_token,
            name: spec.name.clone(),
        }
    }

    /// A spec with this header and no entries, for the stub struct emitted on error. It allows
    /// `non_camel_case_types`, which [`crate::check`] already reports as an error, so that mistake
    /// is not reported twice.
    pub fn stub(self) -> Spec {
        let mut attrs = self.attrs;
        attrs.push(syn::parse_quote!(#[allow(non_camel_case_types)]));
        Spec {
            attrs,
            vis: self.vis,
            struct_token: self.struct_token,
            name: self.name,
            brace: token::Brace::default(),
            entries: Punctuated::new(),
        }
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = key(input)?;
        if !input.peek(Token![:]) {
            return Err(expected(input, &format!("`:` after `{key}`")));
        }
        Ok(Entry {
            key,
            colon: input.parse()?,
            value: input.parse()?,
        })
    }
}

/// An entry's key is an identifier, and not a Rust keyword, since a layer's name becomes a field.
/// `gen` counts as one: syn takes it for an identifier, but it is reserved since Rust 2024, where a
/// field named `gen` would fail to compile inside the expansion.
fn key(input: ParseStream) -> syn::Result<Ident> {
    if input.peek(Ident) {
        let key: Ident = input.parse()?;
        if key == "gen" {
            return Err(syn::Error::new(
                key.span(),
                "`gen` is a reserved keyword since Rust 2024: a layer name becomes a field, choose another or write `r#gen`",
            ));
        }
        return Ok(key);
    }
    if input.peek(Ident::peek_any) {
        let keyword = input.call(Ident::parse_any)?;
        return Err(syn::Error::new(
            keyword.span(),
            format!("`{keyword}` is a Rust keyword: a layer name becomes a field, choose another"),
        ));
    }
    Err(expected(
        input,
        &format!(
            "a setting or a layer name, as in `input: 2` or `hidden: dense(4, {})`",
            crate::builtins::EXAMPLE_ACTIVATION
        ),
    ))
}

impl Parse for Value {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            let string: LitStr = input.parse()?;
            return Err(syn::Error::new(
                string.span(),
                format!("names are written without quotes: `{}`", string.value()),
            ));
        }
        if input.peek(Token![-]) || input.peek(LitInt) || input.peek(LitFloat) {
            input.parse().map(Value::Number)
        } else if input.peek(Ident) || input.peek(Token![::]) {
            input.parse().map(Value::Call)
        } else {
            Err(expected(input, "a number or a name"))
        }
    }
}

impl Parse for Number {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let minus: Option<Token![-]> = input.parse()?;
        if !input.peek(LitInt) && !input.peek(LitFloat) {
            let what = if minus.is_some() {
                "a number after `-`"
            } else {
                "a number"
            };
            return Err(expected(input, what));
        }
        Ok(Number {
            minus,
            lit: input.parse()?,
        })
    }
}

impl Parse for Call {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = input.call(Path::parse_mod_style)?;
        let args = if input.peek(token::Paren) {
            let content;
            let paren = parenthesized!(content in input);
            Some(Arguments {
                paren,
                values: comma_separated(&content, |input| argument(input, &path), "arguments")?,
            })
        } else {
            None
        };
        Ok(Call { path, args })
    }
}

/// An argument of a call is a value: parameters are positional, so `name = value`, the habit of
/// other libraries, is reported with the call written as it should be.
fn argument(input: ParseStream, function: &Path) -> syn::Result<Value> {
    if !(input.peek(Ident) && input.peek2(Token![=])) {
        return Value::parse(input);
    }
    let name: Ident = input.parse()?;
    let _: Token![=] = input.parse()?;
    let value: Value = input.parse()?;
    let value = match &value {
        Value::Number(number) => format!(
            "{}{}",
            if number.minus.is_some() { "-" } else { "" },
            number.lit.to_token_stream()
        ),
        Value::Call(call) => crate::model::path_text(&call.path),
    };
    Err(syn::Error::new(
        name.span(),
        format!(
            "parameters are positional: write `{}({value})`, without `{name} =`",
            crate::model::path_text(function)
        ),
    ))
}

/// Items are separated by commas, with an optional trailing one; a missing comma is reported at
/// the token where it was expected, naming what the commas separate.
fn comma_separated<T>(
    input: ParseStream,
    item: impl Fn(ParseStream) -> syn::Result<T>,
    between: &str,
) -> syn::Result<Punctuated<T, Token![,]>> {
    let mut items = Punctuated::new();
    while !input.is_empty() {
        items.push_value(item(input)?);
        if input.is_empty() {
            break;
        }
        if !input.peek(Token![,]) {
            return Err(expected(input, &format!("`,` between {between}")));
        }
        items.push_punct(input.parse()?);
    }
    Ok(items)
}

/// "expected <what>, found `<next token>`", at the next token (syn says "unexpected end of
/// input" itself when there is none).
fn expected(input: ParseStream, what: &str) -> syn::Error {
    let found = match input.cursor().token_tree() {
        Some((TokenTree::Group(group), _)) => match group.delimiter() {
            Delimiter::Parenthesis => ", found `(`".to_string(),
            Delimiter::Brace => ", found `{`".to_string(),
            Delimiter::Bracket => ", found `[`".to_string(),
            Delimiter::None => String::new(),
        },
        Some((token, _)) => format!(", found `{token}`"),
        None => String::new(),
    };
    input.error(format!("expected {what}{found}"))
}

impl Call {
    /// The path as a single identifier, when it is one (`relu`, but not `my::Swish`).
    pub fn ident(&self) -> Option<&Ident> {
        self.path.get_ident()
    }

    /// The arguments; empty when there are no parentheses.
    pub fn arguments(&self) -> Vec<&Value> {
        self.args.iter().flat_map(|args| &args.values).collect()
    }
}

impl Number {
    /// The number as an `f64`, or `None` when the literal does not parse as one.
    pub fn to_f64(&self) -> Option<f64> {
        let magnitude = match &self.lit {
            Lit::Int(int) => int.base10_parse::<f64>().ok()?,
            Lit::Float(float) => float.base10_parse::<f64>().ok()?,
            _ => return None,
        };
        Some(if self.minus.is_some() {
            -magnitude
        } else {
            magnitude
        })
    }
}

impl ToTokens for Entry {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.key.to_tokens(tokens);
        self.colon.to_tokens(tokens);
        self.value.to_tokens(tokens);
    }
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Value::Number(number) => number.to_tokens(tokens),
            Value::Call(call) => call.to_tokens(tokens),
        }
    }
}

impl ToTokens for Number {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.minus.to_tokens(tokens);
        self.lit.to_tokens(tokens);
    }
}

impl ToTokens for Call {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.path.to_tokens(tokens);
        if let Some(args) = &self.args {
            args.paren
                .surround(tokens, |inner| inner.append_all(args.values.pairs()));
        }
    }
}
