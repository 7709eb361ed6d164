//! Where things are: the workspace root and the folders beside it.

use std::path::{Component, Path, PathBuf};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

/// `../shared` beside the repository.
pub fn shared() -> PathBuf {
    root().join("../shared")
}

/// The fixtures folder tests read: `CLOUDSPEC_FIXTURES`, else `../shared/fixtures`.
pub fn fixtures() -> PathBuf {
    std::env::var_os("CLOUDSPEC_FIXTURES").map(PathBuf::from).unwrap_or_else(|| shared().join("fixtures"))
}

/// The target folder this workspace builds into: `CARGO_TARGET_DIR` when set, else `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(|dir| absolute(Path::new(&dir))).unwrap_or_else(|| root().join("target"))
}

/// The OpenAPI documents (`.yaml`, `.yml`, `.json`) directly inside `dir`, sorted.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "yaml" | "yml" | "json")))
        .collect();
    files.sort();
    Ok(files)
}

/// An absolute, lexically normalised form of `path` (no `.`/`..`), without touching the disk.
pub fn absolute(path: &Path) -> PathBuf {
    let joined =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The relative path from directory `from` to `to` (both absolute).
pub fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for part in &to[common..] {
        out.push(part);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b/out"), Path::new("/a/runtime")), PathBuf::from("../../runtime"));
        assert_eq!(relative(Path::new("/a"), Path::new("/a/runtime")), PathBuf::from("runtime"));
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), PathBuf::from("."));
    }

    #[test]
    fn absolute_is_normalised() {
        assert_eq!(absolute(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
    }
}
