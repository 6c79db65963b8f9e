//! A softmax classifier with cross-entropy: probabilities, a stable loss from the logits, and
//! training that reduces the loss.
use backprop_core::{Dense, network};

network! {
    /// Three classes from two features.
    pub struct Classifier {
        input: 2,
        hidden: dense(4, tanh),
        output: dense(3, softmax),
        loss: cross_entropy,
    }
}

fn main() {
    let mut net = Classifier {
        hidden: Dense {
            weights: [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2], [0.25, 0.25]],
            bias: [0.0, 0.1, -0.1, 0.05],
        },
        output: Dense {
            weights: [[0.2, -0.3, 0.1, 0.4], [-0.1, 0.2, 0.3, -0.2], [0.05, 0.1, -0.4, 0.3]],
            bias: [0.0, 0.0, 0.0],
        },
    };
    let input = [0.7, -1.2];
    let target = [0.0, 1.0, 0.0];

    let probabilities = net.forward(&input);
    assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    assert!(probabilities.iter().all(|&p| p > 0.0 && p < 1.0));
    // Cross-entropy of a one-hot target is minus the log of the probability of its class.
    let loss = net.loss(&input, &target);
    assert!((loss - -probabilities[1].ln()).abs() < 1e-14, "{loss} vs {}", -probabilities[1].ln());

    let first_loss = loss;
    for _ in 0..50 {
        let (_, gradient) = net.gradient(&input, &target);
        net.sgd_step(&gradient, 0.5);
    }
    let trained = net.loss(&input, &target);
    assert!(trained < first_loss / 10.0, "{first_loss} -> {trained}");
    assert!(net.forward(&input)[1] > 0.9);

    // Logits of +-1e4 would overflow e^z; the fused form stays finite.
    net.output.bias = [1e4, -1e4, 0.0];
    let (loss, gradient) = net.gradient(&input, &target);
    assert!(loss.is_finite() && loss > 9_000.0, "{loss}");
    assert!(gradient.output.weights.iter().flatten().all(|slope| slope.is_finite()));
}
