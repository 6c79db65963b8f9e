//! The published crates carry what crates.io and docs.rs need: both licence texts (copies of the
//! root's, since a symlink is not packaged), a README, keywords and categories, and for the
//! runtime the docs.rs metadata that documents every feature. `.ci/publish-dry-run` packages and
//! builds them.

use std::fs;
use std::path::{Path, PathBuf};

const PUBLISHED: [&str; 3] = ["backprop-codegen", "backprop-macros", "backprop-core"];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn every_published_crate_has_both_licences_and_a_readme() {
    let root = workspace();
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let text = read(&root.join(licence));
        assert!(text.len() > 1000, "{licence} is the full text");
        for package in PUBLISHED {
            assert_eq!(
                read(&root.join(package).join(licence)),
                text,
                "{package}/{licence} is a copy of the root's"
            );
        }
    }
    for package in PUBLISHED {
        let manifest = read(&root.join(package).join("Cargo.toml"));
        for key in [
            "readme = \"README.md\"",
            "keywords = [",
            "categories = [",
            "license.workspace = true",
        ] {
            assert!(manifest.contains(key), "{package}/Cargo.toml has {key}");
        }
        assert!(
            read(&root.join(package).join("README.md")).starts_with(&format!("# {package}\n")),
            "{package}/README.md"
        );
    }
    assert!(read(&root.join("Cargo.toml")).contains("license = \"MIT OR Apache-2.0\""));
}

#[test]
fn docs_rs_documents_every_feature_of_the_runtime() {
    let manifest = read(&workspace().join("backprop-core/Cargo.toml"));
    let metadata = manifest
        .split_once("[package.metadata.docs.rs]")
        .map(|(_, rest)| rest)
        .expect("backprop-core has docs.rs metadata");
    assert!(metadata.contains("all-features = true"));
    assert!(metadata.contains("rustdoc-args = [\"--cfg\", \"docsrs\"]"));
    let runtime = read(&workspace().join("backprop-core/src/lib.rs"));
    assert!(runtime.contains("#![cfg_attr(docsrs, feature(doc_cfg))]"));
}
