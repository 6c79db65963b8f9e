//! `backprop_core::tflite` against `LiteRT`: MLPerf Tiny's reference models
//! (`tests/fixtures/mlperf-tiny/`) loaded into nets declared by the specs `tflite::spec` prints
//! for them, their outputs compared with `LiteRT`'s reference kernels' on the inputs `litert.py`
//! wrote: int8 bit for bit, f32 within 1e-5 relative.

use backprop_core::network;
use backprop_core::tflite::{self, Error};

include!("../fixtures/mlperf-tiny/ad01.rs");
include!("../fixtures/mlperf-tiny/str_ww.rs");

const AD01_FP32: &[u8] = include_bytes!("../fixtures/mlperf-tiny/ad01_fp32.tflite");
const AD01_INT8: &[u8] = include_bytes!("../fixtures/mlperf-tiny/ad01_int8.tflite");
const STR_WW: &[u8] = include_bytes!("../fixtures/mlperf-tiny/str_ww_ref_model.tflite");

/// Runs `work` on a thread with a 64 MiB stack: `load` builds the net by value (`Network::zeroed`,
/// then filled), and the autoencoder is 1 MiB, which a debug build copies several times.
fn on_a_big_stack(work: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(work)
        .expect("a thread")
        .join()
        .expect("no panic");
}

/// The samples of a fixture: for each, its lines `key: values`.
fn samples(text: &str) -> Vec<Vec<(&str, Vec<f64>)>> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            block
                .lines()
                .map(|line| {
                    let (key, values) = line.split_once(": ").expect("key: values");
                    let values = values
                        .split(' ')
                        .map(|v| v.parse().expect("a number"))
                        .collect();
                    (key, values)
                })
                .collect()
        })
        .collect()
}

fn field<'s>(sample: &'s [(&str, Vec<f64>)], key: &str) -> &'s [f64] {
    &sample.iter().find(|(k, _)| *k == key).expect("the key").1
}

#[allow(clippy::cast_possible_truncation)] // the fixtures' codes are i8s
fn codes(values: &[f64]) -> Vec<i8> {
    values.iter().map(|&v| v as i8).collect()
}

#[test]
fn the_spec_printer_prints_the_specs_these_tests_declare() {
    let ad01 = include_str!("../fixtures/mlperf-tiny/ad01.rs");
    assert_eq!(tflite::spec(AD01_INT8, "Ad01").unwrap(), ad01);
    // The float file: the same net without `quantize: int8`.
    assert_eq!(
        tflite::spec(AD01_FP32, "Ad01").unwrap(),
        ad01.replace("        quantize: int8,\n", "")
    );
    let str_ww = include_str!("../fixtures/mlperf-tiny/str_ww.rs");
    assert_eq!(tflite::spec(STR_WW, "StrWw").unwrap(), str_ww);
}

#[test]
fn ad01_fp32_gives_litert_outputs_within_1e_5() {
    on_a_big_stack(|| {
        let net: Ad01 = tflite::load(AD01_FP32).unwrap();
        let fixture = samples(include_str!("../fixtures/mlperf-tiny/ad01_fp32.txt"));
        assert_eq!(fixture.len(), 5);
        for (k, sample) in fixture.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)] // written from f32s
            let input: [f32; 640] = core::array::from_fn(|i| field(sample, "input")[i] as f32);
            let expected = field(sample, "output");
            let output = net.forward(&input);
            for (i, (&ours, &theirs)) in output.iter().zip(expected).enumerate() {
                // Each output within 1e-5 of LiteRT's, relative to itself (3.5e-6 at most on
                // these samples: the two sum in different orders).
                let error = (f64::from(ours) - theirs).abs();
                assert!(
                    error <= 1e-5 * theirs.abs(),
                    "sample {k}, output {i}: ours {ours}, LiteRT {theirs} (relative {})",
                    error / theirs.abs()
                );
            }
        }
    });
}

