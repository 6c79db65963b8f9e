//! What a kind is handed to render its ops: the operands of the op, in the syntax at hand.

use crate::derive::{Expr, Quantity, value};
use crate::model::{Index, Shape};
use crate::program::{Source, ValueId};
use proc_macro2::TokenStream;

/// The operands of a layer's op, per scalar: where it reads, what it writes and keeps.
pub struct Io<'a> {
    /// The layer.
    pub layer: usize,
    /// What it reads.
    pub input: Source,
    /// Its shape.
    pub input_shape: Shape,
    /// What it writes (its pre-activations when it has an activation).
    pub output: ValueId,
    /// The deltas of its output, `dL/d output` (backward and gradient ops only).
    pub delta: Option<ValueId>,
    /// What it keeps from the forward pass, in the order of [`super::Kind::saved`].
    pub saved: &'a [ValueId],
}

impl Io<'_> {
    /// Element `index` of its input.
    pub fn input(&self, index: Index) -> Expr {
        match self.input {
            Source::Input => Expr::Quantity(Quantity::Input(index)),
            Source::Value(id) => value(id, index),
        }
    }

    /// The `flat`-th element of its input, row-major (channel-major for a signal).
    pub fn input_flat(&self, flat: usize) -> Expr {
        self.input(self.input_shape.unflatten(flat))
    }

    /// Element `index` of its output, as the quantity an equation defines.
    pub fn output(&self, index: Index) -> Quantity {
        Quantity::Value {
            value: self.output,
            index,
        }
    }

    /// Element `index` of parameter tensor `tensor`.
    pub fn parameter(&self, tensor: usize, index: Index) -> Expr {
        Expr::Quantity(Quantity::Parameter {
            layer: self.layer,
            tensor,
            index,
        })
    }

    /// Element `index` of the output's deltas.
    pub fn delta(&self, index: Index) -> Expr {
        value(self.delta.unwrap_or(self.output), index)
    }

    /// Element `index` of the `which`-th saved value, as a quantity.
    pub fn saved(&self, which: usize, index: Index) -> Quantity {
        Quantity::Value {
            value: self.saved[which],
            index,
        }
    }
}

/// The operands of a layer's op as Rust expressions, for the looped form and the batched path.
pub struct Calls {
    /// The layer's field, `self.hidden`.
    pub field: TokenStream,
    /// Its input, a reference to an array (`input`, `&a_hidden`), or in a block a slice of rows.
    pub input: TokenStream,
    /// Its input read flat, for a kind that reads a signal flattened (`dense`).
    pub input_flat: TokenStream,
    /// The deltas of its output (a reference), or of a block.
    pub delta: TokenStream,
    /// Where a batch op writes (a mutable slice of rows).
    pub outputs: TokenStream,
    /// The gradient's field of this layer, `gradient.hidden` (or `self.hidden` when descending).
    pub gradient: TokenStream,
    /// The locals holding what it keeps from the forward pass.
    pub saved: Vec<TokenStream>,
    /// The scalar type.
    pub scalar: TokenStream,
}

impl Calls {
    /// The operands of a forward op reading `input` (a reference to an array) of `shape`, the
    /// rest empty.
    pub fn reading(
        field: TokenStream,
        input: TokenStream,
        shape: Shape,
        scalar: TokenStream,
    ) -> Calls {
        let input_flat = match shape {
            Shape::Flat(_) => input.clone(),
            Shape::Signal { .. } => quote::quote!(::backprop_core::shape::flatten(#input)),
        };
        Calls {
            field,
            input,
            input_flat,
            delta: TokenStream::new(),
            outputs: TokenStream::new(),
            gradient: TokenStream::new(),
            saved: Vec::new(),
            scalar,
        }
    }
}

/// The operands of a layer's op as the printed program names them.
pub struct Names {
    /// The layer's name.
    pub layer: String,
    /// What it reads: `input` or `a_hidden`.
    pub input: String,
    /// What it writes: `z_hidden`.
    pub output: String,
    /// The deltas of its output: `delta_hidden`.
    pub delta: String,
    /// Where its backward pass writes: `upstream_hidden`.
    pub upstream: String,
}
