//! The looped form: the layer-level derivation ([`crate::derive::layers`]) rendered step by step
//! as whole-layer calls of the runtime (`Dense::pre_activation`, `back_propagate`, the array
//! losses, `Store::store_layer`), so the code grows with the number of layers, not of parameters,
//! and reads as the looped `DERIVATION` does. The runtime's sums follow the canonical order the
//! unrolled form writes out, so the two forms compute the same bits. The batched path is in
//! [`batched`].

mod batched;

use super::Bodies;
use super::rust::Rust;
use crate::derive::layers::{self, Step};
use crate::derive::{Function, Syntax};
use crate::model::{Activation, OutputRule};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;

/// Writes the bodies of a looped net.
pub fn bodies(rust: &Rust) -> Bodies {
    let looped = Looped {
        rust,
        last: rust.network.layers.len() - 1,
    };
    Bodies {
        forward: looped.forward_body(),
        loss: looped.loss_body(),
        accumulate_batch: looped.accumulate_batch_body(),
        forward_batch: looped.forward_batch_body(),
        store_gradient: looped.gradient_body(&quote!(gradient)),
        descend: looped.gradient_body(&quote!(self)),
        input_gradient: looped.input_gradient_body(),
    }
}

struct Looped<'a> {
    rust: &'a Rust<'a>,
    last: usize,
}