/// Every output code equal to `LiteRT`'s. It holds because `QuantizedDense` requantises with one
/// rounding (`Multiplier::apply_once`), as `LiteRT`'s reference `FULLY_CONNECTED` does: with the
/// two roundings of `Multiplier::apply` (gemmlowp's, which its convolutions use) 161 to 431 of the
/// 640 outputs of each sample were one code off or more, the first in the third layer (shift -2):
/// output 4 of the zero input, `387 M = 53.39`, rounded to 214 by the high product and 54 by the
/// shift, where `LiteRT` has 53.
#[test]
fn ad01_int8_gives_litert_outputs_bit_for_bit() {
    on_a_big_stack(|| {
        let net: Ad01Int8 = tflite::load(AD01_INT8).unwrap();
        assert_eq!(net.input_quantization.zero_point, 89);
        assert_eq!(net.output_quantization.zero_point, 96);
        let fixture = samples(include_str!("../fixtures/mlperf-tiny/ad01_int8.txt"));
        assert_eq!(fixture.len(), 5);
        for (k, sample) in fixture.iter().enumerate() {
            let input: [i8; 640] = codes(field(sample, "input")).try_into().unwrap();
            let expected = codes(field(sample, "output"));
            let output = net.forward_i8(&input);
            let differ: Vec<usize> = (0..640).filter(|&i| output[i] != expected[i]).collect();
            assert!(
                differ.is_empty(),
                "sample {k}: {} outputs differ from LiteRT's, first {:?}",
                differ.len(),
                differ
                    .iter()
                    .take(5)
                    .map(|&i| (i, output[i], expected[i]))
                    .collect::<Vec<_>>()
            );
        }
    });
}

#[test]
fn str_ww_int8_gives_litert_logits_bit_for_bit() {
    on_a_big_stack(|| {
        let net: StrWwInt8 = tflite::load(STR_WW).unwrap();
        let fixture = samples(include_str!("../fixtures/mlperf-tiny/str_ww_ref_model.txt"));
        assert_eq!(fixture.len(), 5);
        for (k, sample) in fixture.iter().enumerate() {
            // LiteRT's [1, 30, 1, 40] is step-major; the net's signal [[i8; 30]; 40] channel-major.
            let flat = codes(field(sample, "input"));
            let input: [[i8; 30]; 40] =
                core::array::from_fn(|c| core::array::from_fn(|t| flat[t * 40 + c]));
            // The int8 net's output layer returns the logits: LiteRT's SOFTMAX input.
            assert_eq!(
                net.forward_i8(&input).to_vec(),
                codes(field(sample, "logits")),
                "sample {k}"
            );
        }
    });
}

/// The error of a load that must fail.
fn failure<T>(loaded: Result<T, Error>) -> Error {
    match loaded {
        Ok(_) => panic!("the file loaded"),
        Err(error) => error,
    }
}

#[test]
fn a_file_into_the_wrong_net_is_an_error_naming_what_differs() {
    on_a_big_stack(|| {
        // The int8 file into the float net: its weights are Int8.
        let error = failure(tflite::load::<Ad01>(AD01_INT8));
        assert!(
            matches!(&error, Error::Tensor { layer, .. } if layer == "dense1"),
            "{error}"
        );
        assert!(error.to_string().contains("Int8"), "{error}");
        // The float file into the int8 net.
        let error = failure(tflite::load::<Ad01Int8>(AD01_FP32));
        assert!(error.to_string().contains("Float32"), "{error}");
        // A net one layer short: the file's last operator is extra.
        network! {
            struct Short {
                scalar: f32, input: 640,
                a: dense(128, relu), b: dense(128, relu), c: dense(128, relu), d: dense(128, relu),
                e: dense(8, relu), f: dense(128, relu), g: dense(128, relu), h: dense(128, relu),
                i: dense(128, relu),
                loss: mean_squared_error,
            }
        }
        let error = failure(tflite::load::<Short>(AD01_FP32));
        assert!(
            matches!(&error, Error::Unexpected { op } if op == "operator 9 (FULLY_CONNECTED)"),
            "{error}"
        );
        // Another activation.
        network! {
            struct Tanh {
                scalar: f32, input: 640,
                a: dense(128, tanh), b: dense(128, relu), c: dense(128, relu), d: dense(128, relu),
                e: dense(8, relu), f: dense(128, relu), g: dense(128, relu), h: dense(128, relu),
                i: dense(128, relu), j: dense(640, identity),
                loss: mean_squared_error,
            }
        }
        let error = failure(tflite::load::<Tanh>(AD01_FP32));
        assert!(
            error.to_string().contains("layer `a: dense(128, tanh)`"),
            "{error}"
        );
        // The wakeword file into the autoencoder: its first operator is a depthwise convolution.
        let error = failure(tflite::load::<Ad01Int8>(STR_WW));
        assert!(error.to_string().contains("DEPTHWISE_CONV_2D"), "{error}");
        let _ = Short::INPUTS + Tanh::INPUTS;
    });
}

