//! The test suite of the `network!` macro; the tests live in `tests/tests/` and `ui/`.
//!
//! This library is itself a test: it is a `#![no_std]` crate that forbids `unsafe` and denies
//! every warning and missing docs, and it declares nets the ways users do. If any expansion
//! reached for `std`, used `unsafe`, left a public item undocumented or raised any warning, the
//! crate would not build. `.ci/run` also builds it for `thumbv7em-none-eabihf`, a target that has
//! no `std` at all. The checked-in expansion of the notebook net is compiled here as a module, so
//! `cargo clippy -- -D warnings` lints the code we hand users under `clippy::pedantic`.
#![no_std]
#![forbid(unsafe_code)]
#![deny(warnings, missing_docs, unused_qualifications)]
#![warn(clippy::pedantic)]

use backprop_core::network;

network! {
    /// A public net with every method in use by the test-suite.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Public {
        input: 3,
        hidden: dense(4, silu),
        output: dense(2, softmax),
        loss: cross_entropy,
    }
}

network! {
    // A private net used only for `forward`: its other methods raise no dead-code warning.
    struct Private {
        scalar: f32,
        input: 2,
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

/// Uses the private net, so that it is alive at all.
#[must_use]
pub fn private_forward(input: &[f32; 2]) -> [f32; 1] {
    Private::zeroed().forward(input)
}

/// A module with no prelude at all.
#[no_implicit_prelude]
pub mod bare {
    ::backprop_core::network! {
        /// A net in a module with no prelude.
        pub struct Bare {
            input: 2,
            hidden: dense(3, gelu),
            output: dense(1, leaky_relu),
            loss: huber(0.5),
        }
    }
}

// The checked-in expansion of the notebook net (`backprop-codegen/tests/expansions/`), compiled
// as code of this crate so that rustc and clippy lint it like hand-written code.
// It stays as prettyplease printed it (what `cargo expand` shows), so rustfmt leaves it alone.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/notebook.rs"]
pub mod notebook_expansion;

// The same for the looped form.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/looped_classifier.rs"]
pub mod looped_expansion;

network! {
    /// Layer names that are awkward as parts of local names still expand without a warning.
    pub struct AwkwardNames {
        input: 2,
        input_: dense(2, relu),
        hidden__: dense(2, tanh),
        r#type: dense(2, sigmoid),
        layer2: dense(1, identity),
        loss: squared_error,
    }
}
