//! `cargo xtask lint-spec`: every spec file through the tools other languages' users rely on:
//! openapi-spec-validator, Redocly's recommended rules (`redocly.yaml`, invalid examples are
//! errors), and Spectral's OpenAPI rules (`.spectral.yaml`, run once over all files: any error
//! fails), and this repository's own rules: readers see English only (`english`: no CJK text
//! outside the `x-original-*` keys) and every path parameter has an example (`path_examples`).
//! openapi-generator runs in `cargo xtask clients`, which generates and uses the clients.

use crate::english;
use crate::path_examples;
use crate::paths::{root, spec_files};
use crate::tools;
use cloudspec_codegen::load::{load, LoadedSpec};
use cloudspec_codegen::SpecSource;
use std::path::Path;
use std::process::Command;

pub fn run() -> Result<(), String> {
    let tools = tools::ensure()?;
    let root = root();
    let specs = spec_files(&root.join("spec"))?;
    let mut failures = Vec::new();
    for spec in &specs {
        let name = spec.strip_prefix(&root).unwrap_or(spec).display().to_string();
        println!("--- {name}");
        let raw = match read_spec(spec) {
            Ok(loaded) => loaded.raw,
            Err(e) => {
                println!("FAIL  loading: {e}");
                failures.push(format!("{name}: loading"));
                continue;
            }
        };
        let own_rules: [(&str, Vec<String>); 2] = [
            ("English text (no CJK, stray bullets or outside links)", english::problems(&raw)),
            ("path parameter examples", path_examples::missing(&raw)),
        ];
        for (what, found) in own_rules {
            if found.is_empty() {
                println!("ok    {what}");
            } else {
                println!("FAIL  {what}\n{}", indent(&found.join("\n")));
                failures.push(format!("{name}: {what}"));
            }
        }
        let checks: [(&str, Command); 2] = [
            ("openapi-spec-validator", command(&tools.spec_validator, &[spec.as_os_str()])),
            (
                "redocly lint",
                command(
                    &tools.redocly,
                    &["lint".as_ref(), "--config".as_ref(), root.join("redocly.yaml").as_os_str(), spec.as_os_str()],
                ),
            ),
        ];
        for (what, mut cmd) in checks {
            let output = cmd.current_dir(&root).output().map_err(|e| format!("{what}: cannot start: {e}"))?;
            let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
            if output.status.success() {
                println!("ok    {what}");
                if what == "redocly lint" {
                    for line in log.lines().filter(|l| l.contains("warning")) {
                        println!("      {line}");
                    }
                }
            } else {
                println!("FAIL  {what}\n{}", indent(&log));
                failures.push(format!("{name}: {what}"));
            }
        }
    }
    // One Spectral run over every file: its start-up costs more than the checks.
    println!("--- spec/*.yaml");
    let mut spectral = command(&tools.spectral, &["lint".as_ref(), "--fail-severity".as_ref(), "error".as_ref()]);
    spectral.arg("--ruleset").arg(root.join(".spectral.yaml")).args(&specs);
    let output = spectral.current_dir(&root).output().map_err(|e| format!("spectral: cannot start: {e}"))?;
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        let summary = log.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no problems");
        println!("ok    spectral ({})", summary.trim());
    } else {
        println!("FAIL  spectral\n{}", indent(&log));
        failures.push("spectral (spectral:oas)".to_owned());
    }
    if failures.is_empty() {
        println!("{} spec file(s) passed every linter", specs.len());
        Ok(())
    } else {
        Err(format!("spec lint failed:\n  {}", failures.join("\n  ")))
    }
}

/// The spec as JSON, for this repository's own rules.
pub fn read_spec(spec: &Path) -> Result<LoadedSpec, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    load(&SpecSource { file: spec.display().to_string(), text }).map_err(|e| e.to_string())
}

fn command(program: &Path, args: &[&std::ffi::OsStr]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args);
    cmd
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      {l}")).collect::<Vec<_>>().join("\n")
}
