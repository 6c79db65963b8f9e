//! Small tabular data sets on the host (feature `std`): CSV text to labelled arrays
//! ([`Labelled::parse_csv`]), seeded stratified splits ([`Labelled::stratified_split`]) and
//! standardisation with the training split's statistics ([`Standardiser`]).
//!
//! A sample is `[f64; I]`, the input of a net of `I` inputs (convert to `f32` with `map` for an
//! `f32` net), and its label the index of its class, as [`metrics`](crate::metrics) reads it.

use crate::fit::shuffle;
use crate::init::Xoshiro256PlusPlus;
use std::format;
use std::string::String;
use std::vec;
use std::vec::Vec;

#[cfg(test)]
mod tests;

/// Samples of `I` features with a class label each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labelled<const I: usize> {
    /// The features of each sample.
    pub inputs: Vec<[f64; I]>,
    /// The class of each sample, from 0.
    pub labels: Vec<usize>,
}

impl<const I: usize> Labelled<I> {
    /// Reads CSV lines of `I` numbers and then a class index, skipping the first `header_lines`
    /// lines and any empty ones. Fields are separated by commas, with spaces around them allowed;
    /// no quoting.
    ///
    /// # Errors
    /// A line with another number of fields, or a field that is not a number, named by its line
    /// number (from 1).
    pub fn parse_csv(text: &str, header_lines: usize) -> Result<Self, String> {
        let mut set = Self::default();
        for (number, line) in text.lines().enumerate().skip(header_lines) {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            if fields.len() != I + 1 {
                return Err(format!(
                    "line {}: {} fields, expected {}",
                    number + 1,
                    fields.len(),
                    I + 1
                ));
            }
            let mut input = [0.0; I];
            for (value, field) in input.iter_mut().zip(&fields) {
                *value = field
                    .parse()
                    .map_err(|error| format!("line {}: `{field}`: {error}", number + 1))?;
            }
            let label = fields[I]
                .parse()
                .map_err(|error| format!("line {}: class `{}`: {error}", number + 1, fields[I]))?;
            set.inputs.push(input);
            set.labels.push(label);
        }
        Ok(set)
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The samples at `indices`, in that order.
    ///
    /// # Panics
    /// If an index is out of range.
    #[must_use]
    pub fn select(&self, indices: &[usize]) -> Self {
        Self {
            inputs: indices.iter().map(|&index| self.inputs[index]).collect(),
            labels: indices.iter().map(|&index| self.labels[index]).collect(),
        }
    }

    /// Each label as a one-hot target of `O` outputs, the target `cross_entropy` takes.
    ///
    /// # Panics
    /// If a label is `O` or more.
    pub fn one_hot<const O: usize>(&self) -> Vec<[f64; O]> {
        self.labels
            .iter()
            .map(|&label| {
                let mut target = [0.0; O];
                target[label] = 1.0;
                target
            })
            .collect()
    }

    /// A seeded stratified split: from each class, the share `test_fraction` (rounded) goes to the
    /// test set, picked by a shuffle seeded with `seed`; the rest is the training set. Both keep
    /// the data set's order, so the split depends only on the data and the seed. Returns
    /// `(train, test)`.
    #[must_use]
    pub fn stratified_split(&self, test_fraction: f64, seed: u64) -> (Self, Self) {
        let classes = self.labels.iter().max().map_or(0, |&last| last + 1);
        let mut random = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut in_test = vec![false; self.len()];
        for class in 0..classes {
            let mut members: Vec<usize> = (0..self.len())
                .filter(|&index| self.labels[index] == class)
                .collect();
            shuffle(&mut members, &mut random);
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )] // a share of a class's size, between 0 and that size
            let test_count =
                ((members.len() as f64 * test_fraction).round() as usize).min(members.len());
            for &index in &members[..test_count] {
                in_test[index] = true;
            }
        }
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..self.len()).partition(|&index| in_test[index]);
        (self.select(&train), self.select(&test))
    }
}

/// Per-feature mean and standard deviation, measured on one set (the training split) and applied
/// to every set, so the test data tells the model nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standardiser<const I: usize> {
    /// The mean of each feature.
    pub mean: [f64; I],
    /// The (population) standard deviation of each feature; 1 where a feature is constant, so it
    /// is centred but not divided by 0.
    pub deviation: [f64; I],
}

impl<const I: usize> Standardiser<I> {
    /// Measures `inputs`.
    ///
    /// # Panics
    /// If `inputs` is empty.
    pub fn fit(inputs: &[[f64; I]]) -> Self {
        assert!(!inputs.is_empty(), "standardising needs samples");
        #[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 samples
        let count = inputs.len() as f64;
        let mut mean = [0.0; I];
        for input in inputs {
            for (sum, value) in mean.iter_mut().zip(input) {
                *sum += value;
            }
        }
        mean = mean.map(|sum| sum / count);
        let mut deviation = [0.0; I];
        for input in inputs {
            for ((sum, value), mean) in deviation.iter_mut().zip(input).zip(&mean) {
                *sum += (value - mean) * (value - mean);
            }
        }
        let deviation = deviation.map(|sum| {
            let deviation = libm::sqrt(sum / count);
            if deviation > 0.0 { deviation } else { 1.0 }
        });
        Self { mean, deviation }
    }

    /// Each feature minus its mean, over its standard deviation, in place.
    pub fn apply(&self, inputs: &mut [[f64; I]]) {
        for input in inputs {
            for ((value, mean), deviation) in input.iter_mut().zip(&self.mean).zip(&self.deviation)
            {
                *value = (*value - mean) / deviation;
            }
        }
    }
}
