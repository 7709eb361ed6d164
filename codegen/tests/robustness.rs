//! The generator never panics: mutated versions of our specs and of public specs written by
//! others go through `generate`, which must return files or diagnostics, nothing else.
//!
//! Mutations (chosen by proptest from a fixed seed, so a failure reproduces): delete a key,
//! replace a value with one of another type, point a `$ref` anywhere (or nowhere), rename a key,
//! and truncate the document's text.

use cloudspec_codegen::{generate, Options, SpecSource};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use std::path::Path;

/// Documents small enough to mutate many times in a debug build.
fn corpus() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files: Vec<_> = std::fs::read_dir(root.join("spec"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    for name in
        ["oai-petstore.yaml", "oai-petstore-expanded.yaml", "oai-link-example.yaml", "oai-callback-example.yaml"]
    {
        files.push(root.join("../shared/specs").join(name));
    }
    // The feature specs share their folder with the `features` test's modules: YAML files only.
    files.extend(
        std::fs::read_dir(root.join("codegen/tests/features"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
    );
    files.sort();
    files
        .into_iter()
        .filter(|p| p.exists())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).unwrap();
            let loaded = cloudspec_codegen::load::load(&SpecSource { file: name.clone(), text })
                .unwrap_or_else(|d| panic!("{d}"));
            (name, loaded.raw)
        })
        .collect()
}

/// Every JSON pointer in `value`.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, u8),
    Reference(usize, usize),
    DanglingReference(usize),
    Rename(usize),
    Truncate(usize),
}

fn replacement(kind: u8) -> Value {
    match kind % 7 {
        0 => Value::Null,
        1 => serde_json::json!(-1),
        2 => serde_json::json!("x"),
        3 => serde_json::json!([]),
        4 => serde_json::json!({}),
        5 => serde_json::json!(true),
        _ => serde_json::json!({"type": "array"}),
    }
}

fn parent_and_key(pointer: &str) -> Option<(&str, String)> {
    let cut = pointer.rfind('/')?;
    Some((&pointer[..cut], pointer[cut + 1..].replace("~1", "/").replace("~0", "~")))
}

/// Applies `mutation`; returns the document's text.
fn apply(doc: &Value, mutation: &Mutation) -> String {
    let mut doc = doc.clone();
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let pick = |i: usize| all[i % all.len()].clone();
    match mutation {
        Mutation::Delete(i) => {
            if let Some((parent, key)) = parent_and_key(&pick(*i)) {
                match doc.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.remove(&key);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(index) = key.parse::<usize>() {
                            if index < items.len() {
                                items.remove(index);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, kind) => {
            if let Some(slot) = doc.pointer_mut(&pick(*i)) {
                *slot = replacement(*kind);
            }
        }
        Mutation::Reference(i, j) => {
            let target = format!("#{}", pick(*j));
            if let Some(slot) = doc.pointer_mut(&pick(*i)) {
                *slot = serde_json::json!({ "$ref": target });
            }
        }
        Mutation::DanglingReference(i) => {
            if let Some(slot) = doc.pointer_mut(&pick(*i)) {
                *slot = serde_json::json!({ "$ref": "#/components/schemas/Nowhere" });
            }
        }
        Mutation::Rename(i) => {
            if let Some((parent, key)) = parent_and_key(&pick(*i)) {
                if let Some(Value::Object(map)) = doc.pointer_mut(parent) {
                    if let Some(v) = map.remove(&key) {
                        map.insert(format!("{key}_renamed"), v);
                    }
                }
            }
        }
        Mutation::Truncate(at) => {
            let text = serde_json::to_string_pretty(&doc).unwrap();
            let mut cut = at % text.len().max(1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            return text[..cut].to_owned();
        }
    }
    serde_json::to_string_pretty(&doc).unwrap()
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Mutation::Replace(i, k)),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Mutation::Reference(i, j)),
        any::<usize>().prop_map(Mutation::DanglingReference),
        any::<usize>().prop_map(Mutation::Rename),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

#[test]
fn mutated_specs_give_results_or_diagnostics_never_a_panic() {
    let documents = corpus();
    assert!(documents.len() >= 8);
    let config = Config { cases: 1000, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let options =
        Options { crate_name: "mutant".into(), runtime_path: Some("../runtime".into()), ..Options::default() };
    let strategy = (0..documents.len(), proptest::collection::vec(mutation(), 1..4));
    runner
        .run(&strategy, |(index, mutations)| {
            let (name, doc) = &documents[index];
            let mut text = serde_json::to_string(doc).unwrap();
            for m in &mutations {
                let current: Value = match serde_json::from_str(&text) {
                    Ok(v) => v,
                    Err(_) => break, // already truncated: keep the broken text
                };
                text = apply(&current, m);
            }
            let source = SpecSource { file: name.clone(), text };
            let outcome = std::panic::catch_unwind(|| generate(&[source], &options));
            prop_assert!(outcome.is_ok(), "the generator panicked on {name} after {mutations:?}");
            if let Ok(Err(diagnostics)) = outcome {
                prop_assert!(
                    diagnostics.0.iter().all(|d| d.pointer.starts_with('#') && d.file == *name),
                    "{diagnostics}"
                );
            }
            Ok(())
        })
        .unwrap();
}

/// The large public specs (DigitalOcean, GitHub, Box, Jira), mutated a few times each. Only
/// loading and lowering run here (emitting them takes seconds each in a debug build); the
/// corpus run (`cargo xtask corpus`) emits and compiles them unmutated.
#[test]
fn mutated_large_public_specs_lower_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs");
    let mut runner = TestRunner::new_with_rng(
        Config { cases: 3, failure_persistence: None, ..Config::default() },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    for name in ["digitalocean-v2.yaml", "github-api.json", "box-platform.json", "jira-platform.json"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = cloudspec_codegen::load::load(&SpecSource { file: name.into(), text })
            .unwrap_or_else(|d| panic!("{d}"))
            .raw;
        runner
            .run(&proptest::collection::vec(mutation(), 1..4), |mutations| {
                let mut text = serde_json::to_string(&doc).unwrap();
                for m in &mutations {
                    let Ok(current) = serde_json::from_str::<Value>(&text) else { break };
                    text = apply(&current, m);
                }
                let outcome = std::panic::catch_unwind(|| {
                    cloudspec_codegen::load::load(&SpecSource { file: name.into(), text })
                        .map(|spec| cloudspec_codegen::lower::lower(&spec, "mutant").diagnostics.len())
                });
                prop_assert!(outcome.is_ok(), "loading or lowering panicked on {name} after {mutations:?}");
                Ok(())
            })
            .unwrap();
    }
}
