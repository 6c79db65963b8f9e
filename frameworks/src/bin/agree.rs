//! One training step in every framework against ours, from the same weights: prints how far
//! apart the new weights are, and the notebook's nine new values as each framework has them.
//! Exits with an error if any framework disagrees beyond `f32` rounding.
//!
//! `cargo run --release --bin agree` in `frameworks/`.

use backprop_frameworks::{Trainer, agreements, flatten, notebook, ours::Ours};

fn print_notebook<T: Trainer<Scalar = f64>>(name: &str, mut trainer: T) {
    let loss = trainer.step();
    let values: Vec<String> = flatten(&trainer.layers())
        .iter()
        .map(f64::to_string)
        .collect();
    println!(
        "{name:>8}: loss {loss}, new W1 W3 W2 W4 B1 B2 W5 W6 B3 = {}",
        values.join(" ")
    );
}

fn main() {
    let case = notebook();
    println!("the notebook step (our flat order: hidden weights row by row, hidden bias, output):");
    print_notebook("ours", Ours::new(&case));
    #[cfg(feature = "dfdx")]
    print_notebook("dfdx", backprop_frameworks::dfdx::notebook(&case));
    #[cfg(feature = "candle")]
    print_notebook("candle", backprop_frameworks::candle::Candle::new(&case));
    #[cfg(feature = "burn")]
    print_notebook("burn", backprop_frameworks::burn::Burn::new(&case));
    println!();
    println!(
        "{:<15} {:<7} {:>10} {:>12} {:>14} {:>14} {:>11} {:>9} {:>11}  ok",
        "case",
        "theirs",
        "parameters",
        "output diff",
        "loss (ours)",
        "loss (theirs)",
        "weight diff",
        "ulps",
        "update rel"
    );
    let mut all = true;
    for row in agreements() {
        all &= row.ok();
        println!(
            "{:<15} {:<7} {:>10} {:>12.3e} {:>14.8} {:>14.8} {:>11.3e} {:>9.2} {:>11.3e}  {}",
            row.case,
            row.framework,
            row.parameters,
            row.forward_max_abs,
            row.loss.0,
            row.loss.1,
            row.max_abs,
            row.max_ulps,
            row.update_rel,
            if row.ok() { "yes" } else { "NO" }
        );
    }
    if !all {
        eprintln!("some framework's step differs from ours beyond f32 rounding");
        std::process::exit(1);
    }
}
