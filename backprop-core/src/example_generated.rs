//! What `network!` generates, rendered: the net of the crate documentation, expanded here so that
//! every generated item has a page to read. This module exists only in the documentation
//! (`#[cfg(doc)]`, as `bitflags::example_generated` does); your own nets are declared in your
//! crate, and get the same items and the same documentation.
//!
//! `to_rust_source` appears when the documentation is built with the `std` feature, as on
//! docs.rs.

crate::network! {
    /// The 2-2-1 ReLU net of the notebook, declared by
    ///
    /// ```text
    /// network! {
    ///     #[derive(Debug, Clone, PartialEq)]
    ///     pub struct Notebook {
    ///         scalar: f64,
    ///         input: 2,
    ///         hidden: dense(2, relu),
    ///         output: dense(1, relu),
    ///         loss: squared_error,
    ///     }
    /// }
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct Notebook {
        scalar: f64,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}
