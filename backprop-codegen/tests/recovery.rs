//! Recovery from syntax errors: a mistake inside one entry is reported, parsing resumes at the
//! next comma, and the check still runs on every other entry, so one compile shows every mistake.

use proc_macro2::TokenStream;
use quote::quote;

/// Every message `validate` gives, in order, after checking that `network` emits one
/// `compile_error!` per message.
fn messages(spec: TokenStream) -> Vec<String> {
    let output = backprop_codegen::network(spec.clone()).to_string();
    let messages: Vec<String> = match backprop_codegen::validate(spec) {
        Ok(_) => Vec::new(),
        Err(error) => error.into_iter().map(|error| error.to_string()).collect(),
    };
    assert_eq!(output.matches("compile_error").count(), messages.len());
    messages
}

#[test]
fn a_syntax_error_in_one_entry_does_not_hide_the_others() {
    let spec = quote! {
        struct Net {
            input: 2,
            hidden: dense(4, tahn),
            output: dense(1 identity),
            loss: squared_eror,
        }
    };
    assert_eq!(
        messages(spec),
        [
            "expected `,` between arguments, found `identity`",
            "unknown activation `tahn`, did you mean `tanh`?",
            "unknown loss `squared_eror`, did you mean `squared_error`?",
        ]
    );
}

#[test]
fn syntax_errors_in_several_entries_are_all_reported() {
    let spec = quote! {
        struct Net {
            input: 2 2,
            hidden: dense(4, leaky_relu(0.1 0.2)),
            output: dense(1, sigmoid),
            loss: binary_cross_entropy,
        }
    };
    assert_eq!(
        messages(spec),
        [
            "expected `,` between entries, found `2`",
            "expected `,` between arguments, found `0.2`",
        ]
    );
}

/// The placeholder standing in for a broken entry is valid and raises nothing: a broken output
/// layer is not replaced by the hidden layer before it (whose `tanh` would not fit the loss), and
/// a broken `input` or `loss` is not reported missing.
#[test]
fn a_broken_entry_raises_no_second_error() {
    let broken_output = quote! {
        struct Net { input: 2, hidden: dense(4, tanh), output: dense(1 sigmoid), loss: binary_cross_entropy }
    };
    assert_eq!(
        messages(broken_output),
        ["expected `,` between arguments, found `sigmoid`"]
    );
    let broken_settings = quote! {
        struct Net { scalar: f32 f64, input: -, output: dense(1, relu), loss: huber(1.0 2.0) }
    };
    assert_eq!(
        messages(broken_settings),
        [
            "expected `,` between entries, found `f64`",
            "expected a number after `-`, found `,`",
            "expected `,` between arguments, found `2.0`",
        ]
    );
    let broken_scalar_and_form = quote! {
        struct Net { scalar: "f32", form: "looped", input: 2, output: dense(1, relu), loss: squared_error }
    };
    assert_eq!(
        messages(broken_scalar_and_form),
        [
            "names are written without quotes: `f32`",
            "names are written without quotes: `looped`",
        ]
    );
}

/// A missing comma is one mistake: the next entry is still read, and checked.
#[test]
fn after_a_missing_comma_the_next_entry_is_read() {
    let spec = quote! {
        struct Net { input: 2 hidden: dense(4, rleu), output: dense(1, relu), loss: squared_error }
    };
    assert_eq!(
        messages(spec),
        [
            "expected `,` between entries, found `hidden`",
            "unknown activation `rleu`, did you mean `relu`?",
        ]
    );
    let broken_next = quote! {
        struct Net { input: 2 hidden: dense(4 relu), output: dense(1, relu), loss: squared_error }
    };
    assert_eq!(
        messages(broken_next),
        [
            "expected `,` between entries, found `hidden`",
            "expected `,` between arguments, found `relu`",
        ]
    );
}

/// When an entry is lost key and all, the check does not run: it would report the entry missing.
#[test]
fn a_lost_key_stops_the_check() {
    let spec = quote! {
        struct Net { input: 2, "output": dense(1, relu), loss: squared_eror, hidden: dense(2 relu) }
    };
    assert_eq!(
        messages(spec),
        [
            "expected a setting or a layer name, as in `input: 2` or `hidden: dense(4, relu)`, found `\"output\"`",
            "expected `,` between arguments, found `relu`",
        ]
    );
}

#[test]
fn tokens_after_the_brace_do_not_hide_the_entries_mistakes() {
    let spec = quote! {
        struct Net { input: 2, output: dense(1, rleu), loss: squared_error } extra
    };
    assert_eq!(
        messages(spec),
        [
            "unexpected tokens after the network's closing brace: `network!` declares one struct",
            "unknown activation `rleu`, did you mean `relu`?",
        ]
    );
}
