//! Classification: a 4-8-3 net (tanh hidden, softmax output, cross-entropy) on Fisher's Iris
//! data (`data/iris.csv`). A fixed, seeded, stratified split keeps 10 of each species' 50 flowers
//! for testing (120 train / 30 test); the features are standardised with the training split's mean
//! and deviation. The fit loop runs mini-batches of 16 with Adam; the goal is at least 95% test
//! accuracy.

use backprop_core::data::{Labelled, Standardiser};
use backprop_core::metrics::ConfusionMatrix;
use backprop_core::network;
use backprop_examples::classify::Run;
use backprop_examples::data::IRIS;
use backprop_examples::{print_wall_time, quantized};
use std::time::Instant;

network! {
    /// Four measurements in, three species out.
    pub struct Iris {
        input: 4,
        hidden: dense(8, tanh),
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

const EPOCHS: usize = 100;
const SPLIT_SEED: u64 = 42;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let data = Labelled::<4>::parse_csv(IRIS, 1)?;
    let (mut train, mut test) = data.stratified_split(0.2, SPLIT_SEED);
    let standardiser = Standardiser::fit(&train.inputs);
    standardiser.apply(&mut train.inputs);
    standardiser.apply(&mut test.inputs);
    let run = Run {
        name: "iris",
        title: "iris: 4-8-3 tanh/softmax, Adam, batches of 16",
        epochs: EPOCHS,
        batch_size: 16,
        learning_rate: 0.01,
        split_seed: SPLIT_SEED,
    };
    let mut net = Iris::xavier_uniform(1);
    let test_accuracy = run.train(&mut net, &train, &test)?;
    let confusion = ConfusionMatrix::<3>::of(&net, &test.inputs, &test.labels);
    println!("test confusion matrix (rows: species, columns: predicted):");
    for row in confusion.counts {
        println!("  {row:?}");
    }
    // Post-training quantisation, calibrated on the training inputs.
    let int8 = net.quantize(&train.inputs);
    let int8_accuracy = quantized::int8_accuracy(|x| int8.forward(x), &test, test_accuracy);
    print_wall_time(start);
    assert!(
        test_accuracy >= 0.95,
        "test accuracy {test_accuracy} is under 95%"
    );
    assert!(
        int8_accuracy >= test_accuracy,
        "the int8 net classifies fewer test flowers: {int8_accuracy} < {test_accuracy}"
    );
    Ok(())
}