/// Heavy in a debug build (hundreds of loads of a 1 MB net), so the README's `cargo test
/// --workspace` leaves it out there; `.ci/run` runs it in release.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "slow unoptimised; .ci/run runs it with --release"
)]
fn truncated_or_corrupted_files_are_errors_not_panics() {
    on_a_big_stack(|| {
        for (name, file) in [("ad01_int8", AD01_INT8), ("str_ww", STR_WW)] {
            // Every prefix on a stride.
            for length in (0..file.len()).step_by(997) {
                assert!(
                    tflite::load::<StrWwInt8>(&file[..length]).is_err()
                        && tflite::load::<Ad01Int8>(&file[..length]).is_err(),
                    "{name}: a prefix of {length} bytes loaded"
                );
            }
            // Random byte flips, from a fixed seed: never a panic (a flip in a weight may still load).
            let mut state = 0x9e37_79b9_7f4a_7c15_u64;
            for _ in 0..300 {
                let mut bytes = file.to_vec();
                for _ in 0..4 {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let at = usize::try_from(state % bytes.len() as u64).unwrap();
                    bytes[at] ^= u8::try_from(state >> 56).unwrap() | 1;
                }
                let _ = tflite::load::<Ad01Int8>(&bytes);
                let _ = tflite::load::<StrWwInt8>(&bytes);
                let _ = tflite::spec(&bytes, "Net");
            }
        }
    });
}

// --- Writing: `tflite::save` ---------------------------------------------------------------------

