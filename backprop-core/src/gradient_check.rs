//! A built-in gradient check: the closed-form derivatives of any net against central finite
//! differences, so a user can guard a custom activation before trusting it with training.
//!
//! Every generated net has `check_gradient(&self, input, target)`, which calls [`check`].

#[allow(unused_imports, reason = "the trait of ZERO, from_f64 and to_f64")]
use crate::Number;
use crate::shape::Array;
use crate::{Network, Scalar};
use core::fmt;

/// What [`check`] found for one sample.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradientCheck {
    /// The largest relative difference between a closed-form derivative and its central finite
    /// difference, over the derivatives compared: about 1e-8 or less for a correct `f64` net
    /// (1e-3 for `f32`); above 1e-6 (`f64`) it points at a wrong derivative.
    pub largest_error: f64,
    /// How many derivatives (every parameter, then every input) were compared.
    pub checked: usize,
    /// How many were not compared because the finite-difference step crosses a kink, such as a
    /// ReLU whose pre-activation lies within the step of 0: there the loss has no derivative to
    /// approximate, and the central difference averages the two one-sided slopes.
    pub skipped_at_kinks: usize,
}

impl fmt::Display for GradientCheck {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "largest relative error {:e} over {} derivatives",
            self.largest_error, self.checked
        )?;
        if self.skipped_at_kinks > 0 {
            write!(
                formatter,
                "; {} skipped, their finite-difference step crossing a kink",
                self.skipped_at_kinks
            )?;
        }
        Ok(())
    }
}

/// Compares every closed-form derivative, of every parameter and every input, with the central
/// finite difference `(L(p + h) - L(p - h)) / 2h`.
///
/// The difference of derivatives `g` (closed form) and `d` (numeric) is measured as
/// `|g - d| / max(|g|, |d|, 1e-4)`: relative for derivatives of a useful size, and not blown up by
/// one that is zero up to rounding. The step is `h = c * max(1, |p|)`, with `c = 1e-5` for `f64`
/// (where a correct net scores about 1e-8 or better) and `c = 1e-2` for `f32` (about 1e-3: single
/// precision leaves little room). The arithmetic of the comparison is `f64`.
///
/// A derivative whose step crosses a kink (ReLU or leaky ReLU at 0, ELU at 0, absolute error
/// where the prediction meets the target, or a kink of a user's activation) is counted in
/// [`GradientCheck::skipped_at_kinks`] instead of compared. Such a step is recognised by the
/// closed-form derivative itself jumping inside it: its change over the whole step differs from
/// twice its change over the half step, which a smooth derivative's does not (up to a term in
/// `h^3`).
pub fn check<N: Network<Scalar: Scalar>>(
    net: &N,
    input: &N::Input,
    target: &N::Output,
) -> GradientCheck {
    let (_, gradient) = net.gradient(input, target);
    let mut probe = N::zeroed();
    for tensor in 0..N::TENSORS.len() {
        probe.tensor_mut(tensor).copy_from_slice(net.tensor(tensor));
    }
    let mut result = GradientCheck::default();
    for tensor in 0..N::TENSORS.len() {
        for index in 0..probe.tensor(tensor).len() {
            let compared = compare(
                probe.tensor(tensor)[index],
                gradient.tensor(tensor)[index],
                |value| {
                    probe.tensor_mut(tensor)[index] = value;
                    let (loss, at_value) = probe.gradient(input, target);
                    (loss, at_value.tensor(tensor)[index])
                },
            );
            result.record(compared);
        }
    }
    let input_gradient = net.input_gradient(input, target);
    let mut shifted = *input;
    for (index, &closed_form) in input_gradient.as_slice().iter().enumerate() {
        let compared = compare(input.as_slice()[index], closed_form, |value| {
            shifted.as_mut_slice()[index] = value;
            let derivative = net.input_gradient(&shifted, target).as_slice()[index];
            (net.loss(&shifted, target), derivative)
        });
        result.record(compared);
    }
    result
}

/// One derivative compared: its relative error, or `None` when the step crosses a kink.
type Compared = Option<f64>;

impl GradientCheck {
    fn record(&mut self, compared: Compared) {
        match compared {
            Some(error) => {
                self.checked += 1;
                self.largest_error = self.largest_error.max(error);
            }
            None => self.skipped_at_kinks += 1,
        }
    }
}

