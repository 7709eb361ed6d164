//! What a generated crate contains, counted for the corpus and bench tables.

use cloudspec_codegen::{Diagnostics, Generated};
use std::collections::BTreeMap;

/// The contract tests' file in a generated crate (`Options::contract_tests`).
pub(crate) const CONTRACT_TESTS: &str = "tests/contract.rs";

/// Counts over every Rust file of one generated crate.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Client methods (`pub async fn`).
    pub operations: usize,
    /// Structs, enums, unions and type aliases, in every module of every file.
    pub types: usize,
    /// Lines of Rust emitted.
    pub lines: usize,
}

impl Stats {
    /// Counts `files` (relative path -> contents); files that are not Rust are skipped, and so
    /// are the contract tests (`corpus --contract`), so the counts mean the same with them or without.
    pub fn of(files: &BTreeMap<String, String>) -> Result<Stats, String> {
        let mut stats = Stats::default();
        for (path, contents) in files.iter().filter(|(path, _)| path.ends_with(".rs") && *path != CONTRACT_TESTS) {
            let file = syn::parse_file(contents).map_err(|e| format!("generated {path} is not valid Rust: {e}"))?;
            stats.types += count_types(&file.items);
            stats.operations += contents.matches("pub async fn ").count();
            stats.lines += contents.lines().count();
        }
        Ok(stats)
    }

    /// A generator run's output with its counts, or why there is nothing to count: the
    /// generator's diagnostics, or emitted Rust that does not parse (a generator bug, which the
    /// corpus exists to catch: one spec's failure, not the end of the table).
    pub fn of_generation(result: &Result<Generated, Diagnostics>) -> Result<(&Generated, Stats), String> {
        match result {
            Ok(generated) => Ok((generated, Stats::of(&generated.files)?)),
            Err(diagnostics) => {
                let first = diagnostics.0.first().map(ToString::to_string).unwrap_or_default();
                Err(format!("generator diagnostics: {} (first: {first})", diagnostics.0.len()))
            }
        }
    }
}

fn count_types(items: &[syn::Item]) -> usize {
    items
        .iter()
        .map(|item| match item {
            syn::Item::Struct(_) | syn::Item::Enum(_) | syn::Item::Union(_) | syn::Item::Type(_) => 1,
            syn::Item::Mod(module) => module.content.as_ref().map_or(0, |(_, items)| count_types(items)),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudspec_codegen::Diagnostic;

    #[test]
    fn counts_types_in_every_file_and_module_but_not_associated_types() {
        let files: BTreeMap<String, String> = [
            ("src/models.rs", "pub struct A;\npub enum B { X }\npub type C = A;\n"),
            ("src/operations.rs", "pub struct Request;\nimpl std::str::FromStr for Request {\n    type Err = ();\n    fn from_str(_: &str) -> Result<Self, ()> { Ok(Request) }\n}\n"),
            ("src/client.rs", "pub struct Client;\nimpl Client {\n    pub async fn list(&self) {}\n    pub async fn get(&self) {}\n}\n"),
            ("tests/examples.rs", "mod inner {\n    struct Private;\n}\n"),
            ("tests/contract.rs", "struct NotCounted;\npub async fn not_counted() {}\n"),
            ("Cargo.toml", "[package]\nname = \"pub struct\"\n"),
        ]
        .into_iter()
        .map(|(path, contents)| (path.to_owned(), contents.to_owned()))
        .collect();
        let stats = Stats::of(&files).unwrap();
        assert_eq!(stats, Stats { operations: 2, types: 6, lines: 3 + 5 + 5 + 3 });
    }

    #[test]
    fn invalid_rust_is_an_error() {
        let files = BTreeMap::from([("src/lib.rs".to_owned(), "pub struct".to_owned())]);
        assert!(Stats::of(&files).unwrap_err().contains("src/lib.rs"));
    }

    #[test]
    fn a_generation_that_fails_or_emits_broken_rust_is_a_reason_not_an_abort() {
        let crate_with = |lib: &str| -> Result<Generated, Diagnostics> {
            Ok(Generated {
                files: [("src/lib.rs".to_owned(), lib.to_owned())].into_iter().collect(),
                warnings: Vec::new(),
            })
        };
        let good = crate_with("pub struct A;\n");
        let (_, stats) = Stats::of_generation(&good).unwrap();
        assert_eq!(stats, Stats { operations: 0, types: 1, lines: 1 });

        let why = Stats::of_generation(&crate_with("pub struct {")).unwrap_err();
        assert!(why.contains("src/lib.rs is not valid Rust"), "{why}");

        let failed = Err(Diagnostics(vec![Diagnostic::error("a.yaml", "#/paths", "a dangling $ref")]));
        let why = Stats::of_generation(&failed).unwrap_err();
        assert!(why.starts_with("generator diagnostics: 1 (first: ") && why.contains("a dangling $ref"), "{why}");
    }
}
