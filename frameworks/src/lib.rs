//! backprop against the frameworks a user would pick instead: dfdx, candle and burn (Flex CPU
//! backend, with autodiff), on the same three nets, the same initial weights, the same data and
//! the same step.
//!
//! Every framework is driven through [`Trainer`]: built from one of our nets (its weights copied
//! in), it runs the forward pass or one training step (forward with its tape, loss, backward,
//! SGD update) on a batch converted to its tensors once, and hands its weights back in our
//! layout so [`agree`] can compare the new weights with ours.

use backprop_core::shape::Array;
use backprop_core::{Dense, Network, Number, network};

#[cfg(feature = "burn")]
pub mod burn;
#[cfg(feature = "candle")]
pub mod candle;
#[cfg(feature = "dfdx")]
pub mod dfdx;
pub mod ours;
pub mod signal;

network! {
    /// The 2-2-1 ReLU net of the notebook, `f64`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Notebook {
        scalar: f64,
        input: 2,
        hidden: dense(2, relu),
        output: dense(1, relu),
        loss: squared_error,
    }
}

network! {
    /// A 64-32-32-1 tanh regression net, `f32`, identity output, mean squared error.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Regression {
        scalar: f32,
        input: 64,
        first: dense(32, tanh),
        second: dense(32, tanh),
        output: dense(1, identity),
        loss: mean_squared_error,
    }
}

network! {
    /// A 784-128-10 classifier, `f32`: ReLU hidden layer, softmax output, cross-entropy.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Classifier {
        scalar: f32,
        input: 784,
        hidden: dense(128, relu),
        output: dense(10, softmax),
        loss: cross_entropy,
    }
}

/// The output activation of a case, and with it the loss the frameworks compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// ReLU layers, `sum (y - t)^2` (the notebook).
    Notebook,
    /// tanh hidden layers, identity output, mean squared error.
    Regression,
    /// ReLU hidden layer, softmax output, cross-entropy (from the logits, against class labels).
    Classifier,
}

/// One benchmark case: a net with its initial weights, a batch, and the learning rate.
#[derive(Debug, Clone)]
pub struct Case<N: Network> {
    /// `notebook`, `regression/1`, `classifier/64`, ...
    pub name: String,
    /// Which net.
    pub kind: Kind,
    /// The initial weights (boxed: the classifier is 407 KB).
    pub net: Box<N>,
    /// The batch's inputs.
    pub inputs: Vec<N::Input>,
    /// The batch's targets (one-hot for the classifier).
    pub targets: Vec<N::Output>,
    /// The SGD learning rate.
    pub learning_rate: f64,
}

impl<N: Network> Case<N> {
    /// The batch size.
    pub fn batch(&self) -> usize {
        self.inputs.len()
    }

    /// The class of each target: the index of its largest entry.
    pub fn labels(&self) -> Vec<usize> {
        self.targets
            .iter()
            .map(|target| {
                let target = target.as_slice();
                (0..target.len())
                    .max_by(|&a, &b| target[a].to_f64().total_cmp(&target[b].to_f64()))
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The inputs, row after row.
    pub fn flat_inputs(&self) -> Vec<N::Scalar> {
        self.inputs
            .iter()
            .flat_map(|x| x.as_slice().iter().copied())
            .collect()
    }

    /// The targets, row after row.
    pub fn flat_targets(&self) -> Vec<N::Scalar> {
        self.targets
            .iter()
            .flat_map(|t| t.as_slice().iter().copied())
            .collect()
    }
}

use backprop_core::Scalar;

/// The notebook's net and sample: input (1, 0), target 2, SGD 0.01.
pub fn notebook() -> Case<Notebook> {
    Case {
        name: "notebook".into(),
        kind: Kind::Notebook,
        net: Box::new(Notebook {
            hidden: Dense {
                weights: [[1.0, 1.0], [0.5, -0.5]],
                bias: [0.5, 0.0],
            },
            output: Dense {
                weights: [[1.0, 1.0]],
                bias: [0.5],
            },
        }),
        inputs: vec![[1.0, 0.0]],
        targets: vec![[2.0]],
        learning_rate: 0.01,
    }
}

/// A small deterministic generator (xorshift64*), so every framework sees the same numbers.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// Uniform in `[0, 1)`, 24 bits, so exact in `f32`.
    pub fn uniform(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40;
        #[allow(clippy::cast_precision_loss)]
        let value = bits as f32 / (1u64 << 24) as f32;
        value
    }
}

/// Biases that are not zero, so the check covers them: small values from `rng`.
fn small_biases<N: Network>(net: &mut N, rng: &mut Rng) {
    for (tensor, info) in N::TENSORS.iter().enumerate() {
        if !info.bias {
            continue;
        }
        for bias in net.tensor_mut(tensor) {
            *bias = N::Scalar::from_f64(f64::from(rng.uniform() - 0.5) * 0.2);
        }
    }
}

/// The 64-32-32-1 tanh net, Xavier-uniform weights (seed 1), on `batch` samples of
/// `sin(sum of the inputs)` with inputs in [-1, 1); SGD 0.01.
pub fn regression(batch: usize) -> Case<Regression> {
    let mut net = Box::new(Regression::xavier_uniform(1));
    let mut rng = Rng::new(11);
    small_biases(net.as_mut(), &mut rng);
    let inputs: Vec<[f32; 64]> = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform() * 2.0 - 1.0))
        .collect();
    let targets = inputs
        .iter()
        .map(|x| [x.iter().sum::<f32>().sin()])
        .collect();
    Case {
        name: format!("regression/{batch}"),
        kind: Kind::Regression,
        net,
        inputs,
        targets,
        learning_rate: 0.01,
    }
}

