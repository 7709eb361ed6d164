//! The corpus's throwaway workspace (`target/corpus/`): its manifest, clippy over its crates, and
//! reading cargo's JSON messages into a verdict per crate.
//!
//! The crates form one workspace built into the workspace's own target folder, with this
//! workspace's `Cargo.lock` and profiles, so that dependencies this workspace has already built
//! are reused rather than built again. (Not all of them: cargo resolves features per workspace,
//! and this one turns on more of tokio, indexmap and regex for its tests and the generator, so
//! those, what builds on them (hyper, h2, reqwest) and the runtime are built again.)
//! Cargo's JSON messages say which crate each diagnostic belongs to, so each crate gets its own
//! verdict.

use crate::paths::{root, target_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What clippy said about one generated crate.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Clean,
    /// The crate's own errors (with `-D warnings`, every warning is one), rendered.
    Diagnostics(Vec<String>),
    /// The crate was not checked: a dependency failed, or cargo itself did.
    NotChecked(String),
}

/// Writes `work/Cargo.toml` (a workspace of `members`, folders of `work`, with the workspace's
/// profiles) and copies the workspace's `Cargo.lock` beside it; returns `work`, canonical, as
/// cargo's messages name it.
pub fn write(work: &Path, members: &[String]) -> Result<PathBuf, String> {
    let root = root();
    let workspace_manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    // The same dependency versions as the workspace: the same artifacts, and no network.
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let members_list = members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ");
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{members_list}]\n\n# The profiles of the workspace, so that its built dependencies are reused.\n{}",
        profile_tables(&workspace_manifest)
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write {}: {e}", work.display()))?;
    Ok(std::fs::canonicalize(work).unwrap_or_else(|_| work.to_path_buf()))
}

/// Checks the `packages` of the workspace at `work` (canonical) with clippy `-D warnings` and
/// returns each member's verdict (`members[i]` is the folder of `packages[i]`).
pub fn clippy(work: &Path, members: &[String], packages: &[String]) -> Result<BTreeMap<String, Verdict>, String> {
    // `--lib --test '*'` rather than `--all-targets`: every target a generated crate has, but not
    // the library a second time as its own (empty) unit-test harness, which doubles the time of
    // the large crates. Cargo rejects `--test '*'` when it matches nothing.
    let mut command = cargo(work);
    command.args(["clippy", "--lib", "--bins", "--examples", "--keep-going", "--message-format=json"]);
    if members.iter().any(|member| work.join(member).join("tests").is_dir()) {
        command.args(["--test", "*"]);
    }
    for package in packages {
        command.args(["-p", package]);
    }
    let output = command.args(["--", "-D", "warnings"]).output().map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(verdicts(work, members, &String::from_utf8_lossy(&output.stdout), &String::from_utf8_lossy(&output.stderr)))
}

/// A cargo command in the workspace at `work`, building into the workspace's target folder.
pub fn cargo(work: &Path) -> Command {
    let mut command = crate::cargo::command();
    // Throwaway crates built once: incremental state would only cost time and gigabytes of disk.
    command.current_dir(work).env("CARGO_TARGET_DIR", target_dir()).env("CARGO_INCREMENTAL", "0");
    command
}

/// Each member's verdict: its own errors, else clean if its library was checked.
fn verdicts(work: &Path, members: &[String], stdout: &str, stderr: &str) -> BTreeMap<String, Verdict> {
    let mut messages = Messages::read(work, members, stdout);
    members
        .iter()
        .map(|member| {
            let checked = messages.artifacts.iter().any(|(owner, artifact)| {
                owner == member
                    && artifact
                        .pointer("/target/kind")
                        .and_then(|k| k.as_array())
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"))
            });
            let verdict = match messages.errors.remove(member) {
                Some(own) => Verdict::Diagnostics(own),
                None if checked => Verdict::Clean,
                None => Verdict::NotChecked(messages.not_checked(stderr)),
            };
            (member.clone(), verdict)
        })
        .collect()
}

/// Cargo's JSON messages, sorted by the member they belong to.
pub struct Messages {
    /// Each member's compiler errors, rendered.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Errors in crates that are not members (a dependency, the runtime).
    pub other_errors: Vec<String>,
    /// `compiler-artifact` messages of members: (member, message).
    pub artifacts: Vec<(String, serde_json::Value)>,
}

