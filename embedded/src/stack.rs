//! Peak stack by painting: fill the free stack below the caller with a pattern, run the code, and
//! find the deepest word it overwrote.
//!
//! This is the one place the firmware reads and writes memory it does not own through a reference,
//! which only raw pointers can do: the words below the stack pointer, which no live value occupies
//! while they are painted and scanned.
#![allow(unsafe_code)]

use core::ptr;

/// The pattern painted on the free stack.
const PAINT: u32 = 0xDEAD_BEEF;
/// How deep below the caller's frame to paint: more than any inference here needs, and less than
/// the free RAM of the smallest part (16 KiB on the Cortex-M0, with a few hundred bytes of `.bss`).
const DEPTH: usize = 8 * 1024;

/// The bytes of stack `run` uses below this function's frame, at most [`DEPTH`].
#[inline(never)]
pub fn peak(run: impl FnOnce()) -> usize {
    let top = cortex_m::register::msp::read() as usize;
    let bottom = top - DEPTH;
    // Leave the words just below the stack pointer alone: the painting loop may spill there.
    let painted = (bottom..top - 64).step_by(4);
    for address in painted.clone() {
        // SAFETY: `address` is word-aligned, inside RAM (DEPTH is less than the free RAM), and
        // below the stack pointer, where no live value is stored.
        unsafe { ptr::write_volatile(address as *mut u32, PAINT) };
    }
    run();
    let deepest = painted
        .clone()
        // SAFETY: as above; `run` has returned, so nothing lives below the stack pointer again.
        .find(|&address| unsafe { ptr::read_volatile(address as *const u32) } != PAINT)
        .unwrap_or(top);
    top - deepest
}
