//! The parameter-by-parameter operations of a layer (a step of descent, summing and dividing
//! gradients) and the outer product of `set_gradient`: plain loops, run with the best instruction
//! set for wide layers. Each parameter is computed on its own, so the bits never depend on it.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

use super::dispatch::{Arch, Isa, Kernel, run};
use crate::{Dense, Scalar};

/// `p = p - learning_rate * g` for every parameter `p` of `layer` and its derivative `g`.
#[inline]
pub(crate) fn sgd_step<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    gradient: &Dense<T, I, O>,
    learning_rate: T,
) {
    let kernel = Pairs {
        layer,
        other: gradient,
        rule: |parameter: &mut T, slope: T| *parameter -= learning_rate * slope,
    };
    run(Isa::for_work(I * O), kernel);
}

/// `p = p + q` for every parameter.
#[inline]
pub(crate) fn add_assign<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    other: &Dense<T, I, O>,
) {
    let kernel = Pairs {
        layer,
        other,
        rule: |parameter: &mut T, value: T| *parameter += value,
    };
    run(Isa::for_work(I * O), kernel);
}

/// `p = p / divisor` for every parameter.
#[inline]
pub(crate) fn div_assign<T: Scalar, const I: usize, const O: usize>(
    layer: &mut Dense<T, I, O>,
    divisor: T,
) {
    run(Isa::for_work(I * O), Divide { layer, divisor });
}

/// `weights[j][i] = delta_j * input_i`, `bias_j = delta_j`.
#[inline]
pub(crate) fn set_gradient<T: Scalar, const I: usize, const O: usize>(
    gradient: &mut Dense<T, I, O>,
    delta: &[T; O],
    input: &[T; I],
) {
    let kernel = Outer {
        gradient,
        delta,
        input,
    };
    run(Isa::for_work(I * O), kernel);
}

/// `rule(p, q)` for each parameter `p` of `layer` and the matching `q` of `other`.
struct Pairs<'a, T, const I: usize, const O: usize, F> {
    layer: &'a mut Dense<T, I, O>,
    other: &'a Dense<T, I, O>,
    rule: F,
}

impl<T: Scalar, const I: usize, const O: usize, F: Fn(&mut T, T)> Kernel for Pairs<'_, T, I, O, F> {
    type Output = ();

    #[inline(always)]
    fn run<A: Arch>(self, _arch: A) {
        // Two plain loops (not one over chained iterators), so that each vectorises.
        let weights = self.layer.weights.as_flattened_mut();
        for (parameter, &value) in weights.iter_mut().zip(self.other.weights.as_flattened()) {
            (self.rule)(parameter, value);
        }
        for (parameter, &value) in self.layer.bias.iter_mut().zip(&self.other.bias) {
            (self.rule)(parameter, value);
        }
    }
}

/// The arguments of [`div_assign`].
struct Divide<'a, T, const I: usize, const O: usize> {
    layer: &'a mut Dense<T, I, O>,
    divisor: T,
}

impl<T: Scalar, const I: usize, const O: usize> Kernel for Divide<'_, T, I, O> {
    type Output = ();

    #[inline(always)]
    fn run<A: Arch>(self, _arch: A) {
        for parameter in self.layer.weights.as_flattened_mut() {
            *parameter /= self.divisor;
        }
        for parameter in &mut self.layer.bias {
            *parameter /= self.divisor;
        }
    }
}

/// The arguments of [`set_gradient`].
struct Outer<'a, T, const I: usize, const O: usize> {
    gradient: &'a mut Dense<T, I, O>,
    delta: &'a [T; O],
    input: &'a [T; I],
}

impl<T: Scalar, const I: usize, const O: usize> Kernel for Outer<'_, T, I, O> {
    type Output = ();

    #[inline(always)]
    fn run<A: Arch>(self, _arch: A) {
        for (row, &delta_j) in self.gradient.weights.iter_mut().zip(self.delta) {
            for (slope, &input_i) in row.iter_mut().zip(self.input) {
                *slope = delta_j * input_i;
            }
        }
        self.gradient.bias = *self.delta;
    }
}
