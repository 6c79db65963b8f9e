//! Compile tests: every `ui/pass` spec compiles and its `main` asserts numbers; every `ui/fail`
//! spec is rejected with exactly the diagnostics in its `.stderr` file, under the offending token.
//!
//! Regenerate the `.stderr` files after a deliberate change with `TRYBUILD=overwrite cargo test -p
//! backprop-tests --test ui`, then read the diff.
//!
//! Two things keep this test from spending its time on cargo rather than on the cases:
//!
//! - The `ui/fail` cases run in their own `TestCases`: trybuild then checks them all in one
//!   `cargo check --bins --keep-going` (both cores, no code generation), where a run that also
//!   holds `ui/pass` cases builds them one by one, a `cargo clean` and a `cargo build` per case.
//!   The diagnostics compared are the same: every one comes from the macro or from type checking,
//!   none from code generation. (A case whose error only code generation would raise, such as a
//!   failed `const` assert in a generic function of the runtime, would compile under `cargo
//!   check`: it needs a `TestCases` of its own with a `ui/pass` case beside it, which trybuild
//!   builds.) The `ui/pass` cases still build and run, one by one.
//! - trybuild builds the dependencies with one set of rustc flags and the cases with another (it
//!   adds `--diagnostic-width=140`), so cargo builds every dependency twice; the test runs trybuild
//!   in a child process with `CARGO_ENCODED_RUSTFLAGS` set to the flags of the cases, which take
//!   precedence over trybuild's, so both builds agree and the dependencies are built once.

use std::process::Command;

/// The rustc flags trybuild 1.0 passes when it builds a case (`rustflags.rs`: its `--cfg
/// trybuild`, `--verbose` and `-A dead_code`, plus `--diagnostic-width=140`, the width of the
/// messages in the `.stderr` files).
const CASE_RUSTFLAGS: &[&str] = &[
    "--cfg",
    "trybuild",
    "--verbose",
    "-A",
    "dead_code",
    "--diagnostic-width=140",
];

/// Set in the child process that runs trybuild.
const CHILD: &str = "BACKPROP_UI_CHILD";

#[test]
fn ui() {
    let in_child = std::env::var_os(CHILD).is_some();
    // Flags the caller set (for coverage, say) are left to trybuild, which handles them.
    let callers_flags = ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    if !in_child && !callers_flags {
        let status = Command::new(std::env::current_exe().expect("the test binary's path"))
            .args(["ui", "--exact"])
            .env(CHILD, "1")
            .env("CARGO_ENCODED_RUSTFLAGS", CASE_RUSTFLAGS.join("\x1f"))
            .status()
            .expect("the test binary runs again");
        assert!(status.success(), "ui cases failed: see the output above");
        return;
    }
    // Each `TestCases` runs its cases when dropped, and panics there if one fails: the pass cases
    // still run after a failed compile-fail case, so one run reports every failure.
    let fail = std::panic::catch_unwind(|| {
        trybuild::TestCases::new().compile_fail("ui/fail/*.rs");
    });
    trybuild::TestCases::new().pass("ui/pass/*.rs");
    if let Err(panic) = fail {
        std::panic::resume_unwind(panic);
    }
}
