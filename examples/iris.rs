//! Classification: a 4-8-3 net (tanh hidden, softmax output, cross-entropy) on Fisher's Iris
//! data (`data/iris.csv`). A fixed, seeded, stratified split keeps 10 of each species' 50 flowers
//! for testing (120 train / 30 test); the features are standardised with the training split's mean
//! and deviation. The fit loop runs mini-batches of 16 with Adam; the goal is at least 95% test
//! accuracy.

use backprop_core::fit::{Control, Fit};
use backprop_core::network;
use backprop_core::optim::Adam;
use backprop_examples::data::{IRIS, Labelled, Standardiser};
use backprop_examples::progress::Progress;
use backprop_examples::{accuracy, correct, fraction, plot, print_wall_time};
use std::time::Instant;

network! {
    /// Four measurements in, three species out.
    pub struct Iris {
        input: 4,
        hidden: dense(8, tanh),
        output: dense(3, softmax),
        loss: cross_entropy,
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
    let (train_targets, test_targets) = (train.one_hot::<3>(), test.one_hot::<3>());

    let mut net = Iris::xavier_uniform(1);
    let progress = Progress::new(EPOCHS);
    let (mut train_curve, mut test_curve) = (Vec::new(), Vec::new());
    Fit::new(EPOCHS).batch_size(16).seed(1).run(
        &mut net,
        &mut Adam::new(0.01),
        (&train.inputs, &train_targets),
        Some((&test.inputs, &test_targets)),
        |epoch, _net| {
            train_curve.push(epoch.train_loss);
            test_curve.push(epoch.validation_loss.unwrap_or(f64::NAN));
            progress.epoch(epoch);
            Control::Continue
        },
    );
    progress.finish();

    let train_accuracy = accuracy(&net, &train.inputs, &train.labels);
    let test_correct = correct(&net, &test.inputs, &test.labels);
    let test_accuracy = fraction(test_correct, test.len());
    let path = plot::loss_curve(
        "iris",
        "iris: 4-8-3 tanh/softmax, Adam, batches of 16",
        &[
            ("train cross-entropy", &train_curve),
            ("test cross-entropy", &test_curve),
        ],
    )?;
    println!(
        "split: {} train / {} test (stratified, seed {SPLIT_SEED})",
        train.len(),
        test.len()
    );
    println!("train accuracy: {:.2}%", 100.0 * train_accuracy);
    println!(
        "test accuracy: {:.2}% ({test_correct} of {})",
        100.0 * test_accuracy,
        test.len()
    );
    println!("loss curve: {}", path.display());
    print_wall_time(start);
    assert!(
        test_accuracy >= 0.95,
        "test accuracy {test_accuracy} is under 95%"
    );
    Ok(())
}
