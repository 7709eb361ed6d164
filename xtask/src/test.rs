//! `cargo xtask test`: everything CI runs, in order, each step timed, stopping at the first
//! failure, and a summary ending in `steps: N passed, N failed, N skipped`. It installs the spec
//! tools it needs, so it works on a fresh machine.

use crate::paths::{fixtures, root};
use crate::{corpus, generate, lint, tools};
use std::process::Command;
use std::time::{Duration, Instant};

/// One step of the run: a name and what to do.
type Step<'a> = (&'a str, Box<dyn Fn() -> Result<(), String>>);

pub fn run() -> Result<(), String> {
    let root = root();
    let fixtures = fixtures();
    if !fixtures.is_dir() {
        return Err(format!(
            "the fixtures folder {} does not exist: put ../shared beside the repository or set CLOUDSPEC_FIXTURES",
            fixtures.display()
        ));
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let cargo_step = |args: &'static [&'static str]| {
        let cargo = cargo.clone();
        let root = root.clone();
        let fixtures = fixtures.clone();
        move || -> Result<(), String> {
            let status = Command::new(&cargo)
                .args(args)
                .current_dir(&root)
                .env("CLOUDSPEC_FIXTURES", &fixtures)
                .env("CLOUDSPEC_TOOLS", root.join(".tools"))
                .status()
                .map_err(|e| format!("cannot run cargo: {e}"))?;
            if status.success() {
                Ok(())
            } else {
                Err(format!("cargo {} failed ({status})", args.join(" ")))
            }
        }
    };
    let steps: Vec<Step> = vec![
        ("install spec tools", Box::new(|| tools::ensure().map(drop))),
        ("rustfmt (cargo fmt --check)", Box::new(cargo_step(&["fmt", "--all", "--check"]))),
        ("generated code is fresh (cargo xtask gen --check)", Box::new(generate::check)),
        (
            "clippy -D warnings",
            Box::new(cargo_step(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])),
        ),
        ("tests", Box::new(cargo_step(&["test", "--workspace", "--quiet"]))),
        ("spec lint", Box::new(lint::run)),
        // Every public spec is compiled: about two and a half minutes on CI's two cores, sharing the
        // workspace's target folder.
        ("public spec corpus", Box::new(|| corpus::run(&corpus::CorpusArgs { compile: corpus::Compile::All }))),
    ];
    let mut results: Vec<(&str, Duration, bool)> = Vec::new();
    let mut failure = None;
    for (name, step) in &steps {
        println!("\n=== {name}");
        let started = Instant::now();
        let outcome = step();
        results.push((name, started.elapsed(), outcome.is_ok()));
        if let Err(e) = outcome {
            failure = Some(format!("{name}: {e}"));
            break;
        }
    }
    println!("\n=== summary");
    for (name, elapsed, ok) in &results {
        println!("{:<4} {:>7.1}s  {name}", if *ok { "ok" } else { "FAIL" }, elapsed.as_secs_f64());
    }
    for (name, _) in steps.iter().skip(results.len()) {
        println!("skip {:>8}  {name}", "");
    }
    let passed = results.iter().filter(|(_, _, ok)| *ok).count();
    // The plain closing line CI reads, whatever the language.
    println!("steps: {passed} passed, {} failed, {} skipped", results.len() - passed, steps.len() - results.len());
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
