//! Stage 1: the spec exactly as written, every node keeping its tokens (and so its span).
//!
//! Parsing only knows the shape of the language (`key: value` entries whose values are numbers or
//! paths with optional arguments); what the keys and names mean is [`crate::check`]'s job, so that
//! a misspelt name becomes a pointed error with a hint rather than a generic "expected ...".

mod recovery;
mod tokens;

pub use recovery::Recovered;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Ident, Lit, LitFloat, LitInt, LitStr, Path, Token, Visibility, bracketed,
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

/// The value of an entry or an argument: a number, a name with optional arguments, a list, or a
/// named argument.
pub enum Value {
    /// `2`, `0.01`, `-0.5`.
    Number(Number),
    /// `relu`, `leaky_relu(0.1)`, `dense(2, relu)`, `my::Swish`.
    Call(Call),
    /// `[6, 100]`: the shape of a signal.
    List(List),
    /// `stride = 2`, a named argument of a call.
    Named(Box<Named>),
    /// What stands in for a layer entry that did not parse: a layer no rule questions, whose
    /// shape is unknown (see `placeholder`).
    Recovered(proc_macro2::Span),
}

/// `[a, b]`.
pub struct List {
    /// The brackets.
    pub bracket: token::Bracket,
    /// The values.
    pub values: Punctuated<Value, Token![,]>,
}

/// `name = value`, a named argument: a layer's option (`stride = 2`).
pub struct Named {
    /// The name.
    pub name: Ident,
    /// The `=`.
    pub eq: Token![=],
    /// The value.
    pub value: Value,
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
        } else if input.peek(token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let values = comma_separated(&content, Value::parse, "values")?;
            Ok(Value::List(List { bracket, values }))
        } else {
            Err(expected(input, "a number, a name or a list"))
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
                values: comma_separated(&content, argument, "arguments")?,
            })
        } else {
            None
        };
        Ok(Call { path, args })
    }
}

/// An argument of a call is a value, or `name = value`: a layer's option (whether the name
/// is one is [`crate::check`]'s to say, as it is to tell a built-in's parameter, which is positional).
fn argument(input: ParseStream) -> syn::Result<Value> {
    if !(input.peek(Ident) && input.peek2(Token![=]) && !input.peek2(Token![==])) {
        return Value::parse(input);
    }
    Ok(Value::Named(Box::new(Named {
        name: input.parse()?,
        eq: input.parse()?,
        value: input.parse()?,
    })))
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
