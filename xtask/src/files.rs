//! Writing files into folders: what `gen`, `corpus`, `bench` and `package` share.

use std::collections::BTreeMap;
use std::path::Path;

/// Writes `text` to `file`, creating its folder first.
pub fn write_file(file: &Path, text: &str) -> Result<(), String> {
    if let Some(folder) = file.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    std::fs::write(file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// Writes `files` (paths relative to `dir`, with `/`, and their contents) under `dir`.
pub fn write_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    files.iter().try_for_each(|(path, text)| write_file(&dir.join(path), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_with_their_folders() {
        let dir = std::env::temp_dir().join(format!("xtask-write-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = BTreeMap::from([("a.rs".to_owned(), "a".to_owned()), ("sub/deep/b.rs".to_owned(), "b".to_owned())]);
        write_files(&dir, &files).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("a.rs")).unwrap(), "a");
        assert_eq!(std::fs::read_to_string(dir.join("sub/deep/b.rs")).unwrap(), "b");
        // A file where a folder must go cannot be written, and says which.
        let clash = BTreeMap::from([("a.rs/c.rs".to_owned(), String::new())]);
        assert!(write_files(&dir, &clash).unwrap_err().contains("a.rs"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
