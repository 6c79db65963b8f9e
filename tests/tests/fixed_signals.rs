//! `scalar: I16F16` for the signal layers (`conv1d`, `depthwise_conv1d`, the pools, `gru`): each net
//! is declared three times, in f64 and in Q16.16 in both forms, the same parameters loaded into
//! all three. The two Q16.16 forms compute the same bits; the Q16.16 net follows the f64 one
//! within a bound derived from Q16.16's resolution and the error of its tables; it has the items
//! every net has; and SGD through `train_step` lowers its loss.

use backprop_core::fixed::I16F16;
use backprop_core::fixed::activation::{SIGMOID_ERROR, TANH_ERROR};
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::shape::{Array, slice};
use backprop_core::{Network, Number, network};

/// What the tests read of a generated net beyond the `Network` trait: its inherent constants.
trait Generated: Network + Clone {
    const DERIVATION: &'static str;
    const FORWARD_FLOPS: usize;
    const GRADIENT_FLOPS: usize;
    /// The struct's name.
    const NAME: &'static str;
}

/// The Q16.16 net's training methods.
trait FixedNet: Generated<Scalar = I16F16> + PartialEq + core::fmt::Debug {
    fn train(&mut self, input: &Self::Input, target: &Self::Output, rate: I16F16) -> I16F16;
    fn sgd(&mut self, gradient: &Self, rate: I16F16);
    fn flat(&self) -> Vec<I16F16>;
    fn from_flat(flat: &[I16F16]) -> Self;
    fn source(&self, name: &str) -> String;
}

macro_rules! generated {
    ($($net:ident),*) => {$(
        impl Generated for $net {
            const DERIVATION: &'static str = $net::DERIVATION;
            const FORWARD_FLOPS: usize = $net::FORWARD_FLOPS;
            const GRADIENT_FLOPS: usize = $net::GRADIENT_FLOPS;
            const NAME: &'static str = stringify!($net);
        }
    )*};
}

macro_rules! fixed_net {
    ($($net:ident),*) => {$(
        generated!($net);
        impl FixedNet for $net {
            fn train(&mut self, input: &Self::Input, target: &Self::Output, rate: I16F16) -> I16F16 {
                self.train_step(input, target, rate)
            }
            fn sgd(&mut self, gradient: &Self, rate: I16F16) {
                self.sgd_step(gradient, rate);
            }
            fn flat(&self) -> Vec<I16F16> {
                self.to_array().to_vec()
            }
            fn from_flat(flat: &[I16F16]) -> Self {
                Self::from_array(flat.try_into().expect("PARAMETERS values"))
            }
            fn source(&self, name: &str) -> String {
                self.to_rust_source(name)
            }
        }
    )*};
}

/// One spec, three nets: `$reference` in f64 (looped), `$unrolled` and `$looped` in Q16.16.
macro_rules! three {
    ($reference:ident, $unrolled:ident, $looped:ident { $($spec:tt)* }) => {
        network! {
            /// The f64 reference.
            #[derive(Clone, Debug, PartialEq)]
            pub struct $reference { form: looped, $($spec)* }
        }
        network! {
            /// Q16.16, unrolled.
            #[derive(Clone, Debug, PartialEq)]
            pub struct $unrolled { scalar: I16F16, form: unrolled, $($spec)* }
        }
        network! {
            /// Q16.16, looped.
            #[derive(Clone, Debug, PartialEq)]
            pub struct $looped { scalar: I16F16, form: looped, $($spec)* }
        }
        generated!($reference);
        fixed_net!($unrolled, $looped);
    };
}

three!(
    ConvReference,
    ConvUnrolled,
    ConvLooped {
        input: [2, 11],
        c1: conv1d(3, 3, tanh, stride = 2, padding = 1),
        c2: conv1d(2, 2, sigmoid, padding = 1),
        out: dense(2, identity),
        loss: mean_squared_error,
    }
);

three!(
    PoolsReference,
    PoolsUnrolled,
    PoolsLooped {
        input: [3, 13],
        dw: depthwise_conv1d(3, leaky_relu(0.125), padding = 1),
        mp: max_pool1d(2),
        pw: conv1d(4, 1, hard_tanh),
        ap: avg_pool1d(3),
        gp: global_avg_pool1d,
        out: dense(2, sigmoid),
        loss: squared_error,
    }
);

