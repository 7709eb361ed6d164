//! `cargo xtask gen`: run the generator, then write its output atomically or compare it with
//! what is on disk.

use crate::paths::{absolute, relative, root};
use cloudspec_codegen::{generate, Options, SpecSource};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One generated crate: which specs, which crate, where.
struct Target {
    specs: PathBuf,
    out: PathBuf,
    crate_name: String,
    /// Add an empty `[workspace]` table so the crate builds on its own outside this workspace.
    standalone: bool,
}

/// The crates this repository commits: the SDK, and the generator's feature snapshots.
fn committed_targets() -> Vec<Target> {
    let root = root();
    vec![
        Target { specs: root.join("spec"), out: root.join("generated"), crate_name: "cloudspec".into(), standalone: false },
        Target {
            specs: root.join("codegen/tests/features"),
            out: root.join("codegen/snapshots"),
            crate_name: "feature-snapshots".into(),
            standalone: false,
        },
    ]
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let (mut spec, mut out, mut crate_name) = (None, None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| rest.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => crate_name = Some(value("--crate-name")?),
            other => return Err(format!("unknown argument {other:?} for gen")),
        }
    }
    let targets = match (spec, out) {
        (None, None) => committed_targets(),
        (Some(spec), Some(out)) => {
            let name = crate_name.unwrap_or_else(|| crate_name_for(&spec));
            vec![Target { specs: spec, out, crate_name: name, standalone: true }]
        }
        _ => return Err("--spec and --out go together".into()),
    };
    let mut stale = Vec::new();
    for target in &targets {
        let files = generate_target(target)?;
        if check {
            stale.extend(compare(&target.out, &files)?);
        } else {
            write_atomically(&target.out, &files)?;
            println!("wrote {} files to {}", files.len(), target.out.display());
        }
    }
    if stale.is_empty() {
        if check {
            println!("generated code is up to date");
        }
        Ok(())
    } else {
        for report in &stale {
            eprintln!("{report}");
        }
        Err(format!("{} generated file(s) differ from what the generator writes now: run `cargo xtask gen`", stale.len()))
    }
}

/// `cargo xtask gen --check` as a step of `cargo xtask test`.
pub fn check() -> Result<(), String> {
    run(&["--check".to_owned()])
}

/// Generates one target in memory.
fn generate_target(target: &Target) -> Result<BTreeMap<String, String>, String> {
    let sources = read_specs(&target.specs)?;
    let out = absolute(&target.out);
    let runtime = relative(&out, &absolute(&root().join("runtime")));
    let options = Options { crate_name: target.crate_name.clone(), runtime_path: runtime.to_string_lossy().replace('\\', "/") };
    match generate(&sources, &options) {
        Ok(generated) => {
            for warning in &generated.warnings {
                eprintln!("{warning}");
            }
            let mut files = generated.files;
            if target.standalone {
                if let Some(manifest) = files.get_mut("Cargo.toml") {
                    manifest.push_str("\n# Not part of any workspace.\n[workspace]\n");
                }
            }
            Ok(files)
        }
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            Err(format!("{} diagnostic(s); nothing was written", diagnostics.0.len()))
        }
    }
}

/// The spec files at `path`: the file itself, or every `.yaml`/`.yml`/`.json` in the folder,
/// sorted. Diagnostics name them relative to the workspace when they are inside it.
fn read_specs(path: &Path) -> Result<Vec<SpecSource>, String> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "yaml" | "yml" | "json")))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    if files.is_empty() {
        return Err(format!("no OpenAPI documents (.yaml, .yml, .json) in {}", path.display()));
    }
    let root = absolute(&root());
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let abs = absolute(file);
            let name = abs.strip_prefix(&root).map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| file.display().to_string());
            Ok(SpecSource { file: name, text })
        })
        .collect()
}

/// A crate name from a spec file or folder name: lower case, `-` separated.
fn crate_name_for(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("sdk");
    let mut name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "sdk-");
    }
    name
}

