//! Puts the memory layout of the target's part where cortex-m-rt's `link.x` finds it, as
//! `memory.x`: `memory/thumbv7em-none-eabihf.x` (Cortex-M4F) or `memory/thumbv6m-none-eabi.x`
//! (Cortex-M0).

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let layout = format!("memory/{target}.x");
    std::fs::copy(&layout, out.join("memory.x"))
        .unwrap_or_else(|error| panic!("no memory layout {layout} for this target: {error}"));
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory");
    if std::env::var_os("CARGO_FEATURE_MICROFLOW").is_some() {
        copy_microflow_model();
    }
}

/// Copies `models/sine.tflite` out of the `microflow` package in Cargo's registry to
/// `target/microflow/sine.tflite`, the path the firmware gives microflow's `model` macro (which
/// reads it relative to this directory). The model stays where its package put it, under its
/// package's licence, and is not part of this repository.
fn copy_microflow_model() {
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").expect("HOME or CARGO_HOME")).join(".cargo"),
        PathBuf::from,
    );
    let registry = cargo_home.join("registry/src");
    let model = std::fs::read_dir(&registry)
        .expect("Cargo's registry sources")
        .filter_map(Result::ok)
        .map(|index| index.path().join("microflow-0.1.3/models/sine.tflite"))
        .find(|path| path.exists())
        .expect("microflow 0.1.3 in Cargo's registry (cargo fetch)");
    std::fs::create_dir_all("target/microflow").expect("create target/microflow");
    std::fs::copy(&model, "target/microflow/sine.tflite").expect("copy sine.tflite");
    println!("cargo:rerun-if-changed={}", model.display());
}
