//! Fine-tuning an imported model: MLPerf Tiny's anomaly-detection autoencoder
//! (640-128x4-8-128x4-640, ReLU, MSE; `tests/fixtures/mlperf-tiny/ad01_fp32.tflite`, its
//! batch norm already folded into the dense layers) loaded into the net its printed spec declares
//! (`ad01.rs` there, by `tflite_spec`), then adapted to a new machine's "normal" sound:
//!
//! ```text
//! cargo run --release -p backprop-examples --example anomaly --features tflite
//! ```
//!
//! The data are synthetic and seeded (`Xoshiro256PlusPlus::seed_from_u64`, seeds 1 to 4, see
//! [`frame`]): a frame is 5 consecutive log-mel spectra of 128 bands (640 values, as MLPerf Tiny's
//! input), in dB within the range of the int8 model's input quantisation. A normal frame is a machine's
//! hum: a spectral tilt, three harmonics at bands 18, 36 and 54, a per-recording gain and
//! per-band noise. An anomalous frame is the same machine with a fault: its harmonics 4 bands
//! higher and a resonance at band 96. On normal frames the imported model reconstructs badly
//! (it never heard this machine).
//!
//! Only the decoder's last two dense layers (`dense9`, `dense10`) are trained: each step computes
//! the full gradient of a mini-batch (`accumulate_batch`), zeroes every other layer's tensors
//! (`Network::tensor_mut`) and steps with Adam, whose moments for those tensors stay zero, so the
//! other layers keep the file's bits (checked). The example asserts that the held-out normal
//! frames' reconstruction error drops by at least [`GOAL_FACTOR`], that the anomalous frames keep
//! a higher error (the AUC of the error as an anomaly score, at least [`GOAL_AUC`]), and that the
//! net quantised again to int8 (`quantize`, the normal training frames as calibration) keeps
//! both (its error within [`GOAL_INT8`] times the float one, AUC at least [`GOAL_AUC`]). It
//! prints what it reaches: held-out normal MSE 31.21 imported, 1.028 fine-tuned (30x lower; the
//! frames' noise alone is 1.0), anomalous 18.45, AUC 0.82 before and 1.0 after; int8 1.073, AUC
//! 1.0 (about 2 s in release).
//!
//! `--write embedded/src/ad_net.rs` writes the firmware file of `embedded/src/bin/ad_int8.rs`:
//! the int8 file's net (`ad01_int8.tflite`, as MLPerf Tiny ships it, not the fine-tuned one) as a
//! `const` by `to_rust_source`, a few frames quantised with its input quantisation, and the host's
//! output codes for them.

use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer};
use backprop_core::{Network, tflite};
use backprop_examples::print_wall_time;
use std::fmt::Write as _;
use std::time::Instant;

include!("../tests/fixtures/mlperf-tiny/ad01.rs");

const AD01_FP32: &[u8] = include_bytes!("../tests/fixtures/mlperf-tiny/ad01_fp32.tflite");
const AD01_INT8: &[u8] = include_bytes!("../tests/fixtures/mlperf-tiny/ad01_int8.tflite");

/// Normal frames to train on, normal and anomalous frames held out.
const TRAIN: usize = 512;
const HELD_OUT: usize = 256;
/// Epochs over the training frames, in mini-batches of `BATCH`, Adam's learning rate.
const EPOCHS: usize = 30;
const BATCH: usize = 32;
const LEARNING_RATE: f64 = 1e-3;
/// The held-out normal frames' reconstruction MSE must drop at least this many times.
const GOAL_FACTOR: f32 = 20.0;
/// The AUC of the reconstruction MSE as a score of anomalous against normal held-out frames.
const GOAL_AUC: f64 = 0.99;
/// The int8 net's held-out normal MSE at most this many times the float net's.
const GOAL_INT8: f32 = 1.2;
/// The layers trained.
const TRAINED: [&str; 2] = ["dense9", "dense10"];

type Frame = [f32; 640];

/// Bands, frames of a recording.
const BANDS: usize = 128;
const STEPS: usize = 5;