network! {
    /// The classifier written to `tests/fixtures/tflite-writer/classifier.tflite`.
    #[derive(Clone)]
    pub struct Classifier {
        scalar: f32,
        input: 4,
        hidden: dense(8, relu),
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

network! {
    /// Identity and relu layers, three of them.
    pub struct Regressor {
        scalar: f32,
        input: 3,
        first: dense(6, relu),
        second: dense(5, identity),
        output: dense(2, relu),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// A table activation, which `save` does not write.
    pub struct Sigmoid {
        scalar: f32,
        input: 2,
        hidden: dense(3, sigmoid),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// Every kind along a signal that `save` writes, written to
    /// `tests/fixtures/tflite-writer/wave.tflite`: a padded (SAME) convolution, a max pool, a
    /// padded depthwise convolution, an average pool, a dense layer reading the signal flattened,
    /// a softmax output.
    #[derive(Clone)]
    pub struct Wave {
        scalar: f32,
        input: [2, 16],
        conv: conv1d(4, 3, relu, padding = 1),
        max: max_pool1d(2),
        depthwise: depthwise_conv1d(3, relu, padding = 1),
        average: avg_pool1d(2),
        flat: dense(5, relu),
        output: dense(3, softmax),
        loss: cross_entropy,
        quantize: int8,
    }
}

network! {
    /// A strided (VALID) convolution and the global average.
    pub struct Strided {
        scalar: f32,
        input: [3, 9],
        conv: conv1d(2, 3, identity, stride = 2),
        global: global_avg_pool1d,
        output: dense(2, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// Padding TensorFlow Lite's SAME does not give: 2 before a stride-2 window over 8 steps.
    pub struct Unpadded {
        scalar: f32,
        input: [1, 8],
        conv: conv1d(2, 3, identity, stride = 2, padding = 2),
        global: global_avg_pool1d,
        loss: mean_squared_error,
        quantize: int8,
    }
}

/// `count` random signals `[[f32; L]; C]` in `[-1, 1)`.
fn random_signals<const C: usize, const L: usize>(seed: u64, count: usize) -> Vec<[[f32; L]; C]> {
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(seed);
    #[allow(clippy::cast_possible_truncation)] // in [-1, 1)
    (0..count)
        .map(|_| {
            core::array::from_fn(|_| {
                core::array::from_fn(|_| (2.0 * random.next_f64() - 1.0) as f32)
            })
        })
        .collect()
}

/// The wave net, seeded and quantised on random signals, with the multipliers a file holds.
fn wave() -> WaveInt8 {
    tflite::nearest(&Wave::he_uniform(7).quantize(&random_signals(8, 64))).unwrap()
}

const WAVE: &[u8] = include_bytes!("../fixtures/tflite-writer/wave.tflite");

network! {
    /// In f64: its input and output scales are f64s, which a file rounds to f32.
    pub struct Wide {
        input: 2,
        hidden: dense(3, relu),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

network! {
    /// A relu6 hidden layer: an int8 table, which `save` writes as `RELU6` when it is a clamp.
    pub struct Six {
        scalar: f32,
        input: 2,
        hidden: dense(3, relu6),
        output: dense(1, identity),
        loss: mean_squared_error,
        quantize: int8,
    }
}

const CLASSIFIER: &[u8] = include_bytes!("../fixtures/tflite-writer/classifier.tflite");

/// Three blobs in 4 dimensions, 20 points each, from a seeded generator: the inputs and one-hot
/// targets.
fn blobs() -> (Vec<[f32; 4]>, Vec<[f32; 3]>) {
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(17);
    let centres = [
        [1.0, 0.0, -1.0, 0.5],
        [-1.0, 1.0, 0.0, -0.5],
        [0.0, -1.0, 1.0, 1.0],
    ];
    let (mut inputs, mut targets) = (Vec::new(), Vec::new());
    for k in 0..60 {
        let class = k % 3;
        #[allow(clippy::cast_possible_truncation)] // noise in [-0.8, 0.8)
        inputs.push(core::array::from_fn(|i| {
            centres[class][i] + (1.6 * random.next_f64() - 0.8) as f32
        }));
        targets.push(core::array::from_fn(|j| if j == class { 1.0 } else { 0.0 }));
    }
    (inputs, targets)
}

/// The classifier trained (300 full-batch Adam steps from a seeded initialisation), quantised on
/// its training inputs.
fn trained_classifier() -> ClassifierInt8 {
    use backprop_core::optim::{Adam, Optimizer};
    let (inputs, targets) = blobs();
    let mut net = Classifier::he_uniform(5);
    let mut adam = Adam::new(0.02);
    for _ in 0..300 {
        let (_, gradient) = net.batch_gradient(&inputs, &targets);
        adam.step(&mut net, &gradient);
    }
    let correct = inputs
        .iter()
        .zip(&targets)
        .filter(|(x, t)| {
            backprop_core::metrics::argmax(&net.forward(x)) == backprop_core::metrics::argmax(*t)
        })
        .count();
    assert!(
        correct >= 57,
        "the classifier did not train: {correct} of 60"
    );
    net.quantize(&inputs)
}

/// Random input codes from a seeded generator.
fn random_codes<const N: usize>(random: &mut backprop_core::init::Xoshiro256PlusPlus) -> [i8; N] {
    #[allow(clippy::cast_possible_truncation)] // in -128..=127
    core::array::from_fn(|_| ((random.next_f64() * 256.0) as i32 - 128) as i8)
}

/// `bytes` against the checked-in fixture `name`, which `UPDATE_TFLITE_FIXTURES=1` rewrites.
fn check_fixture(bytes: &[u8], fixture: &[u8], name: &str) {
    if std::env::var_os("UPDATE_TFLITE_FIXTURES").is_some() {
        let path = format!(
            "{}/fixtures/tflite-writer/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(path, bytes).unwrap();
    }
    assert!(
        bytes == fixture,
        "save writes another {name}: UPDATE_TFLITE_FIXTURES=1 rewrites it, then run \
         tests/fixtures/tflite-writer/litert.py"
    );
}

#[test]
fn the_fixtures_are_what_save_writes() {
    let classifier = tflite::save(&tflite::nearest(&trained_classifier()).unwrap()).unwrap();
    check_fixture(&classifier, CLASSIFIER, "classifier.tflite");
    check_fixture(&tflite::save(&wave()).unwrap(), WAVE, "wave.tflite");
}

#[test]
fn save_then_load_gives_the_same_net_bit_for_bit() {
    let classifier = tflite::nearest(&trained_classifier()).unwrap();
    let read: ClassifierInt8 = tflite::load(&tflite::save(&classifier).unwrap()).unwrap();
    assert_eq!(read, classifier);
    let (inputs, _) = blobs();
    let regression_inputs: Vec<[f32; 3]> = inputs
        .iter()
        .map(|x| [x[0], x[1] * 2.0, x[2] - x[3]])
        .collect();
    let regressor =
        tflite::nearest(&Regressor::he_uniform(3).quantize(&regression_inputs)).unwrap();
    let read: RegressorInt8 = tflite::load(&tflite::save(&regressor).unwrap()).unwrap();
    assert_eq!(read, regressor);
    let wave = wave();
    let read: WaveInt8 = tflite::load(&tflite::save(&wave).unwrap()).unwrap();
    assert_eq!(read, wave);
    let strided =
        tflite::nearest(&Strided::he_uniform(2).quantize(&random_signals(3, 16))).unwrap();
    let read: StridedInt8 = tflite::load(&tflite::save(&strided).unwrap()).unwrap();
    assert_eq!(read, strided);
    let wide = tflite::nearest(&Wide::he_uniform(4).quantize(&[[0.3, -1.0], [0.9, 0.1]])).unwrap();
    // `nearest` rounds the f64 scales to the file's f32s.
    #[allow(clippy::cast_possible_truncation)] // the rounding checked
    let as_f32 = wide.input_quantization.scale as f32;
    assert!(f64::from(as_f32).to_bits() == wide.input_quantization.scale.to_bits());
    let read: WideInt8 = tflite::load(&tflite::save(&wide).unwrap()).unwrap();
    assert_eq!(read, wide);
    // Per-channel multipliers: the rows' differ.
    assert!(
        regressor
            .first
            .multiplier
            .iter()
            .any(|&m| m != regressor.first.multiplier[0])
    );
}

#[test]
fn nearest_moves_multipliers_by_under_2_to_the_minus_16_and_rarely_an_output() {
    let net = trained_classifier();
    let near = tflite::nearest(&net).unwrap();
    assert_eq!(
        (net.hidden.weights, net.hidden.bias),
        (near.hidden.weights, near.hidden.bias)
    );
    let real = |m: i32, shift: i8| f64::from(m) * 2_f64.powi(i32::from(shift) - 31);
    let layers = [
        (
            &net.hidden.multiplier[..],
            &net.hidden.shift[..],
            &near.hidden.multiplier[..],
            &near.hidden.shift[..],
        ),
        (
            &net.output.multiplier[..],
            &net.output.shift[..],
            &near.output.multiplier[..],
            &near.output.shift[..],
        ),
    ];
    for (m, shift, near_m, near_shift) in layers {
        for c in 0..m.len() {
            let (ours, file) = (real(m[c], shift[c]), real(near_m[c], near_shift[c]));
            assert!(
                (ours - file).abs() / ours < 1.0 / f64::from(1 << 16),
                "{ours} {file}"
            );
        }
    }
    let mut random = backprop_core::init::Xoshiro256PlusPlus::seed_from_u64(3);
    let differ = (0..10_000)
        .filter(|_| {
            let x = random_codes::<4>(&mut random);
            net.forward_i8(&x) != near.forward_i8(&x)
        })
        .count();
    eprintln!("nearest: {differ} of 10,000 int8 outputs differ from the net's");
    assert!(differ <= 100, "{differ} of 10,000 outputs differ");
    // A net from `quantize` keeps 31-bit multipliers, which `save` refuses, naming the layer.
    match tflite::save(&net) {
        Err(Error::Inexact { layer, message }) => {
            assert_eq!(layer, "hidden");
            assert!(message.contains("tflite::nearest"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_relu6_table_that_is_a_clamp_saves_as_relu6() {
    let mut net = Six::he_uniform(6).quantize(&[[0.3, -1.0], [0.9, 0.1]]);
    // `quantize`'s relu6 table maps to a range of its own: refused.
    assert!(matches!(tflite::save(&net), Err(Error::Unsupported { .. })));
    // As a file's RELU6 reads: the clamp from the zero point to its code of 6, 40 codes up.
    let zero = i32::from(net.hidden.zero_point);
    for (q, out) in (-128..=127_i32).zip(net.hidden.activation.output.iter_mut()) {
        *out = i8::try_from(q.clamp(zero, zero + 40)).unwrap();
    }
    let net = tflite::nearest(&net).unwrap();
    let read: SixInt8 = tflite::load(&tflite::save(&net).unwrap()).unwrap();
    assert_eq!(read, net);
}

#[test]
fn save_names_a_layer_it_does_not_write() {
    let net = Sigmoid::he_uniform(1).quantize(&[[0.5, -0.5], [1.0, 0.0]]);
    match tflite::save(&net) {
        Err(Error::Unsupported { layer, spec, .. }) => {
            assert_eq!(
                (layer.as_str(), spec.as_str()),
                ("hidden", "dense(3, sigmoid)")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        tflite::nearest(&net),
        Err(Error::Unsupported { .. })
    ));
    let net = Unpadded::he_uniform(1).quantize(&random_signals(1, 4));
    match tflite::save(&net) {
        Err(Error::Unsupported { layer, message, .. }) => {
            assert_eq!(layer, "conv");
            assert!(message.contains("SAME"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_wave_file_gives_litert_logits_bit_for_bit() {
    let net: WaveInt8 = tflite::load(WAVE).unwrap();
    let fixture = samples(include_str!("../fixtures/tflite-writer/wave.txt"));
    assert_eq!(fixture.len(), 8);
    for (k, sample) in fixture.iter().enumerate() {
        // The file's input is [1, 16, 1, 2], step-major; the net's [[i8; 16]; 2].
        let file = codes(field(sample, "input"));
        let input: [[i8; 16]; 2] =
            core::array::from_fn(|c| core::array::from_fn(|t| file[t * 2 + c]));
        assert_eq!(
            net.forward_i8(&input).as_slice(),
            codes(field(sample, "logits")),
            "sample {k}"
        );
    }
}

#[test]
fn the_classifier_file_gives_litert_logits_bit_for_bit() {
    let net: ClassifierInt8 = tflite::load(CLASSIFIER).unwrap();
    let fixture = samples(include_str!("../fixtures/tflite-writer/classifier.txt"));
    assert_eq!(fixture.len(), 8);
    for (k, sample) in fixture.iter().enumerate() {
        let input: [i8; 4] = codes(field(sample, "input")).try_into().unwrap();
        let logits = net.forward_i8(&input);
        assert_eq!(
            logits.as_slice(),
            codes(field(sample, "logits")),
            "sample {k}"
        );
        // LiteRT's SOFTMAX is integer arithmetic of its own; ours is the float softmax of the
        // dequantised logits, within one of its codes (scale 1/256, zero point -128).
        let probabilities = backprop_core::activation::softmax(
            logits.map(|q| net.output_quantization.dequantize(q)),
        );
        for (p, &theirs) in probabilities.iter().zip(field(sample, "output")) {
            let ours = (f64::from(*p) * 256.0).round().min(255.0) - 128.0;
            assert!(
                (ours - theirs).abs() <= 1.0,
                "sample {k}: {ours} against {theirs}"
            );
        }
    }
}

#[test]
fn mlperf_tinys_wakeword_model_saves_once_moved_to_the_multipliers_a_file_of_ours_holds() {
    on_a_big_stack(|| {
        let net: StrWwInt8 = tflite::load(STR_WW).unwrap();
        // Its multipliers come from its own hidden scales, which the int8 net does not keep; the
        // scales `save` chooses give others.
        assert!(matches!(tflite::save(&net), Err(Error::Inexact { .. })));
        let near = tflite::nearest(&net).unwrap();
        let read: StrWwInt8 = tflite::load(&tflite::save(&near).unwrap()).unwrap();
        assert!(read == near, "the saved wakeword net reads back otherwise");
        let fixture = samples(include_str!("../fixtures/mlperf-tiny/str_ww_ref_model.txt"));
        // On LiteRT's inputs, the moved net still gives LiteRT's logits for the original file.
        for (k, sample) in fixture.iter().enumerate() {
            let flat = codes(field(sample, "input"));
            let input: [[i8; 30]; 40] =
                core::array::from_fn(|c| core::array::from_fn(|t| flat[t * 40 + c]));
            let logits = near.forward_i8(&input).to_vec();
            assert_eq!(logits, codes(field(sample, "logits")), "sample {k}");
        }
    });
}
