//! The shape of what a layer reads and writes: a flat vector `[N]`, or a signal `[C, L]` of `C`
//! channels over `L` steps (channels first, as torch's `Conv1d` lays it out).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// A vector or a signal.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    /// `[N]`: `N` values.
    Flat(usize),
    /// `[C, L]`: `C` channels of `L` steps; a `dense` layer reads it flattened channel-major.
    Signal {
        /// Channels.
        channels: usize,
        /// Steps.
        length: usize,
    },
}

impl Shape {
    /// Every value, counted.
    pub fn len(self) -> usize {
        match self {
            Shape::Flat(width) => width,
            Shape::Signal { channels, length } => channels.saturating_mul(length),
        }
    }

    /// Whether it holds no value.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The extent of each dimension, outermost first.
    pub fn dims(self) -> Vec<usize> {
        match self {
            Shape::Flat(width) => vec![width],
            Shape::Signal { channels, length } => vec![channels, length],
        }
    }

    /// The multi-index of the `flat`-th value in row-major (channel-major) order.
    pub fn unflatten(self, flat: usize) -> Index {
        match self {
            Shape::Flat(_) => Index::one(flat),
            Shape::Signal { length, .. } => Index::two(flat / length.max(1), flat % length.max(1)),
        }
    }

    /// `[T; N]` or `[[T; L]; C]`.
    pub fn rust_type(self, scalar: &TokenStream) -> TokenStream {
        array_type(scalar, &self.dims())
    }

    /// `[N]` or `[C, L]`, as the derivation text writes a shape.
    pub fn text(self) -> String {
        let dims: Vec<String> = self.dims().iter().map(ToString::to_string).collect();
        format!("[{}]", dims.join(", "))
    }
}

/// `[[T; d1]; d0]` for dims `[d0, d1]`: the Rust array of the given extents.
pub fn array_type(scalar: &TokenStream, dims: &[usize]) -> TokenStream {
    dims.iter().rev().fold(scalar.clone(), |inner, &extent| {
        let extent = Literal::usize_unsuffixed(extent);
        quote!([#inner; #extent])
    })
}

/// The position of one scalar in a tensor or a value: up to three indices, outermost first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Index {
    /// The indices; only the first `rank` are meaningful.
    pub at: [u32; 3],
    /// How many there are.
    pub rank: u8,
}

impl Index {
    /// No index: a scalar value.
    pub const SCALAR: Index = Index {
        at: [0; 3],
        rank: 0,
    };

    /// `[i]`.
    pub fn one(i: usize) -> Index {
        Index {
            at: [narrow(i), 0, 0],
            rank: 1,
        }
    }

    /// `[i][j]`.
    pub fn two(i: usize, j: usize) -> Index {
        Index {
            at: [narrow(i), narrow(j), 0],
            rank: 2,
        }
    }

    /// `[i][j][k]`.
    pub fn three(i: usize, j: usize, k: usize) -> Index {
        Index {
            at: [narrow(i), narrow(j), narrow(k)],
            rank: 3,
        }
    }

    /// The indices that are meaningful, outermost first.
    pub fn indices(self) -> impl Iterator<Item = usize> {
        let at = self.at;
        (0..usize::from(self.rank)).map(move |i| at[i] as usize)
    }

    /// The multi-index of the `flat`-th element of a tensor of extents `dims`, row-major.
    pub fn of_flat(flat: usize, dims: &[usize]) -> Index {
        let mut rest = flat;
        let mut at = [0_u32; 3];
        for (slot, extent) in at.iter_mut().zip(dims).rev() {
            let extent = (*extent).max(1);
            *slot = narrow(rest % extent);
            rest /= extent;
        }
        let rank = dims.len().min(3);
        Index {
            at,
            rank: u8::try_from(rank).unwrap_or(3),
        }
    }
}

/// An index that fits a `u32`: check caps every net far below that.
fn narrow(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `1 step`, `5 steps`: a count and its unit, for messages.
pub fn counted(count: u128, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{Index, Shape};

    #[test]
    fn flat_indices_unflatten_row_major() {
        let signal = Shape::Signal {
            channels: 3,
            length: 4,
        };
        assert_eq!(signal.unflatten(6), Index::two(1, 2));
        assert_eq!(Index::of_flat(6, &[3, 4]), Index::two(1, 2));
        assert_eq!(Index::of_flat(23, &[2, 3, 4]), Index::three(1, 2, 3));
        assert_eq!(Index::of_flat(5, &[7]), Index::one(5));
        assert_eq!(signal.len(), 12);
    }
}
