//! An f32 net computes what the same f64 net computes, to f32 precision.
use backprop_core::{Dense, network};

network! {
    struct Single {
        scalar: f32,
        input: 3,
        hidden: dense(4, sigmoid),
        output: dense(2, identity),
        loss: mean_squared_error,
    }
}

network! {
    struct Double {
        scalar: f64,
        input: 3,
        hidden: dense(4, sigmoid),
        output: dense(2, identity),
        loss: mean_squared_error,
    }
}

fn main() {
    let hidden_weights = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.25, -0.5, 0.75]];
    let output_weights = [[0.3, -0.1, 0.2, 0.4], [-0.2, 0.3, 0.1, -0.5]];
    let single = Single {
        hidden: Dense { weights: hidden_weights.map(|row| row.map(|w: f64| w as f32)), bias: [0.1, 0.0, -0.1, 0.2] },
        output: Dense { weights: output_weights.map(|row| row.map(|w: f64| w as f32)), bias: [0.0, 0.5] },
    };
    let double = Double {
        hidden: Dense { weights: hidden_weights, bias: [0.1, 0.0, -0.1, 0.2] },
        output: Dense { weights: output_weights, bias: [0.0, 0.5] },
    };
    assert_eq!(core::mem::size_of::<Single>(), Single::PARAMETERS * 4);

    let (loss32, gradient32) = single.gradient(&[1.0, -0.5, 0.25], &[0.3, -0.2]);
    let (loss64, gradient64) = double.gradient(&[1.0, -0.5, 0.25], &[0.3, -0.2]);
    assert!((f64::from(loss32) - loss64).abs() < 1e-6 * loss64.abs().max(1.0));
    let pairs = gradient32.hidden.weights.iter().flatten().zip(gradient64.hidden.weights.iter().flatten());
    for (&slope32, &slope64) in pairs {
        assert!((f64::from(slope32) - slope64).abs() < 1e-6, "{slope32} vs {slope64}");
    }
}
