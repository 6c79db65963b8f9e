//! The rules of `check` (one message per mistake, every mistake in one run, no cascades) and the
//! promise that `network` never panics, whatever tokens it is given.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::quote;

/// The messages `check` gives for a spec, in order; empty when the spec is valid.
fn errors(spec: TokenStream) -> Vec<String> {
    let spec = syn::parse2(spec).expect("the spec parses");
    match backprop_codegen::check::check(&spec) {
        Ok(_) => Vec::new(),
        Err(error) => error.into_iter().map(|error| error.to_string()).collect(),
    }
}

/// The one message `check` gives for a spec with one mistake.
fn error(spec: TokenStream) -> String {
    let errors = errors(spec);
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {errors:#?}"
    );
    errors[0].clone()
}

/// The message syn gives when the spec does not parse.
fn parse_error(spec: TokenStream) -> String {
    match syn::parse2::<backprop_codegen::parse::Spec>(spec) {
        Ok(_) => panic!("the spec parsed"),
        Err(error) => error.to_string(),
    }
}

/// A valid net, with `$entries` spliced in between `input` and `loss`.
macro_rules! net {
    ($($entries:tt)*) => {
        quote! { struct Net { input: 2, $($entries)* loss: squared_error, } }
    };
}

#[test]
fn a_valid_spec_has_no_errors() {
    let spec = quote! {
        /// The notebook's net.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Notebook {
            scalar: f64,
            input: 2,
            hidden: dense(2, relu),
            output: dense(1, relu),
            loss: squared_error,
        }
    };
    let network = backprop_codegen::check::check(&syn::parse2(spec).unwrap())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(network.input, backprop_codegen::model::Shape::Flat(2));
    assert_eq!(network.layers.len(), 2);
    assert_eq!(network.parameters(), 9);
}

#[test]
fn every_builtin_and_parameter_is_accepted() {
    assert!(
        errors(quote! {
            struct Net {
                scalar: f32,
                input: 3,
                a: dense(4, identity), b: dense(4, leaky_relu), c: dense(4, leaky_relu(0.1)),
                d: dense(4, elu), e: dense(4, elu(2)), f: dense(4, tanh), g: dense(4, softplus),
                h: dense(4, silu), i: dense(4, gelu), j: dense(4, relu), k: dense(4, my::Swish),
                l: dense(4, Swish), m: dense(4, relu6), output: dense(2, sigmoid),
                loss: huber(0.5),
            }
        })
        .is_empty()
    );
    assert!(errors(net!(output: dense(3, softmax),)).is_empty());
}

#[test]
fn unknown_names_get_a_did_you_mean() {
    assert_eq!(
        error(net!(output: dense(1, rleu),)),
        "unknown activation `rleu`, did you mean `relu`?"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: squared_eror })),
        "unknown loss `squared_eror`, did you mean `squared_error`?"
    );
    assert_eq!(
        error(net!(output: dens(1, relu),)),
        "unknown layer kind `dens`, did you mean `dense`?"
    );
    assert_eq!(
        error(net!(scalr: f32, output: dense(1, relu),)),
        "unknown key `scalr`, did you mean `scalar`?"
    );
}

#[test]
fn unknown_names_far_from_any_list_what_is_accepted() {
    let message = error(net!(output: dense(1, mish),));
    assert!(message.starts_with("unknown activation `mish`; expected one of `identity`"));
    assert!(message.contains("or a type implementing `backprop_core::Activation`"));
    let message = error(net!(learning_rate: 0.1, output: dense(1, relu),));
    assert!(
        message.contains("expected `scalar`, `input`, `loss`, `form` or `quantize`"),
        "{message}"
    );
    assert!(
        message.contains("`learning_rate: dense(width, activation)`"),
        "{message}"
    );
}

