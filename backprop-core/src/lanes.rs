//! Mini-batches as blocks of [`LANES`] samples side by side, for the batched path of
//! `batch_gradient`: `block[i][s]` is feature `i` of sample `s`, so every inner loop runs across
//! the samples of a block, contiguous in memory, and vectorises; and each weight row is read once
//! per block rather than once per sample.
//!
//! Per sample, every sum runs in the same order as the one-sample functions
//! ([`Dense::pre_activation`], [`Dense::back_propagate`], [`Dense::add_gradient`]), so the batched
//! path computes the same bits as a loop of `accumulate_gradient`.

use crate::{Dense, Scalar};

/// Samples per block: 8 `f32` fill one 256-bit vector register.
pub const LANES: usize = 8;

/// A block of [`LANES`] samples of `N` values each, feature-major.
pub type Block<T, const N: usize> = [[T; LANES]; N];

/// The samples as a block; lanes past `samples.len()` (at most [`LANES`]) are zero.
pub fn gather<T: Scalar, const N: usize>(samples: &[[T; N]]) -> Block<T, N> {
    let mut block = [[T::ZERO; LANES]; N];
    for (lane, sample) in samples.iter().take(LANES).enumerate() {
        for (row, &value) in block.iter_mut().zip(sample) {
            row[lane] = value;
        }
    }
    block
}

/// Sample `lane` of a block.
pub fn column<T: Scalar, const N: usize>(block: &Block<T, N>, lane: usize) -> [T; N] {
    core::array::from_fn(|feature| block[feature][lane])
}

/// Stores `values` as sample `lane` of a block.
pub fn set_column<T: Scalar, const N: usize>(
    block: &mut Block<T, N>,
    lane: usize,
    values: &[T; N],
) {
    for (row, &value) in block.iter_mut().zip(values) {
        row[lane] = value;
    }
}

/// The block as one row per sample: the layout `Dense::add_gradient_block` reads.
pub fn rows<T: Scalar, const N: usize>(block: &Block<T, N>) -> [[T; N]; LANES] {
    core::array::from_fn(|lane| column(block, lane))
}

/// `f` of every value of a block: an activation, sample by sample.
pub fn map<T: Scalar, const N: usize>(block: &Block<T, N>, f: impl Fn(T) -> T) -> Block<T, N> {
    block.map(|row| row.map(&f))
}

/// `f(z, a, upstream)` of every value: an activation's derivative times the upstream slope.
pub fn map3<T: Scalar, const N: usize>(
    z: &Block<T, N>,
    a: &Block<T, N>,
    upstream: &Block<T, N>,
    f: impl Fn(T, T, T) -> T,
) -> Block<T, N> {
    core::array::from_fn(|node| {
        core::array::from_fn(|lane| f(z[node][lane], a[node][lane], upstream[node][lane]))
    })
}

impl<T: Scalar, const I: usize, const O: usize> Dense<T, I, O> {
    /// [`Dense::pre_activation`] of a block of samples: `z[j][s] = sum_i weights[j][i] *
    /// input[i][s] + bias[j]`, each sum in the canonical order (through
    /// [`Dense::pre_activation_batch`]).
    #[inline]
    pub fn pre_activation_block(&self, input: &Block<T, I>) -> Block<T, O> {
        let mut z = [[T::ZERO; O]; LANES];
        self.pre_activation_batch(&rows(input), &mut z);
        gather(&z)
    }

    /// [`Dense::back_propagate`] of a block: `upstream[i][s] = sum_j weights[j][i] * delta[j][s]`,
    /// each lane summed over `j` in order from the first term.
    #[inline]
    pub fn back_propagate_block(&self, delta: &Block<T, O>) -> Block<T, I> {
        let mut upstream = [[T::ZERO; LANES]; I];
        let mut rows = self.weights.iter().zip(delta);
        if let Some((first_row, first_delta)) = rows.next() {
            for (sum, &weight) in upstream.iter_mut().zip(first_row) {
                *sum = first_delta.map(|d| weight * d);
            }
        }
        for (row, delta_j) in rows {
            for (sum, &weight) in upstream.iter_mut().zip(row) {
                for (lane_sum, &d) in sum.iter_mut().zip(delta_j) {
                    *lane_sum += weight * d;
                }
            }
        }
        upstream
    }

    /// [`Dense::add_gradient`] for each of `inputs` (one row per sample, in order) with the
    /// matching lane of `delta`: the same additions in the same order as one `add_gradient` per
    /// sample. The inner loop runs along a row of weights and a row of inputs, so it vectorises.
    #[inline]
    pub fn add_gradient_block(&mut self, delta: &Block<T, O>, inputs: &[[T; I]]) {
        for ((row, delta_j), bias_j) in self.weights.iter_mut().zip(delta).zip(&mut self.bias) {
            for (&d, input) in delta_j.iter().zip(inputs) {
                for (slope, &a) in row.iter_mut().zip(input) {
                    *slope += d * a;
                }
                *bias_j += d;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LANES, column, gather, rows};
    use crate::Dense;

    fn layer() -> Dense<f64, 3, 2> {
        Dense {
            weights: [[0.1, -0.7, 1.3], [2.5, 0.3, -0.9]],
            bias: [0.2, -0.4],
        }
    }

    fn samples() -> [[f64; 3]; 5] {
        let mut value = -1.1;
        core::array::from_fn(|_| {
            core::array::from_fn(|_| {
                value += 0.37;
                value
            })
        })
    }

    #[test]
    fn a_block_computes_what_each_sample_computes_to_the_bit() {
        let (layer, samples) = (layer(), samples());
        let block = gather(&samples);
        let z = layer.pre_activation_block(&block);
        let delta = gather(&samples.map(|s| [s[0] * 0.5, s[2] - 0.25]));
        let upstream = layer.back_propagate_block(&delta);
        for (lane, sample) in samples.iter().enumerate() {
            assert_eq!(
                column(&z, lane).map(f64::to_bits),
                layer.pre_activation(sample).map(f64::to_bits)
            );
            let sample_delta = column(&delta, lane);
            assert_eq!(
                column(&upstream, lane).map(f64::to_bits),
                layer.back_propagate(&sample_delta).map(f64::to_bits)
            );
        }
        let mut batched = Dense::<f64, 3, 2>::ZERO;
        batched.add_gradient_block(&delta, &samples);
        let mut one_by_one = Dense::<f64, 3, 2>::ZERO;
        for (lane, sample) in samples.iter().enumerate() {
            one_by_one.add_gradient(&column(&delta, lane), sample);
        }
        assert_eq!(batched, one_by_one);
        assert!(samples.len() < LANES, "the padding lanes are ignored");
        assert_eq!(rows(&block)[..samples.len()], samples[..]);
    }
}
