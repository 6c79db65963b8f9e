//! The `BasicMotions` conv1d net ([`crate::signal::Motion`]), written out by hand: the
//! input padded once, both convolutions as loops along the steps, max pooling that remembers
//! which step won, the mean, the dense softmax output; backward the same way, each layer's
//! parameters updated (or its derivatives added to a gradient) once the slopes below it are
//! formed. The same formulas and runtime functions (`relu`, softmax cross-entropy) as the
//! generated code; the sums in the order that is fastest here, so equal to it up to rounding.

use super::signal::{
    HandWritten, affine, back, conv_backward, conv_forward, conv_gradient, descend, outer, pad, sum,
};
use crate::signal::{Motion, Motion64};
use backprop_core::activation::relu;
use backprop_core::loss::{
    softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_gradient,
};
use backprop_core::{Conv1d, Dense, Scalar};

/// The parameters of one [`Motion`] net (or of its gradient), borrowed layer by layer.
pub struct Layers<'a, T> {
    c1: &'a mut Conv1d<T, 6, 8, 5, 2, 2>,
    c2: &'a mut Conv1d<T, 8, 16, 5, 1, 2>,
    output: &'a mut Dense<T, 16, 4>,
}

/// Steps of `c2`'s output, over which `gp` takes the mean.
const STEPS: usize = 25;

/// One sample through the net and back: returns the loss, hands every derivative to `apply`
/// with its slot, in `into` if given, else in `net` itself (each layer's weights are read for
/// the slopes below it before they change, so in place is plain SGD).
fn pass<T: Scalar>(
    net: Layers<'_, T>,
    mut into: Option<Layers<'_, T>>,
    x: &[[T; 100]; 6],
    target: &[T; 4],
    apply: impl Fn(&mut T, T) + Copy,
) -> T {
    let xp = pad::<T, 6, 100, 104, 2>(x);
    let z1 = conv_forward::<T, 6, 8, 5, 2, 104, 50>(&net.c1.weights, &net.c1.bias, &xp);
    // Max pooling by 2, into a signal padded for c2; `second` marks the windows whose second
    // step is the (first) maximum.
    let mut pp = [[T::ZERO; STEPS + 4]; 8];
    let mut second = [[false; STEPS]; 8];
    for ((row, wins), z) in pp.iter_mut().zip(second.iter_mut()).zip(&z1) {
        for (t, win) in wins.iter_mut().enumerate() {
            let (a, b) = (relu(z[2 * t]), relu(z[2 * t + 1]));
            *win = b > a;
            row[t + 2] = if *win { b } else { a };
        }
    }
    let z2 = conv_forward::<T, 8, 16, 5, 1, 29, 25>(&net.c2.weights, &net.c2.bias, &pp);
    let count = T::from_usize(STEPS);
    let g: [T; 16] = core::array::from_fn(|c| sum(&z2[c].map(relu)) / count);
    let z3 = affine(&net.output.weights, &net.output.bias, &g);
    let loss = softmax_cross_entropy_with_logits(&z3, target);
    let d3 = softmax_cross_entropy_with_logits_gradient(&z3, target);

    let dg = back(&net.output.weights, &d3);
    let output = into.as_mut().map_or(&mut *net.output, |g| &mut *g.output);
    outer(&mut output.weights, &mut output.bias, &d3, &g, apply);
    let dz2: [[T; STEPS]; 16] = core::array::from_fn(|o| {
        let slope = dg[o] / count;
        z2[o].map(|z| if z > T::ZERO { slope } else { T::ZERO })
    });
    let dpp = conv_backward::<T, 8, 16, 5, 1, 29, 25>(&net.c2.weights, &dz2);
    let c2 = into.as_mut().map_or(&mut *net.c2, |g| &mut *g.c2);
    conv_gradient::<T, 8, 16, 5, 1, 29, 25>(&mut c2.weights, &mut c2.bias, &dz2, &pp, apply);
    let mut dz1 = [[T::ZERO; 50]; 8];
    for (((row, z), wins), slopes) in dz1.iter_mut().zip(&z1).zip(&second).zip(&dpp) {
        for (t, &win) in wins.iter().enumerate() {
            let step = 2 * t + usize::from(win);
            if z[step] > T::ZERO {
                row[step] = slopes[t + 2];
            }
        }
    }
    let c1 = into.map_or(net.c1, |g| g.c1);
    conv_gradient::<T, 6, 8, 5, 2, 104, 50>(&mut c1.weights, &mut c1.bias, &dz1, &xp, apply);
    loss
}

macro_rules! motion {
    ($net:ty, $scalar:ty) => {
        impl HandWritten for $net {
            type Scalar = $scalar;
            type Input = [[$scalar; 100]; 6];
            type Target = [$scalar; 4];

            fn train_step(
                &mut self,
                x: &[[$scalar; 100]; 6],
                t: &[$scalar; 4],
                lr: $scalar,
            ) -> $scalar {
                pass(self.layers(), None, x, t, move |p, d| *p -= lr * d)
            }

            fn accumulate(
                &mut self,
                x: &[[$scalar; 100]; 6],
                t: &[$scalar; 4],
                into: &mut Self,
            ) -> $scalar {
                pass(self.layers(), Some(into.layers()), x, t, |g, d| *g += d)
            }

            fn batch_step(
                &mut self,
                gradient: &mut Self,
                inputs: &[[[$scalar; 100]; 6]],
                targets: &[[$scalar; 4]],
                lr: $scalar,
            ) -> $scalar {
                *gradient = <$net>::zeroed();
                let mut loss = 0.0;
                for (x, t) in inputs.iter().zip(targets) {
                    loss += self.accumulate(x, t, gradient);
                }
                let count = <$scalar as Scalar>::from_usize(inputs.len());
                let (net, mean) = (self.layers(), gradient.layers());
                descend(
                    net.c1.weights.as_flattened_mut().as_flattened_mut(),
                    mean.c1.weights.as_flattened().as_flattened(),
                    lr,
                    count,
                );
                descend(&mut net.c1.bias, &mean.c1.bias, lr, count);
                descend(
                    net.c2.weights.as_flattened_mut().as_flattened_mut(),
                    mean.c2.weights.as_flattened().as_flattened(),
                    lr,
                    count,
                );
                descend(&mut net.c2.bias, &mean.c2.bias, lr, count);
                descend(
                    net.output.weights.as_flattened_mut(),
                    mean.output.weights.as_flattened(),
                    lr,
                    count,
                );
                descend(&mut net.output.bias, &mean.output.bias, lr, count);
                loss / count
            }
        }

        impl $net {
            fn layers(&mut self) -> Layers<'_, $scalar> {
                Layers {
                    c1: &mut self.c1,
                    c2: &mut self.c2,
                    output: &mut self.output,
                }
            }
        }
    };
}

motion!(Motion, f32);
motion!(Motion64, f64);