three!(
    DepthwiseReference,
    DepthwiseUnrolled,
    DepthwiseLooped {
        input: [2, 11],
        dw: depthwise_conv1d(4, tanh, stride = 3, padding = 2),
        out: dense(2, identity),
        loss: mean_squared_error,
    }
);

three!(
    GruReference,
    GruUnrolled,
    GruLooped {
        input: [2, 6],
        g: gru(3),
        out: dense(2, identity),
        loss: mean_squared_error,
    }
);

three!(
    GruConvReference,
    GruConvUnrolled,
    GruConvLooped {
        input: [2, 7],
        g: gru(3, sequence),
        c: conv1d(2, 3, tanh, stride = 2, padding = 1),
        out: dense(1, identity),
        loss: squared_error,
    }
);

three!(
    ConvGruReference,
    ConvGruUnrolled,
    ConvGruLooped {
        input: [2, 8],
        c: conv1d(3, 3, relu),
        g: gru(2),
        out: dense(1, sigmoid),
        loss: squared_error,
    }
);

three!(
    StackedReference,
    StackedUnrolled,
    StackedLooped {
        input: [2, 5],
        g1: gru(3, sequence),
        g2: gru(2),
        out: dense(1, identity),
        loss: squared_error,
    }
);

/// Uniform draws from the runtime's seeded generator, already rounded to Q16.16, so that both
/// nets hold the same numbers.
struct Random(Xoshiro256PlusPlus);

impl Random {
    fn new(seed: u64) -> Self {
        Random(Xoshiro256PlusPlus::seed_from_u64(seed))
    }

    fn uniform(&mut self, low: f64, high: f64) -> I16F16 {
        I16F16::from_num(low + (high - low) * self.0.next_f64())
    }

    fn array<A: Array<I16F16>>(&mut self, low: f64, high: f64) -> A {
        let mut array = A::splat(I16F16::ZERO);
        for value in array.as_mut_slice() {
            *value = self.uniform(low, high);
        }
        array
    }
}

/// A Q16.16 array as the f64 array of the same values (exact).
fn widen<A: Array<I16F16>, B: Array<f64>>(array: &A) -> B {
    let mut wide = B::splat(0.0);
    for (wide, value) in wide.as_mut_slice().iter_mut().zip(array.as_slice()) {
        *wide = value.to_num();
    }
    wide
}

fn bits(values: &[I16F16]) -> Vec<i32> {
    values.iter().map(|value| value.to_bits()).collect()
}

/// Every parameter, tensor after tensor.
fn parameters<N: Network>(net: &N) -> Vec<N::Scalar> {
    (0..N::TENSORS.len())
        .flat_map(|tensor| net.tensor(tensor).to_vec())
        .collect()
}

/// The three nets of one spec on the same random parameters (uniform in `[-scale, scale]`).
fn same_parameters<R, F>(random: &mut Random, scale: f64) -> (R, F)
where
    R: Network<Scalar = f64>,
    F: Network<Scalar = I16F16>,
{
    let (mut reference, mut fixed) = (R::zeroed(), F::zeroed());
    assert_eq!(R::TENSORS, F::TENSORS);
    for tensor in 0..F::TENSORS.len() {
        for (r, f) in reference
            .tensor_mut(tensor)
            .iter_mut()
            .zip(fixed.tensor_mut(tensor))
        {
            *f = random.uniform(-scale, scale);
            *r = f.to_num();
        }
    }
    (reference, fixed)
}

/// The largest differences between the Q16.16 net and the f64 one, over the forward pass and
/// over the loss, every parameter derivative and every input derivative.
#[derive(Debug, Default, Clone, Copy)]
struct Differences {
    forward: f64,
    gradient: f64,
}

fn largest(a: &[f64], b: &[I16F16]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(a, b)| (a - b.to_num::<f64>()).abs())
        .fold(0.0, f64::max)
}

