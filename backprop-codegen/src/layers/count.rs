//! Operation counts that saturate at `usize::MAX` rather than overflow. The size rule reads a
//! net's counts before it refuses a net too large to build, so a count must not panic on such a
//! net: a saturated count is as good as any, it is refused either way.

use std::ops::{Add, Mul, Sub};

/// A count of operations (or of anything that multiplies up), saturating at `usize::MAX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count(pub usize);

impl Count {
    /// The count, `usize::MAX` if it saturated.
    pub fn get(self) -> usize {
        self.0
    }
}

impl From<u128> for Count {
    fn from(count: u128) -> Self {
        Count(usize::try_from(count).unwrap_or(usize::MAX))
    }
}

impl Add for Count {
    type Output = Count;
    fn add(self, other: Count) -> Count {
        Count(self.0.saturating_add(other.0))
    }
}

impl Add<usize> for Count {
    type Output = Count;
    fn add(self, other: usize) -> Count {
        self + Count(other)
    }
}

/// Stops at 0.
impl Sub for Count {
    type Output = Count;
    fn sub(self, other: Count) -> Count {
        Count(self.0.saturating_sub(other.0))
    }
}

impl Sub<usize> for Count {
    type Output = Count;
    fn sub(self, other: usize) -> Count {
        self - Count(other)
    }
}

impl Mul for Count {
    type Output = Count;
    fn mul(self, other: Count) -> Count {
        Count(self.0.saturating_mul(other.0))
    }
}

impl Mul<usize> for Count {
    type Output = Count;
    fn mul(self, other: usize) -> Count {
        self * Count(other)
    }
}

impl Mul<Count> for usize {
    type Output = Count;
    fn mul(self, other: Count) -> Count {
        Count(self) * other
    }
}

#[cfg(test)]
mod tests {
    use super::Count;

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        let big = Count(usize::MAX / 2 + 1);
        assert_eq!((big * 2).get(), usize::MAX);
        assert_eq!((big + big).get(), usize::MAX);
        assert_eq!((3 * Count(4) + 1 - 2).get(), 11);
        assert_eq!((Count(2) - 3).get(), 0);
        assert_eq!(Count::from(u128::MAX).get(), usize::MAX);
        assert_eq!(Count::from(7u128).get(), 7);
    }
}
