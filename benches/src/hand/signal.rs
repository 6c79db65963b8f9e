//! The loops the hand-written signal nets share: a 1-d convolution over an input padded with
//! zeros once (so no loop asks where the padding is), its slopes and its parameter derivatives,
//! and the dot products and dense maps of the GRU and the output layers. Generic over the float
//! (`f32` is timed, `f64` is checked against the generated code), written as a person writes them
//! for speed: innermost loops over contiguous slices, independent partial sums where a sum is
//! long enough to vectorise.

use backprop_core::Scalar;

/// A signal of `C` channels of `L` steps with `P` zeros on each side: `padded[c][P + s] = x[c][s]`.
#[inline]
pub fn pad<T: Scalar, const C: usize, const L: usize, const LP: usize, const P: usize>(
    x: &[[T; L]; C],
) -> [[T; LP]; C] {
    const { assert!(LP == L + 2 * P) };
    let mut padded = [[T::ZERO; LP]; C];
    for (row, signal) in padded.iter_mut().zip(x) {
        row[P..P + L].copy_from_slice(signal);
    }
    padded
}

/// `z[o][t] = b[o] + sum_(i, k) w[o][i][k] xp[i][t S + k]`, window by window for each tap, so the
/// innermost loop runs along the steps.
#[inline]
pub fn conv_forward<
    T: Scalar,
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const LP: usize,
    const LO: usize,
>(
    weights: &[[[T; K]; IN]; OUT],
    bias: &[T; OUT],
    xp: &[[T; LP]; IN],
) -> [[T; LO]; OUT] {
    const { assert!((LO - 1) * S + K <= LP) };
    let mut z = [[T::ZERO; LO]; OUT];
    for ((row, kernels), &b) in z.iter_mut().zip(weights).zip(bias) {
        row.fill(b);
        for (taps, signal) in kernels.iter().zip(xp) {
            for (k, &w) in taps.iter().enumerate() {
                if S == 1 {
                    for (z, &x) in row.iter_mut().zip(&signal[k..k + LO]) {
                        *z += w * x;
                    }
                } else {
                    for (t, z) in row.iter_mut().enumerate() {
                        *z += w * signal[t * S + k];
                    }
                }
            }
        }
    }
    z
}

/// The slopes for the padded input, `dxp[i][t S + k] += w[o][i][k] dz[o][t]` (the padding's
/// slopes are computed and dropped by the caller).
#[inline]
pub fn conv_backward<
    T: Scalar,
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const LP: usize,
    const LO: usize,
>(
    weights: &[[[T; K]; IN]; OUT],
    dz: &[[T; LO]; OUT],
) -> [[T; LP]; IN] {
    let mut dxp = [[T::ZERO; LP]; IN];
    for (kernels, deltas) in weights.iter().zip(dz) {
        for (taps, slopes) in kernels.iter().zip(dxp.iter_mut()) {
            for (k, &w) in taps.iter().enumerate() {
                if S == 1 {
                    for (slope, &d) in slopes[k..k + LO].iter_mut().zip(deltas) {
                        *slope += w * d;
                    }
                } else {
                    for (t, &d) in deltas.iter().enumerate() {
                        slopes[t * S + k] += w * d;
                    }
                }
            }
        }
    }
    dxp
}

/// Each weight's and bias's derivative, `sum_t dz[o][t] xp[i][t S + k]` and `sum_t dz[o][t]`,
/// handed to `apply` with its slot.
#[inline]
pub fn conv_gradient<
    T: Scalar,
    const IN: usize,
    const OUT: usize,
    const K: usize,
    const S: usize,
    const LP: usize,
    const LO: usize,
>(
    weights: &mut [[[T; K]; IN]; OUT],
    bias: &mut [T; OUT],
    dz: &[[T; LO]; OUT],
    xp: &[[T; LP]; IN],
    apply: impl Fn(&mut T, T),
) {
    for ((kernels, b), deltas) in weights.iter_mut().zip(bias).zip(dz) {
        for (taps, signal) in kernels.iter_mut().zip(xp) {
            for (k, w) in taps.iter_mut().enumerate() {
                let derivative = if S == 1 {
                    dot(deltas, &signal[k..k + LO])
                } else {
                    let strided: [T; LO] = core::array::from_fn(|t| signal[t * S + k]);
                    dot(deltas, &strided)
                };
                apply(w, derivative);
            }
        }
        apply(b, sum(deltas));
    }
}

