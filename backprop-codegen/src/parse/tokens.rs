//! The spec's nodes back to tokens, for messages and spans.

use super::{Call, Entry, Number, Value};
use proc_macro2::TokenStream;
use quote::{ToTokens, TokenStreamExt};

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
            Value::List(list) => list
                .bracket
                .surround(tokens, |inner| inner.append_all(list.values.pairs())),
            Value::Named(named) => {
                named.name.to_tokens(tokens);
                named.eq.to_tokens(tokens);
                named.value.to_tokens(tokens);
            }
            Value::Recovered(_) => {}
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
