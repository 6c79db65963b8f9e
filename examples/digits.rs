//! Classification: the UCI 8x8 optical digits (`data/digits.csv`, 1,797 samples, 64 pixel counts
//! 0..=16 scaled to [0, 1], 10 classes), a 64-32-10 net (ReLU hidden, softmax output,
//! cross-entropy; 2,410 parameters, so the macro writes it in the looped form). A fixed, seeded,
//! stratified 80/20 split; 40 epochs of mini-batches of 32 with Adam; the goal is at least 95% test
//! accuracy.

use backprop_core::data::Labelled;
use backprop_core::network;
use backprop_examples::classify::Run;
use backprop_examples::data::DIGITS;
use backprop_examples::{print_wall_time, quantized};
use std::time::Instant;

network! {
    /// 8x8 pixels in, one score per digit out.
    pub struct Digits {
        input: 64,
        hidden: dense(32, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

const EPOCHS: usize = 40;
const SPLIT_SEED: u64 = 7;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut data = Labelled::<64>::parse_csv(DIGITS, 0)?;
    for pixels in &mut data.inputs {
        for pixel in pixels {
            *pixel /= 16.0;
        }
    }
    let (train, test) = data.stratified_split(0.2, SPLIT_SEED);
    let run = Run {
        name: "digits",
        title: "digits: 64-32-10 ReLU/softmax, Adam, batches of 32",
        epochs: EPOCHS,
        batch_size: 32,
        learning_rate: 0.003,
        split_seed: SPLIT_SEED,
    };
    let mut net = Digits::he_uniform(1);
    let test_accuracy = run.train(&mut net, &train, &test)?;
    // Post-training quantisation, calibrated on the training inputs.
    let int8 = net.quantize(&train.inputs);
    let int8_accuracy = quantized::int8_accuracy(|x| int8.forward(x), &test, test_accuracy);
    print_wall_time(start);
    assert!(
        test_accuracy >= 0.95,
        "test accuracy {test_accuracy} is under 95%"
    );
    assert!(
        int8_accuracy >= test_accuracy - 0.01,
        "the int8 net is more than 1 point below the float net: {int8_accuracy} vs {test_accuracy}"
    );
    Ok(())
}
