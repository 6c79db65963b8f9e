//! Prints the `network!` spec of a `.tflite` file, to paste into a program that then loads the
//! file with `backprop_core::tflite::load`:
//!
//! ```text
//! cargo run -p backprop-examples --example tflite_spec --features tflite -- FILE.tflite [Name]
//! ```
//!
//! `Name` is the struct's name (`Net` when left out).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut arguments = std::env::args().skip(1);
    let Some(path) = arguments.next() else {
        eprintln!("usage: tflite_spec FILE.tflite [Name]");
        return ExitCode::FAILURE;
    };
    let name = arguments.next().unwrap_or_else(|| "Net".to_string());
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match backprop_core::tflite::spec(&bytes, &name) {
        Ok(spec) => {
            print!("{spec}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{path}: {error}");
            ExitCode::FAILURE
        }
    }
}
