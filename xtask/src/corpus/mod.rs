//! `cargo xtask corpus`: the generator against every public spec in `../shared/specs/` (OpenAPI
//! 3.0) and `../shared/specs-3.1/`, written by others. Each is generated (timed), and the crates
//! selected with `--compile` are checked, every target including the generated example tests, with
//! clippy `-D warnings`, in one throwaway workspace ([`workspace`]). With `--contract`, the small and
//! medium specs (and the generator's security feature spec) are generated with contract tests too,
//! which [`crate::contract`] builds and runs against Prism.
//!
//! Prints a table; fails when a spec that should generate does not, a generated crate does not
//! compile, a contract crate does not build, fewer than 95 % of the public specs' operations pass
//! against the mock, or a feature spec's operation fails.

pub mod workspace;

use crate::contract::{self, Suite};
use crate::paths::{relative, root, shared, spec_files};
use crate::stats::Stats;
use cloudspec_codegen::{generate, Options, SpecSource};
use std::path::{Path, PathBuf};
use std::time::Instant;
use workspace::Verdict;

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

/// One spec's line in the table, and where its crate is.
struct Row {
    /// The spec's file stem (`features/<stem>` for a generator feature spec).
    spec: String,
    /// The crate's folder in the corpus workspace, and its package name.
    member: String,
    package: String,
    spec_path: PathBuf,
    /// A generator feature spec (contract tests only), not a public spec.
    feature: bool,
    stats: Stats,
    millis: u128,
    outcome: String,
    generated: bool,
    /// Generated with contract tests.
    contract_tests: bool,
    /// The generator wrote `tests/contract.rs` (not for a spec without operations).
    contract_file: bool,
    /// What its contract tests reported (`None`: not run).
    contract: Option<contract::Outcome>,
}

/// `cargo xtask corpus`'s flags.
#[derive(Debug, clap::Args)]
pub struct CorpusArgs {
    /// Which generated crates to check with clippy
    #[arg(long, value_enum, default_value_t = Compile::Small)]
    pub compile: Compile,
    /// Also generate contract tests for the small and medium specs (under 2 MiB: all but
    /// GitHub's) and the security feature spec, and run them against Prism mocks: at least 95 %
    /// of operations must pass, spec faults apart
    #[arg(long)]
    pub contract: bool,
    /// Only these specs (file stems such as `digitalocean-v2`, or `features/security`; repeatable),
    /// for a quicker look at one spec's crate or contract tests. Default: every one
    #[arg(long = "only", value_name = "SPEC")]
    pub only: Vec<String>,
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
    let work = root().join("target/corpus");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut rows = generate_rows(&work, args.contract, &args.only)?;
    if let Some(unknown) = args.only.iter().find(|name| !rows.iter().any(|row| &row.spec == *name)) {
        return Err(format!("--only {unknown}: no such spec (a file stem of ../shared/specs, specs-3.1, or features/security with --contract)"));
    }
    let mut report = Report {
        failed: rows.iter().filter(|row| !row.generated).map(|row| row.spec.clone()).collect(),
        ..Report::default()
    };
    let clippy_selected = |row: &Row| match args.compile {
        Compile::All => true,
        Compile::Small => row.feature || COMPILE_SMALL.contains(&row.spec.as_str()),
        Compile::None => false,
    };
    let to_build: Vec<String> = rows
        .iter()
        .filter(|row| row.generated && (row.contract_tests || clippy_selected(row)))
        .map(|row| row.member.clone())
        .collect();
    if !to_build.is_empty() {
        let work = workspace::write(&work, &to_build)?;
        let selected: Vec<&Row> = rows.iter().filter(|row| row.generated && clippy_selected(row)).collect();
        if !selected.is_empty() {
            let members: Vec<String> = selected.iter().map(|row| row.member.clone()).collect();
            let packages: Vec<String> = selected.iter().map(|row| row.package.clone()).collect();
            let started = Instant::now();
            let verdicts = workspace::clippy(&work, &members, &packages)?;
            report.summaries.push(format!(
                "clippy over the {} compiled crate(s): {:.0} s",
                members.len(),
                started.elapsed().as_secs_f64()
            ));
            for row in rows.iter_mut() {
                if let Some(verdict) = verdicts.get(&row.member) {
                    record_verdict(row, verdict, &mut report);
                }
            }
        }
        if args.contract {
            run_contract_tests(&work, &mut rows, &mut report)?;
        }
    }
    print_report(&rows, &report, args.contract);
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(format!("corpus failures: {}", report.failed.join(", ")))
    }
}

