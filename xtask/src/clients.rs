//! `cargo xtask clients`: the specs as other languages' users meet them. openapi-generator writes a
//! Python and a TypeScript (`typescript-fetch`) client for every spec in one JVM (`batch`); each
//! spec gets a Prism mock on a free loopback port; `tools/call_clients.py` calls every operation
//! through the Python client with the spec's examples; `tsc --strict` compiles the TypeScript
//! clients. Any failed call or compile error fails the task, naming the operation or file.

use crate::paths::{root, spec_files, target_dir};
use crate::prism::Prism;
use crate::tools::{self, Tools};
use std::path::{Path, PathBuf};
use std::process::Command;

/// One spec and where its clients go.
struct Target {
    spec: PathBuf,
    stem: String,
    python_dir: PathBuf,
    typescript_dir: PathBuf,
}

impl Target {
    /// The generated Python package's name: `huaweicloud_cdm_client` for `huaweicloud-cdm.yaml`.
    fn python_package(&self) -> String {
        format!("{}_client", self.stem.replace(|c: char| !c.is_ascii_alphanumeric(), "_"))
    }
}

pub fn run() -> Result<(), String> {
    let tools = tools::ensure()?;
    let root = root();
    let out = target_dir().join("clients");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    let targets: Vec<Target> = spec_files(&root.join("spec"))?
        .into_iter()
        .map(|spec| {
            let stem = spec.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let python_dir = out.join("python").join(&stem);
            let typescript_dir = out.join("typescript").join(&stem);
            Target { spec, stem, python_dir, typescript_dir }
        })
        .collect();
    // Prism starts (node, a few seconds each) while the JVM generates.
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut mocks = targets
        .iter()
        .map(|t| Prism::spawn(&tools, &t.spec, out.join(format!("prism-{}.log", t.stem))))
        .collect::<Result<Vec<_>, _>>()?;
    generate(&tools, &targets, &out)?;
    let mut failures = Vec::new();
    println!("--- Python clients against Prism");
    if let Err(e) = call_operations(&tools, &targets, &mut mocks) {
        failures.push(e);
    }
    drop(mocks);
    println!("--- TypeScript clients (tsc --strict)");
    if let Err(e) = compile_typescript(&tools, &targets) {
        failures.push(e);
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// Both clients of every spec from one openapi-generator JVM (`batch`, one config file each).
fn generate(tools: &Tools, targets: &[Target], out: &Path) -> Result<(), String> {
    let configs_dir = out.join("configs");
    std::fs::create_dir_all(&configs_dir).map_err(|e| format!("cannot create {}: {e}", configs_dir.display()))?;
    let mut configs = Vec::new();
    for target in targets {
        let python = serde_json::json!({
            "generatorName": "python",
            "inputSpec": target.spec,
            "outputDir": target.python_dir,
            "additionalProperties": { "packageName": target.python_package() },
        });
        let typescript = serde_json::json!({
            "generatorName": "typescript-fetch",
            "inputSpec": target.spec,
            "outputDir": target.typescript_dir,
        });
        for (language, config) in [("python", python), ("typescript", typescript)] {
            let file = configs_dir.join(format!("{}-{language}.json", target.stem));
            std::fs::write(&file, config.to_string()).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            configs.push(file);
        }
    }
    let output = Command::new(&tools.openapi_generator)
        .args(["batch", "--fail-fast"])
        .args(&configs)
        .output()
        .map_err(|e| format!("cannot start openapi-generator: {e}"))?;
    if output.status.success() {
        println!("generated {} clients (python, typescript-fetch)", configs.len());
        Ok(())
    } else {
        Err(format!(
            "openapi-generator batch failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Runs the driver over every spec; it prints the per-operation table itself.
fn call_operations(tools: &Tools, targets: &[Target], mocks: &mut [Prism]) -> Result<(), String> {
    let mut driver = Command::new(&tools.python);
    driver.arg(root().join("tools/call_clients.py"));
    for (target, mock) in targets.iter().zip(mocks.iter_mut()) {
        mock.wait_until_listening()?;
        driver.arg(&target.spec).arg(&target.python_dir).arg(target.python_package()).arg(mock.url());
    }
    let status = driver.status().map_err(|e| format!("cannot start the Python driver: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("operations failed through the Python clients (the FAIL rows above name each one and its error)".into())
    }
}

/// One `tsc --strict --noEmit` over every TypeScript client.
fn compile_typescript(tools: &Tools, targets: &[Target]) -> Result<(), String> {
    let output = Command::new(&tools.tsc)
        .args(["--strict", "--noEmit", "--pretty", "false"])
        .args(["--target", "es2020", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2020,dom"])
        .args(targets.iter().map(|t| t.typescript_dir.join("index.ts")))
        .output()
        .map_err(|e| format!("cannot start tsc: {e}"))?;
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        println!("{} TypeScript clients compile with tsc --strict", targets.len());
        Ok(())
    } else {
        println!("{log}");
        Err(format!("the TypeScript clients do not compile with tsc --strict:\n{log}"))
    }
}
