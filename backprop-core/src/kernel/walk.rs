//! The one walk every kernel makes, over samples, rows or columns: steps of constant sizes, the
//! largest first, so that each step is a tile compiled for its size. The forward kernel walks the
//! samples (`S` at a time, then one) and, for each block, the rows (`R`, then one); the backward
//! kernel walks the columns (`W`, then [`LANES`](super::LANES), then one) and, for each strip,
//! the samples; the gradient kernel walks the columns and, for each strip, the rows.

#![allow(
    clippy::inline_always,
    reason = "a kernel's body must be inlined into the function compiled with AVX2"
)]

/// What a walk does at each step.
pub(super) trait Steps {
    /// Items `start..start + N`.
    fn step<const N: usize>(&mut self, start: usize);
}

/// Items `0..len`: `BIG` at a time while `BIG` are left, then `SMALL` at a time, then one at a
/// time.
#[inline(always)]
pub(super) fn walk<const BIG: usize, const SMALL: usize>(len: usize, steps: &mut impl Steps) {
    let mut start = 0;
    while start + BIG <= len {
        steps.step::<BIG>(start);
        start += BIG;
    }
    while start + SMALL <= len {
        steps.step::<SMALL>(start);
        start += SMALL;
    }
    while start < len {
        steps.step::<1>(start);
        start += 1;
    }
}