#[test]
fn names_from_other_libraries_get_the_name_used_here() {
    assert_eq!(
        error(net!(output: dense(1, linear),)),
        "unknown activation `linear`: write `identity`, its name here"
    );
    assert_eq!(
        error(net!(output: dense(1, swish),)),
        "unknown activation `swish`: write `silu`, its name here"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: mse })),
        "unknown loss `mse`: write `mean_squared_error`, its name here"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: mae })),
        "unknown loss `mae`: write `mean_absolute_error`, its name here"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(1, sigmoid), loss: bce })),
        "unknown loss `bce`: write `binary_cross_entropy`, its name here"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(2, softmax), loss: ce })),
        "unknown loss `ce`: write `cross_entropy`, its name here; put `softmax` on the output layer, and the loss is computed from its logits"
    );
    assert_eq!(
        error(
            quote!(struct Net { input: 2, output: dense(1, sigmoid), loss: sigmoid_cross_entropy })
        ),
        "unknown loss `sigmoid_cross_entropy`: write `binary_cross_entropy`, its name here; put `sigmoid` on the output layer, and the loss is computed from its logits"
    );
    assert!(
        error(quote!(struct Net { input: 2, output: dense(2, softmax), loss: nll }))
            .starts_with("unknown loss `nll`: write `cross_entropy`, its name here; ")
    );
}

#[test]
fn keys_and_layer_names_are_unique() {
    assert_eq!(
        error(
            quote!(struct Net { input: 2, input: 3, output: dense(1, relu), loss: squared_error })
        ),
        "duplicate key `input`: give each setting once"
    );
    assert!(
        error(net!(h: dense(2, relu), h: dense(1, relu),)).starts_with("duplicate layer name `h`")
    );
    assert!(
        error(net!(h: dense(2, relu), r#h: dense(1, relu),))
            .starts_with("duplicate layer name `r#h`")
    );
}

#[test]
fn a_layer_named_like_a_setting_is_one_error() {
    assert_eq!(
        error(net!(loss: dense(2, relu), output: dense(1, relu),)),
        "`loss` is a setting, not a layer name: rename the layer"
    );
}

#[test]
fn widths_are_positive_integers_that_fit() {
    assert_eq!(
        error(net!(output: dense(0, relu),)),
        "a layer's width must be at least 1"
    );
    assert_eq!(
        error(quote!(struct Net { input: -2, output: dense(1, relu), loss: squared_error })),
        "the number of inputs must be a positive integer, found `-2`"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2.0, output: dense(1, relu), loss: squared_error })),
        "the number of inputs must be a positive integer, found `2.0`"
    );
    assert_eq!(
        error(net!(output: dense(two, relu),)),
        "a layer's width must be a positive integer, found `two`"
    );
    assert_eq!(
        error(net!(output: dense(2u8, relu),)),
        "a layer's width is a `usize`: write `2` without the suffix `u8`"
    );
    assert!(
        error(net!(output: dense(100000000000000000000000000, relu),))
            .ends_with("does not fit in `usize`")
    );
    assert!(errors(net!(output: dense(2usize, relu),)).is_empty());
}

#[test]
fn dense_takes_a_width_and_an_activation() {
    for layer in [
        quote!(dense),
        quote!(dense()),
        quote!(dense(2)),
        quote!(dense(2, relu, 3)),
    ] {
        let message = error(net!(output: #layer,));
        assert!(
            message.starts_with("`dense` takes two arguments"),
            "{message}"
        );
    }
}

#[test]
fn parameters_are_numbers_in_range() {
    assert_eq!(
        error(net!(output: dense(1, leaky_relu(relu)),)),
        "`alpha` of `leaky_relu` must be a number, as in `leaky_relu(0.01)`, found `relu`"
    );
    assert!(
        error(net!(output: dense(1, elu(-0.5)),))
            .starts_with("`alpha` of `elu` must be positive, found `-0.5`")
    );
    assert!(
        error(net!(output: dense(1, elu(0)),)).starts_with("`alpha` of `elu` must be positive")
    );
    assert!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: huber(-1.0) }))
            .starts_with("`delta` of `huber` must be positive, found `-1.0`")
    );
    assert_eq!(
        error(net!(output: dense(1, leaky_relu(1e400)),)),
        "`alpha` of `leaky_relu` is out of range for `f64`: `1e400`"
    );
    assert_eq!(
        error(quote! {
            struct Net { scalar: f32, input: 2, output: dense(1, leaky_relu(1e39)), loss: squared_error }
        }),
        "`alpha` of `leaky_relu` is out of range for `f32`: `1e39`"
    );
    assert!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: huber(1, 2) }))
            .starts_with("`huber` takes one parameter, `delta`")
    );
    assert_eq!(
        error(net!(output: dense(1, relu(0.1)),)),
        "the activation `relu` takes no parameter: write `relu`"
    );
    assert_eq!(
        error(quote!(struct Net { input: 2, output: dense(1, relu), loss: squared_error(2) })),
        "the loss `squared_error` takes no parameter: write `squared_error`"
    );
}

