//! `cargo xtask test`: everything CI runs, in order, each step timed, stopping at the first
//! failure, and a summary ending in `steps: N passed, N failed, N skipped`. It installs the spec
//! tools it needs, so it works on a fresh machine.

use crate::paths::{fixtures, root};
use crate::{cargo, clients, corpus, docs, generate, lint, package, tools};
use std::ffi::OsStr;
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
    let cargo_step = |args: &'static [&'static str], env: &'static [(&'static str, &'static str)]| {
        let root = root.clone();
        let fixtures = fixtures.clone();
        move || -> Result<(), String> {
            let tools = root.join(".tools");
            let mut all_env =
                vec![("CLOUDSPEC_FIXTURES", fixtures.as_os_str()), ("CLOUDSPEC_TOOLS", tools.as_os_str())];
            all_env.extend(env.iter().map(|(name, value)| (*name, OsStr::new(value))));
            cargo::run(&root, args, &all_env)
        }
    };
    let steps: Vec<Step> = vec![
        ("install spec tools", Box::new(|| tools::ensure().map(drop))),
        ("rustfmt (cargo fmt --check)", Box::new(cargo_step(&["fmt", "--all", "--check"], &[]))),
        ("generated code is fresh (cargo xtask gen --check)", Box::new(generate::check)),
        (
            "clippy -D warnings",
            Box::new(cargo_step(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"], &[])),
        ),
        (
            "docs without warnings (RUSTDOCFLAGS=-Dwarnings cargo doc)",
            // All features, as docs.rs builds them: `test-util`'s `mock` module included.
            Box::new(cargo_step(
                &["doc", "-p", "cloudspec", "-p", "cloudspec-runtime", "--all-features", "--no-deps", "--quiet"],
                &[("RUSTDOCFLAGS", "-Dwarnings")],
            )),
        ),
        ("tests", Box::new(cargo_step(&["test", "--workspace", "--quiet"], &[]))),
        (
            "published crates (cargo package, publish --dry-run, the README quick start built from the .crate files)",
            Box::new(package::run),
        ),
        ("spec lint", Box::new(lint::run)),
        (
            "other languages' clients (openapi-generator Python client calls every operation against Prism, \
             typescript-fetch compiles with tsc --strict)",
            Box::new(clients::run),
        ),
        (
            "offline API reference (cargo xtask docs --check: Redoc pages rendered in headless Chromium)",
            Box::new(|| docs::run(&docs::DocsArgs { check: true })),
        ),
        // Every public spec is compiled (about two and a half minutes on CI's two cores, sharing the
        // workspace's target folder), and the contract tests of the small and medium ones are built
        // and run against Prism mocks.
        (
            "public spec corpus (clippy, and the contract tests against Prism)",
            Box::new(|| {
                corpus::run(&corpus::CorpusArgs { compile: corpus::Compile::All, contract: true, only: Vec::new() })
            }),
        ),
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
    print_summary(&steps, &results);
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Each step's outcome and time, the steps not run, and the closing count.
fn print_summary(steps: &[Step], results: &[(&str, Duration, bool)]) {
    println!("\n=== summary");
    for (name, elapsed, ok) in results {
        println!("{:<4} {:>7.1}s  {name}", if *ok { "ok" } else { "FAIL" }, elapsed.as_secs_f64());
    }
    for (name, _) in steps.iter().skip(results.len()) {
        println!("skip {:>8}  {name}", "");
    }
    let passed = results.iter().filter(|(_, _, ok)| *ok).count();
    // The plain closing line CI reads, whatever the language.
    println!("steps: {passed} passed, {} failed, {} skipped", results.len() - passed, steps.len() - results.len());
}
