//! Helpers the generator's integration tests share: finding an item in an emitted file and
//! matching code regardless of how prettyplease wrapped it.
// Each test crate includes this module and uses its own subset of it.
#![allow(dead_code)]

use cloudspec_codegen::Options;

/// The options the snapshot crate is generated with (`cargo xtask gen`).
pub fn snapshot_options() -> Options {
    Options { crate_name: "feature-snapshots".into(), runtime_path: Some("../../runtime".into()), ..Options::default() }
}

/// The item that starts with `start` (a line of the file), up to the next `}` at the start of a line.
pub fn item<'a>(text: &'a str, start: &str) -> &'a str {
    let begin = text.find(start).unwrap_or_else(|| panic!("no `{start}` in the generated file"));
    let rest = &text[begin..];
    let end = rest.find("\n}\n").map(|i| i + 3).unwrap_or(rest.len());
    &rest[..end]
}

/// `text` without whitespace, so checks do not depend on how prettyplease wraps lines.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `haystack` contains `needle`, whitespace aside.
pub fn has(haystack: &str, needle: &str) -> bool {
    squash(haystack).contains(&squash(needle))
}