#[test]
fn settings_are_present_and_valid() {
    assert!(
        error(quote!(struct Net { output: dense(1, relu), loss: squared_error }))
            .starts_with("missing `input: N`")
    );
    assert!(
        error(quote!(struct Net { input: 2, output: dense(1, relu) }))
            .starts_with("missing `loss: ...`")
    );
    assert!(error(net!()).starts_with("a network needs at least one layer"));
    assert_eq!(
        error(net!(scalar: f16, output: dense(1, relu),)),
        "unsupported scalar type `f16`: expected `f32`, `f64` or `I16F16`"
    );
}

#[test]
fn names_follow_rust_conventions() {
    assert_eq!(
        error(quote!(struct my_net { input: 2, output: dense(1, relu), loss: squared_error })),
        "the network is a type: name it in UpperCamelCase, e.g. `MyNet`"
    );
    assert_eq!(
        error(net!(HiddenLayer: dense(2, relu), output: dense(1, relu),)),
        "layer names become fields: name it in snake_case, e.g. `hidden_layer`"
    );
    assert!(
        error(net!(MLPHidden: dense(2, relu), output: dense(1, relu),)).ends_with("`mlp_hidden`")
    );
}

#[test]
fn softmax_is_only_on_the_last_layer() {
    assert!(
        error(net!(hidden: dense(3, softmax), output: dense(1, relu),)).starts_with(
            "softmax is only allowed on the last layer, but `hidden` is followed by `output`"
        )
    );
}

#[test]
fn cross_entropy_needs_a_probability_output() {
    let spec = quote!(struct Net { input: 2, output: dense(1, relu), loss: binary_cross_entropy });
    assert!(error(spec).contains("use `sigmoid` on the output layer"));
    let spec = quote!(struct Net { input: 2, output: dense(3, tanh), loss: cross_entropy });
    assert!(error(spec).contains("use `softmax` on the output layer"));
    // The other probability output: the loss for it is named.
    let spec = quote!(struct Net { input: 2, output: dense(3, sigmoid), loss: cross_entropy });
    assert!(error(spec).ends_with("with a `sigmoid` output, use `binary_cross_entropy`"));
    let spec =
        quote!(struct Net { input: 2, output: dense(3, softmax), loss: binary_cross_entropy });
    assert!(error(spec).ends_with("with a `softmax` output, use `cross_entropy`"));
    let spec =
        quote!(struct Net { input: 2, output: dense(3, my::Probability), loss: cross_entropy });
    assert!(errors(spec).is_empty());
}