/// What the table leaves to the lines under it, and what failed.
#[derive(Default)]
struct Report {
    /// Specs that failed a check, named in the task's error.
    failed: Vec<String>,
    /// One line each: how long clippy took, the contract pass rate.
    summaries: Vec<String>,
    /// A crate's clippy diagnostics (the first few are printed).
    details: Vec<(String, Vec<String>)>,
    /// A spec's contract failures and spec faults, one line each (all of them are printed).
    contract_failures: Vec<(String, Vec<String>)>,
}

/// Generates every public spec into `work` (the small and medium ones with contract tests when
/// `contract`), and with `contract` the generator's feature specs of [`contract::FEATURE_SPECS`].
/// A non-empty `only` keeps the specs it names (`features/<stem>` for a feature spec).
fn generate_rows(work: &Path, contract: bool, only: &[String]) -> Result<Vec<Row>, String> {
    let mut specs = spec_files(&shared().join("specs"))?;
    specs.extend(spec_files(&shared().join("specs-3.1"))?);
    let stem = |spec: &Path| spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
    let wanted = |name: String| only.is_empty() || only.contains(&name);
    let mut rows = Vec::new();
    for spec in specs.iter().filter(|spec| wanted(stem(spec))) {
        let size = std::fs::metadata(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?.len();
        rows.push(generate_row(spec, work, false, contract && size <= contract::MAX_SPEC_BYTES)?);
    }
    if contract {
        for feature in contract::FEATURE_SPECS.iter().filter(|f| wanted(format!("features/{}", stem(Path::new(f))))) {
            rows.push(generate_row(&root().join(feature), work, true, true)?);
        }
    }
    Ok(rows)
}

/// Generates one spec into its folder of `work`, timed.
fn generate_row(spec: &Path, work: &Path, feature: bool, contract_tests: bool) -> Result<Row, String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let member = if feature { format!("feature-{stem}") } else { stem.clone() };
    let out = work.join(&member);
    // The runtime is not on crates.io: a path dependency (beside the version) to this one.
    let runtime = relative(&out, &root().join("runtime")).to_string_lossy().replace('\\', "/");
    let package = format!("corpus-{}", member.replace('.', "-"));
    let options =
        Options { crate_name: package.clone(), runtime_path: Some(runtime), contract_tests, ..Options::default() };
    let folder = spec.parent().and_then(Path::file_name).unwrap_or_default().to_string_lossy();
    let file = format!("{folder}/{}", spec.file_name().unwrap_or_default().to_string_lossy());
    let started = Instant::now();
    let result = generate(&[SpecSource { file, text }], &options);
    let millis = started.elapsed().as_millis();
    let mut row = Row {
        spec: if feature { format!("features/{stem}") } else { stem },
        member,
        package,
        spec_path: spec.to_path_buf(),
        feature,
        stats: Stats::default(),
        millis,
        outcome: String::new(),
        generated: false,
        contract_tests,
        contract_file: false,
        contract: None,
    };
    match Stats::of_generation(&result) {
        Ok((generated, stats)) => {
            crate::files::write_files(&out, &generated.files)?;
            row.contract_file = generated.files.contains_key(crate::stats::CONTRACT_TESTS);
            row.outcome = format!("generated ({} warnings), not compiled", generated.warnings.len());
            row.stats = stats;
            row.generated = true;
        }
        Err(why) => row.outcome = why,
    }
    Ok(row)
}

