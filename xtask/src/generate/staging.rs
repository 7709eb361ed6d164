//! Writing generated crates: each is written into a folder beside its destination, then all are
//! swapped in, each old one kept aside until every swap succeeded, so a failure leaves every
//! destination as it was. A folder the generator did not write is never replaced.

use super::GENERATED_MARKER;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Swaps every staged crate in, keeping each old one aside until all of them are in: when one swap
/// fails, the ones before it are undone, so either every target is new or every one is as it was.
pub(super) fn commit_all(staged: Vec<Staged>) -> Result<(), String> {
    let mut swapped = Vec::with_capacity(staged.len());
    for crate_ in staged {
        match crate_.swap() {
            Ok(done) => swapped.push(done),
            Err(e) => {
                let mut message = e;
                for done in swapped.into_iter().rev() {
                    if let Err(undo) = done.undo() {
                        message.push_str(&format!("; {undo}"));
                    }
                }
                return Err(message);
            }
        }
    }
    let problems: Vec<String> = swapped.into_iter().filter_map(|done| done.finish().err()).collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Refuses to let `gen` replace `dir` unless it is missing, empty, or a crate the generator wrote
/// before (its `Cargo.toml` starts with [`GENERATED_MARKER`]): `--out` pointed at the wrong
/// folder must not cost anyone their files.
fn ensure_replaceable(dir: &Path) -> Result<(), String> {
    let Ok(metadata) = std::fs::symlink_metadata(dir) else {
        return Ok(());
    };
    if !metadata.is_dir() {
        return Err(format!("{} exists and is not a folder; refusing to replace it", dir.display()));
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if entries.next().is_none() {
        return Ok(());
    }
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    if manifest.starts_with(GENERATED_MARKER) {
        return Ok(());
    }
    Err(format!(
        "{} is not empty and is not a crate cloudspec-codegen generated (no Cargo.toml starting with `{GENERATED_MARKER}`); refusing to replace it: choose a new or empty folder",
        dir.display()
    ))
}

/// A generated crate written into a staging folder beside its destination, not yet swapped in.
/// Dropping it without [`Staged::swap`] removes the staging folder and nothing else.
pub(super) struct Staged {
    dir: PathBuf,
    staging: PathBuf,
}

impl Staged {
    /// Checks that `dir` may be replaced, then writes `files` beside it.
    pub(super) fn prepare(dir: &Path, files: &BTreeMap<String, String>) -> Result<Staged, String> {
        ensure_replaceable(dir)?;
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        let staging = unused_sibling(dir, "new")?;
        std::fs::create_dir(&staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
        // Made before writing, so that a failed write drops it and its staging folder.
        let staged = Staged { dir: dir.to_path_buf(), staging };
        crate::files::write_files(&staged.staging, files)?;
        Ok(staged)
    }

    /// Swaps the staged crate in: the old one is moved aside (and kept until
    /// [`Swapped::finish`]), the new one renamed into place. If the swap fails the old one is put
    /// back.
    fn swap(self) -> Result<Swapped, String> {
        let old = if self.dir.exists() {
            let old = unused_sibling(&self.dir, "old")?;
            std::fs::rename(&self.dir, &old).map_err(|e| format!("cannot move {} aside: {e}", self.dir.display()))?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&self.staging, &self.dir) {
            let mut message = format!("cannot move the new output into {}: {e}", self.dir.display());
            if let Some(old) = &old {
                if let Err(undo) = std::fs::rename(old, &self.dir) {
                    message.push_str(&format!("; the previous output is still at {} ({undo})", old.display()));
                }
            }
            return Err(message);
        }
        Ok(Swapped { dir: self.dir.clone(), old })
    }
}

/// A crate swapped into place whose previous output (if there was one) is still kept aside.
struct Swapped {
    dir: PathBuf,
    old: Option<PathBuf>,
}

impl Swapped {
    /// Removes the previous output: the swap is final.
    fn finish(self) -> Result<(), String> {
        match &self.old {
            Some(old) => std::fs::remove_dir_all(old).map_err(|e| {
                format!("wrote {}, but cannot remove the previous output at {}: {e}", self.dir.display(), old.display())
            }),
            None => Ok(()),
        }
    }

    /// Puts the previous output back (or removes the new one if there was none before).
    fn undo(self) -> Result<(), String> {
        let Some(old) = &self.old else {
            return std::fs::remove_dir_all(&self.dir)
                .map_err(|e| format!("cannot remove the new output at {}: {e}", self.dir.display()));
        };
        let discard = unused_sibling(&self.dir, "discard")?;
        std::fs::rename(&self.dir, &discard).map_err(|e| {
            format!("cannot undo {}: {e}; the previous output is at {}", self.dir.display(), old.display())
        })?;
        std::fs::rename(old, &self.dir).map_err(|e| {
            format!("cannot undo {}: {e}; the previous output is at {}", self.dir.display(), old.display())
        })?;
        std::fs::remove_dir_all(&discard)
            .map_err(|e| format!("restored {}, but cannot remove {}: {e}", self.dir.display(), discard.display()))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a swap the staging folder is gone (renamed into place); this only cleans up
        // after a failure.
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// A path beside `dir` that does not exist yet: `.<name>.<purpose>-<pid>[-<n>]`.
fn unused_sibling(dir: &Path, purpose: &str) -> Result<PathBuf, String> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    (0..100)
        .map(|n| {
            parent.join(if n == 0 {
                format!(".{name}.{purpose}-{}", std::process::id())
            } else {
                format!(".{name}.{purpose}-{}-{n}", std::process::id())
            })
        })
        .find(|path| std::fs::symlink_metadata(path).is_err())
        .ok_or_else(|| format!("cannot find an unused name beside {}", dir.display()))
}

/// Writes `files` as the whole content of `dir` (see [`Staged`]).
#[cfg(test)]
pub(super) fn write_atomically(dir: &Path, files: &BTreeMap<String, String>) -> Result<(), String> {
    commit_all(vec![Staged::prepare(dir, files)?])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::test_support::*;

    #[test]
    fn atomic_write_replaces_a_generated_crate_and_leaves_nothing_beside_it() {
        let parent = temp_dir("atomic");
        let dir = parent.join("out");
        write_atomically(&dir, &generated_crate(&[("old.rs", "old")])).unwrap();
        write_atomically(&dir, &generated_crate(&[("new.rs", "new")])).unwrap();
        assert!(!dir.join("old.rs").exists());
        assert_eq!(std::fs::read_to_string(dir.join("new.rs")).unwrap(), "new");
        assert_eq!(names_in(&parent), ["out"], "staging folders left behind");
        std::fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn an_empty_folder_may_be_written() {
        let dir = temp_dir("empty");
        write_atomically(&dir, &generated_crate(&[("lib.rs", "")])).unwrap();
        assert!(dir.join("lib.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_to_replace_a_folder_the_generator_did_not_write() {
        let parent = temp_dir("refuse");
        let project = parent.join("project");
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
        std::fs::write(project.join("src/main.rs"), "fn main() {}").unwrap();
        let err = write_atomically(&project, &generated_crate(&[("lib.rs", "")])).unwrap_err();
        assert!(err.contains("refusing to replace") && err.contains("project"), "{err}");
        assert_eq!(std::fs::read_to_string(project.join("src/main.rs")).unwrap(), "fn main() {}");
        assert_eq!(names_in(&parent), ["project"]);

        let notes = parent.join("notes.txt");
        std::fs::write(&notes, "keep").unwrap();
        let err = write_atomically(&notes, &generated_crate(&[])).unwrap_err();
        assert!(err.contains("not a folder"), "{err}");
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "keep");
        std::fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_old_output() {
        let parent = temp_dir("failed");
        let dir = parent.join("out");
        write_atomically(&dir, &generated_crate(&[("keep.rs", "keep")])).unwrap();
        // A file and a folder of the same name cannot both be written.
        let err = write_atomically(&dir, &generated_crate(&[("x", "file"), ("x/y.rs", "inside")]));
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(dir.join("keep.rs")).unwrap(), "keep");
        assert_eq!(names_in(&parent), ["out"]);
        std::fs::remove_dir_all(&parent).unwrap();
    }

    #[test]
    fn a_failed_second_swap_puts_the_first_target_back() {
        let parent = temp_dir("rollback");
        let (first, second) = (parent.join("first"), parent.join("second"));
        write_atomically(&first, &generated_crate(&[("old.rs", "first")])).unwrap();
        write_atomically(&second, &generated_crate(&[("old.rs", "second")])).unwrap();
        let staged = vec![
            Staged::prepare(&first, &generated_crate(&[("new.rs", "new")])).unwrap(),
            Staged::prepare(&second, &generated_crate(&[("new.rs", "new")])).unwrap(),
        ];
        // The second crate's staging folder vanishes, so its swap fails after the first one's.
        std::fs::remove_dir_all(&staged[1].staging).unwrap();
        let err = commit_all(staged).unwrap_err();
        assert!(err.contains("second"), "{err}");
        for (dir, old) in [(&first, "first"), (&second, "second")] {
            assert_eq!(std::fs::read_to_string(dir.join("old.rs")).unwrap(), old);
            assert!(!dir.join("new.rs").exists(), "{} kept the new output", dir.display());
        }
        assert_eq!(names_in(&parent), ["first", "second"], "folders left beside the targets");

        // A target that did not exist before is removed again.
        let fresh = parent.join("fresh");
        let staged = vec![
            Staged::prepare(&fresh, &generated_crate(&[])).unwrap(),
            Staged::prepare(&second, &generated_crate(&[])).unwrap(),
        ];
        std::fs::remove_dir_all(&staged[1].staging).unwrap();
        commit_all(staged).unwrap_err();
        assert_eq!(names_in(&parent), ["first", "second"]);
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
