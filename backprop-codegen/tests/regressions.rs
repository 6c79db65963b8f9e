//! One test per bug that fuzzing or review found in `parse` and `check`, so none comes back.

use proc_macro2::TokenStream;
use quote::quote;

/// The messages `network` gives for a spec that `parse` or `check` rejects, after checking that
/// the full entry does not panic on it and returns a Rust file.
fn rejected(spec: TokenStream) -> Vec<String> {
    let output = backprop_codegen::network(spec.clone());
    syn::parse2::<syn::File>(output).expect("the output is a Rust file");
    let errors = errors(spec);
    assert!(!errors.is_empty(), "the spec was accepted");
    errors
}

/// The messages of `parse` and `check` for a spec; empty when it is valid.
fn errors(spec: TokenStream) -> Vec<String> {
    match syn::parse2::<backprop_codegen::parse::Spec>(spec) {
        Err(error) => error.into_iter().map(|error| error.to_string()).collect(),
        Ok(spec) => match backprop_codegen::check::check(&spec) {
            Ok(_) => Vec::new(),
            Err(error) => error.into_iter().map(|error| error.to_string()).collect(),
        },
    }
}

/// Found by `tests/fuzz.rs`: a net whose parameter count overflows `usize` made `check` panic
/// ("attempt to multiply with overflow") while choosing the form, after reporting the overflow.
#[test]
fn a_parameter_count_that_overflows_is_an_error_not_a_panic() {
    for spec in [
        quote!(struct Net { input: 18446744073709551615, output: dense(2, identity), loss: squared_error }),
        quote!(struct Net { input: 2, a: dense(18446744073709551615, relu), b: dense(3, relu), loss: squared_error }),
        quote!(struct Net { input: 4294967296, a: dense(4294967296, relu), b: dense(4294967296, relu), loss: squared_error }),
    ] {
        assert_eq!(
            rejected(spec),
            ["this network's parameter count overflows `usize`"]
        );
    }
}

/// Found in review: parameters that fit in `usize` but not in `isize::MAX` bytes were accepted,
/// and rustc then rejected the struct ("values of the type `[[f64; 4000000000]; 4000000000]` are
/// too big for the target architecture") inside `backprop_core`, away from the spec.
#[test]
fn parameters_too_big_for_one_value_are_an_error() {
    let f64_net = quote!(struct Net { input: 4000000000, hidden: dense(4000000000, relu), output: dense(1, identity), loss: squared_error });
    assert_eq!(
        rejected(f64_net),
        [
            "this network's 16000000008000000001 parameters take more than `isize::MAX` bytes, more than any value can hold: make the layers narrower"
        ]
    );
    // 2^61 parameters are 2^63 bytes in f32 (too big), and the same count in f64 overflows bytes.
    let f32_net = quote!(struct Net { scalar: f32, input: 1, output: dense(1152921504606846976, identity), loss: squared_error });
    assert_eq!(rejected(f32_net).len(), 1);
    // Just under the limit in f32 is accepted (rustc decides whether the target can hold it).
    let f32_limit = quote!(struct Net { scalar: f32, form: looped, input: 1, output: dense(1152921504606846975, identity), loss: squared_error });
    assert_eq!(errors(f32_limit), Vec::<String>::new());
}

/// Found in review: syn takes `gen` for an identifier, but it is a keyword since Rust 2024, so a
/// layer named `gen` passed `check` and then failed to compile three times inside the expansion.
#[test]
fn a_layer_named_gen_is_refused_and_r_gen_is_accepted() {
    assert_eq!(
        rejected(
            quote!(struct Net { input: 2, gen: dense(2, relu), output: dense(1, identity), loss: squared_error })
        ),
        [
            "`gen` is a reserved keyword since Rust 2024: a layer name becomes a field, choose another or write `r#gen`"
        ]
    );
    assert_eq!(
        errors(
            quote!(struct Net { input: 2, r#gen: dense(2, relu), output: dense(1, identity), loss: squared_error })
        ),
        Vec::<String>::new()
    );
}

/// Found in review: a keyword after `struct` was reported as a missing name ("expected the
/// network's name after `struct`, found `Self`"), which does not say what is wrong with it.
#[test]
fn a_keyword_as_the_network_name_says_so() {
    for keyword in [quote!(Self), quote!(fn), quote!(type), quote!(crate)] {
        let spec =
            quote!(struct #keyword { input: 2, output: dense(1, identity), loss: squared_error });
        let errors = rejected(spec);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].ends_with(
                "is a Rust keyword, not a name for the network: name it, as in `struct Net { ... }`"
            ),
            "{errors:?}"
        );
    }
}
