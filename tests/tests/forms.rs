//! The unrolled and the looped form of one spec compute the same bits: forward, loss, gradient and
//! input gradient, on random parameters and inputs, in f32 and f64, for every way of forming the
//! output deltas (elementwise, fused sigmoid + binary cross-entropy, fused softmax +
//! cross-entropy, softmax with another loss) and every activation. And in both forms the batched
//! path (`accumulate_batch`) adds the same bits as the per-sample one.

use backprop_core::optim::{Optimizer, Sgd};
use backprop_core::shape::{Array, slice};
use backprop_core::{Activation, Network, Number, Scalar, network};

/// Uniform draws from the runtime's own seeded generator, so every run sees the same nets.
struct Random(backprop_core::init::Xoshiro256PlusPlus);

impl Random {
    fn new(seed: u64) -> Self {
        Random(backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    /// Uniform in `[low, high)`.
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.0.next_f64()
    }

    /// An array of any shape, each element uniform in `[low, high)`.
    fn array<T: Scalar, A: Array<T>>(&mut self, low: f64, high: f64) -> A {
        let mut array = A::splat(T::ZERO);
        for value in array.as_mut_slice() {
            *value = T::from_f64(self.uniform(low, high));
        }
        array
    }
}

/// Bits of every scalar, so that NaN compares equal to NaN and -0 differs from 0.
fn bits<T: Number>(values: &[T]) -> Vec<u64> {
    values
        .iter()
        .map(|value| value.to_f64().to_bits())
        .collect()
}

fn parameters<N: Network>(net: &N) -> Vec<u64> {
    (0..N::TENSORS.len())
        .flat_map(|tensor| bits(net.tensor(tensor)))
        .collect()
}

/// Random parameters, the same in both nets.
fn randomise<U: Network, L: Network<Scalar = U::Scalar>>(
    unrolled: &mut U,
    looped: &mut L,
    random: &mut Random,
) {
    for tensor in 0..U::TENSORS.len() {
        for (u, l) in unrolled
            .tensor_mut(tensor)
            .iter_mut()
            .zip(looped.tensor_mut(tensor))
        {
            let value = U::Scalar::from_f64(random.uniform(-1.5, 1.5));
            (*u, *l) = (value, value);
        }
    }
}

fn assert_same_bits<U, L, T>(seed: u64, target_low: f64)
where
    T: Scalar,
    U: Network<Scalar = T> + Clone + TrainStep,
    L: Network<Scalar = T, Input = U::Input, Output = U::Output> + Clone + TrainStep,
{
    let mut random = Random::new(seed);
    for _ in 0..4 {
        let (mut unrolled, mut looped) = (U::zeroed(), L::zeroed());
        randomise(&mut unrolled, &mut looped, &mut random);
        let input: U::Input = random.array(-2.0, 2.0);
        let target: U::Output = random.array(target_low, 1.0);
        assert_eq!(
            bits(slice(&unrolled.forward(&input))),
            bits(slice(&looped.forward(&input))),
            "forward"
        );
        let loss = |net_loss: T| net_loss.to_f64().to_bits();
        assert_eq!(
            loss(unrolled.loss(&input, &target)),
            loss(looped.loss(&input, &target)),
            "loss"
        );
        let (unrolled_loss, unrolled_gradient) = unrolled.gradient(&input, &target);
        let (looped_loss, looped_gradient) = looped.gradient(&input, &target);
        assert_eq!(
            loss(unrolled_loss),
            loss(looped_loss),
            "the gradient's loss"
        );
        assert_eq!(
            parameters(&unrolled_gradient),
            parameters(&looped_gradient),
            "gradient"
        );
        let inputs = (
            unrolled.input_gradient(&input, &target),
            looped.input_gradient(&input, &target),
        );
        assert_eq!(
            bits(slice(&inputs.0)),
            bits(slice(&inputs.1)),
            "input gradient"
        );
        let batch: Vec<(U::Input, U::Output)> = (0..70)
            .map(|_| (random.array(-2.0, 2.0), random.array(target_low, 1.0)))
            .collect();
        for size in [1, 2, 3, 5, 8, 19, 33, 64, 70] {
            assert_batched_path_is_the_per_sample_loop(&unrolled, &batch[..size]);
            assert_batched_path_is_the_per_sample_loop::<L, T>(&looped, &batch[..size]);
        }
        assert_split_batches_add_the_same_bits(&looped, &batch);
        assert_descent_in_place_is_gradient_then_step(&unrolled, &input, &target);
        assert_descent_in_place_is_gradient_then_step(&looped, &input, &target);
        assert_forward_batch_is_forward(&unrolled, &batch);
        assert_forward_batch_is_forward(&looped, &batch);
    }
}

/// `train_step` with plain SGD, which descends each parameter in place as its derivative is
/// formed, gives the bits of the gradient written out and then `Sgd::step`, with and without
/// weight decay; and so does a step with momentum, which takes the other path.
fn assert_descent_in_place_is_gradient_then_step<N, T>(
    net: &N,
    input: &N::Input,
    target: &N::Output,
) where
    T: Scalar,
    N: Network<Scalar = T> + Clone + TrainStep,
{
    let optimizers = [
        Sgd::new(0.05),
        Sgd::new(0.05).weight_decay(0.01),
        Sgd::new(0.05).momentum(0.9),
    ];
    for (case, optimizer) in ["sgd", "weight decay", "momentum"]
        .into_iter()
        .zip(optimizers)
    {
        let (mut fused, mut reference) = (net.clone(), net.clone());
        let fused_loss = fused.train_step_with(input, target, &mut optimizer.clone());
        let (loss, gradient) = reference.gradient(input, target);
        optimizer.clone().step(&mut reference, &gradient);
        assert_eq!(
            fused_loss.to_f64().to_bits(),
            loss.to_f64().to_bits(),
            "step loss"
        );
        assert_eq!(parameters(&fused), parameters(&reference), "{case}");
    }
}

/// A generated net's `train_step`, for generic tests.
trait TrainStep: Network + Sized {
    fn train_step_with(
        &mut self,
        input: &Self::Input,
        target: &Self::Output,
        optimizer: &mut Sgd<Self>,
    ) -> Self::Scalar;
}

/// `forward_batch` gives each sample the bits of `forward`, whatever the batch size.
fn assert_forward_batch_is_forward<N, T>(net: &N, batch: &[(N::Input, N::Output)])
where
    T: Scalar,
    N: Network<Scalar = T>,
{
    let inputs: Vec<N::Input> = batch.iter().map(|(input, _)| *input).collect();
    for size in [0, 1, 4, 7, 31, 32, 33, inputs.len()] {
        let mut outputs = vec![N::Output::splat(T::ZERO); size];
        net.forward_batch(&inputs[..size], &mut outputs);
        for (input, output) in inputs.iter().zip(&outputs) {
            assert_eq!(
                bits(slice(output)),
                bits(slice(&net.forward(input))),
                "forward_batch, batch of {size}"
            );
        }
    }
}

/// A batch accumulated in two parts, split anywhere, adds the same bits as in one call.
fn assert_split_batches_add_the_same_bits<N, T>(net: &N, batch: &[(N::Input, N::Output)])
where
    T: Scalar,
    N: Network<Scalar = T>,
{
    let (inputs, targets): (Vec<N::Input>, Vec<N::Output>) = batch.iter().copied().unzip();
    let mut whole = N::zeroed();
    let whole_loss = net.accumulate_batch(&inputs, &targets, &mut whole);
    for split in [1, 9, 31, 32, 45, inputs.len() - 1] {
        let mut parts = N::zeroed();
        net.accumulate_batch(&inputs[..split], &targets[..split], &mut parts);
        net.accumulate_batch(&inputs[split..], &targets[split..], &mut parts);
        assert_eq!(parameters(&parts), parameters(&whole), "split at {split}");
    }
    // The loss is the sum of the samples' losses from zero, in sample order.
    let mut sum = T::ZERO;
    for (input, target) in batch {
        sum += net.loss(input, target);
    }
    assert_eq!(
        whole_loss.to_f64().to_bits(),
        sum.to_f64().to_bits(),
        "loss"
    );
}

/// `accumulate_batch` (blocks of `LANES` samples; 19 leaves a partial block) adds the same bits
/// as `accumulate_gradient` sample after sample.
fn assert_batched_path_is_the_per_sample_loop<N, T>(net: &N, batch: &[(N::Input, N::Output)])
where
    T: Scalar,
    N: Network<Scalar = T>,
{
    let (inputs, targets): (Vec<N::Input>, Vec<N::Output>) = batch.iter().copied().unzip();
    let (mut batched, mut one_by_one) = (N::zeroed(), N::zeroed());
    let batched_loss = net.accumulate_batch(&inputs, &targets, &mut batched);
    let mut loss = T::ZERO;
    for (input, target) in batch {
        loss += net.accumulate_gradient(input, target, &mut one_by_one);
    }
    assert_eq!(
        batched_loss.to_f64().to_bits(),
        loss.to_f64().to_bits(),
        "batched loss"
    );
    assert_eq!(
        parameters(&batched),
        parameters(&one_by_one),
        "batched gradient"
    );
}

/// Softsign, a user-defined activation: `z / (1 + |z|)`.
struct Softsign;

impl<T: Scalar> Activation<T> for Softsign {
    fn value(z: T) -> T {
        z / (T::ONE + z.abs())
    }

