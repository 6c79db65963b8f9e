//! Compile tests: every `ui/pass` spec compiles and its `main` asserts numbers; every `ui/fail`
//! spec is rejected with exactly the diagnostics in its `.stderr` file, under the offending token.
//!
//! Regenerate the `.stderr` files after a deliberate change with `TRYBUILD=overwrite cargo test -p
//! backprop-tests --test ui`, then read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
