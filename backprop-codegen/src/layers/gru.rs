//! `gru(H)` and `gru(H, sequence)`: a gated recurrent unit, torch's `nn.GRU` (one layer, biases,
//! `h_0 = 0`), reading a signal `[C, L]` as `L` steps of `C` features; it writes the last hidden
//! state `[H]`, or with `sequence` every state as a signal `[H, L]`, so GRUs stack and a
//! convolution can follow.
//!
//! Per step `t` (gates r, z, n as torch stacks them in each tensor):
//!
//! ```text
//! r = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)
//! z = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)
//! n = tanh(W_in x_t + b_in + r * (W_hn h_(t-1) + b_hn))
//! h_t = (1 - z) * n + z * h_(t-1)
//! ```
//!
//! Backpropagation runs through the whole window, from the last step back to the first, every
//! step's values kept (no truncation, no heap): each step's slope `dh` is the output's delta there
//! plus `z * dh` and the hidden weights' transposed product of the next step's gate deltas; each
//! parameter's derivative is its sum over the steps. The sums follow the runtime's
//! `backprop_core::Gru` (see its docs), so the unrolled and looped forms agree to the bit.

use super::{
    Arguments, Backward, Builder, Calls, Count, Grammar, Io, Kind, Names, Positional, Reads, Saved,
    Tensor, runtime_path,
};
use crate::builtins::gate_activations;
use crate::check::Errors;
use crate::derive::{Equation, Expr};
use crate::model::{Activation, ScalarType, Shape};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The `gru` kind.
pub static BUILDER: GruBuilder = GruBuilder;

/// Builds `gru` layers.
pub struct GruBuilder;

static GRAMMAR: Grammar = Grammar {
    name: "gru",
    positional: &[Positional::Count("hidden size")],
    flags: &["sequence"],
    options: &[],
    signature: "gru(hidden)",
    example: "gru(16)",
    reads: Reads::Signal,
};

impl Builder for GruBuilder {
    fn grammar(&self) -> &'static Grammar {
        &GRAMMAR
    }

    fn build(
        &self,
        arguments: &Arguments,
        input: Shape,
        _errors: &Errors,
    ) -> Option<Box<dyn Kind>> {
        let Shape::Signal { channels, length } = input else {
            return None;
        };
        let &(hidden, _) = arguments.counts.first()?;
        Some(Box::new(Gru {
            features: channels,
            hidden,
            steps: length,
            sequence: arguments.flag("sequence"),
        }))
    }
}

/// A GRU of a net.
pub struct Gru {
    /// `C`: features per step.
    features: usize,
    /// `H`: hidden units.
    hidden: usize,
    /// `L`: steps.
    steps: usize,
    /// Whether it writes every state, not just the last.
    sequence: bool,
}

mod steps;
mod text;

impl Gru {
    /// `H, L` or `L`: the generic arguments of the runtime's methods.
    /// Features, hidden units and steps, as counts that saturate.
    fn counts(&self) -> (Count, Count, Count) {
        (Count(self.features), Count(self.hidden), Count(self.steps))
    }

    fn length(&self) -> TokenStream {
        let length = Literal::usize_unsuffixed(self.steps);
        quote!(#length)
    }
}

impl Kind for Gru {
    fn describe(&self) -> String {
        if self.sequence {
            format!("gru({}, sequence)", self.hidden)
        } else {
            format!("gru({})", self.hidden)
        }
    }

    fn output(&self) -> Shape {
        if self.sequence {
            Shape::Signal {
                channels: self.hidden,
                length: self.steps,
            }
        } else {
            Shape::Flat(self.hidden)
        }
    }

    fn doc(&self) -> String {
        "Each tensor stacks the reset, update and new gates (`[0]`, `[1]`, `[2]`), as torch does."
            .to_string()
    }

    fn activation(&self) -> Option<&Activation> {
        None
    }

    fn tensors(&self) -> Vec<Tensor> {
        let (c, h) = (self.features, self.hidden);
        let tensor = |field, torch, dims: Vec<usize>, torch_dims, bias| Tensor {
            field,
            torch,
            dims,
            torch_dims,
            fan_in: c,
            fan_out: h.saturating_mul(3),
            bias,
        };
        vec![
            tensor(
                "weight_ih",
                "weight_ih_l0",
                vec![3, h, c],
                vec![h.saturating_mul(3), c],
                false,
            ),
            Tensor {
                fan_in: h,
                ..tensor(
                    "weight_hh",
                    "weight_hh_l0",
                    vec![3, h, h],
                    vec![h.saturating_mul(3), h],
                    false,
                )
            },
            tensor(
                "bias_ih",
                "bias_ih_l0",
                vec![3, h],
                vec![h.saturating_mul(3)],
                true,
            ),
            tensor(
                "bias_hh",
                "bias_hh_l0",
                vec![3, h],
                vec![h.saturating_mul(3)],
                true,
            ),
        ]
    }

