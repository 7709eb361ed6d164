//! What `gen --check` reports: every file that differs between a folder and what the generator
//! writes now (changed, missing, extra), each with its first differing lines.

use std::collections::BTreeMap;
use std::path::Path;

/// The last line of a failed `gen --check`: what is wrong and how to fix it.
pub(super) fn stale_summary(count: usize, regenerate: &str) -> String {
    format!(
        "{count} generated file(s) differ from what the generator writes now: run `{regenerate}` and commit the result (never edit generated files by hand)"
    )
}

/// Every difference between `dir` and `files`: changed, missing and extra files, each with its
/// first differing lines. Text is compared with line endings normalised (as rust-analyzer's
/// `ensure_file_contents`), so a checkout that turned `\n` into `\r\n` is not stale.
pub(super) fn compare(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let on_disk = list_files(dir)?;
    let mut reports = Vec::new();
    for (path, expected) in files {
        let file = dir.join(path);
        match on_disk.get(path) {
            None => reports.push(format!(
                "missing: {} (the generator writes it)\n{}",
                file.display(),
                first_differences("", expected, FILE_START_LINES)
            )),
            Some(actual) if normalize_newlines(actual) != normalize_newlines(expected) => reports.push(format!(
                "changed: {}\n{}",
                file.display(),
                first_differences(&normalize_newlines(actual), expected, DIFF_LINES)
            )),
            Some(_) => {}
        }
    }
    for (path, actual) in on_disk.iter().filter(|(p, _)| !files.contains_key(*p)) {
        reports.push(format!(
            "extra: {} (the generator does not write it)\n{}",
            dir.join(path).display(),
            first_differences(actual, "", FILE_START_LINES)
        ));
    }
    Ok(reports)
}

/// `text` with every `\r\n` turned into `\n`.
fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
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

/// How many diff lines `gen --check` shows for a changed file.
const DIFF_LINES: usize = 40;
/// How many lines of a missing or extra file it shows.
const FILE_START_LINES: usize = 12;

/// A unified diff (on disk -> generated), cut after `max_lines` lines.
fn first_differences(actual: &str, expected: &str, max_lines: usize) -> String {
    let diff = similar::TextDiff::from_lines(actual, expected);
    let text = diff.unified_diff().context_radius(2).header("committed", "generated").to_string();
    let lines: Vec<&str> = text.lines().collect();
    let shown = lines.len().min(max_lines);
    let mut out = lines[..shown].join("\n");
    if lines.len() > shown {
        out.push_str(&format!("\n... ({} more diff lines)", lines.len() - shown));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::committed_targets;
    use crate::generate::staging::write_atomically;
    use crate::generate::test_support::*;

    #[test]
    fn compare_reports_changed_missing_and_extra_files_with_their_first_lines() {
        let dir = temp_dir("compare").join("out");
        write_atomically(&dir, &generated_crate(&[("a.rs", "one\ntwo\n"), ("sub/b.rs", "b\n"), ("extra.rs", "x\n")]))
            .unwrap();
        let reports =
            compare(&dir, &generated_crate(&[("a.rs", "one\nTWO\n"), ("sub/b.rs", "b\n"), ("c.rs", "c\n")])).unwrap();
        assert_eq!(reports.len(), 3, "{reports:#?}");
        let report = |kind: &str| {
            reports.iter().find(|r| r.starts_with(kind)).unwrap_or_else(|| panic!("no {kind} report in {reports:#?}"))
        };
        let changed = report("changed:");
        assert!(changed.contains("a.rs") && changed.contains("\n-two") && changed.contains("\n+TWO"), "{changed}");
        let missing = report("missing:");
        assert!(missing.contains("c.rs") && missing.contains("\n+c"), "{missing}");
        let extra = report("extra:");
        assert!(extra.contains("extra.rs") && extra.contains("\n-x"), "{extra}");
        assert!(compare(&dir, &generated_crate(&[("a.rs", "one\ntwo\n"), ("sub/b.rs", "b\n"), ("extra.rs", "x\n")]))
            .unwrap()
            .is_empty());
        assert_eq!(
            stale_summary(3, "cargo xtask gen"),
            "3 generated file(s) differ from what the generator writes now: run `cargo xtask gen` and commit the result (never edit generated files by hand)"
        );
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn long_differences_are_cut_short() {
        let many: String = (0..100).map(|n| format!("line {n}\n")).collect();
        let report = first_differences("", &many, DIFF_LINES);
        assert!(report.contains("+line 0") && !report.contains("+line 99"), "{report}");
        assert!(report.ends_with("more diff lines)"), "{report}");
    }

    /// What a Windows checkout without `.gitattributes` would hold: every `\n` as `\r\n`.
    fn with_crlf(files: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        files.iter().map(|(path, text)| (path.clone(), text.replace('\n', "\r\n"))).collect()
    }

    #[test]
    fn check_passes_on_a_crlf_copy_and_still_sees_real_changes() {
        let dir = temp_dir("crlf").join("out");
        let generated = generated_crate(&[("src/lib.rs", "pub mod a;\n\npub fn f() {}\n"), ("README.md", "# x\n")]);
        let crlf = with_crlf(&generated);
        assert_ne!(crlf, generated);
        write_atomically(&dir, &crlf).unwrap();
        assert!(std::fs::read_to_string(dir.join("src/lib.rs")).unwrap().contains("\r\n"));
        assert!(compare(&dir, &generated).unwrap().is_empty(), "line endings alone made files stale");
        let mut changed = generated.clone();
        changed.insert("src/lib.rs".into(), "pub mod b;\n\npub fn f() {}\n".into());
        let reports = compare(&dir, &changed).unwrap();
        assert_eq!(reports.len(), 1, "{reports:#?}");
        // The diff shows the real change, not every line's ending.
        assert!(reports[0].contains("-pub mod a;") && !reports[0].contains("-pub fn f"), "{}", reports[0]);
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    #[test]
    fn the_committed_crates_pass_check_with_crlf_line_endings() {
        // The comparison `gen --check` runs, between a CRLF copy of each committed crate and its
        // files as committed (LF, as `.gitattributes` keeps them).
        let parent = temp_dir("crlf-committed");
        for target in committed_targets() {
            let committed = list_files(&target.out).unwrap();
            assert!(committed.contains_key("Cargo.toml"), "{}", target.out.display());
            let copy = parent.join(target.out.file_name().unwrap());
            write_atomically(&copy, &with_crlf(&committed)).unwrap();
            let reports = compare(&copy, &committed).unwrap();
            assert!(reports.is_empty(), "{}: {reports:#?}", target.out.display());
        }
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
