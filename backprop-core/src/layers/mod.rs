//! The layer types of the runtime, one module per kind of layer `network!` declares: each holds
//! its parameters, its forward pass, its backward pass and its gradient (stored through a
//! [`Store`](crate::store::Store)), and prints itself as Rust source.

mod conv1d;
mod dense;
mod depthwise;
mod gru;
mod pool;
mod signal;

pub use conv1d::Conv1d;
pub use dense::Dense;
pub use depthwise::DepthwiseConv1d;
pub use gru::{Gru, GruSteps};
pub use pool::{AvgPool1d, GlobalAvgPool1d, MaxPool1d, first_maximum, maximum};
pub use signal::output_length;