/// The 784-128-10 classifier, He-uniform weights (seed 2), on `batch` samples of "pixels" in
/// [0, 1) with one-hot targets of class `k mod 10`; SGD 0.01.
pub fn classifier(batch: usize) -> Case<Classifier> {
    let mut net = Box::new(Classifier::he_uniform(2));
    let mut rng = Rng::new(22);
    small_biases(net.as_mut(), &mut rng);
    let inputs = (0..batch)
        .map(|_| core::array::from_fn(|_| rng.uniform()))
        .collect();
    let targets = (0..batch)
        .map(|k| core::array::from_fn(|class| if class == k % 10 { 1.0 } else { 0.0 }))
        .collect();
    Case {
        name: format!("classifier/{batch}"),
        kind: Kind::Classifier,
        net,
        inputs,
        targets,
        learning_rate: 0.01,
    }
}

/// One dense layer's parameters in our layout: `weights[j * inputs + i]` multiplies input `i` of
/// node `j`.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer<T> {
    /// Number of inputs.
    pub inputs: usize,
    /// Number of nodes.
    pub outputs: usize,
    /// `outputs x inputs`, row by row.
    pub weights: Vec<T>,
    /// `outputs`.
    pub bias: Vec<T>,
}

impl<T: Copy> Layer<T> {
    /// The weights as `inputs x outputs`, row by row (burn's layout, `y = x W + b`).
    pub fn transposed(&self) -> Vec<T> {
        (0..self.inputs)
            .flat_map(|i| (0..self.outputs).map(move |j| self.weights[j * self.inputs + i]))
            .collect()
    }

    /// A layer from weights given as `inputs x outputs`, row by row.
    pub fn from_transposed(inputs: usize, outputs: usize, weights: &[T], bias: Vec<T>) -> Self {
        let weights = (0..outputs)
            .flat_map(|j| (0..inputs).map(move |i| weights[i * outputs + j]))
            .collect();
        Self {
            inputs,
            outputs,
            weights,
            bias,
        }
    }
}

/// A net's layers, in order.
pub fn layers<N: Network>(net: &N) -> Vec<Layer<N::Scalar>> {
    // Dense layers only: each a weights tensor `[outputs, inputs]`, then its bias.
    (0..N::TENSORS.len() / 2)
        .map(|l| {
            let (weights, bias) = (net.tensor(2 * l).to_vec(), net.tensor(2 * l + 1).to_vec());
            Layer {
                inputs: weights.len() / bias.len(),
                outputs: bias.len(),
                weights,
                bias,
            }
        })
        .collect()
}

/// Every parameter, in our flat order (layer by layer, weights row by row, then the bias).
pub fn flatten<T: Copy>(layers: &[Layer<T>]) -> Vec<T> {
    layers
        .iter()
        .flat_map(|l| l.weights.iter().chain(&l.bias).copied())
        .collect()
}

/// What a framework (or we) can do with a case.
pub trait Trainer {
    /// `f32` or `f64`.
    type Scalar: Scalar;
    /// The outputs for the batch, row after row (after the softmax for the classifier).
    fn forward(&mut self) -> Vec<Self::Scalar>;
    /// One training step on the batch (gradient of the mean loss, SGD update); the loss before
    /// it.
    fn step(&mut self) -> Self::Scalar;
    /// The current weights, in our layout.
    fn layers(&self) -> Vec<Layer<Self::Scalar>>;
}

/// How a framework's weights after one step compare with ours.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// The case.
    pub case: String,
    /// The framework.
    pub framework: &'static str,
    /// The loss before the step, ours and theirs.
    pub loss: (f64, f64),
    /// The largest `|theirs - ours|` over the outputs of the forward pass, before the step.
    pub forward_max_abs: f64,
    /// The largest `|theirs - ours|` over the new parameters.
    pub max_abs: f64,
    /// The largest `|theirs - ours|` in `f32` ulps at the scale of its tensor (the ulp of the
    /// largest parameter of that layer's weights, or bias): at most 1 or 2 means equal to `f32`
    /// rounding.
    pub max_ulps: f64,
    /// The largest difference of the update `new - old`, relative to the largest update: how
    /// closely the gradients themselves agree.
    pub update_rel: f64,
    /// The number of parameters.
    pub parameters: usize,
}

