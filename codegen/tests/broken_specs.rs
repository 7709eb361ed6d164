//! A corpus of deliberately broken specs (`tests/broken-specs/`): each must fail with the
//! diagnostics its header announces, each at the right JSON pointer, and never panic.
//!
//! A spec states what it expects in `# expect:` comment lines (JSON files, which cannot hold
//! comments, in a sibling `<file>.expect`):
//! `# expect: error <json-pointer> <text the message contains>`, or `# expect: count <N>` for the
//! exact number of errors.

use cloudspec_codegen::{generate, Options, Severity, SpecSource};
use std::path::Path;

struct Expectation {
    pointer: String,
    text: String,
}

fn expectations(spec: &str, sidecar: Option<String>) -> (Vec<Expectation>, Option<usize>) {
    let lines: Vec<String> = match sidecar {
        Some(text) => text.lines().map(|l| format!("# expect: {l}")).collect(),
        None => spec.lines().map(str::to_owned).collect(),
    };
    let mut out = Vec::new();
    let mut count = None;
    for line in lines {
        let Some(rest) = line.strip_prefix("# expect: ") else { continue };
        if let Some(n) = rest.strip_prefix("count ") {
            count = Some(n.trim().parse().expect("a count"));
            continue;
        }
        let rest = rest.strip_prefix("error ").expect("expectations are errors");
        let (pointer, text) = rest.split_once(' ').unwrap_or((rest, ""));
        out.push(Expectation { pointer: pointer.to_owned(), text: text.to_owned() });
    }
    (out, count)
}

#[test]
fn every_broken_spec_gives_its_expected_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken-specs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the corpus must hold at least 20 broken specs, has {}", files.len());
    let options =
        Options { crate_name: "broken".into(), runtime_path: Some("../runtime".into()), ..Options::default() };
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let sidecar = std::fs::read_to_string(path.with_file_name(format!("{name}.expect"))).ok();
        let (expected, count) = expectations(&text, sidecar);
        assert!(!expected.is_empty(), "{name} announces no expected diagnostic");
        let file = format!("tests/broken-specs/{name}");
        let result =
            std::panic::catch_unwind(|| generate(&[SpecSource { file: file.clone(), text: text.clone() }], &options));
        let diagnostics = match result {
            Err(_) => {
                failures.push(format!("{name}: the generator panicked"));
                continue;
            }
            Ok(Ok(_)) => {
                failures.push(format!("{name}: generated code instead of failing"));
                continue;
            }
            Ok(Err(d)) => d.0,
        };
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        for want in &expected {
            let found =
                errors.iter().any(|d| d.file == file && d.pointer == want.pointer && d.message.contains(&want.text));
            if !found {
                let got: Vec<String> = errors.iter().map(|d| format!("{} {}", d.pointer, d.message)).collect();
                failures.push(format!(
                    "{name}: no error at {} containing {:?}; got:\n    {}",
                    want.pointer,
                    want.text,
                    got.join("\n    ")
                ));
            }
        }
        if let Some(n) = count {
            if errors.len() != n {
                failures.push(format!("{name}: {} errors, expected {n}", errors.len()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diagnostics_print_file_pointer_and_message() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /v1.1/{project_id}/clusters:\n    post:\n      responses: {}\n";
    let err = generate(
        &[SpecSource { file: "spec/x.yaml".into(), text: spec.into() }],
        &Options { crate_name: "x".into(), runtime_path: Some("r".into()), ..Options::default() },
    )
    .unwrap_err();
    let printed = err.to_string();
    assert!(printed.contains("error: spec/x.yaml: #/paths/~1v1.1~1{project_id}~1clusters/post/responses: an operation needs at least one response"), "{printed}");
}
