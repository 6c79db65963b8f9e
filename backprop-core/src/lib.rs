//! The `no_std` runtime behind [`network!`]: the [`Scalar`] trait for `f32` and `f64`, the
//! [`Dense`] layer that holds a layer's parameters, the [`activation`] functions (each value next to
//! its derivative), the [`loss`] functions, and the [`Network`] trait every generated net
//! implements.
//!
//! Add this one crate as a dependency: it re-exports the macro.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Generated code names `::backprop_core::...`; this lets the crate's own tests and docs use the
// macro as a user would.
extern crate self as backprop_core;

#[cfg(feature = "std")]
extern crate std;

pub mod activation;
mod dense;
pub mod loss;
mod network;
mod scalar;

pub use activation::Activation;
pub use backprop_macros::network;
pub use dense::Dense;
pub use network::{LayerShape, Network};
pub use scalar::Scalar;