/// Both Q16.16 forms against each other (bit for bit) and against the f64 net, on `nets` random
/// nets of `samples` samples each; targets uniform in `[target_low, 1]`.
fn compare<R, U, L>(seed: u64, nets: usize, target_low: f64) -> Differences
where
    R: Generated<Scalar = f64>,
    U: FixedNet,
    L: FixedNet<Input = U::Input, Output = U::Output>,
    R::Input: Array<f64>,
    R::Output: Array<f64>,
{
    let mut random = Random::new(seed);
    let mut worst = Differences::default();
    for _ in 0..nets {
        let (reference, unrolled) = same_parameters::<R, U>(&mut random, 0.8);
        let looped = L::from_flat(&unrolled.flat());
        assert_eq!(bits(&parameters(&looped)), bits(&parameters(&unrolled)));
        for _ in 0..4 {
            let input: U::Input = random.array(-2.0, 2.0);
            let target: U::Output = random.array(target_low, 1.0);
            let (wide_input, wide_target): (R::Input, R::Output) = (widen(&input), widen(&target));

            let output = unrolled.forward(&input);
            assert_eq!(
                bits(slice(&output)),
                bits(slice(&looped.forward(&input))),
                "{}: forward",
                U::NAME
            );
            worst.forward = worst.forward.max(largest(
                slice(&reference.forward(&wide_input)),
                slice(&output),
            ));

            let (loss, gradient) = unrolled.gradient(&input, &target);
            let (looped_loss, looped_gradient) = looped.gradient(&input, &target);
            assert_eq!(loss.to_bits(), looped_loss.to_bits(), "{}: loss", U::NAME);
            assert_eq!(loss, unrolled.loss(&input, &target));
            assert_eq!(
                bits(&parameters(&gradient)),
                bits(&parameters(&looped_gradient)),
                "{}: gradient",
                U::NAME
            );
            let input_gradient = unrolled.input_gradient(&input, &target);
            assert_eq!(
                bits(slice(&input_gradient)),
                bits(slice(&looped.input_gradient(&input, &target))),
                "{}: input gradient",
                U::NAME
            );

            let (reference_loss, reference_gradient) =
                reference.gradient(&wide_input, &wide_target);
            let reference_input_gradient = reference.input_gradient(&wide_input, &wide_target);
            worst.gradient = worst
                .gradient
                .max(largest(&[reference_loss], &[loss]))
                .max(largest(
                    &parameters(&reference_gradient),
                    &parameters(&gradient),
                ))
                .max(largest(
                    slice(&reference_input_gradient),
                    slice(&input_gradient),
                ));
        }
    }
    worst
}

/// The tolerances of the forward pass and of the derivatives of a net with `depth` table
/// activations (tanh or sigmoid) on its longest path, a GRU counting as two (its state carries
/// the n table's error, and the gates' times `|n - h| <= 2`, a convex mix that does not grow
/// over the steps).
///
/// Inputs and parameters are exact in both nets (drawn in Q16.16), so every difference is made by
/// the Q16.16 arithmetic: a sum of products is exact and rounded once (`2^-17`), a product is
/// rounded (`2^-17`), and tanh and sigmoid come from a table, off by at most [`TANH_ERROR`]
/// (`4e-4`, and [`SIGMOID_ERROR`] `2.1e-4`), 50 roundings' worth. So the tables dominate: call
/// `e = TANH_ERROR`. A layer passes the error of its inputs on through a slope of at most 1 and a
/// sum of at most 9 weights uniform in `[-0.8, 0.8]` (root mean square 0.46), errors of either
/// sign: a gain of about `sqrt(9) 0.46 = 1.4`, so at most about `1.5 e` per table on the path, and
/// a bound of `3 e depth` leaves a factor of 2 for the worst of 100 samples.
/// A derivative is a delta times a value (`|x| <= 2`); the delta takes the output's error through
/// the loss's slope (`2 (y - t)`, twice the error) and adds each table's slope (`1 - a^2`,
/// `s (1 - s)`: at most twice its value's error) times the upstream slope (up to about 2 here):
/// about `4 e` per table before the factor 2 of `x`: `8 e depth`.
/// Measured (seeds below): forward at most `2.3 e`, derivatives `9 e`, against `9 e` and `24 e`
/// for the gru-then-conv net. A wrong formula, a dropped bias, a delta routed to the wrong step or
/// a table read at the wrong point is off by a weight's size (0.1 to 1), a hundred times more.
fn bounds(depth: u32) -> (f64, f64) {
    let e = TANH_ERROR.max(SIGMOID_ERROR);
    let depth = f64::from(depth);
    (3.0 * e * depth, 8.0 * e * depth)
}

