//! The looped form: the program's ops rendered one by one as whole-layer operations (each layer's
//! own ops as its kind writes them, the activations, slopes and the loss here), so the code grows
//! with the number of layers, not of parameters, and reads as the printed program does. The
//! runtime's sums follow the order the unrolled form writes out, so the two forms compute the
//! same bits. The batched path is in [`batched`].

mod batched;

use super::Bodies;
use super::rust::Rust;
use crate::derive::{Function, Operator, Syntax};
use crate::layers::Calls;
use crate::model::{OutputRule, Shape};
use crate::program::{Op, Source, ValueId};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// Writes the bodies of a looped net.
pub fn bodies(rust: &Rust) -> Bodies {
    let looped = Looped { rust };
    let batched = rust
        .program
        .network
        .layers
        .iter()
        .all(|layer| layer.kind.batch().is_some())
        && !rust.fixed();
    Bodies {
        forward: looped.forward_body(),
        loss: looped.loss_body(),
        accumulate_batch: if batched {
            looped.accumulate_batch_body()
        } else {
            super::sample_by_sample_batch(rust)
        },
        forward_batch: if batched {
            looped.forward_batch_body()
        } else {
            super::sample_by_sample_forward()
        },
        store_gradient: looped.gradient_body(&quote!(gradient)),
        descend: looped.gradient_body(&quote!(self)),
        input_gradient: looped.input_gradient_body(),
    }
}

struct Looped<'a> {
    rust: &'a Rust<'a>,
}

/// What a body does with the output layer's activations.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Binds them, for the loss and the deltas.
    Bind,
    /// Ends with them, as `forward` returns them.
    Return,
    /// Leaves them out: a fused loss reads the logits.
    Omit,
}

