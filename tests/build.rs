//! Writes the random architectures that `tests/architectures.rs` checks: seeded, so they are the
//! same on every build, and spread so that every activation, every loss and every valid pairing of
//! a loss with an output activation occurs, in both forms (unrolled and looped).
//!
//! For each architecture it writes a `network!` invocation and a row of the table that describes
//! it to the test's reference implementation: `$OUT_DIR/architectures.rs`.

use std::fmt::Write as _;
use std::path::Path;

/// How many architectures: enough to pair every loss with every output activation it accepts,
/// few enough to compile in seconds.
const COUNT: usize = 60;

/// Activations for hidden layers, with the test's description of each.
const HIDDEN: [(&str, &str); 11] = [
    ("identity", "Act::Identity"),
    ("relu", "Act::Relu"),
    ("leaky_relu", "Act::LeakyRelu(0.01)"),
    ("leaky_relu(0.2)", "Act::LeakyRelu(0.2)"),
    ("elu", "Act::Elu(1.0)"),
    ("elu(0.5)", "Act::Elu(0.5)"),
    ("sigmoid", "Act::Sigmoid"),
    ("tanh", "Act::Tanh"),
    ("softplus", "Act::Softplus"),
    ("silu", "Act::Silu"),
    ("gelu", "Act::Gelu"),
];

/// Each loss with the output activations it accepts (`check_loss_fits_output`): the regression
/// losses take any activation, softmax included; the cross-entropies a probability.
fn outputs(loss: &str) -> Vec<(&'static str, &'static str)> {
    let softmax = ("softmax", "Act::Softmax");
    let sigmoid = ("sigmoid", "Act::Sigmoid");
    match loss {
        "binary_cross_entropy" => vec![sigmoid],
        "cross_entropy" => vec![softmax],
        _ => HIDDEN.iter().copied().chain([softmax]).collect(),
    }
}

const LOSSES: [(&str, &str); 7] = [
    ("squared_error", "Loss::SquaredError"),
    ("mean_squared_error", "Loss::MeanSquaredError"),
    ("mean_absolute_error", "Loss::MeanAbsoluteError"),
    ("huber", "Loss::Huber(1.0)"),
    ("huber(0.3)", "Loss::Huber(0.3)"),
    ("binary_cross_entropy", "Loss::BinaryCrossEntropy"),
    ("cross_entropy", "Loss::CrossEntropy"),
];

/// `SplitMix64`.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        usize::try_from(z % bound as u64).expect("below a usize")
    }

    /// Uniform in `1..=8`.
    fn width(&mut self) -> usize {
        1 + self.below(8)
    }
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let mut random = Random(0x6172_6368_6974_6563);
    let mut code = String::from("// Written by build.rs: random architectures, seeded.\n\n");
    let mut table = String::from("/// Every architecture, described for the reference.\n");
    table.push_str("const ARCHITECTURES: &[Architecture] = &[\n");
    // Which output activation comes next, for the regression losses (together, so that every
    // activation comes up with several of them) and for each cross-entropy.
    let mut next_output = [0usize; LOSSES.len()];
    for index in 0..COUNT {
        let loss_index = index % LOSSES.len();
        let (loss, loss_description) = LOSSES[loss_index];
        let choices = outputs(loss.split('(').next().expect("a name"));
        let counter = if choices.len() > 2 { 0 } else { loss_index };
        let (output, output_description) = choices[next_output[counter] % choices.len()];
        next_output[counter] += 1;
        let depth = 1 + random.below(4);
        let inputs = random.width();
        let looped = index % 3 == 2;
        let name = format!("Arch{index}");
        let mut spec = String::new();
        if looped {
            spec.push_str("form: looped, ");
        }
        write!(spec, "input: {inputs}, ").expect("write to a string");
        let mut layers = String::new();
        let mut last_width = 0;
        for layer in 0..depth {
            let width = random.width();
            let (activation, description) = if layer + 1 == depth {
                (output, output_description)
            } else {
                HIDDEN[(index + layer * 5 + random.below(3)) % HIDDEN.len()]
            };
            last_width = width;
            write!(spec, "l{layer}: dense({width}, {activation}), ").expect("write to a string");
            write!(layers, "({width}, {description}), ").expect("write to a string");
        }
        write!(spec, "loss: {loss}").expect("write to a string");
        writeln!(code, "network! {{ struct {name} {{ {spec} }} }}").expect("write to a string");
        writeln!(
            table,
            "    Architecture {{ name: \"{name}\", spec: \"{spec}\", inputs: {inputs}, layers: &[{layers}], \
             loss: {loss_description}, gradient: generated_gradient::<{name}, {inputs}, {last_width}>, \
             loss_at: generated_loss::<{name}, {inputs}, {last_width}> }},"
        )
        .expect("write to a string");
    }
    table.push_str("];\n");
    code.push('\n');
    code.push_str(&table);
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("architectures.rs"), code)
        .expect("write the architectures");
}
