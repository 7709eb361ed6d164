//! The published crates' `rust-version` must be at least what every dependency in `Cargo.lock`
//! declares: a lower one promises users a Rust that cannot build the locked tree.

use crate::paths::root;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// The workspace's `rust-version` (what both published crates and generated crates declare).
const DECLARED: &str = env!("CARGO_PKG_RUST_VERSION");

/// Fails, naming the dependency, when a locked normal dependency of `crates` needs a newer Rust
/// than the workspace declares.
pub fn check(crates: &[&str]) -> Result<(), String> {
    let output = crate::cargo::command()
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let metadata: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let declared = parse_version(DECLARED).ok_or_else(|| format!("rust-version {DECLARED:?} is not a version"))?;
    match newest_requirement(&metadata, crates) {
        Some((needed, package)) if needed > declared => Err(format!(
            "rust-version is {DECLARED} but the locked {package} needs {}.{}.{}: raise [workspace.package] rust-version",
            needed.0, needed.1, needed.2
        )),
        _ => Ok(()),
    }
}

type Version = (u64, u64, u64);

/// The highest `rust-version` among the normal (non-dev, non-build) dependencies of `crates`,
/// transitively, with the package that declares it.
fn newest_requirement(metadata: &Value, crates: &[&str]) -> Option<(Version, String)> {
    let packages: HashMap<&str, &Value> =
        metadata["packages"].as_array()?.iter().filter_map(|p| Some((p["id"].as_str()?, p))).collect();
    let nodes: HashMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array()?.iter().filter_map(|n| Some((n["id"].as_str()?, n))).collect();
    let mut todo: Vec<&str> = packages
        .iter()
        .filter(|(_, p)| crates.contains(&p["name"].as_str().unwrap_or("")))
        .map(|(id, _)| *id)
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let deps = nodes.get(id).and_then(|n| n["deps"].as_array()).into_iter().flatten();
        for dep in deps {
            let normal = dep["dep_kinds"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k["kind"].is_null()));
            if let Some(pkg) = dep["pkg"].as_str().filter(|_| normal) {
                todo.push(pkg);
            }
        }
    }
    seen.iter()
        .filter_map(|id| {
            let package = packages.get(id)?;
            let needed = parse_version(package["rust_version"].as_str()?)?;
            Some((needed, format!("{} {}", package["name"].as_str()?, package["version"].as_str()?)))
        })
        .max()
}

/// `1.89` or `1.89.0`.
fn parse_version(text: &str) -> Option<Version> {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    Some((parts.next()??, parts.next()??, parts.next().unwrap_or(Some(0))?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_with_or_without_a_patch() {
        assert_eq!(parse_version("1.89"), Some((1, 89, 0)));
        assert_eq!(parse_version("1.88.1"), Some((1, 88, 1)));
        assert_eq!(parse_version("1.x"), None);
    }

    #[test]
    fn the_newest_normal_dependency_requirement_is_found() {
        let metadata = serde_json::json!({
            "packages": [
                {"id": "a", "name": "app", "version": "0.1.0", "rust_version": "1.80"},
                {"id": "b", "name": "lib", "version": "2.0.0", "rust_version": "1.86"},
                {"id": "c", "name": "deep", "version": "1.0.0", "rust_version": "1.89.0"},
                {"id": "d", "name": "devonly", "version": "1.0.0", "rust_version": "1.99"}
            ],
            "resolve": {"nodes": [
                {"id": "a", "deps": [
                    {"pkg": "b", "dep_kinds": [{"kind": null}]},
                    {"pkg": "d", "dep_kinds": [{"kind": "dev"}]}
                ]},
                {"id": "b", "deps": [{"pkg": "c", "dep_kinds": [{"kind": null}]}]},
                {"id": "c", "deps": []},
                {"id": "d", "deps": []}
            ]}
        });
        assert_eq!(newest_requirement(&metadata, &["app"]), Some(((1, 89, 0), "deep 1.0.0".to_owned())));
    }

    #[test]
    fn the_workspace_rust_version_covers_the_locked_tree() {
        check(&["cloudspec-runtime", "cloudspec"]).unwrap();
    }
}