#[test]
fn a_too_large_net_is_refused() {
    let width = backprop_codegen::model::Form::UNROLLED_AT_MOST;
    let message = error(net!(form: unrolled, output: dense(#width, relu),));
    assert!(message.starts_with("this network has"), "{message}");
    assert!(message.contains("write `form: looped`"), "{message}");
    assert!(
        errors(net!(output: dense(#width, relu),)).is_empty(),
        "left to itself, the macro loops"
    );
    assert!(
        error(net!(form: unroled, output: dense(1, relu),)).contains("did you mean `unrolled`?")
    );
    let huge = usize::MAX;
    let message = error(quote! {
        struct Net { input: #huge, output: dense(#huge, relu), loss: squared_error }
    });
    assert!(message.contains("overflows `usize`"), "{message}");
}

#[test]
fn several_mistakes_give_several_errors_in_one_run() {
    let errors = errors(quote! {
        struct Net {
            scalr: f32,
            input: 0,
            hidden: dense(2, rleu),
            output: dense(1, relu(0.1)),
            loss: squared_eror,
        }
    });
    assert_eq!(
        errors,
        [
            "unknown key `scalr`, did you mean `scalar`?",
            "the number of inputs must be at least 1",
            "unknown activation `rleu`, did you mean `relu`?",
            "the activation `relu` takes no parameter: write `relu`",
            "unknown loss `squared_eror`, did you mean `squared_error`?",
        ]
    );
}

#[test]
fn a_broken_layer_raises_no_second_error_about_the_net() {
    // The output layer's typo must not make the hidden layer look like the output (which would
    // then not fit the loss), nor leave the network without layers.
    let spec = quote! {
        struct Net {
            input: 2,
            hidden: dense(2, relu),
            output: dense(1, sigmoidd),
            loss: binary_cross_entropy,
        }
    };
    assert_eq!(
        error(spec),
        "unknown activation `sigmoidd`, did you mean `sigmoid`?"
    );
    assert_eq!(
        error(net!(output: dense, )),
        "`dense` takes two arguments, the width and the activation, as in `dense(4, relu)`; found none"
    );
}

#[test]
fn parse_errors_say_what_was_expected_and_found() {
    assert_eq!(
        parse_error(quote!(struct Net { input 2, loss: squared_error })),
        "expected `:` after `input`, found `2`"
    );
    assert_eq!(
        parse_error(quote!(struct Net { input: 2 loss: squared_error })),
        "expected `,` between entries, found `loss`"
    );
    assert_eq!(
        parse_error(net!(output: dense(1 relu),)),
        "expected `,` between arguments, found `relu`"
    );
    assert_eq!(
        parse_error(quote!(struct Net { input: 2, loss: "squared_error" })),
        "names are written without quotes: `squared_error`"
    );
    assert!(parse_error(quote!(Net { input: 2 })).starts_with("expected `struct`"));
    assert!(
        parse_error(quote!(struct Net { input: 2 } extra)).starts_with("unexpected tokens after")
    );
    assert!(parse_error(quote!(struct Net { type: dense(1, relu) })).contains("is a Rust keyword"));
    assert!(
        parse_error(quote!(struct Net { input: -x })).starts_with("expected a number after `-`")
    );
}

/// A net reading a signal of two channels over eight steps, with `$layers` spliced in before a
/// `dense(1, identity)` output.
macro_rules! signal_net {
    ($($layers:tt)*) => {
        quote! {
            struct Net { input: [2, 8], $($layers)* output: dense(1, identity), loss: squared_error, }
        }
    };
}

#[test]
fn every_signal_kind_and_option_is_accepted() {
    for layers in [
        quote!(conv: conv1d(4, 3, relu),),
        quote!(conv: conv1d(4, 3, relu, stride = 2, padding = 1),),
        quote!(conv: conv1d(4, 3, relu, padding = 2, stride = 3),),
        quote!(conv: conv1d(4, 8, tanh),),
        quote!(conv: conv1d(4, 10, tanh, padding = 1),),
        quote!(depthwise: depthwise_conv1d(3, gelu, stride = 2),),
        quote!(pool: max_pool1d(8),),
        quote!(pool: avg_pool1d(3),),
        quote!(pool: global_avg_pool1d,),
        quote!(rnn: gru(4),),
        quote!(rnn: gru(4, sequence), last: gru(2),),
        quote!(conv: conv1d(4, 3, relu), pool: max_pool1d(2), rnn: gru(3, sequence), mean: global_avg_pool1d,),
    ] {
        let spec = signal_net!(#layers);
        assert_eq!(errors(spec.clone()), Vec::<String>::new(), "{spec}");
    }
}

#[test]
fn a_signal_is_two_positive_counts() {
    let spec = |shape: TokenStream| quote!(struct Net { input: #shape, output: dense(1, identity), loss: squared_error });
    assert_eq!(
        error(spec(quote!([6]))),
        "a signal's shape is `[channels, steps]`, two numbers; found `[6]`"
    );
    assert_eq!(
        error(spec(quote!([6, 100, 3]))),
        "a signal's shape is `[channels, steps]`, two numbers; found `[6, 100, 3]`"
    );
    assert_eq!(
        error(spec(quote!([]))),
        "a signal's shape is `[channels, steps]`, two numbers; found `[]`"
    );
    assert_eq!(
        error(spec(quote!([6, 0]))),
        "a signal's number of steps must be at least 1"
    );
    assert_eq!(
        errors(spec(quote!([0, -1]))),
        [
            "a signal's number of channels must be at least 1",
            "a signal's number of steps must be a positive integer, found `-1`"
        ]
    );
    assert!(
        error(quote!(struct Net { output: dense(1, relu), loss: squared_error }))
            .ends_with("or the shape of a signal, `input: [channels, steps]`")
    );
}

#[test]
fn a_window_fits_the_signal_it_reads() {
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 9, relu),)),
        "the kernel of 9 steps is longer than the 8 steps it reads: use a kernel of at most 8 steps, or pad the signal"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 11, relu, padding = 1),)),
        "the kernel of 11 steps is longer than the 8 steps it reads (10 with `padding = 1` on each side): use a kernel of at most 10 steps"
    );
    assert_eq!(
        error(signal_net!(conv: depthwise_conv1d(9, relu),)),
        "the kernel of 9 steps is longer than the 8 steps it reads: use a kernel of at most 8 steps, or pad the signal"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, padding = 3),)),
        "`padding = 3` must be smaller than the kernel size 3, so that every window reads the signal: use at most `padding = 2`"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, stride = 0),)),
        "`stride` of `conv1d` must be at least 1"
    );
    assert_eq!(
        error(signal_net!(pool: max_pool1d(9),)),
        "a window of 9 steps is longer than the 8 steps it pools: use a window of at most 8, or `global_avg_pool1d` to pool the whole signal"
    );
    // Each layer is checked against what the layer before writes: 8 steps, then 4, then 1.
    assert_eq!(
        error(signal_net!(a: avg_pool1d(2), b: max_pool1d(4), c: max_pool1d(2),)),
        "a window of 2 steps is longer than the 1 step it pools: use a window of at most 1, or `global_avg_pool1d` to pool the whole signal"
    );
}