    fn derivative(z: T, _value: T) -> T {
        let denominator = T::ONE + z.abs();
        T::ONE / (denominator * denominator)
    }
}

/// `TrainStep` for a net declared in a test: its generated `train_step` with `Sgd`.
macro_rules! train_step_for {
    ($net:ident) => {
        impl TrainStep for $net {
            fn train_step_with(
                &mut self,
                input: &Self::Input,
                target: &Self::Output,
                optimizer: &mut Sgd<Self>,
            ) -> Self::Scalar {
                self.train_step(input, target, optimizer)
            }
        }
    };
}

/// Declares the spec twice, `form: unrolled` and `form: looped`, and compares them.
macro_rules! same_bits {
    ($($test:ident ($target_low:expr): { $($spec:tt)* })*) => {$(
        #[test]
        fn $test() {
            network! { #[derive(Clone, Debug)] struct Unrolled { form: unrolled, $($spec)* } }
            network! { #[derive(Clone, Debug)] struct Looped { form: looped, $($spec)* } }
            train_step_for!(Unrolled);
            train_step_for!(Looped);
            let seed = stringify!($test).len() as u64;
            assert_same_bits::<Unrolled, Looped, _>(seed, $target_low);
        }
    )*};
}

same_bits! {
    notebook (-1.0): { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
    deep_f32 (-1.0): { scalar: f32, input: 5, a: dense(7, tanh), b: dense(6, sigmoid), c: dense(4, silu), output: dense(3, identity), loss: mean_squared_error }
    every_activation (-1.0): {
        input: 3, a: dense(4, identity), b: dense(4, leaky_relu(0.2)), c: dense(3, elu), d: dense(3, softplus),
        e: dense(3, gelu), f: dense(3, Softsign), g: dense(3, relu), output: dense(2, elu(0.5)), loss: huber(0.3)
    }
    absolute_error (-1.0): { input: 4, hidden: dense(5, tanh), output: dense(3, leaky_relu), loss: mean_absolute_error }
    fused_logistic (0.0): { input: 3, hidden: dense(4, relu), output: dense(3, sigmoid), loss: binary_cross_entropy }
    fused_logistic_f32 (0.0): { scalar: f32, input: 3, hidden: dense(4, tanh), output: dense(1, sigmoid), loss: binary_cross_entropy }
    fused_softmax (0.0): { input: 4, hidden: dense(6, silu), output: dense(5, softmax), loss: cross_entropy }
    softmax_other_loss (0.0): { input: 3, hidden: dense(4, tanh), output: dense(3, softmax), loss: squared_error }
    single_layer (-1.0): { input: 8, output: dense(1, identity), loss: squared_error }
    // Layers of 19 and 9 nodes: `Dense::pre_activation` sums eight rows at a time, plus the rest.
    wide_layers (-1.0): { input: 11, hidden: dense(19, tanh), output: dense(9, identity), loss: mean_squared_error }
    // Dot products of 70, 33 and 17 terms: several rounds of the eight lanes and a partial one.
    wide_f32 (0.0): { scalar: f32, input: 70, hidden: dense(33, relu), output: dense(10, softmax), loss: cross_entropy }
    wide_f64 (-1.0): { input: 17, a: dense(33, tanh), b: dense(17, leaky_relu), output: dense(3, sigmoid), loss: squared_error }
    // Every kind along a signal, strides and padding, pools dropping a tail, a dense layer reading
    // a signal flattened.
    signal_kinds_f32 (0.0): {
        scalar: f32, input: [3, 13], c: conv1d(4, 3, relu, stride = 2, padding = 1),
        d: depthwise_conv1d(2, tanh, padding = 1), m: max_pool1d(2), a: avg_pool1d(1),
        p: conv1d(3, 1, silu), output: dense(3, softmax), loss: cross_entropy
    }
    signal_kinds_f64 (-1.0): {
        input: [2, 9], d: depthwise_conv1d(3, sigmoid, stride = 2), c: conv1d(3, 2, elu),
        g: global_avg_pool1d, output: dense(2, identity), loss: mean_squared_error
    }
    // Two GRUs and a convolution after them: backpropagation through time, both forms.
    recurrent_f64 (-1.0): {
        input: [3, 5], g1: gru(4, sequence), c: conv1d(2, 2, tanh), g2: gru(3),
        output: dense(2, identity), loss: squared_error
    }
    recurrent_f32 (0.0): {
        scalar: f32, input: [2, 6], c: conv1d(3, 3, relu, padding = 1), g: gru(5),
        output: dense(1, sigmoid), loss: binary_cross_entropy
    }
}
