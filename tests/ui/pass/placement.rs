//! Nets work wherever items do: two in one module, inside a function body, inside a
//! `macro_rules!` expansion that supplies the name and the widths, with any visibility.
use backprop_core::network;

network! {
    pub(crate) struct First { input: 2, output: dense(1, sigmoid), loss: binary_cross_entropy }
}

network! {
    struct Second { input: 1, hidden: dense(3, gelu), output: dense(2, softmax), loss: cross_entropy }
}

macro_rules! declare {
    ($name:ident, $inputs:literal, $width:literal) => {
        network! {
            struct $name { input: $inputs, hidden: dense($width, elu(0.5)), output: dense(1, identity), loss: huber(2.0) }
        }
    };
}

declare!(FromMacro, 3, 5);

fn main() {
    network! {
        struct Local { input: 1, output: dense(1, identity), loss: mean_absolute_error }
    }
    let mut local = Local::zeroed();
    local.output.weights = [[2.0]];
    assert_eq!(local.forward(&[3.0]), [6.0]);
    assert_eq!(First::zeroed().forward(&[1.0, 2.0]), [0.5]);
    assert_eq!(Second::zeroed().forward(&[1.0]), [0.5, 0.5]);
    assert_eq!(FromMacro::PARAMETERS, 3 * 5 + 5 + 5 + 1);
    assert_eq!(FromMacro::zeroed().loss(&[1.0, 2.0, 3.0], &[1.0]), 0.5);
}
