//! The expressions of a derivation: quantities, sums, products, dot products in their summation
//! order, and calls of the runtime's functions.

use super::LANES;
use crate::builtins::ActivationRow;
use crate::model::Index;
use crate::program::ValueId;

/// A named scalar of the derivation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Quantity {
    /// An element of the net's input.
    Input(Index),
    /// An element of the target.
    Target(Index),
    /// An element of a parameter tensor: `tensor` of the layer, at `index`.
    Parameter {
        /// The layer.
        layer: usize,
        /// Which of its tensors (in the order of [`crate::layers::Kind::tensors`]).
        tensor: usize,
        /// Where in the tensor.
        index: Index,
    },
    /// An element of a value the program binds (`z_hidden`, `delta_output`, `loss`).
    Value {
        /// The value.
        value: ValueId,
        /// Where in it ([`Index::SCALAR`] for a scalar value).
        index: Index,
    },
}

/// An expression over quantities. Sums and products associate to the left in the order given.
#[derive(Clone, PartialEq, Debug)]
pub enum Expr {
    /// A named quantity.
    Quantity(Quantity),
    /// A number of the derivation itself (the `1` of `1 - z`).
    Constant(f64),
    /// `e_0 + e_1 + ...`, left to right.
    Sum(Vec<Expr>),
    /// `e_0 * e_1 * ...`, left to right.
    Product(Vec<Expr>),
    /// `e_0 - e_1`.
    Difference(Box<Expr>, Box<Expr>),
    /// `e / count`: a mean.
    Mean(Box<Expr>, usize),
    /// A sum of products in a stated order (see [`Dot`]).
    Dot(Box<Dot>),
    /// A function of the runtime applied to arguments.
    Call(Function, Vec<Expr>),
}

/// `sum_i a_i b_i (+ bias)`, the one shape every layer's sums take: a float net sums it in the
/// order given by `lanes`, a fixed-point net exactly in 64 bits, rounded once.
#[derive(Clone, PartialEq, Debug)]
pub struct Dot {
    /// The products `a_i * b_i`, each an [`Expr::Product`] of two factors, in order.
    pub products: Vec<Expr>,
    /// Added last, if any.
    pub bias: Option<Expr>,
    /// Whether the products go to [`LANES`] interleaved partial sums (the canonical order of a
    /// forward dot product) rather than left to right.
    pub lanes: bool,
}

impl Dot {
    /// `sum_i product_i + bias` in the canonical order every form and kernel follows: lane `k`
    /// sums the products `k, k + LANES, k + 2 LANES, ...` in order from its first, the lanes are
    /// added left to right, then the bias. With `LANES` or fewer products this is plain left to
    /// right, bias last.
    pub fn forward(products: Vec<Expr>, bias: Expr) -> Expr {
        Expr::Dot(Box::new(Dot {
            products,
            bias: Some(bias),
            lanes: true,
        }))
    }

    /// `sum_i product_i`, left to right from the first product.
    pub fn in_order(products: Vec<Expr>) -> Expr {
        Expr::Dot(Box::new(Dot {
            products,
            bias: None,
            lanes: false,
        }))
    }

    /// The float order as a tree of sums: the lanes (each a sum of its products), then the bias.
    pub fn as_sum(&self) -> Expr {
        let mut terms = if !self.lanes || self.products.len() <= LANES {
            self.products.clone()
        } else {
            let mut lanes: Vec<Vec<Expr>> = vec![Vec::new(); LANES];
            for (index, product) in self.products.iter().enumerate() {
                lanes[index % LANES].push(product.clone());
            }
            lanes
                .into_iter()
                .map(|mut lane| match lane.len() {
                    1 => lane.remove(0),
                    _ => Expr::Sum(lane),
                })
                .collect()
        };
        terms.extend(self.bias.clone());
        Expr::Sum(terms)
    }
}

