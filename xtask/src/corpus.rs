//! `cargo xtask corpus`: the generator against every public spec in `../shared/specs/` (OpenAPI
//! 3.0) and `../shared/specs-3.1/`, written by others. Each is generated (timed), and the crates selected with `--compile` are checked,
//! every target including the generated example tests, with clippy `-D warnings`.
//!
//! The selected crates form one throwaway workspace built by a single `cargo clippy --keep-going`
//! into the workspace's own target folder, with this workspace's `Cargo.lock` and profiles, so
//! that dependencies this workspace has already checked are reused rather than built again. (Not
//! all of them: cargo resolves features per workspace, and this one turns on more of tokio,
//! indexmap and regex for its tests and the generator, so those, what builds on them (hyper, h2,
//! reqwest) and the runtime are checked again.)
//! Cargo's JSON messages say which crate each diagnostic belongs to, so each crate gets its own
//! verdict. Prints a table; fails when a spec that should generate does not, or a generated crate
//! does not compile.

use crate::paths::{relative, root, shared, spec_files, target_dir};
use crate::stats::Stats;
use cloudspec_codegen::{generate, Options, SpecSource};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// Small specs plus one large one: `--compile small`, the quick check (CI compiles them all).
const COMPILE_SMALL: &[&str] = &[
    "oai-petstore",
    "oai-petstore-expanded",
    "oai-link-example",
    "oai-callback-example",
    "redocly-museum-3.1",
    "digitalocean-v2",
];

/// How many of a failing crate's diagnostics are printed in full.
const DIAGNOSTICS_SHOWN: usize = 10;

struct Row {
    spec: String,
    stats: Stats,
    millis: u128,
    outcome: String,
}

/// `cargo xtask corpus`'s flags.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Which generated crates to check with clippy
    #[arg(long, value_enum, default_value_t = Compile::Small)]
    pub compile: Compile,
}

/// Which generated crates `corpus` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Compile {
    /// Every one (what CI runs: about three and a half minutes on two cores)
    All,
    /// The small specs and DigitalOcean's, for a quicker check
    Small,
    /// None: only generate
    None,
}

pub fn run(args: &CorpusArgs) -> Result<(), String> {
    let compile = args.compile;
    let mut specs = spec_files(&shared().join("specs"))?;
    specs.extend(spec_files(&shared().join("specs-3.1"))?);
    let work = root().join("target/corpus");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut rows = Vec::new();
    let mut members = Vec::new();
    let mut failed = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let out = work.join(&stem);
        // The runtime is not on crates.io: a path dependency (beside the version) to this one.
        let runtime = relative(&out, &root().join("runtime")).to_string_lossy().replace('\\', "/");
        let options = Options {
            crate_name: format!("corpus-{}", stem.replace('.', "-")),
            runtime_path: Some(runtime),
            ..Options::default()
        };
        let folder = spec.parent().and_then(Path::file_name).unwrap_or_default().to_string_lossy();
        let source =
            SpecSource { file: format!("{folder}/{}", spec.file_name().unwrap_or_default().to_string_lossy()), text };
        let started = Instant::now();
        let result = generate(&[source], &options);
        let millis = started.elapsed().as_millis();
        match Stats::of_generation(&result) {
            Ok((generated, stats)) => {
                for (path, contents) in &generated.files {
                    let file = out.join(path);
                    std::fs::create_dir_all(file.parent().unwrap_or(&out))
                        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
                    std::fs::write(&file, contents).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
                }
                let selected = match compile {
                    Compile::All => true,
                    Compile::Small => COMPILE_SMALL.contains(&stem.as_str()),
                    Compile::None => false,
                };
                if selected {
                    members.push(stem.clone());
                }
                let outcome = format!("generated ({} warnings), not compiled", generated.warnings.len());
                rows.push(Row { spec: stem, stats, millis, outcome });
            }
            Err(why) => {
                rows.push(Row { spec: stem.clone(), stats: Stats::default(), millis, outcome: why });
                failed.push(stem);
            }
        }
    }
    let mut details = Vec::new();
    let mut compile_summary = None;
    if !members.is_empty() {
        let started = Instant::now();
        let verdicts = check_crates(&work, &members)?;
        compile_summary = Some(format!(
            "clippy over the {} compiled crate(s): {:.0} s",
            members.len(),
            started.elapsed().as_secs_f64()
        ));
        for row in rows.iter_mut() {
            if let Some(verdict) = verdicts.get(&row.spec) {
                record_verdict(row, verdict, &mut details, &mut failed);
            }
        }
    }
    print_report(&rows, compile_summary, &details);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("corpus failures: {}", failed.join(", ")))
    }
}

/// Puts clippy's verdict on a crate in its row; a failure's diagnostics go to `details`.
fn record_verdict(
    row: &mut Row,
    verdict: &Verdict,
    details: &mut Vec<(String, Vec<String>)>,
    failed: &mut Vec<String>,
) {
    match verdict {
        Verdict::Clean => row.outcome = "compiled, clippy clean".to_owned(),
        Verdict::Diagnostics(messages) => {
            let first = messages.first().and_then(|m| m.lines().next()).unwrap_or_default();
            row.outcome = format!("DOES NOT COMPILE: {} error(s), first: {first}", messages.len());
            details.push((row.spec.clone(), messages.clone()));
            failed.push(row.spec.clone());
        }
        Verdict::NotChecked(why) => {
            row.outcome = "NOT CHECKED (see below)".to_owned();
            details.push((row.spec.clone(), vec![why.clone()]));
            failed.push(row.spec.clone());
        }
    }
}

