//! `docs/errors.md`, the catalogue of every diagnostic, stays complete: it names every `ui/fail`
//! case, quotes every error line of every `.stderr`, and contains every message written in the
//! stages that report errors (`parse.rs`, `check.rs` and `check/`) and by the layer kinds
//! (`layers/*.rs`: their grammars, which messages quote, and every function handed the error
//! collector, where the kinds' shape rules report). A new diagnostic, or a changed message, fails
//! here until the catalogue describes it.

use std::fs;
use std::path::{Path, PathBuf};
use syn::visit::{self, Visit};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
        .to_path_buf()
}

fn catalogue() -> String {
    fs::read_to_string(workspace().join("docs/errors.md")).expect("docs/errors.md exists")
}

/// The `ui/fail` cases, by file stem, with their `.stderr`.
fn cases() -> Vec<(String, String)> {
    let folder = workspace().join("tests/ui/fail");
    let mut cases: Vec<(String, String)> = fs::read_dir(&folder)
        .expect("tests/ui/fail exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .map(|path| {
            let stem = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("a UTF-8 file name")
                .to_string();
            let stderr = fs::read_to_string(path.with_extension("stderr"))
                .unwrap_or_else(|_| panic!("ui/fail/{stem}.rs has a .stderr"));
            (stem, stderr)
        })
        .collect();
    cases.sort();
    assert!(cases.len() > 40, "found only {} cases", cases.len());
    cases
}

#[test]
fn every_ui_fail_case_is_in_the_catalogue() {
    let catalogue = catalogue();
    let missing: Vec<String> = cases()
        .into_iter()
        .map(|(stem, _)| format!("ui/fail/{stem}.rs"))
        .filter(|case| !catalogue.contains(&format!("`{case}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/errors.md does not name these cases: {missing:#?}"
    );
}

#[test]
fn every_error_of_every_case_is_in_the_catalogue() {
    let catalogue = catalogue();
    let mut missing = Vec::new();
    for (stem, stderr) in cases() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with("error"))
            .collect();
        assert!(!errors.is_empty(), "ui/fail/{stem}.stderr holds no error");
        missing.extend(
            errors
                .into_iter()
                .filter(|error| !catalogue.lines().any(|line| line == *error))
                .map(|error| format!("{stem}: {error}")),
        );
    }
    assert!(
        missing.is_empty(),
        "docs/errors.md does not quote these errors: {missing:#?}"
    );
}

/// Whether a module is `#[cfg(test)]`.
fn is_test(module: &syn::ItemMod) -> bool {
    module.attrs.iter().any(|attribute| {
        attribute.path().is_ident("cfg")
            && attribute
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// The string literals of a file, outside attributes (doc comments) and `#[cfg(test)]` modules.
#[derive(Default)]
struct Literals(Vec<String>);

impl<'ast> Visit<'ast> for Literals {
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if !is_test(module) {
            visit::visit_item_mod(self, module);
        }
    }

    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        self.0.push(literal.value());
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // `format!("...", ...)` and friends: their arguments are expressions.
        if let Ok(arguments) = mac.parse_body_with(
            syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        ) {
            for argument in &arguments {
                self.visit_expr(argument);
            }
        }
    }
}

/// The string literals of a layer kind's module that can reach a message: those of its grammars
/// (`static NAME: Grammar`, whose names, signatures and examples messages quote) and of every
/// function that is handed the error collector (`errors: &Errors`, where its shape rules report);
/// the rest of the module writes code and derivation text, not messages.
#[derive(Default)]
struct KindMessages(Literals);

/// Whether a type names the error collector, `Errors` or `&Errors`.
fn is_errors(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Reference(reference) => is_errors(&reference.elem),
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Errors"),
        _ => false,
    }
}

/// Whether a function takes the error collector.
fn reports(signature: &syn::Signature) -> bool {
    signature.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(typed) => is_errors(&typed.ty),
        syn::FnArg::Receiver(_) => false,
    })
}

impl<'ast> Visit<'ast> for KindMessages {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        if !is_test(module) {
            visit::visit_item_mod(self, module);
        }
    }

    fn visit_item_static(&mut self, item: &'ast syn::ItemStatic) {
        if matches!(&*item.ty, syn::Type::Path(path) if path.path.is_ident("Grammar")) {
            self.0.visit_expr(&item.expr);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if reports(&item.sig) {
            self.0.visit_block(&item.block);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if reports(&item.sig) {
            self.0.visit_block(&item.block);
        }
    }
}

/// The fixed parts of a format string: the text between its `{...}` placeholders, with `{{` and
/// `}}` read as braces.
fn fixed_parts(format: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                parts.last_mut().expect("a part").push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                parts.last_mut().expect("a part").push('}');
            }
            '{' => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
                parts.push(String::new());
            }
            c => parts.last_mut().expect("a part").push(c),
        }
    }
    parts
}

#[test]
fn every_message_in_the_source_is_in_the_catalogue() {
    let catalogue = catalogue();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut messages: Vec<(String, Vec<String>)> = Vec::new();
    for file in [
        "parse.rs",
        "check.rs",
        "check/lower.rs",
        "check/rules.rs",
        "check/layers.rs",
        "check/errors.rs",
        "check/names.rs",
        "check/fixed.rs",
        "check/quantize.rs",
        "lib.rs",
    ] {
        let text = fs::read_to_string(source.join(file)).expect("the source file exists");
        let syntax = syn::parse_file(&text).expect("the source parses");
        let mut literals = Literals::default();
        literals.visit_file(&syntax);
        messages.push((file.to_string(), literals.0));
    }
    let mut kinds: Vec<PathBuf> = fs::read_dir(source.join("layers"))
        .expect("src/layers exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .collect();
    kinds.sort();
    assert!(kinds.len() >= 5, "found only {} layer modules", kinds.len());
    for path in kinds {
        let text = fs::read_to_string(&path).expect("the source file exists");
        let syntax = syn::parse_file(&text).expect("the source parses");
        let mut literals = KindMessages::default();
        literals.visit_file(&syntax);
        let name = path.file_name().expect("a file name").to_string_lossy();
        messages.push((format!("layers/{name}"), literals.0.0));
    }
    let from_kinds: usize = messages
        .iter()
        .filter(|(file, _)| file.starts_with("layers/"))
        .map(|(_, literals)| literals.len())
        .sum();
    assert!(
        from_kinds > 20,
        "found only {from_kinds} literals in the kinds' grammars and shape rules"
    );
    for (file, literals) in messages {
        for literal in literals {
            // Parts of messages are phrases; shorter ones are names, separators and the like.
            for part in fixed_parts(&literal) {
                let part = part.trim();
                if part.chars().count() < 12 {
                    continue;
                }
                checked += 1;
                if !catalogue.contains(part) {
                    missing.push(format!("{file}: {part:?} (in {literal:?})"));
                }
            }
        }
    }
    assert!(checked > 40, "found only {checked} message parts");
    assert!(
        missing.is_empty(),
        "docs/errors.md does not contain these parts of messages: {missing:#?}"
    );
}

#[test]
fn fixed_parts_split_at_placeholders() {
    assert_eq!(
        fixed_parts("unknown {what} `{name}`{hint} {{x}}"),
        ["unknown ", " `", "`", " {x}"]
    );
}