/// Compares the closed-form derivative at `p` with the central difference, where `at(v)` sets
/// the quantity to `v` and returns the loss and the closed-form derivative there; the quantity is
/// set back to `p` afterwards.
fn compare<T: Scalar>(parameter: T, closed_form: T, mut at: impl FnMut(T) -> (T, T)) -> Compared {
    let single = T::NAME == "f32";
    let scale = if single { 1e-2 } else { 1e-5 };
    let step = scale * parameter.to_f64().abs().max(1.0);
    let shifted = |by: f64| T::from_f64(parameter.to_f64() + by);
    let (above, below) = (shifted(step), shifted(-step));
    let (loss_above, derivative_above) = at(above);
    let (loss_below, derivative_below) = at(below);
    let (_, derivative_half_above) = at(shifted(step / 2.0));
    let (_, derivative_half_below) = at(shifted(-step / 2.0));
    at(parameter);
    let tolerance = if single { 1e-3 } else { 1e-6 };
    let derivatives = [
        derivative_below,
        derivative_half_below,
        derivative_half_above,
        derivative_above,
    ];
    if crosses_kink(derivatives.map(Number::to_f64), tolerance) {
        return None;
    }
    // The step actually taken, after rounding to the scalar type.
    let numeric = (loss_above.to_f64() - loss_below.to_f64()) / (above.to_f64() - below.to_f64());
    Some(relative_error(closed_form.to_f64(), numeric))
}

/// Whether the closed-form derivative jumps inside the step, from its values at `p - h`,
/// `p - h/2`, `p + h/2` and `p + h`. Across a smooth stretch the derivative's change over the
/// whole step is twice its change over the half step, up to a term in `h^3`; a jump `J` inside the
/// step is in both changes when it lies within `h/2` of `p` and in the outer one only when it lies
/// further out, so either way the two differ by `J`. It counts when `J` is large at the accuracy
/// of the check (`tolerance`, relative to the derivative's size): a jump too small to matter is
/// compared.
fn crosses_kink([below, half_below, half_above, above]: [f64; 4], tolerance: f64) -> bool {
    let jump = ((above - below) - 2.0 * (half_above - half_below)).abs();
    let size = [below, half_below, half_above, above]
        .into_iter()
        .fold(1e-4, |size, derivative| derivative.abs().max(size));
    jump > tolerance * size
}

