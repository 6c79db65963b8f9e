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

unsafe extern "C" {
    /// The lowest address the stack may grow down to, from cortex-m-rt's `link.x`: the end of
    /// `.bss` and `.uninit`, rounded up to a word. Only its address is read.
    static _stack_end: u32;
}

/// The bytes of stack `run` uses below this function's frame. Every free word of RAM below the
/// frame is painted, so a result as large as the free RAM (less 64 bytes) means `run` reached the
/// bottom of the stack, and perhaps went past it.
#[inline(never)]
pub fn peak(run: impl FnOnce()) -> usize {
    let top = cortex_m::register::msp::read() as usize;
    let bottom = (&raw const _stack_end) as usize;
    // Leave the words just below the stack pointer alone: the painting loop may spill there.
    let painted = (bottom..top - 64).step_by(4);
    for address in painted.clone() {
        // SAFETY: `address` is word-aligned, between the end of `.bss` and the stack pointer,
        // where no live value is stored.
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
