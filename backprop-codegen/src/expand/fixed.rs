//! `scalar: I16F16`: a Q16.16 net on the runtime's `fixed` module, written in the looped form
//! (one line per layer): `forward`, `loss`, `gradient`, `sgd_step`, `train_step` (plain SGD) and,
//! on the host, `to_rust_source`. Integer arithmetic only, saturating; see `backprop_core::fixed`.

use super::rust::fixed_literal;
use crate::model::{Activation, Layer, Loss, Network};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The struct and its methods.
pub fn expand(network: &Network) -> TokenStream {
    let (name, vis, attrs) = (&network.name, &network.vis, &network.attrs);
    let scalar = quote!(::backprop_core::fixed::I16F16);
    let layers: Vec<_> = network.layers.iter().map(|layer| &layer.name).collect();
    let types = network.layers.iter().map(|layer| {
        let (inputs, outputs) = sizes(layer);
        quote!(::backprop_core::Dense<#scalar, #inputs, #outputs>)
    });
    let docs = network
        .layers
        .iter()
        .map(|layer| format!("`{}`: {} -> {}", layer.name, layer.inputs, layer.outputs));
    let inputs = Literal::usize_unsuffixed(network.inputs);
    let outputs = Literal::usize_unsuffixed(network.outputs());
    let parameters = Literal::usize_unsuffixed(network.parameters());
    let input = quote!([#scalar; #inputs]);
    let output = quote!([#scalar; #outputs]);
    let (loss, slope) = loss_functions(network);
    let forward = forward(network);
    let gradient = gradient(network, &loss);
    let type_name = name.to_string();
    quote! {
        #(#attrs)*
        #vis struct #name {
            #(
                #[doc = #docs]
                pub #layers: #types,
            )*
        }

        #[allow(dead_code, clippy::similar_names, clippy::too_many_lines, clippy::trivially_copy_pass_by_ref)]
        impl #name {
            /// The number of inputs.
            pub const INPUTS: ::core::primitive::usize = #inputs;
            /// The number of outputs.
            pub const OUTPUTS: ::core::primitive::usize = #outputs;
            /// The number of weights and biases.
            pub const PARAMETERS: ::core::primitive::usize = #parameters;

            /// A network whose every parameter is zero.
            #[must_use]
            pub const fn zeroed() -> Self {
                Self { #(#layers: ::backprop_core::Dense::ZERO_FIXED),* }
            }

            /// The outputs for `input`, in Q16.16 integer arithmetic (saturating).
            #[must_use]
            pub fn forward(&self, input: &#input) -> #output {
                #forward
            }

            /// The loss for one sample.
            #[must_use]
            pub fn loss(&self, input: &#input, target: &#output) -> #scalar {
                #loss(&self.forward(input), target)
            }

            /// The loss and its derivative for every parameter, in a value shaped like the net:
            /// back-propagation in Q16.16, each sum exact in 64 bits and rounded once.
            #[must_use]
            pub fn gradient(&self, input: &#input, target: &#output) -> (#scalar, Self) {
                let slope = #slope;
                #gradient
            }

            /// One step of gradient descent, `p = p - learning_rate * dL/dp`, rounded and saturated.
            pub fn sgd_step(&mut self, gradient: &Self, learning_rate: #scalar) {
                #(::backprop_core::fixed::Layer::sgd_step(&mut self.#layers, &gradient.#layers, learning_rate);)*
            }

            /// One training step with plain SGD: the gradient for one sample, then
            /// [`sgd_step`](Self::sgd_step). Returns the loss before the step.
            pub fn train_step(&mut self, input: &#input, target: &#output, learning_rate: #scalar) -> #scalar {
                let (loss, gradient) = self.gradient(input, target);
                self.sgd_step(&gradient, learning_rate);
                loss
            }
        }

        ::backprop_core::__if_std! {
            #[allow(dead_code)]
            impl #name {
                /// This net as Rust source, `const CONST_NAME: Type = Type { ... };`, each
                /// parameter as `I16F16::from_bits(..)`: it reads back bit for bit. `Dense` and
                /// `I16F16` must be in scope there.
                #[must_use]
                pub fn to_rust_source(&self, const_name: &::core::primitive::str) -> ::backprop_core::__private::String {
                    let mut source = ::backprop_core::__private::String::new();
                    source.push_str("const ");
                    source.push_str(const_name);
                    source.push_str(concat!(": ", #type_name, " = ", #type_name, " { "));
                    #(
                        source.push_str(concat!(stringify!(#layers), ": "));
                        source.push_str(&::backprop_core::fixed::to_rust_source(&self.#layers));
                        source.push_str(", ");
                    )*
                    source.push_str("};\n");
                    source
                }
            }
        }
    }
}

/// The layer's input and output widths as literals.
fn sizes(layer: &Layer) -> (Literal, Literal) {
    (
        Literal::usize_unsuffixed(layer.inputs),
        Literal::usize_unsuffixed(layer.outputs),
    )
}

/// The path of the loss over the outputs, and the expression of its slopes `dL/dy_o`.
fn loss_functions(network: &Network) -> (TokenStream, TokenStream) {
    let module = quote!(::backprop_core::fixed::loss);
    let outputs = Literal::usize_unsuffixed(network.outputs());
    match network.loss {
        Loss::MeanSquaredError => (
            quote!(#module::mean_squared_error),
            quote!(|y, t| #module::mean_squared_error_derivative::<#outputs>(y, t)),
        ),
        _ => (
            quote!(#module::sum_squared_error),
            quote!(#module::squared_error_derivative),
        ),
    }
}

/// `backprop_core::fixed::activation`'s function of a layer's activation (the catalogue's name,
/// as the float runtime's), with `suffix`, applied to `arguments` and the activation's parameter.
/// Check admits only built-ins with a fixed-point form, all of which have a runtime name.
fn activation_call(
    activation: &Activation,
    suffix: &str,
    arguments: &[TokenStream],
) -> TokenStream {
    let function = format_ident!("{}{suffix}", activation.function().unwrap_or_default());
    let parameter = activation
        .parameter()
        .map(|parameter| fixed_literal(parameter.value));
    let arguments = arguments.iter().chain(&parameter);
    quote!(::backprop_core::fixed::activation::#function(#(#arguments),*))
}

/// `f(z)` of a layer's activation, as a function to `map` over its pre-activations.
fn activate(activation: &Activation) -> TokenStream {
    let call = activation_call(activation, "", &[quote!(z)]);
    quote!(|z| #call)
}

/// `f'(z)` of a layer's activation, from `z` and `a`.
fn derivative(activation: &Activation, z: &TokenStream, a: &TokenStream) -> TokenStream {
    activation_call(activation, "_derivative", &[z.clone(), a.clone()])
}

/// `::backprop_core::fixed::Layer`, whose methods the code calls by path.
fn layer_trait() -> TokenStream {
    quote!(::backprop_core::fixed::Layer)
}

/// `let a_first = Layer::pre_activation(&self.first, input).map(relu); ... a_last`.
fn forward(network: &Network) -> TokenStream {
    let layer_trait = layer_trait();
    let mut body = quote!();
    let mut previous = quote!(input);
    for layer in &network.layers {
        let (field, a) = (&layer.name, format_ident!("a_{}", layer.name));
        let activate = activate(&layer.activation);
        body.extend(quote! {
            let #a = #layer_trait::pre_activation(&self.#field, #previous).map(#activate);
        });
        previous = quote!(&#a);
    }
    let last = format_ident!("a_{}", network.output_layer().name);
    quote!(#body #last)
}

/// The forward pass keeping `z` and `a` of every layer, the loss, then each layer from the last:
/// `delta_j = f'(z_j, a_j) * upstream_j`, its gradient `delta_j a_i` and `delta_j`, and the
/// upstream of the layer below, `sum_j w_ji delta_j`.
fn gradient(network: &Network, loss: &TokenStream) -> TokenStream {
    let (mul, layer_trait) = (quote!(::backprop_core::fixed::mul), layer_trait());
    let z = |layer: &Layer| format_ident!("z_{}", layer.name);
    let a = |layer: &Layer| format_ident!("a_{}", layer.name);
    let below = |index: usize| {
        index.checked_sub(1).map_or_else(
            || quote!(input),
            |below| {
                let a = a(&network.layers[below]);
                quote!(&#a)
            },
        )
    };
    let mut body = quote!();
    for (index, layer) in network.layers.iter().enumerate() {
        let (field, z, a, previous) = (&layer.name, z(layer), a(layer), below(index));
        let activate = activate(&layer.activation);
        body.extend(quote! {
            let #z = #layer_trait::pre_activation(&self.#field, #previous);
            let #a = #z.map(#activate);
        });
    }
    let last = a(network.output_layer());
    let outputs = Literal::usize_unsuffixed(network.outputs());
    body.extend(quote! {
        let loss = #loss(&#last, target);
        let mut gradient = Self::zeroed();
        let upstream: [::backprop_core::fixed::I16F16; #outputs] =
            ::core::array::from_fn(|o| slope(#last[o], target[o]));
    });
    for (index, layer) in network.layers.iter().enumerate().rev() {
        let (field, previous) = (&layer.name, below(index));
        let (z, a) = (z(layer), a(layer));
        let slope = derivative(&layer.activation, &quote!(#z[j]), &quote!(#a[j]));
        let (_, outputs) = sizes(layer);
        let delta = format_ident!("delta_{}", layer.name);
        body.extend(quote! {
            let #delta: [::backprop_core::fixed::I16F16; #outputs] =
                ::core::array::from_fn(|j| #mul(#slope, upstream[j]));
            #layer_trait::set_gradient(&mut gradient.#field, &#delta, #previous);
        });
        if index > 0 {
            body.extend(
                quote!(let upstream = #layer_trait::back_propagate(&self.#field, &#delta);),
            );
        }
    }
    quote!(#body (loss, gradient))
}