fn relative_error(closed_form: f64, numeric: f64) -> f64 {
    let error = (closed_form - numeric).abs() / closed_form.abs().max(numeric.abs()).max(1e-4);
    // A NaN on either side is a failed check, not a pass.
    if error.is_nan() { f64::INFINITY } else { error }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::{GradientCheck, check, crosses_kink, relative_error};
    use crate::{Activation, Dense, Scalar, network};
    use std::format;
    use std::string::ToString;

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

    network! {
        struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
    }

    network! {
        struct Absolute { input: 1, output: dense(1, identity), loss: mean_absolute_error }
    }

    /// The notebook's net before its step.
    const NOTEBOOK: Notebook = Notebook {
        hidden: Dense {
            weights: [[1.0, 1.0], [0.5, -0.5]],
            bias: [0.5, 0.0],
        },
        output: Dense {
            weights: [[1.0, 1.0]],
            bias: [0.5],
        },
    };

    #[test]
    fn a_correct_net_passes_and_a_wrong_derivative_fails() {
        let good = Good::he_uniform(3);
        let result = good.check_gradient(&[0.4, -0.9], &[1.0]);
        assert!(result.largest_error < 1e-7, "{result}");
        assert_eq!((result.checked, result.skipped_at_kinks), (15, 0));
        let mut bad = Bad::zeroed();
        bad.hidden = good.hidden;
        bad.output = good.output;
        let result = bad.check_gradient(&[0.4, -0.9], &[1.0]);
        assert!(result.largest_error > 1e-2, "{result}");
        assert_eq!(result.skipped_at_kinks, 0);
        assert_eq!(
            check(&good, &[0.4, -0.9], &[1.0]),
            good.check_gradient(&[0.4, -0.9], &[1.0])
        );
    }

    #[test]
    fn f32_nets_check_to_single_precision() {
        let net = Single::xavier_uniform(5);
        let result = net.check_gradient(&[0.3, 0.7], &[0.0, 1.0]);
        assert!(result.largest_error < 1e-2, "{result}");
        assert_eq!(result.skipped_at_kinks, 0);
    }

    /// At the input `[0.4, -0.9]` the first hidden ReLU's pre-activation is exactly 0: a step of
    /// its weights, its bias or either input crosses the kink, and those five are skipped; the
    /// other six derivatives are exact.
    #[test]
    fn derivatives_across_a_relu_kink_are_skipped_and_counted() {
        let input = [0.4, -0.9];
        let z = NOTEBOOK.hidden.weights[0][0] * input[0]
            + NOTEBOOK.hidden.weights[0][1] * input[1]
            + NOTEBOOK.hidden.bias[0];
        assert_eq!(z.to_bits(), 0.0_f64.to_bits());
        let result = NOTEBOOK.check_gradient(&input, &[1.0]);
        assert_eq!(
            (result.checked, result.skipped_at_kinks),
            (6, 5),
            "{result}"
        );
        assert!(result.largest_error < 1e-9, "{result}");
        assert_eq!(
            result.to_string(),
            format!(
                "largest relative error {:e} over 6 derivatives; 5 skipped, their finite-difference step crossing a kink",
                result.largest_error
            )
        );
        // Away from the kink nothing is skipped.
        let away = NOTEBOOK.check_gradient(&[1.0, 0.0], &[2.0]);
        assert_eq!((away.checked, away.skipped_at_kinks), (11, 0), "{away}");
        assert!(away.largest_error < 1e-9, "{away}");
    }

    /// The absolute error has a kink where the prediction meets the target.
    #[test]
    fn the_kink_of_the_absolute_error_is_skipped() {
        let net = Absolute {
            output: Dense {
                weights: [[2.0]],
                bias: [1.0],
            },
        };
        let at_target = net.check_gradient(&[1.0], &[3.0]);
        assert_eq!(
            (at_target.checked, at_target.skipped_at_kinks),
            (0, 3),
            "{at_target}"
        );
        let away = net.check_gradient(&[1.0], &[5.0]);
        assert_eq!((away.checked, away.skipped_at_kinks), (3, 0), "{away}");
        assert!(away.largest_error < 1e-9, "{away}");
    }

    #[test]
    fn a_kink_is_a_change_over_the_step_not_twice_that_over_the_half_step() {
        // A jump within h/2 of p (in both changes) and beyond it (in the outer one only).
        assert!(crosses_kink([0.0, 0.0, 0.5, 0.5], 1e-6));
        assert!(crosses_kink([0.0, 0.0, 0.0, 0.5], 1e-6));
        // A jump at p, with the derivative's value there halfway (the absolute error's sign).
        assert!(crosses_kink([-1.0, -1.0, 1.0, 1.0], 1e-6));
        // A straight derivative, however steep, or one bending smoothly.
        assert!(!crosses_kink([1.0, 2.0, 4.0, 5.0], 1e-6));
        assert!(!crosses_kink(
            [4.0, 1.0, 1.0, 4.0].map(|x: f64| 1.0 + x * 1e-10),
            1e-6
        ));
        // A jump too small to matter at this accuracy.
        assert!(!crosses_kink([1.0, 1.0, 1.0, 1.0 + 1e-9], 1e-6));
        assert!(crosses_kink([1.0, 1.0, 1.0, 1.0 + 1e-5], 1e-6));
        // A constant derivative.
        assert!(!crosses_kink([0.0; 4], 1e-6));
        // Small derivatives are measured against the floor of 1e-4, and a jump must exceed the
        // tolerance there, not merely reach it.
        assert!(crosses_kink([0.0, 0.0, 0.0, 1e-5], 1e-6));
        assert!(!crosses_kink([0.0, 0.0, 0.0, 0.5e-4], 0.5));
    }

    #[test]
    #[allow(
        clippy::float_cmp,
        reason = "each value is one correctly rounded division, compared exactly"
    )]
    fn errors_are_relative_to_the_larger_derivative_above_a_floor() {
        assert_eq!(relative_error(2.0, 1.0), 0.5);
        assert_eq!(relative_error(-1.0, 3.0), 4.0 / 3.0);
        assert_eq!(relative_error(2e-5, 0.0), 0.2);
        assert_eq!(relative_error(f64::NAN, 1.0), f64::INFINITY);
    }

    network! {
        struct Offset { input: 1, output: dense(1, identity), loss: squared_error }
    }

    /// The step grows with the parameter: a fixed step of 1e-5 would vanish in the rounding of a
    /// weight of 1e12, leaving no difference to divide. (A quadratic loss, whose central
    /// differences are exact for any step.)
    #[test]
    fn the_step_is_relative_to_a_large_parameter() {
        let net = Offset {
            output: Dense {
                weights: [[1e12]],
                bias: [0.0],
            },
        };
        let result = net.check_gradient(&[1e-12], &[3.0]);
        assert_eq!(result.checked, 3, "{result}");
        assert!(result.largest_error < 1e-6, "{result}");
    }

    #[test]
    fn an_empty_result_reads_as_such() {
        assert_eq!(
            GradientCheck::default().to_string(),
            "largest relative error 0e0 over 0 derivatives"
        );
    }
}
