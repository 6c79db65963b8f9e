//! Weights that travel: safetensors files with PyTorch's names, and Rust source of a trained net,
//! both round-tripping bit for bit.
#![allow(
    clippy::float_cmp,
    reason = "the values are exact by construction; the tests compare bits"
)]

use backprop_core::safetensors::{self, Error};
use backprop_core::{Dense, network};

network! {
    /// The fixture's `nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))`, in f32.
    #[derive(Debug, PartialEq)]
    struct Single { scalar: f32, input: 2, hidden: dense(3, tanh), output: dense(1, identity), loss: squared_error }
}

network! {
    /// The same net in f64.
    #[derive(Debug, PartialEq)]
    struct Double { input: 2, hidden: dense(3, tanh), output: dense(1, identity), loss: squared_error }
}

network! {
    /// A wider first layer than the fixture's.
    struct Wider { input: 2, hidden: dense(4, tanh), output: dense(1, identity), loss: squared_error }
}

network! {
    /// The fixture's first layer alone.
    #[derive(Debug, PartialEq)]
    struct Shallow { input: 2, hidden: dense(3, tanh), loss: squared_error }
}

/// See `tests/fixtures/pytorch_sequential.py`, which wrote it.
const FIXTURE: &[u8] = include_bytes!("../fixtures/pytorch_sequential.safetensors");

#[test]
fn a_pytorch_sequential_loads_with_its_names_and_shapes() {
    let net: Single = safetensors::load(FIXTURE).expect("the fixture loads");
    assert_eq!(
        net.hidden.weights,
        [[0.5, -0.25], [0.125, 0.75], [-1.5, 0.0625]]
    );
    assert_eq!(net.hidden.bias, [0.1, -0.2, 0.3]);
    assert_eq!(
        net.output,
        Dense {
            weights: [[1.0, -2.0, 0.5]],
            bias: [0.25]
        }
    );
    // F32 tensors read into an f64 net are exact.
    let double: Double = safetensors::load(FIXTURE).expect("the fixture loads as f64");
    assert_eq!(net.hidden.bias.map(f64::from), double.hidden.bias);
    assert_eq!(
        f64::from(net.hidden.weights[1][0]),
        double.hidden.weights[1][0]
    );
}

#[test]
fn saving_and_loading_round_trips_bit_for_bit() {
    let double = Double::he_normal(17);
    let bytes = safetensors::save(&double).expect("saves");
    assert_eq!(safetensors::load::<Double>(&bytes).expect("loads"), double);
    let single = Single::xavier_normal(17);
    let bytes = safetensors::save(&single).expect("saves");
    assert_eq!(safetensors::load::<Single>(&bytes).expect("loads"), single);
    // What PyTorch reads: the header names the modules and gives `[out, in]` shapes.
    let header = String::from_utf8_lossy(&bytes[8..]);
    assert!(
        header.contains(r#""0.weight":{"dtype":"F32","shape":[3,2]"#),
        "{header}"
    );
    assert!(
        header.contains(r#""2.bias":{"dtype":"F32","shape":[1]"#),
        "{header}"
    );
}

#[test]
fn other_namings_are_a_parameter() {
    let net = Double::he_uniform(3);
    let bytes = safetensors::save_with(&net, |layer| format!("layers.{layer}")).expect("saves");
    let loaded: Double =
        safetensors::load_with(&bytes, |layer| format!("layers.{layer}")).expect("loads");
    assert_eq!(loaded, net);
    assert!(
        matches!(safetensors::load::<Double>(&bytes), Err(Error::Missing(name)) if name == "0.weight")
    );
}

#[test]
fn a_mismatched_file_is_refused_with_the_reason() {
    let error = safetensors::load::<Wider>(FIXTURE)
        .map(|_| ())
        .expect_err("shapes differ");
    assert!(
        matches!(&error, Error::Shape { name, expected, found } if name == "0.weight" && *expected == [4, 2] && *found == [3, 2])
    );
    assert_eq!(
        error.to_string(),
        "tensor `0.weight` has shape [3, 2], the layer needs [4, 2]"
    );
    assert!(matches!(
        safetensors::load::<Double>(b"not a file"),
        Err(Error::Format(_))
    ));
}

/// Loading is strict by default, as PyTorch's `load_state_dict` is: a deeper net's file does not
/// load into a shallower net, and the error names the tensors left over; non-strict loading
/// ignores them.
#[test]
fn tensors_the_net_does_not_read_are_an_error_unless_loading_non_strictly() {
    let error = safetensors::load::<Shallow>(FIXTURE)
        .map(|_| ())
        .expect_err("the file has a second layer");
    assert!(
        matches!(&error, Error::Unexpected(names) if *names == ["2.bias", "2.weight"]),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the file has tensors the net does not read: `2.bias`, `2.weight`; load it with `load_non_strict` to ignore them"
    );
    let shallow: Shallow = safetensors::load_non_strict(FIXTURE, safetensors::PYTORCH_SEQUENTIAL)
        .expect("the first layer loads");
    let double: Double = safetensors::load(FIXTURE).expect("the fixture loads as f64");
    assert_eq!(shallow.hidden, double.hidden);
    // Non-strict loading still needs every tensor the net reads.
    assert!(matches!(
        safetensors::load_non_strict::<Double>(FIXTURE, |layer| format!("layers.{layer}")),
        Err(Error::Missing(name)) if name == "layers.0.weight"
    ));
}
