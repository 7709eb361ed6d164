//! The public API of the committed generated crates (`generated/`, the SDK, and
//! `codegen/snapshots/`, the feature specs' crate), which `cargo xtask gen --check` keeps equal to
//! what the generator writes: every public struct and enum is `#[non_exhaustive]` (a struct with
//! only private fields already is), every operation returns the one success type, and no doc
//! example builds a value with `json!`.

use std::path::{Path, PathBuf};

/// Every `.rs` file under the two crates' `src/`, with its text.
fn generated_sources() -> Vec<(PathBuf, String)> {
    let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for root in [codegen.join("../generated/src"), codegen.join("snapshots/src")] {
        collect(&root, &mut files);
    }
    assert!(files.len() > 10, "only {} generated files found", files.len());
    files
}

fn collect(dir: &Path, files: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((path, text));
        }
    }
}

/// `pub struct` and `pub enum` items at any indentation: (line index, trimmed line).
fn public_types(lines: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("pub struct ") || trimmed.starts_with("pub enum ") {
            found.push((i, trimmed.to_owned()));
        }
    }
    found
}

/// The attributes directly above line `i`.
fn attributes_above<'a>(lines: &[&'a str], i: usize) -> Vec<&'a str> {
    lines[..i].iter().rev().map(|l| l.trim()).take_while(|l| l.starts_with("#[")).collect()
}

/// Whether the braced struct starting at line `i` has only private fields (so it cannot be
/// built or destructured outside the crate either).
fn has_only_private_fields(lines: &[&str], i: usize) -> bool {
    let body = lines[i + 1..].iter().take_while(|l| l.trim() != "}");
    lines[i].trim_end().ends_with('{') && body.into_iter().all(|l| !l.trim_start().starts_with("pub "))
}

#[test]
fn every_public_generated_struct_and_enum_is_non_exhaustive() {
    let mut checked = 0;
    for (path, text) in generated_sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, item) in public_types(&lines) {
            let sealed = item.starts_with("pub struct ") && has_only_private_fields(&lines, i);
            let non_exhaustive = attributes_above(&lines, i).contains(&"#[non_exhaustive]");
            assert!(non_exhaustive || sealed, "{}:{}: `{item}` is not #[non_exhaustive]", path.display(), i + 1);
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} public types found");
}

#[test]
fn every_operation_returns_the_one_success_type() {
    let mut operations = 0;
    for (path, text) in generated_sources().iter().filter(|(p, _)| p.ends_with("client.rs")) {
        for signature in text.split("pub async fn ").skip(1) {
            let returns = &signature[..signature.find('{').unwrap()];
            let (_, output) = returns.split_once("->").unwrap_or_else(|| panic!("{}: {returns}", path.display()));
            let output: String = output.split_whitespace().collect();
            let ok = if signature.starts_with("wait_until_") {
                // A waiter returns what can end its wait: the response in a success state, the
                // service error it succeeds on, or either; it fails with a `WaitError`.
                let success = [
                    "cloudspec_runtime::Response<",
                    "cloudspec_runtime::ServiceError,",
                    "cloudspec_runtime::waiter::WaitOutcome<",
                ];
                success.iter().any(|s| output.starts_with(&format!("Result<{s}")))
                    && output.contains(",cloudspec_runtime::waiter::WaitError<")
            } else {
                output.starts_with("Result<cloudspec_runtime::Response<")
                    || output.starts_with("Result<cloudspec_runtime::StreamingResponse,")
            };
            assert!(ok, "{}: an operation returns {output}", path.display());
            operations += 1;
        }
    }
    assert!(operations > 30, "only {operations} operations found");
}

#[test]
fn no_doc_example_builds_values_with_json() {
    for (path, text) in generated_sources() {
        for (i, line) in text.lines().enumerate() {
            let doc = line.trim_start();
            let is_doc = doc.starts_with("///") || doc.starts_with("//!");
            assert!(!(is_doc && doc.contains("json!")), "{}:{}: {doc}", path.display(), i + 1);
        }
    }
}

#[test]
fn a_struct_with_a_public_field_is_not_sealed() {
    let lines =
        ["pub struct A {", "    inner: u8,", "}", "pub struct B {", "    pub x: u8,", "}", "pub struct C(pub u8);"];
    assert!(has_only_private_fields(&lines, 0));
    assert!(!has_only_private_fields(&lines, 3));
    assert!(!has_only_private_fields(&lines, 6), "a tuple struct is not judged by its braces");
}
