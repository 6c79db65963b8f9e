/// The notebook's net.
#[derive(Debug, Clone, PartialEq)]
pub struct Notebook {
    scalar: f64,
    input: 2,
    hidden: dense(2, relu),
    output: dense(1, relu),
    loss: squared_error,
}
