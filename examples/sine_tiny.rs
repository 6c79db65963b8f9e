//! The TFLM "hello world" sine net, ours: a 1-16-16-1 ReLU net trained in `f32` on `sin x` for
//! `x` in `[0, 2 pi]` (the range and shape of the model microflow ships as `sine.tflite`), with the
//! fit loop (mini-batches of 16, Adam on a cosine schedule); measured on a grid of 1,000 points,
//! then printed as Rust source for the firmware in `embedded/` (`-- --write embedded/src/sine_net.rs`
//! writes the file the firmware compiles; `cargo fmt` in `embedded/` then lays it out).

use backprop_core::Dense;
use backprop_core::fit::{Control, Fit};
use backprop_core::fixed::I16F16;
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::network;
use backprop_core::optim::{Adam, Cosine, Scheduled};
use backprop_examples::print_wall_time;
use std::f32::consts::TAU;
use std::time::Instant;

network! {
    /// 1-16-16-1 with ReLU, as the TFLM hello-world model: 321 parameters.
    #[derive(Clone)]
    pub struct SineTiny {
        scalar: f32,
        input: 1,
        first: dense(16, relu),
        second: dense(16, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

const TRAINING_SAMPLES: usize = 1_000;
/// The firmware's grid: `x_k = 2 pi k / 1000`, `k = 0..1000`.
const GRID_POINTS: u16 = 1_000;
const EPOCHS: usize = 400;
const BATCH: usize = 16;
/// The grid's mean squared error the example must reach (TFLM's model: about 1.5e-3 on this grid).
const GOAL: f64 = 1e-3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut random = Xoshiro256PlusPlus::seed_from_u64(2025);
    #[allow(clippy::cast_possible_truncation)] // a sample in [0, 2 pi] as f32, on purpose
    let train_inputs: Vec<[f32; 1]> = (0..TRAINING_SAMPLES)
        .map(|_| [TAU * random.next_f64() as f32])
        .collect();
    let grid: Vec<[f32; 1]> = (0..GRID_POINTS)
        .map(|k| [TAU * f32::from(k) / f32::from(GRID_POINTS)])
        .collect();
    let sine =
        |inputs: &[[f32; 1]]| -> Vec<[f32; 1]> { inputs.iter().map(|[x]| [x.sin()]).collect() };
    let (train_targets, grid_targets) = (sine(&train_inputs), sine(&grid));

    let mut net = SineTiny::he_uniform(11);
    let steps = (EPOCHS * TRAINING_SAMPLES.div_ceil(BATCH)) as u64;
    let schedule = Cosine {
        initial: 0.01,
        minimum: 1e-4,
        steps,
    };
    let mut optimizer = Scheduled::new(Adam::new(0.01), schedule);
    Fit::new(EPOCHS).batch_size(BATCH).seed(5).run(
        &mut net,
        &mut optimizer,
        (&train_inputs, &train_targets),
        None,
        |_, _| Control::Continue,
    );
    let grid_error = backprop_core::fit::mean_loss(&net, (&grid, &grid_targets));
    let (_, max_error) = errors(|x| net.forward(x)[0], &grid);
    println!(
        "f32, grid of {GRID_POINTS}: mean squared error {grid_error:.3e}, largest error {max_error:.4}"
    );
    assert!(
        grid_error < GOAL,
        "the sine was not learnt: MSE {grid_error}"
    );

    // Post-training quantisation, calibrated on the training inputs.
    let int8 = net.quantize(&train_inputs);
    let (int8_error, int8_max) = errors(|x| int8.forward(x)[0], &grid);
    println!(
        "int8, grid of {GRID_POINTS}: mean squared error {int8_error:.3e}, largest error {int8_max:.4}"
    );

    // The same weights in Q16.16.
    let fixed = SineFixed::rounded(&net);
    let (fixed_error, fixed_max) = errors(
        |x| fixed.forward(&[I16F16::from_num(x[0])])[0].to_num(),
        &grid,
    );
    println!(
        "Q16.16, grid of {GRID_POINTS}: mean squared error {fixed_error:.3e}, largest error {fixed_max:.4}"
    );
    print_wall_time(start);

    let source = net.to_rust_source("SINE")
        + "\n"
        + &int8.to_rust_source("SINE_INT8")
        + "\n"
        + &fixed.to_rust_source("SINE_FIXED");
    match std::env::args().skip_while(|arg| arg != "--write").nth(1) {
        Some(path) => std::fs::write(&path, firmware_file(&source))?,
        None => print!("{source}"),
    }
    Ok(())
}

network! {
    /// The same net in Q16.16, for the firmware's fixed-point form.
    pub struct SineFixed {
        scalar: I16F16,
        input: 1,
        first: dense(16, relu),
        second: dense(16, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}

impl SineFixed {
    /// Each layer's `f32` parameters rounded to the nearest Q16.16.
    fn rounded(net: &SineTiny) -> Self {
        Self {
            first: Dense::from_f64(&widen(&net.first)),
            second: Dense::from_f64(&widen(&net.second)),
            output: Dense::from_f64(&widen(&net.output)),
        }
    }
}

/// An `f32` layer as `f64`, exactly.
fn widen<const I: usize, const O: usize>(layer: &Dense<f32, I, O>) -> Dense<f64, I, O> {
    Dense {
        weights: layer.weights.map(|row| row.map(f64::from)),
        bias: layer.bias.map(f64::from),
    }
}

/// The mean squared error against `sin x` over `grid`, and the largest error.
fn errors(net: impl Fn(&[f32; 1]) -> f32, grid: &[[f32; 1]]) -> (f64, f64) {
    let differences = grid
        .iter()
        .map(|x| f64::from(net(x)) - f64::from(x[0]).sin());
    let (sum, largest) = differences.fold((0.0, 0.0_f64), |(sum, largest), d| {
        (sum + d * d, largest.max(d.abs()))
    });
    #[allow(clippy::cast_precision_loss)] // a grid of 1,000
    (sum / grid.len() as f64, largest)
}

/// The file the firmware compiles: the trained nets as `pub const` items (each printed with its
/// docs and full paths by `to_rust_source`).
fn firmware_file(source: &str) -> String {
    format!(
        "//! The 1-16-16-1 ReLU sine net trained by `cargo run --release --features fixed \
         --example sine_tiny -- --write embedded/src/sine_net.rs`\n//! (which wrote this file), as `const` items in \
         flash.\n\n{source}"
    )
}
