//! Collects errors across every rule so one compile reports every mistake (`serde_derive`'s `Ctxt`).

use proc_macro2::Span;
use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// The errors found so far.
#[derive(Default)]
pub struct Errors {
    errors: RefCell<Vec<syn::Error>>,
}

impl Errors {
    /// Records an error spanning the given tokens (first to last, so it underlines all of them).
    pub fn at(&self, tokens: &(impl ToTokens + ?Sized), message: impl Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new_spanned(tokens.to_token_stream(), message));
    }

    /// Records an error at one span (a group's, say, which has no tokens of its own to pass).
    pub fn at_span(&self, span: Span, message: impl Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new(span, message));
    }

    /// All recorded errors combined into one, or `Ok` when there are none.
    ///
    /// # Errors
    /// Every recorded error, combined, when there is one.
    pub fn finish(self) -> syn::Result<()> {
        let mut errors = self.errors.into_inner().into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}
