//! Regression: a 1-16-16-1 tanh net learns `sin x` on `[-pi, pi]` from 256 seeded random samples,
//! with the fit loop (mini-batches of 16, Adam on a cosine schedule), and is measured on a
//! held-out grid of 1,001 evenly spaced points: mean squared error under 1e-3.

use backprop_core::fit::{Fit, LossCurve, Progress, watch};
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::network;
use backprop_core::optim::{Adam, Cosine, Scheduled};
use backprop_examples::{plot, print_wall_time};
use std::f64::consts::PI;
use std::time::Instant;

network! {
    /// Two hidden tanh layers of 16 (321 parameters, so the macro writes it in the looped form).
    pub struct Sine {
        input: 1,
        first: dense(16, tanh),
        second: dense(16, tanh),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}

const TRAINING_SAMPLES: usize = 256;
const GRID_POINTS: u32 = 1_001;
const EPOCHS: usize = 300;
const BATCH: usize = 16;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut random = Xoshiro256PlusPlus::seed_from_u64(2024);
    let train_inputs: Vec<[f64; 1]> = (0..TRAINING_SAMPLES)
        .map(|_| [PI * (2.0 * random.next_f64() - 1.0)])
        .collect();
    let test_inputs: Vec<[f64; 1]> = (0..GRID_POINTS)
        .map(|k| [-PI + 2.0 * PI * f64::from(k) / f64::from(GRID_POINTS - 1)])
        .collect();
    let sine =
        |inputs: &[[f64; 1]]| -> Vec<[f64; 1]> { inputs.iter().map(|[x]| [x.sin()]).collect() };
    let (train_targets, test_targets) = (sine(&train_inputs), sine(&test_inputs));

    let mut net = Sine::xavier_uniform(1);
    let steps = (EPOCHS * TRAINING_SAMPLES.div_ceil(BATCH)) as u64;
    let schedule = Cosine {
        initial: 0.01,
        minimum: 1e-4,
        steps,
    };
    let mut optimizer = Scheduled::new(Adam::new(0.01), schedule);
    let mut curve = LossCurve::new();
    let summary = Fit::new(EPOCHS).batch_size(BATCH).seed(7).run(
        &mut net,
        &mut optimizer,
        (&train_inputs, &train_targets),
        Some((&test_inputs, &test_targets)),
        watch((Progress::new(EPOCHS), &mut curve)),
    );

    let test_error = backprop_core::fit::mean_loss(&net, (&test_inputs, &test_targets));
    let path = plot::path("sine");
    curve.write_svg(
        &path,
        "sine: 1-16-16-1 tanh, Adam + cosine schedule, batches of 16",
        ["train MSE", "held-out grid MSE"],
    )?;
    for x in [-3.0, -1.5, 0.0, 1.5, 3.0] {
        println!(
            "sin({x:>4}) = {:>8.5}, net: {:>8.5}",
            f64::sin(x),
            net.forward(&[x])[0]
        );
    }
    println!("epochs: {}", summary.last.epoch);
    println!("held-out grid mean squared error: {test_error:.3e} (goal: under 1e-3)");
    println!("loss curve: {}", path.display());
    print_wall_time(start);
    assert!(
        test_error < 1e-3,
        "the sine was not learnt: MSE {test_error}"
    );
    Ok(())
}
