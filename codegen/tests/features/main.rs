//! One test per supported OpenAPI feature, on the small specs in `tests/features/`.
//!
//! These check what the generator emits for each feature; the same specs are generated into the
//! `feature-snapshots` crate (`codegen/snapshots/`), which the workspace compiles with clippy
//! `-D warnings` and whose behaviour `sdk-tests/tests/features/` exercises.

#[path = "../support/mod.rs"]
mod support;

use cloudspec_codegen::{generate, Generated, SpecSource};
use std::path::Path;
use std::sync::OnceLock;
use support::{has, item, snapshot_options};

/// Every feature spec, in file order (as `cargo xtask gen` reads them).
fn feature_specs() -> Vec<SpecSource> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features");
    let mut specs: Vec<SpecSource> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .map(|p| SpecSource {
            file: format!("tests/features/{}", p.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect();
    specs.sort_by(|a, b| a.file.cmp(&b.file));
    specs
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        generate(&feature_specs(), &snapshot_options())
            .unwrap_or_else(|d| panic!("the feature specs must generate:\n{d}"))
    })
}

fn file(path: &str) -> &'static str {
    generated().files.get(path).unwrap_or_else(|| {
        panic!("{path} was not generated; files: {:?}", generated().files.keys().collect::<Vec<_>>())
    })
}

/// One client method, from its signature to its closing brace.
fn method(name: &str) -> &'static str {
    let text = client();
    let start = format!("    pub async fn {name}(");
    let begin = text.find(&start).unwrap_or_else(|| panic!("no method {name} in the generated client"));
    let rest = &text[begin..];
    &rest[..rest.find("\n    }\n").map_or(rest.len(), |i| i + 7)]
}

fn models() -> &'static str {
    file("src/schemas/models.rs")
}

fn operations() -> &'static str {
    file("src/ops/operations.rs")
}

fn client() -> &'static str {
    file("src/ops/client.rs")
}

mod examples;
mod models;
mod operations;
mod params;
mod types;
