//! Trains a 2-4-1 net on XOR: Xavier-initialised with a seed, full-batch Adam on the four samples
//! (`batch_gradient`, then `Optimizer::step`) until the mean loss is under 0.01; then prints its
//! four predictions, its accuracy, the wall time and where the loss curve went.

use backprop_core::fit::LossCurve;
use backprop_core::network;
use backprop_core::optim::{Adam, Optimizer};
use backprop_examples::{plot, print_wall_time};
use std::time::Instant;

network! {
    /// XOR: two tanh hidden nodes would do; four make training quick and reliable.
    pub struct Xor {
        input: 2,
        hidden: dense(4, tanh),
        output: dense(1, sigmoid),
        loss: binary_cross_entropy,
    }
}

const INPUTS: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
const TARGETS: [[f64; 1]; 4] = [[0.0], [1.0], [1.0], [0.0]];
const MAX_EPOCHS: usize = 5_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let start = Instant::now();
    let mut net = Xor::xavier_uniform(3);
    let mut adam = Adam::new(0.05);
    let mut curve = LossCurve::new();
    loop {
        let (loss, gradient) = net.batch_gradient(&INPUTS, &TARGETS);
        curve.push(loss, None);
        if loss < 0.01 {
            break;
        }
        assert!(
            curve.train().len() < MAX_EPOCHS,
            "XOR did not train: mean loss {loss} after {MAX_EPOCHS} epochs"
        );
        adam.step(&mut net, &gradient);
    }
    // A 1-wide output: class 1 when the output is over 0.5.
    let labels = TARGETS.map(|[target]| usize::from(target > 0.5));
    let correct = INPUTS
        .iter()
        .zip(labels)
        .filter(|&(input, label)| usize::from(net.forward(input)[0] > 0.5) == label)
        .count();
    let path = plot::path("xor");
    curve.write_svg(&path, "xor: 2-4-1, Adam, full batch", ["mean loss", ""])?;
    let losses = curve.train();
    println!(
        "mean loss {:.5} after {} full-batch Adam steps",
        losses[losses.len() - 1],
        losses.len() - 1
    );
    for (input, target) in INPUTS.iter().zip(TARGETS) {
        println!(
            "xor({}, {}) = {:.4} (target {})",
            input[0],
            input[1],
            net.forward(input)[0],
            target[0]
        );
    }
    println!("correct: {correct}/4");
    println!("loss curve: {}", path.display());
    print_wall_time(start);
    assert_eq!(correct, 4, "XOR is not solved");
    Ok(())
}
