//! A built-in gradient check: the closed-form derivatives of any net against central finite
//! differences, so a user can guard a custom activation before trusting it with training.
//!
//! Every generated net has `check_gradient(&self, input, target)`, which calls [`largest_error`].

use crate::{Network, Scalar};

/// The largest relative difference between the closed-form derivative and the central finite
/// difference `(L(p + h) - L(p - h)) / 2h`, over every parameter and every input.
///
/// The difference of derivatives `g` (closed form) and `d` (numeric) is measured as
/// `|g - d| / max(|g|, |d|, 1e-4)`: relative for derivatives of a useful size, and not blown up by
/// one that is zero up to rounding. The step is `h = c * max(1, |p|)`, with `c = 1e-5` for `f64`
/// (where a correct net scores about 1e-8 or better) and `c = 1e-2` for `f32` (about 1e-3: single
/// precision leaves little room). The arithmetic of the comparison is `f64`. Away from kinks (ReLU
/// at 0, absolute error at 0), a result above 1e-6 (`f64`) points at a wrong derivative.
pub fn largest_error<N: Network>(net: &N, input: &N::Input, target: &N::Output) -> f64 {
    let (_, gradient) = net.gradient(input, target);
    let mut probe = N::zeroed();
    for tensor in 0..N::TENSORS {
        probe.tensor_mut(tensor).copy_from_slice(net.tensor(tensor));
    }
    let mut largest: f64 = 0.0;
    for tensor in 0..N::TENSORS {
        for index in 0..probe.tensor(tensor).len() {
            let numeric = central_difference(probe.tensor(tensor)[index], |value| {
                probe.tensor_mut(tensor)[index] = value;
                probe.loss(input, target)
            });
            largest = largest.max(relative_error(
                gradient.tensor(tensor)[index].to_f64(),
                numeric,
            ));
        }
    }
    let input_gradient = net.input_gradient(input, target);
    let mut shifted = *input;
    for (index, &closed_form) in input_gradient.as_ref().iter().enumerate() {
        let numeric = central_difference(input.as_ref()[index], |value| {
            shifted.as_mut()[index] = value;
            net.loss(&shifted, target)
        });
        largest = largest.max(relative_error(closed_form.to_f64(), numeric));
    }
    largest
}

/// `(L(p + h) - L(p - h)) / 2h`, where `loss_at(v)` evaluates the loss with the parameter set to
/// `v`; the parameter is set back to `p` afterwards.
fn central_difference<T: Scalar>(parameter: T, mut loss_at: impl FnMut(T) -> T) -> f64 {
    let scale = if T::NAME == "f32" { 1e-2 } else { 1e-5 };
    let step = scale * parameter.to_f64().abs().max(1.0);
    let (above, below) = (
        T::from_f64(parameter.to_f64() + step),
        T::from_f64(parameter.to_f64() - step),
    );
    let difference = loss_at(above).to_f64() - loss_at(below).to_f64();
    loss_at(parameter);
    // The step actually taken, after rounding to the scalar type.
    difference / (above.to_f64() - below.to_f64())
}

fn relative_error(closed_form: f64, numeric: f64) -> f64 {
    let error = (closed_form - numeric).abs() / closed_form.abs().max(numeric.abs()).max(1e-4);
    // A NaN on either side is a failed check, not a pass.
    if error.is_nan() { f64::INFINITY } else { error }
}

#[cfg(test)]
mod tests {
    use super::largest_error;
    use crate::{Activation, Scalar, network};

    /// A wrong derivative, on purpose: `tanh` with the derivative of the identity.
    struct WrongTanh;

    impl<T: Scalar> Activation<T> for WrongTanh {
        fn value(z: T) -> T {
            z.tanh()
        }

        fn derivative(_z: T, _value: T) -> T {
            T::ONE
        }
    }

    network! {
        struct Good { input: 2, hidden: dense(3, tanh), output: dense(1, sigmoid), loss: binary_cross_entropy }
    }

    network! {
        struct Bad { input: 2, hidden: dense(3, WrongTanh), output: dense(1, sigmoid), loss: binary_cross_entropy }
    }

    network! {
        struct Single { scalar: f32, input: 2, hidden: dense(3, tanh), output: dense(2, softmax), loss: cross_entropy }
    }

    #[test]
    fn a_correct_net_passes_and_a_wrong_derivative_fails() {
        let good = Good::he_uniform(3);
        let error = good.check_gradient(&[0.4, -0.9], &[1.0]);
        assert!(error < 1e-7, "{error}");
        let mut bad = Bad::zeroed();
        bad.hidden = good.hidden;
        bad.output = good.output;
        let error = bad.check_gradient(&[0.4, -0.9], &[1.0]);
        assert!(error > 1e-2, "{error}");
        let direct = largest_error(&good, &[0.4, -0.9], &[1.0]);
        assert_eq!(
            direct.to_bits(),
            good.check_gradient(&[0.4, -0.9], &[1.0]).to_bits()
        );
    }

    #[test]
    fn f32_nets_check_to_single_precision() {
        let net = Single::xavier_uniform(5);
        let error = net.check_gradient(&[0.3, 0.7], &[0.0, 1.0]);
        assert!(error < 1e-2, "{error}");
    }
}