/// Writes `files` as the whole content of `dir`: built aside, then swapped in, so a failure at
/// any point leaves the old `dir` as it was.
fn write_atomically(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let build = || -> Result<(), String> {
        for (path, contents) in files {
            let file = staging.join(path);
            if let Some(folder) = file.parent() {
                std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
            }
            std::fs::write(&file, contents).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
        Ok(())
    };
    if let Err(e) = build() {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        std::fs::rename(dir, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            format!("cannot move {} aside: {e}", dir.display())
        })?;
    }
    if let Err(e) = std::fs::rename(&staging, dir) {
        // Put the old output back.
        let _ = std::fs::rename(&old, dir);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("cannot move the new output into {}: {e}", dir.display()));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Every difference between `dir` and `files`: changed, missing and extra files, each with the
/// first differing lines.
fn compare(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let on_disk = list_files(dir)?;
    let mut reports = Vec::new();
    for (path, expected) in files {
        let file = dir.join(path);
        match on_disk.get(path) {
            None => reports.push(format!("missing: {} (the generator writes it)", file.display())),
            Some(actual) if actual != expected => reports.push(format!("changed: {}\n{}", file.display(), first_differences(actual, expected))),
            Some(_) => {}
        }
    }
    for path in on_disk.keys().filter(|p| !files.contains_key(*p)) {
        reports.push(format!("extra: {} (the generator does not write it)", dir.join(path).display()));
    }
    Ok(reports)
}

/// The files under `dir` (relative paths with `/`), skipping build output.
fn list_files(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("cannot read {}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
                let contents = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                out.insert(relative, String::from_utf8_lossy(&contents).into_owned());
            }
        }
    }
    Ok(out)
}

/// A unified diff (on disk -> generated) of the first few hunks.
fn first_differences(actual: &str, expected: &str) -> String {
    let diff = similar::TextDiff::from_lines(actual, expected);
    let text = diff.unified_diff().context_radius(2).header("committed", "generated").to_string();
    let lines: Vec<&str> = text.lines().collect();
    let shown = lines.len().min(40);
    let mut out = lines[..shown].join("\n");
    if lines.len() > shown {
        out.push_str(&format!("\n... ({} more diff lines)", lines.len() - shown));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn compare_reports_changed_missing_and_extra_files() {
        let dir = temp_dir("compare");
        write_atomically(&dir, &files(&[("a.rs", "one\ntwo\n"), ("sub/b.rs", "b\n"), ("extra.rs", "x\n")])).unwrap();
        let reports = compare(&dir, &files(&[("a.rs", "one\nTWO\n"), ("sub/b.rs", "b\n"), ("c.rs", "c\n")])).unwrap();
        assert_eq!(reports.len(), 3, "{reports:#?}");
        assert!(reports.iter().any(|r| r.starts_with("changed:") && r.contains("a.rs") && r.contains("-two") && r.contains("+TWO")));
        assert!(reports.iter().any(|r| r.starts_with("missing:") && r.contains("c.rs")));
        assert!(reports.iter().any(|r| r.starts_with("extra:") && r.contains("extra.rs")));
        assert!(compare(&dir, &files(&[("a.rs", "one\ntwo\n"), ("sub/b.rs", "b\n"), ("extra.rs", "x\n")])).unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn atomic_write_replaces_the_whole_folder() {
        let dir = temp_dir("atomic");
        write_atomically(&dir, &files(&[("old.rs", "old")])).unwrap();
        write_atomically(&dir, &files(&[("new.rs", "new")])).unwrap();
        assert!(!dir.join("old.rs").exists());
        assert_eq!(std::fs::read_to_string(dir.join("new.rs")).unwrap(), "new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(&format!("atomic-{}.", std::process::id())))
            .collect();
        assert!(leftovers.is_empty(), "staging folders left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let dir = temp_dir("failed");
        write_atomically(&dir, &files(&[("keep.rs", "keep")])).unwrap();
        // A file and a folder of the same name cannot both be written.
        let err = write_atomically(&dir, &files(&[("x", "file"), ("x/y.rs", "inside")]));
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(dir.join("keep.rs")).unwrap(), "keep");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn crate_names_from_spec_files() {
        assert_eq!(crate_name_for(Path::new("/x/oai-petstore.yaml")), "oai-petstore");
        assert_eq!(crate_name_for(Path::new("api.github.com.json")), "api-github-com");
        assert_eq!(crate_name_for(Path::new("9.yaml")), "sdk-9");
    }
}
