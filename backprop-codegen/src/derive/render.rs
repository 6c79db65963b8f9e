//! Renders an [`Expr`] in any concrete syntax (Rust tokens, text) with the fewest parentheses
//! that keep its evaluation order: sums and products associate to the left, so only a compound
//! right operand, or a sum inside a product, needs parentheses.

use super::{Dot, Expr, Function, Quantity};

/// A binary operator.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Operator {
    /// `+`.
    Add,
    /// `-`.
    Subtract,
    /// `*`.
    Multiply,
    /// `/`.
    Divide,
}

/// A concrete syntax an expression can be rendered in.
pub trait Syntax {
    /// What a rendered expression is.
    type Output;
    /// A named quantity.
    fn quantity(&self, quantity: Quantity) -> Self::Output;
    /// A function applied to rendered arguments.
    fn call(&self, function: Function, arguments: Vec<Self::Output>) -> Self::Output;
    /// The number of outputs a mean divides by.
    fn count(&self, count: usize) -> Self::Output;
    /// `left operator right`.
    fn operator(&self, left: Self::Output, operator: Operator, right: Self::Output)
    -> Self::Output;
    /// `(inner)`.
    fn parenthesized(&self, inner: Self::Output) -> Self::Output;
    /// A number of the derivation itself.
    fn constant(&self, value: f64) -> Self::Output;
    /// A sum of products in its stated order: by default the tree of sums of the float order.
    fn dot(&self, dot: &Dot) -> Self::Output
    where
        Self: Sized,
    {
        dot.as_sum().render(self)
    }
    /// Whether [`Syntax::dot`] renders a call (which never needs parentheses) rather than sums.
    fn dot_is_call(&self) -> bool {
        false
    }
}

/// How tightly an expression binds, as an operand.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Binding {
    /// A name or a call: never needs parentheses.
    Atom,
    /// `+` or `-` at the top.
    Additive,
    /// `*` or `/` at the top.
    Multiplicative,
}

impl Expr {
    /// Renders the expression in the given syntax.
    pub fn render<S: Syntax>(&self, syntax: &S) -> S::Output {
        match self {
            Expr::Quantity(quantity) => syntax.quantity(*quantity),
            Expr::Constant(value) => syntax.constant(*value),
            Expr::Dot(dot) => syntax.dot(dot),
            Expr::Call(function, arguments) => syntax.call(
                *function,
                arguments
                    .iter()
                    .map(|argument| argument.render(syntax))
                    .collect(),
            ),
            Expr::Sum(terms) => chain(syntax, terms, Operator::Add),
            Expr::Product(factors) => chain(syntax, factors, Operator::Multiply),
            Expr::Difference(left, right) => {
                let left = left.operand(syntax, Binding::Additive, true);
                syntax.operator(
                    left,
                    Operator::Subtract,
                    right.operand(syntax, Binding::Additive, false),
                )
            }
            Expr::Mean(inner, count) => {
                let inner = inner.operand(syntax, Binding::Multiplicative, true);
                syntax.operator(inner, Operator::Divide, syntax.count(*count))
            }
        }
    }

    /// Renders the expression as an operand of an operator of the given binding, on its left
    /// (`first`) or right side.
    fn operand<S: Syntax>(&self, syntax: &S, context: Binding, first: bool) -> S::Output {
        let rendered = self.render(syntax);
        let binding = match self {
            Expr::Dot(_) if syntax.dot_is_call() => Binding::Atom,
            _ => self.binding(),
        };
        let needs_parentheses = match (binding, context) {
            (Binding::Atom, _) | (Binding::Multiplicative, Binding::Additive) => false,
            (Binding::Additive, Binding::Multiplicative) => true,
            _ => !first,
        };
        if needs_parentheses {
            syntax.parenthesized(rendered)
        } else {
            rendered
        }
    }

    fn binding(&self) -> Binding {
        match self {
            Expr::Quantity(_) | Expr::Call(..) | Expr::Constant(_) => Binding::Atom,
            Expr::Dot(dot) => dot.as_sum().binding(),
            Expr::Sum(terms) | Expr::Product(terms) if terms.len() == 1 => terms[0].binding(),
            Expr::Sum(_) | Expr::Difference(..) => Binding::Additive,
            Expr::Product(_) | Expr::Mean(..) => Binding::Multiplicative,
        }
    }
}

/// `e_0 op e_1 op ...`, associating to the left.
fn chain<S: Syntax>(syntax: &S, operands: &[Expr], operator: Operator) -> S::Output {
    let binding = if operator == Operator::Add {
        Binding::Additive
    } else {
        Binding::Multiplicative
    };
    let mut operands = operands.iter();
    // Derivations never build an empty sum or product; render one as the empty sum, 0.
    let Some(first) = operands.next() else {
        return syntax.count(0);
    };
    operands.fold(first.operand(syntax, binding, true), |left, operand| {
        syntax.operator(left, operator, operand.operand(syntax, binding, false))
    })
}