impl Looped<'_> {
    fn name(&self, layer: usize) -> &Ident {
        &self.rust.network.layers[layer].name
    }

    fn local(&self, prefix: &str, layer: usize) -> Ident {
        format_ident!(
            "{prefix}_{}",
            self.name(layer),
            span = proc_macro2::Span::call_site()
        )
    }

    /// `[T; width]` of a layer.
    fn array(&self, layer: usize) -> TokenStream {
        let scalar = self.rust.scalar();
        let width = Literal::usize_unsuffixed(self.rust.network.layers[layer].outputs);
        quote!([#scalar; #width])
    }

    /// What layer `layer` reads: `input`, or the activations of the layer before.
    fn layer_input(&self, layer: usize) -> TokenStream {
        if layer == 0 {
            quote!(input)
        } else {
            let previous = self.local("a", layer - 1);
            quote!(&#previous)
        }
    }

    /// The steps of the derivation that `wanted` selects, rendered in order; the last one as the
    /// body's value when `tail` is set.
    fn steps(
        &self,
        wanted: impl Fn(Step) -> bool,
        last: LastActivations,
        tail: bool,
    ) -> TokenStream {
        self.steps_into(wanted, last, tail, &quote!(gradient))
    }

    /// [`Self::steps`], storing the parameter derivatives into the net `gradient` names.
    fn steps_into(
        &self,
        wanted: impl Fn(Step) -> bool,
        last: LastActivations,
        tail: bool,
        gradient: &TokenStream,
    ) -> TokenStream {
        let steps: Vec<Step> = layers::steps(self.rust.network)
            .into_iter()
            .filter(|step| wanted(*step))
            .collect();
        let count = steps.len();
        steps
            .into_iter()
            .enumerate()
            .map(|(index, step)| self.step(step, last, tail && index + 1 == count, gradient))
            .collect()
    }

    /// One step of the derivation as whole-layer calls of the runtime: statements, or the
    /// body's value when `tail` is set.
    fn step(
        &self,
        step: Step,
        last: LastActivations,
        tail: bool,
        gradient: &TokenStream,
    ) -> TokenStream {
        match step {
            Step::Forward(layer) => self.forward(layer, last),
            Step::Loss => {
                let loss = self.loss_call("");
                if tail {
                    loss
                } else {
                    quote!(let loss = #loss;)
                }
            }
            Step::OutputDelta => self.output_delta(),
            Step::HiddenDelta(layer) => {
                let (next, next_delta) = (self.name(layer + 1), self.local("delta", layer + 1));
                self.delta(
                    layer,
                    &quote!(self.#next.back_propagate(&#next_delta)),
                    "upstream",
                )
            }
            Step::Gradient(layer) => {
                let (name, delta, input) = (
                    self.name(layer),
                    self.local("delta", layer),
                    self.layer_input(layer),
                );
                quote!(store.store_layer(&mut #gradient.#name, &#delta, #input);)
            }
            Step::InputGradient => {
                let (first, first_delta) = (self.name(0), self.local("delta", 0));
                quote!(self.#first.back_propagate(&#first_delta))
            }
        }
    }

    /// `let z_l = self.l.pre_activation(..); let a_l = ...;` for one layer, leaving out the last
    /// activations when they are not needed, and returning them (or the last pre-activations
    /// for the identity) instead of binding them for `Return`.
    fn forward(&self, layer: usize, last_activations: LastActivations) -> TokenStream {
        let (name, z, input) = (
            self.name(layer),
            self.local("z", layer),
            self.layer_input(layer),
        );
        let is_last = layer == self.last;
        if is_last
            && self.is_unchanged(layer)
            && matches!(last_activations, LastActivations::Return)
        {
            return quote!(self.#name.pre_activation(#input));
        }
        let mut out = quote!(let #z = self.#name.pre_activation(#input););
        let activations = self.activations(layer);
        let a = self.local("a", layer);
        match (is_last, last_activations) {
            (true, LastActivations::Omit) => {}
            (true, LastActivations::Return) => out.extend(activations),
            _ => out.extend(quote!(let #a = #activations;)),
        }
        out
    }

    /// `a_l` from `z_l`: the whole layer at once.
    fn activations(&self, layer: usize) -> TokenStream {
        let z = self.local("z", layer);
        let activation = &self.rust.network.layers[layer].activation;
        if activation.is_unchanged() {
            return quote!(#z);
        }
        if activation.is_layer_wide() {
            let function = self.rust.function_name(Function::ActivateLayer);
            return quote!(#function(#z));
        }
        if let Activation::Custom(path) = activation {
            // Spanned at the user's type, so a missing `Activation` impl is reported there.
            let function = self.rust.user_function(layer, "value");
            return quote::quote_spanned!(path.span()=> #z.map(#function));
        }
        if activation.parameter().is_some() {
            let call = self.rust.call(Function::Activate(layer), vec![quote!(z)]);
            return quote!(#z.map(|z| #call));
        }
        let function = self.rust.function_name(Function::Activate(layer));
        quote!(#z.map(#function))
    }

    /// Whether the layer's activation is the identity, whose derivative (1) is left out.
    fn is_unchanged(&self, layer: usize) -> bool {
        self.rust.network.layers[layer].is_unchanged()
    }

    /// `let delta_l = upstream` for the identity, else `let upstream_l = upstream;` and
    /// `let delta_l = act'(z_l[j], a_l[j]) * upstream_l[j]` for every node.
    fn delta(&self, layer: usize, upstream: &TokenStream, name: &str) -> TokenStream {
        let delta = self.local("delta", layer);
        if self.is_unchanged(layer) {
            return quote!(let #delta = #upstream;);
        }
        let (z, a, bound) = (
            self.local("z", layer),
            self.local("a", layer),
            self.local(name, layer),
        );
        let array = self.array(layer);
        let slope = self.rust.call(
            Function::Slope(layer),
            vec![quote!(#z[node]), quote!(#a[node])],
        );
        quote! {
            let #bound = #upstream;
            let #delta: #array = ::core::array::from_fn(|node| #slope * #bound[node]);
        }
    }

    /// The array loss function of the runtime, and the prediction it reads (`z` when fused).
    fn loss_function(&self) -> (Ident, Ident) {
        let network = self.rust.network;
        let output = &network.output_layer().activation;
        let reads = if network.loss.fusion(output).is_some() {
            "z"
        } else {
            "a"
        };
        (
            format_ident!("{}", network.loss.array_function(output)),
            self.local(reads, self.last),
        )
    }

    /// The runtime's product of a layer-wide output activation's Jacobian with the loss's slopes
    /// (`softmax_backward`): its function's name and `_backward`.
    fn layer_backward(&self) -> Ident {
        let function = self.rust.network.output_layer().activation.function();
        format_ident!("{}_backward", function.unwrap_or_default())
    }

    /// `loss_function(&prediction, target)` (with Huber's delta), with `suffix` on the name.
    fn loss_call(&self, suffix: &str) -> TokenStream {
        let (name, prediction) = self.loss_function();
        let name = format_ident!("{name}{suffix}");
        let delta = match self.rust.network.loss.parameter() {
            Some(delta) => {
                let delta = self.rust.float(delta.value);
                quote!(, #delta)
            }
            None => quote!(),
        };
        quote!(#name(&#prediction, target #delta))
    }

    /// `use` items: the activations computed (the last one unless `last` is `Omit`), their
    /// derivatives when `slopes` is set, and the loss functions named by `loss_suffixes`.
    fn imports(&self, last: LastActivations, slopes: bool, loss_suffixes: &[&str]) -> TokenStream {
        let mut functions = Vec::new();
        for (layer, spec) in self.rust.network.layers.iter().enumerate() {
            let computed = layer != self.last || !matches!(last, LastActivations::Omit);
            if spec.activation.is_unchanged() {
                continue;
            }
            if computed && spec.activation.is_layer_wide() {
                functions.push(Function::ActivateLayer);
            } else if computed {
                functions.push(Function::Activate(layer));
            }
            let slope_used =
                layer != self.last || self.rust.network.output_rule() == OutputRule::Elementwise;
            if slopes && slope_used {
                functions.push(Function::Slope(layer));
            }
        }
        let (loss, _) = self.loss_function();
        let mut extra: Vec<(Ident, TokenStream)> = loss_suffixes
            .iter()
            .map(|suffix| {
                (
                    format_ident!("{loss}{suffix}"),
                    quote!(::backprop_core::loss),
                )
            })
            .collect();
        if slopes && self.rust.network.output_rule() == OutputRule::LayerJacobian {
            extra.push((self.layer_backward(), quote!(::backprop_core::activation)));
        }
        self.rust.imports_of(functions, extra)
    }

    fn forward_body(&self) -> TokenStream {
        let imports = self.imports(LastActivations::Return, false, &[]);
        let forward = self.steps(
            |step| matches!(step, Step::Forward(_)),
            LastActivations::Return,
            true,
        );
        quote!(#imports #forward)
    }

    fn loss_body(&self) -> TokenStream {
        let last = self.backward_needs();
        let imports = self.imports(last, false, &[""]);
        let body = self.steps(
            |step| matches!(step, Step::Forward(_) | Step::Loss),
            last,
            true,
        );
        quote!(#imports #body)
    }

    /// `delta` of the output layer, by the rule that fits its activation and loss.
    fn output_delta(&self) -> TokenStream {
        let (delta, slope) = (
            self.local("delta", self.last),
            self.local("slope", self.last),
        );
        let gradient = self.loss_call("_gradient");
        match self.rust.network.output_rule() {
            OutputRule::ActivationMinusTarget
            | OutputRule::NormalisedLogits
            | OutputRule::FusedSlope => {
                quote!(let #delta = #gradient;)
            }
            OutputRule::LayerJacobian => {
                let (a, backward) = (self.local("a", self.last), self.layer_backward());
                quote! {
                    let #slope = #gradient;
                    let #delta = #backward(&#a, &#slope);
                }
            }
            OutputRule::Elementwise => self.delta(self.last, &gradient, "slope"),
        }
    }

    /// What the backward pass needs of the last activations: none when the loss is fused.
    fn backward_needs(&self) -> LastActivations {
        match self.rust.network.output_rule() {
            OutputRule::ActivationMinusTarget
            | OutputRule::NormalisedLogits
            | OutputRule::FusedSlope => LastActivations::Omit,
            OutputRule::Elementwise | OutputRule::LayerJacobian => LastActivations::Bind,
        }
    }

    /// The body of `store_gradient` (or of `descend`, whose `gradient` is `self`): every step but
    /// the input derivatives, the loss its value.
    fn gradient_body(&self, gradient: &TokenStream) -> TokenStream {
        let imports = self.imports(self.backward_needs(), true, &["", "_gradient"]);
        let body = self.steps_into(
            |step| !matches!(step, Step::InputGradient),
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
        let body = self.steps(
            |step| !matches!(step, Step::Loss | Step::Gradient(_)),
            self.backward_needs(),
            true,
        );
        quote!(#imports #body)
    }
}

/// What the forward pass does with the output layer's activations.
#[derive(Clone, Copy)]
enum LastActivations {
    /// Binds them, for the loss and the deltas.
    Bind,
    /// Ends with them, as `forward` returns them.
    Return,
    /// Leaves them out: a fused loss reads the logits.
    Omit,
}