/// Runs the comparison and checks both the bound and that Q16.16 computed something of its own.
fn agrees<R, U, L>(seed: u64, target_low: f64, depth: u32)
where
    R: Generated<Scalar = f64>,
    U: FixedNet,
    L: FixedNet<Input = U::Input, Output = U::Output>,
    R::Input: Array<f64>,
    R::Output: Array<f64>,
{
    let worst = compare::<R, U, L>(seed, 25, target_low);
    let (forward, gradient) = bounds(depth);
    eprintln!(
        "{}: {worst:?}, bounds {forward:.1e} {gradient:.1e}",
        U::NAME
    );
    assert!(
        worst.forward < forward && worst.gradient < gradient,
        "{}: {worst:?} against bounds {forward} and {gradient}",
        U::NAME
    );
    // Rounded arithmetic that never differed from f64 would be f64 in disguise.
    assert!(worst.forward > 0.0 && worst.gradient > 0.0, "{}", U::NAME);
}

#[test]
fn conv1d_with_stride_and_padding_follows_f64() {
    agrees::<ConvReference, ConvUnrolled, ConvLooped>(1, -1.0, 2);
}

#[test]
fn depthwise_and_every_pool_follow_f64() {
    agrees::<PoolsReference, PoolsUnrolled, PoolsLooped>(2, 0.0, 1);
}

#[test]
fn depthwise_with_stride_and_padding_follows_f64() {
    agrees::<DepthwiseReference, DepthwiseUnrolled, DepthwiseLooped>(3, -1.0, 1);
}

#[test]
fn a_gru_follows_f64() {
    agrees::<GruReference, GruUnrolled, GruLooped>(4, -1.0, 2);
}

#[test]
fn a_gru_sequence_then_a_conv_follow_f64() {
    agrees::<GruConvReference, GruConvUnrolled, GruConvLooped>(5, -1.0, 3);
}

#[test]
fn a_conv_then_a_gru_follow_f64() {
    agrees::<ConvGruReference, ConvGruUnrolled, ConvGruLooped>(6, 0.0, 3);
}

#[test]
fn two_stacked_grus_follow_f64() {
    agrees::<StackedReference, StackedUnrolled, StackedLooped>(7, -1.0, 4);
}

/// A few samples and their targets for training: targets drawn once, like the inputs.
fn dataset<N: Network<Scalar = I16F16>>(
    random: &mut Random,
    target_low: f64,
) -> Vec<(N::Input, N::Output)> {
    (0..6)
        .map(|_| (random.array(-2.0, 2.0), random.array(target_low, 1.0)))
        .collect()
}

fn total_loss<N: Network<Scalar = I16F16>>(net: &N, data: &[(N::Input, N::Output)]) -> f64 {
    data.iter()
        .map(|(input, target)| net.loss(input, target).to_num::<f64>())
        .sum()
}

/// `train_step` is the gradient followed by `sgd_step` (the same bits), both forms train to the
/// same bits, and 40 epochs of SGD lower the loss by more than 30%.
fn trains<U, L>(seed: u64, target_low: f64)
where
    U: FixedNet,
    L: FixedNet<Input = U::Input, Output = U::Output>,
{
    let mut random = Random::new(seed);
    let mut unrolled = U::zeroed();
    for tensor in 0..U::TENSORS.len() {
        for parameter in unrolled.tensor_mut(tensor) {
            *parameter = random.uniform(-0.6, 0.6);
        }
    }
    let mut looped = L::from_flat(&unrolled.flat());
    let data = dataset::<U>(&mut random, target_low);
    let rate = I16F16::from_num(0.05);
    let before = total_loss(&unrolled, &data);
    for _ in 0..40 {
        for (input, target) in &data {
            let mut stepped = unrolled.clone();
            let (loss, gradient) = unrolled.gradient(input, target);
            stepped.sgd(&gradient, rate);
            let fused = unrolled.train(input, target, rate);
            assert_eq!(fused, loss, "{}: train_step returns the loss", U::NAME);
            assert_eq!(unrolled, stepped, "{}: the fused step", U::NAME);
            assert_eq!(looped.train(input, target, rate), loss, "{}", L::NAME);
        }
        assert_eq!(bits(&unrolled.flat()), bits(&looped.flat()), "{}", L::NAME);
    }
    let after = total_loss(&unrolled, &data);
    eprintln!("{}: loss {before} -> {after}", U::NAME);
    // Measured: every net ends at 0.6 of its loss or lower (most far lower); a gradient of the
    // wrong sign raises the loss, a zero one leaves it.
    assert!(after < 0.7 * before, "{}: {before} -> {after}", U::NAME);
}

