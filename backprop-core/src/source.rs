//! A trained net as Rust source (feature `std`): a `const` item with full-precision literals, to
//! paste into firmware, where the net then lives in flash and costs no RAM.
//!
//! Every generated net has `to_rust_source(&self, const_name)`, which calls [`to_rust_source`].

use crate::{Network, Scalar};
use core::fmt::Write;
use std::format;
use std::string::String;

/// `pub const NAME: crate::module::Type = crate::module::Type { layer: ::backprop_core::Dense {
/// weights: [...], bias: [...] }, ... };`, after a doc comment and
/// `#[allow(unused_qualifications)]`.
///
/// Every path is written in full, so the item compiles wherever it is pasted in the crate that
/// declares the net, with nothing imported: the net's type by its path from the crate root (from
/// `module_path`, the `module_path!()` where the net is declared, whose first segment, the crate's
/// name, becomes `crate`), `Dense` as `::backprop_core::Dense`. Each number is printed as the
/// shortest decimal that reads back as the same value (Rust's `{:?}` for floats), so the source
/// round-trips bit for bit; infinities and NaN are written as the scalar's constants.
pub fn to_rust_source<N: Network>(
    net: &N,
    const_name: &str,
    module_path: &str,
    type_name: &str,
    layer_names: &[&str],
) -> String {
    let type_path = type_path(module_path, type_name);
    // Documented, for crates that warn on `missing_docs`; the full paths may be more than the
    // paste site needs, which `unused_qualifications` would flag.
    let mut source = format!(
        "/// `{type_name}` with trained parameters, printed by `to_rust_source`.\n\
         #[allow(unused_qualifications)]\n\
         pub const {const_name}: {type_path} = {type_path} {{\n"
    );
    for (layer, (shape, name)) in N::LAYERS.iter().zip(layer_names).enumerate() {
        let rows: std::vec::Vec<String> = net
            .tensor(2 * layer)
            .chunks(shape.inputs.max(1))
            .map(|row| format!("[{}]", numbers(row)))
            .collect();
        let _ = write!(
            source,
            "    {name}: ::backprop_core::Dense {{\n        weights: [{}],\n        bias: [{}],\n    }},\n",
            rows.join(", "),
            numbers(net.tensor(2 * layer + 1))
        );
    }
    source + "};\n"
}

/// `crate::nets::Notebook` for the type `Notebook` declared in module `my_crate::nets`.
fn type_path(module_path: &str, type_name: &str) -> String {
    let within_crate = module_path.split_once("::").map_or("", |(_, rest)| rest);
    if within_crate.is_empty() {
        format!("crate::{type_name}")
    } else {
        format!("crate::{within_crate}::{type_name}")
    }
}

/// `a, b, c`, each as a literal that round-trips.
fn numbers<T: Scalar>(values: &[T]) -> String {
    let literals: std::vec::Vec<String> = values.iter().map(|&value| literal(value)).collect();
    literals.join(", ")
}

/// `0.1`, `1.0`, `1e-7`, or `::core::primitive::f64::INFINITY` and friends where no literal exists.
fn literal<T: Scalar>(value: T) -> String {
    match value.to_f64() {
        value if value.is_nan() => format!("::core::primitive::{}::NAN", T::NAME),
        f64::INFINITY => format!("::core::primitive::{}::INFINITY", T::NAME),
        f64::NEG_INFINITY => format!("::core::primitive::{}::NEG_INFINITY", T::NAME),
        _ => grouped(&format!("{value:?}")),
    }
}

/// `0.339_455_978_994_217_7`: digits in groups of three, as `clippy::unreadable_literal` asks of
/// code a reviewer reads (underscores do not change the value).
pub(crate) fn grouped(literal: &str) -> String {
    let (mantissa, exponent) = literal
        .split_once('e')
        .map_or((literal, None), |(m, e)| (m, Some(e)));
    let (sign, digits) = mantissa
        .strip_prefix('-')
        .map_or(("", mantissa), |digits| ("-", digits));
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let integer: std::vec::Vec<&str> = integer
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|chunk| core::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    let fraction: std::vec::Vec<&str> = fraction
        .as_bytes()
        .chunks(3)
        .map(|chunk| core::str::from_utf8(chunk).unwrap_or_default())
        .collect();
    let mut out = format!("{sign}{}", integer.join("_"));
    if !fraction.is_empty() {
        out = format!("{out}.{}", fraction.join("_"));
    }
    match exponent {
        Some(exponent) => format!("{out}e{exponent}"),
        None => out,
    }
}

/// Expands to its input when the `std` feature is on, to nothing otherwise: lets generated code
/// offer host-only methods without knowing the runtime's features.
#[doc(hidden)]
#[macro_export]
macro_rules! __if_std {
    ($($item:tt)*) => { $($item)* };
}

#[cfg(test)]
mod tests {
    use super::{literal, type_path};

    #[test]
    fn literals_round_trip() {
        // Rust ignores the underscores; `str::parse` does not accept them.
        let plain = |text: std::string::String| text.replace('_', "");
        let doubles = [
            0.1_f64,
            1.0,
            -0.5,
            1e-300,
            123_456.789,
            f64::MIN_POSITIVE,
            -0.0,
            -0.339_455_978_994_217_7,
        ];
        for value in doubles {
            let text = plain(literal(value));
            assert_eq!(
                text.parse::<f64>().map(f64::to_bits),
                Ok(value.to_bits()),
                "{text}"
            );
        }
        for value in [0.1_f32, 3.3, -1e-30, f32::MAX] {
            let text = plain(literal(value));
            assert_eq!(
                text.parse::<f32>().map(f32::to_bits),
                Ok(value.to_bits()),
                "{text}"
            );
        }
        assert_eq!(
            literal(-0.339_455_978_994_217_7_f64),
            "-0.339_455_978_994_217_7"
        );
        assert_eq!(literal(123_456.5_f64), "123_456.5");
        assert_eq!(literal(1.5e-300_f64), "1.5e-300");
        assert_eq!(literal(f64::INFINITY), "::core::primitive::f64::INFINITY");
        assert_eq!(literal(f32::NAN), "::core::primitive::f32::NAN");
    }

    #[test]
    fn the_type_is_named_from_the_crate_root() {
        assert_eq!(type_path("my_crate", "Net"), "crate::Net");
        assert_eq!(
            type_path("my_crate::nets::small", "Net"),
            "crate::nets::small::Net"
        );
    }
}