impl Looped<'_> {
    fn network(&self) -> &crate::model::Network {
        self.rust.program.network
    }

    /// The local bound to a value.
    fn local(&self, value: ValueId) -> Ident {
        Ident::new(&self.rust.program.values[value].name, Span::call_site())
    }

    /// A reference to what an op reads: `input`, or `&a_hidden`.
    fn source(&self, source: Source) -> TokenStream {
        match source {
            Source::Input => quote!(input),
            Source::Value(value) => {
                let local = self.local(value);
                quote!(&#local)
            }
        }
    }

    /// The operands of layer `layer`'s ops, with its gradient in `gradient` (`gradient` or
    /// `self`).
    fn calls(&self, layer: usize, gradient: &TokenStream) -> Calls {
        let values = &self.rust.program.layers[layer];
        let spec = &self.network().layers[layer];
        let name = &spec.name;
        let mut calls = Calls::reading(
            quote!(self.#name),
            self.source(values.input),
            spec.input,
            self.rust.scalar(),
        );
        let delta = self.local(values.delta);
        calls.delta = quote!(&#delta);
        calls.gradient = quote!(#gradient.#name);
        if spec.kind.caches() {
            calls.saved = vec![self.saved(layer)];
        }
        calls
    }

    /// The local holding what a layer keeps for its backward pass.
    fn saved(&self, layer: usize) -> TokenStream {
        let local = format_ident!("saved_{}", self.network().layers[layer].name);
        quote!(#local)
    }

    /// The ops `wanted` selects, rendered in order; the last one as the body's value when
    /// `tail` is set.
    fn ops(
        &self,
        wanted: impl Fn(&Op) -> bool,
        last: Last,
        tail: bool,
        gradient: &TokenStream,
    ) -> TokenStream {
        let program = self.rust.program;
        let output_unchanged = self.network().output_layer().is_unchanged();
        // The output layer's activations are left out when the loss reads the logits, and when
        // `forward` returns its pre-activations unchanged.
        let left_out = |op: &Op| match op {
            Op::Activate { layer, .. } if *layer == program.last() => {
                last == Last::Omit || (last == Last::Return && output_unchanged)
            }
            _ => false,
        };
        let ops: Vec<&Op> = program
            .ops
            .iter()
            .filter(|op| wanted(op) && !left_out(op))
            .collect();
        let count = ops.len();
        ops.into_iter()
            .enumerate()
            .map(|(index, op)| self.op(op, tail && index + 1 == count, gradient))
            .collect()
    }

    /// One op: statements, or the body's value when `tail` is set.
    fn op(&self, op: &Op, tail: bool, gradient: &TokenStream) -> TokenStream {
        let program = self.rust.program;
        let layers = &self.network().layers;
        let bind = |value: ValueId, expr: TokenStream| {
            let local = self.local(value);
            if tail {
                expr
            } else {
                quote!(let #local = #expr;)
            }
        };
        match *op {
            Op::Forward { layer, output, .. } => {
                let calls = self.calls(layer, gradient);
                let call = layers[layer].kind.forward_call(&calls);
                let saved = (!calls.saved.is_empty()).then(|| {
                    let saved = self.saved(layer);
                    let cache = layers[layer].kind.cache_type(&self.rust.scalar());
                    quote!(let mut #saved = #cache::ZERO;)
                });
                let bound = bind(output, call);
                quote!(#saved #bound)
            }
            Op::Activate { layer, z, a } => bind(a, self.activations(layer, z)),
            Op::Loss => bind(program.loss.loss, self.loss_call("")),
            Op::OutputDelta => self.output_delta(),
            Op::Backward {
                layer, upstream, ..
            } => {
                let call = layers[layer]
                    .kind
                    .backward_call(&self.calls(layer, gradient));
                match layer.checked_sub(1) {
                    // Where the slope below is 1, the upstream is the delta itself.
                    Some(below) if layers[below].is_unchanged() => {
                        bind(program.layers[below].delta, call)
                    }
                    _ => bind(upstream, call),
                }
            }
            Op::Slope {
                layer,
                upstream,
                delta,
            } => {
                if layers[layer].is_unchanged() {
                    return quote!();
                }
                self.times_slope(layer, delta, upstream)
            }
            Op::Gradient { layer, .. } => layers[layer]
                .kind
                .gradient_call(&self.calls(layer, gradient)),
            Op::Deltas { layer } => layers[layer].kind.deltas_call(&self.calls(layer, gradient)),
        }
    }

    /// `a_l` from `z_l`: the whole layer at once.
    fn activations(&self, layer: usize, z: ValueId) -> TokenStream {
        self.rust.activations(layer, &self.local(z))
    }

    /// `let delta_l = act'(z_l) * upstream_l`, node by node.
    fn times_slope(&self, layer: usize, delta: ValueId, upstream: ValueId) -> TokenStream {
        let values = &self.rust.program.layers[layer];
        let (z, a) = (self.local(values.written()), self.local(values.a));
        let (delta, upstream) = (self.local(delta), self.local(upstream));
        let shape = self.network().layers[layer].output;
        let array = shape.rust_type(&self.rust.scalar());
        let at = match shape {
            Shape::Flat(_) => quote!([node]),
            Shape::Signal { .. } => quote!([channel][node]),
        };
        let slope = self
            .rust
            .call(Function::Slope(layer), vec![quote!(#z #at), quote!(#a #at)]);
        let product = self
            .rust
            .operator(slope, Operator::Multiply, quote!(#upstream #at));
        match shape {
            Shape::Flat(_) => {
                quote!(let #delta: #array = ::core::array::from_fn(|node| #product);)
            }
            // A loop in place rather than nested `from_fn`s, whose closures a conv net's crate
            // then compiled for every layer (the same products, in the same order).
            Shape::Signal { channels, length } => {
                let [channels, length] = [channels, length].map(Literal::usize_unsuffixed);
                quote! {
                let mut #delta: #array = [[::core::default::Default::default(); #length]; #channels];
                for channel in 0..#channels {
                    for node in 0..#length {
                        #delta[channel][node] = #product;
                    }
                }
                }
            }
        }
    }

    /// The array loss function of the runtime, and the prediction it reads (`z` when fused).
    fn loss_function(&self) -> (Ident, Ident) {
        let program = self.rust.program;
        let network = self.network();
        let last = &program.layers[program.last()];
        let reads = if program.reads_logits() {
            last.written()
        } else {
            last.a
        };
        (
            format_ident!(
                "{}",
                network.loss.array_function(network.output_activation())
            ),
            self.local(reads),
        )
    }

    /// The runtime's product of a layer-wide output activation's Jacobian with the loss's slopes
    /// (`softmax_backward`): its function's name and `_backward`.
    fn layer_backward(&self) -> Ident {
        let function = self.network().output_activation().function();
        format_ident!("{}_backward", function.unwrap_or_default())
    }

    /// `loss_function(&prediction, target)` (with Huber's delta), with `suffix` on the name.
    fn loss_call(&self, suffix: &str) -> TokenStream {
        let (name, prediction) = self.loss_function();
        let name = format_ident!("{name}{suffix}");
        let delta = self.network().loss.parameter().map(|delta| {
            let delta = self.rust.float(delta.value);
            quote!(, #delta)
        });
        quote!(#name(&#prediction, target #delta))
    }

    /// The module of the array losses.
    fn losses(&self) -> TokenStream {
        if self.rust.fixed() {
            quote!(::backprop_core::fixed::loss)
        } else {
            quote!(::backprop_core::loss)
        }
    }

    /// `use` items: the activations computed (the last one unless `last` is `Omit`), their
    /// derivatives when `slopes` is set, and the loss functions named by `loss_suffixes`.
    fn imports(&self, last: Last, slopes: bool, loss_suffixes: &[&str]) -> TokenStream {
        let program = self.rust.program;
        let mut functions = Vec::new();
        for (layer, spec) in self.network().layers.iter().enumerate() {
            let Some(activation) = spec.activation() else {
                continue;
            };
            let computed = layer != program.last() || last != Last::Omit;
            if activation.is_unchanged() {
                continue;
            }
            if computed && activation.is_layer_wide() {
                functions.push(Function::ActivateLayer);
            } else if computed {
                functions.push(Function::Activate(layer));
            }
            let slope_used = layer != program.last() || program.rule == OutputRule::Elementwise;
            if slopes && slope_used {
                functions.push(Function::Slope(layer));
            }
        }
        let (loss, _) = self.loss_function();
        let losses = self.losses();
        let mut extra: Vec<(Ident, TokenStream)> = loss_suffixes
            .iter()
            .map(|suffix| (format_ident!("{loss}{suffix}"), losses.clone()))
            .collect();
        if slopes && program.rule == OutputRule::LayerJacobian {
            extra.push((self.layer_backward(), quote!(::backprop_core::activation)));
        }
        self.rust.imports_of(functions, extra)
    }

    fn forward_body(&self) -> TokenStream {
        let imports = self.imports(Last::Return, false, &[]);
        let forward = self.ops(
            |op| matches!(op, Op::Forward { .. } | Op::Activate { .. }),
            Last::Return,
            true,
            &quote!(gradient),
        );
        quote!(#imports #forward)
    }

    fn loss_body(&self) -> TokenStream {
        let last = self.backward_needs();
        let imports = self.imports(last, false, &[""]);
        let body = self.ops(
            |op| matches!(op, Op::Forward { .. } | Op::Activate { .. } | Op::Loss),
            last,
            true,
            &quote!(gradient),
        );
        quote!(#imports #body)
    }

    /// `delta` of the output layer, by the rule: a fused rule's gradient from the logits, a
    /// layer-wide activation's Jacobian product, or the elementwise slope.
    fn output_delta(&self) -> TokenStream {
        let program = self.rust.program;
        let last = &program.layers[program.last()];
        let delta = self.local(last.delta);
        let slope = self.local(program.loss.slope);
        let gradient = self.loss_call("_gradient");
        match program.rule {
            OutputRule::ActivationMinusTarget | OutputRule::NormalisedLogits => {
                quote!(let #delta = #gradient;)
            }
            OutputRule::LayerJacobian => {
                let (a, backward) = (self.local(last.a), self.layer_backward());
                quote! {
                    let #slope = #gradient;
                    let #delta = #backward(&#a, &#slope);
                }
            }
            OutputRule::Elementwise if self.network().output_layer().is_unchanged() => {
                quote!(let #delta = #gradient;)
            }
            OutputRule::Elementwise => {
                let bound = quote!(let #slope = #gradient;);
                let times = self.times_slope(program.last(), last.delta, program.loss.slope);
                quote!(#bound #times)
            }
        }
    }

    /// What the backward pass needs of the last activations: none when the loss is fused.
    fn backward_needs(&self) -> Last {
        if self.rust.program.reads_logits() {
            Last::Omit
        } else {
            Last::Bind
        }
    }

    /// The body of `store_gradient` (or of `descend`, whose `gradient` is `self`): every op but
    /// the input derivatives, the loss its value.
    fn gradient_body(&self, gradient: &TokenStream) -> TokenStream {
        let imports = self.imports(self.backward_needs(), true, &["", "_gradient"]);
        let body = self.ops(
            |op| self.rust.program.in_gradient(op),
            self.backward_needs(),
            false,
            gradient,
        );
        quote! {
            #imports
            #body
            loss
        }
    }

    fn input_gradient_body(&self) -> TokenStream {
        let imports = self.imports(self.backward_needs(), true, &["_gradient"]);
        let body = self.ops(
            |op| !matches!(op, Op::Loss | Op::Gradient { .. }),
            self.backward_needs(),
            true,
            &quote!(gradient),
        );
        quote!(#imports #body)
    }
}
