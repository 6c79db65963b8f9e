//! The classification examples' shared run: train with Adam through the fit loop, showing
//! progress, then report train and test accuracy and plot both loss curves.

use crate::{fraction, plot};
use backprop_core::data::Labelled;
use backprop_core::fit::{Fit, LossCurve, Progress, watch};
use backprop_core::metrics::{accuracy, correct};
use backprop_core::optim::Adam;
use backprop_core::shape::Array;
use backprop_core::{Network, Number, Scalar};

/// How one classifier is trained and judged.
pub struct Run<'a> {
    /// The example's name: the plot is `target/plots/NAME.svg`.
    pub name: &'a str,
    /// The plot's title.
    pub title: &'a str,
    /// Epochs of the fit loop.
    pub epochs: usize,
    /// Samples per Adam step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// The seed of the split, for the report.
    pub split_seed: u64,
}

impl Run<'_> {
    /// Trains `net` on `train`, watching `test`, prints what it reached, and returns the test
    /// accuracy.
    ///
    /// # Errors
    /// When the plot cannot be written.
    pub fn train<N, const I: usize, const O: usize>(
        &self,
        net: &mut N,
        train: &Labelled<I>,
        test: &Labelled<I>,
    ) -> Result<f64, Box<dyn std::error::Error>>
    where
        N: Network<Scalar = f64, Input = [f64; I], Output = [f64; O]>,
    {
        let split = format!(
            "{} train / {} test (stratified, seed {})",
            train.len(),
            test.len(),
            self.split_seed
        );
        self.train_classes(
            net,
            (&train.inputs, &train.labels),
            (&test.inputs, &test.labels),
            &split,
        )
    }

    /// [`Run::train`] for any net whose outputs are class scores, whatever its input (a vector, a
    /// signal) and its scalar: the samples come as inputs and their class indices, and `split`
    /// says in the report where they come from (`split_seed` is not used).
    ///
    /// # Errors
    /// When the plot cannot be written.
    ///
    /// # Panics
    /// If a label is not below the number of outputs, or inputs and labels differ in length.
    pub fn train_classes<N>(
        &self,
        net: &mut N,
        train: Classes<'_, N::Input>,
        test: Classes<'_, N::Input>,
        split: &str,
    ) -> Result<f64, Box<dyn std::error::Error>>
    where
        N: Network<Scalar: Scalar>,
    {
        let (train_targets, test_targets) = (one_hot::<N>(train.1), one_hot::<N>(test.1));
        let mut curve = LossCurve::new();
        Fit::new(self.epochs)
            .batch_size(self.batch_size)
            .seed(1)
            .run(
                net,
                &mut Adam::new(self.learning_rate),
                (train.0, &train_targets),
                Some((test.0, &test_targets)),
                watch((Progress::new(self.epochs), &mut curve)),
            );

        let train_accuracy = accuracy(net, train.0, train.1);
        let test_correct = correct(net, test.0, test.1);
        let test_accuracy = fraction(test_correct, test.1.len());
        let path = plot::path(self.name);
        curve.write_svg(
            &path,
            self.title,
            ["train cross-entropy", "test cross-entropy"],
        )?;
        println!("split: {split}");
        println!("train accuracy: {:.2}%", 100.0 * train_accuracy);
        println!(
            "test accuracy: {:.2}% ({test_correct} of {})",
            100.0 * test_accuracy,
            test.1.len()
        );
        println!("loss curve: {}", path.display());
        Ok(test_accuracy)
    }
}

/// Samples of a classifier: the inputs, and the class index of each.
pub type Classes<'a, Input> = (&'a [Input], &'a [usize]);

/// Each label as a one-hot target of the net's outputs.
fn one_hot<N: Network<Scalar: Scalar>>(labels: &[usize]) -> Vec<N::Output> {
    labels
        .iter()
        .map(|&label| {
            let mut target = N::Output::splat(N::Scalar::ZERO);
            target.as_mut_slice()[label] = N::Scalar::ONE;
            target
        })
        .collect()
}
