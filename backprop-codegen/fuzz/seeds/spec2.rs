pub(crate) struct Classifier { scalar: f32, input: 4, hidden: dense(8, tanh), output: dense(3, softmax), loss: cross_entropy }
