//! `scalar: I16F16`: the generated Q16.16 net against the f64 net on the same weights (loss and
//! every derivative), its training with `train_step`, and its Rust source read back.

use backprop_core::fixed::I16F16;
use backprop_core::init::Xoshiro256PlusPlus;
use backprop_core::{Dense, network};

network! {
    /// The f64 reference.
    #[derive(Debug, Clone)]
    pub struct Reference {
        input: 2,
        hidden: dense(5, tanh),
        middle: dense(4, leaky_relu(0.125)),
        output: dense(2, sigmoid),
        loss: mean_squared_error,
    }
}

network! {
    /// The same net in Q16.16.
    pub struct Fixed {
        scalar: I16F16,
        input: 2,
        hidden: dense(5, tanh),
        middle: dense(4, leaky_relu(0.125)),
        output: dense(2, sigmoid),
        loss: mean_squared_error,
    }
}

network! {
    /// XOR in Q16.16, ReLU hidden, identity output, squared error.
    pub struct FixedXor {
        scalar: I16F16,
        input: 2,
        hidden: dense(8, relu),
        output: dense(1, identity),
        loss: squared_error,
    }
}

fn q(value: f64) -> I16F16 {
    I16F16::from_num(value)
}

/// The largest difference between two layers' parameters.
fn largest<const I: usize, const O: usize>(a: &Dense<f64, I, O>, b: &Dense<f64, I, O>) -> f64 {
    let weights = a
        .weights
        .as_flattened()
        .iter()
        .zip(b.weights.as_flattened());
    weights
        .chain(a.bias.iter().zip(&b.bias))
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

#[test]
fn the_gradient_matches_the_f64_net_on_the_same_weights() {
    let mut random = Xoshiro256PlusPlus::seed_from_u64(8);
    let mut worst = 0.0_f64;
    for seed in 0..100 {
        // Weights rounded to Q16.16 first, so both nets hold the same numbers.
        let mut reference = Reference::xavier_uniform(seed);
        let fixed = Fixed {
            hidden: Dense::from_f64(&reference.hidden),
            middle: Dense::from_f64(&reference.middle),
            output: Dense::from_f64(&reference.output),
        };
        reference.hidden = fixed.hidden.to_f64();
        reference.middle = fixed.middle.to_f64();
        reference.output = fixed.output.to_f64();
        let round = |value: f64| q(value).to_num::<f64>();
        let input = [
            round(4.0 * random.next_f64() - 2.0),
            round(4.0 * random.next_f64() - 2.0),
        ];
        let target = [round(random.next_f64()), round(random.next_f64())];
        let (loss, gradient) = reference.gradient(&input, &target);
        let (fixed_loss, fixed_gradient) = fixed.gradient(&input.map(q), &target.map(q));
        assert_eq!(fixed.loss(&input.map(q), &target.map(q)), fixed_loss);
        worst = worst
            .max((fixed_loss.to_num::<f64>() - loss).abs())
            .max(largest(&fixed_gradient.hidden.to_f64(), &gradient.hidden))
            .max(largest(&fixed_gradient.middle.to_f64(), &gradient.middle))
            .max(largest(&fixed_gradient.output.to_f64(), &gradient.output));
    }
    // tanh and sigmoid by table (4e-4 and 2.1e-4) and a rounding of 2^-16 per product, through
    // three layers of Xavier weights and a mean over two outputs: measured 1.7e-4 over these 100
    // nets. A wrong formula, a missing derivative or a lost factor is off by far more.
    assert!(worst < 5e-4, "largest difference {worst}");
    assert!(worst > 0.0, "the Q16.16 net computed nothing of its own");
}

#[test]
fn xor_trains_with_train_step() {
    const INPUTS: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    const TARGETS: [f64; 4] = [0.0, 1.0, 1.0, 0.0];
    let start = FixedStart::he_uniform(6);
    let mut net = FixedXor {
        hidden: Dense::from_f64(&start.hidden),
        output: Dense::from_f64(&start.output),
    };
    let learning_rate = q(0.05);
    let mut loss = q(1.0);
    for _ in 0..2_000 {
        loss = I16F16::ZERO;
        for (input, target) in INPUTS.iter().zip(TARGETS) {
            loss += net.train_step(&input.map(q), &[q(target)], learning_rate);
        }
    }
    for (input, target) in INPUTS.iter().zip(TARGETS) {
        let y = net.forward(&input.map(q))[0].to_num::<f64>();
        assert!((y - target).abs() < 0.1, "xor{input:?} = {y}");
    }
    assert!(loss < q(0.01), "summed loss {loss}");
}

network! {
    /// He-initialised in f64: the fixed-point xor's starting point.
    struct FixedStart { input: 2, hidden: dense(8, relu), output: dense(1, identity), loss: squared_error }
}

// `to_rust_source` of a Q16.16 net, compiled back in.
mod printed {
    use super::FixedXor;

    include!("../fixtures/fixed_xor.rs");

    pub fn net() -> FixedXor {
        FIXED_XOR
    }
}

#[test]
fn the_source_reads_back() {
    let start = FixedStart::he_uniform(6);
    let net = FixedXor {
        hidden: Dense::from_f64(&start.hidden),
        output: Dense::from_f64(&start.output),
    };
    let source = net.to_rust_source("FIXED_XOR");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fixed_xor.rs");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &source).expect("write the fixture");
    }
    assert_eq!(std::fs::read_to_string(&path).expect("the fixture"), source);
    let printed = printed::net();
    assert_eq!(printed.hidden, net.hidden);
    assert_eq!(printed.output, net.output);
}