impl Agreement {
    /// Equal to `f32` rounding: every new parameter within 2 `f32` ulps of ours at its tensor's
    /// scale (`f32` ulps also for the `f64` notebook), the updates within 1e-4 of the largest
    /// update, the losses within 1e-5 (relative), and the forward outputs within 1e-5.
    pub fn ok(&self) -> bool {
        self.max_ulps <= 2.0
            && self.update_rel <= 1e-4
            && (self.loss.0 - self.loss.1).abs() <= 1e-5 * self.loss.0.abs().max(1.0)
            && self.forward_max_abs <= 1e-5
    }
}

/// The `f32` ulp at `x`.
fn ulp_f32(x: f64) -> f64 {
    #[allow(clippy::cast_possible_truncation)]
    let x = (x as f32).abs();
    let next = f32::from_bits(x.to_bits() + 1);
    f64::from(next - x)
}

/// Runs one step of `theirs` and one of ours from the same case and compares the new weights.
pub fn agree<N, T>(case: &Case<N>, framework: &'static str, mut theirs: T) -> Agreement
where
    N: Network<Scalar: Scalar> + Clone,
    T: Trainer<Scalar = N::Scalar>,
    ours::Ours<N>: Trainer<Scalar = N::Scalar>,
{
    let before = layers(case.net.as_ref());
    let mut ours = ours::Ours::new(case);
    let forward_max_abs = ours
        .forward()
        .iter()
        .zip(&theirs.forward())
        .fold(0.0f64, |m, (o, t)| m.max((o.to_f64() - t.to_f64()).abs()));
    let our_loss = ours.step().to_f64();
    let their_loss = theirs.step().to_f64();
    let (ours, theirs) = (ours.layers(), theirs.layers());
    assert_eq!(
        flatten(&ours).len(),
        flatten(&theirs).len(),
        "{framework}: parameter count"
    );
    let mut max_abs = 0.0f64;
    let mut max_ulps = 0.0f64;
    let mut max_update = 0.0f64;
    let mut max_update_diff = 0.0f64;
    let tensors = |layers: &[Layer<N::Scalar>]| -> Vec<Vec<f64>> {
        layers
            .iter()
            .flat_map(|l| [&l.weights, &l.bias])
            .map(|t| t.iter().map(|x| x.to_f64()).collect())
            .collect()
    };
    let (before, ours, theirs) = (tensors(&before), tensors(&ours), tensors(&theirs));
    for ((b, o), t) in before.iter().zip(&ours).zip(&theirs) {
        let scale = ulp_f32(
            o.iter()
                .fold(f64::from(f32::MIN_POSITIVE), |m, x| m.max(x.abs())),
        );
        for ((b, o), t) in b.iter().zip(o).zip(t) {
            let diff = (t - o).abs();
            max_abs = max_abs.max(diff);
            max_ulps = max_ulps.max(diff / scale);
            max_update = max_update.max((o - b).abs());
            max_update_diff = max_update_diff.max(((t - b) - (o - b)).abs());
        }
    }
    Agreement {
        case: case.name.clone(),
        framework,
        loss: (our_loss, their_loss),
        forward_max_abs,
        max_abs,
        max_ulps,
        update_rel: if max_update == 0.0 {
            max_update_diff
        } else {
            max_update_diff / max_update
        },
        parameters: ours.iter().map(Vec::len).sum(),
    }
}

/// The comparison for every case and every framework compiled in.
pub fn agreements() -> Vec<Agreement> {
    let mut rows = Vec::new();
    let notebook = notebook();
    let regressions = [regression(1), regression(64)];
    let classifiers = [classifier(1), classifier(64)];
    #[cfg(feature = "dfdx")]
    {
        rows.push(agree(&notebook, "dfdx", dfdx::notebook(&notebook)));
        for case in &regressions {
            rows.push(agree(case, "dfdx", dfdx::regression(case)));
        }
        for case in &classifiers {
            rows.push(agree(case, "dfdx", dfdx::classifier(case)));
        }
    }
    #[cfg(feature = "candle")]
    {
        rows.push(agree(&notebook, "candle", candle::Candle::new(&notebook)));
        for case in &regressions {
            rows.push(agree(case, "candle", candle::Candle::new(case)));
        }
        for case in &classifiers {
            rows.push(agree(case, "candle", candle::Candle::new(case)));
        }
    }
    #[cfg(feature = "burn")]
    {
        rows.push(agree(&notebook, "burn", burn::Burn::new(&notebook)));
        for case in &regressions {
            rows.push(agree(case, "burn", burn::Burn::new(case)));
        }
        for case in &classifiers {
            rows.push(agree(case, "burn", burn::Burn::new(case)));
        }
    }
    let _ = (&notebook, &regressions, &classifiers);
    rows
}