/// Builds and runs the contract tests of the rows generated with them, puts each outcome in its
/// row, and judges them: the pass rate over the public specs, every feature spec's operation.
fn run_contract_tests(work: &Path, rows: &mut [Row], report: &mut Report) -> Result<(), String> {
    // A spec without operations gets no contract test file, and nothing to run.
    let suites: Vec<Suite> = rows
        .iter()
        .filter(|row| row.contract_file)
        .map(|row| Suite { member: row.member.clone(), package: row.package.clone(), spec: row.spec_path.clone() })
        .collect();
    let started = Instant::now();
    let mut outcomes = contract::run(work, &suites)?;
    report.summaries.push(format!(
        "contract tests of {} crate(s), built and run against Prism: {:.0} s",
        suites.len(),
        started.elapsed().as_secs_f64()
    ));
    for row in rows.iter_mut() {
        row.contract = outcomes.remove(&row.member);
    }
    let (mut passed, mut countable, mut spec_faults) = (0, 0, 0);
    for row in rows.iter() {
        let mut lines = Vec::new();
        match &row.contract {
            None => continue,
            Some(Err(why)) => {
                lines.push(why.clone());
                report.failed.push(format!("{} (contract tests)", row.spec));
            }
            Some(Ok(tally)) => {
                if row.feature {
                    judge_feature(&row.spec, tally, report);
                } else {
                    (passed, countable, spec_faults) =
                        (passed + tally.passed, countable + tally.countable(), spec_faults + tally.spec.len());
                }
                let listed = tally
                    .client
                    .iter()
                    .map(|f| match contract::expected_failure_reason(&row.spec, &f.operation) {
                        Some(why) => (format!("expected client failure: {why}"), f),
                        None => ("client failure".to_owned(), f),
                    })
                    .chain(tally.spec.iter().map(|f| ("spec fault".to_owned(), f)));
                lines.extend(
                    listed.map(|(kind, f)| format!("- `{}` ({kind}): {}", f.operation, f.detail.replace('\n', " "))),
                );
            }
        }
        if !lines.is_empty() {
            report.contract_failures.push((row.spec.clone(), lines));
        }
    }
    let rate = if countable == 0 { 1.0 } else { passed as f64 / countable as f64 };
    report.summaries.push(format!(
        "against the mock: {passed} of {countable} operations of the public specs pass ({:.1} %, at least {:.0} % required); {} apart, each listed below",
        rate * 100.0,
        contract::REQUIRED_PASS_RATE * 100.0,
        contract::counted(spec_faults, "spec fault"),
    ));
    if rate < contract::REQUIRED_PASS_RATE {
        report.failed.push(format!("contract pass rate {:.1} %", rate * 100.0));
    }
    Ok(())
}

/// A feature spec's operations must all pass, but for its [`contract::EXPECTED_FAILURES`], which
/// must all fail.
fn judge_feature(spec: &str, tally: &contract::Tally, report: &mut Report) {
    let expected = contract::expected_failures(spec);
    let failed: Vec<&str> = tally.client.iter().map(|f| f.operation.as_str()).collect();
    if failed.iter().any(|operation| !expected.contains(operation)) {
        report.failed.push(format!("{spec} (contract: every operation must pass)"));
    }
    if expected.iter().any(|operation| !failed.contains(operation)) {
        report.failed.push(format!("{spec} (contract: an expected failure no longer fails: update EXPECTED_FAILURES)"));
    }
}

