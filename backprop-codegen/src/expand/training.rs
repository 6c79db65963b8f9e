//! The training and storage API, the same for every form: a step with any optimizer, mini-batch
//! gradients accumulated in place, the parameters as one flat array, and seeded initialisation.

use super::rust::Rust;
use crate::model::Shape;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `train_step`, `batch_gradient`, `to_array`, `from_array` and the initialisers; a fixed-point
/// net, which has no optimizers, takes a plain SGD step instead.
pub fn methods(rust: &Rust) -> TokenStream {
    let storage = storage(rust);
    if rust.fixed() {
        let step = fixed_step(rust);
        return quote!(#storage #step);
    }
    let network = rust.program.network;
    let scalar = rust.scalar();
    let inputs = network.input.rust_type(&scalar);
    let outputs = Shape::Flat(network.outputs()).rust_type(&scalar);
    let layers: Vec<_> = network.layers.iter().map(|layer| &layer.name).collect();
    let zeros = network
        .layers
        .iter()
        .map(|layer| crate::layers::zero(layer.kind.as_ref()));
    quote! {
        #storage

        /// One training step: the gradient for one sample, then `optimizer.step`. Returns the
        /// loss before the step. With plain SGD (no momentum), each parameter is updated in
        /// place as its derivative is formed: the same bits, with no gradient in memory; with
        /// any other optimizer the gradient is a net-sized value on the stack (see
        /// `train_step_into` for a big net).
        #[inline]
        pub fn train_step<O: ::backprop_core::optim::Optimizer<Self>>(
            &mut self,
            input: &#inputs,
            target: &#outputs,
            optimizer: &mut O,
        ) -> #scalar {
            if let ::core::option::Option::Some(descent) = optimizer.as_descent() {
                return self.descend(input, target, &descent);
            }
            self.step_on_stack(input, target, optimizer)
        }

        /// `train_step` with an optimizer that needs the gradient: the gradient a value of this
        /// call's own frame, so that a debug build's `train_step` with plain SGD reserves none.
        fn step_on_stack<O: ::backprop_core::optim::Optimizer<Self>>(
            &mut self,
            input: &#inputs,
            target: &#outputs,
            optimizer: &mut O,
        ) -> #scalar {
            let mut gradient = Self::zeroed();
            let loss = self.gradient_into(input, target, &mut gradient);
            optimizer.step(self, &gradient);
            loss
        }

        /// One training step as `train_step`, the same bits, with the gradient written into
        /// `gradient` (scratch space, overwritten; it holds this sample's gradient after the
        /// step, but for plain SGD, which needs none and leaves it alone): keep one between steps,
        /// on the heap for a big net, so a step needs no net-sized temporary of its own.
        #[inline]
        pub fn train_step_into<O: ::backprop_core::optim::Optimizer<Self>>(
            &mut self,
            input: &#inputs,
            target: &#outputs,
            optimizer: &mut O,
            gradient: &mut Self,
        ) -> #scalar {
            if let ::core::option::Option::Some(descent) = optimizer.as_descent() {
                return self.descend(input, target, &descent);
            }
            let loss = self.gradient_into(input, target, gradient);
            optimizer.step(self, gradient);
            loss
        }

        /// The mean loss and the mean gradient over a mini-batch, `inputs[k]` paired with
        /// `targets[k]`; zero for an empty batch.
        ///
        /// # Panics
        /// If `inputs` and `targets` differ in length.
        #[must_use]
        pub fn batch_gradient(
            &self,
            inputs: &[#inputs],
            targets: &[#outputs],
        ) -> (#scalar, Self) {
            let mut gradient = Self::zeroed();
            let mean = self.mean_batch_gradient(inputs, targets, &mut gradient);
            // One tuple built in one place: a debug build then holds one gradient, not two.
            (mean, gradient)
        }

        /// Adds the mini-batch's gradient to `gradient` (zero on entry) and divides it by the
        /// batch size; returns the mean loss. The body of `batch_gradient` and `train_batch`.
        #[inline]
        fn mean_batch_gradient(
            &self,
            inputs: &[#inputs],
            targets: &[#outputs],
            gradient: &mut Self,
        ) -> #scalar {
            let total = self.accumulate_batch(inputs, targets, gradient);
            if inputs.is_empty() {
                return total;
            }
            let count = <#scalar as ::backprop_core::Scalar>::from_usize(inputs.len());
            #(::backprop_core::Layer::divide(&mut gradient.#layers, count);)*
            total / count
        }

        /// One training step on a mini-batch: the mean gradient over the batch (as
        /// `batch_gradient`), then `optimizer.step`. Returns the mean loss before the step.
        /// `gradient` is scratch space, overwritten: keep one between steps, so a step needs no
        /// net-sized temporary of its own.
        ///
        /// # Panics
        /// If `inputs` and `targets` differ in length.
        #[inline]
        pub fn train_batch<O: ::backprop_core::optim::Optimizer<Self>>(
            &mut self,
            inputs: &[#inputs],
            targets: &[#outputs],
            optimizer: &mut O,
            gradient: &mut Self,
        ) -> #scalar {
            #(gradient.#layers = #zeros;)*
            let mean = self.mean_batch_gradient(inputs, targets, gradient);
            if !inputs.is_empty() {
                optimizer.step(self, gradient);
            }
            mean
        }
    }
}

/// `to_array`, `from_array` and the initialisers, the same for every scalar.
fn storage(rust: &Rust) -> TokenStream {
    let scalar = rust.scalar();
    let zero = rust.float(0.0);
    let parameters = Literal::usize_unsuffixed(rust.program.network.parameters());
    let initialisers = initialisers();
    quote! {
        /// Every parameter in one array: layer by layer, each layer's tensors in order (a dense
        /// layer's weights row by row, then its bias). The order of `from_array` and of
        /// `backprop_core::Network::tensor`.
        #[must_use]
        pub fn to_array(&self) -> [#scalar; #parameters] {
            let mut flat = [#zero; #parameters];
            let mut index = 0;
            for tensor in 0..<Self as ::backprop_core::Network>::TENSORS.len() {
                for &parameter in ::backprop_core::Network::tensor(self, tensor) {
                    flat[index] = parameter;
                    index += 1;
                }
            }
            flat
        }

        /// The network with the parameters of `flat`, in the order of `to_array`.
        #[must_use]
        pub fn from_array(flat: [#scalar; #parameters]) -> Self {
            let mut network = Self::zeroed();
            let mut index = 0;
            for tensor in 0..<Self as ::backprop_core::Network>::TENSORS.len() {
                for parameter in ::backprop_core::Network::tensor_mut(&mut network, tensor) {
                    *parameter = flat[index];
                    index += 1;
                }
            }
            network
        }

        #initialisers
    }
}

/// A fixed-point net's training step: plain SGD, each parameter descended in place as its
/// derivative is formed (`p - rate * dL/dp`, saturating), the bits of `gradient` then `sgd_step`.
fn fixed_step(rust: &Rust) -> TokenStream {
    let scalar = rust.scalar();
    let network = rust.program.network;
    let inputs = network.input.rust_type(&scalar);
    let outputs = Shape::Flat(network.outputs()).rust_type(&scalar);
    quote! {
        /// One training step with plain SGD on one sample: the gradient, then
        /// [`sgd_step`](Self::sgd_step), each parameter stepped in place as its derivative is
        /// formed (the same bits). Returns the loss before the step.
        pub fn train_step(&mut self, input: &#inputs, target: &#outputs, learning_rate: #scalar) -> #scalar {
            self.descend(input, target, &::backprop_core::store::Descend { rate: learning_rate })
        }
    }
}

/// The initialisers' schemes: the name and the distribution of the weights.
const SCHEMES: [(&str, &str); 4] = [
    (
        "he_uniform",
        "He (Kaiming) uniform: weights from `U(-sqrt(6 / fan_in), sqrt(6 / fan_in))`",
    ),
    (
        "he_normal",
        "He (Kaiming) normal: weights from `N(0, 2 / fan_in)`",
    ),
    (
        "xavier_uniform",
        "Xavier (Glorot) uniform: weights from `U(-sqrt(6 / (fan_in + fan_out)), +)`",
    ),
    (
        "xavier_normal",
        "Xavier (Glorot) normal: weights from `N(0, 2 / (fan_in + fan_out))`",
    ),
];

/// `he_uniform(seed)` and friends, deterministic for a seed on every platform.
fn initialisers() -> TokenStream {
    SCHEMES
        .iter()
        .map(|(name, formula)| {
            let name = quote::format_ident!("{name}");
            let doc =
                format!(" {formula}; biases zero. The same bits for a seed on every platform.");
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(seed: ::core::primitive::u64) -> Self {
                    ::backprop_core::init::#name(seed)
                }
            }
        })
        .collect()
}

/// `boxed_zeroed()` and `boxed_he_uniform(seed)` and friends: the constructors on the heap, for a
/// net near the size of a thread's stack; emitted inside the runtime's `__if_std!`.
pub fn boxed() -> TokenStream {
    let boxed = quote!(::backprop_core::__private::Box<Self>);
    let initialisers = SCHEMES.iter().map(|(name, _)| {
        let boxed_name = quote::format_ident!("boxed_{name}");
        let doc = format!(
            " [`{name}`](Self::{name}) on the heap: the same bits, the weights drawn in place. \
             See `backprop_core::init::{boxed_name}`; with `backprop-core`'s `std` feature."
        );
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #boxed_name(seed: ::core::primitive::u64) -> #boxed {
                ::backprop_core::init::#boxed_name(seed)
            }
        }
    });
    quote! {
        /// A net whose every parameter is zero, on the heap: at most one net's size of stack, in
        /// a frame of its own (none once optimised), where `Box::new(Self::zeroed())` holds it in
        /// the caller's. For a net near the size of a thread's stack, and for the `gradient` of
        /// `gradient_into`, `train_step_into` and `train_batch`. See
        /// `backprop_core::init::boxed_zeroed`; with `backprop-core`'s `std` feature.
        #[must_use]
        pub fn boxed_zeroed() -> #boxed {
            ::backprop_core::init::boxed_zeroed()
        }

        #(#initialisers)*
    }
}
