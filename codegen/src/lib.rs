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
pub mod text;

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
///
/// `Options { crate_name: "my-sdk".into(), ..Options::default() }` leaves every choice at its
/// default (an empty name is refused by [`generate`]: set one).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The package name in the generated `Cargo.toml`.
    pub crate_name: String,
    /// The path from the generated crate to the runtime crate: the `Cargo.toml` dependency
    /// gets it beside the version (building from this checkout, and publishing from it). `None`:
    /// the runtime by version only, as from crates.io.
    pub runtime_path: Option<String>,
    /// The `repository` of the generated package, for a crate published from a repository
    /// (`None` for a crate generated from someone else's spec).
    pub repository: Option<String>,
    /// Also emit `tests/contract.rs`: one test per operation calling it against a Prism mock
    /// (`CLOUDSPEC_MOCK_URL`), with arguments from the spec's examples or built from its schemas.
    pub contract_tests: bool,
    /// One cargo feature per OpenAPI tag (`gen --features-per-tag`): each operation, and each
    /// type only the operations of some tags reach, compiles only with one of their features,
    /// so a user of a huge spec builds the part they call. Off: one feature per service.
    pub features_per_tag: bool,
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
        return Err(Diagnostics(vec![Diagnostic::error("<options>", "#", problem)]));
    }
    let mut diagnostics = Vec::new();
    let mut services = Vec::new();
    let mut modules = naming::Namespace::new();
    // Crate names the generated code uses, the runtime module `lib.rs` re-exports, and the
    // modules inside each service module.
    for name in [
        "tests",
        "std",
        "core",
        "serde",
        "serde_json",
        "cloudspec_runtime",
        "credentials",
        "mock",
        "models",
        "operations",
        "client",
        "error_codes",
    ] {
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
        diagnostics.extend(spec.warnings.iter().cloned());
        let wanted = lower::module_name(&spec);
        let module = modules.claim(&wanted);
        if module != wanted {
            diagnostics.push(Diagnostic::warning(
                &spec.file,
                "#",
                format!("module name {wanted:?} is taken (by another document, or by a name the generated crate uses itself); this one is generated as {module:?} (set `x-sdk-module` to choose)"),
            ));
        }
        let mut lowered = lower::lower(&spec, &module);
        if options.contract_tests {
            if let Some(service) = lowered.service.as_mut() {
                lower::contract::annotate(&spec, service, &lowered.operations_at);
            }
        }
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
    match emit::emit_crate(&services, options) {
        Ok(files) => Ok(Generated { files, warnings: diagnostics }),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(Diagnostics(diagnostics))
        }
    }
}

/// Rust's keywords (strict, reserved and edition-dependent): a crate named after one cannot be
/// named in `use` paths, which the generated examples and tests do.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Crates a generated crate's code already refers to by name (the standard library's, and the
/// generated `Cargo.toml`'s dependencies): a crate of the same name would shadow or clash.
const TAKEN_CRATE_NAMES: &[&str] =
    &["std", "core", "alloc", "proc_macro", "test", "serde", "serde_json", "cloudspec_runtime", "tokio"];

/// crates.io's limit on a package name's length.
const MAX_CRATE_NAME_LEN: usize = 64;

/// Checks that `name` can be the generated package's name: one cargo and crates.io accept (ASCII
/// letters, digits, `-` and `_`, starting with a letter, at most 64 characters), and, since the
/// generated examples and tests write it as a Rust path (`-` -> `_`), neither a Rust keyword nor a
/// crate the generated code already uses (`std`, `core`, `alloc`, `proc_macro`, `test`, `serde`,
/// `serde_json`, `cloudspec_runtime`, `tokio`). The error says what is wrong.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let problem = if name.is_empty() {
        Some("it is empty".to_owned())
    } else if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        Some(format!("{bad:?} is not allowed (use ASCII letters, digits, `-` and `_`)"))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter".to_owned())
    } else if name.len() > MAX_CRATE_NAME_LEN {
        Some(format!("it is {} characters long (at most {MAX_CRATE_NAME_LEN})", name.len()))
    } else {
        let library = name.replace('-', "_");
        if KEYWORDS.contains(&library.as_str()) {
            Some(format!("`{library}` is a Rust keyword"))
        } else if TAKEN_CRATE_NAMES.contains(&library.as_str()) {
            Some(format!("the generated crate already uses a crate named `{library}`"))
        } else {
            None
        }
    };
    match problem {
        Some(problem) => Err(format!("{name:?} cannot be the crate's package name: {problem}")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_package_names_cargo_and_crates_io_accept() {
        for name in ["cloudspec", "feature-snapshots", "my_sdk2", "A", "serde-extra", &"a".repeat(64)] {
            assert_eq!(check_crate_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn rejects_what_cargo_or_the_generated_code_cannot_use() {
        for (name, why) in [
            ("", "empty"),
            ("my sdk", "' ' is not allowed"),
            ("名前", "is not allowed"),
            ("my.sdk", "'.' is not allowed"),
            ("1abc", "start with a letter"),
            ("-x", "start with a letter"),
            ("_x", "start with a letter"),
            ("_", "start with a letter"),
            (&"a".repeat(65), "65 characters"),
            ("fn", "keyword"),
            ("self", "keyword"),
            ("Self", "keyword"),
            ("crate", "keyword"),
            ("gen", "keyword"),
            ("std", "already uses a crate named `std`"),
            ("core", "already uses"),
            ("alloc", "already uses"),
            ("serde", "already uses"),
            ("serde-json", "already uses a crate named `serde_json`"),
            ("tokio", "already uses"),
            ("cloudspec-runtime", "already uses a crate named `cloudspec_runtime`"),
        ] {
            let err = check_crate_name(name).expect_err(name);
            assert!(err.contains(why) && err.contains("cannot be the crate's package name"), "{name:?}: {err}");
        }
    }

    #[test]
    fn an_invalid_crate_name_is_a_diagnostic_not_a_panic() {
        let spec = SpecSource {
            file: "x.yaml".into(),
            text: "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n".into(),
        };
        for bad in ["1abc", "my.sdk", "my sdk"] {
            let options =
                Options { crate_name: bad.into(), runtime_path: Some("../runtime".into()), ..Options::default() };
            let err = generate(std::slice::from_ref(&spec), &options).expect_err(bad);
            assert!(
                err.0
                    .iter()
                    .any(|d| d.severity == Severity::Error && d.message.contains("cannot be the crate's package name")),
                "{err}"
            );
        }
    }
}
