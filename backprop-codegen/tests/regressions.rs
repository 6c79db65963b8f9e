//! One test per bug that fuzzing or review found in `parse` and `check`, so none comes back. The
//! `#[ignore]`d ones are open: each states the bug, and fails (`cargo test -- --ignored`) until the
//! macro is fixed, when its `ignore` goes.

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

/// A signal net of two channels over eight steps with `$layers` before a `dense(1, identity)`
/// output.
macro_rules! signal_net {
    ($($layers:tt)*) => {
        quote! {
            struct Net { input: [2, 8], $($layers)* output: dense(1, identity), loss: squared_error, }
        }
    };
}

/// Found in review of the signal kinds: a `padding` of 2^63 or more is refused (it is not
/// smaller than the kernel), but the message about the kernel's fit then computes
/// `length + 2 * padding` unchecked in `layers/signal.rs` ("attempt to multiply with overflow").
#[test]
fn a_padding_near_usize_max_is_an_error_not_a_panic() {
    for padding in [quote!(9223372036854775808), quote!(18446744073709551615)] {
        let errors = rejected(signal_net!(conv: conv1d(3, 3, relu, padding = #padding),));
        assert!(
            errors[0].starts_with(&format!(
                "`padding = {padding}` must be smaller than the kernel size 3"
            )),
            "{errors:?}"
        );
    }
}

/// Found in review of the signal kinds: the parameter count is summed with checked arithmetic,
/// but the kinds' `tensors` and `forward_flops`, which `check_size` calls first, multiply
/// unchecked: `3 * hidden` in `layers/gru.rs`, `2 * taps * fan * outputs` in `layers/conv1d.rs`
/// ("attempt to multiply with overflow"), where a dense layer of the same size is refused with
/// an error.
#[test]
fn a_huge_signal_layer_is_an_error_not_a_panic() {
    for spec in [
        signal_net!(rnn: gru(6148914691236517206),),
        quote!(struct Net { input: [4294967296, 8], conv: conv1d(4294967296, 3, relu), pool: global_avg_pool1d, output: dense(1, identity), loss: squared_error }),
    ] {
        assert_eq!(
            rejected(spec),
            ["this network's parameter count overflows `usize`"]
        );
    }
}

/// Found in review of the signal kinds: `check_size` counts a convolution's operations by walking
/// every window and every tap (`Conv1d::forward_flops`), so checking takes time linear in the
/// signal's length (about 0.8 s per 10^8 steps with the codegen's opt-level 2): a spec with
/// `input: [1, 1000000000000]` keeps the macro busy for hours instead of answering.
#[test]
fn checking_a_long_signal_takes_no_time() {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let spec = quote!(struct Net { input: [1, 1000000000000], conv: conv1d(1, 1, identity), pool: global_avg_pool1d, output: dense(1, identity), loss: squared_error });
        let _ = sender.send(errors(spec));
    });
    assert!(
        receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .is_ok(),
        "`check` did not answer within 10 s"
    );
}

/// Found in review of the signal kinds: the rule that a cross-entropy loss reads probabilities is
/// checked on the output layer's activation, and skipped when the output layer has none
/// (`global_avg_pool1d`) or is a `gru`, so these nets compile and their loss is `inf` on zero
/// weights, where `dense(3, identity)` with the same loss is refused.
#[test]
fn a_cross_entropy_loss_needs_probabilities_from_any_output_layer() {
    for spec in [
        quote!(struct Net { input: [2, 6], rnn: gru(3), loss: cross_entropy }),
        quote!(struct Net { input: [2, 6], conv: conv1d(1, 3, relu), pool: global_avg_pool1d, loss: binary_cross_entropy }),
    ] {
        let errors = rejected(spec);
        assert!(
            errors[0].contains("takes the log of the prediction"),
            "{errors:?}"
        );
    }
}

/// Found in review of the signal kinds: `global_avg_pool1d(2)` is refused ("write
/// `global_avg_pool1d`"), but `global_avg_pool1d()` is accepted, while an activation or loss that
/// takes no parameter refuses empty parentheses (`relu()`: "takes no parameter: write `relu`").
#[test]
fn empty_parentheses_on_a_kind_without_arguments_are_refused() {
    let errors = rejected(signal_net!(mean: global_avg_pool1d(),));
    assert!(
        errors[0].starts_with("`global_avg_pool1d` takes no arguments: write `global_avg_pool1d`"),
        "{errors:?}"
    );
}