/// The Q16.16 net's items: the f64 net's program and counts (the scalar changes neither, but the
/// legend says how Q16.16 computes tanh and sigmoid: by a table), counted by hand, its tensors
/// through `backprop_core::Network`, and a safetensors round trip.
#[test]
fn the_fixed_net_has_every_item() {
    use backprop_core::{Network, safetensors};
    let mut expected = Reference::DERIVATION.replacen("Reference", "Fixed", 1);
    for (float, fixed) in backprop_tests::Q16_16_LEGEND {
        assert!(Reference::DERIVATION.contains(float), "{float}");
        expected = expected.replacen(float, fixed, 1);
    }
    assert_eq!(Fixed::DERIVATION, expected);
    assert!(Fixed::DERIVATION.starts_with(
        "Fixed: input[2] -> hidden: dense(5, tanh) -> middle: dense(4, leaky_relu(0.125)) -> output: dense(2, sigmoid), loss mean_squared_error\n"
    ));
    // Per node, a product and an add per input (the last add the bias's), plus its activation:
    // 5 (2 + 2 + 1), 4 (5 + 5 + 1), 2 (4 + 4 + 1).
    assert_eq!(Fixed::FORWARD_FLOPS, 25 + 44 + 18);
    assert_eq!(Fixed::GRADIENT_FLOPS, Reference::GRADIENT_FLOPS);
    assert_eq!(Fixed::PARAMETERS, 2 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2);
    assert_eq!(<Fixed as Network>::TENSORS, <Reference as Network>::TENSORS);
    assert_eq!(<Fixed as Network>::TENSORS.len(), 6);

    let reference = Reference::xavier_uniform(3);
    let fixed = Fixed {
        hidden: Dense::from_f64(&reference.hidden),
        middle: Dense::from_f64(&reference.middle),
        output: Dense::from_f64(&reference.output),
    };
    let flat: Vec<I16F16> = (0..6).flat_map(|t| fixed.tensor(t).to_vec()).collect();
    let expected: Vec<I16F16> = (0..6)
        .flat_map(|t| {
            reference
                .tensor(t)
                .iter()
                .map(|&w| q(w))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(flat, expected);
    assert_eq!(flat, fixed.to_array().to_vec());
    let bytes = safetensors::save(&fixed).expect("save");
    let back: Fixed = safetensors::load(&bytes).expect("load");
    assert_eq!(back.to_array(), fixed.to_array());
    // F64 on disk: the f64 net reads exactly the Q16.16 values.
    let wide: Reference = safetensors::load(&bytes).expect("load as f64");
    assert_eq!(wide.hidden, fixed.hidden.to_f64());
}
