//! The Rust syntax of a derivation: quantities as locals and fields, functions as calls into
//! `backprop_core`, imported by name at the top of each function so the body reads like the
//! notebook (`relu(z_hidden_0)`) while staying hygienic. A fixed-point net's arithmetic is written
//! as the runtime's saturating calls (`fixed::mul`), its dot products summed exactly in 64 bits.

use crate::derive::{Dot, Expr, Function, Operator, Quantity, Syntax};
use crate::model::{Activation, Constant, Index, ScalarType, Shape};
use crate::program::Program;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;

/// Renders the expressions of one program as Rust.
pub struct Rust<'a> {
    /// The program the expressions belong to.
    pub program: &'a Program<'a>,
    /// Writes the activations the catalogue can inline (`relu` as `if z < 0 { 0 } else { z }`) as
    /// the runtime computes them rather than as calls, for a `const fn` (the runtime's generic
    /// functions cannot be `const`); the same operations, so the same bits.
    pub inline_activations: bool,
    /// Each layer's tensor fields.
    fields: Vec<Vec<Ident>>,
}

impl<'a> Rust<'a> {
    /// The Rust syntax of a program.
    pub fn new(program: &'a Program<'a>) -> Self {
        let fields = program
            .network
            .layers
            .iter()
            .map(|layer| {
                let tensors = layer.kind.tensors().into_iter();
                tensors
                    .map(|tensor| format_ident!("{}", tensor.field))
                    .collect()
            })
            .collect();
        Rust {
            program,
            inline_activations: false,
            fields,
        }
    }

    /// The same syntax, inlining activations for a `const fn`.
    pub fn inlining(&self) -> Self {
        Rust {
            program: self.program,
            inline_activations: true,
            fields: self.fields.clone(),
        }
    }

    /// Whether the net is fixed point.
    pub fn fixed(&self) -> bool {
        self.program.network.scalar.is_fixed()
    }

    /// The scalar type ([`ScalarType::path`]).
    pub fn scalar(&self) -> TokenStream {
        self.program.network.scalar.path()
    }

