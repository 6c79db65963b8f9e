//! TensorFlow Lite's flatbuffers schema, compiled to Rust by planus 1.3.0 from `schema.fbs`
//! (`regenerate.sh`): `tflite::ModelRef::read_as_root(bytes)` reads a `.tflite` file, every access
//! checked against the buffer and returning `planus::Error` rather than panicking. The reader under
//! `backprop-core`'s feature `tflite`.
#![allow(
    missing_docs,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    rustdoc::all
)]

mod schema_generated;

pub use planus;
pub use schema_generated::tflite;
