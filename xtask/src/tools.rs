//! The spec tools other languages' users run, installed into `.tools/` from the pins in `tools/`:
//! Redocly CLI, Spectral, Prism, TypeScript and Redoc's standalone bundle from npm
//! (`tools/package.json` + lock), openapi-spec-validator, openapi-generator and the Python clients'
//! runtime dependencies from PyPI (`tools/requirements.txt`). A stamp holding the pins' contents makes
//! the second run instant.

use crate::paths::root;
use std::path::PathBuf;
use std::process::Command;

pub struct Tools {
    pub redocly: PathBuf,
    pub spectral: PathBuf,
    pub prism: PathBuf,
    pub spec_validator: PathBuf,
    pub openapi_generator: PathBuf,
    /// The virtualenv's Python, which can import the generated Python clients.
    pub python: PathBuf,
    pub tsc: PathBuf,
    /// Redoc's self-contained browser bundle, inlined into the offline API reference.
    pub redoc_bundle: PathBuf,
}

/// Installs the tools when missing or when the pins changed.
pub fn ensure() -> Result<Tools, String> {
    let root = root();
    let dir = root.join(".tools");
    let npm_dir = dir.join("npm");
    let venv = dir.join("venv");
    let pins: Vec<PathBuf> = ["tools/package.json", "tools/package-lock.json", "tools/requirements.txt"]
        .iter()
        .map(|p| root.join(p))
        .collect();
    let mut wanted = String::new();
    for pin in &pins {
        wanted.push_str(&std::fs::read_to_string(pin).map_err(|e| format!("cannot read {}: {e}", pin.display()))?);
    }
    let stamp = dir.join("stamp");
    let tools = Tools {
        redocly: npm_dir.join("node_modules/.bin/redocly"),
        spectral: npm_dir.join("node_modules/.bin/spectral"),
        prism: npm_dir.join("node_modules/.bin/prism"),
        spec_validator: venv.join("bin/openapi-spec-validator"),
        openapi_generator: venv.join("bin/openapi-generator-cli"),
        python: venv.join("bin/python"),
        tsc: npm_dir.join("node_modules/.bin/tsc"),
        redoc_bundle: npm_dir.join("node_modules/redoc/bundles/redoc.standalone.js"),
    };
    let installed = std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str())
        && [
            &tools.redocly,
            &tools.spectral,
            &tools.prism,
            &tools.spec_validator,
            &tools.openapi_generator,
            &tools.tsc,
            &tools.redoc_bundle,
        ]
        .iter()
        .all(|p| p.exists());
    if installed {
        return Ok(tools);
    }
    println!("installing spec tools into .tools/ (npm: tools/package.json, PyPI: tools/requirements.txt)");
    std::fs::create_dir_all(&npm_dir).map_err(|e| format!("cannot create {}: {e}", npm_dir.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(root.join("tools").join(file), npm_dir.join(file))
            .map_err(|e| format!("cannot copy tools/{file}: {e}"))?;
    }
    run(
        Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&npm_dir),
        "npm ci",
    )?;
    if !venv.join("bin/python").exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv), "python3 -m venv")?;
    }
    run(
        // `python -m pip`, not `bin/pip`: the script's shebang names the folder the venv was made in.
        Command::new(venv.join("bin/python"))
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(root.join("tools/requirements.txt")),
        "pip install",
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(tools)
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