/// Puts clippy's verdict on a crate in its row; a failure's diagnostics go to the report.
fn record_verdict(row: &mut Row, verdict: &Verdict, report: &mut Report) {
    match verdict {
        Verdict::Clean => row.outcome = "compiled, clippy clean".to_owned(),
        Verdict::Diagnostics(messages) => {
            let first = messages.first().and_then(|m| m.lines().next()).unwrap_or_default();
            row.outcome = format!("DOES NOT COMPILE: {} error(s), first: {first}", messages.len());
            report.details.push((row.spec.clone(), messages.clone()));
            report.failed.push(row.spec.clone());
        }
        Verdict::NotChecked(why) => {
            row.outcome = "NOT CHECKED (see below)".to_owned();
            report.details.push((row.spec.clone(), vec![why.clone()]));
            report.failed.push(row.spec.clone());
        }
    }
}

/// The table (with the contract column when `contract`), the summaries, each failing crate's
/// first diagnostics, and every contract failure and spec fault.
fn print_report(rows: &[Row], report: &Report, contract: bool) {
    let (mock_heading, mock_rule) = if contract { (" against the mock |", " ---: |") } else { ("", "") };
    println!(
        "\n| spec | operations | types | generation | lines | result |{mock_heading}\n| --- | ---: | ---: | ---: | ---: | --- |{mock_rule}"
    );
    for row in rows {
        let mock = match (&row.contract, contract) {
            (_, false) => String::new(),
            (Some(Ok(tally)), true) => format!(" {} |", tally.cell(&contract::expected_failures(&row.spec))),
            (Some(Err(_)), true) => " DID NOT RUN (see below) |".to_owned(),
            (None, true) if row.generated && !row.contract_tests => {
                format!(" not run (over {} MiB) |", contract::MAX_SPEC_BYTES >> 20)
            }
            (None, true) => " |".to_owned(),
        };
        println!(
            "| {} | {} | {} | {} ms | {} | {} |{mock}",
            row.spec,
            row.stats.operations,
            row.stats.types,
            row.millis,
            row.stats.lines,
            row.outcome.replace('|', "\\|")
        );
    }
    for summary in &report.summaries {
        println!("\n{summary}");
    }
    for (spec, messages) in &report.details {
        println!("\n### {spec}\n");
        for message in messages.iter().take(DIAGNOSTICS_SHOWN) {
            println!("{}", message.trim_end());
        }
        if messages.len() > DIAGNOSTICS_SHOWN {
            println!("... and {} more", messages.len() - DIAGNOSTICS_SHOWN);
        }
    }
    // Every one, however many: the table's column is explained here.
    for (spec, failures) in &report.contract_failures {
        println!("\n### {spec}: against the mock\n");
        for failure in failures {
            println!("{failure}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Failure, Tally};

    fn failing(operations: &[&str]) -> Tally {
        let client = operations.iter().map(|o| Failure { operation: (*o).into(), detail: "401".into() }).collect();
        Tally { operations: 7, passed: 7 - operations.len(), client, spec: Vec::new() }
    }

    #[test]
    fn a_feature_spec_fails_on_any_but_its_expected_failures_and_when_one_of_those_passes() {
        let judged = |spec: &str, tally: Tally| {
            let mut report = Report::default();
            judge_feature(spec, &tally, &mut report);
            report.failed
        };
        assert!(judged("features/security", failing(&["get_digest"])).is_empty());
        assert_eq!(judged("features/security", failing(&["get_digest", "get_me"])).len(), 1);
        assert!(judged("features/security", failing(&[]))[0].contains("no longer fails"));
        assert!(judged("features/other", failing(&["get_digest"]))[0].contains("every operation must pass"));
    }

    #[test]
    fn the_security_rows_cell_shows_its_expected_failure_apart_and_only_real_failures_as_failures() {
        let cell = |tally: Tally| tally.cell(&contract::expected_failures("features/security"));
        assert_eq!(cell(failing(&["get_digest"])), "6/6 (+1 expected failure)");
        assert_eq!(cell(failing(&["get_digest", "get_me"])), "5/6 (+1 expected failure)");
        assert_eq!(cell(failing(&[])), "7/7", "get_digest passing is judged a failure, not hidden");
        assert_eq!(cell(failing(&["get_me"])), "6/7");
    }
}