#[test]
fn every_signal_net_trains_with_sgd() {
    trains::<ConvUnrolled, ConvLooped>(11, -1.0);
    trains::<PoolsUnrolled, PoolsLooped>(12, 0.0);
    trains::<DepthwiseUnrolled, DepthwiseLooped>(13, -1.0);
    trains::<GruUnrolled, GruLooped>(14, -1.0);
    trains::<GruConvUnrolled, GruConvLooped>(15, -1.0);
    trains::<ConvGruUnrolled, ConvGruLooped>(16, 0.0);
    trains::<StackedUnrolled, StackedLooped>(17, -1.0);
}

/// The Q16.16 net's items are the f64 net's: the same program (`DERIVATION`, its name aside, and
/// its legend saying that tanh and sigmoid go by a table), the same counts, the same tensors.
fn same_items<R: Generated<Scalar = f64>, F: FixedNet>() {
    let mut expected = R::DERIVATION.replacen(R::NAME, F::NAME, 1);
    for (float, fixed) in backprop_tests::Q16_16_LEGEND {
        expected = expected.replacen(float, fixed, 1);
    }
    assert_eq!(F::DERIVATION, expected, "{}", F::NAME);
    assert!(F::DERIVATION.starts_with(&format!("{}: input[", F::NAME)));
    assert_eq!(F::FORWARD_FLOPS, R::FORWARD_FLOPS, "{}", F::NAME);
    assert_eq!(F::GRADIENT_FLOPS, R::GRADIENT_FLOPS, "{}", F::NAME);
    assert!(F::GRADIENT_FLOPS > 2 * F::FORWARD_FLOPS, "{}", F::NAME);
    assert_eq!(F::TENSORS, R::TENSORS);
    assert_eq!(
        (F::INPUTS, F::OUTPUTS, F::PARAMETERS),
        (R::INPUTS, R::OUTPUTS, R::PARAMETERS)
    );
    assert_eq!(F::zeroed().flat(), vec![I16F16::ZERO; F::PARAMETERS]);
}

#[test]
fn the_fixed_nets_have_the_f64_nets_items() {
    same_items::<ConvReference, ConvLooped>();
    same_items::<PoolsReference, PoolsLooped>();
    same_items::<DepthwiseReference, DepthwiseLooped>();
    same_items::<GruReference, GruLooped>();
    same_items::<GruConvReference, GruConvLooped>();
    same_items::<ConvGruReference, ConvGruLooped>();
    same_items::<StackedReference, StackedLooped>();
    // The unrolled form prints the same net per scalar, and costs the same.
    for (unrolled, looped) in [
        (ConvUnrolled::FORWARD_FLOPS, ConvLooped::FORWARD_FLOPS),
        (ConvUnrolled::GRADIENT_FLOPS, ConvLooped::GRADIENT_FLOPS),
        (GruUnrolled::FORWARD_FLOPS, GruLooped::FORWARD_FLOPS),
        (GruUnrolled::GRADIENT_FLOPS, GruLooped::GRADIENT_FLOPS),
        (PoolsUnrolled::GRADIENT_FLOPS, PoolsLooped::GRADIENT_FLOPS),
    ] {
        assert_eq!(unrolled, looped);
    }
}

