//! `cargo xtask corpus --contract`: the contract tests the generator emits (`Options::contract_tests`,
//! `tests/contract.rs`: one test per operation) built and run against a Prism mock of their spec.
//!
//! Which specs: the small and medium public specs, every one in `../shared/specs` and
//! `../shared/specs-3.1` under [`MAX_SPEC_BYTES`] (all but GitHub's 3.6 MB one, whose thousand
//! operations would make the crate the slowest to build and the run the longest by far), and
//! the generator's own security feature spec ([`FEATURE_SPECS`]), whose operations need bearer,
//! basic and API-key credentials that Prism checks.
//!
//! The contract crates are built by one `cargo build --test contract` over the corpus's throwaway
//! workspace (the same target folder, lock file and profiles as the workspace, so dependencies are
//! built once); then each crate's test executable runs with `CLOUDSPEC_MOCK_URL` set to a Prism
//! mock (`--errors`) of its spec, started while the previous crate runs, and
//! `CLOUDSPEC_CONTRACT_REPORT` naming the file where each test appends its outcome:
//! `{"operation":…,"outcome":"pass"|"client"|"spec","detail":…}` (a client failure is ours; a spec
//! fault is the spec's own inconsistency). An operation that wrote no line counts as a client failure.

use crate::corpus::workspace::{self, Messages};
use crate::prism::Prism;
use crate::tools::{self, Tools};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The largest public spec that gets contract tests: "small and medium" (1.7 MB is the largest
/// below it; GitHub's 3.6 MB spec is the one left out).
pub const MAX_SPEC_BYTES: u64 = 2 * 1024 * 1024;

/// The generator's feature specs whose contract tests run too (paths from the workspace root):
/// every one of their operations must pass (spec faults aside).
pub const FEATURE_SPECS: &[&str] = &["codegen/tests/features/security.yaml"];

/// Operations of the feature specs that fail against the mock by design, and why: (spec row,
/// operation, reason). Each must fail as a client failure (one that passes means the list is out of
/// date), and no other operation of a feature spec may fail.
pub const EXPECTED_FAILURES: &[(&str, &str, &str)] = &[(
    "features/security",
    "get_digest",
    "HTTP digest is a scheme the client cannot send (codegen/README.md), so the request goes without \
     credentials and Prism refuses it (sdk-tests/tests/contract/security.rs checks the 401)",
)];

/// The operations of the corpus row `spec` that [`EXPECTED_FAILURES`] lists.
pub fn expected_failures(spec: &str) -> Vec<&'static str> {
    EXPECTED_FAILURES.iter().filter(|(s, _, _)| *s == spec).map(|(_, operation, _)| *operation).collect()
}

/// Why `operation` of the corpus row `spec` fails by design, when [`EXPECTED_FAILURES`] lists it.
pub fn expected_failure_reason(spec: &str, operation: &str) -> Option<&'static str> {
    EXPECTED_FAILURES.iter().find(|(s, o, _)| *s == spec && *o == operation).map(|(_, _, why)| *why)
}

/// The share of operations of the public specs that must pass against the mock. Spec faults are
/// left out of the denominator: each is listed with the reason the test gave.
pub const REQUIRED_PASS_RATE: f64 = 0.95;

/// How long one crate's contract tests may run before they are stopped (a hung mock or test).
const RUN_LIMIT: Duration = Duration::from_secs(600);

/// One contract crate to run: its folder in the corpus workspace, its package, and its spec.
#[derive(Debug, Clone)]
pub struct Suite {
    pub member: String,
    pub package: String,
    pub spec: PathBuf,
}

/// An operation that did not pass, and why (the test's own words).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub operation: String,
    pub detail: String,
}

/// What one crate's contract tests reported.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    pub operations: usize,
    pub passed: usize,
    /// Our failures: the client sent what the spec forbids, or could not decode the answer.
    pub client: Vec<Failure>,
    /// The spec's own faults: Prism rejects the spec's example, or cannot answer as it says.
    pub spec: Vec<Failure>,
}

