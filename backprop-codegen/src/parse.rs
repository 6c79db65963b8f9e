//! Stage 1: the spec exactly as written, every node keeping its tokens (and so its span).
//!
//! Parsing only knows the shape of the language (`key: value` entries whose values are numbers or
//! paths with optional arguments); what the keys and names mean is [`crate::check`]'s job, so that
//! a misspelt name becomes a pointed error with a hint rather than a generic "expected ...".

use proc_macro2::TokenStream;
use quote::{ToTokens, TokenStreamExt};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Lit, Path, Token, Visibility, braced, parenthesized, token};

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

impl Parse for Spec {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        let spec = Spec {
            attrs: input.call(Attribute::parse_outer)?,
            vis: input.parse()?,
            struct_token: input.parse()?,
            name: input.parse()?,
            brace: braced!(content in input),
            entries: content.parse_terminated(Entry::parse, Token![,])?,
        };
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the network's closing brace"));
        }
        Ok(spec)
    }
}

impl Parse for Entry {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Entry {
            key: input.parse()?,
            colon: input.parse()?,
            value: input.parse()?,
        })
    }
}

impl Parse for Value {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![-]) || input.peek(Lit) {
            input.parse().map(Value::Number)
        } else if input.peek(Ident) || input.peek(Token![::]) {
            input.parse().map(Value::Call)
        } else {
            Err(input.error("expected a number or a name"))
        }
    }
}

impl Parse for Number {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let minus = input.parse()?;
        let lit: Lit = input.parse()?;
        match lit {
            Lit::Int(_) | Lit::Float(_) => Ok(Number { minus, lit }),
            _ => Err(syn::Error::new_spanned(lit, "expected a number")),
        }
    }
}

impl Parse for Call {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path = input.call(Path::parse_mod_style)?;
        let args = if input.peek(token::Paren) {
            let content;
            Some(Arguments {
                paren: parenthesized!(content in input),
                values: content.parse_terminated(Value::parse, Token![,])?,
            })
        } else {
            None
        };
        Ok(Call { path, args })
    }
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
