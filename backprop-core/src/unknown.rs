//! What a net whose spec has mistakes holds and returns. `network!` reports every mistake of a
//! spec, and beside the errors emits the struct with every item a net has, its layers of type
//! [`UnknownLayer`] and its values [`Unknown`], so that code using the net reports nothing but the
//! mistakes. [`Unknown`] takes whatever a value of a net takes: indexing, arithmetic with floats,
//! comparisons, iteration, printing. None of it runs: the crate does not compile until the spec is
//! mended.

use core::fmt;
use core::ops::{
    Add, AddAssign, Div, DivAssign, Index, IndexMut, Mul, MulAssign, Neg, Sub, SubAssign,
};

/// A value of a net whose spec has mistakes.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Unknown;

/// A layer of a net whose spec has mistakes: the fields of every layer kind.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnknownLayer {
    /// A dense or convolution layer's weights.
    pub weights: Unknown,
    /// A dense or convolution layer's bias.
    pub bias: Unknown,
    /// A GRU's input weights.
    pub weight_ih: Unknown,
    /// A GRU's hidden weights.
    pub weight_hh: Unknown,
    /// A GRU's input bias.
    pub bias_ih: Unknown,
    /// A GRU's hidden bias.
    pub bias_hh: Unknown,
}

impl Unknown {
    /// As an array's `iter`.
    pub fn iter(&self) -> core::iter::Empty<Unknown> {
        core::iter::empty()
    }

    /// As an array's `iter_mut`.
    pub fn iter_mut(&mut self) -> core::iter::Empty<&mut Unknown> {
        core::iter::empty()
    }

    /// As an array's `map`.
    #[must_use]
    pub fn map<F>(self, _f: F) -> Unknown {
        self
    }

    /// As an array's `len`.
    pub fn len(&self) -> usize {
        0
    }

    /// As an array's `is_empty`.
    pub fn is_empty(&self) -> bool {
        true
    }

    /// As a float's `abs`.
    #[must_use]
    pub fn abs(self) -> Unknown {
        self
    }
}

impl fmt::Display for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown")
    }
}

impl Index<usize> for Unknown {
    type Output = Unknown;
    fn index(&self, _index: usize) -> &Unknown {
        self
    }
}

impl IndexMut<usize> for Unknown {
    fn index_mut(&mut self, _index: usize) -> &mut Unknown {
        self
    }
}

impl IntoIterator for Unknown {
    type Item = Unknown;
    type IntoIter = core::iter::Empty<Unknown>;
    fn into_iter(self) -> Self::IntoIter {
        core::iter::empty()
    }
}

impl IntoIterator for &Unknown {
    type Item = Unknown;
    type IntoIter = core::iter::Empty<Unknown>;
    fn into_iter(self) -> Self::IntoIter {
        core::iter::empty()
    }
}

impl<'a> IntoIterator for &'a mut Unknown {
    type Item = &'a mut Unknown;
    type IntoIter = core::iter::Empty<&'a mut Unknown>;
    fn into_iter(self) -> Self::IntoIter {
        core::iter::empty()
    }
}

impl<T, const N: usize> PartialEq<[T; N]> for Unknown {
    fn eq(&self, _other: &[T; N]) -> bool {
        false
    }
}

impl Neg for Unknown {
    type Output = Unknown;
    fn neg(self) -> Unknown {
        self
    }
}

/// `Unknown` with `Unknown`, `f32` and `f64` on either side of each operator.
macro_rules! operators {
    ($($float:ty),*) => {
        operators!(@binary Unknown);
        $(
            operators!(@binary $float);
            impl PartialEq<$float> for Unknown {
                fn eq(&self, _other: &$float) -> bool {
                    false
                }
            }
            impl PartialOrd<$float> for Unknown {
                fn partial_cmp(&self, _other: &$float) -> Option<core::cmp::Ordering> {
                    None
                }
            }
            impl From<Unknown> for $float {
                fn from(_value: Unknown) -> $float {
                    0.0
                }
            }
            impl Add<Unknown> for $float {
                type Output = Unknown;
                fn add(self, other: Unknown) -> Unknown {
                    other
                }
            }
            impl Sub<Unknown> for $float {
                type Output = Unknown;
                fn sub(self, other: Unknown) -> Unknown {
                    other
                }
            }
            impl Mul<Unknown> for $float {
                type Output = Unknown;
                fn mul(self, other: Unknown) -> Unknown {
                    other
                }
            }
            impl Div<Unknown> for $float {
                type Output = Unknown;
                fn div(self, other: Unknown) -> Unknown {
                    other
                }
            }
        )*
    };
    (@binary $right:ty) => {
        impl Add<$right> for Unknown {
            type Output = Unknown;
            fn add(self, _other: $right) -> Unknown {
                self
            }
        }
        impl Sub<$right> for Unknown {
            type Output = Unknown;
            fn sub(self, _other: $right) -> Unknown {
                self
            }
        }
        impl Mul<$right> for Unknown {
            type Output = Unknown;
            fn mul(self, _other: $right) -> Unknown {
                self
            }
        }
        impl Div<$right> for Unknown {
            type Output = Unknown;
            fn div(self, _other: $right) -> Unknown {
                self
            }
        }
        impl AddAssign<$right> for Unknown {
            fn add_assign(&mut self, _other: $right) {}
        }
        impl SubAssign<$right> for Unknown {
            fn sub_assign(&mut self, _other: $right) {}
        }
        impl MulAssign<$right> for Unknown {
            fn mul_assign(&mut self, _other: $right) {}
        }
        impl DivAssign<$right> for Unknown {
            fn div_assign(&mut self, _other: $right) {}
        }
    };
}

operators!(f32, f64);