/// One frame of the synthetic machine, drawn from `rng`: for band `b` of each of the 5 spectra,
/// `gain - 24 - 16 b / 128 + sum_h 12 exp(-((b - c_h) / 1.5)^2 / 2) + n` dB, harmonics
/// `c_h = 18 h (+ 4 when anomalous)`, `h = 1, 2, 3`, `gain` uniform in `[-2, 2]` per frame, `n`
/// standard normal per value; an anomalous frame adds a resonance `8 exp(-((b - 96) / 3)^2 / 2)`.
/// The values lie within the int8 file's input range (-84.9 to 14.9 dB).
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // small counts, f64 to f32
fn frame(rng: &mut Xoshiro256PlusPlus, anomalous: bool) -> Frame {
    let gain = 4.0 * rng.next_f64() - 2.0;
    let shift = if anomalous { 4.0 } else { 0.0 };
    let bump = |b: f64, centre: f64, width: f64| (-((b - centre) / width).powi(2) / 2.0).exp();
    let mut x = [0.0; 640];
    for step in 0..STEPS {
        for band in 0..BANDS {
            let b = band as f64;
            let mut value = gain - 24.0 - 16.0 * b / BANDS as f64;
            for h in 1..=3 {
                value += 12.0 * bump(b, 18.0 * f64::from(h) + shift, 1.5);
            }
            if anomalous {
                value += 8.0 * bump(b, 96.0, 3.0);
            }
            value += rng.next_normal();
            x[step * BANDS + band] = value as f32;
        }
    }
    x
}

fn frames(seed: u64, count: usize, anomalous: bool) -> Vec<Frame> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    (0..count).map(|_| frame(&mut rng, anomalous)).collect()
}

/// Reconstruction MSE of each frame by `reconstruct`.
fn errors(frames: &[Frame], reconstruct: impl Fn(&Frame) -> Frame) -> Vec<f32> {
    frames
        .iter()
        .map(|x| {
            let y = reconstruct(x);
            #[allow(clippy::cast_precision_loss)]
            let mse = x
                .iter()
                .zip(&y)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f32>()
                / 640.0;
            mse
        })
        .collect()
}

#[allow(clippy::cast_precision_loss)]
fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len() as f32
}

