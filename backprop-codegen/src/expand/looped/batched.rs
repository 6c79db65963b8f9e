//! The batched path of a looped net: `forward_batch` and `accumulate_batch` run a block of samples
//! through each layer at once (`Dense::pre_activation_batch`, `back_propagate_batch`,
//! `add_gradient_batch`, register-blocked kernels that read each weight once per tile of samples),
//! the loss and output deltas sample by sample. Every sum runs in the order of the one-sample
//! functions, so the bits are those of `forward` and of `accumulate_gradient` sample after sample.

use super::{LastActivations, Looped};
use crate::derive::layers::{self, Step};
use crate::derive::{Function, Syntax};
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
            self.name(layer),
            span = proc_macro2::Span::call_site()
        )
    }

    /// Samples per block: as many as fit the stack budget with every buffer of the block.
    pub(super) fn block_samples(&self) -> usize {
        let scalar = self.rust.network.scalar.bytes();
        // z, a, delta (and the upstream slopes) of every layer, per sample.
        let widths: usize = self
            .rust
            .network
            .layers
            .iter()
            .map(|layer| layer.outputs)
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
        let width = Literal::usize_unsuffixed(self.rust.network.layers[layer].outputs);
        quote!(let mut #name = [[#zero; #width]; BLOCK];)
    }

    /// The buffers of a block, declared once before the loop over blocks (each block overwrites
    /// the rows it reads): every layer's pre-activations (but the output layer's when they go
    /// straight to `outputs`), the activations of the hidden layers that change them, and with
    /// `deltas` every layer's deltas.
    fn block_buffers(&self, deltas: bool) -> TokenStream {
        let mut out = TokenStream::new();
        for layer in 0..=self.last {
            if deltas || layer != self.last {
                out.extend(self.block_buffer(&self.block("z", layer), layer));
            }
            if layer != self.last && !self.is_unchanged(layer) {
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

    /// `act(z)` of one value, as the one-sample forward computes it (softmax is only ever the
    /// output layer's, and is applied row by row).
    fn scalar_activation(&self, layer: usize) -> TokenStream {
        self.rust.call(Function::Activate(layer), vec![quote!(z)])
    }

    /// One layer's forward pass over a block: `z = W . x + b` through the kernel, then
    /// `a = act(z)` row by row; the output layer's pre-activations go to `last_into` (a slice of
    /// rows) when given, else to a buffer of the block.
    fn block_forward(&self, layer: usize, last_into: Option<&TokenStream>) -> TokenStream {
        let (name, z, input) = (
            self.name(layer),
            self.block("z", layer),
            self.block_input(layer),
        );
        if let (true, Some(target)) = (layer == self.last, last_into) {
            return quote!(self.#name.pre_activation_batch(#input, #target););
        }
        let mut out = quote!(self.#name.pre_activation_batch(#input, &mut #z[..count]););
        if self.is_unchanged(layer) || layer == self.last {
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
        let imports = self.imports(LastActivations::Return, false, &[]);
        let block = Literal::usize_unsuffixed(self.block_samples());
        let buffers = self.block_buffers(false);
        let forward: TokenStream = layers::steps(self.rust.network)
            .into_iter()
            .filter_map(|step| match step {
                Step::Forward(layer) => Some(self.block_forward(layer, Some(&quote!(outputs)))),
                _ => None,
            })
            .collect();
        let last_rows = if self.is_unchanged(self.last) {
            quote!()
        } else if self.rust.network.layers[self.last]
            .activation
            .is_layer_wide()
        {
            let function = self.rust.function_name(Function::ActivateLayer);
            quote! {
                for row in outputs.iter_mut() {
                    *row = #function(*row);
                }
            }
        } else {
            let value = self.scalar_activation(self.last);
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

    /// `accumulate_batch`: each block of samples through the steps of the derivation: the
    /// forward pass through the kernels, the loss and output deltas sample by sample, the deltas
    /// back through the kernels, each layer's gradient added sample after sample in order.
    pub(super) fn accumulate_batch_body(&self) -> TokenStream {
        let imports = self.imports(self.backward_needs(), true, &["", "_gradient"]);
        let block = Literal::usize_unsuffixed(self.block_samples());
        let zero = self.rust.float(0.0);
        let buffers = self.block_buffers(true);
        let steps: TokenStream = layers::steps(self.rust.network)
            .into_iter()
            .map(|step| match step {
                Step::Forward(layer) => self.block_forward(layer, None),
                // The loss goes with the output deltas, sample by sample; a batch has no input
                // derivatives to compute.
                Step::Loss | Step::InputGradient => quote!(),
                Step::OutputDelta => self.block_output_deltas(),
                Step::HiddenDelta(layer) => self.block_hidden_delta(layer),
                Step::Gradient(layer) => {
                    let (name, delta, input) = (
                        self.name(layer),
                        self.block("delta", layer),
                        self.block_input(layer),
                    );
                    quote!(gradient.#name.add_gradient_batch(&#delta[..count], #input);)
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
                #steps
            }
            loss
        }
    }

    /// The loss and the output deltas of a block, sample by sample as the one-sample body
    /// computes them, the deltas into a buffer of the block.
    fn block_output_deltas(&self) -> TokenStream {
        let (z_last, delta_last) = (self.block("z", self.last), self.block("delta", self.last));
        let (z, a, delta) = (
            self.local("z", self.last),
            self.local("a", self.last),
            self.local("delta", self.last),
        );
        let last_activations = if matches!(self.backward_needs(), LastActivations::Omit) {
            quote!()
        } else {
            let activations = self.activations(self.last);
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

    /// A hidden layer's deltas over a block: `delta = act'(z, a) * (W_next^T . delta_next)`, the
    /// transposed product through the kernel.
    fn block_hidden_delta(&self, layer: usize) -> TokenStream {
        let (next, next_delta, delta) = (
            self.name(layer + 1),
            self.block("delta", layer + 1),
            self.block("delta", layer),
        );
        let mut out =
            quote!(self.#next.back_propagate_batch(&#next_delta[..count], &mut #delta[..count]););
        if self.is_unchanged(layer) {
            return out;
        }
        let (z, a) = (self.block("z", layer), self.block("a", layer));
        let slope = self
            .rust
            .call(Function::Slope(layer), vec![quote!(z), quote!(a)]);
        out.extend(quote! {
            for ((delta_row, z_row), a_row) in ::core::iter::Iterator::zip(::core::iter::Iterator::zip(#delta[..count].iter_mut(), &#z[..count]), &#a[..count]) {
                for ((delta, &z), &a) in ::core::iter::Iterator::zip(::core::iter::Iterator::zip(delta_row.iter_mut(), z_row), a_row) {
                    *delta *= #slope;
                }
            }
        });
        out
    }
}
