//! Every layer kind against PyTorch: the nets of `tests/fixtures/torch/` (written by its
//! `make.py` with torch 2.15 in `f64`), declared here with the same spec, their parameters loaded
//! from torch's `state_dict`, compute torch's output, loss, parameter gradients and input gradient
//! to 1e-9 relative; and every derivative agrees with central finite differences.

use backprop_core::safetensors::{self as weights, LayerNames};
use backprop_core::shape::{Array, slice};
use backprop_core::{Network, network};
use safetensors::SafeTensors;

/// A net of the fixtures in both forms: `$unrolled` and `$looped`, the same spec.
macro_rules! both_forms {
    ($unrolled:ident, $looped:ident { $($spec:tt)* }) => {
        network! {
            /// The fixture's net, unrolled.
            #[derive(Clone)]
            struct $unrolled { form: unrolled, $($spec)* }
        }
        network! {
            /// The fixture's net, looped.
            #[derive(Clone)]
            struct $looped { form: looped, $($spec)* }
        }
    };
}

both_forms!(
    ConvStridePaddingUnrolled,
    ConvStridePadding {
        input: [3, 20],
        c1: conv1d(4, 3, tanh, stride = 2, padding = 1),
        c2: conv1d(5, 2, sigmoid),
        c3: conv1d(2, 4, softplus, stride = 3, padding = 2),
        out: dense(3, identity),
        loss: mean_squared_error,
    }
);

both_forms!(
    DepthwisePoolsUnrolled,
    DepthwisePools {
        input: [4, 17],
        dw: depthwise_conv1d(3, tanh, padding = 1),
        mp: max_pool1d(2),
        pw: conv1d(6, 1, softplus),
        ap: avg_pool1d(3),
        gp: global_avg_pool1d,
        out: dense(3, softmax),
        loss: cross_entropy,
    }
);

both_forms!(
    DepthwiseStrideUnrolled,
    DepthwiseStride {
        input: [2, 11],
        dw: depthwise_conv1d(4, sigmoid, stride = 3, padding = 2),
        mp: max_pool1d(2),
        out: dense(2, identity),
        loss: mean_squared_error,
    }
);

both_forms!(
    StackedGruUnrolled,
    StackedGru {
        input: [3, 7],
        g1: gru(5, sequence),
        g2: gru(4),
        out: dense(2, identity),
        loss: squared_error,
    }
);

both_forms!(
    ConvThenGruUnrolled,
    ConvThenGru {
        input: [2, 12],
        c: conv1d(4, 3, tanh),
        g: gru(3),
        out: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
);

both_forms!(
    GruThenConvUnrolled,
    GruThenConv {
        input: [3, 9],
        g: gru(4, sequence),
        c: conv1d(2, 3, tanh, stride = 2),
        out: dense(2, identity),
        loss: squared_error,
    }
);

/// The fixture files of net `name`.
fn fixture(name: &str, part: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/torch")
        .join(format!("{name}.{part}.safetensors"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A tensor of the data file as `f64`s.
fn tensor(file: &SafeTensors<'_>, name: &str) -> Vec<f64> {
    let view = file
        .tensor(name)
        .unwrap_or_else(|_| panic!("no tensor {name}"));
    view.data()
        .chunks_exact(8)
        .map(|bytes| f64::from_le_bytes(bytes.try_into().expect("8 bytes")))
        .collect()
}

/// Whether `ours` equals `theirs` to 1e-9 relative (absolute below 1e-12, where both are
/// roundings of 0).
fn assert_close(ours: &[f64], theirs: &[f64], what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    for (index, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let scale = a.abs().max(b.abs());
        assert!(
            (a - b).abs() <= 1e-9 * scale || (a - b).abs() <= 1e-12,
            "{what}[{index}]: ours {a}, torch {b}"
        );
    }
}

/// Loads net `name` in both forms and checks them against torch, against finite differences
/// and against each other, bit for bit.
fn check<U, L>(name: &str)
where
    U: Network<Scalar = f64>,
    L: Network<Scalar = f64, Input = U::Input, Output = U::Output>,
{
    let unrolled = against_torch::<U>(name);
    let looped = against_torch::<L>(name);
    for (u, l) in unrolled.iter().zip(&looped) {
        assert_eq!(u.to_bits(), l.to_bits(), "{name}: the forms differ");
    }
}

/// Loads net `name` from its torch parameters and checks both samples against torch and against
/// central finite differences; returns everything it computed, to compare forms.
fn against_torch<N>(name: &str) -> Vec<f64>
where
    N: Network<Scalar = f64>,
{
    let mut computed = Vec::new();
    let net: N = weights::load_with(&fixture(name, "params"), LayerNames)
        .unwrap_or_else(|error| panic!("{name}: {error}"));
    let bytes = fixture(name, "data");
    let data = SafeTensors::deserialize(&bytes).expect("the data file");
    for sample in 0..2 {
        let mut input = N::Input::splat(0.0);
        input
            .as_mut_slice()
            .copy_from_slice(&tensor(&data, &format!("input.{sample}")));
        let mut target = N::Output::splat(0.0);
        target
            .as_mut_slice()
            .copy_from_slice(&tensor(&data, &format!("target.{sample}")));
        let what = |part: &str| format!("{name} sample {sample}: {part}");
        let output = net.forward(&input);
        assert_close(
            slice(&output),
            &tensor(&data, &format!("output.{sample}")),
            &what("output"),
        );
        let (loss, gradient) = net.gradient(&input, &target);
        assert_close(
            &[loss],
            &tensor(&data, &format!("loss.{sample}")),
            &what("loss"),
        );
        for (index, info) in N::TENSORS.iter().enumerate() {
            let key = format!("grad.{sample}.{}.{}", info.layer_name, info.torch);
            assert_close(gradient.tensor(index), &tensor(&data, &key), &what(&key));
            computed.extend_from_slice(gradient.tensor(index));
        }
        let input_gradient = net.input_gradient(&input, &target);
        assert_close(
            slice(&input_gradient),
            &tensor(&data, &format!("grad.{sample}.input")),
            &what("input gradient"),
        );
        let differences = backprop_core::gradient_check::check(&net, &input, &target);
        assert!(
            differences.largest_error < 1e-6,
            "{}: {differences:?}",
            what("finite differences")
        );
        computed.extend_from_slice(slice(&output));
        computed.push(loss);
        computed.extend_from_slice(slice(&input_gradient));
    }
    computed
}

#[test]
fn conv1d_with_stride_and_padding_matches_torch() {
    check::<ConvStridePaddingUnrolled, ConvStridePadding>("conv_stride_padding");
}

#[test]
fn depthwise_conv1d_and_every_pooling_match_torch() {
    check::<DepthwisePoolsUnrolled, DepthwisePools>("depthwise_pools");
}

#[test]
fn depthwise_conv1d_with_stride_and_padding_matches_torch() {
    check::<DepthwiseStrideUnrolled, DepthwiseStride>("depthwise_stride");
}

#[test]
fn two_stacked_grus_match_torch() {
    check::<StackedGruUnrolled, StackedGru>("stacked_gru");
}

#[test]
fn a_conv_then_a_gru_match_torch() {
    check::<ConvThenGruUnrolled, ConvThenGru>("conv_then_gru");
}

#[test]
fn a_gru_then_a_conv_match_torch() {
    check::<GruThenConvUnrolled, GruThenConv>("gru_then_conv");
}