impl Tally {
    /// Operations a client is answerable for: all but the spec faults.
    pub fn countable(&self) -> usize {
        self.operations.saturating_sub(self.spec.len())
    }

    /// The table cell: `passed/countable`, with the spec faults and the client failures of the
    /// `expected` operations (a feature spec's [`EXPECTED_FAILURES`]) apart, as in
    /// `292/292 (+4 spec faults)` or `6/6 (+1 expected failure)`: a reader sees a failure only
    /// where there is one. Whether the expected ones did fail is judged elsewhere (`corpus`).
    pub fn cell(&self, expected: &[&str]) -> String {
        let expected_failed = self.client.iter().filter(|f| expected.contains(&f.operation.as_str())).count();
        let mut cell = format!("{}/{}", self.passed, self.countable().saturating_sub(expected_failed));
        let mut apart = Vec::new();
        if !self.spec.is_empty() {
            apart.push(format!("+{}", counted(self.spec.len(), "spec fault")));
        }
        if expected_failed > 0 {
            apart.push(format!("+{}", counted(expected_failed, "expected failure")));
        }
        if !apart.is_empty() {
            cell.push_str(&format!(" ({})", apart.join(", ")));
        }
        cell
    }
}

/// `1 spec fault`, `4 spec faults`.
pub fn counted(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// A crate's contract run: its tally, or why it did not run (a build error, Prism not starting).
pub type Outcome = Result<Tally, String>;

/// Builds every suite's crate in `work` (a workspace whose members include them), then runs each
/// against its own Prism. Fails only when cargo or a tool cannot be run at all.
pub fn run(work: &Path, suites: &[Suite]) -> Result<BTreeMap<String, Outcome>, String> {
    let tools = tools::ensure()?;
    let started = Instant::now();
    let built = build(work, suites)?;
    println!("built {} contract crate(s) in {:.0} s", suites.len(), started.elapsed().as_secs_f64());
    let mut outcomes = BTreeMap::new();
    let mut runnable = Vec::new();
    for (suite, executable) in suites.iter().zip(built) {
        match executable {
            Ok(executable) => runnable.push((suite, executable)),
            Err(why) => {
                outcomes.insert(suite.member.clone(), Err(why));
            }
        }
    }
    // Started lazily, one per runnable suite, in order.
    let mut prisms = runnable.iter().map(|(suite, _)| start_prism(&tools, work, suite)).peekable();
    for (suite, executable) in &runnable {
        let Some(prism) = prisms.next() else { break };
        // One Prism ahead: the next spec's mock loads while the current crate's tests run.
        prisms.peek();
        let started = Instant::now();
        let outcome = prism.and_then(|mut prism| run_suite(work, suite, executable, &mut prism));
        println!("ran {}'s contract tests in {:.0} s", suite.member, started.elapsed().as_secs_f64());
        outcomes.insert(suite.member.clone(), outcome);
    }
    Ok(outcomes)
}

fn start_prism(tools: &Tools, work: &Path, suite: &Suite) -> Result<Prism, String> {
    Prism::spawn(tools, &suite.spec, work.join(&suite.member).join("prism.log"))
}

/// `cargo build --test contract` over the suites' packages: each suite's test executable, or
/// the compiler errors charged to it, in the order of `suites`.
fn build(work: &Path, suites: &[Suite]) -> Result<Vec<Result<PathBuf, String>>, String> {
    let mut command = workspace::cargo(work);
    command.args(["build", "--test", "contract", "--keep-going", "--message-format=json"]);
    for suite in suites {
        command.args(["-p", &suite.package]);
    }
    let output = command.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let members: Vec<String> = suites.iter().map(|s| s.member.clone()).collect();
    let messages = Messages::read(work, &members, &String::from_utf8_lossy(&output.stdout));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut built = Vec::with_capacity(members.len());
    for member in members {
        let executable = messages.artifacts.iter().find_map(|(owner, artifact)| {
            let is_contract = artifact.pointer("/target/name").and_then(|n| n.as_str()) == Some("contract");
            let path = artifact.get("executable").and_then(|e| e.as_str());
            (owner == &member && is_contract).then_some(path).flatten().map(PathBuf::from)
        });
        let result = match (executable, messages.errors.get(&member)) {
            (Some(path), None) => Ok(path),
            (_, Some(errors)) => Err(format!("the contract tests do not build:\n{}", errors.join("\n"))),
            (None, None) => Err(messages.not_checked(&stderr)),
        };
        built.push(result);
    }
    Ok(built)
}

/// Runs one crate's contract tests against `prism` and reads their report.
fn run_suite(work: &Path, suite: &Suite, executable: &Path, prism: &mut Prism) -> Result<Tally, String> {
    let operations = count_tests(executable)?;
    prism.wait_until_listening()?;
    let folder = work.join(&suite.member);
    let report = folder.join("contract-report.jsonl");
    let log = folder.join("contract.log");
    let _ = std::fs::remove_file(&report);
    let log_file = std::fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let log_copy = log_file.try_clone().map_err(|e| format!("cannot share {}: {e}", log.display()))?;
    let mut child = Command::new(executable)
        .env("CLOUDSPEC_MOCK_URL", prism.url())
        .env("CLOUDSPEC_CONTRACT_REPORT", &report)
        // Each panic's message on the line after `panicked at`, without backtraces in between.
        .env("RUST_BACKTRACE", "0")
        .current_dir(&folder)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(log_copy)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
    let started = Instant::now();
    // A non-zero exit is expected when any test failed: the report says which and why.
    let cut_off = loop {
        match child.try_wait() {
            Ok(Some(_)) => break false,
            Ok(None) if started.elapsed() > RUN_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                break true;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(format!("cannot wait for {}: {e}", executable.display())),
        }
    };
    let lines = std::fs::read_to_string(&report).unwrap_or_default();
    let mut tally = tally(operations, &lines);
    let mut unreported = operations.saturating_sub(tally.passed + tally.client.len() + tally.spec.len());
    if unreported > 0 {
        // Tests that panicked without reporting say why in the harness's output.
        let output = std::fs::read_to_string(&log).unwrap_or_default();
        for failure in unreported_panics(&output).into_iter().take(unreported) {
            tally.client.push(failure);
            unreported -= 1;
        }
    }
    if unreported > 0 {
        let why = if cut_off { format!("stopped after {} s", RUN_LIMIT.as_secs()) } else { "ended".to_owned() };
        let detail = format!(
            "wrote no report line (the run {why} before they reported; see {} and Prism's {})",
            log.display(),
            prism.log().display()
        );
        tally.client.push(Failure { operation: format!("({unreported} operation(s))"), detail });
    }
    Ok(tally)
}

/// How many tests a test executable has: the operations of its crate (one test each), the
/// denominator, so an operation whose test never reported still counts.
fn count_tests(executable: &Path) -> Result<usize, String> {
    let output = Command::new(executable)
        .args(["--list", "--format", "terse"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", executable.display()))?;
    if !output.status.success() {
        return Err(format!("{} --list failed: {}", executable.display(), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().filter(|line| line.ends_with(": test")).count())
}

/// The tests of a libtest run's output that panicked with a message other than a reported
/// outcome's (`client failure:`, `spec fault:`), named by test, with the message's first line.
fn unreported_panics(output: &str) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix("thread '").and_then(|rest| rest.split_once("' panicked at")) else {
            continue;
        };
        let message = lines.next().unwrap_or_default();
        if !message.starts_with("client failure:") && !message.starts_with("spec fault:") {
            let detail = format!("panicked without reporting: {message}");
            failures.push(Failure { operation: format!("test {}", name.0), detail });
        }
    }
    failures
}

/// Reads report lines (one JSON object each) into a tally. A line that is not a report is a
/// client failure (the emitted test wrote it); an operation reported twice keeps its worst outcome.
pub fn tally(operations: usize, report: &str) -> Tally {
    let mut outcomes: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for line in report.lines().filter(|line| !line.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        match (field("operation"), field("outcome")) {
            (Some(operation), Some(outcome)) if matches!(outcome.as_str(), "pass" | "client" | "spec") => {
                let detail = field("detail").unwrap_or_default();
                let worse = |previous: &(String, String)| previous.0 == "pass" || outcome == "client";
                if outcomes.get(&operation).is_none_or(worse) {
                    outcomes.insert(operation, (outcome, detail));
                }
            }
            _ => {
                unreadable.push(Failure { operation: "(report)".into(), detail: format!("not a report line: {line}") })
            }
        }
    }
    let mut tally = Tally { operations, ..Tally::default() };
    for (operation, (outcome, detail)) in outcomes {
        match outcome.as_str() {
            "pass" => tally.passed += 1,
            "spec" => tally.spec.push(Failure { operation, detail }),
            _ => tally.client.push(Failure { operation, detail }),
        }
    }
    tally.client.extend(unreadable);
    tally
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_are_tallied_by_operation() {
        let report = concat!(
            "{\"operation\":\"listPets\",\"outcome\":\"pass\",\"detail\":\"\"}\n",
            "{\"operation\":\"showPet\",\"outcome\":\"client\",\"detail\":\"client failure: body did not decode\"}\n",
            "\n",
            "{\"operation\":\"addPet\",\"outcome\":\"spec\",\"detail\":\"spec fault: Prism rejects the example\"}\n",
            "{\"operation\":\"deletePet\",\"outcome\":\"pass\"}\n",
            "{\"operation\":\"deletePet\",\"outcome\":\"client\",\"detail\":\"second\"}\n",
            "{\"operation\":\"deletePet\",\"outcome\":\"pass\"}\n",
            "garbage\n",
            "{\"operation\":\"x\",\"outcome\":\"maybe\"}\n",
        );
        let tally = tally(5, report);
        assert_eq!(tally.passed, 1);
        assert_eq!(
            tally.spec,
            [Failure { operation: "addPet".into(), detail: "spec fault: Prism rejects the example".into() }]
        );
        let client: Vec<&str> = tally.client.iter().map(|f| f.operation.as_str()).collect();
        assert_eq!(client, ["deletePet", "showPet", "(report)", "(report)"]);
        assert_eq!(tally.client[0].detail, "second");
        assert!(tally.client[3].detail.contains("maybe"));
        assert_eq!(tally.countable(), 4);
        assert_eq!(tally.cell(&[]), "1/4 (+1 spec fault)");
        assert_eq!(super::tally(2, "").cell(&[]), "0/2");
        // An expected failure leaves the denominator; an expected one that passed stays in it.
        assert_eq!(tally.cell(&["showPet"]), "1/3 (+1 spec fault, +1 expected failure)");
        assert_eq!(tally.cell(&["showPet", "deletePet"]), "1/2 (+1 spec fault, +2 expected failures)");
        assert_eq!(tally.cell(&["listPets"]), "1/4 (+1 spec fault)");
        let faults = Tally { spec: vec![tally.spec[0].clone(); 2], ..tally };
        assert_eq!(faults.cell(&[]), "1/3 (+2 spec faults)");
    }

    #[test]
    fn panics_without_a_report_are_named_by_test() {
        let output = concat!(
            "running 3 tests\n",
            "thread 'list_pets' panicked at tests/contract.rs:10:5:\n",
            "client failure: listPets: the body did not decode\n",
            "thread 'create_pets' panicked at tests/contract.rs:20:5:\n",
            "CLOUDSPEC_MOCK_URL is not set\n",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n",
            "thread 'show_pet' panicked at tests/contract.rs:30:5:\n",
            "spec fault: showPet: Prism rejects the example\n",
        );
        let failures = unreported_panics(output);
        assert_eq!(
            failures,
            [Failure {
                operation: "test create_pets".into(),
                detail: "panicked without reporting: CLOUDSPEC_MOCK_URL is not set".into()
            }]
        );
    }
}
