//! `cargo xtask corpus`: the generator against every public spec in `../shared/specs/`, written
//! by others. Each is generated (timed), and the crates selected with `--compile` are built in
//! one throwaway workspace (one target folder, so dependencies build once) with clippy
//! `-D warnings`. Prints a table; fails when a spec that should generate does not, or a
//! generated crate does not compile.

use crate::paths::{relative, root, shared};
use cloudspec_codegen::{generate, Options, SpecSource};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// Small specs plus one large one: what CI compiles to stay well inside its time.
const COMPILE_SMALL: &[&str] = &["oai-petstore", "oai-petstore-expanded", "oai-link-example", "oai-callback-example", "digitalocean-v2"];

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    millis: u128,
    lines: usize,
    outcome: String,
}

pub fn run(args: &[String]) -> Result<(), String> {
    let compile = match args {
        [] => "small",
        [flag, value] if flag == "--compile" && matches!(value.as_str(), "small" | "all" | "none") => value.as_str(),
        _ => return Err("usage: cargo xtask corpus [--compile small|all|none]".into()),
    };
    let specs_dir = shared().join("specs");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&specs_dir)
        .map_err(|e| format!("cannot read {}: {e}", specs_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    let work = root().join("target/corpus");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut failed = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let out = work.join(&stem);
        let runtime = relative(&out, &root().join("runtime")).to_string_lossy().into_owned();
        let crate_name = format!("corpus-{stem}");
        let started = Instant::now();
        let result = generate(&[SpecSource { file: format!("specs/{}", spec.file_name().unwrap_or_default().to_string_lossy()), text }], &Options { crate_name, runtime_path: runtime });
        let millis = started.elapsed().as_millis();
        match result {
            Ok(generated) => {
                let rust: Vec<&String> = generated.files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, c)| c).collect();
                let lines = rust.iter().map(|c| c.lines().count()).sum();
                let operations = rust.iter().map(|c| c.matches("pub async fn ").count()).sum();
                let types = generated.files.iter().filter(|(p, _)| p.ends_with("models.rs")).map(|(_, c)| c.matches("\npub struct ").count() + c.matches("\npub enum ").count() + c.matches("\npub type ").count()).sum();
                for (path, contents) in &generated.files {
                    let file = out.join(path);
                    std::fs::create_dir_all(file.parent().unwrap_or(&out)).map_err(|e| e.to_string())?;
                    std::fs::write(&file, contents).map_err(|e| e.to_string())?;
                }
                let selected = compile == "all" || (compile == "small" && COMPILE_SMALL.contains(&stem.as_str()));
                if selected {
                    members.push(stem.clone());
                }
                let outcome = if selected { "generated, compiling".to_owned() } else { format!("generated ({} warnings)", generated.warnings.len()) };
                rows.push(Row { spec: stem, operations, types, millis, lines, outcome });
            }
            Err(diagnostics) => {
                let first = diagnostics.0.first().map(ToString::to_string).unwrap_or_default();
                rows.push(Row { spec: stem.clone(), operations: 0, types: 0, millis, lines: 0, outcome: format!("diagnostics: {} (first: {first})", diagnostics.0.len()) });
                failed.push(stem);
            }
        }
    }
    if !members.is_empty() {
        let manifest = format!(
            "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
        );
        std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        let started = Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["clippy", "--workspace", "--quiet", "--", "-D", "warnings"])
            .current_dir(&work)
            .env("CARGO_TARGET_DIR", root().join("target/corpus-target"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let verdict = if status.success() { format!("compiled, clippy clean ({:.0}s for all)", started.elapsed().as_secs_f64()) } else { "DOES NOT COMPILE (see above)".to_owned() };
        for row in rows.iter_mut().filter(|r| members.contains(&r.spec)) {
            row.outcome = verdict.clone();
        }
        if !status.success() {
            failed.extend(members.iter().cloned());
        }
    }
    println!("\n| spec | operations | types | generation | lines | result |\n| --- | ---: | ---: | ---: | ---: | --- |");
    for row in &rows {
        println!("| {} | {} | {} | {} ms | {} | {} |", row.spec, row.operations, row.types, row.millis, row.lines, row.outcome);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("corpus failures: {}", failed.join(", ")))
    }
}