/// The counts and sizes of two nets, by hand.
#[test]
fn the_counts_are_the_hand_counts() {
    // depthwise_conv1d(4, stride = 3, padding = 2) over 11 steps: (11 + 4 - 4) / 3 + 1 = 4
    // windows; window t reads steps 3t - 2 ..= 3t + 1, so 2, 4, 4 and 4 taps inside the signal.
    // Per channel: 14 products, 14 - 4 adds between them, 4 bias adds, 4 tanh: 32; two channels
    // 64. The dense layer: 2 outputs of 8 products, 7 adds and a bias add: 32; identity is free.
    assert_eq!(DepthwiseUnrolled::FORWARD_FLOPS, 64 + 32);
    assert_eq!(DepthwiseLooped::PARAMETERS, 2 * 4 + 2 + 2 * 8 + 2);
    assert_eq!(
        (DepthwiseLooped::INPUTS, DepthwiseLooped::OUTPUTS),
        (2 * 11, 2)
    );
    // gru(3) over 6 steps of 2 features: weight_ih [9, 2], weight_hh [9, 3], two biases [9];
    // then dense(2) over 3 units.
    assert_eq!(GruLooped::PARAMETERS, 9 * 2 + 9 * 3 + 9 + 9 + 3 * 2 + 2);
    let shapes: Vec<(&str, &str, &[usize])> = GruLooped::TENSORS
        .iter()
        .map(|tensor| (tensor.layer_name, tensor.torch, tensor.shape))
        .collect();
    assert_eq!(
        shapes,
        [
            ("g", "weight_ih_l0", &[9, 2][..]),
            ("g", "weight_hh_l0", &[9, 3]),
            ("g", "bias_ih_l0", &[9]),
            ("g", "bias_hh_l0", &[9]),
            ("out", "weight", &[2, 3]),
            ("out", "bias", &[2]),
        ]
    );
}

/// Generic code sees the Q16.16 net through `backprop_core::Network`: its types and the tensors
/// `to_array` lays out.
fn through_the_trait<N: Network<Scalar = I16F16>>(net: &N) -> Vec<I16F16> {
    parameters(net)
}

#[test]
fn the_network_impl_walks_the_parameters_in_to_array_order() {
    let mut random = Random::new(21);
    let (_, net) = same_parameters::<GruReference, GruLooped>(&mut random, 1.0);
    assert_eq!(through_the_trait(&net), net.flat());
    assert_eq!(
        <GruLooped as Network>::Scalar::NAME,
        "I16F16",
        "the trait's scalar"
    );
    let input: [[I16F16; 6]; 2] = random.array(-1.0, 1.0);
    let output: [I16F16; 2] = Network::forward(&net, &input);
    assert_eq!(output, net.forward(&input));
}

#[test]
fn safetensors_carry_the_fixed_nets_exactly() {
    use backprop_core::safetensors;
    let mut random = Random::new(22);
    let (reference, fixed) = same_parameters::<PoolsReference, PoolsLooped>(&mut random, 1.5);
    let bytes = safetensors::save(&fixed).expect("save");
    let back: PoolsLooped = safetensors::load(&bytes).expect("load");
    assert_eq!(back, fixed);
    // Written as F64, which holds every Q16.16 value exactly: the f64 net reads the same numbers,
    // and the Q16.16 net reads the f64 net's file back to the bit.
    let wide: PoolsReference = safetensors::load(&bytes).expect("load as f64");
    assert_eq!(wide, reference);
    let narrow: PoolsUnrolled =
        safetensors::load(&safetensors::save(&reference).expect("save f64")).expect("load");
    assert_eq!(narrow.flat(), fixed.flat());
    let (_, gru) = same_parameters::<GruReference, GruUnrolled>(&mut random, 1.5);
    let back: GruLooped = safetensors::load(&safetensors::save(&gru).expect("save")).expect("load");
    assert_eq!(back.flat(), gru.flat());
}

// What `to_rust_source` printed for the two nets of `the_source_reads_back`, compiled back in
// (after a deliberate change: `UPDATE_FIXTURES=1 cargo test -p backprop-tests --test
// fixed_signals`).
include!("../fixtures/fixed_signals.rs");