impl Messages {
    /// Reads cargo's JSON lines: a message belongs to the member whose manifest it names (a
    /// folder directly inside `work`, which must be canonical).
    pub fn read(work: &Path, members: &[String], stdout: &str) -> Messages {
        let member_of = |message: &serde_json::Value| {
            let manifest = Path::new(message.get("manifest_path")?.as_str()?);
            let folder = manifest.parent()?;
            let name = (folder.parent()? == work).then(|| folder.file_name()?.to_str()).flatten()?;
            members.iter().any(|m| m == name).then(|| name.to_owned())
        };
        let mut messages = Messages { errors: BTreeMap::new(), other_errors: Vec::new(), artifacts: Vec::new() };
        for message in stdout.lines().filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok()) {
            match message.get("reason").and_then(|r| r.as_str()) {
                Some("compiler-message") => {
                    let diagnostic = message.get("message");
                    let level = diagnostic.and_then(|d| d.get("level")).and_then(|l| l.as_str()).unwrap_or_default();
                    if !level.starts_with("error") {
                        continue;
                    }
                    let rendered = diagnostic.and_then(|d| d.get("rendered")).and_then(|r| r.as_str()).unwrap_or(level);
                    match member_of(&message) {
                        Some(member) => messages.errors.entry(member).or_default().push(rendered.to_owned()),
                        None => messages.other_errors.push(rendered.to_owned()),
                    }
                }
                Some("compiler-artifact") => {
                    if let Some(member) = member_of(&message) {
                        messages.artifacts.push((member, message));
                    }
                }
                _ => {}
            }
        }
        messages
    }

    /// Why a member without errors of its own produced nothing: a dependency's errors, else
    /// what cargo printed.
    pub fn not_checked(&self, stderr: &str) -> String {
        if self.other_errors.is_empty() {
            format!("cargo did not build it:\n{}", stderr.trim_end())
        } else {
            format!("a dependency does not compile:\n{}", self.other_errors.join("\n"))
        }
    }
}

/// The `[profile...]` tables of a workspace manifest, as written.
fn profile_tables(manifest: &str) -> String {
    let mut out = String::new();
    let mut in_profile = false;
    for line in manifest.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_profile = trimmed.starts_with("[profile.");
        }
        if in_profile {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_tables_are_copied_as_written() {
        let manifest = "[workspace]\nmembers = [\"a\"]\n\n[profile.dev]\ndebug = 0\n\n[workspace.dependencies]\nserde = \"1\"\n[profile.dev.package.\"*\"]\nopt-level = 1\n";
        assert_eq!(
            profile_tables(manifest),
            "[profile.dev]\ndebug = 0\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n"
        );
        assert_eq!(profile_tables("[workspace]\n"), "");
    }

    /// One JSON line as cargo prints it.
    fn message(reason: &str, manifest: &str, extra: &str) -> String {
        format!("{{\"reason\":\"{reason}\",\"package_id\":\"x\",\"manifest_path\":\"{manifest}\",{extra}}}")
    }

    fn error(manifest: &str, text: &str) -> String {
        message("compiler-message", manifest, &format!("\"message\":{{\"level\":\"error\",\"rendered\":\"{text}\"}}"))
    }

    fn library(manifest: &str) -> String {
        message("compiler-artifact", manifest, "\"target\":{\"kind\":[\"lib\"]},\"fresh\":false")
    }

    #[test]
    fn each_crate_gets_its_own_verdict() {
        let work = Path::new("/w/target/corpus");
        let members: Vec<String> = ["good", "bad", "blocked"].map(String::from).to_vec();
        let warning = message(
            "compiler-message",
            "/w/target/corpus/good/Cargo.toml",
            "\"message\":{\"level\":\"warning\",\"rendered\":\"warning: capped\"}",
        );
        let stdout = [
            library("/w/runtime/Cargo.toml"),
            library("/w/target/corpus/good/Cargo.toml"),
            warning,
            library("/w/target/corpus/bad/Cargo.toml"),
            error("/w/target/corpus/bad/Cargo.toml", "error: unused import"),
            error("/w/target/corpus/bad/Cargo.toml", "error: second"),
            "not json".to_owned(),
            "{\"reason\":\"build-finished\",\"success\":false}".to_owned(),
        ]
        .join("\n");
        let verdicts = verdicts(work, &members, &stdout, "error: could not compile `corpus-bad`");
        assert_eq!(verdicts["good"], Verdict::Clean);
        assert_eq!(verdicts["bad"], Verdict::Diagnostics(vec!["error: unused import".into(), "error: second".into()]));
        assert!(
            matches!(&verdicts["blocked"], Verdict::NotChecked(why) if why.contains("could not compile")),
            "{:?}",
            verdicts["blocked"]
        );
    }

    #[test]
    fn a_failing_dependency_is_shown_for_the_crates_it_blocked() {
        let work = Path::new("/w/target/corpus");
        let members = vec!["a".to_owned()];
        let stdout = error("/w/runtime/Cargo.toml", "error: in the runtime");
        let verdicts = verdicts(work, &members, &stdout, "");
        assert!(
            matches!(&verdicts["a"], Verdict::NotChecked(why) if why.contains("a dependency does not compile") && why.contains("in the runtime"))
        );
    }
}