#[test]
fn the_signal_kinds_read_a_signal() {
    for (layers, kind, name) in [
        (quote!(conv: conv1d(4, 3, relu),), "conv1d", "conv"),
        (quote!(rnn: gru(4),), "gru", "rnn"),
        (quote!(pool: max_pool1d(2),), "max_pool1d", "pool"),
        (
            quote!(mean: global_avg_pool1d,),
            "global_avg_pool1d",
            "mean",
        ),
    ] {
        let spec = quote!(struct Net { input: 12, #layers output: dense(1, identity), loss: squared_error });
        assert_eq!(
            error(spec),
            format!(
                "`{kind}` reads a signal `[channels, steps]`, but `{name}` reads a vector of 12: give the net a signal input (`input: [channels, steps]`), or put this layer before the layers that flatten it"
            )
        );
    }
    // A GRU without `sequence` writes a vector, which a pool cannot read.
    assert!(
        error(signal_net!(rnn: gru(4), pool: max_pool1d(2),)).starts_with(
            "`max_pool1d` reads a signal `[channels, steps]`, but `pool` reads a vector of 4"
        )
    );
}

#[test]
fn options_are_the_kinds_own_given_once() {
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, strid = 2),)),
        "unknown option `strid` of `conv1d`, did you mean `stride`?"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, dilation = 2),)),
        "`conv1d` takes no option `dilation`; its options are `stride` and `padding`"
    );
    assert_eq!(
        error(net!(hidden: dense(4, relu, stride = 2), output: dense(1, relu),)),
        "`dense` takes no option `stride`"
    );
    assert_eq!(
        error(signal_net!(rnn: gru(4, sequence = 1),)),
        "`sequence` is a flag of `gru`, without a value: write `sequence` alone"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, stride = 2, stride = 1),)),
        "`stride` is given twice: give it once"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, stride = two),)),
        "`stride` of `conv1d` must be a positive integer, found `two`"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, padding = 1u8),)),
        "`padding` of `conv1d` is a `usize`: write `1` without the suffix `u8`"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, padding = -1),)),
        "`padding` of `conv1d` must be a whole number, 0 or more, found `-1`"
    );
}

