//! Arbitrary text, lexed as Rust tokens, through `backprop_codegen::network` and through `parse` +
//! `check`: no panic, output that parses as a Rust file, one `compile_error!` per error, every error
//! on a token of the input. The checks are `../tests/oracle/mod.rs`, shared with the property
//! tests in `../tests/fuzz.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/oracle/mod.rs"]
mod oracle;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        // Under `--cfg fuzzing`, proc-macro2 keeps no source map: positions are read from the
        // spans' own offsets.
        oracle::check_source(source, oracle::Positions::Offsets);
    }
});
