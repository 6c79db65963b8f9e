//! The Rust syntax of a derivation: quantities as locals and fields, functions as calls into
//! `backprop_core`, imported by name at the top of each function so the body reads like the
//! notebook (`relu(z_hidden_0)`) while staying hygienic.

use crate::derive::{Expr, Function, Operator, Quantity, Syntax};
use crate::model::{Activation, Constant, Network, ScalarType};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

/// Renders expressions of one network as Rust.
pub struct Rust<'a> {
    /// The network the expressions belong to.
    pub network: &'a Network,
    /// Writes the activations the catalogue can inline (`relu` as `if z < 0 { 0 } else { z }`) as
    /// the runtime computes them rather than as calls, for a `const fn` (the runtime's generic
    /// functions cannot be `const`); the same operations, so the same bits.
    pub inline_activations: bool,
}

impl Rust<'_> {
    /// `::core::primitive::f64` (or `f32`): never a user's type of the same name.
    pub fn scalar(&self) -> TokenStream {
        match self.network.scalar {
            ScalarType::F32 => quote!(::core::primitive::f32),
            ScalarType::F64 => quote!(::core::primitive::f64),
            ScalarType::I16F16 => quote!(::backprop_core::fixed::I16F16),
        }
    }

    /// A float literal with the scalar's suffix, e.g. `3.0_f64`: the suffix fixes the type even
    /// next to a user's `struct f64;`.
    pub fn float(&self, value: f64) -> TokenStream {
        let suffix = match self.network.scalar {
            ScalarType::F32 => "f32",
            ScalarType::F64 => "f64",
            ScalarType::I16F16 => return fixed_literal(value),
        };
        // Debug prints the shortest text that reads back as the same f64: `0.01`, `3.0`, `1e-300`.
        let literal: Literal = format!("{:?}_{suffix}", value.abs())
            .parse()
            .unwrap_or_else(|_| Literal::f64_unsuffixed(value.abs()));
        if value.is_sign_negative() {
            quote!(-#literal)
        } else {
            quote!(#literal)
        }
    }

    fn constant(&self, constant: &Constant) -> TokenStream {
        self.float(constant.value)
    }

    /// The local bound to a quantity, for those the derivation binds (not inputs, targets or
    /// parameters, which are read where they are).
    pub fn local(&self, quantity: Quantity) -> Option<Ident> {
        let layer = |index: usize| &self.network.layers[index].name;
        Some(match quantity {
            Quantity::PreActivation { layer: index, node } => {
                format_ident!("z_{}_{}", layer(index), node, span = Span::call_site())
            }
            Quantity::Activation { layer: index, node } => {
                format_ident!("a_{}_{}", layer(index), node, span = Span::call_site())
            }
            Quantity::Delta { layer: index, node } => {
                format_ident!("delta_{}_{}", layer(index), node, span = Span::call_site())
            }
            Quantity::LossSlope(node) => format_ident!("loss_slope_{}", node),
            Quantity::JacobianDot => format_ident!("{}_dot", self.output_function()),
            Quantity::LogSumExp => format_ident!("log_sum_exp"),
            Quantity::TargetSum => format_ident!("target_sum"),
            Quantity::Loss => format_ident!("loss"),
            Quantity::Input(_)
            | Quantity::Target(_)
            | Quantity::Weight { .. }
            | Quantity::Bias { .. } => return None,
        })
    }

    /// The runtime name of the output layer's activation (`softmax`), naming its shared terms.
    fn output_function(&self) -> &'static str {
        self.network
            .output_layer()
            .activation
            .function()
            .unwrap_or_default()
    }

    /// The name of the runtime function behind `function`, and the module it is imported from.
    fn function(&self, function: Function) -> Option<(Ident, TokenStream)> {
        let activation_module = quote!(::backprop_core::activation);
        let activation = |layer: usize, suffix: &str| {
            let name = self.network.layers[layer].activation.function()?;
            Some((format_ident!("{name}{suffix}"), activation_module.clone()))
        };
        let output = &self.network.output_layer().activation;
        let loss = |suffix: &str| {
            Some((
                format_ident!("{}{suffix}", self.network.loss.element_function(output)),
                quote!(::backprop_core::loss::element),
            ))
        };
        match function {
            Function::Activate(layer) => activation(layer, ""),
            Function::Slope(layer) => activation(layer, "_derivative"),
            Function::ActivateLayer => activation(self.network.layers.len() - 1, ""),
            Function::LogSumExp => Some((format_ident!("log_sum_exp"), activation_module)),
            Function::LossTerm | Function::LogitTerm | Function::LogSumExpTerm => loss(""),
            Function::LossSlope => loss("_derivative"),
        }
    }

    /// One `use` per runtime module, naming the functions the given expressions call, so the
    /// body can say `relu(z_hidden_0)` while no user item of that name can interfere.
    pub fn imports<'e>(&self, exprs: impl IntoIterator<Item = &'e Expr>) -> TokenStream {
        let mut functions = Vec::new();
        for expr in exprs {
            expr.for_each_call(&mut |function| functions.push(function));
        }
        self.imports_of(functions, Vec::new())
    }

    /// `use` items for the runtime behind `functions`, and for `extra` names of other modules.
    pub fn imports_of(
        &self,
        functions: impl IntoIterator<Item = Function>,
        extra: Vec<(Ident, TokenStream)>,
    ) -> TokenStream {
        let inlined = |function: &Function| {
            self.inline_activations && matches!(function, Function::Activate(_))
        };
        let items = functions
            .into_iter()
            .filter(|function| !inlined(function))
            .filter_map(|function| self.function(function))
            .chain(extra);
        let mut modules: Vec<(String, TokenStream, Vec<Ident>)> = Vec::new();
        for (name, module) in items {
            let key = module.to_string();
            match modules.iter_mut().find(|(existing, ..)| *existing == key) {
                Some((.., names)) if !names.contains(&name) => names.push(name),
                Some(_) => {}
                None => modules.push((key, module, vec![name])),
            }
        }
        modules
            .iter()
            .map(|(_, module, names)| quote!(use #module::{#(#names),*};))
            .collect()
    }

    /// A layer's activation of `z` written out as the runtime computes it, if the catalogue can.
    fn inline_activation(&self, layer: usize, arguments: &[TokenStream]) -> Option<TokenStream> {
        let activation = &self.network.layers[layer].activation;
        let inline = activation.row()?.inline?;
        let parameter = self.activation_parameter(layer);
        Some(inline(arguments.first()?, parameter.as_ref(), &|value| {
            self.float(value)
        }))
    }

    /// Whether `forward` can be a `const fn`: unrolled, with activations the runtime need not call.
    pub fn const_forward(&self) -> bool {
        self.network.form == crate::model::Form::Unrolled
            && self
                .network
                .layers
                .iter()
                .all(|layer| layer.activation.is_const())
    }

    /// The name a runtime function is imported under (`relu`, `softmax`); `None` for a user type.
    pub fn function_name(&self, function: Function) -> Option<Ident> {
        self.function(function).map(|(name, _)| name)
    }

    /// The parameter literal a layer's activation takes after `z` (and `a`), if any.
    fn activation_parameter(&self, layer: usize) -> Option<TokenStream> {
        let parameter = self.network.layers[layer].activation.parameter()?;
        Some(self.constant(parameter))
    }
}

impl Syntax for Rust<'_> {
    type Output = TokenStream;

    fn quantity(&self, quantity: Quantity) -> TokenStream {
        let index = Literal::usize_unsuffixed;
        match quantity {
            Quantity::Input(input) => {
                let input = index(input);
                quote!(input[#input])
            }
            Quantity::Target(output) => {
                let output = index(output);
                quote!(target[#output])
            }
            Quantity::Weight { layer, node, from } => {
                let (name, node, from) =
                    (&self.network.layers[layer].name, index(node), index(from));
                quote!(self.#name.weights[#node][#from])
            }
            Quantity::Bias { layer, node } => {
                let (name, node) = (&self.network.layers[layer].name, index(node));
                quote!(self.#name.bias[#node])
            }
            local => {
                let local = self.local(local);
                quote!(#local)
            }
        }
    }

    fn call(&self, function: Function, arguments: Vec<TokenStream>) -> TokenStream {
        if let (true, Function::Activate(layer)) = (self.inline_activations, function)
            && let Some(inline) = self.inline_activation(layer, &arguments)
        {
            return inline;
        }
        let parameter = match function {
            Function::Activate(layer) | Function::Slope(layer) => self.activation_parameter(layer),
            Function::LossTerm | Function::LossSlope => self
                .network
                .loss
                .parameter()
                .map(|delta| self.constant(delta)),
            _ => None,
        };
        let arguments = arguments.into_iter().chain(parameter);
        match (function, self.function(function)) {
            (Function::ActivateLayer | Function::LogSumExp, Some((name, _))) => {
                quote!(#name([#(#arguments),*]))
            }
            (_, Some((name, _))) => quote!(#name(#(#arguments),*)),
            (Function::Activate(layer) | Function::Slope(layer), None) => {
                self.user_activation(layer, function, arguments)
            }
            (_, None) => quote!(),
        }
    }

    fn count(&self, count: usize) -> TokenStream {
        #[allow(clippy::cast_precision_loss)] // output counts are far below 2^52
        self.float(count as f64)
    }

    fn operator(&self, left: TokenStream, operator: Operator, right: TokenStream) -> TokenStream {
        match operator {
            Operator::Add => quote!(#left + #right),
            Operator::Subtract => quote!(#left - #right),
            Operator::Multiply => quote!(#left * #right),
            Operator::Divide => quote!(#left / #right),
        }
    }

    fn parenthesized(&self, inner: TokenStream) -> TokenStream {
        quote!((#inner))
    }
}

impl Rust<'_> {
    /// `<path as ::backprop_core::Activation<f64>>::value(z)` (or `derivative(z, a)`), with the
    /// user's path keeping its span, so a type that does not implement the trait is reported there.
    fn user_activation(
        &self,
        layer: usize,
        function: Function,
        arguments: impl Iterator<Item = TokenStream>,
    ) -> TokenStream {
        let method = if function == Function::Slope(layer) {
            "derivative"
        } else {
            "value"
        };
        let function = self.user_function(layer, method);
        quote!(#function(#(#arguments),*))
    }

    /// `<path as ::backprop_core::Activation<f64>>::value` (or `derivative`) of a layer's user
    /// activation, every token spanned at the user's path: a type that does not implement the
    /// trait is reported there, once, not at the macro call.
    pub fn user_function(&self, layer: usize, method: &str) -> TokenStream {
        let Activation::Custom(path) = &self.network.layers[layer].activation else {
            return quote!();
        };
        let span = path
            .segments
            .last()
            .map_or_else(Span::call_site, |segment| segment.ident.span());
        let (scalar, method) = (self.scalar(), Ident::new(method, span));
        quote::quote_spanned!(span=> <#path as ::backprop_core::Activation<#scalar>>::#method)
    }
}

impl Expr {
    /// Calls `visit` on every function the expression calls.
    fn for_each_call(&self, visit: &mut impl FnMut(Function)) {
        match self {
            Expr::Quantity(_) => {}
            Expr::Call(function, arguments) => {
                visit(*function);
                for argument in arguments {
                    argument.for_each_call(visit);
                }
            }
            Expr::Sum(terms) | Expr::Product(terms) => {
                for term in terms {
                    term.for_each_call(visit);
                }
            }
            Expr::Difference(left, right) => {
                left.for_each_call(visit);
                right.for_each_call(visit);
            }
            Expr::Mean(inner, _) => inner.for_each_call(visit),
        }
    }
}

/// `::backprop_core::fixed::I16F16::from_bits(n)`, `n` the nearest multiple of `2^-16` to `value`
/// in Q16.16 bits (check keeps constants of fixed-point nets within range).
pub fn fixed_literal(value: f64) -> TokenStream {
    #[allow(clippy::cast_possible_truncation)] // saturating, and check bounds the value
    let bits = (value * 65_536.0).round() as i64;
    let magnitude = Literal::i64_unsuffixed(bits.abs());
    let bits = if bits < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    };
    quote!(::backprop_core::fixed::I16F16::from_bits(#bits))
}
