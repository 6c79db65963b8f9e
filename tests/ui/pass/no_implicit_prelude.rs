//! The expansion names everything by absolute path, so it compiles with no prelude in scope and
//! next to user items that shadow the names it uses.
#![deny(warnings, unused_qualifications)]

#[no_implicit_prelude]
mod bare {
    ::backprop_core::network! {
        /// Compiles with no prelude.
        pub struct Bare { input: 2, hidden: dense(3, leaky_relu(0.1)), output: dense(2, softmax), loss: cross_entropy }
    }
}

mod shadowed {
    #![allow(dead_code, non_camel_case_types, clippy::all)]
    pub struct f64;
    pub struct f32;
    pub struct usize;
    pub struct Dense;
    pub struct Option;
    pub struct Some;
    pub fn relu() {}
    pub fn tanh() {}
    pub fn softmax() {}
    pub fn squared_error() {}
    mod core {}
    mod std {}
    mod backprop {}
    #[allow(unused_macros)]
    macro_rules! vec {
        () => {
            compile_error!("the expansion must not use vec!")
        };
    }

    ::backprop_core::network! {
        /// Compiles next to items named like the ones it uses.
        pub struct Shadowed { scalar: f32, input: 2, hidden: dense(2, tanh), output: dense(1, relu), loss: squared_error }
    }
}

fn main() {
    let net = bare::Bare::zeroed();
    assert_eq!(net.forward(&[1.0, 2.0]), [0.5, 0.5]);
    let net = shadowed::Shadowed::zeroed();
    assert_eq!(net.forward(&[1.0, 2.0]), [0.0]);
}
