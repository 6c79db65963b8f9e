//! The batched path of a looped net whose every layer has block kernels: `forward_batch` and
//! `accumulate_batch` run a block of samples through each layer at once (each kind's block calls,
//! register-blocked kernels that read each weight once per tile of samples), the loss and output
//! deltas sample by sample. Every sum runs in the order of the one-sample functions, so the bits
//! are those of `forward` and of `accumulate_gradient` sample after sample.

use super::{Last, Looped};
use crate::derive::{Function, Syntax};
use crate::layers::Calls;
use crate::model::Shape;
use crate::program::Op;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// The most bytes of stack the per-block buffers of the batched path may take, which sets how many
/// samples a block holds (at least one, at most [`MAX_BLOCK`]).
const STACK_BUDGET: usize = 48 * 1024;

/// The most samples in a block: enough for each weight tile to be reused many times.
const MAX_BLOCK: usize = 32;

impl Looped<'_> {
    /// `name_layer_block`: one layer's values for every sample of a block, `[[T; width]; BLOCK]`.
    fn block(&self, prefix: &str, layer: usize) -> Ident {
        format_ident!(
            "{prefix}_{}_block",
            self.network().layers[layer].name,
            span = proc_macro2::Span::call_site()
        )
    }

    /// Samples per block: as many as fit the stack budget with every buffer of the block.
    fn block_samples(&self) -> usize {
        let scalar = self.network().scalar.bytes();
        // z, a, delta (and the upstream slopes) of every layer, per sample.
        let widths: usize = self
            .network()
            .layers
            .iter()
            .map(|layer| layer.output.len())
            .sum();
        let per_sample = 4 * widths * scalar;
        let samples = (STACK_BUDGET / per_sample.max(1)).clamp(1, MAX_BLOCK);
        // A whole number of the kernels' tiles of four samples, where that fits.
        if samples >= 4 {
            samples / 4 * 4
        } else {
            samples
        }
    }

    /// `let mut name = [[0; width]; BLOCK];`.
    fn block_buffer(&self, name: &Ident, layer: usize) -> TokenStream {
        let zero = self.rust.float(0.0);
        let row = self.network().layers[layer].output.rust_type(&zero);
        quote!(let mut #name = [#row; BLOCK];)
    }

    fn is_unchanged(&self, layer: usize) -> bool {
        self.network().layers[layer].is_unchanged()
    }

    fn last(&self) -> usize {
        self.rust.program.last()
    }

    /// The buffers of a block, declared once before the loop over blocks (each block overwrites
    /// the rows it reads): every layer's pre-activations (but the output layer's when they go
    /// straight to `outputs`), the activations of the hidden layers that change them, and with
    /// `deltas` every layer's deltas.
    fn block_buffers(&self, deltas: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for layer in 0..=self.last() {
            if deltas || layer != self.last() {
                out.extend(self.block_buffer(&self.block("z", layer), layer));
            }
            if layer != self.last() && !self.is_unchanged(layer) {
                out.extend(self.block_buffer(&self.block("a", layer), layer));
            }
            if deltas {
                out.extend(self.block_buffer(&self.block("delta", layer), layer));
            }
        }
        out
    }

    /// What layer `layer` reads in a block: the block's inputs, or the activations before it.
    fn block_input(&self, layer: usize) -> TokenStream {
        if layer == 0 {
            quote!(inputs)
        } else {
            let previous = self.block_activations_name(layer - 1);
            quote!(&#previous[..count])
        }
    }

    /// The activations of a layer in a block: the pre-activations themselves for the identity.
    fn block_activations_name(&self, layer: usize) -> Ident {
        if self.is_unchanged(layer) {
            self.block("z", layer)
        } else {
            self.block("a", layer)
        }
    }

    /// The operands of a layer's block ops.
    fn block_calls(&self, layer: usize, outputs: TokenStream) -> Calls {
        let name = &self.network().layers[layer].name;
        let input = self.block_input(layer);
        let input_flat = match self.network().layers[layer].input {
            Shape::Flat(_) => input.clone(),
            Shape::Signal { .. } => quote!(::backprop_core::shape::rows(#input)),
        };
        let delta = self.block("delta", layer);
        Calls {
            field: quote!(self.#name),
            input,
            input_flat,
            delta: quote!(&#delta[..count]),
            outputs,
            gradient: quote!(gradient.#name),
            saved: Vec::new(),
            scalar: self.rust.scalar(),
        }
    }

    fn batch_kind(&self, layer: usize) -> Option<&dyn crate::layers::Batch> {
        self.network().layers[layer].kind.batch()
    }

    /// `act(z)` of one value, as the one-sample forward computes it (a layer-wide activation is
    /// only ever the output layer's, and is applied row by row).
    fn scalar_activation(&self, layer: usize) -> TokenStream {
        self.rust.call(Function::Activate(layer), vec![quote!(z)])
    }

    /// One layer's forward pass over a block: its kind's block call, then `a = act(z)` row by
    /// row; the output layer's pre-activations go to `last_into` (a slice of rows) when given,
    /// else to a buffer of the block.
    fn block_forward(&self, layer: usize, last_into: Option<&TokenStream>) -> TokenStream {
        let z = self.block("z", layer);
        let into = if let (true, Some(target)) = (layer == self.last(), last_into) {
            target.clone()
        } else {
            quote!(&mut #z[..count])
        };
        let calls = self.block_calls(layer, into);
        let Some(kind) = self.batch_kind(layer) else {
            return quote!();
        };
        let mut out = kind.forward_batch_call(&calls);
        if self.is_unchanged(layer) || layer == self.last() {
            return out;
        }
        let a = self.block("a", layer);
        let value = self.scalar_activation(layer);
        out.extend(quote! {
            for (a_row, z_row) in ::core::iter::Iterator::zip(#a[..count].iter_mut(), &#z[..count]) {
                for (a, &z) in ::core::iter::Iterator::zip(a_row.iter_mut(), z_row) {
                    *a = #value;
                }
            }
        });
        out
    }

    /// `forward_batch`: each block of samples through every layer, the outputs written in place.
    pub(super) fn forward_batch_body(&self) -> TokenStream {
        let imports = self.imports(Last::Return, false, &[]);
        let block = Literal::usize_unsuffixed(self.block_samples());
        let buffers = self.block_buffers(false);
        let forward: TokenStream = self
            .rust
            .program
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Forward { layer, .. } => {
                    Some(self.block_forward(*layer, Some(&quote!(outputs))))
                }
                _ => None,
            })
            .collect();
        let output = self.network().output_activation();
        let last_rows = if self.is_unchanged(self.last()) {
            quote!()
        } else if output.is_layer_wide() {
            let function = self.rust.function_name(Function::ActivateLayer);
            quote! {
                for row in outputs.iter_mut() {
                    *row = #function(*row);
                }
            }
        } else {
            let value = self.scalar_activation(self.last());
            quote! {
                for value in outputs.as_flattened_mut() {
                    let z = *value;
                    *value = #value;
                }
            }
        };
        quote! {
            #imports
            const BLOCK: ::core::primitive::usize = #block;
            ::core::assert_eq!(inputs.len(), outputs.len(), "one output row per input");
            #buffers
            for (inputs, outputs) in ::core::iter::Iterator::zip(inputs.chunks(BLOCK), outputs.chunks_mut(BLOCK)) {
                let count = inputs.len();
                #forward
                #last_rows
            }
        }
    }

    /// `accumulate_batch`: each block of samples through the ops of the program: the forward
    /// pass through the kernels, the loss and output deltas sample by sample, the deltas back
    /// through the kernels, each layer's gradient added sample after sample in order.
    pub(super) fn accumulate_batch_body(&self) -> TokenStream {
        let imports = self.imports(self.backward_needs(), true, &["", "_gradient"]);
        let block = Literal::usize_unsuffixed(self.block_samples());
        let zero = self.rust.float(0.0);
        let buffers = self.block_buffers(true);
        let ops: TokenStream = self
            .rust
            .program
            .ops
            .iter()
            .filter(|op| self.rust.program.in_gradient(op))
            .map(|op| match *op {
                Op::Forward { layer, .. } => self.block_forward(layer, None),
                // The loss goes with the output deltas, sample by sample; the activations with
                // the forward pass; a batch has no input derivatives to compute.
                Op::Loss
                | Op::Activate { .. }
                | Op::Backward { layer: 0, .. }
                | Op::Deltas { .. } => {
                    quote!()
                }
                Op::OutputDelta => self.block_output_deltas(),
                Op::Backward { layer, .. } => self.block_backward(layer),
                Op::Slope { layer, .. } => self.block_slope(layer),
                Op::Gradient { layer, .. } => {
                    let calls = self.block_calls(layer, quote!());
                    self.batch_kind(layer)
                        .map(|kind| kind.gradient_batch_call(&calls))
                        .unwrap_or_default()
                }
            })
            .collect();
        quote! {
            #imports
            const BLOCK: ::core::primitive::usize = #block;
            ::core::assert_eq!(inputs.len(), targets.len(), "one target per input");
            let mut loss = #zero;
            #buffers
            for (inputs, targets) in ::core::iter::Iterator::zip(inputs.chunks(BLOCK), targets.chunks(BLOCK)) {
                let count = inputs.len();
                #ops
            }
            loss
        }
    }

    /// The loss and the output deltas of a block, sample by sample as the one-sample body
    /// computes them, the deltas into a buffer of the block.
    fn block_output_deltas(&self) -> TokenStream {
        let program = self.rust.program;
        let values = &program.layers[self.last()];
        let (z_last, delta_last) = (
            self.block("z", self.last()),
            self.block("delta", self.last()),
        );
        let (z, a, delta) = (
            self.local(values.written()),
            self.local(values.a),
            self.local(values.delta),
        );
        let last_activations = if self.backward_needs() == Last::Omit {
            quote!()
        } else {
            let activations = if let Some(z) = values.z {
                self.activations(self.last(), z)
            } else {
                quote!(#z)
            };
            quote!(let #a = #activations;)
        };
        let (loss, output_delta) = (self.loss_call(""), self.output_delta());
        quote! {
            for ((#z, target), delta_row) in ::core::iter::Iterator::zip(::core::iter::Iterator::zip(#z_last[..count].iter(), targets), &mut #delta_last[..count]) {
                let #z = *#z;
                #last_activations
                loss += #loss;
                #output_delta
                *delta_row = #delta;
            }
        }
    }

    /// A layer's backward op over a block: the slopes of its input into the deltas of the layer
    /// below, through its kind's block call.
    fn block_backward(&self, layer: usize) -> TokenStream {
        let below = self.block("delta", layer - 1);
        let calls = self.block_calls(layer, quote!(&mut #below[..count]));
        self.batch_kind(layer)
            .map(|kind| kind.backward_batch_call(&calls))
            .unwrap_or_default()
    }

    /// A hidden layer's deltas over a block: `delta = act'(z, a) * upstream`, in place.
    fn block_slope(&self, layer: usize) -> TokenStream {
        if self.is_unchanged(layer) {
            return quote!();
        }
        let (delta, z, a) = (
            self.block("delta", layer),
            self.block("z", layer),
            self.block("a", layer),
        );
        let slope = self
            .rust
            .call(Function::Slope(layer), vec![quote!(z), quote!(a)]);
        quote! {
            for ((delta_row, z_row), a_row) in ::core::iter::Iterator::zip(::core::iter::Iterator::zip(#delta[..count].iter_mut(), &#z[..count]), &#a[..count]) {
                for ((delta, &z), &a) in ::core::iter::Iterator::zip(::core::iter::Iterator::zip(delta_row.iter_mut(), z_row), a_row) {
                    *delta *= #slope;
                }
            }
        }
    }
}