#[test]
fn the_source_reads_back() {
    let mut random = Random::new(23);
    let (_, pools) = same_parameters::<PoolsReference, PoolsLooped>(&mut random, 1.0);
    let (_, gru) = same_parameters::<GruReference, GruUnrolled>(&mut random, 1.0);
    let source = format!(
        "{}\n{}",
        pools.source("FIXED_POOLS"),
        gru.source("FIXED_GRU")
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fixed_signals.rs");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &source).expect("write the fixture");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("the fixture"), source);
    assert_eq!(FIXED_POOLS, pools);
    assert_eq!(FIXED_GRU, gru);
    assert!(
        source.contains("::backprop_core::MaxPool1d") && source.contains("::backprop_core::Gru {")
    );
}
/// The unrolled Q16.16 net's derivation, line by line where a hand works it out: window `t` of
/// `depthwise_conv1d(4, stride = 3, padding = 2)` reads steps `3t - 2 ..= 3t + 1`, so the first
/// window's taps 0 and 1 read padding, tap 0 reads steps 1, 4 and 7, and step 1 is read by tap 3
/// of window 0 and tap 0 of window 1. And the looped GRU's state update is torch's.
#[test]
fn the_derivations_state_what_a_hand_derives() {
    let lines: Vec<&str> = DepthwiseUnrolled::DERIVATION.lines().collect();
    for line in [
        "DepthwiseUnrolled: input[2, 11] -> dw: depthwise_conv1d(4, tanh, stride = 3, padding = 2) -> out: dense(2, identity), loss mean_squared_error",
        "  z_dw[0][0] = dw.weights[0][2] * input[0][0] + dw.weights[0][3] * input[0][1] + dw.bias[0]",
        "  z_dw[1][3] = dw.weights[1][0] * input[1][7] + dw.weights[1][1] * input[1][8] + dw.weights[1][2] * input[1][9] + dw.weights[1][3] * input[1][10] + dw.bias[1]",
        "  a_dw[1][3] = tanh(z_dw[1][3])",
        "  L = (squared_error(a_out[0], target[0]) + squared_error(a_out[1], target[1])) / 2",
        "  delta_dw[1][2] = tanh'(z_dw[1][2]) * (out.weights[0][6] * delta_out[0] + out.weights[1][6] * delta_out[1])",
        "  dL/d dw.weights[0][0] = delta_dw[0][1] * input[0][1] + delta_dw[0][2] * input[0][4] + delta_dw[0][3] * input[0][7]",
        "  dL/d dw.bias[1] = delta_dw[1][0] + delta_dw[1][1] + delta_dw[1][2] + delta_dw[1][3]",
        "  dL/d input[0][1] = dw.weights[0][0] * delta_dw[0][1] + dw.weights[0][3] * delta_dw[0][0]",
        "  dL/d input[0][10] = dw.weights[0][3] * delta_dw[0][3]",
    ] {
        assert!(lines.contains(&line), "missing {line:?}");
    }
    // 8 z, 8 a, 2 z and 2 a of the output; 8 hidden deltas; 8 + 2 + 16 + 2 parameters; 22 inputs.
    let defined = |prefix: &str| lines.iter().filter(|line| line.starts_with(prefix)).count();
    assert_eq!(
        (defined("  z_"), defined("  a_"), defined("  delta_dw[")),
        (10, 10, 8)
    );
    assert_eq!(
        (
            defined("  dL/d dw."),
            defined("  dL/d out."),
            defined("  dL/d input[")
        ),
        (10, 18, 22)
    );
    let gru: Vec<&str> = GruLooped::DERIVATION.lines().collect();
    for line in [
        "    pre_new_g[t] = g.weight_ih[2] . x_t + g.bias_ih[2] + reset_g[t] * hidden_new_g[t]",
        "    h_g[t] = (1 - update_g[t]) * new_g[t] + update_g[t] * h_g[t - 1]",
        "    dpre_update_g[t] = sigmoid'(pre_update_g[t]) * dh_g[t] * (h_g[t - 1] - new_g[t])",
        "  dL/d g.weight_hh = sum_(t >= 1) outer(dgh_g[t], h_g[t - 1])",
    ] {
        assert!(gru.contains(&line), "missing {line:?}");
    }
}