#[test]
fn a_gru_takes_its_size_and_the_flag_sequence() {
    assert_eq!(
        error(signal_net!(rnn: gru(8, sequnce),)),
        "unexpected argument `sequnce` of `gru`, did you mean `sequence`?"
    );
    assert_eq!(
        error(signal_net!(rnn: gru(8, 2),)),
        "unexpected argument `2` of `gru`; it takes `sequence`"
    );
    for layer in [
        quote!(gru),
        quote!(gru()),
        quote!(gru(8, sequence, sequence)),
    ] {
        let message = error(signal_net!(rnn: #layer,));
        assert!(
            message
                .starts_with("`gru` takes one argument, the hidden size, as in `gru(16)`; found "),
            "{message}"
        );
    }
}

#[test]
fn the_signal_kinds_take_their_counts_and_activation() {
    assert_eq!(
        error(signal_net!(conv: conv1d(4, relu),)),
        "`conv1d` takes three arguments, the output channels, the kernel size and the activation, as in `conv1d(8, 3, relu)`; found 2"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, relu, 2),)),
        "`conv1d` takes three arguments, the output channels, the kernel size and the activation, as in `conv1d(8, 3, relu)`; found 4"
    );
    assert_eq!(
        error(signal_net!(conv: depthwise_conv1d(3),)),
        "`depthwise_conv1d` takes two arguments, the kernel size and the activation, as in `depthwise_conv1d(3, relu)`; found 1"
    );
    assert_eq!(
        error(signal_net!(pool: max_pool1d,)),
        "`max_pool1d` takes one argument, the window, as in `max_pool1d(2)`; found none"
    );
    assert_eq!(
        error(signal_net!(pool: global_avg_pool1d(2),)),
        "`global_avg_pool1d` takes no arguments: write `global_avg_pool1d`; found 1"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 0, relu),)),
        "a layer's kernel size must be at least 1"
    );
    assert_eq!(
        error(signal_net!(rnn: gru(0),)),
        "a layer's hidden size must be at least 1"
    );
    assert_eq!(
        error(signal_net!(conv: conv1d(4, 3, rleu),)),
        "unknown activation `rleu`, did you mean `relu`?"
    );
    assert_eq!(
        error(signal_net!(pool: max_pool(2),)),
        "unknown layer kind `max_pool`, did you mean `max_pool1d`?"
    );
}

#[test]
fn the_output_layer_writes_a_vector() {
    assert_eq!(
        error(
            quote!(struct Net { input: [2, 8], output: conv1d(3, 3, identity), loss: squared_error })
        ),
        "the output layer `output` writes a signal of 3 channels x 6 steps, but the loss needs a vector: end the net with a layer that writes one, such as `dense` or `global_avg_pool1d`"
    );
    assert!(
        error(quote!(struct Net { input: [2, 8], output: gru(3, sequence), loss: squared_error }))
            .starts_with("the output layer `output` writes a signal of 3 channels x 8 steps")
    );
    assert!(
        errors(quote!(struct Net { input: [2, 8], output: gru(3), loss: squared_error }))
            .is_empty()
    );
}

#[test]
fn a_gru_has_no_int8_form() {
    let spec = quote! {
        struct Net {
            input: [2, 8],
            conv: conv1d(4, 3, relu),
            rnn: gru(3),
            output: dense(1, identity),
            loss: squared_error,
            quantize: int8,
        }
    };
    assert_eq!(
        errors(spec),
        ["`gru(3)` has no int8 form, so this net cannot be quantised: leave out `quantize: int8`"]
    );
}

#[test]
fn several_mistakes_in_a_signal_net_give_several_errors() {
    let errors = errors(quote! {
        struct Net {
            input: [3, 0],
            conv: conv1d(4, 3, rleu, strid = 2),
            pool: max_pool(2),
            rnn: gru(8, sequnce),
            output: dense(1, identity),
            loss: squared_eror,
        }
    });
    assert_eq!(
        errors,
        [
            "a signal's number of steps must be at least 1",
            "unknown activation `rleu`, did you mean `relu`?",
            "unknown option `strid` of `conv1d`, did you mean `stride`?",
            "unknown layer kind `max_pool`, did you mean `max_pool1d`?",
            "unexpected argument `sequnce` of `gru`, did you mean `sequence`?",
            "unknown loss `squared_eror`, did you mean `squared_error`?",
        ]
    );
}

#[test]
fn a_shape_error_raises_no_second_error_down_the_chain() {
    // The convolution does not fit, so what it would write is unknown: the GRU after the pool,
    // which would read a vector, is not blamed for it.
    assert_eq!(
        errors(signal_net!(conv: conv1d(4, 9, relu), pool: global_avg_pool1d, rnn: gru(2),)),
        [
            "the kernel of 9 steps is longer than the 8 steps it reads: use a kernel of at most 8 steps, or pad the signal"
        ]
    );
}

