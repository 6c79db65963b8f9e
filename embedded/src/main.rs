//! Inference on a microcontroller: two nets trained on the host, printed by `to_rust_source`,
//! pasted here as `const` items. Their parameters live in flash, their inference costs only stack,
//! and nothing links `std`, an allocator or unwinding (`panic = "abort"`).
//!
//! The footprint of `notebook_forward` and `xor_forward` on `thumbv7em-none-eabihf` (Cortex-M4F)
//! is measured in `BENCHMARKS.md`.
#![no_std]
#![no_main]
#![deny(missing_docs)]

use backprop_core::{Dense, network};
use core::hint::black_box;
use cortex_m_rt::entry;
use panic_halt as _;

network! {
    /// The notebook's 2-2-1 ReLU net, after its one SGD step.
    pub struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
}

network! {
    /// XOR, trained with Adam in f32 (`hidden` tanh, `output` sigmoid).
    pub struct Xor { scalar: f32, input: 2, hidden: dense(4, tanh), output: dense(1, sigmoid), loss: binary_cross_entropy }
}

/// The notebook's net after its step: W1..W6 0.99, 0.49, 1.0, -0.5, 0.985, 0.995; B1..B3 0.49,
/// -0.01, 0.49.
pub const NOTEBOOK: Notebook = Notebook {
    hidden: Dense {
        weights: [[0.99, 1.0], [0.49, -0.5]],
        bias: [0.49, -0.01],
    },
    output: Dense {
        weights: [[0.985, 0.995]],
        bias: [0.49],
    },
};

/// XOR as printed by `Xor::to_rust_source("XOR")` after training on the host.
pub const XOR: Xor = Xor {
    hidden: Dense {
        weights: [
            [3.054_356_3, -5.090_812],
            [-1.213_988_9, -1.447_422],
            [5.751_103, -3.904_644_5],
            [-3.463_145_5, -3.822_19],
        ],
        bias: [-0.829_149_9, -1.361_870_2, 1.226_365_7, 0.718_121],
    },
    output: Dense {
        weights: [[9.716_727, -3.589_821_8, -9.409_895, -4.782_058]],
        bias: [1.458_843_2],
    },
};

/// The notebook net's prediction, computed by the compiler: `forward` is a `const fn`.
pub const NOTEBOOK_AT_1_0: f64 = NOTEBOOK.forward(&[1.0, 0.0])[0];

/// The notebook net's prediction for `(x0, x1)`: the inference function whose size is measured.
#[inline(never)]
#[unsafe(no_mangle)]
pub extern "C" fn notebook_forward(x0: f64, x1: f64) -> f64 {
    NOTEBOOK.forward(&[x0, x1])[0]
}

/// XOR's prediction for `(x0, x1)`, a probability: the other function measured.
#[inline(never)]
#[unsafe(no_mangle)]
pub extern "C" fn xor_forward(x0: f32, x1: f32) -> f32 {
    XOR.forward(&[x0, x1])[0]
}

/// Runs both nets forever on inputs the compiler cannot see, as a sensor loop would.
#[entry]
fn main() -> ! {
    const { assert!(NOTEBOOK_AT_1_0 > 2.4, "computed at compile time") };
    loop {
        black_box(notebook_forward(black_box(1.0), black_box(0.0)));
        black_box(xor_forward(black_box(1.0), black_box(0.0)));
    }
}