/// The area under the ROC curve of the score: the fraction of (normal, anomalous) pairs whose
/// anomalous score is higher (ties count half).
#[allow(clippy::cast_precision_loss, clippy::float_cmp)] // a tie is an exact tie
fn auc(normal: &[f32], anomalous: &[f32]) -> f64 {
    let mut wins = 0.0;
    for &a in anomalous {
        for &n in normal {
            wins += if a > n {
                1.0
            } else if a == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (normal.len() * anomalous.len()) as f64
}

/// What a net reaches on the held-out frames: normal MSE, anomalous MSE, AUC.
fn report(name: &str, normal: &[f32], anomalous: &[f32]) -> (f32, f32, f64) {
    let (n, a, area) = (mean(normal), mean(anomalous), auc(normal, anomalous));
    println!(
        "{name}: held-out reconstruction MSE normal {n:.4}, anomalous {a:.4} ({:.2}x), AUC {area:.4}",
        a / n
    );
    (n, a, area)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    // On the heap: the net, its gradient and Adam's two moments are 1 MiB each.
    let mut net: Box<Ad01> = Box::new(tflite::load(AD01_FP32)?);
    let imported: Box<Ad01> = Box::new(tflite::load(AD01_FP32)?);
    let train = frames(1, TRAIN, false);
    let normal = frames(2, HELD_OUT, false);
    let anomalous = frames(3, HELD_OUT, true);

    let before = report(
        "imported (f32)",
        &errors(&normal, |x| net.forward(x)),
        &errors(&anomalous, |x| net.forward(x)),
    );

    let mut adam = Adam::boxed(LEARNING_RATE);
    let mut gradient = Ad01::boxed_zeroed();
    let mut order: Vec<usize> = (0..TRAIN).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
    let mut batch = Vec::with_capacity(BATCH);
    for epoch in 0..EPOCHS {
        // A seeded Fisher-Yates shuffle of the training frames each epoch.
        for i in (1..TRAIN).rev() {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut total = 0.0;
        for chunk in order.chunks(BATCH) {
            batch.clear();
            batch.extend(chunk.iter().map(|&k| train[k]));
            for index in 0..Ad01::TENSORS.len() {
                gradient.tensor_mut(index).fill(0.0);
            }
            total += net.accumulate_batch(&batch, &batch, &mut gradient);
            #[allow(clippy::cast_precision_loss)]
            let scale = 1.0 / batch.len() as f32;
            for (index, tensor) in Ad01::TENSORS.iter().enumerate() {
                let keep = TRAINED.contains(&tensor.layer_name);
                for g in gradient.tensor_mut(index) {
                    *g = if keep { *g * scale } else { 0.0 };
                }
            }
            adam.step(&mut *net, &gradient);
        }
        if epoch % 10 == 9 || epoch == 0 {
            #[allow(clippy::cast_precision_loss)]
            let mean_loss = total / TRAIN as f32;
            println!("epoch {}: training MSE {mean_loss:.4}", epoch + 1);
        }
    }
    for (index, tensor) in Ad01::TENSORS.iter().enumerate() {
        if !TRAINED.contains(&tensor.layer_name) {
            assert!(
                net.tensor(index)
                    .iter()
                    .zip(imported.tensor(index))
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{}.{} changed",
                tensor.layer_name,
                tensor.name
            );
        }
    }

    let after = report(
        "fine-tuned (f32)",
        &errors(&normal, |x| net.forward(x)),
        &errors(&anomalous, |x| net.forward(x)),
    );
    let int8 = net.quantize(&train);
    let quantized = report(
        "fine-tuned, int8",
        &errors(&normal, |x| int8.forward(x)),
        &errors(&anomalous, |x| int8.forward(x)),
    );
    println!(
        "normal MSE {:.4} -> {:.4}: {:.1}x lower (goal {GOAL_FACTOR}x); int8 {:.4}",
        before.0,
        after.0,
        before.0 / after.0,
        quantized.0
    );
    print_wall_time(start);
    assert!(
        before.0 >= GOAL_FACTOR * after.0,
        "the normal MSE dropped only {:.2}x",
        before.0 / after.0
    );
    assert!(after.2 >= GOAL_AUC, "AUC {} under {GOAL_AUC}", after.2);
    assert!(after.1 > after.0, "anomalous frames no longer worse");
    assert!(
        quantized.0 <= GOAL_INT8 * after.0,
        "int8 MSE {} over {GOAL_INT8}x the float's",
        quantized.0
    );
    assert!(
        quantized.2 >= GOAL_AUC,
        "int8 AUC {} under {GOAL_AUC}",
        quantized.2
    );

    if let Some(path) = std::env::args().skip_while(|arg| arg != "--write").nth(1) {
        std::fs::write(&path, firmware_file(&normal, &anomalous)?)?;
        println!("wrote {path}");
    }
    Ok(())
}

/// The frames the firmware carries: the first two held-out normal and anomalous frames.
const FIRMWARE_FRAMES: usize = 2;

/// `embedded/src/ad_net.rs`: `ad01_int8.tflite`'s net as a `const`, frames quantised by its input
/// quantisation, and its output codes for them on the host.
fn firmware_file(
    normal: &[Frame],
    anomalous: &[Frame],
) -> Result<String, Box<dyn std::error::Error>> {
    let int8: Box<Ad01Int8> = Box::new(tflite::load(AD01_INT8)?);
    let chosen: Vec<&Frame> = normal[..FIRMWARE_FRAMES]
        .iter()
        .chain(&anomalous[..FIRMWARE_FRAMES])
        .collect();
    let inputs: Vec<[i8; 640]> = chosen.iter().map(|x| int8.quantize_input(x)).collect();
    let outputs: Vec<[i8; 640]> = inputs.iter().map(|x| int8.forward_i8(x)).collect();
    let count = inputs.len();
    let mut file = String::from(
        "//! MLPerf Tiny's anomaly-detection autoencoder in int8, `ad01_int8.tflite` as it ships\n\
         //! (`tests/fixtures/mlperf-tiny/`), loaded by `backprop_core::tflite::load` and written by\n\
         //! `cargo run --release -p backprop-examples --example anomaly --features tflite --\n\
         //! --write embedded/src/ad_net.rs` (which wrote this file; then `cargo fmt` in `embedded/`),\n\
         //! with frames of the example's synthetic machine (2 normal, then 2 anomalous) quantised\n\
         //! by the file's input quantisation, and the host's output codes for them.\n\n",
    );
    file += &int8.to_rust_source("AD_INT8");
    let _ = write!(
        file,
        "\n/// The frames' input codes.\n#[rustfmt::skip]\npub static AD_INPUTS: [[i8; 640]; {count}] = ["
    );
    let rows = |file: &mut String, rows: &[[i8; 640]]| {
        for row in rows {
            *file += "\n    [";
            for (index, code) in row.iter().enumerate() {
                *file += if index == 0 {
                    ""
                } else if index % 32 == 0 {
                    ",\n     "
                } else {
                    ", "
                };
                let _ = write!(file, "{code}");
            }
            *file += "],";
        }
        *file += "\n];\n";
    };
    rows(&mut file, &inputs);
    let _ = write!(
        file,
        "\n/// [`AD_INT8`]'s output codes (`forward_i8`) for [`AD_INPUTS`] on the host.\n#[rustfmt::skip]\npub static AD_HOST_CODES: [[i8; 640]; {count}] = ["
    );
    rows(&mut file, &outputs);
    Ok(file)
}