    fn saved(&self) -> Vec<Saved> {
        steps::VALUES
            .iter()
            .map(|prefix| Saved {
                prefix,
                dims: vec![self.steps, self.hidden],
            })
            .collect()
    }

    fn caches(&self) -> bool {
        true
    }

    fn cache_type(&self, scalar: &TokenStream) -> TokenStream {
        let [hidden, steps] = [self.hidden, self.steps].map(Literal::usize_unsuffixed);
        quote!(::backprop_core::layers::GruSteps::<#scalar, #hidden, #steps>)
    }

    fn legend(&self, scalar: ScalarType) -> Vec<String> {
        let (gate, candidate) = gate_activations();
        vec![
            gate.formula_in(scalar).to_string(),
            candidate.formula_in(scalar).to_string(),
            "gru: reset, update, new = gates [0], [1], [2] of each tensor; h[-1] = 0".to_string(),
        ]
    }

    fn runtime_type(&self, scalar: &TokenStream) -> TokenStream {
        let [features, hidden] = [self.features, self.hidden].map(Literal::usize_unsuffixed);
        let gru = runtime_path(self.runtime_name());
        quote!(#gru<#scalar, #features, #hidden>)
    }

    fn runtime_name(&self) -> &'static str {
        "Gru"
    }

    fn forward_scalars(&self, io: &Io) -> Vec<Equation> {
        self.scalar_forward(io)
    }

    fn backward_scalars(&self, io: &Io) -> Backward {
        self.scalar_backward(io)
    }

    fn gradient_scalars(&self, io: &Io) -> Vec<Vec<Expr>> {
        self.scalar_gradient(io)
    }

    fn forward_call(&self, calls: &Calls) -> TokenStream {
        let (field, input, length) = (&calls.field, &calls.input, self.length());
        let saved = &calls.saved[0];
        if self.sequence {
            quote!(#field.forward_sequence::<#length>(#input, &mut #saved))
        } else {
            quote!(#field.forward::<#length>(#input, &mut #saved))
        }
    }

    fn deltas_call(&self, calls: &Calls) -> TokenStream {
        let (field, delta, saved) = (&calls.field, &calls.delta, &calls.saved[0]);
        if self.sequence {
            quote!(#field.deltas_sequence(#delta, &mut #saved);)
        } else {
            quote!(#field.deltas(#delta, &mut #saved);)
        }
    }

    fn backward_call(&self, calls: &Calls) -> TokenStream {
        let (field, saved) = (&calls.field, &calls.saved[0]);
        quote!(#field.backward(&#saved))
    }

    fn gradient_call(&self, calls: &Calls) -> TokenStream {
        let (gradient, input, saved) = (&calls.gradient, &calls.input, &calls.saved[0]);
        quote!(#gradient.store_gradient(store, #input, &#saved);)
    }

    fn forward_text(&self, names: &Names) -> Vec<String> {
        self.text_forward(names)
    }

    fn deltas_text(&self, names: &Names) -> Vec<String> {
        self.text_deltas(names)
    }

    fn backward_text(&self, names: &Names) -> Vec<String> {
        text::text_backward(names)
    }

    fn gradient_text(&self, names: &Names) -> Vec<String> {
        text::text_gradient(names)
    }

    /// Per step and unit: three input sums (`2 C` each, the bias included), three hidden sums
    /// (`2 H`, none at `t = 0`), the two adds of the gates, the reset product, three gate
    /// functions, and the state's four operations (two at `t = 0`).
    fn forward_flops(&self) -> usize {
        let (c, h, l) = self.counts();
        let input = 3 * 2 * c;
        let hidden = 3 * 2 * h;
        let gates = 2 + 2 + 3;
        (h * (l * (input + gates + 4) + (l - 1) * hidden) - 2 * h).get()
    }

    /// `dL/dx`: per step and feature, `3 H` products and the adds between them.
    fn backward_flops(&self) -> usize {
        let (c, h, l) = self.counts();
        (c * l * (2 * 3 * h - 1)).get()
    }

    /// Backpropagation through time: per step and unit, `dh` (the output's delta added, the
    /// carry's `6 H + 1` from the next step), and the gate deltas' 12 operations.
    fn deltas_flops(&self) -> usize {
        let (_, h, l) = self.counts();
        let carry = 2 * 3 * h + 1;
        let added = if self.sequence { l - 1 } else { Count(0) };
        (h * (l * 12 + (l - 1) * carry + added)).get()
    }

    /// Each parameter's sum over the steps.
    fn gradient_flops(&self) -> usize {
        let (c, h, l) = self.counts();
        let per_unit = c * (2 * l - 1) + h * (2 * (l - 1) - 1) + 2 * (l - 1);
        (3 * h * per_unit).get()
    }

    fn fixed_point(&self) -> bool {
        true
    }

    fn edges(&self) -> Vec<(usize, usize, String)> {
        let outputs = self.output().len();
        (0..outputs)
            .flat_map(|to| {
                (0..self.features * self.steps).map(move |from| (to, from, String::new()))
            })
            .collect()
    }
}
