//! Views of a layer's arrays that generated code needs: any array of numbers as one flat slice
//! (for the parameter tensors of [`Network`](crate::Network)), and a signal `[[T; L]; C]` as the
//! vector `[T; C * L]` a `dense` layer reads (channel-major, as torch's `Flatten`), and back.
//! Each is a view or a copy in safe Rust; the widths are checked when the code is compiled.

/// An array of numbers of any rank: `[T; N]`, `[[T; N]; M]`, `[[[T; K]; N]; M]`.
pub trait Array<T> {
    /// Every element, row-major.
    fn as_slice(&self) -> &[T];
    /// Every element, row-major.
    fn as_mut_slice(&mut self) -> &mut [T];
    /// The array with every element `value`.
    fn splat(value: T) -> Self
    where
        T: Copy;
}

impl<T, const N: usize> Array<T> for [T; N] {
    #[inline]
    fn as_slice(&self) -> &[T] {
        self
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [T] {
        self
    }
    #[inline]
    fn splat(value: T) -> Self
    where
        T: Copy,
    {
        [value; N]
    }
}

impl<T, const N: usize, const M: usize> Array<T> for [[T; N]; M] {
    #[inline]
    fn as_slice(&self) -> &[T] {
        self.as_flattened()
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [T] {
        self.as_flattened_mut()
    }
    #[inline]
    fn splat(value: T) -> Self
    where
        T: Copy,
    {
        [[value; N]; M]
    }
}

impl<T, const K: usize, const N: usize, const M: usize> Array<T> for [[[T; K]; N]; M] {
    #[inline]
    fn as_slice(&self) -> &[T] {
        self.as_flattened().as_flattened()
    }
    #[inline]
    fn as_mut_slice(&mut self) -> &mut [T] {
        self.as_flattened_mut().as_flattened_mut()
    }
    #[inline]
    fn splat(value: T) -> Self
    where
        T: Copy,
    {
        [[[value; K]; N]; M]
    }
}

/// Every element of `array`, row-major.
#[inline]
pub fn slice<T, A: Array<T> + ?Sized>(array: &A) -> &[T] {
    array.as_slice()
}

/// Every element of `array`, row-major, to write.
#[inline]
pub fn slice_mut<T, A: Array<T> + ?Sized>(array: &mut A) -> &mut [T] {
    array.as_mut_slice()
}

/// A signal read as one vector, channel-major: `flat[c * L + t] = signal[c][t]`.
///
/// # Panics
/// Never: the lengths are checked when the call is compiled.
#[inline]
pub fn flatten<T, const C: usize, const L: usize, const N: usize>(signal: &[[T; L]; C]) -> &[T; N] {
    const {
        assert!(C * L == N, "a flattened signal has C * L values");
    };
    signal
        .as_flattened()
        .try_into()
        .expect("the lengths agree, as checked when compiled")
}

/// A vector read as a signal of `C` channels, channel-major: the inverse of [`flatten`].
#[inline]
pub fn unflatten<T: Copy, const C: usize, const L: usize, const N: usize>(
    flat: [T; N],
) -> [[T; L]; C] {
    const {
        assert!(C * L == N, "a flattened signal has C * L values");
    };
    core::array::from_fn(|c| core::array::from_fn(|t| flat[c * L + t]))
}

/// Signals of a block of samples, each read as one vector (see [`flatten`]).
#[inline]
pub fn rows<T, const C: usize, const L: usize, const N: usize>(
    signals: &[[[T; L]; C]],
) -> &[[T; N]] {
    const {
        assert!(C * L == N, "a flattened signal has C * L values");
    };
    signals.as_flattened().as_flattened().as_chunks::<N>().0
}

/// [`rows`], to write.
#[inline]
pub fn rows_mut<T, const C: usize, const L: usize, const N: usize>(
    signals: &mut [[[T; L]; C]],
) -> &mut [[T; N]] {
    const {
        assert!(C * L == N, "a flattened signal has C * L values");
    };
    signals
        .as_flattened_mut()
        .as_flattened_mut()
        .as_chunks_mut::<N>()
        .0
}

#[cfg(test)]
mod tests {
    use super::{flatten, rows, slice, unflatten};

    #[test]
    fn signals_flatten_channel_major_and_back() {
        let signal = [[1, 2, 3], [4, 5, 6]];
        let flat: &[i32; 6] = flatten(&signal);
        assert_eq!(flat, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(unflatten::<_, 2, 3, 6>(*flat), signal);
        let block = [signal, [[7, 8, 9], [10, 11, 12]]];
        let rows: &[[i32; 6]] = rows(&block);
        assert_eq!(rows, &[[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
        assert_eq!(slice::<i32, _>(&[[[1, 2], [3, 4]]]), &[1, 2, 3, 4]);
    }
}
