//! A trained net as Rust source (feature `std`): a `const` item with full-precision literals, to
//! paste into firmware, where the net then lives in flash and costs no RAM.
//!
//! Every generated net has `to_rust_source(&self, const_name)`, which calls [`to_rust_source`]
//! with each of its layers; each layer type prints itself ([`Source`], in the layer's own module).

use crate::Number;
use core::fmt::{self, Write};
use std::format;
use std::string::String;

/// A value that prints itself as a Rust expression which reads back bit for bit, every path
/// written in full (`::backprop_core::Dense { weights: [..], bias: [..] }`).
pub trait Source {
    /// Writes the expression.
    ///
    /// # Errors
    /// When `out` does.
    fn write_source(&self, out: &mut dyn Write) -> fmt::Result;
}

/// `pub const NAME: crate::module::Type = crate::module::Type { layer: ..., ... };`, after a doc
/// comment and `#[allow(unused_qualifications)]`, each layer printed by its type's [`Source`].
///
/// Every path is written in full, so the item compiles wherever it is pasted in the crate that
/// declares the net, with nothing imported: the net's type by its path from the crate root (from
/// `module_path`, the `module_path!()` where the net is declared, whose first segment, the crate's
/// name, becomes `crate`), the layers' types as `::backprop_core::Dense` and the like. Each number
/// is printed as the shortest decimal that reads back as the same value (Rust's `{:?}`), so the
/// source round-trips bit for bit; infinities and NaN are written as the scalar's constants.
pub fn to_rust_source(
    const_name: &str,
    module_path: &str,
    type_name: &str,
    layers: &[(&str, &dyn Source)],
) -> String {
    let mut source = header(const_name, module_path, type_name);
    for (name, layer) in layers {
        field(&mut source, name, *layer);
    }
    source + "};\n"
}

/// [`to_rust_source`] of an int8 net: its input's quantisation, its layers, its output's.
pub fn to_rust_source_int8(
    const_name: &str,
    module_path: &str,
    type_name: &str,
    input_quantization: &dyn Source,
    layers: &[(&str, &dyn Source)],
    output_quantization: &dyn Source,
) -> String {
    let mut source = header(const_name, module_path, type_name);
    field(&mut source, "input_quantization", input_quantization);
    for (name, layer) in layers {
        field(&mut source, name, *layer);
    }
    field(&mut source, "output_quantization", output_quantization);
    source + "};\n"
}

/// The doc comment, the attribute and `pub const NAME: Type = Type {`.
fn header(const_name: &str, module_path: &str, type_name: &str) -> String {
    let type_path = type_path(module_path, type_name);
    // Documented, for crates that warn on `missing_docs`; the full paths may be more than the
    // paste site needs, which `unused_qualifications` would flag.
    format!(
        "/// `{type_name}` with trained parameters, printed by `to_rust_source`.\n\
         #[allow(unused_qualifications)]\n\
         pub const {const_name}: {type_path} = {type_path} {{\n"
    )
}

/// `    name: <source>,\n`.
fn field(source: &mut String, name: &str, value: &dyn Source) {
    let _ = write!(source, "    {name}: ");
    let _ = value.write_source(source);
    source.push_str(",\n");
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

/// `a, b, c`, each as a literal that reads back bit for bit.
///
/// # Errors
/// When `out` does.
pub fn write_numbers<T: Number>(out: &mut dyn Write, values: &[T]) -> fmt::Result {
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        value.write_literal(out)?;
    }
    Ok(())
}

/// `[a, b], [c, d]`: rows of numbers.
///
/// # Errors
/// When `out` does.
pub fn write_rows<T: Number, const N: usize>(out: &mut dyn Write, rows: &[[T; N]]) -> fmt::Result {
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        out.write_char('[')?;
        write_numbers(out, row)?;
        out.write_char(']')?;
    }
    Ok(())
}

/// `[[a, b], [c, d]], ...`: a rank-3 array of numbers.
///
/// # Errors
/// When `out` does.
pub fn write_planes<T: Number, const N: usize, const M: usize>(
    out: &mut dyn Write,
    planes: &[[[T; N]; M]],
) -> fmt::Result {
    for (index, plane) in planes.iter().enumerate() {
        if index > 0 {
            out.write_str(", ")?;
        }
        out.write_char('[')?;
        write_rows(out, plane)?;
        out.write_char(']')?;
    }
    Ok(())
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
    use super::{type_path, write_numbers};
    use std::string::String;

    fn literal<T: crate::Number>(value: T) -> String {
        let mut out = String::new();
        write_numbers(&mut out, &[value]).unwrap();
        out
    }

    #[test]
    fn literals_round_trip() {
        // Rust ignores the underscores; `str::parse` does not accept them.
        let plain = |text: String| text.replace('_', "");
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
        assert_eq!(literal(0.1_f32), "0.1");
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
