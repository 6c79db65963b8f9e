//! The test suite of the `network!` macro; the tests live in `tests/tests/` and `ui/`.
//!
//! This library is itself a test: it is a `#![no_std]` crate that forbids `unsafe` and denies
//! every warning and missing docs, and it declares nets the ways users do. If any expansion
//! reached for `std`, used `unsafe`, left a public item undocumented or raised any warning, the
//! crate would not build. `.ci/run` also builds it for `thumbv7em-none-eabihf`, a target that has
//! no `std` at all. The checked-in expansions (`backprop-codegen/tests/expansions/`) are compiled
//! here as modules, so `cargo clippy -- -D warnings` lints the code we hand users under
//! `clippy::pedantic`, which this crate denies. It also declares nets next to items that shadow
//! every name the expansion uses, two in one module, from a `macro_rules!` macro, in a function
//! body, and with raw-identifier layer names.
#![no_std]
#![forbid(unsafe_code)]
#![deny(warnings, missing_docs, unused_qualifications)]
#![deny(clippy::pedantic)]

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

/// The legend lines of `DERIVATION` that differ between an `f64` net and its Q16.16 twin: the
/// float net's exponential formula for tanh and sigmoid, and the Q16.16 net's table, in that
/// order.
pub const Q16_16_LEGEND: [(&str, &str); 2] = [
    (
        "  tanh(z) = (e^z - e^-z) / (e^z + e^-z); tanh'(z) = 1 - tanh(z)^2\n",
        "  tanh(z) in Q16.16: a table of tanh(k/16), k = 0..=96, interpolated linearly (odd; the last entry beyond 6); tanh'(z) = 1 - tanh(z)^2\n",
    ),
    (
        "  sigmoid(z) = 1 / (1 + e^-z); sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))\n",
        "  sigmoid(z) = (1 + tanh(z/2)) / 2, in Q16.16 with tanh by its table; sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))\n",
    ),
];

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

    ::backprop_core::network! {
        /// A Q16.16 net in a module with no prelude.
        pub struct BareFixed {
            scalar: I16F16,
            input: 2,
            hidden: dense(3, tanh),
            leaky: dense(3, leaky_relu(-0.25)),
            output: dense(1, sigmoid),
            loss: squared_error,
        }
    }

    ::backprop_core::network! {
        /// An int8 net in a module with no prelude.
        pub struct Bare8 {
            input: 2,
            hidden: dense(3, relu),
            middle: dense(3, sigmoid),
            output: dense(1, identity),
            loss: squared_error,
            quantize: int8,
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

// And for the other checked-in expansions: an f32 softmax classifier (fused cross-entropy), and a
// net with every kind of activation, the unfused softmax rule and a user-defined activation.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/softmax_classifier.rs"]
pub mod softmax_classifier_expansion;

// ... and a net with every kind of activation, the unfused softmax rule and a user activation.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/every_activation.rs"]
pub mod every_activation_expansion;

// A Q16.16 net, an int8 one, a convolution net and a GRU net, all unrolled.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/fixed_point.rs"]
pub mod fixed_point_expansion;

#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/int8.rs"]
pub mod int8_expansion;

#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/convolution.rs"]
pub mod convolution_expansion;

#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/recurrent.rs"]
pub mod recurrent_expansion;

// A looped net over a signal: a convolution, a depthwise one, pools and two stacked GRUs.
#[rustfmt::skip]
#[path = "../../backprop-codegen/tests/expansions/signals_looped.rs"]
pub mod signals_looped_expansion;

// The `every_activation` spec names its user-defined activation `user::Swish`, a path relative to
// the module the expansion sits in. Naming this crate `user` puts `user::Swish` in every module's
// scope, through the extern prelude, without editing the checked-in file.
extern crate self as user;

/// The user-defined activation of the `every_activation` expansion: Swish with beta 1,
/// `z * sigmoid(z)`.
#[derive(Debug, Clone, Copy)]
pub struct Swish;

impl<T: backprop_core::Scalar> backprop_core::Activation<T> for Swish {
    /// `z * s`, with `s = sigmoid(z)`.
    fn value(z: T) -> T {
        z * backprop_core::activation::sigmoid(z)
    }

    /// `s * (1 + z * (1 - s))`.
    fn derivative(z: T, _value: T) -> T {
        let s = backprop_core::activation::sigmoid(z);
        s * (T::ONE + z * (T::ONE - s))
    }
}

/// Nets next to user items named like everything the expansion uses: the expansion names all of
/// them by absolute path (`::core::primitive::f64`, `::backprop_core::Dense`), so none is shadowed.
pub mod shadowing {
    #![allow(non_camel_case_types, unused_macros)]

    /// Shadows the primitive `f32`.
    pub struct f32;
    /// Shadows the primitive `f64`.
    pub struct f64;
    /// Shadows the primitive `usize`.
    pub struct usize;
    /// Shadows `backprop_core::Dense`.
    pub struct Dense;
    /// Shadows the prelude's `Option`.
    pub struct Option;
    /// Shadows the prelude's `Some`.
    pub struct Some;
    /// Shadows the prelude's `Ok`.
    pub struct Ok;
    /// Shadows `backprop_core::activation::relu`.
    pub fn relu() {}
    /// Shadows `backprop_core::activation::tanh`.
    pub fn tanh() {}
    /// Shadows `backprop_core::activation::softmax`.
    pub fn softmax() {}
    /// Shadows `backprop_core::loss::squared_error`.
    pub fn squared_error() {}
    /// Shadows the `core` crate.
    pub mod core {}
    /// Shadows the `std` crate.
    pub mod std {}
    /// Shadows `backprop_core`.
    pub mod backprop_core {}
    macro_rules! vec {
        ($($anything:tt)*) => {
            compile_error!("the expansion must not use vec!")
        };
    }
    macro_rules! assert {
        ($($anything:tt)*) => {
            compile_error!("the expansion must not use assert!")
        };
    }

    ::backprop_core::network! {
        /// An f64 net among the shadowing items.
        pub struct Shadowed64 {
            scalar: f64,
            input: 2,
            hidden: dense(3, tanh),
            output: dense(1, relu),
            loss: squared_error,
        }
    }

    ::backprop_core::network! {
        /// An f32 classifier among the shadowing items, the second net in this module.
        pub struct Shadowed32 {
            scalar: f32,
            input: 2,
            hidden: dense(2, leaky_relu(0.1)),
            output: dense(3, softmax),
            loss: cross_entropy,
        }
    }

    ::backprop_core::network! {
        /// A Q16.16 net among the shadowing items.
        pub struct ShadowedFixed {
            scalar: I16F16,
            input: 2,
            hidden: dense(3, relu),
            output: dense(2, identity),
            loss: mean_squared_error,
        }
    }

    ::backprop_core::network! {
        /// An int8 net (tables, a clamp and softmax) among the shadowing items.
        pub struct Shadowed8 {
            scalar: f32,
            input: 2,
            hidden: dense(3, tanh),
            leaky: dense(3, leaky_relu(0.2)),
            rectified: dense(3, relu),
            output: dense(2, softmax),
            loss: cross_entropy,
            quantize: int8,
        }
    }

    ::backprop_core::network! {
        /// A looped net among the shadowing items.
        pub struct ShadowedLooped {
            form: looped,
            input: 3,
            hidden: dense(4, relu),
            output: dense(2, sigmoid),
            loss: binary_cross_entropy,
        }
    }
}

/// Declares a net whose name and widths come from the macro's arguments.
macro_rules! declare_net {
    ($(#[$attribute:meta])* $name:ident, $inputs:literal, $hidden:literal, $outputs:literal) => {
        network! {
            $(#[$attribute])*
            pub struct $name {
                input: $inputs,
                hidden: dense($hidden, elu(0.5)),
                output: dense($outputs, identity),
                loss: huber(2.0),
            }
        }
    };
}

declare_net!(
    /// A net declared by a `macro_rules!` macro, which supplies its name and its widths.
    FromMacro,
    3,
    5,
    2
);

/// A net declared and used inside a function body.
#[must_use]
pub fn local_net_output(input: f64) -> f64 {
    network! {
        struct Local { input: 1, output: dense(1, identity), loss: mean_absolute_error }
    }
    let mut net = Local::zeroed();
    net.output.weights = [[2.0]];
    net.forward(&[input])[0]
}

network! {
    /// Layer names that are Rust keywords, written as raw identifiers (`gen` since Rust 2024).
    pub struct RawNames {
        input: 1,
        r#gen: dense(2, relu),
        r#fn: dense(2, relu),
        r#match: dense(1, identity),
        loss: squared_error,
    }
}

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
