//! Where the examples write their loss curves (`backprop_core::fit::LossCurve::write_svg`).

use std::path::PathBuf;

/// `$CARGO_TARGET_DIR/plots/NAME.svg` when that variable is set, else `target/plots/NAME.svg` in
/// the workspace.
pub fn path(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            examples.parent().unwrap_or(examples).join("target")
        },
        PathBuf::from,
    );
    target.join("plots").join(format!("{name}.svg"))
}