/// Token streams no one should write, each of which must give errors, not a panic.
fn nasty_inputs() -> Vec<TokenStream> {
    vec![
        quote!(),
        quote!(struct),
        quote!(struct Net),
        quote!(
            struct Net {}
        ),
        quote!(
            struct Net<T> {}
        ),
        quote!(pub(crate) struct Net { , }),
        quote!(struct Net { input: }),
        quote!(struct Net { : 2 }),
        quote!(struct Net { input: - }),
        quote!(struct Net { input: --2 }),
        quote!(struct Net { input: 2,, }),
        quote!(struct Net { input: 2 ; }),
        quote!(struct Net { input: [2] }),
        quote!(struct Net { input: (2) }),
        quote!(struct Net { input: 'a' }),
        quote!(struct Net { input: b"2" }),
        quote!(struct Net { input: true }),
        quote!(struct Net { input: 2, output: dense(1, relu)(2), loss: squared_error }),
        quote!(struct Net { input: 2, output: dense(1, ::), loss: squared_error }),
        quote!(struct Net { input: 2, output: dense(1, a::), loss: squared_error }),
        quote!(struct Net { input: 2, output: dense(1, a::b(1)), loss: squared_error }),
        quote!(struct Net { input: 2, output: dense(1, leaky_relu(leaky_relu(1))), loss: huber(huber) }),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: ::squared_error }),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: huber(1e999) }),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: huber(-0.0) }),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: huber(0x10) }),
        quote!(struct Net { input: 0x10, output: dense(0b1, relu), loss: squared_error }),
        quote!(#[doc = 1] struct Net { input: 2, output: dense(1, relu), loss: squared_error }),
        quote!(struct r#Net { input: 2, r#loss: dense(1, relu), loss: squared_error }),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: squared_error } struct Other {}),
        quote!(struct Net { input: 2, output: dense(1, relu), loss: squared_error, loss: huber }),
        quote!(struct Net { scalar: f32, scalar: f64, scalar: 1, input: 2, output: dense(1, Relu), loss: cross_entropy }),
    ]
}

/// `network` gives either code or errors, and both are well-formed items: never a panic.
fn expands_without_panic(input: TokenStream) {
    let text = input.to_string();
    let output = std::panic::catch_unwind(|| backprop_codegen::network(input))
        .unwrap_or_else(|_| panic!("`network` panicked on `{text}`"));
    if let Err(error) = syn::parse2::<syn::File>(output) {
        panic!("`network` gave malformed tokens for `{text}`: {error}");
    }
}

#[test]
fn network_never_panics_on_nasty_inputs() {
    for input in nasty_inputs() {
        expands_without_panic(input);
    }
}

/// The stream with one token removed, at every depth: a cheap, exhaustive fuzz around a spec.
fn one_token_removed(stream: &TokenStream) -> Vec<TokenStream> {
    let tokens: Vec<TokenTree> = stream.clone().into_iter().collect();
    let mut variants = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let mut without = tokens.clone();
        without.remove(index);
        variants.push(without.into_iter().collect());
        if let TokenTree::Group(group) = token {
            for inner in one_token_removed(&group.stream()) {
                let mut replaced = tokens.clone();
                replaced[index] = TokenTree::Group(Group::new(group.delimiter(), inner));
                variants.push(replaced.into_iter().collect());
            }
        }
    }
    variants
}

#[test]
fn network_never_panics_on_a_signal_spec_missing_any_one_token() {
    let spec = quote! {
        pub struct Net {
            input: [2, 8],
            conv: conv1d(3, 3, relu, stride = 2, padding = 1),
            depthwise: depthwise_conv1d(2, tanh),
            pool: max_pool1d(2),
            rnn: gru(2, sequence),
            mean: global_avg_pool1d,
            output: dense(2, softmax),
            loss: cross_entropy,
        }
    };
    let variants = one_token_removed(&spec);
    assert!(variants.len() > 60);
    for variant in variants {
        expands_without_panic(variant);
    }
}

#[test]
fn network_never_panics_on_a_spec_missing_any_one_token() {
    let spec = quote! {
        /// Doc.
        pub struct Net {
            scalar: f32,
            input: 2,
            hidden: dense(3, leaky_relu(0.1)),
            output: dense(2, softmax),
            loss: huber(1.5),
        }
    };
    let variants = one_token_removed(&spec);
    assert!(variants.len() > 40);
    for variant in variants {
        expands_without_panic(variant);
    }
}