/// Partial sums of [`dot`]: enough independent adds to fill the vector units.
const LANES: usize = 8;

/// `sum_i a_i b_i` over `LANES` partial sums, then the tail.
#[inline]
pub fn dot<T: Scalar>(a: &[T], b: &[T]) -> T {
    let (a_chunks, a_tail) = a.as_chunks::<LANES>();
    let (b_chunks, b_tail) = b[..a.len()].as_chunks::<LANES>();
    let mut lanes = [T::ZERO; LANES];
    for (a, b) in a_chunks.iter().zip(b_chunks) {
        for k in 0..LANES {
            lanes[k] += a[k] * b[k];
        }
    }
    let mut total = (lanes[0] + lanes[4]) + (lanes[1] + lanes[5]);
    total += (lanes[2] + lanes[6]) + (lanes[3] + lanes[7]);
    for (a, b) in a_tail.iter().zip(b_tail) {
        total += *a * *b;
    }
    total
}

/// `sum_i a_i`.
#[inline]
pub fn sum<T: Scalar>(a: &[T]) -> T {
    a.iter().fold(T::ZERO, |total, &x| total + x)
}

/// `z_j = sum_i w[j][i] x_i + b_j`.
#[inline]
pub fn affine<T: Scalar, const I: usize, const O: usize>(
    weights: &[[T; I]; O],
    bias: &[T; O],
    x: &[T; I],
) -> [T; O] {
    core::array::from_fn(|j| dot(&weights[j], x) + bias[j])
}

/// `up_i = sum_j w[j][i] d_j`, row by row so the innermost loop is contiguous.
#[inline]
pub fn back<T: Scalar, const I: usize, const O: usize>(
    weights: &[[T; I]; O],
    d: &[T; O],
) -> [T; I] {
    let mut up = [T::ZERO; I];
    for (row, &d) in weights.iter().zip(d) {
        for (up, &w) in up.iter_mut().zip(row) {
            *up += w * d;
        }
    }
    up
}

/// Each derivative of a dense map, `d_j x_i` and `d_j`, handed to `apply` with its slot.
#[inline]
pub fn outer<T: Scalar, const I: usize, const O: usize>(
    weights: &mut [[T; I]; O],
    bias: &mut [T; O],
    d: &[T; O],
    x: &[T; I],
    apply: impl Fn(&mut T, T),
) {
    for ((row, b), &d) in weights.iter_mut().zip(bias).zip(d) {
        for (w, &x) in row.iter_mut().zip(x) {
            apply(w, d * x);
        }
        apply(b, d);
    }
}

/// `p -= lr (g / count)`: a step along the mean of a summed gradient.
#[inline]
pub fn descend<T: Scalar>(parameters: &mut [T], gradient: &[T], lr: T, count: T) {
    for (p, &g) in parameters.iter_mut().zip(gradient) {
        *p -= lr * (g / count);
    }
}

/// A hand-written signal net: a training step on one sample or on a mini-batch.
pub trait HandWritten: Sized {
    /// `f32` or `f64`.
    type Scalar;
    /// One sample.
    type Input;
    /// Its one-hot target.
    type Target;
    /// One step of SGD on one sample, in place; the loss before it.
    fn train_step(&mut self, x: &Self::Input, t: &Self::Target, lr: Self::Scalar) -> Self::Scalar;
    /// This sample's derivatives added to `into`; its loss. The net does not change (it is
    /// borrowed mutably only because the in-place step shares its body).
    fn accumulate(&mut self, x: &Self::Input, t: &Self::Target, into: &mut Self) -> Self::Scalar;
    /// One step of SGD along the mean gradient of a mini-batch (`gradient` is scratch,
    /// overwritten); the mean loss before it.
    fn batch_step(
        &mut self,
        gradient: &mut Self,
        inputs: &[Self::Input],
        targets: &[Self::Target],
        lr: Self::Scalar,
    ) -> Self::Scalar;
}
