//! What `network!` generates, rendered: the net of the crate documentation, expanded here so that
//! every generated item has a page to read. This module exists only in the documentation
//! (`#[cfg(doc)]`, as `bitflags::example_generated` does); your own nets are declared in your
//! crate, and get the same items and the same documentation.
//!
//! Three nets cover every kind of generated item: [`Notebook`] the items of every net,
//! [`Classifier`] with `quantize: int8` the int8 net [`ClassifierInt8`] and
//! [`Classifier::quantize`], and, with the `fixed` feature, `FixedNotebook` the Q16.16 net of
//! `scalar: I16F16`. [`Motion`] is a net over a signal.
//!
//! `to_rust_source` appears when the documentation is built with the `std` feature (the default),
//! and `FixedNotebook` with the `fixed` feature: `cargo doc -p backprop-core --all-features` renders
//! every page.

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

crate::network! {
    /// A net over a signal, declared by
    ///
    /// ```text
    /// network! {
    ///     pub struct Motion {
    ///         scalar: f32,
    ///         input: [6, 100],
    ///         c1: conv1d(8, 5, relu, stride = 2, padding = 2),
    ///         dw: depthwise_conv1d(3, relu, padding = 1),
    ///         mp: max_pool1d(2),
    ///         rnn: gru(12),
    ///         output: dense(4, softmax),
    ///         loss: cross_entropy,
    ///     }
    /// }
    /// ```
    ///
    /// A sample is `[[f32; 100]; 6]`, channels first as PyTorch's `Conv1d`; the GRU reads the
    /// pooled `[8, 25]` signal as 25 steps of 8 features and returns its last hidden state.
    pub struct Motion {
        scalar: f32,
        input: [6, 100],
        c1: conv1d(8, 5, relu, stride = 2, padding = 2),
        dw: depthwise_conv1d(3, relu, padding = 1),
        mp: max_pool1d(2),
        rnn: gru(12),
        output: dense(4, softmax),
        loss: cross_entropy,
    }
}

crate::network! {
    /// A classifier with its int8 net, declared by
    ///
    /// ```text
    /// network! {
    ///     pub struct Classifier {
    ///         scalar: f32,
    ///         input: 4,
    ///         hidden: dense(8, relu),
    ///         output: dense(3, softmax),
    ///         loss: cross_entropy,
    ///         quantize: int8,
    ///     }
    /// }
    /// ```
    ///
    /// `quantize: int8` adds [`ClassifierInt8`] and [`Classifier::quantize`], which makes one from
    /// a trained `Classifier` and calibration inputs (post-training quantisation, see
    /// [`quant`](crate::quant)).
    pub struct Classifier {
        scalar: f32,
        input: 4,
        hidden: dense(8, relu),
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

#[cfg(feature = "fixed")]
crate::network! {
    /// The notebook's net in Q16.16 fixed point (feature `fixed`), declared by
    ///
    /// ```text
    /// network! {
    ///     pub struct FixedNotebook {
    ///         scalar: I16F16,
    ///         input: 2,
    ///         hidden: dense(2, relu),
    ///         output: dense(1, relu),
    ///         loss: squared_error,
    ///     }
    /// }
    /// ```
    ///
    /// Its `forward`, `gradient`, `sgd_step` and `train_step` (plain SGD at a learning rate) run in
    /// integer arithmetic only (see [`fixed`](crate::fixed)).
    #[cfg_attr(docsrs, doc(cfg(feature = "fixed")))]
    pub struct FixedNotebook {
        scalar: I16F16,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}
