//! cloudspec-codegen: OpenAPI 3.0 documents in, Rust SDK source out.
//!
//! The pipeline has three stages, each in its own module and each reading only the one before it:
//!
//! 1. [`load`]: text -> `openapiv3::OpenAPI` plus the raw JSON tree (for extensions and JSON pointers).
//! 2. [`lower`]: OpenAPI -> the small intermediate model in [`ir`] (types, operations, constraints).
//! 3. [`emit`]: intermediate model -> Rust source files, formatted with prettyplease.
//!
//! The library does no I/O of its own: callers hand it file names and contents and get back a map of
//! relative paths to file contents (or every [`Diagnostic`] found).

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod pointer;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};

use std::collections::BTreeMap;

/// One OpenAPI document handed to the generator.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// The name diagnostics use for this document (normally its path).
    pub file: String,
    /// The document's text (YAML or JSON).
    pub text: String,
}

/// How the generated crate is laid out and named.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name in the generated `Cargo.toml`.
    pub crate_name: String,
    /// The path from the generated crate to the runtime crate, for its `Cargo.toml` dependency.
    pub runtime_path: String,
}

/// What the generator produced: relative path -> file contents, plus any warnings.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    pub warnings: Vec<Diagnostic>,
}

/// Generates a whole crate from `specs`: one module (and cargo feature) per document.
///
/// Every document is loaded and lowered even when an earlier one fails, so one run reports every
/// problem; on any error nothing is returned but the diagnostics (warnings included).
pub fn generate(specs: &[SpecSource], options: &Options) -> Result<Generated, Diagnostics> {
    if let Err(problem) = check_crate_name(&options.crate_name) {
        return Err(Diagnostics(vec![Diagnostic::error("<options>", "#", format!("the crate name {:?} {problem}", options.crate_name))]));
    }
    let mut diagnostics = Vec::new();
    let mut services = Vec::new();
    let mut modules = naming::Namespace::new();
    // Crate names the generated code uses, the runtime module `lib.rs` re-exports, and the
    // modules inside each service module.
    for name in ["tests", "std", "core", "serde", "serde_json", "cloudspec_runtime", "credentials", "models", "operations", "client", "error_codes"] {
        modules.reserve(name);
    }
    for source in specs {
        let spec = match load::load(source) {
            Ok(spec) => spec,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let wanted = lower::module_name(&spec);
        let module = modules.claim(&wanted);
        if module != wanted {
            diagnostics.push(Diagnostic::warning(
                &spec.file,
                "#",
                format!("module name {wanted:?} is taken (by another document, or by a name the generated crate uses itself); this one is generated as {module:?} (set `x-sdk-module` to choose)"),
            ));
        }
        let lowered = lower::lower(&spec, &module);
        let lowering_failed = lowered.service.is_none();
        diagnostics.extend(lowered.diagnostics);
        match spec.structure {
            // Lowering's own diagnostics are more precise; the parser's report is the fallback.
            Err(d) if !lowering_failed => diagnostics.push(d),
            _ => services.extend(lowered.service),
        }
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    if failed {
        return Err(Diagnostics(diagnostics));
    }
    match emit::emit_crate(&services, &options.crate_name, &options.runtime_path) {
        Ok(files) => Ok(Generated { files, warnings: diagnostics }),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(Diagnostics(diagnostics))
        }
    }
}

/// Whether `name` can be the generated package's name: Cargo's rules (ASCII letters, digits, `-`
/// and `_`, not starting with a digit), and, since the generated tests and examples write it as a
/// Rust path (`-` -> `_`), not a keyword.
fn check_crate_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("is empty: a cargo package needs a name");
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("is not a cargo package name: use only ASCII letters, digits, `-` and `_`");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("is not a cargo package name: it must not start with a digit");
    }
    let as_path = name.replace('-', "_");
    if as_path == "_" || syn::parse_str::<syn::Ident>(&as_path).is_err() {
        return Err("cannot be used as a Rust crate name: it is a keyword");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_follow_cargo_rules() {
        for good in ["cloudspec", "feature-snapshots", "my_sdk2", "_x"] {
            assert_eq!(check_crate_name(good), Ok(()), "{good}");
        }
        for bad in ["", "1abc", "my.sdk", "my sdk", "名前", "self", "crate", "_", "fn"] {
            assert!(check_crate_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn an_invalid_crate_name_is_a_diagnostic_not_a_panic() {
        let spec = SpecSource { file: "x.yaml".into(), text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n".into() };
        for bad in ["1abc", "my.sdk", "my sdk"] {
            let options = Options { crate_name: bad.into(), runtime_path: "../runtime".into() };
            let err = generate(std::slice::from_ref(&spec), &options).expect_err(bad);
            assert!(err.0.iter().any(|d| d.severity == Severity::Error && d.message.contains("crate name")), "{err}");
        }
    }
}