/// The table, the time clippy took, and the diagnostics of each crate that failed.
fn print_report(rows: &[Row], compile_summary: Option<String>, details: &[(String, Vec<String>)]) {
    println!(
        "\n| spec | operations | types | generation | lines | result |\n| --- | ---: | ---: | ---: | ---: | --- |"
    );
    for row in rows {
        println!(
            "| {} | {} | {} | {} ms | {} | {} |",
            row.spec,
            row.stats.operations,
            row.stats.types,
            row.millis,
            row.stats.lines,
            row.outcome.replace('|', "\\|")
        );
    }
    if let Some(summary) = compile_summary {
        println!("\n{summary}");
    }
    for (spec, messages) in details {
        println!("\n### {spec}\n");
        for message in messages.iter().take(DIAGNOSTICS_SHOWN) {
            println!("{}", message.trim_end());
        }
        if messages.len() > DIAGNOSTICS_SHOWN {
            println!("... and {} more", messages.len() - DIAGNOSTICS_SHOWN);
        }
    }
}

/// What clippy said about one generated crate.
#[derive(Debug, PartialEq)]
enum Verdict {
    Clean,
    /// The crate's own errors (with `-D warnings`, every warning is one), rendered.
    Diagnostics(Vec<String>),
    /// The crate was not checked: a dependency failed, or cargo itself did.
    NotChecked(String),
}

/// Checks `members` (folders of `work`) as one workspace and returns each one's verdict.
fn check_crates(work: &Path, members: &[String]) -> Result<BTreeMap<String, Verdict>, String> {
    let root = root();
    let workspace_manifest =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    // The same dependency versions as the workspace: the same artifacts, and no network.
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let members_list = members.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ");
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{members_list}]\n\n# The profiles of the workspace, so that its checked dependencies are reused.\n{}",
        profile_tables(&workspace_manifest)
    );
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write {}: {e}", work.display()))?;
    // `--lib --test '*'` rather than `--all-targets`: every target a generated crate has, but not
    // the library a second time as its own (empty) unit-test harness, which doubles the time of
    // the large crates. Cargo rejects `--test '*'` when it matches nothing.
    let mut args =
        vec!["clippy", "--workspace", "--lib", "--bins", "--examples", "--keep-going", "--message-format=json"];
    if members.iter().any(|member| work.join(member).join("tests").is_dir()) {
        args.extend(["--test", "*"]);
    }
    let output = crate::cargo::command()
        .args(args)
        .args(["--", "-D", "warnings"])
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let work = std::fs::canonicalize(work).unwrap_or_else(|_| work.to_path_buf());
    Ok(verdicts(&work, members, &String::from_utf8_lossy(&output.stdout), &String::from_utf8_lossy(&output.stderr)))
}

/// Reads cargo's JSON messages: each compiler error is charged to the member whose manifest it
/// names; a member with no errors of its own is clean if its library was checked.
fn verdicts(work: &Path, members: &[String], messages: &str, stderr: &str) -> BTreeMap<String, Verdict> {
    let member_of = |message: &serde_json::Value| {
        let manifest = Path::new(message.get("manifest_path")?.as_str()?);
        let folder = manifest.parent()?;
        (folder.parent()? == work).then(|| folder.file_name()?.to_str()).flatten().map(str::to_owned)
    };
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut other_errors = Vec::new();
    let mut checked_libraries = Vec::new();
    for message in messages.lines().filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok()) {
        match message.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-message") => {
                let diagnostic = message.get("message");
                let level = diagnostic.and_then(|d| d.get("level")).and_then(|l| l.as_str()).unwrap_or_default();
                if !level.starts_with("error") {
                    continue;
                }
                let rendered =
                    diagnostic.and_then(|d| d.get("rendered")).and_then(|r| r.as_str()).unwrap_or(level).to_owned();
                match member_of(&message) {
                    Some(member) => errors.entry(member).or_default().push(rendered),
                    None => other_errors.push(rendered),
                }
            }
            Some("compiler-artifact") => {
                let is_library = message
                    .pointer("/target/kind")
                    .and_then(|k| k.as_array())
                    .is_some_and(|kinds| kinds.iter().any(|k| k == "lib"));
                if let Some(member) = member_of(&message).filter(|_| is_library) {
                    checked_libraries.push(member);
                }
            }
            _ => {}
        }
    }
    let not_checked = if other_errors.is_empty() {
        format!("cargo did not check it:\n{}", stderr.trim_end())
    } else {
        format!("a dependency does not compile:\n{}", other_errors.join("\n"))
    };
    members
        .iter()
        .map(|member| {
            let verdict = match errors.remove(member) {
                Some(own) => Verdict::Diagnostics(own),
                None if checked_libraries.contains(member) => Verdict::Clean,
                None => Verdict::NotChecked(not_checked.clone()),
            };
            (member.clone(), verdict)
        })
        .collect()
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
