//! Generation (load, lower, emit; nothing written) of each corpus spec in `../shared/specs/` and
//! each of ours in `spec/`. There is no reference in-process; `cargo xtask bench` shows the times.

use cloudspec_codegen::{generate, Options, SpecSource};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::Path;

fn specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for dir in [root.join("../shared/specs"), root.join("spec")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let is_spec = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"));
            if let (true, Ok(text)) = (is_spec, std::fs::read_to_string(&path)) {
                found.push((path.file_name().unwrap_or_default().to_string_lossy().into_owned(), text));
            }
        }
    }
    found.sort();
    found
}

fn generation(c: &mut Criterion) {
    let options = Options { crate_name: "bench".into(), runtime_path: None, ..Options::default() };
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    for (name, text) in specs() {
        let source = [SpecSource { file: name.clone(), text }];
        if generate(&source, &options).is_err() {
            continue; // a spec the generator refuses has nothing to time
        }
        group.bench_function(name, |b| b.iter(|| generate(&source, &options)));
    }
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
