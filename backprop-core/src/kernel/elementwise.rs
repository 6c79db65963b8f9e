//! The parameter-by-parameter operations of a layer (a step of descent, summing and dividing
//! gradients) and the outer product of `set_gradient`: plain loops over slices, compiled once per
//! scalar in this crate (`entry.rs`) and run with the best instruction set for wide layers. Each
//! parameter is computed on its own, so the bits never depend on it.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::dispatch::{Element, Isa, Kernel, Vector};
use crate::{Dense, Scalar};

/// What to do with each parameter `p` and the matching value `q` of another layer.
#[derive(Clone, Copy)]
pub enum Rule<T> {
    /// `p = p - rate * q`.
    Descend(T),
    /// `p = p + q`.
    Add,
}

/// `p = p - learning_rate * g` for every parameter `p` of `layer` and its derivative `g`.
#[inline]
pub(crate) fn sgd_step<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    gradient: &Dense<T, I, O>,
    learning_rate: T,
) {
    pairs(layer, gradient, Rule::Descend(learning_rate));
}

/// `p = p + q` for every parameter.
#[inline]
pub(crate) fn add_assign<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    other: &Dense<T, I, O>,
) {
    pairs(layer, other, Rule::Add);
}

/// `rule(p, q)` for each parameter `p` of `layer` and the matching `q` of `other`.
#[inline]
fn pairs<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    other: &Dense<T, I, O>,
    rule: Rule<T>,
) {
    if const { super::inline(I * O) } {
        let weights = layer.weights.as_flattened_mut();
        apply_each(weights, other.weights.as_flattened(), rule);
        apply_each(&mut layer.bias, &other.bias, rule);
        return;
    }
    let isa = Isa::for_work(I * O);
    let weights = layer.weights.as_flattened_mut();
    T::pairs(isa, weights, other.weights.as_flattened(), rule);
    T::pairs(isa, &mut layer.bias, &other.bias, rule);
}

/// `p = p / divisor` for every parameter.
#[inline]
pub(crate) fn div_assign<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    divisor: T,
) {
    if const { super::inline(I * O) } {
        for parameter in layer
            .weights
            .as_flattened_mut()
            .iter_mut()
            .chain(&mut layer.bias)
        {
            *parameter /= divisor;
        }
        return;
    }
    let isa = Isa::for_work(I * O);
    T::divide(isa, layer.weights.as_flattened_mut(), divisor);
    T::divide(isa, &mut layer.bias, divisor);
}

/// `weights[j][i] = delta_j * input_i`, `bias_j = delta_j`.
#[inline]
pub(crate) fn set_gradient<T: Scalar, const I: usize, const O: usize>(
    gradient: &mut Dense<T, I, O>,
    delta: &[T; O],
    input: &[T; I],
) {
    if const { super::inline(I * O) } {
        for (row, &delta_j) in gradient.weights.iter_mut().zip(delta) {
            for (slope, &input_i) in row.iter_mut().zip(input) {
                *slope = delta_j * input_i;
            }
        }
    } else {
        let isa = Isa::for_work(I * O);
        T::outer(isa, gradient.weights.as_flattened_mut(), delta, input);
    }
    gradient.bias = *delta;
}

/// [`Rule`] applied to every pair of `parameters` and `others`.
#[inline(always)]
pub(super) fn apply<T: Element>(isa: Isa, parameters: &mut [T], others: &[T], rule: Rule<T>) {
    assert_eq!(parameters.len(), others.len(), "one value per parameter");
    T::run(
        isa,
        Pairs {
            parameters,
            others,
            rule,
        },
    );
}

/// `p = p / divisor` for every parameter.
#[inline(always)]
pub(super) fn divide<T: Element>(isa: Isa, parameters: &mut [T], divisor: T) {
    T::run(
        isa,
        Divide {
            parameters,
            divisor,
        },
    );
}

/// `weights[j][i] = delta_j * input_i`, `delta.len()` rows of `input.len()` columns.
#[inline(always)]
pub(super) fn outer<T: Element>(isa: Isa, weights: &mut [T], delta: &[T], input: &[T]) {
    assert_eq!(
        weights.len(),
        delta.len() * input.len(),
        "one row per delta"
    );
    T::run(
        isa,
        Outer {
            weights,
            delta,
            input,
        },
    );
}

/// The arguments of [`apply`].
struct Pairs<'a, T> {
    parameters: &'a mut [T],
    others: &'a [T],
    rule: Rule<T>,
}

impl<T: Scalar> Kernel<T> for Pairs<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run<A: Vector<T>>(self, _arch: A) {
        apply_each(self.parameters, self.others, self.rule);
    }
}

/// [`Rule`] applied to every pair, one loop per rule (so that each vectorises).
#[inline(always)]
fn apply_each<T: Scalar>(parameters: &mut [T], others: &[T], rule: Rule<T>) {
    let pairs = parameters.iter_mut().zip(others);
    match rule {
        Rule::Descend(rate) => {
            for (parameter, &slope) in pairs {
                *parameter -= rate * slope;
            }
        }
        Rule::Add => {
            for (parameter, &value) in pairs {
                *parameter += value;
            }
        }
    }
}

/// The arguments of [`divide`].
struct Divide<'a, T> {
    parameters: &'a mut [T],
    divisor: T,
}

impl<T: Scalar> Kernel<T> for Divide<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run<A: Vector<T>>(self, _arch: A) {
        for parameter in self.parameters {
            *parameter /= self.divisor;
        }
    }
}

/// The arguments of [`outer`].
struct Outer<'a, T> {
    weights: &'a mut [T],
    delta: &'a [T],
    input: &'a [T],
}

impl<T: Scalar> Kernel<T> for Outer<'_, T> {
    type Output = ();

    #[inline(always)]
    fn run<A: Vector<T>>(self, _arch: A) {
        if self.input.is_empty() {
            return;
        }
        let rows = self.weights.chunks_exact_mut(self.input.len());
        for (row, &delta_j) in rows.zip(self.delta) {
            for (slope, &input_i) in row.iter_mut().zip(self.input) {
                *slope = delta_j * input_i;
            }
        }
    }
}
