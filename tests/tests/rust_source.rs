//! A trained net printed as Rust source reads back bit for bit, and a `const` net is evaluated at
//! compile time by its `const fn forward`.
//!
//! `tests/fixtures/trained_notebook.rs` is what `to_rust_source` prints for the net trained below;
//! after a deliberate change, `UPDATE_FIXTURES=1 cargo test -p backprop-tests --test rust_source`.

use backprop_core::network;
use std::path::Path;

network! {
    /// The notebook's net, trained from a seed on a few samples.
    #[derive(Debug, PartialEq)]
    pub struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, leaky_relu(0.1)), loss: squared_error }
}

fn trained() -> Notebook {
    let mut net = Notebook::he_normal(2024);
    for step in 0..50_u32 {
        let x = f64::from(step % 7) / 7.0;
        let (_, gradient) = net.gradient(&[x, 1.0 - x], &[2.0 * x - 0.5]);
        net.sgd_step(&gradient, 0.05);
    }
    net
}

// The printed source, compiled back in.
include!("../fixtures/trained_notebook.rs");

/// The printed source pasted where nothing is imported, not even the prelude: every path in it is
/// written in full.
#[no_implicit_prelude]
mod pasted {
    ::core::include!("../fixtures/trained_notebook.rs");
}

/// Evaluated by the compiler: `forward` is a `const fn` for relu and leaky relu nets.
const PREDICTION: [f64; 1] = TRAINED.forward(&[0.25, 0.75]);

/// The zero net, also at compile time.
const ZERO_PREDICTION: [f64; 1] = Notebook::zeroed().forward(&[1.0, 2.0]);

#[test]
fn the_printed_source_is_the_checked_in_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/trained_notebook.rs");
    let source = trained().to_rust_source("TRAINED");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &source).expect("write the fixture");
    }
    assert_eq!(
        std::fs::read_to_string(&path).expect("the fixture exists"),
        source
    );
}

#[test]
fn the_source_reads_back_bit_for_bit() {
    let bits = |net: &Notebook| net.to_array().map(f64::to_bits);
    assert_eq!(bits(&TRAINED), bits(&trained()));
    assert_eq!(bits(&pasted::TRAINED), bits(&trained()));
}

/// The README's description of what `to_rust_source` returns.
#[test]
fn the_source_is_one_public_const_item_with_full_paths() {
    let source = trained().to_rust_source("TRAINED");
    assert!(
        source.starts_with(
            "/// `Notebook` with trained parameters, printed by `to_rust_source`.\n\
             #[allow(unused_qualifications)]\n\
             pub const TRAINED: crate::Notebook = crate::Notebook {\n"
        ),
        "{source}"
    );
    assert_eq!(source.matches("::backprop_core::Dense {").count(), 2);
    assert!(!source.contains(" Dense {"), "{source}");
}

#[test]
fn a_const_net_is_evaluated_at_compile_time() {
    assert_eq!(
        PREDICTION[0].to_bits(),
        trained().forward(&[0.25, 0.75])[0].to_bits()
    );
    assert_eq!(ZERO_PREDICTION[0].to_bits(), 0.0_f64.to_bits());
}