/// The runtime functions a derivation calls.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Function {
    /// The activation of the given layer, of `[z]`.
    Activate(usize),
    /// The derivative of the given layer's activation, of `[z, a]`.
    Slope(usize),
    /// A built-in activation a layer computes inside itself (a recurrent cell's gates), of `[z]`.
    Builtin(&'static ActivationRow),
    /// That built-in's derivative, of `[z, a]`.
    BuiltinSlope(&'static ActivationRow),
    /// The layer-wide activation (softmax) of all the output pre-activations, giving all the
    /// activations.
    ActivateLayer,
    /// `ln sum e^z` of all the output pre-activations.
    LogSumExp,
    /// One output's term of the loss, of `[y, t]`.
    LossTerm,
    /// That term's derivative in `y`, of `[y, t]`.
    LossSlope,
    /// One output's fused loss term from its logit (sigmoid with binary cross-entropy or
    /// cross-entropy), of `[z, t]`.
    LogitTerm,
    /// One output's share of a fused loss by log-sum-exp (softmax with cross-entropy), of
    /// `[z, log_sum_exp, t]`.
    LogSumExpTerm,
    /// A function a layer kind keeps in the runtime (the maximum of a pooling window, say).
    Runtime(&'static RuntimeFunction),
}

/// A runtime function of a layer kind, as its kind names it.
#[derive(Debug)]
pub struct RuntimeFunction {
    /// Its name in the runtime and in the derivation text.
    pub name: &'static str,
    /// The module of `backprop_core` that holds it: `layers::pool`.
    pub module: &'static str,
    /// Its Q16.16 counterpart in `backprop_core::fixed`, when a fixed-point net may call it.
    pub fixed_module: Option<&'static str>,
    /// Whether it takes its arguments as one array (`max([a, b, c])`) rather than one by one.
    pub array: bool,
    /// Whether it returns an array, one value for each quantity its equation defines.
    pub returns_array: bool,
    /// Floating-point operations of one call, as the costs count them.
    pub flops: usize,
}

impl PartialEq for RuntimeFunction {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::eq(self, other)
    }
}

impl Expr {
    /// Calls `visit` on every quantity the expression reads.
    pub fn for_each_quantity(&self, visit: &mut impl FnMut(Quantity)) {
        match self {
            Expr::Quantity(quantity) => visit(*quantity),
            Expr::Constant(_) => {}
            Expr::Sum(terms) | Expr::Product(terms) | Expr::Call(_, terms) => {
                for term in terms {
                    term.for_each_quantity(visit);
                }
            }
            Expr::Difference(left, right) => {
                left.for_each_quantity(visit);
                right.for_each_quantity(visit);
            }
            Expr::Mean(inner, _) => inner.for_each_quantity(visit),
            Expr::Dot(dot) => {
                for term in dot.products.iter().chain(&dot.bias) {
                    term.for_each_quantity(visit);
                }
            }
        }
    }

    /// Calls `visit` on every function the expression calls.
    pub fn for_each_call(&self, visit: &mut impl FnMut(Function)) {
        match self {
            Expr::Quantity(_) | Expr::Constant(_) => {}
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
            Expr::Dot(dot) => {
                for term in dot.products.iter().chain(&dot.bias) {
                    term.for_each_call(visit);
                }
            }
        }
    }

    /// Floating-point operations to evaluate the expression, counted as the program's costs
    /// count them: one per `+ - * /` and per function call, `n` for softmax or log-sum-exp of
    /// `n` values.
    pub fn operations(&self) -> usize {
        match self {
            Expr::Quantity(_) | Expr::Constant(_) => 0,
            Expr::Sum(terms) | Expr::Product(terms) => {
                terms.len().saturating_sub(1) + terms.iter().map(Expr::operations).sum::<usize>()
            }
            Expr::Difference(left, right) => 1 + left.operations() + right.operations(),
            Expr::Mean(inner, _) => 1 + inner.operations(),
            Expr::Dot(dot) => dot.as_sum().operations(),
            Expr::Call(function, arguments) => {
                let own = match function {
                    Function::ActivateLayer | Function::LogSumExp => arguments.len(),
                    Function::Runtime(runtime) => runtime.flops,
                    _ => 1,
                };
                own + arguments.iter().map(Expr::operations).sum::<usize>()
            }
        }
    }
}

/// `a * b`.
pub fn times(a: Expr, b: Expr) -> Expr {
    Expr::Product(vec![a, b])
}

/// `a - b`.
pub fn minus(a: Expr, b: Expr) -> Expr {
    Expr::Difference(Box::new(a), Box::new(b))
}
