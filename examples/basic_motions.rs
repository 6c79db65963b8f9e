//! Time series classification with a small 1-d convolutional net: Basic Motions (UEA archive,
//! `data/basic_motions_*.csv`), a smart watch's 3-d accelerometer and gyroscope (6 channels) over
//! 100 steps, four activities (badminton, running, standing, walking). The archive's own split:
//! 40 training and 40 test recordings, 10 of each class in each.
//!
//! Each channel is standardised with the training split's mean and deviation (over all its steps
//! and recordings). The net, in `f32` (972 parameters, small enough for a Cortex-M4F):
//!
//! - `c1`: 8 kernels of 5 steps over the 6 channels, stride 2 and padding 2: `[6, 100] -> [8, 50]`;
//! - `p1`: max pooling by 2: `[8, 25]`;
//! - `c2`: 16 kernels of 5 steps, padding 2: `[16, 25]`;
//! - `gp`: the mean of each channel over the steps: `[16]`, whatever the recording's phase;
//! - `output`: a softmax over the 4 classes, cross-entropy.
//!
//! He-uniform initialisation (seed 1), 100 epochs of mini-batches of 8 (shuffled with a seed by
//! the fit loop, so the file's grouping by class does not matter) with Adam at 0.01. The goal is
//! at least 97.5% test accuracy (39 of 40). Then the net is quantised to int8 (`quantize: int8`,
//! calibrated on the training inputs) and judged on the same test split: it must lose at most one
//! recording (2.5 points) to the float net.
//!
//! The firmware in `embedded/` runs both nets on a Cortex-M0 and a Cortex-M4F:
//! `-- --write embedded/src/motion_net.rs` writes the file it compiles (the `f32` and int8 nets as
//! `const` items by `to_rust_source`, the first two test recordings of each class, standardised,
//! with their labels and the host's outputs for them); `cargo fmt` in `embedded/` then lays it
//! out.

use backprop_core::metrics::argmax;
use backprop_core::network;
use backprop_examples::classify::Run;
use backprop_examples::ucr::{
    BASIC_MOTIONS_TEST, BASIC_MOTIONS_TRAIN, ChannelStandardiser, Series,
};
use backprop_examples::{fraction, print_wall_time};
use std::fmt::Write as _;
use std::time::Instant;