    /// A literal of the scalar type: `3.0_f64` (the suffix fixes the type even next to a user's
    /// `struct f64;`), or the Q16.16 bits nearest to it.
    pub fn float(&self, value: f64) -> TokenStream {
        let suffix = match self.program.network.scalar {
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

    /// The local bound to a quantity, for the values the program binds (not inputs, targets or
    /// parameters, which are read where they are): `z_hidden_0`, `loss`.
    pub fn local(&self, quantity: Quantity) -> Option<Ident> {
        let Quantity::Value { value, index } = quantity else {
            return None;
        };
        let name = &self.program.values[value].name;
        let mut local = name.clone();
        for i in index.indices() {
            local.push('_');
            local.push_str(&i.to_string());
        }
        Some(Ident::new(&local, Span::call_site()))
    }

    /// `[0][1]` as Rust index tokens.
    fn subscripts(index: Index) -> TokenStream {
        let indices = index.indices().map(Literal::usize_unsuffixed);
        quote!(#([#indices])*)
    }

    /// The module functions of `function` come from, and their name there.
    fn function(&self, function: Function) -> Option<(Ident, TokenStream)> {
        let network = self.program.network;
        let activations = if self.fixed() {
            quote!(::backprop_core::fixed::activation)
        } else {
            quote!(::backprop_core::activation)
        };
        let named = |name: &str, suffix: &str, module: &TokenStream| {
            Some((format_ident!("{name}{suffix}"), module.clone()))
        };
        let layer = |layer: usize| network.layers[layer].activation()?.function();
        let output = network.output_activation();
        let losses = if self.fixed() {
            quote!(::backprop_core::fixed::loss::element)
        } else {
            quote!(::backprop_core::loss::element)
        };
        let loss = network.loss.element_function(output);
        match function {
            Function::Activate(index) => named(layer(index)?, "", &activations),
            Function::Slope(index) => named(layer(index)?, "_derivative", &activations),
            Function::Builtin(row) => named(row.function, "", &activations),
            Function::BuiltinSlope(row) => named(row.function, "_derivative", &activations),
            Function::ActivateLayer => named(output.function()?, "", &activations),
            Function::LogSumExp => named(crate::builtins::LOG_SUM_EXP, "", &activations),
            Function::LossTerm | Function::LogitTerm | Function::LogSumExpTerm => {
                named(loss, "", &losses)
            }
            Function::LossSlope => named(loss, "_derivative", &losses),
            Function::Runtime(runtime) => {
                let module = match (self.fixed(), runtime.fixed_module) {
                    (true, Some(module)) => format!("fixed::{module}"),
                    _ => runtime.module.to_string(),
                };
                let path: TokenStream = format!("::backprop_core::{module}").parse().ok()?;
                named(runtime.name, "", &path)
            }
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
        let activation = self.program.network.layers[layer].activation()?;
        let inline = activation.row()?.inline?;
        let parameter = self.activation_parameter(layer);
        Some(inline(arguments.first()?, parameter.as_ref(), &|value| {
            self.float(value)
        }))
    }

    /// A layer's activations of its pre-activations `z`, the whole layer at once: `z.map(relu)`,
    /// row by row for a signal, `softmax(z)` for a layer-wide one, `z` itself for the identity.
    pub fn activations(&self, layer: usize, z: &Ident) -> TokenStream {
        let spec = &self.program.network.layers[layer];
        let Some(activation) = spec.activation() else {
            return quote!(#z);
        };
        if activation.is_unchanged() {
            return quote!(#z);
        }
        if activation.is_layer_wide() {
            let function = self.function_name(Function::ActivateLayer);
            return quote!(#function(#z));
        }
        let function = if let Activation::Custom(path) = activation {
            // Spanned at the user's type, so a missing `Activation` impl is reported there.
            let function = self.user_function(layer, "value");
            quote::quote_spanned!(path.span()=> #function)
        } else if activation.parameter().is_some() {
            let call = self.call(Function::Activate(layer), vec![quote!(z)]);
            quote!(|z| #call)
        } else {
            let function = self.function_name(Function::Activate(layer));
            quote!(#function)
        };
        match spec.output {
            Shape::Flat(_) => quote!(::backprop_core::activation::apply(#z, #function)),
            Shape::Signal { .. } => {
                quote!(::backprop_core::activation::apply_signal(#z, #function))
            }
        }
    }

    /// Whether `forward` can be a `const fn`: unrolled, float, with activations the runtime need
    /// not call and layers whose forward pass is plain arithmetic.
    pub fn const_forward(&self) -> bool {
        let network = self.program.network;
        network.form == crate::model::Form::Unrolled
            && !self.fixed()
            && network.layers.iter().all(|layer| {
                layer.activation().is_some_and(Activation::is_const) && layer.kind.const_forward()
            })
    }

    /// The name a runtime function is imported under (`relu`, `softmax`); `None` for a user type.
    pub fn function_name(&self, function: Function) -> Option<Ident> {
        self.function(function).map(|(name, _)| name)
    }

    /// The parameter literal a layer's activation takes after `z` (and `a`), if any.
    fn activation_parameter(&self, layer: usize) -> Option<TokenStream> {
        let parameter = self.program.network.layers[layer]
            .activation()?
            .parameter()?;
        Some(self.constant(parameter))
    }

    /// `self.hidden.weights[0][1]`, or of `owner` in place of `self`.
    pub fn parameter(
        &self,
        owner: &TokenStream,
        layer: usize,
        tensor: usize,
        index: Index,
    ) -> TokenStream {
        let name = &self.program.network.layers[layer].name;
        let field = &self.fields[layer][tensor];
        let subscripts = Self::subscripts(index);
        quote!(#owner.#name.#field #subscripts)
    }

    /// Layer `layer`'s tensor fields.
    pub fn fields(&self, layer: usize) -> &[Ident] {
        &self.fields[layer]
    }

    /// The factors of a product of two, for a fixed-point dot product.
    fn factors(&self, product: &Expr) -> TokenStream {
        match product {
            Expr::Product(factors) if factors.len() == 2 => {
                let (a, b) = (factors[0].render(self), factors[1].render(self));
                quote!((#a, #b))
            }
            other => {
                let other = other.render(self);
                let one = self.float(1.0);
                quote!((#other, #one))
            }
        }
    }
}

impl Syntax for Rust<'_> {
    type Output = TokenStream;

    fn quantity(&self, quantity: Quantity) -> TokenStream {
        match quantity {
            Quantity::Input(index) => {
                let subscripts = Self::subscripts(index);
                quote!(input #subscripts)
            }
            Quantity::Target(index) => {
                let subscripts = Self::subscripts(index);
                quote!(target #subscripts)
            }
            Quantity::Parameter {
                layer,
                tensor,
                index,
            } => self.parameter(&quote!(self), layer, tensor, index),
            local @ Quantity::Value { .. } => {
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
        let network = self.program.network;
        let parameter = match function {
            Function::Activate(layer) | Function::Slope(layer) => self.activation_parameter(layer),
            Function::LossTerm | Function::LossSlope => {
                network.loss.parameter().map(|delta| self.constant(delta))
            }
            _ => None,
        };
        let arguments = arguments.into_iter().chain(parameter);
        let array = match function {
            Function::ActivateLayer | Function::LogSumExp => true,
            Function::Runtime(runtime) => runtime.array,
            _ => false,
        };
        match (self.function(function), function) {
            (Some((name, _)), _) if array => quote!(#name([#(#arguments),*])),
            (Some((name, _)), _) => quote!(#name(#(#arguments),*)),
            (None, Function::Activate(layer) | Function::Slope(layer)) => {
                self.user_activation(layer, function, arguments)
            }
            (None, _) => quote!(),
        }
    }

    fn count(&self, count: usize) -> TokenStream {
        if self.fixed() {
            let count = Literal::usize_unsuffixed(count);
            return quote!(#count);
        }
        #[allow(clippy::cast_precision_loss)] // output counts are far below 2^52
        self.float(count as f64)
    }

    fn constant(&self, value: f64) -> TokenStream {
        self.float(value)
    }

    fn operator(&self, left: TokenStream, operator: Operator, right: TokenStream) -> TokenStream {
        if self.fixed() {
            let fixed = quote!(::backprop_core::fixed);
            return match operator {
                Operator::Add => quote!(#left.saturating_add(#right)),
                Operator::Subtract => quote!(#left.saturating_sub(#right)),
                Operator::Multiply => quote!(#fixed::mul(#left, #right)),
                Operator::Divide => quote!(#fixed::divide(#left, #right)),
            };
        }
        match operator {
            Operator::Add => quote!(#left + #right),
            Operator::Subtract => quote!(#left - #right),
            Operator::Multiply => quote!(#left * #right),
            Operator::Divide => quote!(#left / #right),
        }
    }

    fn parenthesized(&self, inner: TokenStream) -> TokenStream {
        // Fixed-point arithmetic is all calls, which never need parentheses.
        if self.fixed() {
            inner
        } else {
            quote!((#inner))
        }
    }

    fn dot(&self, dot: &Dot) -> TokenStream {
        if !self.fixed() {
            return dot.as_sum().render(self);
        }
        let pairs = dot.products.iter().map(|product| self.factors(product));
        let bias = dot
            .bias
            .as_ref()
            .map_or_else(|| self.float(0.0), |bias| bias.render(self));
        quote!(::backprop_core::fixed::affine([#(#pairs),*], #bias))
    }

    fn dot_is_call(&self) -> bool {
        self.fixed()
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
        let Some(Activation::Custom(path)) = self.program.network.layers[layer].activation() else {
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
