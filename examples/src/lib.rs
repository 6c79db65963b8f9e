//! Examples of the `network!` macro live in `examples/*.rs`; run them with `cargo run --example NAME`.
