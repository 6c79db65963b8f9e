//! The tabular data sets under `examples/data`, as text for `backprop_core::data::Labelled::parse_csv`.

/// Fisher's Iris data: a header line, then four measurements and the class index per line.
pub const IRIS: &str = include_str!("../data/iris.csv");

/// The UCI optical digits: 64 pixel counts (0..=16) and the digit per line, no header.
pub const DIGITS: &str = include_str!("../data/digits.csv");
