//! Classification: the UCI 8x8 optical digits (`data/digits.csv`, 1,797 samples, 64 pixel counts
//! 0..=16 scaled to [0, 1], 10 classes), a 64-32-10 net (ReLU hidden, softmax output,
//! cross-entropy; 2,410 parameters, so the macro writes it in the looped form). A fixed, seeded,
//! stratified 80/20 split; 40 epochs of mini-batches of 32 with Adam; the goal is at least 95% test
//! accuracy.

use backprop_core::fit::{Control, Fit};
use backprop_core::network;
use backprop_core::optim::Adam;
use backprop_examples::data::{DIGITS, Labelled};
use backprop_examples::progress::Progress;
use backprop_examples::{accuracy, correct, fraction, plot, print_wall_time};
use std::time::Instant;

network! {
    /// 8x8 pixels in, one score per digit out.
    pub struct Digits {
        input: 64,
        hidden: dense(32, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
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
    let (train_targets, test_targets) = (train.one_hot::<10>(), test.one_hot::<10>());

    let mut net = Digits::he_uniform(1);
    let progress = Progress::new(EPOCHS);
    let (mut train_curve, mut test_curve) = (Vec::new(), Vec::new());
    Fit::new(EPOCHS).batch_size(32).seed(1).run(
        &mut net,
        &mut Adam::new(0.003),
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
        "digits",
        "digits: 64-32-10 ReLU/softmax, Adam, batches of 32",
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
