//! Training: a mini-batch gradient is the mean of the single-sample gradients, the same seed gives
//! the same training bit for bit, every example's architecture learns (small, fast versions of
//! the examples), and the flat parameter view has the documented order and round-trips.

use backprop_core::fit::{Control, Fit, mean_loss};
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::optim::{Adam, AdamW, Cosine, Optimizer, RmsProp, Scheduled, Sgd};
use backprop_core::{Dense, Network, Number, Scalar, network};

network! {
    /// The notebook's net.
    #[derive(Debug, Clone, PartialEq)]
    struct Notebook {
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

network! {
    /// The `xor` example's net.
    struct Xor {
        input: 2,
        hidden: dense(4, tanh),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

network! {
    /// The `sine` example's net: 321 parameters, so the looped form.
    struct Sine {
        input: 1,
        first: dense(16, tanh),
        second: dense(16, tanh),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}

network! {
    /// The `iris` example's net.
    struct Iris {
        input: 4,
        hidden: dense(8, tanh),
        output: dense(3, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// The `iris` example's net, written in the looped form.
    #[derive(Debug, Clone, PartialEq)]
    struct IrisLooped {
        form: looped,
        input: 4,
        hidden: dense(8, tanh),
        output: dense(3, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// The `digits` example's net: 2,410 parameters, looped.
    struct Digits {
        input: 64,
        hidden: dense(32, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
    }
}

network! {
    /// An f32 regression net with every parameter kind in play.
    struct Regression32 {
        scalar: f32,
        input: 3,
        hidden: dense(5, gelu),
        output: dense(2, identity),
        loss: huber(0.5),
    }
}

const IRIS_CSV: &str = include_str!("../../examples/data/iris.csv");
const DIGITS_CSV: &str = include_str!("../../examples/data/digits.csv");

/// Uniform in `[low, high)`.
fn uniform(random: &mut Xoshiro256PlusPlus, low: f64, high: f64) -> f64 {
    low + (high - low) * random.next_f64()
}

/// Every parameter, biases too, uniform in `[-1, 1)`.
fn randomise<N: Network>(net: &mut N, random: &mut Xoshiro256PlusPlus) {
    for tensor in 0..N::TENSORS.len() {
        for parameter in net.tensor_mut(tensor) {
            *parameter = N::Scalar::from_f64(uniform(random, -1.0, 1.0));
        }
    }
}

fn random_array<T: Scalar, const K: usize>(
    random: &mut Xoshiro256PlusPlus,
    low: f64,
    high: f64,
) -> [T; K] {
    core::array::from_fn(|_| T::from_f64(uniform(random, low, high)))
}

/// A one-hot target of `K` classes.
fn one_hot<const K: usize>(class: usize) -> [f64; K] {
    core::array::from_fn(|k| if k == class { 1.0 } else { 0.0 })
}

/// Every parameter, flattened in the order of `Network::tensor`, as f64.
fn flat<N: Network>(net: &N) -> Vec<f64> {
    (0..N::TENSORS.len())
        .flat_map(|tensor| net.tensor(tensor).iter().map(|value| value.to_f64()))
        .collect()
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|value| value.to_bits()).collect()
}

/// Checks that `(loss, gradient)`, a net's `batch_gradient` over the samples, is the mean of the
/// per-sample losses and gradients (the trait's `gradient`, summed in f64 and divided by the batch
/// size).
///
/// The tolerance is relative to the mean magnitude of the summed terms: for each value,
/// `|batch - mean| <= tolerance * (mean_k |term_k| + 1e-300)`. Summing n terms in the scalar
/// rounds by at most about `n * epsilon` of that (n <= 16 here: 3.6e-15 in f64, 1.9e-6 in f32),
/// so the tolerances, 1e-12 for f64 and 1e-5 for f32, are loose but still catch a missed sample,
/// a wrong divisor or a wrong pairing of inputs and targets.
fn assert_batch_is_mean<N: Network>(
    net: &N,
    inputs: &[N::Input],
    targets: &[N::Output],
    (loss, gradient): (N::Scalar, N),
    tolerance: f64,
) {
    #[allow(clippy::cast_precision_loss)] // a handful of samples
    let count = inputs.len() as f64;
    let mut sums = vec![0.0; N::PARAMETERS];
    let mut magnitudes = vec![0.0; N::PARAMETERS];
    let (mut loss_sum, mut loss_magnitude) = (0.0, 0.0);
    for (input, target) in inputs.iter().zip(targets) {
        let (sample_loss, sample_gradient) = net.gradient(input, target);
        loss_sum += sample_loss.to_f64();
        loss_magnitude += sample_loss.to_f64().abs();
        for (k, value) in flat(&sample_gradient).into_iter().enumerate() {
            sums[k] += value;
            magnitudes[k] += value.abs();
        }
    }
    let close = |actual: f64, sum: f64, magnitude: f64| {
        (actual - sum / count).abs() <= tolerance * (magnitude / count + 1e-300)
    };
    assert!(
        close(loss.to_f64(), loss_sum, loss_magnitude),
        "batch loss {} is not the mean loss {}",
        loss.to_f64(),
        loss_sum / count
    );
    for (k, actual) in flat(&gradient).into_iter().enumerate() {
        assert!(
            close(actual, sums[k], magnitudes[k]),
            "parameter {k}: batch gradient {actual} is not the mean {}",
            sums[k] / count
        );
    }
}

/// Checks that `accumulate_gradient` over the samples, from zero, sums what `batch_gradient`
/// averages, and returns each sample's loss: `accumulated / n` within the batch tolerance.
fn assert_accumulated_is_sum<N: Network>(
    accumulated: &N,
    losses: f64,
    batch: &(N::Scalar, N),
    count: usize,
    tolerance: f64,
) {
    #[allow(clippy::cast_precision_loss)] // a handful of samples
    let count = count as f64;
    let close =
        |sum: f64, mean: f64| (sum / count - mean).abs() <= tolerance * (mean.abs() + 1e-300);
    assert!(
        close(losses, batch.0.to_f64()),
        "accumulated losses {losses}"
    );
    for (k, (sum, mean)) in flat(accumulated)
        .into_iter()
        .zip(flat(&batch.1))
        .enumerate()
    {
        assert!(
            close(sum, mean),
            "parameter {k}: accumulated {sum}, batch mean {mean}"
        );
    }
}

/// Runs both checks on a net's generated `batch_gradient` and `accumulate_gradient`.
macro_rules! check_batch {
    ($net:expr, $inputs:expr, $targets:expr, $tolerance:expr) => {{
        let (net, inputs, targets) = (&$net, &$inputs[..], &$targets[..]);
        let batch = net.batch_gradient(inputs, targets);
        let mut accumulated = Network::zeroed();
        let mut losses = 0.0;
        for (input, target) in inputs.iter().zip(targets) {
            losses += net
                .accumulate_gradient(input, target, &mut accumulated)
                .to_f64();
        }
        assert_accumulated_is_sum(&accumulated, losses, &batch, inputs.len(), $tolerance);
        assert_batch_is_mean(net, inputs, targets, batch, $tolerance);
    }};
}

#[test]
fn a_batch_gradient_is_the_mean_of_the_sample_gradients() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(11);
    for size in [1, 2, 7, 16] {
        let mut notebook = Notebook::zeroed();
        randomise(&mut notebook, &mut random);
        let inputs: Vec<[f64; 2]> = (0..size)
            .map(|_| random_array(&mut random, -2.0, 2.0))
            .collect();
        let targets: Vec<[f64; 1]> = (0..size)
            .map(|_| random_array(&mut random, -1.0, 3.0))
            .collect();
        check_batch!(notebook, inputs, targets, 1e-12);

        let mut xor = Xor::zeroed();
        randomise(&mut xor, &mut random);
        let targets: Vec<[f64; 1]> = (0..size)
            .map(|_| random_array(&mut random, 0.0, 1.0))
            .collect();
        check_batch!(xor, inputs, targets, 1e-12);

        let mut sine = Sine::zeroed();
        randomise(&mut sine, &mut random);
        let inputs: Vec<[f64; 1]> = (0..size)
            .map(|_| random_array(&mut random, -3.0, 3.0))
            .collect();
        let targets: Vec<[f64; 1]> = inputs.iter().map(|[x]| [x.sin()]).collect();
        check_batch!(sine, inputs, targets, 1e-12);

        let mut iris = Iris::zeroed();
        randomise(&mut iris, &mut random);
        let mut looped = IrisLooped::zeroed();
        randomise(&mut looped, &mut random);
        let inputs: Vec<[f64; 4]> = (0..size)
            .map(|_| random_array(&mut random, -2.0, 2.0))
            .collect();
        let targets: Vec<[f64; 3]> = (0..size).map(|k| one_hot(k % 3)).collect();
        check_batch!(iris, inputs, targets, 1e-12);
        check_batch!(looped, inputs, targets, 1e-12);

        let mut digits = Digits::zeroed();
        randomise(&mut digits, &mut random);
        let inputs: Vec<[f64; 64]> = (0..size)
            .map(|_| random_array(&mut random, 0.0, 1.0))
            .collect();
        let targets: Vec<[f64; 10]> = (0..size).map(|k| one_hot((3 * k) % 10)).collect();
        check_batch!(digits, inputs, targets, 1e-12);

        let mut regression = Regression32::zeroed();
        randomise(&mut regression, &mut random);
        let inputs: Vec<[f32; 3]> = (0..size)
            .map(|_| random_array(&mut random, -2.0, 2.0))
            .collect();
        let targets: Vec<[f32; 2]> = (0..size)
            .map(|_| random_array(&mut random, -2.0, 2.0))
            .collect();
        check_batch!(regression, inputs, targets, 1e-5);
    }
}

#[test]
fn an_empty_batch_has_zero_loss_and_gradient() {
    let net = Iris::he_uniform(1);
    let (loss, gradient) = net.batch_gradient(&[], &[]);
    assert_eq!(loss.to_bits(), 0.0_f64.to_bits());
    assert!(flat(&gradient).iter().all(|value| value.to_bits() == 0));
}

/// Iris as the examples read it: four measurements, a one-hot species; standardised with the
/// whole set's mean and deviation (good enough for a test).
fn iris_data() -> (Vec<[f64; 4]>, Vec<[f64; 3]>) {
    let (mut inputs, mut targets) = (Vec::new(), Vec::new());
    for line in IRIS_CSV
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
    {
        let fields: Vec<f64> = line
            .split(',')
            .map(|field| field.trim().parse().unwrap())
            .collect();
        inputs.push([fields[0], fields[1], fields[2], fields[3]]);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a class index
        targets.push(one_hot(fields[4] as usize));
    }
    assert_eq!(inputs.len(), 150);
    #[allow(clippy::cast_precision_loss)]
    let count = inputs.len() as f64;
    for feature in 0..4 {
        let mean = inputs.iter().map(|input| input[feature]).sum::<f64>() / count;
        let variance = inputs
            .iter()
            .map(|input| (input[feature] - mean).powi(2))
            .sum::<f64>()
            / count;
        for input in &mut inputs {
            input[feature] = (input[feature] - mean) / variance.sqrt();
        }
    }
    (inputs, targets)
}

/// The first `count` digits, pixels scaled to [0, 1].
fn digits_data(count: usize) -> (Vec<[f64; 64]>, Vec<[f64; 10]>) {
    let (mut inputs, mut targets) = (Vec::new(), Vec::new());
    for line in DIGITS_CSV.lines().take(count) {
        let fields: Vec<f64> = line
            .split(',')
            .map(|field| field.trim().parse().unwrap())
            .collect();
        assert_eq!(fields.len(), 65);
        inputs.push(core::array::from_fn(|pixel| fields[pixel] / 16.0));
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a class index
        targets.push(one_hot(fields[64] as usize));
    }
    (inputs, targets)
}

/// `count` points of `sin` evenly spaced on `[-pi, pi]`.
fn sine_data(count: u32) -> (Vec<[f64; 1]>, Vec<[f64; 1]>) {
    let pi = core::f64::consts::PI;
    let inputs: Vec<[f64; 1]> = (0..count)
        .map(|k| [-pi + 2.0 * pi * f64::from(k) / f64::from(count - 1)])
        .collect();
    let targets = inputs.iter().map(|[x]| [x.sin()]).collect();
    (inputs, targets)
}

/// Fits `net` and returns its parameters' bits.
fn fit_bits<N: Network<Scalar: Scalar>, O: Optimizer<N>>(
    mut net: N,
    mut optimizer: O,
    fit: Fit,
    inputs: &[N::Input],
    targets: &[N::Output],
) -> Vec<u64> {
    fit.run(
        &mut net,
        &mut optimizer,
        (inputs, targets),
        Some((inputs, targets)),
        |_, _| Control::Continue,
    );
    bits(&flat(&net))
}

#[test]
fn the_same_seed_trains_the_same_bits() {
    let (inputs, targets) = iris_data();
    let iris = |seed| {
        let net = Iris::he_uniform(seed);
        let trained = fit_bits(
            net,
            Adam::new(0.01),
            Fit::new(5).batch_size(8).seed(seed),
            &inputs,
            &targets,
        );
        assert_eq!(trained.len(), Iris::PARAMETERS);
        trained
    };
    assert_eq!(iris(3), iris(3));
    assert_ne!(iris(3), iris(4));
    // The flat view says the same.
    let mut net = Iris::xavier_normal(9);
    Fit::new(3).seed(9).run(
        &mut net,
        &mut AdamW::new(0.01).weight_decay(0.01),
        (&inputs, &targets),
        None,
        |_, _| Control::Continue,
    );
    let again = fit_bits(
        Iris::xavier_normal(9),
        AdamW::new(0.01).weight_decay(0.01),
        Fit::new(3).seed(9),
        &inputs,
        &targets,
    );
    assert_eq!(bits(&net.to_array()), again);

    // A looped net, another initialisation, a scheduled SGD with momentum.
    let (inputs, targets) = sine_data(64);
    let sine = |seed| {
        let optimizer = Scheduled::new(
            Sgd::new(0.05).momentum(0.9).nesterov(),
            Cosine {
                initial: 0.05,
                minimum: 0.001,
                steps: 40,
            },
        );
        fit_bits(
            Sine::xavier_uniform(seed),
            optimizer,
            Fit::new(10).batch_size(16).seed(seed),
            &inputs,
            &targets,
        )
    };
    assert_eq!(sine(5), sine(5));
    assert_ne!(sine(5), sine(6));

    // train_step with RMSprop, no fit loop.
    let (inputs, targets) = digits_data(40);
    let digits = || {
        let mut net = Digits::he_normal(2);
        let mut rmsprop = RmsProp::new(0.001);
        for (input, target) in inputs.iter().zip(&targets) {
            net.train_step(input, target, &mut rmsprop);
        }
        bits(&net.to_array())
    };
    assert_eq!(digits(), digits());
}

/// Trains and checks that the mean loss over the data at least halved.
fn assert_fit_halves_the_loss<N: Network<Scalar: Scalar>, O: Optimizer<N>>(
    name: &str,
    mut net: N,
    mut optimizer: O,
    fit: Fit,
    inputs: &[N::Input],
    targets: &[N::Output],
) {
    let before = mean_loss(&net, (inputs, targets));
    fit.run(&mut net, &mut optimizer, (inputs, targets), None, |_, _| {
        Control::Continue
    });
    let after = mean_loss(&net, (inputs, targets));
    assert!(
        after < 0.5 * before,
        "{name}: mean loss {before} -> {after}"
    );
}

#[test]
fn every_example_architecture_learns() {
    // xor: full-batch Adam through batch_gradient, as the example does.
    let inputs = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    let targets = [[0.0], [1.0], [1.0], [0.0]];
    let mut xor = Xor::xavier_uniform(3);
    let mut adam = Adam::new(0.05);
    let before = xor.batch_gradient(&inputs, &targets).0;
    for _ in 0..300 {
        let (_, gradient) = xor.batch_gradient(&inputs, &targets);
        adam.step(&mut xor, &gradient);
    }
    let after = xor.batch_gradient(&inputs, &targets).0;
    assert!(
        after < 0.1 * before && after < 0.05,
        "xor: mean loss {before} -> {after}"
    );

    let (inputs, targets) = sine_data(64);
    let fit = Fit::new(60).batch_size(16).seed(1);
    assert_fit_halves_the_loss(
        "sine",
        Sine::xavier_uniform(1),
        Adam::new(0.01),
        fit,
        &inputs,
        &targets,
    );

    let (inputs, targets) = iris_data();
    let fit = Fit::new(10).batch_size(16).seed(1);
    assert_fit_halves_the_loss(
        "iris",
        Iris::xavier_uniform(1),
        Adam::new(0.01),
        fit,
        &inputs,
        &targets,
    );

    let (inputs, targets) = digits_data(300);
    let fit = Fit::new(5).batch_size(32).seed(1);
    assert_fit_halves_the_loss(
        "digits",
        Digits::he_uniform(1),
        Adam::new(0.003),
        fit,
        &inputs,
        &targets,
    );
}

#[test]
fn the_flat_view_is_layer_by_layer_weights_row_by_row_then_bias() {
    let net = Notebook {
        hidden: Dense {
            weights: [[1.0, 2.0], [3.0, 4.0]],
            bias: [5.0, 6.0],
        },
        output: Dense {
            weights: [[7.0, 8.0]],
            bias: [9.0],
        },
    };
    let flat_values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
    assert_eq!(Notebook::PARAMETERS, 9);
    assert_eq!(bits(&net.to_array()), bits(&flat_values));
    assert_eq!(Notebook::from_array(flat_values), net);
    assert_eq!(
        bits(&flat(&net)),
        bits(&flat_values),
        "the order of Network::tensor"
    );
}

#[test]
fn to_array_and_from_array_round_trip() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut notebook = Notebook::zeroed();
    randomise(&mut notebook, &mut random);
    let array = notebook.to_array();
    assert_eq!(Notebook::from_array(array), notebook);
    assert_eq!(bits(&Notebook::from_array(array).to_array()), bits(&array));

    // Special values survive too: -0, infinities, NaN with its payload, subnormals.
    let special = [
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::from_bits(0x7ff8_0000_0000_1234),
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        1.0,
        -1.0,
    ];
    assert_eq!(
        bits(&Notebook::from_array(special).to_array()),
        bits(&special)
    );

    let mut looped = IrisLooped::zeroed();
    randomise(&mut looped, &mut random);
    let array = looped.to_array();
    assert_eq!(array.len(), IrisLooped::PARAMETERS);
    assert_eq!(bits(&array), bits(&flat(&looped)));
    assert_eq!(IrisLooped::from_array(array), looped);

    let mut regression = Regression32::zeroed();
    randomise(&mut regression, &mut random);
    let array = regression.to_array();
    let back = Regression32::from_array(array).to_array();
    assert_eq!(array.map(f32::to_bits), back.map(f32::to_bits));
}