network! {
    /// Six channels of 100 steps in, one probability per activity out.
    pub struct BasicMotions {
        scalar: f32,
        input: [6, 100],
        c1: conv1d(8, 5, relu, stride = 2, padding = 2),
        p1: max_pool1d(2),
        c2: conv1d(16, 5, relu, padding = 2),
        gp: global_avg_pool1d,
        output: dense(4, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

const EPOCHS: usize = 100;
const SEED: u64 = 1;
/// The test recordings of each class the firmware carries (the first ones of the archive's file):
/// 2,400 bytes of flash each in `f32`.
const PER_CLASS: usize = 2;
/// One recording, standardised: 6 channels of 100 steps.
type Recording = [[f32; 100]; 6];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut train = Series::<6, 100>::parse_equal(BASIC_MOTIONS_TRAIN)?;
    let mut test = Series::<6, 100>::parse_equal(BASIC_MOTIONS_TEST)?;
    let standardiser = ChannelStandardiser::fit(&train);
    standardiser.apply(&mut train);
    standardiser.apply(&mut test);
    let (train_inputs, test_inputs) = (train.inputs_f32(), test.inputs_f32());

    let run = Run {
        name: "basic_motions",
        title: "basic_motions: conv 8, max pool, conv 16, mean, softmax; Adam, batches of 8",
        epochs: EPOCHS,
        batch_size: 8,
        learning_rate: 0.01,
        split_seed: 0, // not used by train_classes: the archive's own split
    };
    println!("net: {} parameters, f32", BasicMotions::PARAMETERS);
    let mut net = BasicMotions::he_uniform(SEED);
    let test_accuracy = run.train_classes(
        &mut net,
        (&train_inputs, &train.labels),
        (&test_inputs, &test.labels),
        "the archive's, 40 train / 40 test",
    )?;

    // Post-training quantisation, calibrated on the training inputs.
    let int8 = net.quantize(&train_inputs);
    let int8_class = |x: &Recording| argmax(&int8.forward_i8(&int8.quantize_input(x)));
    let int8_correct = test_inputs
        .iter()
        .zip(&test.labels)
        .filter(|&(x, &label)| int8_class(x) == label)
        .count();
    let int8_accuracy = fraction(int8_correct, test.len());
    println!(
        "int8 test accuracy: {:.2}% ({int8_correct} of {}), {:+.2} points from the float net",
        100.0 * int8_accuracy,
        test.len(),
        100.0 * (int8_accuracy - test_accuracy)
    );
    print_wall_time(start);
    assert!(
        test_accuracy >= 0.975,
        "test accuracy {test_accuracy} is under 97.5%"
    );
    assert!(
        int8_accuracy >= test_accuracy - 0.025,
        "the int8 net loses more than one test recording: {int8_accuracy} vs {test_accuracy}"
    );

    if let Some(path) = std::env::args().skip_while(|arg| arg != "--write").nth(1) {
        // The first PER_CLASS test recordings of each class, in the file's order.
        let chosen: Vec<usize> = (0..4)
            .flat_map(|class| {
                let of_class = test.labels.iter().enumerate();
                let of_class = of_class.filter(move |&(_, &label)| label == class);
                of_class.map(|(index, _)| index).take(PER_CLASS)
            })
            .collect();
        let samples: Vec<&Recording> = chosen.iter().map(|&index| &test_inputs[index]).collect();
        let labels: Vec<usize> = chosen.iter().map(|&index| test.labels[index]).collect();
        let float_outputs: Vec<[f32; 4]> = samples.iter().map(|x| net.forward(x)).collect();
        let int8_outputs: Vec<[i8; 4]> = samples
            .iter()
            .map(|x| int8.forward_i8(&int8.quantize_input(x)))
            .collect();
        let source = firmware_file(
            (&net, &int8),
            &samples,
            (&labels, &test.classes),
            &float_outputs,
            &int8_outputs,
        );
        std::fs::write(&path, source)?;
        println!(
            "wrote {path}: the two nets and {} test recordings",
            samples.len()
        );
    }
    Ok(())
}

/// The file the firmware compiles: the nets as `pub const` items, the chosen test recordings (a
/// `static`), their labels (and the class names) and the host's outputs for them.
fn firmware_file(
    (net, int8): (&BasicMotions, &BasicMotionsInt8),
    samples: &[&Recording],
    (labels, classes): (&[usize], &[String]),
    float_outputs: &[[f32; 4]],
    int8_outputs: &[[i8; 4]],
) -> String {
    let count = samples.len();
    let names: Vec<String> = classes
        .iter()
        .enumerate()
        .map(|(index, name)| format!("{index} {}", name.to_lowercase()))
        .collect();
    let names = names.join(", ");
    let mut file = format!(
        "//! The BasicMotions net of `examples/basic_motions.rs` (conv 8, max pool, conv 16, mean, \
         softmax: 972\n//! parameters), trained in `f32` and quantised to int8 by `cargo run \
         --release --features plot --example basic_motions --\n//! --write embedded/src/motion_net.rs` (which \
         wrote this file), as `const` items in flash, with\n//! {count} recordings of the \
         archive's test split ({PER_CLASS} of each class, standardised with the training\n//! \
         split's statistics) and the host's outputs for them.\n\n"
    );
    file += &net.to_rust_source("MOTION");
    file += "\n";
    file += &int8.to_rust_source("MOTION_INT8");
    let _ = write!(
        file,
        "\n/// Test recordings of the archive's file, standardised: channels first, as the nets \
         read them.\n#[rustfmt::skip]\npub static SAMPLES: [[[f32; 100]; 6]; {count}] = ["
    );
    for sample in samples {
        file += "\n    [";
        for channel in *sample {
            file += "\n        [";
            for (step, value) in channel.iter().enumerate() {
                file += if step == 0 {
                    ""
                } else if step % 10 == 0 {
                    ",\n         "
                } else {
                    ", "
                };
                let _ = write!(file, "{value:?}");
            }
            file += "],";
        }
        file += "\n    ],";
    }
    file += "\n];\n";
    let _ = write!(
        file,
        "\n/// The class of each of [`SAMPLES`] ({names}).\npub const LABELS: [u8; {count}] = {labels:?};\n\n/// \
         [`MOTION`]'s outputs for [`SAMPLES`] on the host.\npub const HOST_OUTPUTS: \
         [[f32; 4]; {count}] = {float_outputs:?};\n\n/// [`MOTION_INT8`]'s output codes \
         (`forward_i8`) for [`SAMPLES`] on the host.\npub const HOST_CODES: [[i8; 4]; {count}] = \
         {int8_outputs:?};\n"
    );
    file
}
